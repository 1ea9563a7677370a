"""Pages for the analytics: compare (then vs now), rank, events, one event, methods."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

import kakehashi
from kakehashi import catalog, questions
from kakehashi.analytics import ranking
from kakehashi.errors import InvalidRequest
from kakehashi.web import asks, charts_analytics, sections
from kakehashi.web.api import get_store, parse_year
from kakehashi.web.i18n import _, cname
from kakehashi.web.rendering import Column, Panel, grouped, render

router = APIRouter()
PACKAGE = Path(kakehashi.__file__).resolve().parent
# docs/methods.md in a source checkout (src layout); the packaged copy in an installed wheel
METHODS_FILES = (PACKAGE.parents[1] / "docs" / "methods.md",
                 PACKAGE / "web" / "static" / "methods.md")
SUBREGIONS = ("Caribbean", "Central America", "South America")


def _targets(store: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Options for a target select: LAC, the sub-regions, then the countries by sub-region."""
    out = [(_("Region"), [("LAC", _("Latin America and the Caribbean (LAC33)"))]),
           (_("Sub-regions"), [(s, _(s)) for s in SUBREGIONS])]
    for group, members in grouped(catalog.lac_countries(store).data):
        out.append((group, [(str(c["iso3"]), f"{cname(c)} ({c['iso3']})") for c in members]))
    return out


def _label(store: Any, target: str) -> str:
    """The target's name in the request's language."""
    code = target.strip().upper()
    if len(code) == 3 and code != "LAC":
        return cname(catalog.country(store, code))
    if code == "LAC":
        return _("Latin America and the Caribbean (LAC33)")
    return _(questions.resolve_target(store, target)[0])


# -- compare ----------------------------------------------------------------------------------

def compare_context(request: Request, target: str = "LAC", then: str | None = None,
                    now: str | None = None, constant: str | None = None,
                    base_year: str | None = None) -> dict[str, Any]:
    store = get_store(request)
    answer = asks.thennow(store, target, then, now, constant, base_year)
    p0 = asks.period(then, "then", asks.DEFAULT_THEN).label
    p1 = asks.period(now, "now", asks.DEFAULT_NOW).label
    const = asks.flag(constant, "constant")
    base = asks.integer(base_year, "base_year", asks.DEFAULT_BASE_YEAR, 1900, 2100)
    questions.resolve_target(store, target)  # 404 for an unknown target
    label = _label(store, target)
    query = sections.thennow_query(target, p0, p1, const, base)
    panel = sections.thennow_panel(answer, target, label, query, p0, p1)
    panel.title = _("{label}: then ({then}) and now ({now})", label=label, then=p0, now=p1)
    code = target.strip().upper()
    return dict(title=_("Then and now: {label}", label=label), panel=panel,
                groups=sections.thennow_groups(answer), highlights=sections.highlights(answer),
                targets=_targets(store), target=target, then=p0, now=p1, constant=const,
                base_year=base, label=label,
                country=code if len(code) == 3 and code != "LAC" else None)


