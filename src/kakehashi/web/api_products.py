"""Product trade in the API: /api/v1/products/..., each {data, unit, provenance, notes} or CSV.

The parameters are the CLI's (`kakehashi products ...`); every endpoint goes through
`asks_products`, so a bad parameter is a 400 with the message, an unknown country a 404, and
no product data for the question a 404 whose message says how to add them (the bundled
extract covers Mexico only; CEPII BACI files ingested beside the store cover every country).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.openapi.models import Example
from fastapi.responses import Response

from kakehashi.analytics import products
from kakehashi.web import asks, asks_products
from kakehashi.web import openapi_docs as D
from kakehashi.web.api import get_store, respond
from kakehashi.web.api_analytics import _slug

router = APIRouter(prefix="/api/v1/products", tags=["products"], responses=D.RESPONSES)


def _q(description: str, extra: dict[str, Any] | None = None, **examples: str) -> Any:
    return Query(None, description=description, json_schema_extra=extra,
                 openapi_examples={k: Example(summary=v, value=v) for k, v in examples.items()})


_ISO3 = {"pattern": "^[A-Za-z]{3}$"}
_PERIOD = {"pattern": D.PERIOD}
COUNTRY = Query(..., description="ISO3 code of a LAC33 country (case-insensitive). Without "
                                 "CEPII BACI in the product lake only MEX has product data.",
                openapi_examples={"mexico": Example(summary="Mexico", value="MEX"),
                                  "peru": Example(summary="Peru (needs BACI)", value="PER")},
                json_schema_extra=_ISO3)
EXPORTER = Query(..., description="ISO3 code of the exporter (needs BACI).",
                 openapi_examples={"peru": Example(summary="Peru", value="PER"),
                                   "japan": Example(summary="Japan", value="JPN")},
                 json_schema_extra=_ISO3)
REPORTER = _q("JPN (default), CHN or USA: whose trade with the country.",
              {"enum": ["JPN", "CHN", "USA"]}, japan="JPN", china="CHN")
DIRECTION = _q("exports (default: the reporter's exports to the country) or imports (its "
               "imports from it).", {"enum": ["exports", "imports"]}, exports="exports",
               imports="imports")
THEN = _q("The earlier period: a year or a range (default 2015-2016).", _PERIOD,
          range="2015-2016", year="2015")
NOW = _q("The later period (default 2020-2021); it must start after `then` ends.", _PERIOD,
         range="2020-2021", year="2019")
N = _q("How many products (1-100).", {"pattern": r"^\d{1,3}$"}, ten="10", five="5")
MIN_SHARE = _q("Keep products with at least this % of the pair's trade (0-100, default 0.1).",
               {"pattern": r"^\d{1,3}(\.\d+)?$"}, tenth="0.1", one="1")
YEARS = _q("A year or a range of years (default 2015-2021; rca and complementarity "
           "2019-2021).", _PERIOD, range="2015-2021", year="2019")
DIGITS = _q("Product level: 6 (HS6, the lake), 4 (heading) or 2 (chapter); default: the "
            "data's own.", {"enum": ["2", "4", "6"]}, heading="4", chapter="2")
REVISION = _q("Re-code products to this HS revision through a correlation table loaded into "
              "the lake (`kakehashi products concordance`).",
              {"enum": list(asks_products.REVISIONS)}, hs22="HS22")
TARGET = Query("LAC", description="LAC, a sub-region (Caribbean, Central America, South "
                                  "America) or a LAC33 ISO3 code.",
               openapi_examples={"region": Example(summary="The region", value="LAC"),
                                 "peru": Example(summary="Peru", value="PER")})
WEIGHT_PARAMS: list[dict[str, Any]] = [
    {"name": f"w_{name}", "in": "query", "required": False,
     "description": f"Weight of '{text}' ({unit}; 0-{asks.MAX_WEIGHT:g}, default 1).",
     "schema": {"type": "number", "minimum": 0, "maximum": asks.MAX_WEIGHT, "default": 1}}
    for name, text, unit in products.SECTOR_DRIVERS]


def _name(kind: str, *parts: str | None) -> str:
    return "-".join(["kakehashi-products", kind, *(_slug(p) for p in parts if p)])


@router.get("/top")
def api_top(request: Request, country: str = COUNTRY, reporter: str | None = REPORTER,
            direction: str | None = DIRECTION, then: str | None = THEN,
            now: str | None = NOW, n: str | None = N, revision: str | None = REVISION,
            digits: str | None = DIGITS, format: str = D.FORMAT) -> Response:
    """The top products then vs now in one direction of the reporter's trade with a country,
    new (not traded then) and lost (not traded now) flagged; mean value a year."""
    answer = asks_products.top(get_store(request), country, reporter, direction, then, now, n,
                               revision, digits)
    return respond(answer, format, _name("top", country, reporter, direction))


@router.get("/changes")
def api_changes(request: Request, country: str = COUNTRY, reporter: str | None = REPORTER,
                direction: str | None = DIRECTION, then: str | None = THEN,
                now: str | None = NOW, min_share: str | None = MIN_SHARE,
                revision: str | None = REVISION, digits: str | None = DIGITS,
                format: str = D.FORMAT) -> Response:
    """Products new since `then` and products lost by `now`, above a share of the trade."""
    answer = asks_products.changes(get_store(request), country, reporter, direction, then,
                                   now, min_share, revision, digits)
    return respond(answer, format, _name("changes", country, reporter, direction))


@router.get("/sections")
def api_sections(request: Request, country: str = COUNTRY, reporter: str | None = REPORTER,
                 direction: str | None = DIRECTION, then: str | None = THEN,
                 now: str | None = NOW, format: str = D.FORMAT) -> Response:
    """HS section shares then vs now in one direction of the pair's trade."""
    answer = asks_products.sections(get_store(request), country, reporter, direction, then,
                                    now)
    return respond(answer, format, _name("sections", country, reporter, direction))


