"""events and event_countries: the curated Japan-LAC events table, date precision kept."""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from kakehashi.errors import InputError
from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import EVENT_COUNTRIES, EVENTS

EVENTS_CSV = "events/japan_lac_events.csv"
INPUTS = (EVENTS_CSV,)
TABLES = (EVENTS, EVENT_COUNTRIES)
EVENT_TYPES = ("visit", "agreement_signed", "agreement_in_force", "meeting", "financing",
               "forum", "other")
REQUIRED = ("date", "end_date", "event_type", "japanese_actor", "lac_countries", "title",
            "description", "source", "confidence", "notes")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_date(text: str) -> tuple[date, date, str]:
    """First day, last day and precision of an ISO date given as YYYY, YYYY-MM or YYYY-MM-DD."""
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    y, m, d = match.groups()
    year = int(y)
    try:
        if m is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        month = int(m)
        if d is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last), "month"
        day = date(year, month, int(d))
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None
    return day, day, "day"


def slug(text: str, limit: int = 48) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:limit].rstrip("-")


def _records(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str]]:
    """The rows; a CSV the csv module cannot read (a field over its size limit, a broken
    quote) is an InputError at the line where it stopped."""
    try:
        yield from reader
    except csv.Error as exc:
        raise InputError(path, f"is not a readable CSV ({exc})", line=reader.line_num,
                         hint="Correct the curated events table.") from None


def build(ctx: StepContext) -> dict[str, str]:
    path = ctx.path(EVENTS_CSV)
    assert ctx.index is not None
    lac33 = {code for (code,) in ctx.con.execute(
        "SELECT iso3 FROM stage_countries WHERE is_lac33").fetchall()}
    rows: list[tuple[Any, ...]] = []
    links: list[tuple[str, str]] = []
    ids: set[str] = set()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text (byte {exc.start})",
                         hint="Save the curated events table as UTF-8.") from None
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"missing column(s) {', '.join(missing)}", line=1)
        for rec in _records(reader, path):
            line = reader.line_num

            def fail(column: str, problem: str, line: int = line) -> InputError:
                return InputError(path, problem, line=line, column=column,
                                  hint="Correct the row in the curated events table.")

            try:
                start, end, precision = parse_date(rec["date"])
                if rec["end_date"]:
                    _, end, _ = parse_date(rec["end_date"])
            except ValueError as exc:
                raise fail("date", str(exc)) from None
            if end < start:
                raise fail("end_date", f"{rec['end_date']} is before {rec['date']}")
            if rec["event_type"] not in EVENT_TYPES:
                raise fail("event_type", f"{rec['event_type']!r} is not one of "
                           + ", ".join(EVENT_TYPES))
            codes = [c.strip() for c in rec["lac_countries"].split(";") if c.strip()]
            unknown = [c for c in codes if c != "LAC" and c not in lac33]
            if unknown or not codes:
                raise fail("lac_countries", f"{', '.join(unknown) or 'nothing'} is not a LAC33 "
                           "ISO3 code (or LAC for the region)")
            if rec["confidence"] not in ("verified", "unverified"):
                raise fail("confidence", f"{rec['confidence']!r} is not verified or unverified")
            event_id = f"{rec['date']}-{slug(rec['title'])}"
            while event_id in ids:
                event_id += "-2"
            ids.add(event_id)
            countries = [c for c in codes if c != "LAC"]
            urls = [u.strip() for u in rec["source"].split(" | ") if u.strip()]
            rows.append((event_id, rec["date"], precision, rec["end_date"] or None, start, end,
                         start.year, rec["event_type"], rec["japanese_actor"], countries,
                         "LAC" in codes, rec["title"], rec["description"], urls,
                         rec["confidence"], rec["notes"] or None))
            links.extend((event_id, c) for c in countries)
    if not rows:
        raise InputError(path, "has no events (a header and nothing else)", line=2,
                         hint="Restore the curated events table.")
    columns = ", ".join(f"{c.name} {c.dtype}" for c in EVENTS.columns)
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE stage_events ({columns})")
    ctx.con.executemany(
        f"INSERT INTO stage_events VALUES ({', '.join('?' for _ in EVENTS.columns)})", rows)
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE stage_event_countries "
                    "(event_id VARCHAR, country_iso3 VARCHAR)")
    ctx.con.executemany("INSERT INTO stage_event_countries VALUES (?, ?)", sorted(set(links)))
    return {"events": "SELECT * FROM stage_events",
            "event_countries": "SELECT * FROM stage_event_countries"}
