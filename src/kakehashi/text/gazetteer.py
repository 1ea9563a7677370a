"""Names to look for in text: LAC33 countries, blocs, organisations and Japanese officials.

Every list is a CSV in ``text/data`` (authored by hand, facts only) and compiled once into
regular expressions. Latin-script aliases match on word boundaries, case-sensitively, with or
without accents; Japanese aliases match as substrings. The longest alias wins.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from kakehashi.text import verbs
from kakehashi.text.patterns import Cue, trie_regex

DATA_DIR = Path(__file__).resolve().parent / "data"
LAC33 = [
    "ARG",
    "ATG",
    "BHS",
    "BLZ",
    "BOL",
    "BRA",
    "BRB",
    "CHL",
    "COL",
    "CRI",
    "CUB",
    "DMA",
    "DOM",
    "ECU",
    "GRD",
    "GTM",
    "GUY",
    "HND",
    "HTI",
    "JAM",
    "KNA",
    "LCA",
    "MEX",
    "NIC",
    "PAN",
    "PER",
    "PRY",
    "SLV",
    "SUR",
    "TTO",
    "URY",
    "VCT",
    "VEN",
]


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _is_cjk(text: str) -> bool:
    return any(ord(c) > 0x2E80 for c in text)


def _inflections(alias: str, lang: str, kind: str) -> set[str]:
    """Demonyms agree in gender and number (es/pt) or take a plural -s (en)."""
    forms = {alias}
    if kind == "demonym" and lang in ("es", "pt"):
        if alias.endswith("o"):
            stem = alias[:-1]
            forms |= {stem + "a", stem + "os", stem + "as"}
        elif alias.endswith("e"):
            forms.add(alias + "s")
        elif alias.endswith(("ñol", "ês")):
            forms.add(alias + "es")
        forms |= {f[:1].upper() + f[1:] for f in list(forms)}
    elif kind == "demonym" and lang == "en":
        forms.add(alias + "s")
    return forms


@dataclass(frozen=True)
class Matcher:
    """One compiled alternation mapping each matched alias to its key."""

    pattern: re.Pattern[str]
    keys: dict[str, str]

    def finditer(self, text: str) -> list[tuple[str, int, int, str]]:
        found = []
        for m in self.pattern.finditer(text):
            key = self.keys.get(m.group(0)) or self.keys.get(strip_accents(m.group(0)))
            if key:
                found.append((key, m.start(), m.end(), m.group(0)))
        return found


def build_matcher(pairs: list[tuple[str, str]], *, ignore_case: bool = False) -> Matcher:
    """Compile (alias, key) pairs: longest alias first, word boundaries for Latin script."""
    keys: dict[str, str] = {}
    for alias, key in pairs:
        for form in {alias, strip_accents(alias)}:
            keys.setdefault(form.lower() if ignore_case else form, key)
    latin = {a for a in keys if not _is_cjk(a)}
    cjk = {a for a in keys if _is_cjk(a)}
    parts = []
    if latin:  # a trie tries the longest alias first, like a longest-first alternation
        parts.append("(?:" + trie_regex(latin, not_after=r"[\w-]") + r")(?![\w])")
    if cjk:
        parts.append(trie_regex(cjk))
    pattern = re.compile("|".join(parts), re.IGNORECASE if ignore_case else 0)
    if ignore_case:
        keys = {k.lower(): v for k, v in keys.items()}
        return _CaseFolded(pattern, keys)
    return Matcher(pattern, keys)


class _CaseFolded(Matcher):
    def finditer(self, text: str) -> list[tuple[str, int, int, str]]:
        found = []
        for m in self.pattern.finditer(text):
            word = m.group(0).lower()
            key = self.keys.get(word) or self.keys.get(strip_accents(word))
            if key:
                found.append((key, m.start(), m.end(), m.group(0)))
        return found


@lru_cache(maxsize=1)
def countries() -> Matcher:
    pairs: list[tuple[str, str]] = []
    for row in read_csv("countries.csv"):
        for form in _inflections(row["alias"], row["lang"], row["kind"]):
            pairs.append((form, row["iso3"]))
    # Phrases that contain a country name but mean something else map to "" (ignored).
    pairs += [(row["phrase"], "") for row in read_csv("stop_aliases.csv")]
    return build_matcher(pairs)


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """The capitals and cities among the country aliases (not names or demonyms)."""
    return frozenset(r["alias"] for r in read_csv("countries.csv")
                     if r["kind"] in ("capital", "city"))


def aliases(iso3: str) -> list[str]:
    """A country's names, demonyms and capitals in every language of countries.csv."""
    return [r["alias"] for r in read_csv_cached("countries.csv") if r["iso3"] == iso3]


