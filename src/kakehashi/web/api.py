"""The JSON (and CSV) API: every data response is {data, unit, provenance, notes}."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kakehashi import catalog
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store.reader import Store
from kakehashi.web import asks

router = APIRouter(prefix="/api")

CountryDataset = Callable[[Store, str], Answer]
COUNTRY_DATASETS: dict[str, CountryDataset] = {
    "trade": catalog.country_trade,
    "comparators": catalog.country_comparators,
    "finance": catalog.country_finance,
    "fdi": catalog.country_fdi,
    "growth": catalog.country_growth,
    "un-votes": catalog.un_agreement,
    "events": catalog.country_events,
}
REGION_DATASETS = ("trade", "then-now", "oda", "top-partners")
FORMATS = ("json", "csv")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def country_answer(store: Store, iso3: str, dataset: str) -> Answer:
    fn = COUNTRY_DATASETS.get(dataset)
    if fn is None:
        raise NotFound(f"No country dataset {dataset!r}. Use one of: "
                       + ", ".join(COUNTRY_DATASETS) + ".")
    return fn(store, iso3)


def parse_year(text: str | None, name: str = "year") -> int | None:
    if text is None or text.strip() == "":
        return None
    if not text.strip().isdigit() or len(text.strip()) != 4:
        raise InvalidRequest(f"{name}={text!r} is not a year: write four digits, e.g. "
                             f"{name}=2019.")
    return int(text)


def region_answer(store: Store, dataset: str, *, then: str | None = None,
                  now: str | None = None, year: str | None = None) -> Answer:
    if dataset == "trade":
        return catalog.region_trade(store)
    if dataset == "then-now":
        return asks.thennow(store, "LAC", then, now)
    if dataset == "oda":
        return catalog.region_oda(store)
    if dataset == "top-partners":
        return catalog.top_partners(store, parse_year(year))
    raise NotFound(f"No region dataset {dataset!r}. Use one of: " + ", ".join(REGION_DATASETS)
                   + ".")


# -- responses --------------------------------------------------------------------------------

def respond(answer: Answer, fmt: str, filename: str) -> Response:
    if fmt not in FORMATS:
        raise InvalidRequest(f"format={fmt!r} is not supported: use format=json (default) or "
                             "format=csv.")
    if fmt == "json":
        return JSONResponse(answer.as_dict())
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}.csv"',
        "Link": '</api/sources>; rel="describedby"',
        "X-Kakehashi-Unit": _header_text(answer.unit),
    }
    if answer.provenance:
        headers["X-Kakehashi-Source"] = _header_text(
            " ; ".join(str(p["citation"]) for p in answer.provenance))
        headers["X-Kakehashi-License"] = _header_text(
            " ; ".join(f"{p['source_id']}: {p['license']}" for p in answer.provenance))
    return Response(to_csv(answer), media_type="text/csv; charset=utf-8", headers=headers)


def to_csv(answer: Answer) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = answer.columns
    writer.writerow(columns)
    for row in answer.data:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return " | ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


_HEADER_REPLACEMENTS = {"\u2013": "-", "\u2014": "-", "\u2026": "...", "\u2018": "'",
                        "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00d7": "x"}


def _header_text(text: str) -> str:
    """HTTP headers carry Latin-1 only: fold typography and accents to ASCII."""
    for a, b in _HEADER_REPLACEMENTS.items():
        text = text.replace(a, b)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


# -- endpoints --------------------------------------------------------------------------------

@router.get("/countries")
def api_countries(request: Request, format: str = "json") -> Response:
    return respond(catalog.lac_countries(get_store(request)), format, "kakehashi-countries")


@router.get("/countries/{iso3}")
def api_country(request: Request, iso3: str, format: str = "json") -> Response:
    store = get_store(request)
    row = catalog.country(store, iso3)
    row["datasets"] = {name: f"/api/countries/{row['iso3']}/{name}" for name in COUNTRY_DATASETS}
    answer = Answer([row], catalog.provenance(store, ["country_codes", "cldr"]), "",
                    "Names: English from the country codes, others from CLDR.")
    return respond(answer, format, f"kakehashi-{row['iso3']}")


@router.get("/countries/{iso3}/{dataset}")
def api_country_dataset(request: Request, iso3: str, dataset: str,
                        format: str = "json") -> Response:
    answer = country_answer(get_store(request), iso3, dataset)
    return respond(answer, format, f"kakehashi-{iso3.strip().upper()}-{dataset}")


@router.get("/region/{dataset}")
def api_region_dataset(request: Request, dataset: str, format: str = "json",
                       then: str | None = None, now: str | None = None,
                       year: str | None = None) -> Response:
    answer = region_answer(get_store(request), dataset, then=then, now=now, year=year)
    return respond(answer, format, f"kakehashi-region-{dataset}")


@router.get("/events")
def api_events(request: Request, format: str = "json", type: str | None = None,
               country: str | None = None, from_: str | None = Query(None, alias="from"),
               to: str | None = None) -> Response:
    """Curated events, filtered by type, LAC33 country and year range (from, to)."""
    store = get_store(request)
    answer = catalog.events(store, type or None, country or None,
                            parse_year(from_, "from"), parse_year(to, "to"))
    return respond(answer, format, "kakehashi-events")


@router.get("/sources")
def api_sources(request: Request, format: str = "json") -> Response:
    return respond(catalog.sources(get_store(request)), format, "kakehashi-sources")
