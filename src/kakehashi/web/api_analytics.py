"""The analytics in the API: /api/analytics/..., each {data, unit, provenance, notes} or CSV.

Every endpoint calls `kakehashi.questions` (through `asks`, which checks the parameters); a
bad parameter is a 400 with the message, an unknown target or event a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.openapi.models import Example
from fastapi.responses import Response

from kakehashi.analytics import ranking
from kakehashi.web import asks
from kakehashi.web import openapi_docs as D
from kakehashi.web.api import get_store, respond

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], responses=D.RESPONSES)

TARGET = Query("LAC", description="LAC, a sub-region (Caribbean, Central America, South "
                                  "America) or a LAC33 ISO3 code",
               openapi_examples={"peru": Example(summary="Peru", value="PER"),
                                 "region": Example(summary="The region", value="LAC")})
FORMAT = D.FORMAT
THEN, NOW = D.THEN, D.NOW


def _q(description: str, extra: dict[str, Any] | None = None, **examples: str) -> Any:
    return Query(None, description=description, json_schema_extra=extra,
                 openapi_examples={k: Example(summary=v, value=v) for k, v in examples.items()})


_PERIOD = {"pattern": D.PERIOD}
_BOOL = {"enum": ["true", "false", "1", "0"]}
_SMALL = {"pattern": r"^\d{1,2}$"}


YEARS = _q("A year or a range of years.", _PERIOD, range="2015-2019", year="2019")
COMPARE = _q("An earlier period to compare the ranks with (rank moves).", _PERIOD,
             range="2000-2004")
CONSTANT = _q("true for constant prices (US GDP deflator), false (default) for current.",
              _BOOL, yes="true", no="false")
BASE_YEAR = _q("Base year of the constant prices (default 2015).", {"pattern": r"^\d{4}$"},
               year="2015")
WINDOW = _q("Years before and after the event (1-10, default 3).", _SMALL, three="3")
BY_ISSUE = _q("true to split the agreement by UN issue category.", _BOOL, yes="true",
              no="false")
SERIES = _q("trade (default), exports or imports.", {"enum": ["trade", "exports", "imports"]},
            trade="trade", exports="exports")
HORIZON = _q("Years to extend the trend (1-10, default 5).", _SMALL, five="5")
EVENT_ID = Path(description="An event's id, as listed by /api/v1/events.",
                openapi_examples={"epa": Example(
                    summary="Japan-Mexico EPA in force",
                    value="2005-04-01-japan-mexico-epa-enters-into-force")})
WEIGHT_PARAMS: list[dict[str, Any]] = [
    {"name": f"w_{d.name}", "in": "query", "required": False,
     "description": f"Weight of '{d.label}' (0-{asks.MAX_WEIGHT:g}, default 1): {d.method}",
     "schema": {"type": "number", "minimum": 0, "maximum": asks.MAX_WEIGHT, "default": 1}}
    for d in ranking.DRIVERS]


@router.get("/thennow")
def api_thennow(request: Request, target: str = TARGET, then: str | None = THEN,
                now: str | None = NOW, constant: str | None = CONSTANT,
                base_year: str | None = BASE_YEAR, format: str = FORMAT) -> Response:
    """Japan, China, the USA, Korea and the EU with the target: trade, shares, ranks, ODA,
    loans and FDI, then and now (period means)."""
    answer = asks.thennow(get_store(request), target, then, now, constant, base_year)
    return respond(answer, format, f"kakehashi-thennow-{_slug(target)}")


@router.get("/indicators")
def api_indicators(request: Request, target: str = TARGET, years: str | None = YEARS,
                   format: str = FORMAT) -> Response:
    """Trade intensity, dependence and mirror gaps of the target with Japan, by year."""
    answer = asks.indicators(get_store(request), target, years)
    return respond(answer, format, f"kakehashi-indicators-{_slug(target)}")


@router.get("/concentration")
def api_concentration(request: Request, format: str = FORMAT) -> Response:
    """Herfindahl-Hirschman concentration of Japan's LAC trade, by year."""
    return respond(asks.concentration(get_store(request)), format, "kakehashi-concentration")


@router.get("/rank", openapi_extra={"parameters": WEIGHT_PARAMS})
def api_rank(request: Request, years: str | None = YEARS, compare: str | None = COMPARE,
             format: str = FORMAT) -> Response:
    """The 33 countries ranked by their weighted importance to Japan (weights w_<driver>)."""
    answer = asks.rank(get_store(request), years, compare, request.query_params)
    return respond(answer, format, "kakehashi-rank")


@router.get("/shift-share")
def api_shift_share(request: Request, then: str | None = THEN, now: str | None = NOW,
                    format: str = FORMAT) -> Response:
    """Shift-share of the change in Japan's exports to each country: market and share
    effects."""
    answer = asks.shift_share(get_store(request), then, now)
    return respond(answer, format, "kakehashi-shift-share")


@router.get("/events/{event_id}")
def api_event(request: Request, event_id: str = EVENT_ID, window: str | None = WINDOW,
              format: str = FORMAT) -> Response:
    """Before/after (difference in differences) of an event's countries against the
    others."""
    answer = asks.event(get_store(request), event_id, window)
    return respond(answer, format, f"kakehashi-event-{_slug(event_id)}")


@router.get("/votes")
def api_votes(request: Request, target: str = TARGET, by_issue: str | None = BY_ISSUE,
              format: str = FORMAT) -> Response:
    """How often the target votes as Japan, the USA and China do at the UN, by year."""
    answer = asks.votes(get_store(request), target, by_issue)
    return respond(answer, format, f"kakehashi-votes-{_slug(target)}")


@router.get("/coherence")
def api_coherence(request: Request, format: str = FORMAT) -> Response:
    """Do Japan's attention (events) and aid (ODA) follow its trade? Per decade."""
    return respond(asks.coherence(get_store(request)), format, "kakehashi-coherence")


@router.get("/outlook")
def api_outlook(request: Request, target: str = TARGET, series: str | None = SERIES,
                horizon: str | None = HORIZON, format: str = FORMAT) -> Response:
    """A straight-line trend of the last 15 years extended a few years, with prediction
    bands (a projection, not a forecast)."""
    answer = asks.outlook(get_store(request), target, series, horizon)
    return respond(answer, format, f"kakehashi-outlook-{_slug(target)}")


def _slug(text: str) -> str:
    """A file-name-safe version of a parameter (the CSV file name)."""
    kept = "".join(c if c.isalnum() or c == "-" else "-" for c in text.strip()[:60])
    return kept.strip("-") or "x"
