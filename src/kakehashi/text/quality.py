"""Precision, recall and F1 of the extractor on a labelled set of real texts.

The set is a JSON-lines file: one object per text with ``lang``, ``split`` (dev | heldout |
heldout2), ``published``, ``text`` and ``labels`` (countries, event_type, themes). Countries and
themes are scored as micro-averaged set overlap; the event type as accuracy (F1 = accuracy there).

A labelled item may come without its text (``sha256`` and ``chars`` instead): the page's excerpt
could not be shipped. ``attach_texts`` reads such texts from a folder (``<id>.txt``), checking
each against its checksum, and leaves out the items whose text is not there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kakehashi.text.dedup import unique_text
from kakehashi.text.extract import extract

FIELDS = ("countries", "event_type", "themes")


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def attach_texts(items: list[dict[str, Any]], folder: Path | None
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """Items with their text: shipped ones as they are, the others read from ``folder/<id>.txt``
    when it is there and matches the item's sha256. Returns (items, ids left out)."""
    kept: list[dict[str, Any]] = []
    missing: list[str] = []
    for item in items:
        if "text" in item:
            kept.append(item)
            continue
        path = Path(folder) / f"{item['id']}.txt" if folder else None
        text = path.read_text(encoding="utf-8") if path and path.is_file() else None
        if text is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != item["sha256"]:
            missing.append(item["id"])
            continue
        kept.append({**item, "text": text})
    return kept, missing


def combine(scores: dict[tuple[str, str, str], Score], splits: tuple[str, ...], name: str
            ) -> dict[tuple[str, str, str], Score]:
    """Scores summed over ``splits`` under the split ``name`` (e.g. every held-out part)."""
    out: dict[tuple[str, str, str], Score] = {}
    for (split, lang, fld), s in scores.items():
        if split in splits:
            c = out.get((name, lang, fld), Score(0, 0, 0))
            out[(name, lang, fld)] = Score(c.tp + s.tp, c.fp + s.fp, c.fn + s.fn)
    return out


def predict(item: dict[str, Any]) -> dict[str, Any]:
    published = date.fromisoformat(item["published"]) if item.get("published") else None
    x = extract(unique_text(item["text"]), published, item["lang"])
    return {"countries": x.countries, "event_type": x.event_type or "other",
            "themes": x.themes}


def evaluate(items: list[dict[str, Any]]) -> dict[tuple[str, str, str], Score]:
    """Scores keyed by (split, language or "all", field)."""
    counts: dict[tuple[str, str, str], list[int]] = {}
    for item in items:
        pred = predict(item)
        gold = item["labels"]
        for lang in (item["lang"], "all"):
            for fld in FIELDS:
                c = counts.setdefault((item["split"], lang, fld), [0, 0, 0])
                if fld == "event_type":
                    ok = pred[fld] == gold[fld]
                    c[0] += ok
                    c[1] += not ok
                    c[2] += not ok
                else:
                    p, g = set(pred[fld]), set(gold[fld])
                    c[0] += len(p & g)
                    c[1] += len(p - g)
                    c[2] += len(g - p)
    return {k: Score(*v) for k, v in counts.items()}


def errors(items: list[dict[str, Any]], split: str = "dev") -> list[str]:
    """What the extractor got wrong, item by item (for tuning on the dev part only)."""
    out = []
    for item in items:
        if item["split"] != split:
            continue
        pred, gold = predict(item), item["labels"]
        for fld in FIELDS:
            if fld == "event_type":
                if pred[fld] != gold[fld]:
                    out.append(f"{item['id']} event_type: got {pred[fld]}, want {gold[fld]}")
            else:
                extra = sorted(set(pred[fld]) - set(gold[fld]))
                missing = sorted(set(gold[fld]) - set(pred[fld]))
                if extra or missing:
                    out.append(f"{item['id']} {fld}: extra {extra} missing {missing}")
    return out


def table(scores: dict[tuple[str, str, str], Score]) -> str:
    """A Markdown table: split x language x field -> P / R / F1."""
    lines = ["| split | lang | field | P | R | F1 | tp/fp/fn |", "|---|---|---|---|---|---|---|"]
    for key in sorted(scores):
        s = scores[key]
        lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {s.precision:.2f} | "
                     f"{s.recall:.2f} | {s.f1:.2f} | {s.tp}/{s.fp}/{s.fn} |")
    return "\n".join(lines)
