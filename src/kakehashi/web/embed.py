"""/embed/<page>/<chart-id>?<the page's query>: one chart with its caption, for an <iframe>.

The page is built as usual (its answers are cached) and only the named chart is rendered;
these are the only addresses that other sites may frame (CSP frame-ancestors *).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kakehashi.errors import NotFound
from kakehashi.web import pages, pages_analytics
from kakehashi.web.i18n import _
from kakehashi.web.rendering import Panel, render

router = APIRouter(prefix="/embed", include_in_schema=False)


def _panels(context: dict[str, Any]) -> dict[str, Panel]:
    found: dict[str, Panel] = {}
    for value in context.values():
        items = value.values() if isinstance(value, dict) else [value]
        for item in items:
            if isinstance(item, Panel) and item.spec is not None:
                found[item.id] = item
    return found


def render_embed(request: Request, context: dict[str, Any], panel_id: str,
                 page: str) -> HTMLResponse:
    panels = _panels(context)
    panel = panels.get(panel_id)
    if panel is None:
        raise NotFound(_("No chart {id!r} on this page. Charts: {ids}.", id=panel_id,
                         ids=", ".join(sorted(panels))))
    return render(request, "embed.html", title=panel.title, panel=panel, page=page)


@router.api_route("/region/{panel_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def embed_region(request: Request, panel_id: str, then: str | None = None,
                 now: str | None = None, measure: str | None = None,
                 view: str | None = None) -> HTMLResponse:
    context = pages.region_context(request, then, now, measure, view)
    return render_embed(request, context, panel_id, "/")


@router.api_route("/country/{iso3}/{panel_id}", methods=["GET", "HEAD"],
                  response_class=HTMLResponse)
def embed_country(request: Request, iso3: str, panel_id: str) -> HTMLResponse:
    context = pages.country_context(request, iso3)
    return render_embed(request, context, panel_id, f"/country/{context['country']['iso3']}")


@router.api_route("/compare/{panel_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def embed_compare(request: Request, panel_id: str, target: str = "LAC",
                  then: str | None = None, now: str | None = None,
                  constant: str | None = None, base_year: str | None = None) -> HTMLResponse:
    context = pages_analytics.compare_context(request, target, then, now, constant, base_year)
    return render_embed(request, context, panel_id, "/compare")


@router.api_route("/rank/{panel_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def embed_rank(request: Request, panel_id: str, years: str | None = None,
               compare: str | None = None) -> HTMLResponse:
    context = pages_analytics.rank_context(request, years, compare)
    return render_embed(request, context, panel_id, "/rank")


@router.api_route("/events/{panel_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def embed_events(request: Request, panel_id: str) -> HTMLResponse:
    q = request.query_params
    context = pages_analytics.events_context(request, q.get("type"), q.get("country"),
                                             q.get("from"), q.get("to"))
    return render_embed(request, context, panel_id, "/events")
