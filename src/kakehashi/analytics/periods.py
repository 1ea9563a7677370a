"""Periods (a year or a range averaged) and constant prices from a stated WDI deflator."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from kakehashi.errors import InvalidRequest

FIRST_YEAR, LAST_YEAR = 1960, 2030
DEFLATOR_INDICATOR = "NY.GDP.DEFL.KD.ZG"
DEFLATOR_COUNTRY = "USA"
DEFLATOR_NOTE = (
    "Constant US dollars: deflated with the United States GDP deflator, chained from WDI "
    "series NY.GDP.DEFL.KD.ZG (GDP deflator, annual %), rebased to {base} = 100."
)


@dataclass(frozen=True)
class Period:
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    @property
    def years(self) -> int:
        return self.end - self.start + 1

    @property
    def midpoint(self) -> float:
        return (self.start + self.end) / 2

    def contains(self, year: ir.IntegerValue) -> ir.BooleanValue:
        return year.between(self.start, self.end)


def parse_period(text: str) -> Period:
    """'2019' or '2000-2004' (inclusive); raises InvalidRequest saying what is accepted."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text or "")
    if not match:
        raise InvalidRequest(f"Period {text!r} is not a year (2019) or a range (2000-2004).")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start > end:
        raise InvalidRequest(f"Period {text!r} ends before it starts; write {end}-{start}.")
    if start < FIRST_YEAR or end > LAST_YEAR:
        raise InvalidRequest(f"Period {text!r} is outside {FIRST_YEAR}-{LAST_YEAR}.")
    return Period(start, end)


def deflator(macro: ir.Table, base_year: int) -> ir.Table:
    """(year, deflator_index) with base_year = 100, chained from annual deflator growth."""
    g = macro.filter(
        (macro.indicator_code == DEFLATOR_INDICATOR) & (macro.country_iso3 == DEFLATOR_COUNTRY)
    ).select("year", growth=macro.value)
    w = ibis.window(order_by="year", rows=(None, 0))
    chained = g.mutate(log_level=(1 + g.growth / 100).ln().sum().over(w))
    base = chained.filter(chained.year == base_year).select(base_log=chained.log_level)
    out = chained.cross_join(base)
    return out.select("year", deflator_index=(out.log_level - out.base_log).exp() * 100)


def to_constant(values: ir.Table, macro: ir.Table, base_year: int,
                column: str = "value_usd") -> ir.Table:
    """Replace ``column`` by its value in constant base-year US dollars (rows without a
    deflator for their year are dropped: the deflator starts in 1961)."""
    d = deflator(macro, base_year)
    joined = values.join(d, "year")
    return joined.mutate(**{column: joined[column] * 100 / joined.deflator_index}).drop(
        "deflator_index")
