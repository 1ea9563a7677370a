"""OECD DAC2A (net ODA by donor and recipient) and CRS (ODA by sector), OECD SDMX API.

Data Explorer API (since 2024), SDMX 2.1 REST, SDMX-CSV 1.0 via ``format=csvfile``:

* DAC2A: ``{base}/data/OECD.DCD.FSD,DSD_DAC2@DF_DAC2A,/{DONOR}.{RECIPIENT}.206.USD.V``
  (dimensions DONOR.RECIPIENT.MEASURE.UNIT_MEASURE.PRICE_BASE; 206 = net ODA disbursements,
  V = current prices);
* CRS: ``{base}/data/OECD.DCD.FSD,DSD_CRS@DF_CRS,/{DONOR}.{RECIPIENT}..100._T._T.D.V._T..``
  (DONOR.RECIPIENT.SECTOR.MEASURE.CHANNEL.MODALITY.FLOW_TYPE.PRICE_BASE.MD_DIM.MD_ID.
  UNIT_MEASURE; 100 = ODA, D = disbursements, MD_DIM _T = semi-aggregates).

Values are OBS_VALUE x 10^UNIT_MULT (6: millions). An empty dataflow version means "latest".
See https://www.oecd.org/en/data/insights/data-explainers/2024/09/api.html.
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
from kakehashi.connectors.core import LAC33, Codes, Unmapped, table
from kakehashi.connectors.http import Fetcher
from kakehashi.connectors.tables import ODA_BY_SECTOR
from kakehashi.provenance import License, Source
from kakehashi.schema.tables import OFFICIAL_FINANCE

DAC2A, CRS = "oecd_dac2a_api", "oecd_crs_api"
LICENSE = "CC BY 4.0"
DONORS = {"JPN": "Japan", "USA": "United States", "KOR": "Korea"}
FLOWS = {"DAC2A": "OECD.DCD.FSD,DSD_DAC2@DF_DAC2A,", "CRS": "OECD.DCD.FSD,DSD_CRS@DF_CRS,"}
REQUIRED = {
    DAC2A: ("DONOR", "RECIPIENT", "MEASURE", "PRICE_BASE", "TIME_PERIOD", "OBS_VALUE",
            "UNIT_MULT"),
    CRS: ("DONOR", "RECIPIENT", "SECTOR", "MEASURE", "FLOW_TYPE", "PRICE_BASE", "MD_DIM",
          "TIME_PERIOD", "OBS_VALUE", "UNIT_MULT"),
}
SUPERSEDES: dict[str, tuple[str, ...]] = {}
_LICENSE = License(LICENSE, "https://www.oecd.org/en/about/terms-conditions.html",
                   "OECD data published from July 2024 are CC BY 4.0.")
SOURCES = {
    DAC2A: Source(
        id=DAC2A, title="OECD DAC2A: net ODA disbursements by donor and recipient (live API)",
        publisher="OECD Development Assistance Committee (DAC)",
        url="https://data-explorer.oecd.org/", origin="https://sdmx.oecd.org/public/rest "
        "(DSD_DAC2@DF_DAC2A, SDMX-CSV)", version="", retrieved="", license=_LICENSE,
        citation="OECD, DAC2A Aid (ODA) disbursements to countries and regions, via the OECD "
                 "Data Explorer API.",
        units="Current US dollars", coverage="Net ODA from Japan, the USA and Korea to each "
        "LAC33 country, for the requested years.",
        caveats="Net of repayments: can be negative.",
        derivation="MEASURE 206, PRICE_BASE V; OBS_VALUE x 10^UNIT_MULT."),
    CRS: Source(
        id=CRS, title="OECD CRS: ODA disbursements by sector (live API, semi-aggregates)",
        publisher="OECD Development Assistance Committee (DAC), Creditor Reporting System",
        url="https://data-explorer.oecd.org/", origin="https://sdmx.oecd.org/public/rest "
        "(DSD_CRS@DF_CRS, SDMX-CSV)", version="", retrieved="", license=_LICENSE,
        citation="OECD, Creditor Reporting System (CRS), via the OECD Data Explorer API.",
        units="Current US dollars", coverage="ODA gross disbursements from Japan, the USA and "
        "Korea to each LAC33 country by CRS sector, for the requested years.",
        caveats="Sector codes are hierarchical; do not add levels together.",
        derivation="MEASURE 100, FLOW_TYPE D, PRICE_BASE V, MD_DIM _T; x 10^UNIT_MULT."),
}


def _url(base: str, flow: str, donors: Sequence[str]) -> str:
    d, r = "+".join(donors), "+".join(LAC33)
    key = f"{d}.{r}.206.USD.V" if flow == "DAC2A" else f"{d}.{r}..100._T._T.D.V._T.."
    return f"{base}/data/{FLOWS[flow]}/{key}"


def fetch(fetcher: Fetcher, years: tuple[int, int], progress: Progress | None = None,
          flows: Sequence[str] = ("DAC2A", "CRS"), donors: Sequence[str] = tuple(DONORS)
          ) -> list[RawRecord]:
    settings = fetcher.settings
    records: list[RawRecord] = []
    for n, flow in enumerate(flows):
        sid = DAC2A if flow == "DAC2A" else CRS
        out = release_dir(settings, sid, date.today().isoformat())
        params = {"startPeriod": str(years[0]), "endPeriod": str(years[1]),
                  "dimensionAtObservation": "AllDimensions", "format": "csvfile"}
        resp = fetcher.get(sid, _url(settings.url("oecd"), flow, donors), params=params,
                           expect="csv")
        path = out / f"{flow}.csv"
        write_raw(path, resp.body)
        list(sdmx.read_rows(path, sid, resp.url, REQUIRED[sid]))  # fail now, not at convert
        records.append(record(sid, path, resp.url, resp.retrieved_at,
                              f"OECD {flow} retrieved {resp.retrieved_at[:10]}", LICENSE))
        if progress:
            progress("oecd", n + 1, len(flows))
    return records


def _iso(row: dict[str, str], col: str, codes: Codes, unmapped: Unmapped, file: str
         ) -> str | None:
    code = row[col]
    if codes.iso3 and code not in codes.iso3:
        if len(code) == 3 and code.isalpha():
            unmapped.add(file, col, code)
        else:
            unmapped.skip(file, col, code)  # OECD region or group code (e.g. DPGC)
        return None
    return code


def to_core(records: Sequence[RawRecord], codes: Codes, unmapped: Unmapped
            ) -> dict[str, pa.Table]:
    finance: dict[tuple[Any, ...], dict[str, Any]] = {}
    sectors: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rec in records:
        for row in sdmx.read_rows(rec.path, rec.source_id, rec.url, REQUIRED[rec.source_id]):
            year = sdmx.year_of(row["TIME_PERIOD"])
            value = sdmx.number(row["OBS_VALUE"], rec.source_id, rec.url)
            if year is None or value is None or row["PRICE_BASE"] != "V":
                continue
            donor = _iso(row, "DONOR", codes, unmapped, rec.path.name)
            recipient = _iso(row, "RECIPIENT", codes, unmapped, rec.path.name)
            if donor is None or recipient is None:
                continue
            usd = value * sdmx.multiplier(row)
            if rec.source_id == DAC2A and row["MEASURE"] == "206":
                finance[(donor, recipient, year)] = {
                    "year": year, "creditor_iso3": donor,
                    "creditor_name": DONORS.get(donor, donor), "creditor_type": "bilateral",
                    "recipient_iso3": recipient, "instrument": "net_oda",
                    "measure": "net_disbursement", "value_usd": usd, "prices": "current",
                    "source_id": DAC2A}
            elif rec.source_id == CRS and row["MEASURE"] == "100" and row["MD_DIM"] == "_T":
                flow_type = {"D": "disbursement", "C": "commitment"}.get(row["FLOW_TYPE"])
                if flow_type is None:
                    continue
                sectors[(donor, recipient, row["SECTOR"], year, flow_type)] = {
                    "year": year, "donor_iso3": donor, "recipient_iso3": recipient,
                    "sector_code": row["SECTOR"], "flow_type": flow_type, "value_usd": usd,
                    "prices": "current", "source_id": CRS}
    if records and not (finance or sectors):
        raise ConnectorError(records[0].source_id, records[0].url, "no observations in the "
                             "responses", "Check --years; the OECD publishes DAC data about "
                             "a year after the year they describe.")
    out: dict[str, pa.Table] = {}
    if finance:
        out["official_finance"] = table(OFFICIAL_FINANCE, finance.values())
    if sectors:
        out["oda_by_sector"] = table(ODA_BY_SECTOR, sectors.values())
    return out