@router.get("/concentration")
def api_concentration(request: Request, country: str = COUNTRY,
                      reporter: str | None = REPORTER, direction: str | None = DIRECTION,
                      years: str | None = YEARS, digits: str | None = DIGITS,
                      format: str = D.FORMAT) -> Response:
    """Product concentration of the pair's trade by year: HHI over products (1 = one
    product) and the top five products' share."""
    answer = asks_products.concentration(get_store(request), country, reporter, direction,
                                         years, digits)
    return respond(answer, format, _name("concentration", country, reporter, direction))


@router.get("/rca")
def api_rca(request: Request, exporter: str = EXPORTER, years: str | None = YEARS,
            n: str | None = N, digits: str | None = DIGITS,
            format: str = D.FORMAT) -> Response:
    """The exporter's products with the highest revealed comparative advantage (Balassa);
    needs CEPII BACI in the product lake."""
    answer = asks_products.rca(get_store(request), exporter, years, n, digits)
    return respond(answer, format, _name("rca", exporter))


@router.get("/complementarity")
def api_complementarity(request: Request, target: str = TARGET, years: str | None = YEARS,
                        digits: str | None = DIGITS, format: str = D.FORMAT) -> Response:
    """Trade complementarity (Michaely, 0-100) of Japan, China and the USA with each of the
    target's countries, both ways; needs CEPII BACI in the product lake."""
    answer = asks_products.complementarity(get_store(request), target, years, digits)
    return respond(answer, format, _name("complementarity", target))


@router.get("/importance", openapi_extra={"parameters": WEIGHT_PARAMS})
def api_importance(request: Request, target: str = TARGET, reporter: str | None = REPORTER,
                   then: str | None = THEN, now: str | None = NOW,
                   format: str = D.FORMAT) -> Response:
    """The HS sections of the reporter's trade with the target ranked by their importance to
    it, with each driver's value, percentile and contribution (weights w_<driver>, as
    /api/v1/analytics/rank); needs CEPII BACI in the product lake."""
    answer = asks_products.importance(get_store(request), target, reporter, then, now,
                                      request.query_params)
    return respond(answer, format, _name("importance", target, reporter))


@router.get("/coverage")
def api_coverage(request: Request, format: str = D.FORMAT) -> Response:
    """What product data there is: the CEPII BACI lake beside the store (years, rows,
    revision) and the bundled extract (Mexico's HS4 declarations)."""
    return respond(asks_products.coverage(get_store(request)), format,
                   "kakehashi-products-coverage")
