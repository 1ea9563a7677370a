"""Server-rendered HTML pages: the region, one page per LAC33 country, and the sources."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kakehashi import catalog
from kakehashi.web import asks, charts, sections
from kakehashi.web.api import get_store
from kakehashi.web.rendering import NO_DATA, Column, Panel, env, fmt, grouped, render

__all__ = ["NO_DATA", "Column", "Panel", "env", "fmt", "render", "router"]

router = APIRouter()


USD = [Column("exports_usd", "Exports (USD mn)", "mn"), Column("imports_usd",
       "Imports (USD mn)", "mn"), Column("total_usd", "Total (USD mn)", "mn")]


# -- region -----------------------------------------------------------------------------------

@router.api_route("/", methods=["GET", "HEAD"],
                  response_class=HTMLResponse, include_in_schema=False)
def region_page(request: Request, then: str | None = None, now: str | None = None) -> HTMLResponse:
    store = get_store(request)
    then_now = asks.thennow(store, "LAC", then, now)
    then_p = asks.period(then, "then", asks.DEFAULT_THEN).label
    now_p = asks.period(now, "now", asks.DEFAULT_NOW).label
    trade = catalog.region_trade(store)
    oda = catalog.region_oda(store)
    year = catalog.latest_trade_year(store)
    top = catalog.top_partners(store, year)
    query = sections.thennow_query("LAC", then_p, now_p)
    coherence, outliers = sections.coherence_panels(store)
    panels = {
        "trade": Panel(
            "region-trade", "Goods trade with the 33 LAC countries: Japan, China and the USA",
            trade, "/api/region/trade", spec=charts.region_trade_total(trade.data),
            intro="Exports plus imports as each economy reports them to the IMF, USD million "
                  "(current prices).",
            columns=[Column("year", "Year", "year"), Column("reporter", "Reporter"), *USD]),
        "japan": Panel(
            "region-japan", "Japan's exports to and imports from the LAC33", trade,
            "/api/region/trade", spec=charts.region_trade_japan(trade.data),
            rows=[r for r in trade.data if r["reporter_iso3"] == "JPN"],
            columns=[Column("year", "Year", "year"), *USD[:2],
                     Column("export_partners", "Partners (exports)", "int"),
                     Column("import_partners", "Partners (imports)", "int")]),
        "then_now": sections.thennow_panel(then_now, "LAC", "the LAC33", query, then_p, now_p),
        "oda": Panel(
            "region-oda", "Japan's net ODA to Latin America and the Caribbean", oda,
            "/api/region/oda", spec=charts.oda_bars(oda.data, "Latin America and the Caribbean"),
            intro="Net bilateral disbursements to the World Bank aggregate LCN, USD million.",
            columns=[Column("year", "Year", "year"), Column("value_usd", "Net ODA (USD mn)",
                                                            "mn")]),
        "top": Panel(
            "region-top", f"Japan's largest LAC trading partners in {year}", top,
            f"/api/region/top-partners?year={year}", spec=charts.top_partner_bars(top.data, year),
            intro="Japan's reported exports plus imports, USD million. A country for which "
                  "Japan reports only one flow has no total: it is in the table, not the chart.",
            columns=[Column("rank", "Rank", "int"), Column("name", "Country"), *USD]),
        "hhi": sections.hhi_panel(store),
        "coherence": coherence,
        "outlook": sections.outlook_panel(store, "LAC", "the LAC33", "region-outlook"),
    }
    panels["then_now"].id = "region-then-now"
    panels["then_now"].api = "/api/region/then-now?" + urlencode({"then": then_p, "now": now_p})
    return render(request, "region.html", title="Japan and Latin America and the Caribbean",
                  panels=panels, then=then_p, now=now_p, outliers=outliers,
                  highlights=sections.highlights(then_now), compare_query=query,
                  countries=grouped(catalog.lac_countries(store).data))


# -- one country ------------------------------------------------------------------------------

@router.api_route("/country/{iso3}", methods=["GET", "HEAD"],
                  response_class=HTMLResponse, include_in_schema=False)
def country_page(request: Request, iso3: str) -> HTMLResponse:
    store = get_store(request)
    c = catalog.country(store, iso3)
    code, name = str(c["iso3"]), str(c["name_en"])
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
    panels = {
        "trade": Panel(
            "trade", f"Japan's trade with {name}", trade, f"{api}/trade",
            spec=charts.country_trade_lines(trade.data, name),
            intro="Exports (FOB), imports (CIF) and balance as reported by Japan to the IMF, "
                  "USD million.",
            columns=[Column("year", "Year", "year"), Column("exports_usd", "Exports", "mn"),
                     Column("imports_usd", "Imports", "mn"),
                     Column("balance_usd", "Balance", "mn"),
                     Column("exports_basis", "Exports basis"),
                     Column("imports_basis", "Imports basis")]),
        "comparators": Panel(
            "comparators", f"Japan, China and the USA: trade with {name}", comp,
            f"{api}/comparators", spec=charts.comparator_lines(comp.data, name),
            intro="Exports plus imports as each economy reports them, USD million.",
            columns=[Column("year", "Year", "year"), Column("reporter", "Reporter"), *USD]),
        "oda": Panel(
            "oda", f"Japan's net ODA to {name}", fin, f"{api}/finance",
            spec=charts.oda_bars(oda_rows, name), rows=oda_rows, sources=("wdi_japan_oda",),
            intro="Net bilateral disbursements (OECD DAC via WDI), USD million.",
            columns=[Column("year", "Year", "year"), Column("value_usd", "Net ODA (USD mn)",
                                                            "mn")]),
        "loans": Panel(
            "loans", f"Japan's official grants and loans: {name}", fin, f"{api}/finance",
            spec=charts.official_flow_lines(one_rows, name), rows=one_rows,
            sources=("one_net_flows",),
            intro="Grants and loan disbursements received (positive) and debt service paid "
                  "(negative), USD million (World Bank IDS and OECD DAC via ONE).",
            empty="No data for this country (the source covers only the 23 LAC countries "
                  "that report to the World Bank's debt statistics).",
            columns=[Column("year", "Year", "year"), Column("instrument", "Instrument"),
                     Column("measure", "Measure"), Column("value_usd", "USD mn", "mn")]),
        "fdi": Panel(
            "fdi", f"FDI from Japan into {name}", fdi, f"{api}/fdi",
            spec=charts.fdi_bars(fdi.data, name),
            intro="Net FDI inflows from Japan, UNCTAD, 2001-2012, USD million.",
            columns=[Column("year", "Year", "year"), Column("value_usd", "USD mn", "mn"),
                     Column("data_basis", "Reported by")]),
        "growth": Panel(
            "growth", f"GDP growth: {name} and Japan", growth, f"{api}/growth",
            spec=charts.growth_lines(growth.data, name), intro="Annual real GDP growth, %.",
            columns=[Column("year", "Year", "year"), Column("country", "Country"),
                     Column("gdp_growth_pct", "GDP growth (%)", "pct")]),
        "votes": Panel(
            "votes", f"UN General Assembly: how often {name} votes as Japan does", votes,
            f"{api}/un-votes", spec=charts.agreement_lines(votes.data, name),
            intro="Share of roll calls on which both voted and cast the same vote; the USA "
                  "and China shown beside Japan. The chart leaves out years with fewer than "
                  f"{charts.MIN_ROLL_CALLS} shared votes (e.g. 2020: January only); the table "
                  "has every year.",
            columns=[Column("year", "Year", "year"), Column("with_country", "With"),
                     Column("roll_calls_both_voted", "Both voted", "int"),
                     Column("same_vote", "Same vote", "int"),
                     Column("agreement", "Agreement", "share")]),
        "events": Panel(
            "events", f"Events: Japan and {name}", events, f"{api}/events",
            spec=charts.event_points(events.data, name),
            empty="No curated events for this country.",
            columns=[Column("date_text", "Date"), Column("event_type", "Type"),
                     Column("title", "Event")]),
        "thennow": sections.thennow_panel(then_now, code, name, query, asks.DEFAULT_THEN,
                                          asks.DEFAULT_NOW),
        "votes_issue": votes_issue,
        "indicators": sections.indicators_panel(store, code, name, asks.country_years(store)),
        "outlook": sections.outlook_panel(store, code, name),
    }
    decades = _decade_agreement(votes.data)
    return render(request, "country.html", title=f"Japan and {name}", country=c,
                  panels=panels, events=events.data, decades=decades,
                  highlights=sections.highlights(then_now), compare_query=query,
                  issue_span=issue_span)


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
    return render(request, "sources.html", title="Sources and licences", sources=answer.data,
                  notes=answer.notes)
