"""Numbers in a brief: formatted once, each with a footnote to its source, each recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """One number stated in a brief: what it is, its exact value, how it is written."""

    label: str
    value: float
    text: str
    source_ids: tuple[str, ...]
    notes: tuple[int, ...]


@dataclass(frozen=True)
class Span:
    """A piece of a sentence: plain text, a number with its footnotes, or text quoted from a
    curated source (an event's title or description), which is not a statement of data."""

    text: str
    notes: tuple[int, ...] = ()
    quoted: bool = False


@dataclass
class Notes:
    """Footnotes numbered in order of first use, built from provenance rows."""

    provenance: dict[str, Row]
    order: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def note(self, source_id: str) -> int:
        if source_id not in self.provenance:
            raise KeyError(f"no provenance for source {source_id!r}")
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def number(self, label: str, value: float, source_id: str | Sequence[str],
               kind: str = "usd") -> Span:
        """A number as written, footnoted to its source(s), and recorded as a Fact."""
        ids = (source_id,) if isinstance(source_id, str) else tuple(source_id)
        text = fmt(value, kind)
        notes = tuple(self.note(i) for i in ids)
        self.facts.append(Fact(label, float(value), text, ids, notes))
        return Span(text, notes)

    def footnotes(self) -> list[Row]:
        out = []
        for i, sid in enumerate(self.order, start=1):
            p = self.provenance[sid]
            out.append({"n": i, "source_id": sid, "text": footnote_text(p)})
        return out


def footnote_text(p: Row) -> str:
    return (f"{p['publisher']}, {p['title']}. Version: {p['version']}. Licence: "
            f"{p['license']}.")


def fmt(value: float, kind: str = "usd") -> str:
    """How a number is written in a brief (the same rule everywhere)."""
    if kind == "usd":
        a = abs(value)
        sign = "-" if value < 0 else ""
        if a >= 1e9:
            return f"{sign}USD {a / 1e9:,.1f} billion"
        if a >= 1e6:
            return f"{sign}USD {a / 1e6:,.0f} million" if a >= 1e8 else \
                f"{sign}USD {a / 1e6:,.1f} million"
        return f"{sign}USD {a:,.0f}"
    if kind == "pct":
        return f"{value:.1f} %"
    if kind == "pp":
        return f"{value:+.1f} percentage points"
    if kind == "growth":
        return f"{value:+.1f} %"
    if kind == "rank":
        return f"{value:.0f}"
    if kind == "share":
        return f"{value:.2f}"
    if kind == "count":
        return f"{value:.0f}"
    raise ValueError(kind)


def sentence(*parts: str | Span) -> list[Span]:
    return [p if isinstance(p, Span) else Span(p) for p in parts]


def plain(spans: Sequence[Span]) -> str:
    return "".join(s.text for s in spans)
