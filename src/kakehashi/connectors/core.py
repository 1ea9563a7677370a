"""Shaping connector output into the store's tables: exact columns, types and codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from kakehashi.schema.spec import TableSpec

# The 33 CELAC/ECLAC members with their UN M49 codes (checked against `countries` in tests).
LAC33_M49: dict[str, int] = {
    "ATG": 28, "ARG": 32, "BHS": 44, "BRB": 52, "BLZ": 84, "BOL": 68, "BRA": 76, "CHL": 152,
    "COL": 170, "CRI": 188, "CUB": 192, "DMA": 212, "DOM": 214, "ECU": 218, "SLV": 222,
    "GRD": 308, "GTM": 320, "GUY": 328, "HTI": 332, "HND": 340, "JAM": 388, "MEX": 484,
    "NIC": 558, "PAN": 591, "PRY": 600, "PER": 604, "KNA": 659, "LCA": 662, "VCT": 670,
    "SUR": 740, "TTO": 780, "URY": 858, "VEN": 862,
}
LAC33 = tuple(sorted(LAC33_M49))
COMPARATORS = ("JPN", "CHN", "USA", "KOR")

_ARROW = {
    "VARCHAR": pa.string(), "SMALLINT": pa.int16(), "TINYINT": pa.int8(),
    "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
}

# HS chapter -> section (HS 2022; chapter 77 is reserved).
_SECTION_FIRST_CHAPTER = (1, 6, 15, 16, 25, 28, 39, 41, 44, 47, 50, 64, 68, 71, 72, 84, 86, 90,
                          93, 94, 97)


def hs_section(hs2: str) -> int | None:
    if not hs2.isdigit() or not 1 <= int(hs2) <= 97:
        return None
    chapter = int(hs2)
    return sum(1 for first in _SECTION_FIRST_CHAPTER if chapter >= first)


@dataclass(frozen=True)
class Codes:
    """Country codes known to the store, for connectors that publish numeric codes."""

    iso3: frozenset[str] = frozenset()
    m49: Mapping[int, str] = field(default_factory=dict)


@dataclass
class Unmapped:
    """Codes that map to nothing, collected across a conversion and reported together."""

    items: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # Codes deliberately left out (e.g. a publisher's group aggregates): reported, not fatal.
    skipped: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def add(self, file: str, column: str, value: str) -> None:
        key = (file, column, value)
        self.items[key] = self.items.get(key, 0) + 1

    def skip(self, file: str, column: str, value: str) -> None:
        key = (file, column, value)
        self.skipped[key] = self.skipped.get(key, 0) + 1

    def as_list(self) -> list[tuple[str, str, str, int]]:
        return [(f, c, v, n) for (f, c, v), n in sorted(self.items.items())]


def arrow_schema(spec: TableSpec) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.dtype], nullable=c.nullable)
                      for c in spec.columns])


def table(spec: TableSpec, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts by column name) as an Arrow table in the spec's column order and types."""
    rows = list(rows)
    names: Sequence[str] = spec.column_names
    columns = {n: [r.get(n) for r in rows] for n in names}
    return pa.table(columns, schema=arrow_schema(spec))


def years_list(years: tuple[int, int]) -> list[int]:
    first, last = years
    return list(range(first, last + 1))
