"""countries: ISO economies (datahub country-codes), LAC33 flags, CLDR names, other entities."""

from __future__ import annotations

import csv
from typing import Any

import babel
from babel import Locale

from kakehashi.config import CODES_DIR
from kakehashi.pipeline.codes import EntityIndex
from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import COUNTRIES

INPUTS = (
    "reference/country_codes.csv",
    "reference/lac33_countries.csv",
    "reference/ots_countries.csv",
)
TABLES = (COUNTRIES,)
COMPARATORS = ("JPN", "CHN", "USA", "KOR", "EUU")
LANGUAGES = ("en", "es", "pt", "ja")
# CLDR territory codes for entities that CLDR names although they are not ISO economies.
CLDR_TERRITORY = {"WLD": "001", "EUU": "EU", "EMU": "EZ", "LCN": "419", "XKX": "XK"}


def cldr_version() -> str:
    return f"Babel {babel.__version__}"


def _names(territory: str | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for lang in LANGUAGES:
        out[lang] = Locale(lang).territories.get(territory) if territory else None
    return out


def build(ctx: StepContext) -> dict[str, str]:
    cc = ctx.read_csv(
        "reference/country_codes.csv",
        "raw_country_codes",
        {"ISO3166-1-Alpha-3": "VARCHAR", "ISO3166-1-Alpha-2": "VARCHAR", "M49": "INTEGER",
         "Region Name": "VARCHAR", "Sub-region Name": "VARCHAR", "Capital": "VARCHAR",
         "CLDR display name": "VARCHAR", "UNTERM English Short": "VARCHAR",
         "UNTERM English Formal": "VARCHAR", "official_name_en": "VARCHAR"},
    )
    lac = ctx.read_csv("reference/lac33_countries.csv", "raw_lac33",
                       {"iso3": "VARCHAR", "intermediate_region": "VARCHAR"})
    ots = ctx.read_csv("reference/ots_countries.csv", "raw_ots_countries",
                       {"country_iso": "VARCHAR", "country_name_english": "VARCHAR",
                        "country_fullname_english": "VARCHAR"})
    lac_sub = dict(ctx.con.execute(f"SELECT iso3, intermediate_region FROM {lac}").fetchall())
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for iso3, iso2, m49, region, sub, capital, cldr_name, short_en in ctx.con.execute(
        f'SELECT "ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "M49", "Region Name", '
        f'"Sub-region Name", "Capital", "CLDR display name", "UNTERM English Short" FROM {cc} '
        f'WHERE "ISO3166-1-Alpha-3" IS NOT NULL ORDER BY 1'
    ).fetchall():
        names = _names(iso2)
        rows.append({
            "iso3": iso3, "iso2": iso2, "m49": m49,
            "name_en": names["en"] or cldr_name or short_en,
            "name_es": names["es"], "name_pt": names["pt"], "name_ja": names["ja"],
            "kind": "economy", "region": region, "sub_region": sub,
            "lac_subregion": lac_sub.get(iso3), "capital": capital,
            "is_lac33": iso3 in lac_sub, "is_comparator": iso3 in COMPARATORS,
        })
        seen.add(iso3)
    with (CODES_DIR / "entities.csv").open(encoding="utf-8", newline="") as fh:
        for entity in csv.DictReader(fh):
            code = entity["code"]
            names = _names(CLDR_TERRITORY.get(code))
            rows.append({
                "iso3": code, "iso2": None, "m49": None,
                "name_en": names["en"] if code in CLDR_TERRITORY else entity["name_en"],
                "name_es": names["es"], "name_pt": names["pt"], "name_ja": names["ja"],
                "kind": entity["kind"], "region": None, "sub_region": None,
                "lac_subregion": None, "capital": None,
                "is_lac33": False, "is_comparator": code in COMPARATORS,
            })
            seen.add(code)
    missing_lac = sorted(set(lac_sub) - seen)
    if missing_lac:
        from kakehashi.errors import InputError

        raise InputError(ctx.path("reference/lac33_countries.csv"),
                         f"LAC33 codes not in country_codes.csv: {', '.join(missing_lac)}")
    columns = COUNTRIES.column_names
    ctx.con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_countries ("
        + ", ".join(f"{c.name} {c.dtype}" for c in COUNTRIES.columns) + ")"
    )
    ctx.con.executemany(
        f"INSERT INTO stage_countries VALUES ({', '.join('?' for _ in columns)})",
        [tuple(r[c] for c in columns) for r in rows],
    )
    index = EntityIndex(
        codes=set(seen),
        iso2={r["iso2"]: r["iso3"] for r in rows if r["iso2"]},
        names={},
    )
    index.add_names((r["name_en"], r["iso3"]) for r in rows)
    for col in ("CLDR display name", "UNTERM English Short", "UNTERM English Formal",
                "official_name_en"):
        index.add_names(ctx.con.execute(
            f'SELECT "{col}", "ISO3166-1-Alpha-3" FROM {cc}').fetchall())
    for col in ("country_name_english", "country_fullname_english"):
        index.add_names(
            (name, iso.upper())
            for name, iso in ctx.con.execute(f"SELECT {col}, country_iso FROM {ots}").fetchall()
            if iso and iso.upper() in seen
        )
    ctx.index = index
    return {"countries": "SELECT * FROM stage_countries"}
