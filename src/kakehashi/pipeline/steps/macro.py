"""macro_indicators and indicators: World Development Indicators."""

from __future__ import annotations

import re

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import INDICATORS, MACRO_INDICATORS

WDI = "wdi/wdi_selected_indicators.csv.gz"
META = "wdi/wdi_indicators_meta.csv"
INPUTS = (WDI, META)
TABLES = (INDICATORS, MACRO_INDICATORS)

# Units for series whose published name does not end in a parenthesised unit.
UNITS = {"SP.POP.TOTL": "persons"}


def unit_of(code: str, name: str) -> str:
    if code in UNITS:
        return UNITS[code]
    match = re.search(r"\(([^()]*)\)\s*$", name)
    return match.group(1) if match else "see indicator name"


def build(ctx: StepContext) -> dict[str, str]:
    wdi = ctx.read_csv(WDI, "raw_wdi", {"indicator_code": "VARCHAR", "country_code": "VARCHAR",
                                        "year": "SMALLINT", "value": "DOUBLE"})
    meta = ctx.read_csv(META, "raw_wdi_meta", {
        "indicator_code": "VARCHAR", "indicator_name": "VARCHAR", "license": "VARCHAR",
        "first_year": "SMALLINT", "last_year": "SMALLINT"})
    country = ctx.map_column(wdi, "country_code", "wdi", "code")
    units = [(code, unit_of(code, name)) for code, name in
             ctx.con.execute(f"SELECT indicator_code, indicator_name FROM {meta}").fetchall()]
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE wdi_units (code VARCHAR, unit VARCHAR)")
    ctx.con.executemany("INSERT INTO wdi_units VALUES (?, ?)", units)
    return {
        "indicators": f"""
            SELECT m.indicator_code, m.indicator_name AS name, u.unit, m.license,
                   m.first_year, m.last_year
            FROM {meta} m JOIN wdi_units u ON u.code = m.indicator_code""",
        "macro_indicators": f"""
            SELECT w.indicator_code, c.code AS country_iso3, w.year, w.value,
                   'wdi' AS source_id
            FROM {wdi} w LEFT JOIN {country} c ON c.value = w.country_code""",
    }
