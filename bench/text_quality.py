"""The extractor's quality on the labelled texts, per split, language and field.

    python bench/text_quality.py [--texts DIR] [--errors dev]

Reads tests/data/text/labelled.jsonl (texts shipped) and labelled_unshipped.jsonl (labels,
addresses and checksums only: their excerpts could not be shipped). The texts of the latter are
read from DIR/<id>.txt when given, checked against their sha256; items without a text are left
out and listed. Prints a Markdown table per part, with the parts already tuned on also summed
("tuned-on"), and with ``--errors SPLIT`` what the extractor got wrong on that part (read the
errors of a part only when it is to join the tuned-on ones).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kakehashi.text import quality

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "text"
# The parts whose errors have been read while the rules were written (docs/text.md tells when
# each was added): their scores are not a test on unseen texts. Newer parts are.
TUNED_ON = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
            "heldout7", "heldout8", "heldout9", "heldout10", "heldout11")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, help="folder with <id>.txt for unshipped items")
    parser.add_argument("--errors", help="list the errors on this split (dev)")
    args = parser.parse_args()
    items = quality.load(DATA / "labelled.jsonl") + quality.load(DATA / "labelled_unshipped.jsonl")
    items, missing = quality.attach_texts(items, args.texts)
    if missing:
        print(f"{len(missing)} labelled items without their text, left out: {' '.join(missing)}")
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item["split"], item["lang"])
        counts[key] = counts.get(key, 0) + 1
    print("texts:", ", ".join(f"{s}/{lang} {n}" for (s, lang), n in sorted(counts.items())))
    scores = quality.evaluate(items)
    scores.update(quality.combine(scores, TUNED_ON, "tuned-on"))
    print(quality.table(scores))
    if args.errors:
        print("\n".join(quality.errors(items, args.errors)))


if __name__ == "__main__":
    main()
