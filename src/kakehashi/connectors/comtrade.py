"""UN Comtrade API v1: annual trade by HS chapter, Japan, China and the USA with the LAC33.

With a subscription key (env ``COMTRADE_API_KEY``, sent as ``Ocp-Apim-Subscription-Key``):
``{base}/data/v1/get/C/A/HS`` (free tier: 500 calls a day, up to 100,000 records a call).
Without one, the guest endpoint ``{base}/public/v1/preview/C/A/HS`` (at most 500 records a
call), so requests are split finer and paced. Response: ``{"count", "data": [...], "error"}``;
see https://comtradedeveloper.un.org/ and https://uncomtrade.org/docs/.
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
from kakehashi.connectors.core import LAC33_M49, Codes, Unmapped, table, years_list
from kakehashi.connectors.http import Fetcher
from kakehashi.connectors.tables import TRADE_BY_CHAPTER
from kakehashi.provenance import License, Source
from kakehashi.schema.tables import TRADE_FLOWS

SOURCE_ID = "comtrade_api"
LICENSE = "UN Comtrade terms of use"
REPORTERS = {"JPN": 392, "CHN": 156, "USA": 842}
# Comtrade's own numeric codes that differ from UN M49.
SPECIAL_CODES = {842: "USA", 251: "FRA", 699: "IND", 757: "CHE", 579: "NOR"}
GUEST_CAP, KEY_CAP = 500, 100_000
RECORDS_PER_PARTNER_YEAR = 2 * 98  # two flows x (TOTAL + chapters)
FIELDS = ("reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
SUPERSEDES: dict[str, tuple[str, ...]] = {}
SOURCES = {SOURCE_ID: Source(
    id=SOURCE_ID, title="UN Comtrade: annual trade by HS chapter (live API v1)",
    publisher="United Nations Statistics Division, UN Comtrade",
    url="https://comtradeplus.un.org/", origin="https://comtradeapi.un.org (API v1, JSON)",
    version="", retrieved="", license=License(LICENSE, "https://uncomtrade.org/docs/"
                                              "policy-on-use-of-data/"),
    citation="United Nations, UN Comtrade database, via the Comtrade API v1.",
    units="Current US dollars (primaryValue)",
    coverage="Japan, China and the USA as reporters with the 33 LAC partners: totals "
             "(trade_flows) and HS chapters (trade_by_chapter), exports and imports.",
    caveats="As reported by the reporter; China and the USA report imports CIF (the USA: "
            "customs value is not distinguished here).",
    derivation="cmdCode TOTAL to trade_flows, 2-digit chapters to trade_by_chapter; "
               "partner2Code 0, customsCode C00, motCode 0 (totals) only.",
)}


def _batches(years: list[int], partners: list[int], cap: int) -> list[tuple[list[int],
                                                                            list[int]]]:
    """Split (years x partners) so each call stays well under the record cap."""
    budget = int(cap * 0.9) // RECORDS_PER_PARTNER_YEAR
    if budget >= len(partners):
        per = max(1, budget // len(partners))
        return [(years[i:i + per], partners) for i in range(0, len(years), per)]
    per = max(1, budget)
    return [([y], partners[i:i + per]) for y in years for i in range(0, len(partners), per)]


def fetch(fetcher: Fetcher, years: tuple[int, int], progress: Progress | None = None,
          reporters: Sequence[str] = tuple(REPORTERS)) -> list[RawRecord]:
    settings = fetcher.settings
    key = settings.comtrade_key
    cap = KEY_CAP if key else GUEST_CAP
    path_part = "data/v1/get/C/A/HS" if key else "public/v1/preview/C/A/HS"
    headers = {"Ocp-Apim-Subscription-Key": key} if key else {}
    out = release_dir(settings, SOURCE_ID, date.today().isoformat())
    partners = sorted(LAC33_M49.values())
    jobs = [(r, ys, ps) for r in reporters for ys, ps in _batches(years_list(years), partners,
                                                                   cap)]
    records: list[RawRecord] = []
    for n, (reporter, ys, ps) in enumerate(jobs):
        url = f"{settings.url('comtrade')}/{path_part}"
        params = {"reporterCode": str(REPORTERS[reporter]),
                  "period": ",".join(map(str, ys)), "partnerCode": ",".join(map(str, ps)),
                  "cmdCode": "TOTAL,AG2", "flowCode": "X,M", "partner2Code": "0",
                  "customsCode": "C00", "motCode": "0", "includeDesc": "true"}
        if key:
            params["maxRecords"] = str(cap)
        resp = fetcher.get(SOURCE_ID, url, params=params, headers=headers, expect="json")
        count = len(_parse(resp.body, resp.url))
        if count >= cap:
            raise ConnectorError(SOURCE_ID, resp.url, f"the answer holds {count} records, the "
                                 f"cap for this mode, so it may be cut short",
                                 "Narrow --years, or set COMTRADE_API_KEY for larger calls.")
        path = out / f"comtrade_{reporter}_{ys[0]}-{ys[-1]}_{ps[0]}-{ps[-1]}.json"
        write_raw(path, resp.body)
        records.append(record(SOURCE_ID, path, resp.url, resp.retrieved_at,
                              f"Comtrade API v1 retrieved {resp.retrieved_at[:10]}", LICENSE,
                              mode="subscription" if key else "guest"))
        if progress:
            progress("comtrade", n + 1, len(jobs))
    return records


def _parse(body: bytes, url: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ConnectorError(SOURCE_ID, url, f"the JSON is malformed ({exc.msg}); the body "
                             "may be truncated", "Run the update again.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise ConnectorError(SOURCE_ID, url, "unexpected JSON shape (expected {count, data, "
                             "error})", "The API changed; see docs/updates.md.")
    if doc.get("error"):
        raise ConnectorError(SOURCE_ID, url, f"the API answered with an error: "
                             f"{doc['error']}", "Check the parameters and your key.")
    data: list[dict[str, Any]] = doc["data"]
    for row in data[:1]:
        missing = [f for f in FIELDS if f not in row]
        if missing:
            raise ConnectorError(SOURCE_ID, url, f"records lack field(s) {missing}; they have "
                                 f"{sorted(row)}", "The API changed its record format; "
                                 "update the connector (see docs/updates.md).")
    return data


def _iso3(row: dict[str, Any], side: str, codes: Codes) -> str | None:
    iso = row.get(f"{side}ISO") or ""
    if iso and (not codes.iso3 or iso in codes.iso3):
        return str(iso)
    num = int(row[f"{side}Code"])
    return SPECIAL_CODES.get(num) or codes.m49.get(num)


def to_core(records: Sequence[RawRecord], codes: Codes, unmapped: Unmapped
            ) -> dict[str, pa.Table]:
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    chapters: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rec in records:
        for row in _parse(rec.path.read_bytes(), rec.url):
            if str(row.get("partner2Code", 0)) not in ("0", "None") \
                    or row.get("customsCode", "C00") != "C00" \
                    or str(row.get("motCode", 0)) != "0":
                continue
            flow = {"X": "export", "M": "import"}.get(str(row["flowCode"]))
            if flow is None or row["primaryValue"] is None:
                continue
            sides = []
            for side in ("reporter", "partner"):
                iso = _iso3(row, side, codes)
                if iso is None:
                    unmapped.add(rec.path.name, f"{side}Code", str(row[f"{side}Code"]))
                sides.append(iso)
            if None in sides:
                continue
            reporter, partner = str(sides[0]), str(sides[1])
            year = int(row.get("refYear") or str(row["period"])[:4])
            base = {"reporter_iso3": reporter, "partner_iso3": partner, "flow": flow,
                    "year": year, "value_usd": float(row["primaryValue"]),
                    "valuation": "FOB" if flow == "export" else "CIF", "source_id": SOURCE_ID}
            cmd = str(row["cmdCode"])
            if cmd == "TOTAL":
                totals[(reporter, partner, flow, year)] = {**base, "month": None,
                                                           "value_basis": "reported"}
            elif len(cmd) == 2 and cmd.isdigit():
                chapters[(reporter, partner, flow, year, cmd)] = {
                    **base, "hs2": cmd, "hs2_description": row.get("cmdDesc")}
    return {"trade_flows": table(TRADE_FLOWS, totals.values()),
            "trade_by_chapter": table(TRADE_BY_CHAPTER, chapters.values())}