@lru_cache(maxsize=8)
def read_csv_cached(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_csv(name))


@lru_cache(maxsize=1)
def blocs() -> Matcher:
    return build_matcher([(r["alias"], r["bloc"]) for r in read_csv("blocs.csv")])


@lru_cache(maxsize=1)
def organisations() -> Matcher:
    return build_matcher([(r["alias"], r["key"]) for r in read_csv("organisations.csv")])


@lru_cache(maxsize=1)
def display_names() -> dict[str, str]:
    """Each organisation's first alias in the CSV (its usual name) and each country's."""
    names: dict[str, str] = {}
    for r in read_csv("organisations.csv"):
        names.setdefault(r["key"], r["alias"])
    for r in read_csv("countries.csv"):
        if r["lang"] == "en" and r["kind"] == "name":
            names.setdefault(r["iso3"], r["alias"])
    return names


@lru_cache(maxsize=1)
def japanese_organisations() -> frozenset[str]:
    return frozenset(r["key"] for r in read_csv("organisations.csv") if r["japanese"] == "yes")


@dataclass(frozen=True)
class Official:
    role: str  # PM | FM
    name_en: str
    surname_en: str
    name_ja: str
    surname_ja: str
    start: date
    end: date | None

    def in_office(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and (self.end is None or first < self.end)


@lru_cache(maxsize=1)
def officials() -> tuple[Official, ...]:
    return tuple(
        Official(
            r["role"],
            r["name_en"],
            r["surname_en"],
            r["name_ja"],
            r["surname_ja"],
            date.fromisoformat(r["start"]),
            date.fromisoformat(r["end"]) if r["end"] else None,
        )
        for r in read_csv("japan_officials.csv")
    )


def office_holder(role: str, day: date) -> Official | None:
    for o in officials():
        if o.role == role and o.in_office(day):
            return o
    return None


@lru_cache(maxsize=1)
def themes() -> dict[str, Cue]:
    """Theme patterns, lower-cased: apply them to lower-cased text (faster than IGNORECASE)."""
    return {r["theme"]: Cue.compile(r["pattern"]) for r in read_csv("themes.csv")}


@lru_cache(maxsize=1)
def event_cues() -> list[tuple[str, int, Cue]]:
    """Event cues, lower-cased like the themes (so they ignore case); ``{es:verb}`` and
    ``{pt:verb}`` in a pattern stand for the verb's forms (see ``verbs``)."""
    cues = []
    for line, r in enumerate(read_csv("event_cues.csv"), start=2):
        try:
            pattern = verbs.expand(r["pattern"])
        except verbs.UnknownVerb as exc:
            raise verbs.UnknownVerb(f"{DATA_DIR / 'event_cues.csv'} line {line}: {exc}") from None
        cues.append((r["event_type"], int(r["weight"]), Cue.compile(pattern)))
    return cues


THEMES = (
    "trade",
    "investment",
    "finance_lending",
    "oda_cooperation",
    "infrastructure",
    "innovation_technology",
    "value_chains",
    "energy_mining",
    "food_agriculture",
    "health_covid",
    "diplomacy_security",
    "migration_nikkei",
    "environment_climate",
    "us_japan_cooperation",
    "china_competition",
)
EVENT_TYPES = (
    "visit",
    "meeting",
    "agreement_signed",
    "agreement_in_force",
    "financing",
    "forum",
    "other",
)
