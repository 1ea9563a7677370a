"""The extractor's quality on the labelled texts, per split, language and field.

    python bench/text_quality.py [--texts DIR] [--errors dev]

Reads tests/data/text/labelled.jsonl (texts shipped) and labelled_unshipped.jsonl (labels,
addresses and checksums only: their excerpts could not be shipped). The texts of the latter are
read from DIR/<id>.txt when given, checked against their sha256; items without a text are left
out and listed. Prints a Markdown table with the held-out parts also summed ("heldout+2"), and
with ``--errors SPLIT`` what the extractor got wrong on that split (tune on dev only).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kakehashi.text import quality

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "text"


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
    scores.update(quality.combine(scores, ("heldout", "heldout2"), "heldout+2"))
    print(quality.table(scores))
    if args.errors:
        print("\n".join(quality.errors(items, args.errors)))


if __name__ == "__main__":
    main()
