"""The questions Kakehashi answers, computed by the analytics on the store, with provenance.

Each function takes a `Store`, runs Ibis analytics on DuckDB and returns a `catalog.Answer`
(plain rows, the sources used, the unit, notes on method). The CLI, API and dashboard all call
these; none computes an analytic itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

import pandas as pd

from kakehashi.analytics import coherence as coherence_mod
from kakehashi.analytics import eventstudy, indicators, outlook, products, ranking, votes
from kakehashi.analytics.periods import DEFLATOR_NOTE, Period, parse_period
from kakehashi.analytics.thennow import METHOD as THENNOW_METHOD
from kakehashi.analytics.thennow import SHARE_MEASURES
from kakehashi.analytics.thennow import thennow as thennow_expr
from kakehashi.analytics.trade import annual_flows
from kakehashi.catalog import Answer, Row, provenance
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store.engines import duckdb_tables
from kakehashi.store.reader import Store

SUBREGIONS = ("Caribbean", "Central America", "South America")
UNITS = {"share_of_partner_exports_pct": "%", "share_of_partner_imports_pct": "%",
         "share_of_partner_trade_pct": "%", "rank_among_partners": "rank"}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def _records(df: pd.DataFrame) -> list[Row]:
    return [{k: _clean(v) for k, v in rec.items()} for rec in df.to_dict(orient="records")]


def resolve_target(store: Store, target: str) -> tuple[str, list[str]]:
    """A LAC33 ISO3 code, a sub-region (Caribbean, Central America, South America) or LAC:
    its label and member codes."""
    text = (target or "").strip()
    rows = store.query("SELECT iso3, name_en, lac_subregion FROM countries WHERE is_lac33 "
                       "ORDER BY iso3").rows
    if text.upper() in ("LAC", "LAC33"):
        return "Latin America and the Caribbean (LAC33)", [r[0] for r in rows]
    for sub in SUBREGIONS:
        if text.lower().replace("-", " ").replace("_", " ") == sub.lower():
            return sub, [r[0] for r in rows if r[2] == sub]
    for iso3, name, _ in rows:
        if text.upper() == iso3:
            return name, [iso3]
    raise NotFound(f"{target!r} is not a LAC33 country code, a sub-region "
                   f"({', '.join(SUBREGIONS)}) or LAC.")


def lac33(store: Store) -> list[str]:
    return resolve_target(store, "LAC")[1]


def period(text: str | Period) -> Period:
    return text if isinstance(text, Period) else parse_period(text)


def thennow(store: Store, target: str, then: str | Period = "2000-2004",
            now: str | Period = "2016-2020", *, constant_prices: bool = False,
            base_year: int = 2015) -> Answer:
    """Japan, China, the USA, Korea and the EU with a LAC country or group, then vs now."""
    label, members = resolve_target(store, target)
    p0, p1 = period(then), period(now)
    if p0.end >= p1.start:
        raise InvalidRequest(f"then={p0.label} must end before now={p1.label} starts.")
    if constant_prices:
        first, last = deflator_years(store)
        if not first <= base_year <= last:
            raise InvalidRequest(f"base_year={base_year} is outside the deflator's years "
                                 f"({first}-{last}).")
    with duckdb_tables(store) as t:
        df = thennow_expr(t["trade_flows"], t["official_finance"], t["fdi_flows"],
                          t["macro_indicators"], t["countries"], members, p0, p1,
                          constant_prices=constant_prices, base_year=base_year).execute()
    order = {c: i for i, c in enumerate(("JPN", "CHN", "USA", "KOR", "EUU"))}
    df["unit"] = df.measure.map(UNITS).fillna(
        f"USD ({base_year} prices)" if constant_prices else "USD (current)")
    df = df.sort_values(["comparator", "measure"], key=lambda s: s.map(order)
                        if s.name == "comparator" else s)
    df.insert(0, "target", label)
    df["then"], df["now"] = p0.label, p1.label
    for col in ("then_years", "now_years"):
        df[col] = df[col].astype("Int64")
    rows = _records(df[["target", "comparator", "measure", "unit", "then", "now", "then_value",
                        "now_value", "then_years", "now_years", "change", "change_pct",
                        "cagr_pct"]])
    notes = THENNOW_METHOD
    if constant_prices:
        notes += " " + DEFLATOR_NOTE.format(base=base_year)
    notes += " " + " ".join(highlights(rows))
    return Answer(rows, provenance(store, ["imf_dots", "wdi_japan_oda", "one_net_flows",
                                           "unctad_fdi", "wdi"]), "see unit column", notes)


MEASURE_LABELS = {
    "exports_usd": "exports", "imports_usd": "imports", "total_trade_usd": "total trade",
    "net_oda_usd": "net ODA", "official_loans_usd": "official loan disbursements",
    "official_grants_usd": "official grants", "fdi_inflow_usd": "FDI inflows",
}


def deflator_years(store: Store) -> tuple[int, int]:
    """The years the US GDP deflator covers (the base year must be one of them)."""
    row = store.query("SELECT min(year), max(year) FROM macro_indicators WHERE "
                      "indicator_code = 'NY.GDP.DEFL.KD.ZG' AND country_iso3 = 'USA'").rows[0]
    return int(row[0]), int(row[1])


def highlights(rows: Sequence[Row], limit: int = 3) -> list[str]:
    """Sentences on what changed most for Japan, written only where the data support them."""
    out = []
    japan = [r for r in rows if r["comparator"] == "JPN" and r["then_value"] is not None
             and r["now_value"] is not None]
    by_measure = {r["measure"]: r for r in japan}
    rank = by_measure.get("rank_among_partners")
    if rank and rank["then_value"] != rank["now_value"]:
        out.append(f"Japan's rank among {rows[0]['target']}'s partners moved from "
                   f"{rank['then_value']:.0f} to {rank['now_value']:.0f}.")
    share = by_measure.get("share_of_partner_trade_pct")
    if share:
        out.append(f"Japan's share of {rows[0]['target']}'s trade went from "
                   f"{share['then_value']:.1f} % to {share['now_value']:.1f} %.")
    usd = sorted((r for r in japan if r["measure"] not in SHARE_MEASURES
                  and r["measure"] != "balance_usd" and r["change_pct"] is not None),
                 key=lambda r: -abs(r["change_pct"]))
    for r in usd[:limit - len(out) if limit > len(out) else 0]:
        out.append(f"Largest change: Japan's {MEASURE_LABELS.get(r['measure'], r['measure'])} "
                   f"{r['change_pct']:+.0f} % ({r['then']} to {r['now']}).")
    return out


def trade_indicators(store: Store, target: str = "LAC", years: str | Period = "2016-2020"
                     ) -> Answer:
    """Per country and year: trade intensity with Japan, dependence on Japan, mirror gaps."""
    _, members = resolve_target(store, target)
    p = period(years)
    with duckdb_tables(store) as t:
        flows, macro = t["trade_flows"], t["macro_indicators"]
        tii = indicators.trade_intensity(flows, members).select("year", "partner_iso3", "tii")
        tii = tii.rename(country_iso3="partner_iso3")
        dep = indicators.dependence(flows, macro, members)
        gaps = indicators.mirror_gaps(flows, members)
        gap_wide = gaps.group_by(["year", "country_iso3"]).agg(
            mirror_gap_japan_exports_pct=gaps.gap_pct.max(
                where=gaps.direction == "partner_to_country"),
            mirror_gap_japan_imports_pct=gaps.gap_pct.max(
                where=gaps.direction == "country_to_partner"),
            mirror_flagged=gaps.flagged.any())
        j = dep.left_join(tii, ["year", "country_iso3"]).drop("year_right",
                                                              "country_iso3_right")
        j = j.left_join(gap_wide, ["year", "country_iso3"]).drop("year_right",
                                                                 "country_iso3_right")
        df = j.filter(j.year.between(p.start, p.end)).order_by(["country_iso3", "year"]).execute()
    notes = (f"Years {p.label}. tii: trade intensity of Japan's exports (x_ij/X_i)/(M_j/(M_w - "
             "M_i)); >1 = the country takes more of Japan's exports than its weight in world "
             "imports. exports/imports_share_pct: the country's trade with Japan as % of its "
             "trade with the World (its own reports). Mirror gaps compare the importer's CIF "
             "report with the exporter's FOB report; CIF is normally a few % higher; gaps beyond "
             f"±{indicators.MIRROR_THRESHOLD_PCT:.0f} % are flagged.")
    return Answer(_records(df), provenance(store, ["imf_dots", "wdi"]), "see column names",
                  notes)


def concentration(store: Store) -> Answer:
    with duckdb_tables(store) as t:
        df = indicators.concentration(t["trade_flows"], lac33(store)).order_by("year").execute()
    return Answer(_records(df), provenance(store, ["imf_dots"]), "index (0-1)",
                  "Herfindahl-Hirschman index of Japan's trade with the LAC33 across partners "
                  "(sum of squared partner shares; 1 = one partner), as Japan reports.")


def rank(store: Store, years: str | Period = "2015-2019",
         weights: Mapping[str, float] | None = None, compare: str | Period | None = None
         ) -> Answer:
    """The LAC33 ranked by importance to Japan, each driver's contribution, and the move
    since another period."""
    p = period(years)
    members = lac33(store)
    with duckdb_tables(store) as t:
        values = ranking.driver_values(t, members, p).execute()
        before = ranking.driver_values(t, members, period(compare)).execute() if compare else None
    scored = ranking.score(values, members, weights)
    names = dict(store.query("SELECT iso3, name_en FROM countries WHERE is_lac33").rows)
    scored.insert(1, "name", scored.country_iso3.map(names))
    if before is not None:
        prev = ranking.score(before, members, weights).set_index("country_iso3")["rank"]
        scored["rank_before"] = scored.country_iso3.map(prev)
        scored["rank_move"] = scored.rank_before - scored["rank"]
    w = {**ranking.DEFAULT_WEIGHTS, **(weights or {})}
    notes = (f"Period {p.label}" + (f", compared with {period(compare).label}" if compare
                                    else "") + ". Each driver is turned into a percentile "
             "across the countries with data (0 lowest, 1 highest); the score is the weighted "
             "mean over the drivers a country has data for. Weights: "
             + ", ".join(f"{k}={v:g}" for k, v in w.items()) + ". Drivers: "
             + " ".join(f"{d.name}: {d.method}" for d in ranking.DRIVERS))
    sources = ["imf_dots", "unctad_fdi", "wdi_japan_oda", "one_net_flows", "wdi", "events",
               "un_votes"]
    return Answer(_records(scored), provenance(store, sources), "score 0-1", notes)


def shift_share(store: Store, then: str | Period = "2000-2004", now: str | Period = "2016-2020"
                ) -> Answer:
    p0, p1 = period(then), period(now)
    if p0.end >= p1.start:
        raise InvalidRequest(f"then={p0.label} must end before now={p1.label} starts.")
    with duckdb_tables(store) as t:
        df = ranking.shift_share(t["trade_flows"], lac33(store), p0, p1).execute()
    df = df.sort_values("change", ascending=False)
    return Answer(_records(df), provenance(store, ["imf_dots"]), "USD (current)",
                  f"Change in Japan's exports to each country, {p0.label} to {p1.label} (period "
                  "means), = market effect (the country's import growth at Japan's initial "
                  "share) + share effect (the change in Japan's share at the final market "
                  "size). Exports as Japan reports them; markets as each country reports.")


def event(store: Store, event_id: str, window: int = 3) -> Answer:
    """What a visit or agreement accomplished: before/after against the other LAC countries."""
    if not 1 <= window <= 10:
        raise InvalidRequest(f"window={window} must be between 1 and 10 years.")
    found = store.query("SELECT event_id, date_text, year, event_type, japanese_actor, "
                        "lac_countries, region_wide, title, description, source_urls "
                        "FROM events WHERE event_id = ?", [event_id]).records()
    if not found:
        like = store.query("SELECT event_id FROM events WHERE event_id ILIKE ? ORDER BY 1 "
                           "LIMIT 5", [f"%{event_id}%"]).rows
        hint = ("; close matches: " + ", ".join(r[0] for r in like)) if like else (
            "; list events with `kakehashi sql \"SELECT event_id, title FROM events\"`")
        raise NotFound(f"No event {event_id!r}{hint}.")
    ev = found[0]
    members = lac33(store)
    treated = list(ev["lac_countries"]) if not ev["region_wide"] else []
    year = int(ev["year"])
    with duckdb_tables(store) as t:
        panel = eventstudy.outcome_panel(t, members, year - window, year + window).execute()
    results = eventstudy.did(panel, treated, year, window) if treated else []
    related = store.query(
        "SELECT e.date_text, e.event_type, e.title FROM events e WHERE e.event_id <> ? "
        "AND e.year BETWEEN ? AND ? AND list_has_any(e.lac_countries, ?) "
        "AND e.event_type IN ('agreement_signed', 'agreement_in_force', 'financing') "
        "ORDER BY e.date_start", [event_id, year - 1, year + 1, treated]).records()
    rows = [{k: v for k, v in asdict(r).items() if k != "by_country"} for r in results]
    notes = (f"{ev['date_text']}: {ev['title']} ({ev['event_type']}, {ev['japanese_actor']}). "
             f"{ev['description']} Before: {year - window}-{year - 1}; after: {year + 1}-"
             f"{year + window} (the event year is left out; IMF trade ends in 2020, IDS in "
             "2022, UN votes in 2019). Difference in differences: the mean change of the "
             "countries concerned minus that of the other LAC33 countries with data; p-value "
             "from all (or 5,000 random) equally sized sets of countries. "
             + ("Related agreements and financing within a year: "
                + "; ".join(f"{r['date_text']} {r['title']}" for r in related) + "."
                if related else "No related agreement or financing within a year.")
             + ("" if treated else " The event concerns the region as a whole: no country "
                "comparison is possible."))
    return Answer(_clean_rows(rows), provenance(store, ["events", "imf_dots", "wdi_japan_oda",
                                                        "one_net_flows", "un_votes"]),
                  "see outcome", notes)


def _clean_rows(rows: list[Row]) -> list[Row]:
    return [{k: _clean(v) for k, v in r.items()} for r in rows]


def diplomatic_support(store: Store, target: str, by_issue: bool = False) -> Answer:
    """UNGA voting agreement of a country (or group) with Japan, the USA and China by year."""
    label, members = resolve_target(store, target)
    with duckdb_tables(store) as t:
        a = votes.agreement(t["un_votes"], t["un_roll_calls"], members,
                            issues=t["un_roll_call_issues"] if by_issue else None)
        keys = ["year", "issue", "with_iso3"] if by_issue else ["year", "with_iso3"]
        pooled = a.group_by(keys).agg(
            votes=a.votes.sum(), agreement=(a.agreement * a.votes).sum() / a.votes.sum())
        df = pooled.order_by(keys).execute()
    return Answer(_records(df), provenance(store, ["un_votes"]), "share of roll calls",
                  f"{label}: share of UNGA roll calls on which it voted as Japan (or the USA, "
                  "China) did, among roll calls both voted on (absences excluded); groups pool "
                  "their members' votes. Data end in January 2020.")


def coherence(store: Store) -> Answer:
    with duckdb_tables(store) as t:
        panel = coherence_mod.decade_panel(t, lac33(store)).execute()
    summary, gaps = coherence_mod.coherence(panel)
    names = dict(store.query("SELECT iso3, name_en FROM countries WHERE is_lac33").rows)
    outliers = gaps[gaps.label != ""].copy()
    outliers["name"] = outliers.country_iso3.map(names)
    notes = ("Per decade, Spearman rank correlation across the LAC33 of Japan's attention "
             "(curated events) and net ODA with its economic weight (mean annual trade, as "
             "Japan reports); p-values by permutation. Outliers: largest gaps between the "
             "attention rank and the weight rank. The 2020s hold trade for 2020 only. "
             + " ".join(f"{int(r.decade)}s: {r.measure} rho={r.rho:.2f} (p={r.p_value:.3f}, "
                        f"n={int(r.countries)})." for r in summary.itertuples()))
    data = _records(summary.assign(kind="correlation")) + _records(
        outliers.assign(kind="outlier"))
    return Answer(data, provenance(store, ["imf_dots", "wdi_japan_oda", "events"]), "",
                  notes)


SERIES = {
    "exports": ("Japan's exports", "export"),
    "imports": ("Japan's imports", "import"),
    "trade": ("Japan's total trade", None),
}


def outlook_answer(store: Store, target: str = "LAC", series: str = "trade",
                   horizon: int = 5, fit_years: int = 15) -> Answer:
    if series not in SERIES:
        raise InvalidRequest(f"series={series!r}; use one of {', '.join(SERIES)}.")
    if not 1 <= horizon <= 10:
        raise InvalidRequest(f"horizon={horizon} must be between 1 and 10 years.")
    label, members = resolve_target(store, target)
    title, flow = SERIES[series]
    with duckdb_tables(store) as t:
        f = annual_flows(t["trade_flows"], reporters=["JPN"], partners=members, flow=flow)
        df = f.group_by("year").agg(value=f.value_usd.sum()).order_by("year").execute()
    try:
        out = outlook.project(df.set_index("year").value, horizon, fit_years)
    except ValueError as exc:
        raise InvalidRequest(f"{title} with {label}: {exc}.") from None
    return Answer(_records(out), provenance(store, ["imf_dots"]), "USD (current)",
                  f"{title} with {label} (IMF DOTS, as Japan reports). " + out.attrs["label"])


def sectors(store: Store, reporter: str = "MEX", years: str | Period = "2019",
            partners: Sequence[str] = ("JPN", "CHN", "USA")) -> Answer:
    """Which HS sections dominate the reporter's trade with Japan, China and the USA."""
    p = period(years)
    have = [r[0] for r in store.query("SELECT DISTINCT reporter_iso3 FROM product_trade "
                                      "ORDER BY 1").rows]
    code = reporter.strip().upper()
    if code not in have:
        raise NotFound(f"No product-level data for {reporter!r}: the bundled product data "
                       f"cover {', '.join(have)} only (UN Comtrade HS4).")
    with duckdb_tables(store) as t:
        df = products.sector_shares(t["product_trade"], t["hs_sections"], code, partners,
                                    p.start, p.end).execute()
    return Answer(_records(df), provenance(store, ["comtrade_mexico", "hs_codes",
                                                   "ots_reference"]), "USD (current)",
                  f"{code}'s trade by HS section with {', '.join(partners)}, mean per year "
                  f"{p.label}, as {code} reports it to UN Comtrade. Small partner flows are "
                  "missing from this extract (exports to Japan are 50-79 % covered): read it "
                  "for composition, not totals.")


__all__ = ["coherence", "concentration", "diplomatic_support", "event",
           "outlook_answer", "rank", "resolve_target", "sectors", "shift_share", "thennow",
           "trade_indicators"]
