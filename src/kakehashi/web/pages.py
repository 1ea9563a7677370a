"""Server-rendered HTML pages: the region, one page per LAC33 country, and the sources.

Each page is a context (its panels and form state) built by a `*_context` function, so that
/embed/... can render one of its charts alone with the same state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kakehashi import catalog
from kakehashi.errors import InvalidRequest
from kakehashi.web import (
    asks,
    charts,
    charts_events,
    documents,
    sections,
    sections_products,
    tilemap,
)
from kakehashi.web.api import get_store, region_answer
from kakehashi.web.i18n import _, cname
from kakehashi.web.rendering import NO_DATA, Column, Panel, env, fmt, grouped, render

__all__ = ["NO_DATA", "Column", "Panel", "env", "fmt", "render", "router"]

router = APIRouter()


def usd() -> list[Column]:
    return [Column("exports_usd", _("Exports (USD mn)"), "mn"),
            Column("imports_usd", _("Imports (USD mn)"), "mn"),
            Column("total_usd", _("Total (USD mn)"), "mn")]


# -- region -----------------------------------------------------------------------------------

def map_panel(store: Any, then: str, now: str, measure: str | None,
              view: str | None) -> tuple[Panel, str, str]:
    m = measure or tilemap.DEFAULT_MEASURE
    v = view or tilemap.DEFAULT_VIEW
    if v not in tilemap.VIEWS:
        raise InvalidRequest(f"view={view!r}: use one of {', '.join(tilemap.VIEWS)}.")
    p0 = asks.period(then, "then", asks.DEFAULT_THEN)
    p1 = asks.period(now, "now", asks.DEFAULT_NOW)
    answer = region_answer(store, "map", then=p0.label, now=p1.label, measure=m)
    names = {str(r["iso3"]): cname(r) for r in answer.data}
    rows = [{**r, "name": names[str(r["iso3"])]} for r in answer.data]
    label = tilemap.MEASURES[m][0]
    kind = "num"
    panel = Panel(
        "region-map", _("Map: {label}", label=_(label)), answer,
        f"/api/region/map?{urlencode({'measure': m, 'then': p0.label, 'now': p1.label})}",
        spec=tilemap.spec(rows, m, v, names), rows=rows,
        intro=_("One square per country, placed roughly as on a map (Mexico top left, the "
                "Caribbean to the right, South America below). Click a square for the "
                "country's page. Grey dashed squares: no data (never zero)."),
        columns=[Column("name", _("Country")), Column("iso3", "ISO3"),
                 Column("then_value", _("Then {p}", p=p0.label), kind),
                 Column("now_value", _("Now {p}", p=p1.label), kind),
                 Column("change", _("Change"), kind)])
    return panel, m, v


def region_context(request: Request, then: str | None = None, now: str | None = None,
                   measure: str | None = None, view: str | None = None) -> dict[str, Any]:
    store = get_store(request)
    then_now = asks.thennow(store, "LAC", then, now)
    then_p = asks.period(then, "then", asks.DEFAULT_THEN).label
    now_p = asks.period(now, "now", asks.DEFAULT_NOW).label
    trade = catalog.region_trade(store)
    oda = catalog.region_oda(store)
    year = catalog.latest_trade_year(store)
    top = catalog.top_partners(store, year)
    names = {str(c["iso3"]): cname(c) for c in catalog.lac_countries(store).data}
    top_rows = [{**r, "name": names.get(str(r["iso3"]), r["name"])} for r in top.data]
    query = sections.thennow_query("LAC", then_p, now_p)
    coherence, outliers = sections.coherence_panels(store)
    region_events = [e for e in catalog.events(store).data if e["region_wide"]]
    the_map, m, v = map_panel(store, then_p, now_p, measure, view)
    panels = {
        "map": the_map,
        "trade": Panel(
            "region-trade", _("Goods trade with the 33 LAC countries: Japan, China and the USA"),
            trade, "/api/region/trade",
            spec=charts_events.with_events(charts.region_trade_total(trade.data), region_events),
            intro=_("Exports plus imports as each economy reports them to the IMF, USD million "
                    "(current prices). Dotted rules: region-wide events (hover for the title)."),
            columns=[Column("year", _("Year"), "year"), Column("reporter", _("Reporter")),
                     *usd()]),
        "japan": Panel(
            "region-japan", _("Japan's exports to and imports from the LAC33"), trade,
            "/api/region/trade", spec=charts.region_trade_japan(trade.data),
            rows=[r for r in trade.data if r["reporter_iso3"] == "JPN"],
            columns=[Column("year", _("Year"), "year"), *usd()[:2],
                     Column("export_partners", _("Partners (exports)"), "int"),
                     Column("import_partners", _("Partners (imports)"), "int")]),
        "then_now": sections.thennow_panel(then_now, "LAC", _("the LAC33"), query, then_p,
                                           now_p),
        "oda": Panel(
            "region-oda", _("Japan's net ODA to Latin America and the Caribbean"), oda,
            "/api/region/oda",
            spec=charts.oda_bars(oda.data, _("Latin America and the Caribbean")),
            intro=_("Net bilateral disbursements to the World Bank aggregate LCN, USD million."),
            columns=[Column("year", _("Year"), "year"),
                     Column("value_usd", _("Net ODA (USD mn)"), "mn")]),
        "top": Panel(
            "region-top", _("Japan's largest LAC trading partners in {year}", year=year), top,
            f"/api/region/top-partners?year={year}", spec=charts.top_partner_bars(top_rows, year),
            rows=top_rows,
            intro=_("Japan's reported exports plus imports, USD million. A country for which "
                    "Japan reports only one flow has no total: it is in the table, not the "
                    "chart."),
            columns=[Column("rank", _("Rank"), "int"), Column("name", _("Country")), *usd()]),
        "hhi": sections.hhi_panel(store),
        "coherence": coherence,
        "outlook": sections.outlook_panel(store, "LAC", _("the LAC33"), "region-outlook"),
    }
    panels["then_now"].id = "region-then-now"
    panels["then_now"].api = "/api/v1/region/then-now?" + urlencode({"then": then_p,
                                                                     "now": now_p})
    products = sections_products.region_products(store)
    return {"title": _("Japan and Latin America and the Caribbean"), "panels": panels,
            "products": products, "product_panels": products.panels,
            "then": then_p, "now": now_p, "outliers": outliers, "measure": m, "view": v,
            "measures": [(k, _(lbl[0])) for k, lbl in tilemap.MEASURES.items()],
            "highlights": sections.highlights(then_now), "compare_query": query,
            "countries": grouped(catalog.lac_countries(store).data)}


@router.api_route("/", methods=["GET", "HEAD"],
                  response_class=HTMLResponse, include_in_schema=False)
def region_page(request: Request, then: str | None = None, now: str | None = None,
                measure: str | None = None, view: str | None = None) -> HTMLResponse:
    return render(request, "region.html", **region_context(request, then, now, measure, view))


# -- one country ------------------------------------------------------------------------------

def country_context(request: Request, iso3: str) -> dict[str, Any]:
    store = get_store(request)
    c = catalog.country(store, iso3)
    code, name = str(c["iso3"]), cname(c)
    asks.prefetch(asks.country_calls(store, code))  # the analytics, side by side
    api = f"/api/countries/{code}"
    trade = catalog.country_trade(store, code)
    comp = catalog.country_comparators(store, code)
    fin = catalog.country_finance(store, code)
    oda_rows = [r for r in fin.data if r["source_id"] == "wdi_japan_oda"]
    one_rows = [r for r in fin.data if r["source_id"] == "one_net_flows"]
    fdi = catalog.country_fdi(store, code)
    growth = catalog.country_growth(store, code)
    votes = catalog.un_agreement(store, code)
    events = catalog.country_events(store, code)
    then_now = asks.thennow(store, code)
    votes_issue, issue_span = sections.votes_by_issue(store, code, name)
    query = sections.thennow_query(code, asks.DEFAULT_THEN, asks.DEFAULT_NOW)
    growth_rows = [{**r, "country": name if r["country_iso3"] == code else _("Japan")}
                   for r in growth.data]
    panels = {
        "trade": Panel(
            "trade", _("Japan's trade with {name}", name=name), trade, f"{api}/trade",
            spec=charts_events.with_events(charts.country_trade_lines(trade.data, name),
                                           events.data),
            intro=_("Exports (FOB), imports (CIF) and balance as reported by Japan to the IMF, "
                    "USD million. Dotted rules: events (hover for the title)."),
            columns=[Column("year", _("Year"), "year"),
                     Column("exports_usd", _("Exports"), "mn"),
                     Column("imports_usd", _("Imports"), "mn"),
                     Column("balance_usd", _("Balance"), "mn"),
                     Column("exports_basis", _("Exports basis")),
                     Column("imports_basis", _("Imports basis"))]),
        "comparators": Panel(
            "comparators", _("Japan, China and the USA: trade with {name}", name=name), comp,
            f"{api}/comparators",
            spec=charts_events.with_events(charts.comparator_lines(comp.data, name), events.data),
            intro=_("Exports plus imports as each economy reports them, USD million. Dotted "
                    "rules: events."),
            columns=[Column("year", _("Year"), "year"), Column("reporter", _("Reporter")),
                     *usd()]),
        "oda": Panel(
            "oda", _("Japan's net ODA to {name}", name=name), fin, f"{api}/finance",
            spec=charts.oda_bars(oda_rows, name), rows=oda_rows, sources=("wdi_japan_oda",),
            intro=_("Net bilateral disbursements (OECD DAC via WDI), USD million."),
            columns=[Column("year", _("Year"), "year"),
                     Column("value_usd", _("Net ODA (USD mn)"), "mn")]),
        "loans": Panel(
            "loans", _("Japan's official grants and loans: {name}", name=name), fin,
            f"{api}/finance", spec=charts.official_flow_lines(one_rows, name), rows=one_rows,
            sources=("one_net_flows",),
            intro=_("Grants and loan disbursements received (positive) and debt service paid "
                    "(negative), USD million (World Bank IDS and OECD DAC via ONE)."),
            empty=_("No data for this country (the source covers only the 23 LAC countries "
                    "that report to the World Bank's debt statistics)."),
            columns=[Column("year", _("Year"), "year"), Column("instrument", _("Instrument")),
                     Column("measure", _("Measure")), Column("value_usd", _("USD mn"), "mn")]),
        "fdi": Panel(
            "fdi", _("FDI from Japan into {name}", name=name), fdi, f"{api}/fdi",
            spec=charts.fdi_bars(fdi.data, name),
            intro=_("Net FDI inflows from Japan, UNCTAD, 2001-2012, USD million."),
            columns=[Column("year", _("Year"), "year"), Column("value_usd", _("USD mn"), "mn"),
                     Column("data_basis", _("Reported by"))]),
        "growth": Panel(
            "growth", _("GDP growth: {name} and Japan", name=name), growth, f"{api}/growth",
            spec=charts.growth_lines(growth_rows, name), rows=growth_rows,
            intro=_("Annual real GDP growth, %."),
            columns=[Column("year", _("Year"), "year"), Column("country", _("Country")),
                     Column("gdp_growth_pct", _("GDP growth (%)"), "pct")]),
        "votes": Panel(
            "votes", _("UN General Assembly: how often {name} votes as Japan does", name=name),
            votes, f"{api}/un-votes", spec=charts.agreement_lines(votes.data, name),
            intro=_("Share of roll calls on which both voted and cast the same vote; the USA "
                    "and China shown beside Japan. The chart leaves out years with fewer than "
                    "{n} shared votes (e.g. 2020: January only); the table has every year.",
                    n=charts.MIN_ROLL_CALLS),
            columns=[Column("year", _("Year"), "year"), Column("with_country", _("With")),
                     Column("roll_calls_both_voted", _("Both voted"), "int"),
                     Column("same_vote", _("Same vote"), "int"),
                     Column("agreement", _("Agreement"), "share")]),
        "events": Panel(
            "events", _("Events: Japan and {name}", name=name), events, f"{api}/events",
            spec=charts.event_points(events.data, name),
            empty=_("No curated events for this country."),
            columns=[Column("date_text", _("Date")), Column("event_type", _("Type")),
                     Column("title", _("Event"))]),
        "thennow": sections.thennow_panel(then_now, code, name, query, asks.DEFAULT_THEN,
                                          asks.DEFAULT_NOW),
        "votes_issue": votes_issue,
        "indicators": sections.indicators_panel(store, code, name, asks.country_years(store)),
        "outlook": sections.outlook_panel(store, code, name),
    }
    products = sections_products.country_products(store, code, name)
    return {"title": _("Japan and {name}", name=name), "country": c, "name": name,
            "panels": panels, "events": events.data, "decades": _decade_agreement(votes.data),
            "products": products, "product_panels": products.panels,
            "highlights": sections.highlights(then_now), "compare_query": query,
            "issue_span": issue_span, "documents": documents.for_country(store, code)}


@router.api_route("/country/{iso3}", methods=["GET", "HEAD"],
                  response_class=HTMLResponse, include_in_schema=False)
def country_page(request: Request, iso3: str) -> HTMLResponse:
    return render(request, "country.html", **country_context(request, iso3))


def _decade_agreement(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Agreement with Japan pooled by decade (sums of the yearly counts)."""
    acc: dict[int, list[int]] = {}
    for r in rows:
        if r["with_iso3"] != "JPN":
            continue
        d = int(r["year"]) // 10 * 10
        pair = acc.setdefault(d, [0, 0])
        pair[0] += int(r["same_vote"])
        pair[1] += int(r["roll_calls_both_voted"])
    return [{"decade": f"{d}s", "same": s, "both": b, "agreement": s / b if b else None}
            for d, (s, b) in sorted(acc.items())]


# -- sources ----------------------------------------------------------------------------------

@router.api_route("/sources", methods=["GET", "HEAD"],
                  response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request) -> HTMLResponse:
    answer = catalog.sources(get_store(request))
    return render(request, "sources.html", title=_("Sources and licences"), sources=answer.data,
                  notes=answer.notes)
