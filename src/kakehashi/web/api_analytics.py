"""The analytics in the API: /api/analytics/..., each {data, unit, provenance, notes} or CSV.

Every endpoint calls `kakehashi.questions` (through `asks`, which checks the parameters); a
bad parameter is a 400 with the message, an unknown target or event a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kakehashi.analytics import ranking
from kakehashi.web import asks
from kakehashi.web.api import get_store, respond

router = APIRouter(prefix="/api/analytics", tags=["analytics"])

TARGET = Query("LAC", description="LAC, a sub-region (Caribbean, Central America, South "
                                  "America) or a LAC33 ISO3 code")
FORMAT = Query("json", description="json or csv")
WEIGHT_PARAMS: list[dict[str, Any]] = [
    {"name": f"w_{d.name}", "in": "query", "required": False,
     "description": f"Weight of '{d.label}' (0-{asks.MAX_WEIGHT:g}, default 1): {d.method}",
     "schema": {"type": "number", "minimum": 0, "maximum": asks.MAX_WEIGHT, "default": 1}}
    for d in ranking.DRIVERS]


@router.get("/thennow")
def api_thennow(request: Request, target: str = TARGET, then: str | None = None,
                now: str | None = None, constant: str | None = None,
                base_year: str | None = None, format: str = FORMAT) -> Response:
    answer = asks.thennow(get_store(request), target, then, now, constant, base_year)
    return respond(answer, format, f"kakehashi-thennow-{_slug(target)}")


@router.get("/indicators")
def api_indicators(request: Request, target: str = TARGET, years: str | None = None,
                   format: str = FORMAT) -> Response:
    answer = asks.indicators(get_store(request), target, years)
    return respond(answer, format, f"kakehashi-indicators-{_slug(target)}")


@router.get("/concentration")
def api_concentration(request: Request, format: str = FORMAT) -> Response:
    return respond(asks.concentration(get_store(request)), format, "kakehashi-concentration")


@router.get("/rank", openapi_extra={"parameters": WEIGHT_PARAMS})
def api_rank(request: Request, years: str | None = None, compare: str | None = None,
             format: str = FORMAT) -> Response:
    answer = asks.rank(get_store(request), years, compare, request.query_params)
    return respond(answer, format, "kakehashi-rank")


@router.get("/shift-share")
def api_shift_share(request: Request, then: str | None = None, now: str | None = None,
                    format: str = FORMAT) -> Response:
    answer = asks.shift_share(get_store(request), then, now)
    return respond(answer, format, "kakehashi-shift-share")


@router.get("/events/{event_id}")
def api_event(request: Request, event_id: str, window: str | None = None,
              format: str = FORMAT) -> Response:
    answer = asks.event(get_store(request), event_id, window)
    return respond(answer, format, f"kakehashi-event-{_slug(event_id)}")


@router.get("/votes")
def api_votes(request: Request, target: str = TARGET, by_issue: str | None = None,
              format: str = FORMAT) -> Response:
    answer = asks.votes(get_store(request), target, by_issue)
    return respond(answer, format, f"kakehashi-votes-{_slug(target)}")


@router.get("/coherence")
def api_coherence(request: Request, format: str = FORMAT) -> Response:
    return respond(asks.coherence(get_store(request)), format, "kakehashi-coherence")


@router.get("/outlook")
def api_outlook(request: Request, target: str = TARGET, series: str | None = None,
                horizon: str | None = None, format: str = FORMAT) -> Response:
    answer = asks.outlook(get_store(request), target, series, horizon)
    return respond(answer, format, f"kakehashi-outlook-{_slug(target)}")


def _slug(text: str) -> str:
    """A file-name-safe version of a parameter (the CSV file name)."""
    kept = "".join(c if c.isalnum() or c == "-" else "-" for c in text.strip()[:60])
    return kept.strip("-") or "x"
