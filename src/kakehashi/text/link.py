"""Match what a document reports to the curated events table, or propose a candidate.

A curated event matches when a date in the text overlaps its dates (a date without a year
matches on month and day, when the event's date is precise to the day or month), at least
one country is shared, and the score is high enough. The score weighs dates 0.4, countries
0.3 (Jaccard overlap), the Japanese actor 0.2 and the event type 0.1. The curated table is
never changed: unmatched events become candidate rows for curators to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kakehashi.text.dates import DateMention
from kakehashi.text.extract import Extraction

THRESHOLD = 0.7
SLACK = timedelta(days=2)
EVENT_COLUMNS = ("event_id, date_start, date_end, date_precision, event_type, japanese_actor, "
                 "lac_countries, region_wide")


@dataclass(frozen=True)
class Link:
    event_id: str | None
    candidate: bool
    score: float
    event_type: str | None
    date_start: date | None
    date_end: date | None
    countries: list[str]
    actor: str | None
    evidence: str


def _date_score(d: DateMention, ev: dict[str, Any]) -> float:
    start, end = ev["date_start"], ev["date_end"]
    if d.first and d.last:
        return 1.0 if d.first - SLACK <= end and start <= d.last + SLACK else 0.0
    if ev["date_precision"] == "year" or d.day is None:
        return 0.0
    last_day = d.end_day or d.day
    for year in range(start.year, end.year + 1):
        try:
            first, last = date(year, d.month, d.day), date(year, d.month, last_day)
        except ValueError:
            continue
        if first - SLACK <= end and start <= last + SLACK:
            return 0.8  # month and day agree; the year is not in the text
    return 0.0


def _surnames(actors: list[str]) -> set[str]:
    return {a.split()[-1].lower() for a in actors if a.startswith(("PM ", "FM "))}


def score_event(x: Extraction, ev: dict[str, Any]
                ) -> tuple[float, str, DateMention | None]:
    best_date, best_text, matched = 0.0, "", None
    for d in x.dates:
        s = _date_score(d, ev)
        if s > best_date:
            best_date, best_text, matched = s, d.text, d
    ev_countries = set(ev["lac_countries"] or [])
    shared = set(x.countries) & ev_countries
    if not best_date or not (shared or (ev["region_wide"] and x.countries)):
        return 0.0, "", None
    union = set(x.countries) | ev_countries
    country = len(shared) / len(union) if union else 0.0
    actor_text = (ev["japanese_actor"] or "").lower()
    actor = 1.0 if any(s in actor_text for s in _surnames(x.actors)) else 0.0
    same_type = 1.0 if x.event_type == ev["event_type"] else 0.0
    score = 0.4 * best_date + 0.3 * country + 0.2 * actor + 0.1 * same_type
    why = (f"date {best_text!r} ({best_date:.1f}); countries {sorted(shared)} of "
           f"{sorted(union)}; actor {'matches' if actor else 'differs'}; type "
           f"{x.event_type} vs {ev['event_type']}")
    return round(score, 3), why, matched


def link(x: Extraction, events: list[dict[str, Any]], threshold: float = THRESHOLD
         ) -> list[Link]:
    """Curated events that match (best first), else one candidate if the text reports one."""
    actor = next((a for a in x.actors if a.startswith(("PM ", "FM "))),
                 x.actors[0] if x.actors else None)
    matches = []
    for ev in events:
        score, why, d = score_event(x, ev)
        if score >= threshold and d is not None:
            first = d.first or ev["date_start"]  # a date without a year takes the event's
            last = d.last or ev["date_end"]
            matches.append(Link(ev["event_id"], False, score, x.event_type, first, last,
                                x.countries, actor, why))
    if matches:
        return sorted(matches, key=lambda m: (-m.score, m.event_id or ""))
    if x.event_type in (None, "other") or not x.countries or not x.dates:
        return []
    d = x.dates[0]
    why = (f"no curated event matches; {x.event_type} on {d.text!r} with "
           f"{', '.join(x.countries)}" + (f" ({actor})" if actor else ""))
    return [Link(None, True, 0.0, x.event_type, d.first, d.last, x.countries, actor, why)]


def load_events(con: Any) -> list[dict[str, Any]]:
    """Curated events from a DuckDB connection (empty if the store has no events table)."""
    import duckdb

    try:
        rel = con.execute(f"SELECT {EVENT_COLUMNS} FROM events")
    except duckdb.Error:  # a store without events links nothing
        return []
    cols = [c[0] for c in rel.description]
    return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]
