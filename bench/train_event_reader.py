"""Fit the event reader (src/kakehashi/text/event_reader.py) on the labelled es/pt texts.

    python bench/train_event_reader.py --texts DIR [--leave-out SPLIT] [--write]

Reads tests/data/text/labelled.jsonl and labelled_unshipped.jsonl, whose texts come from
DIR/<id>.txt (checked against their sha256), as bench/text_quality.py does. With
``--leave-out SPLIT`` the part is kept out of the fit and the reader's and the rules'
accuracy on it are printed. ``--write`` saves the fitted weights (never with --leave-out)
to src/kakehashi/text/data/event_reader.json, with the confidence threshold: each labelled
part the rules were not tuned on (heldoutN not in TUNED_ON of bench/text_quality.py) is left
out of a fit in turn and read by it, and the threshold is the lowest top probability (in
steps of 0.05) at which those left-out readings, pooled, are right at least 85 times in 100.
Needs ``pip install 'kakehashi[reader]'``.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

import numpy as np
from text_quality import TUNED_ON  # bench/text_quality.py: the parts the rules were tuned on

from kakehashi.text import event_reader, quality

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "text"
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, required=True,
                        help="folder with <id>.txt for unshipped items")
    parser.add_argument("--leave-out", help="a split kept out of the fit and scored")
    parser.add_argument("--write", action="store_true", help="save the weights")
    args = parser.parse_args()
    if args.write and args.leave_out:
        parser.error("--write fits on every text: leave out --leave-out")
    items = quality.load(DATA / "labelled.jsonl") + quality.load(DATA / "labelled_unshipped.jsonl")
    items, missing = quality.attach_texts(items, args.texts)
    items = [i for i in items if i["lang"] in ("es", "pt")]
    print(f"{len(items)} es/pt texts; {len(missing)} without their text")
    published = [date.fromisoformat(i["published"]) if i.get("published") else None
                 for i in items]
    x = event_reader.features([i["text"] for i in items], published)
    labels = [i["labels"]["event_type"] for i in items]
    held = np.array([i["split"] == args.leave_out for i in items])
    if args.leave_out:
        if not held.any():
            parser.error(f"no text of split {args.leave_out!r}")
        matrix, mean, scale = event_reader.fit(x[~held], [v for v, h in zip(labels, held,
                                                                        strict=True) if not h])
        z = np.hstack([(x[held] - mean) / scale, np.ones((int(held.sum()), 1))])
        guess = [event_reader.TYPES[int(k)] for k in (z @ matrix).argmax(axis=1)]
        truth = [v for v, h in zip(labels, held, strict=True) if h]
        rules = [event_reader.TYPES[int(k)] for k in x[held][:, :7].argmax(axis=1)]
        for name, got in (("reader", guess), ("rules", rules)):
            right = sum(g == t for g, t in zip(got, truth, strict=True))
            print(f"{args.leave_out} {name}: {right}/{len(truth)} = {right / len(truth):.2f}")
        return 0
    matrix, mean, scale = event_reader.fit(x, labels)
    splits = sorted({i["split"] for i in items})
    print(f"fitted on {len(items)} texts of {', '.join(splits)}")
    splits_of = [i["split"] for i in items]
    # the threshold from parts the rules were not tuned on: there the rules' verdict, one of
    # the reader's inputs, is as good as on new texts (on the others it is flattered)
    honest = sorted({s for s in splits_of if re.fullmatch(r"heldout\d+", s)} - set(TUNED_ON),
                    key=lambda s: int(s.removeprefix("heldout")))
    left_out = event_reader.left_out_readings(x, labels, splits_of, honest)
    chosen = event_reader.choose_threshold(left_out)
    print(f"confident at p >= {chosen['confident_at']}: parts left out, {chosen['accuracy']} "
          f"right on {chosen['coverage']} of {chosen['texts']} texts "
          f"(all: {chosen.get('all_accuracy')})")
    if args.write:
        about = {"fitted": date.today().isoformat(), "texts": len(items), "languages": ["es", "pt"],
                 "threshold_from": honest,
                 "splits": splits, "encoder": event_reader.ENCODER, "l2": 10.0, "steps": 400,
                 "by": "bench/train_event_reader.py",
                 "confident_at": chosen["confident_at"],
                 "confident_left_out": {k: v for k, v in chosen.items() if k != "confident_at"}}
        event_reader.save(event_reader.MODEL_FILE, matrix, mean, scale, about)
        print(f"wrote {event_reader.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
