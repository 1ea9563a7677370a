"""The JSON (and CSV) API: every data response is {data, unit, provenance, notes}."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kakehashi import catalog
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store.reader import Store
from kakehashi.web import asks, tilemap
from kakehashi.web import openapi_docs as D
from kakehashi.web.cache import cached

try:
    import orjson
except ImportError:  # pragma: no cover - optional speed-up
    orjson = None  # type: ignore[assignment]

router = APIRouter(prefix="/api/v1", responses=D.RESPONSES)

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
REGION_DATASETS = ("trade", "then-now", "oda", "top-partners", "map")
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
                  now: str | None = None, year: str | None = None,
                  measure: str | None = None) -> Answer:
    if dataset == "trade":
        return catalog.region_trade(store)
    if dataset == "then-now":
        return asks.thennow(store, "LAC", then, now)
    if dataset == "oda":
        return catalog.region_oda(store)
    if dataset == "top-partners":
        return catalog.top_partners(store, parse_year(year))
    if dataset == "map":
        return cached("map", _map, store, measure or tilemap.DEFAULT_MEASURE,
                      asks.period(then, "then", asks.DEFAULT_THEN).label,
                      asks.period(now, "now", asks.DEFAULT_NOW).label)
    raise NotFound(f"No region dataset {dataset!r}. Use one of: " + ", ".join(REGION_DATASETS)
                   + ".")


def _map(store: Store, measure: str, then: str, now: str) -> Answer:
    return tilemap.measure_data(store, measure, catalog.parse_period(then, "then"),
                                catalog.parse_period(now, "now"))


# -- responses --------------------------------------------------------------------------------

def respond(answer: Answer, fmt: str, filename: str) -> Response:
    if fmt not in FORMATS:
        raise InvalidRequest(f"format={fmt!r} is not supported: use format=json (default) or "
                             "format=csv.")
    if fmt == "json":
        return json_response(answer.as_dict())
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}.csv"',
        "Link": '</api/v1/sources>; rel="describedby"',
        "X-Kakehashi-Unit": _header_text(answer.unit),
    }
    if answer.provenance:
        headers["X-Kakehashi-Source"] = _header_text(
            " ; ".join(str(p["citation"]) for p in answer.provenance))
        headers["X-Kakehashi-License"] = _header_text(
            " ; ".join(f"{p['source_id']}: {p['license']}" for p in answer.provenance))
    return Response(to_csv(answer), media_type="text/csv; charset=utf-8", headers=headers)


def json_response(body: dict[str, Any], status: int = 200) -> Response:
    """JSON (orjson when installed: several times faster on large answers)."""
    if orjson is not None:
        content = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
        return Response(content, status_code=status, media_type="application/json")
    return JSONResponse(body, status_code=status)


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

@router.get("/countries", tags=["countries"])
def api_countries(request: Request, format: str = D.FORMAT) -> Response:
    """The 33 LAC countries: ISO codes, names in English, Spanish, Portuguese and Japanese,
    sub-region and capital."""
    return respond(catalog.lac_countries(get_store(request)), format, "kakehashi-countries")


@router.get("/countries/{iso3}", tags=["countries"])
def api_country(request: Request, iso3: str = D.ISO3, format: str = D.FORMAT) -> Response:
    """One country's names and the links to its datasets."""
    store = get_store(request)
    row = catalog.country(store, iso3)
    row["datasets"] = {name: f"/api/v1/countries/{row['iso3']}/{name}" for name in COUNTRY_DATASETS}
    answer = Answer([row], catalog.provenance(store, ["country_codes", "cldr"]), "",
                    "Names: English from the country codes, others from CLDR.")
    return respond(answer, format, f"kakehashi-{row['iso3']}")


@router.get("/countries/{iso3}/{dataset}", tags=["countries"])
def api_country_dataset(request: Request, iso3: str = D.ISO3, dataset: str = D.COUNTRY_DATASET,
                        format: str = D.FORMAT) -> Response:
    """A country's dataset: Japan's trade (trade), Japan's, China's and the USA's trade
    (comparators), Japan's ODA and official loans (finance), FDI from Japan (fdi), GDP growth
    (growth), UN vote agreement (un-votes) or events (events)."""
    answer = country_answer(get_store(request), iso3, dataset)
    return respond(answer, format, f"kakehashi-{iso3.strip().upper()}-{dataset}")


@router.get("/region/{dataset}", tags=["region"])
def api_region_dataset(request: Request, dataset: str = D.REGION_DATASET,
                       format: str = D.FORMAT, then: str | None = D.THEN,
                       now: str | None = D.NOW, year: str | None = D.YEAR,
                       measure: str | None = D.MEASURE) -> Response:
    """The region: trade of Japan, China and the USA with the LAC33 (trade), then vs now
    (then-now, with then and now), Japan's net ODA (oda), Japan's largest partners in a year
    (top-partners, with year), the region map's measure per country, then and now (map, with
    measure, then and now)."""
    answer = region_answer(get_store(request), dataset, then=then, now=now, year=year,
                           measure=measure)
    return respond(answer, format, f"kakehashi-region-{dataset}")


@router.get("/events", tags=["events"])
def api_events(request: Request, format: str = D.FORMAT, type: str | None = D.EVENT_TYPE,
               country: str | None = D.EVENT_COUNTRY, from_: str | None = D.FROM_YEAR,
               to: str | None = D.TO_YEAR) -> Response:
    """Curated events, filtered by type, LAC33 country and year range (from, to)."""
    store = get_store(request)
    answer = catalog.events(store, type or None, country or None,
                            parse_year(from_, "from"), parse_year(to, "to"))
    return respond(answer, format, "kakehashi-events")


@router.get("/sources", tags=["sources"])
def api_sources(request: Request, format: str = D.FORMAT) -> Response:
    """Every source: title, publisher, licence, citation, version, files and row counts."""
    return respond(catalog.sources(get_store(request)), format, "kakehashi-sources")