@router.api_route("/compare", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def compare_page(request: Request, target: str = "LAC", then: str | None = None,
                 now: str | None = None, constant: str | None = None,
                 base_year: str | None = None) -> HTMLResponse:
    return render(request, "compare.html",
                  **compare_context(request, target, then, now, constant, base_year))


# -- rank -------------------------------------------------------------------------------------

def rank_context(request: Request, years: str | None = None,
                 compare: str | None = None) -> dict[str, Any]:
    store = get_store(request)
    compare = asks.DEFAULT_COMPARE if compare is None else compare
    answer = asks.rank(store, years, compare or None, request.query_params)
    p = asks.period(years, "years", asks.DEFAULT_YEARS).label
    c = asks.period(compare, "compare", asks.DEFAULT_COMPARE).label if compare else ""
    weights = asks.weights(request.query_params)
    params = {"years": p, "compare": c, **{f"w_{k}": f"{v:g}" for k, v in weights.items()}}
    query = urlencode(params)
    drivers = [(d.name, d.label) for d in ranking.DRIVERS]
    rows = [{**r, "rank_move": r.get("rank_move"), "rank_before": r.get("rank_before")}
            for r in answer.data]
    columns = [Column("rank", _("Rank"), "int")]
    if c:
        columns.append(Column("rank_move", _("Move since {p}", p=c), "move"))
    columns += [Column("name", _("Country")), Column("score", _("Score (0-1)"), "num3")]
    if c:
        columns.append(Column("rank_before", _("Rank {p}", p=c), "int"))
    rank_panel = Panel(
        "rank", _("What matters to Japan, {p}", p=p), answer, f"/api/analytics/rank?{query}",
        spec=charts_analytics.rank_contributions(rows, drivers), rows=rows, columns=columns,
        intro=_("Each driver becomes a percentile across the countries with data (0 lowest, 1 "
                "highest); the score is the weighted mean over the drivers a country has data "
                "for. The bar shows each driver's share of the score."))
    contrib = Panel(
        "rank-drivers", _("Contribution of each driver"), answer, rank_panel.api, chart=False,
        rows=rows, columns=[Column("name", _("Country"))] + [
            Column(f"{n}_contribution", lbl, "num3") for n, lbl in drivers])
    shift, shift_error = None, ""
    then_ss = c or asks.DEFAULT_COMPARE
    try:
        ss = asks.shift_share(store, then_ss, p)
        names = {str(r["country_iso3"]): str(r["name"]) for r in answer.data}
        ss_rows = [{**r, "name": names.get(r["country_iso3"], r["country_iso3"])}
                   for r in ss.data]
        shift = Panel(
            "shift-share", _("Shift-share: Japan's exports, {then} to {now}", then=then_ss,
                             now=p), ss,
            f"/api/analytics/shift-share?{urlencode({'then': then_ss, 'now': p})}",
            spec=charts_analytics.shift_share_bars(ss.data, names), rows=ss_rows,
            intro=_("The change in Japan's exports to each country (period means) = market "
                    "effect (the country's import growth at Japan's initial share) + share "
                    "effect (the change in Japan's share at the final market size)."),
            columns=[Column("name", _("Country")),
                     Column("exports_then", _("Exports then"), "mn"),
                     Column("exports_now", _("Exports now"), "mn"),
                     Column("change", _("Change"), "mn"),
                     Column("market_effect", _("Market effect"), "mn"),
                     Column("share_effect", _("Share effect"), "mn"),
                     Column("share_then_pct", _("Share then (%)"), "pct"),
                     Column("share_now_pct", _("Share now (%)"), "pct")])
    except InvalidRequest as exc:
        shift_error = str(exc)
    return dict(title=_("What matters to Japan"), panel=rank_panel,
                contrib=contrib, shift=shift, shift_error=shift_error, years=p, compare=c,
                drivers=ranking.DRIVERS, weights=weights)


@router.api_route("/rank", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def rank_page(request: Request, years: str | None = None,
              compare: str | None = None) -> HTMLResponse:
    return render(request, "rank.html", **rank_context(request, years, compare))


# -- events -----------------------------------------------------------------------------------

def events_context(request: Request, type: str | None = None, country: str | None = None,
                   from_: str | None = None, to: str | None = None) -> dict[str, Any]:
    store = get_store(request)
    first, last = parse_year(from_, "from"), parse_year(to, "to")
    answer = catalog.events(store, type or None, country or None, first, last)
    code = catalog.normalise_iso3(store, country) if country else ""
    params = {k: v for k, v in (("type", type or ""), ("country", code),
                                ("from", str(first or "")), ("to", str(last or ""))) if v}
    query = urlencode(params)
    panel = Panel(
        "events-timeline", _("Curated events, by year and type"), answer,
        "/api/events" + (f"?{query}" if query else ""),
        spec=charts_analytics.events_by_year(answer.data),
        intro=_("{n} event(s). Each links to its own page with the sources and a before/after "
                "comparison with the other LAC countries.", n=len(answer.data)),
        empty=_("No events match these filters."), chart=True)
    names = {str(c["iso3"]): cname(c) for c in catalog.lac_countries(store).data}
    return dict(title=_("Events"), panel=panel, events=answer.data,
                types=catalog.event_types(store), type=type or "", country=code,
                first=first or "", last=last or "", names=names,
                countries=grouped(catalog.lac_countries(store).data))


@router.api_route("/events", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def events_page(request: Request, type: str | None = None, country: str | None = None,
                from_: str | None = Query(None, alias="from"),
                to: str | None = None) -> HTMLResponse:
    return render(request, "events.html",
                  **events_context(request, type, country, from_, to))


@router.api_route("/events/{event_id}", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def event_page(request: Request, event_id: str, window: str | None = None) -> HTMLResponse:
    store = get_store(request)
    answer = asks.event(store, event_id, window)
    ev = catalog.event(store, event_id)
    w = asks.integer(window, "window", 3, 1, 10)
    panel = Panel(
        "did", _("Before and after: {w} years either side", w=w), answer,
        f"/api/analytics/events/{event_id}?window={w}", chart=False,
        columns=[Column("outcome", _("Outcome")),
                 Column("n_treated", _("Countries concerned"), "int"),
                 Column("n_control", _("Other countries"), "int"),
                 Column("treated_change", _("Change, concerned"), "num3"),
                 Column("control_change", _("Change, others"), "num3"),
                 Column("did", _("Difference in differences"), "num3"),
                 Column("p_value", _("p-value"), "p"),
                 Column("permutations", _("Country sets compared"), "int"),
                 Column("note", _("Note"))],
        intro=_("For each outcome: the mean change from the years before to the years after "
                "(the event year left out) for the countries concerned, minus the same for the "
                "other LAC33 countries with data. The p-value is the share of equally sized "
                "sets of countries with a difference at least as large."),
        empty=_("No comparison: the event concerns the region as a whole."))
    names = {str(c["iso3"]): cname(c) for c in catalog.lac_countries(store).data}
    return render(request, "event.html", title=str(ev["title"]), ev=ev, panel=panel,
                  window=w, names=names)


# -- methods ----------------------------------------------------------------------------------

def methods_html() -> str | None:
    """docs/methods.md as HTML (raw HTML in the Markdown is not passed through)."""
    from markdown_it import MarkdownIt

    for path in METHODS_FILES:
        if path.is_file():
            md = MarkdownIt("commonmark", {"html": False}).enable("table")
            return str(md.render(path.read_text(encoding="utf-8")))
    return None


@router.api_route("/methods", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def methods_page(request: Request) -> HTMLResponse:
    return render(request, "methods.html", title=_("Methods"), methods=methods_html(),
                  drivers=ranking.DRIVERS,
                  default_weights=ranking.DEFAULT_WEIGHTS)
