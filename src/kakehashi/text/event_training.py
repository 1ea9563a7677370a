"""Train the event model (``event_model``) on the labelled texts and write its weights.

    python -m kakehashi.text.event_training --texts DIR [--out FILE]

Reads tests/data/text/labelled.jsonl (texts shipped) and labelled_unshipped.jsonl (labels and
checksums; their texts from ``DIR/<id>.txt``, as ``bench/text_quality.py`` does). Parts named
with ``--hold`` are left out, to score the model on them afterwards.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from kakehashi.text import event_model, quality
from kakehashi.text.dedup import unique_text
from kakehashi.text.extract import classify_event, rule_reading

LABELLED = Path(__file__).resolve().parents[3] / "tests" / "data" / "text" / "labelled.jsonl"


def reading(item: dict[str, Any]) -> event_model.RuleReading:
    text = unique_text(str(item["text"]))
    published = date.fromisoformat(item["published"]) if item.get("published") else None
    return rule_reading(text, *classify_event(text, published))


def train(items: list[dict[str, Any]]) -> event_model.EventModel:
    parts = Counter(f"{i['split']}/{i['lang']}" for i in items)
    about = {"trained_on": dict(sorted(parts.items())),
             "ids": sorted(str(i["id"]) for i in items),
             "how": "multinomial logistic regression, L2, gradient descent from zero weights; "
                    "features: the cue rules' verdict, the opening's and the whole text's word "
                    "prefixes"}
    return event_model.fit([reading(i) for i in items],
                           [str(i["labels"]["event_type"]) for i in items], about)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, help="folder with <id>.txt for unshipped items")
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--hold", action="append", default=[], help="a split to leave out")
    parser.add_argument("--out", type=Path, default=event_model.MODEL_FILE)
    args = parser.parse_args(argv)
    items = quality.load(args.labelled) + quality.load(
        args.labelled.with_name("labelled_unshipped.jsonl"))
    items, missing = quality.attach_texts(items, args.texts)
    items = [i for i in items if i["split"] not in args.hold]
    if not items:
        sys.exit("no labelled text to train on: check --labelled and --texts")
    model = train(items)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model.as_json(), ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")
    tmp.replace(args.out)
    sys.stdout.write(f"trained on {len(items)} texts ({len(missing)} without their text left "
                     f"out); {len(model.vocabulary)} word prefixes of openings, "
                     f"{len(model.text_vocabulary)} of whole texts; wrote {args.out}\n")


if __name__ == "__main__":
    main()
