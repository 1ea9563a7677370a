"""IMF International Merchandise Trade Statistics (IMTS, the successor of DOTS), SDMX 3.0.

Endpoint (IMF data portal API, live since 2025):
``{base}/data/dataflow/IMF.STA/IMTS/+/{COUNTRY}.{INDICATOR}.{COUNTERPART_COUNTRY}.{FREQUENCY}``
with ``c[TIME_PERIOD]=ge:Y1+le:Y2`` and ``Accept: application/vnd.sdmx.data+csv;version=2.0.0``
(SDMX-CSV 2.0). Indicators XG_FOB_USD (goods exports, FOB) and MG_CIF_USD (goods imports, CIF);
countries are ISO3 codes. See https://data.imf.org/en/Resource-Pages/IMF-API and
docs/updates.md for how sure we are of each part.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from kakehashi.connectors import sdmx
from kakehashi.connectors.base import (
    ConnectorError,
    Progress,
    RawRecord,
    record,
    release_dir,
    write_raw,
)
from kakehashi.connectors.core import COMPARATORS, LAC33, Codes, Unmapped, table
from kakehashi.connectors.http import Fetcher
from kakehashi.provenance import License, Source
from kakehashi.schema.tables import TRADE_FLOWS

SOURCE_ID = "imf_imts_api"
LICENSE = "IMF terms of use"
FLOWS = {"XG_FOB_USD": ("export", "FOB"), "MG_CIF_USD": ("import", "CIF")}
REQUIRED = ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY", "TIME_PERIOD",
            "OBS_VALUE")
SUPERSEDES: dict[str, tuple[str, ...]] = {}
SOURCES = {SOURCE_ID: Source(
    id=SOURCE_ID, title="International Merchandise Trade Statistics (IMTS), live SDMX 3.0 API",
    publisher="International Monetary Fund (IMF), IMTS (formerly DOTS)",
    url="https://data.imf.org/", origin="https://api.imf.org/external/sdmx/3.0 (SDMX-CSV 2.0)",
    version="", retrieved="", license=License(LICENSE,
                                              "https://www.imf.org/en/about/copyright-and-terms"),
    citation="International Monetary Fund, International Merchandise Trade Statistics (IMTS), "
             "dataflow IMF.STA:IMTS, via the IMF SDMX 3.0 API.",
    units="Current US dollars (OBS_VALUE times 10^SCALE when the SCALE attribute is present)",
    coverage="Annual goods exports FOB and imports CIF reported by the LAC33, Japan, China, the "
             "USA and Korea, by partner, for the requested years.",
    caveats="IMF group aggregates (non-ISO3 partner codes) are left out and listed in the "
            "update report. value_basis is 'reported' (the API's estimate flag is not read).",
    derivation="Rows of FREQUENCY A with XG_FOB_USD or MG_CIF_USD; values scaled to US dollars.",
)}


def _key(reporter: str, indicator: str) -> str:
    return f"{reporter}.{indicator}.*.A"


def fetch(fetcher: Fetcher, years: tuple[int, int], progress: Progress | None = None,
          reporters: Sequence[str] = (*COMPARATORS, *LAC33)) -> list[RawRecord]:
    settings = fetcher.settings
    out = release_dir(settings, SOURCE_ID, date.today().isoformat())
    headers = {"Accept": sdmx.CSV_ACCEPT_V2}
    if settings.imf_key:
        headers["Ocp-Apim-Subscription-Key"] = settings.imf_key
    records: list[RawRecord] = []
    jobs = [(r, i) for r in reporters for i in FLOWS]
    for n, (reporter, indicator) in enumerate(jobs):
        url = f"{settings.url('imf')}/data/dataflow/IMF.STA/IMTS/+/{_key(reporter, indicator)}"
        resp = fetcher.get(SOURCE_ID, url, headers=headers, expect="csv",
                           params={"c[TIME_PERIOD]": f"ge:{years[0]}+le:{years[1]}"})
        path = out / f"IMTS_{reporter}_{indicator}.csv"
        write_raw(path, resp.body)
        rec = record(SOURCE_ID, path, resp.url, resp.retrieved_at,
                     f"IMF.STA:IMTS retrieved {resp.retrieved_at[:10]}", LICENSE,
                     years=list(years))
        list(sdmx.read_rows(path, SOURCE_ID, resp.url, REQUIRED))  # fail now, not at convert
        records.append(rec)
        if progress:
            progress("imf", n + 1, len(jobs))
    return records


def to_core(records: Sequence[RawRecord], codes: Codes, unmapped: Unmapped
            ) -> dict[str, pa.Table]:
    rows: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for rec in records:
        years = rec.extra.get("years")
        for row in sdmx.read_rows(rec.path, SOURCE_ID, rec.url, REQUIRED):
            year = sdmx.year_of(row["TIME_PERIOD"])
            if row["FREQUENCY"] != "A" or year is None or row["INDICATOR"] not in FLOWS:
                continue
            if years and not years[0] <= year <= years[1]:
                continue
            value = sdmx.number(row["OBS_VALUE"], SOURCE_ID, rec.url)
            if value is None:
                continue
            sides = []
            for col in ("COUNTRY", "COUNTERPART_COUNTRY"):
                code = row[col]
                if not (len(code) == 3 and code.isalpha()):
                    unmapped.skip(rec.path.name, col, code)  # IMF group aggregate
                elif codes.iso3 and code not in codes.iso3:
                    unmapped.add(rec.path.name, col, code)
                else:
                    sides.append(code)
            if len(sides) != 2:
                continue
            flow, valuation = FLOWS[row["INDICATOR"]]
            rows[(sides[0], sides[1], flow, year)] = {
                "reporter_iso3": sides[0], "partner_iso3": sides[1], "flow": flow,
                "year": year, "month": None, "value_usd": value * sdmx.multiplier(row),
                "valuation": valuation, "value_basis": "reported", "source_id": SOURCE_ID}
    if not rows and records:
        raise ConnectorError(SOURCE_ID, records[0].url, "no annual observations in the "
                             "responses", "Check --years; the IMF may not have published "
                             "them yet.")
    return {"trade_flows": table(TRADE_FLOWS, rows.values())}
