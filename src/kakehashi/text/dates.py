"""Dates and date ranges in en/es/pt/ja text, with years inferred from the document's date.

"Aug. 11-19" has no year: with a document date the year that puts it nearest that date is
chosen (``year`` = "inferred"); without one the mention keeps its month and days and is
flagged ``year`` = "unknown" so nothing pretends to know more than the text says.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from kakehashi.text.patterns import trie_regex

_EN = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_EN |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_EN["sept"] = 9
_ES = dict(
    zip(
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        range(1, 13),
        strict=True,
    )
) | {"setiembre": 9}
_PT = dict(
    zip(
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
        range(1, 13),
        strict=True,
    )
) | {"marco": 3}
_PT_ABBR = dict(
    zip(
        ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"],
        range(1, 13),
        strict=True,
    )
)
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}

# month names as tries: one path per position instead of every name (same matches, faster)
_EN_M = r"(?P<m>" + trie_regex(set(_EN)) + r")\.?"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_D2 = r"(?:\s*(?:-|–|to|and)\s*(?P<d2>[0-3]?\d))?"
_Y = r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
_ES_M = r"(?P<m>" + trie_regex(set(_ES) | set(_PT)) + r")"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "ja",
        re.compile(
            r"(?:(?P<era>令和|平成|昭和)(?P<ey>\d{1,2}|元)年|(?P<y>(?:19|20)\d\d)年)?"
            r"(?P<m>1[0-2]|0?[1-9])月(?P<d>[0-3]?\d)日"
            r"(?:(?:から|～|~|-|－)(?:(?P<m2>1[0-2]|0?[1-9])月)?(?P<d2>[0-3]?\d)日)?"
        ),
    ),
    ("ja_month", re.compile(r"(?P<y>(?:19|20)\d\d)年(?P<m>1[0-2]|0?[1-9])月(?!\d)")),
    (
        "en_dmy",
        re.compile(
            r"\b"
            + _D
            + r"(?:\s*(?:-|–)\s*(?P<d2>[0-3]?\d))?\s+"
            + _EN_M
            + r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
            re.IGNORECASE,
        ),
    ),
    ("en_mdy", re.compile(r"\b" + _EN_M + r"\s+" + _D + _D2 + _Y + r"\b", re.IGNORECASE)),
    (
        "es_pt",
        re.compile(
            r"\b(?:del?\s+|dos?\s+)?"
            + _D
            + r"(?:\s*(?:-|–|al|a|y|e)\s*(?P<d2>[0-3]?\d))?\s+de\s+"
            + _ES_M
            + r"(?:\s+de\s+(?P<y>(?:19|20)\d\d))?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "pt_abbr",
        re.compile(
            r"\b(?P<d>[0-3]?\d)(?:-(?P<d2>[0-3]?\d))?\.(?P<m>"
            + "|".join(_PT_ABBR)
            + r")\.(?P<y>(?:19|20)\d\d)\b"
        ),
    ),
    ("month_year", re.compile(r"\b" + _EN_M + r"\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)),
    ("month_year", re.compile(r"\b" + _ES_M + r"\s+de\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    first: date | None
    last: date | None
    year: str  # stated | inferred | unknown
    month: int
    day: int | None
    end_day: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "end_day": self.end_day,
        }


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    if key.isdigit():
        return int(key)
    return _EN.get(key) or _ES.get(key) or _PT.get(key) or _PT_ABBR.get(key) or 0


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _nearest_year(m: int, d: int, ref: date) -> int | None:
    """The year that puts month m, day d nearest to ref; None when no year within one of
    ref has that day (29 February between leap years, or at the ends of the calendar)."""
    candidates = [y for y in (ref.year - 1, ref.year, ref.year + 1) if _safe(y, m, d)]
    if not candidates:
        return None
    return min(candidates, key=lambda y: abs((date(y, m, d) - ref).days))


def find_dates(text: str, published: date | None = None) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    kanji_month = "月" in text
    for kind, pattern in PATTERNS:
        if kind.startswith("ja") and not kanji_month:  # both Japanese patterns need 月
            continue
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mention = _mention(kind, m, published)
            if mention:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def _mention(kind: str, m: re.Match[str], published: date | None) -> DateMention | None:
    g = m.groupdict()
    month = _month(g["m"] or "") if g.get("m") else 0
    if not month:
        return None
    year_s = g.get("y")
    year: int | None = int(year_s) if year_s else None
    if g.get("era"):
        year = _ERAS[g["era"]] + (1 if g["ey"] == "元" else int(g["ey"]))
    if kind in ("month_year", "ja_month"):
        assert year is not None
        last_day = calendar.monthrange(year, month)[1]
        return DateMention(
            m.group(0),
            m.start(),
            m.end(),
            date(year, month, 1),
            date(year, month, last_day),
            "stated",
            month,
            None,
            None,
        )
    day = int(g["d"])
    end_day = int(g["d2"]) if g.get("d2") else None
    end_month = int(g["m2"]) if g.get("m2") else month
    if not 1 <= day <= 31 or (
        end_day is not None and not day <= end_day <= 31 and end_month == month
    ):
        return None
    status = "stated"
    if year is None:
        if published is None:
            return DateMention(
                m.group(0), m.start(), m.end(), None, None, "unknown", month, day, end_day
            )
        nearest = _nearest_year(month, day, published)
        if nearest is None:
            return DateMention(
                m.group(0), m.start(), m.end(), None, None, "unknown", month, day, end_day
            )
        year, status = nearest, "inferred"
    first = _safe(year, month, day)
    # a range that ends in an earlier month ends in the next year (31 December to 2 January)
    end_year = year + 1 if end_day and end_month < month else year
    last = _safe(end_year, end_month, end_day) if end_day else first
    if first is None or last is None:
        return None
    return DateMention(m.group(0), m.start(), m.end(), first, last, status, month, day, end_day)


def parse_date(value: str | None) -> date | None:
    """A document's date from ISO text or an RFC 822 feed date; None when unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None
