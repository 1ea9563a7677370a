"""World Bank World Development Indicators, API v2 (JSON).

Endpoint: ``{base}/country/all/indicator/{code}?format=json&per_page=N&date=A:B&page=P``,
answering ``[{"page", "pages", "per_page", "total", "lastupdated", ...}, [rows]]``; errors come
as ``[{"message": [{"id", "key", "value"}]}]`` with HTTP 200. Documented at
https://datahelpdesk.worldbank.org/knowledgebase/articles/898581 (basic call structure) and
https://datahelpdesk.worldbank.org/knowledgebase/articles/889392 (indicator queries).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from kakehashi.connectors.base import (
    ConnectorError,
    Progress,
    RawRecord,
    record,
    release_dir,
    write_raw,
)
from kakehashi.connectors.core import LAC33, Codes, Unmapped, table
from kakehashi.connectors.http import Fetcher
from kakehashi.provenance import License, Source
from kakehashi.schema.tables import MACRO_INDICATORS, OFFICIAL_FINANCE

SOURCE_ID = "wdi_api"
LICENSE = "CC BY 4.0"
INDICATORS = (
    "NY.GDP.MKTP.CD", "NY.GDP.MKTP.KD.ZG", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.KD.ZG", "SP.POP.TOTL",
    "SP.POP.GROW", "BX.KLT.DINV.CD.WD", "DT.ODA.ODAT.CD", "DT.ODA.ODAT.GN.ZS",
    "TX.VAL.MRCH.CD.WT", "TM.VAL.MRCH.CD.WT", "NE.EXP.GNFS.ZS", "NE.IMP.GNFS.ZS",
    "TG.VAL.TOTL.GD.ZS", "TX.VAL.MMTL.ZS.UN", "TX.VAL.FUEL.ZS.UN", "PA.NUS.FCRF",
    "NY.GDP.DEFL.KD.ZG", "DT.DOD.DECT.CD", "BX.TRF.PWKR.CD.DT", "TT.PRI.MRCH.XD.WD",
)
JAPAN_ODA = "DC.DAC.JPNL.CD"  # Net bilateral aid flows from DAC donors, Japan (current US$)
PER_PAGE = 20000
SUPERSEDES = {"macro_indicators": ("wdi",)}
SOURCES = {SOURCE_ID: Source(
    id=SOURCE_ID, title="World Development Indicators (live, World Bank API v2)",
    publisher="World Bank, World Development Indicators (WDI)",
    url="https://data.worldbank.org/", origin="https://api.worldbank.org/v2 (JSON)",
    version="", retrieved="", license=License(LICENSE,
                                              "https://creativecommons.org/licenses/by/4.0/"),
    citation="World Bank, World Development Indicators, via the World Bank API v2.",
    units="Per indicator (see indicators.unit); DC.DAC.JPNL.CD in current US$",
    coverage="The 21 bundled WDI indicators for all economies and aggregates, and Japan's net "
             "bilateral ODA to the LAC33 and LCN, for the requested years.",
    caveats="Latest years are provisional and revised with each release.",
    derivation="Rows with a null value are skipped; countryiso3code is the entity code.",
)}


def _parse(body: bytes, url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ConnectorError(SOURCE_ID, url, f"the JSON is malformed ({exc.msg} at char "
                             f"{exc.pos}); the body may be truncated", "Run the update "
                             "again; if it persists the API is failing.") from None
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "message" in doc[0]:
        msgs = "; ".join(f"{m.get('key')}: {m.get('value')}" for m in doc[0]["message"])
        raise ConnectorError(SOURCE_ID, url, f"the API answered with an error: {msgs}",
                             "Check the indicator code and the years (--years).")
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)
            and "pages" in doc[0]):
        raise ConnectorError(SOURCE_ID, url, "unexpected JSON shape (expected "
                             "[{page, pages, ...}, [rows]])", "The API changed; see "
                             "docs/updates.md.")
    rows = doc[1] or []
    for row in rows[:1]:
        missing = [k for k in ("indicator", "countryiso3code", "date", "value") if k not in row]
        if missing:
            raise ConnectorError(SOURCE_ID, url, f"rows lack field(s) {missing}; they have "
                                 f"{sorted(row)}", "The API changed its row format; update "
                                 "the connector (see docs/updates.md).")
    return doc[0], rows


def fetch(fetcher: Fetcher, years: tuple[int, int], progress: Progress | None = None,
          indicators: Sequence[str] = (*INDICATORS, JAPAN_ODA)) -> list[RawRecord]:
    settings = fetcher.settings
    out = release_dir(settings, SOURCE_ID, date.today().isoformat())
    records: list[RawRecord] = []
    for n, code in enumerate(indicators):
        page, pages = 1, 1
        while page <= pages:
            url = f"{settings.url('wdi')}/country/all/indicator/{code}"
            params = {"format": "json", "per_page": str(PER_PAGE),
                      "date": f"{years[0]}:{years[1]}", "page": str(page)}
            resp = fetcher.get(SOURCE_ID, url, params=params, expect="json")
            head, _ = _parse(resp.body, resp.url)
            pages = int(head.get("pages") or 0)
            path = out / f"{code}_p{page}.json"
            write_raw(path, resp.body)
            records.append(record(SOURCE_ID, path, resp.url, resp.retrieved_at,
                                  f"WDI {head.get('lastupdated', 'unknown')}", LICENSE,
                                  indicator=code))
            page += 1
        if progress:
            progress("wdi", n + 1, len(indicators))
    return records


def to_core(records: Sequence[RawRecord], codes: Codes, unmapped: Unmapped
            ) -> dict[str, pa.Table]:
    macro: dict[tuple[str, str, int], dict[str, Any]] = {}
    oda: dict[tuple[str, int], dict[str, Any]] = {}
    lac = set(LAC33) | {"LCN"}
    for rec in records:
        _, rows = _parse(rec.path.read_bytes(), rec.url)
        for row in rows:
            if row["value"] is None:
                continue
            code = row["indicator"]["id"]
            iso3 = row["countryiso3code"] or ""
            if not iso3 or (codes.iso3 and iso3 not in codes.iso3):
                unmapped.add(rec.path.name, "countryiso3code",
                             iso3 or f"(empty; country.id={row['country'].get('id')})")
                continue
            year = int(row["date"])
            if code == JAPAN_ODA:
                if iso3 in lac:
                    oda[(iso3, year)] = {
                        "year": year, "creditor_iso3": "JPN", "creditor_name": "Japan",
                        "creditor_type": "bilateral", "recipient_iso3": iso3,
                        "instrument": "net_oda", "measure": "net_disbursement",
                        "value_usd": float(row["value"]), "prices": "current",
                        "source_id": SOURCE_ID}
            else:
                macro[(code, iso3, year)] = {"indicator_code": code, "country_iso3": iso3,
                                             "year": year, "value": float(row["value"]),
                                             "source_id": SOURCE_ID}
    out = {"macro_indicators": table(MACRO_INDICATORS, macro.values())}
    if oda:
        out["official_finance"] = table(OFFICIAL_FINANCE, oda.values())
    return out
