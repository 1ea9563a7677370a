"""Panels for the analytics, shared by the region, country and analytics pages.

Each builder takes answers from `asks` (that is, from `kakehashi.questions`) and arranges
them for display: picking rows, pivoting a long table, naming codes. No analytic is computed
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from kakehashi import questions
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest
from kakehashi.store.reader import Store
from kakehashi.web import asks, charts_analytics
from kakehashi.web.i18n import _
from kakehashi.web.rendering import Column, Panel

COMPARATOR_NAMES = {"JPN": "Japan", "CHN": "China", "USA": "United States",
                    "KOR": "Korea, Rep.", "EUU": "European Union"}
# measure: (label, format kind of its values)
MEASURES: dict[str, tuple[str, str]] = {
    "exports_usd": ("Exports to the target (USD mn)", "mn"),
    "imports_usd": ("Imports from the target (USD mn)", "mn"),
    "total_trade_usd": ("Total trade (USD mn)", "mn"),
    "balance_usd": ("Balance, exports − imports (USD mn)", "mn"),
    "share_of_partner_exports_pct": ("Share of the target's exports (%)", "pct"),
    "share_of_partner_imports_pct": ("Share of the target's imports (%)", "pct"),
    "share_of_partner_trade_pct": ("Share of the target's trade (%)", "pct"),
    "rank_among_partners": ("Rank among the target's partners", "int"),
    "net_oda_usd": ("Net bilateral ODA (USD mn)", "mn"),
    "official_loans_usd": ("Official loan disbursements (USD mn)", "mn"),
    "official_grants_usd": ("Official grants (USD mn)", "mn"),
    "fdi_inflow_usd": ("FDI inflows (USD mn)", "mn"),
}
def summary_columns() -> list[Column]:
    return [
        Column("comparator_name", _("Partner")),
        Column("then_trade", _("Then: trade per year (USD mn)"), "mn"),
        Column("now_trade", _("Now: trade per year (USD mn)"), "mn"),
        Column("change_pct", _("Change (%)"), "pct"),
        Column("cagr_pct", _("CAGR (%)"), "pct"),
        Column("then_share", _("Then: share of target's trade (%)"), "pct"),
        Column("now_share", _("Now: share of target's trade (%)"), "pct"),
        Column("then_rank", _("Then: rank"), "int"),
        Column("now_rank", _("Now: rank"), "int"),
    ]


@dataclass
class Group:
    """Rows of one comparator in the then-vs-now table."""

    code: str
    name: str
    rows: list[dict[str, Any]]


def thennow_query(target: str, then: str, now: str, constant: bool = False,
                  base_year: int = asks.DEFAULT_BASE_YEAR) -> str:
    params: dict[str, str] = {"target": target, "then": then, "now": now}
    if constant:
        params.update(constant="true", base_year=str(base_year))
    return urlencode(params)


def thennow_groups(answer: Answer, comparators: tuple[str, ...] | None = None) -> list[Group]:
    """The long then-vs-now rows grouped by comparator, measures in a fixed order."""
    order = list(MEASURES)
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in answer.data:
        if comparators and r["comparator"] not in comparators:
            continue
        label, kind = MEASURES.get(r["measure"], (r["measure"], "num"))
        groups.setdefault(r["comparator"], []).append({**r, "label": _(label), "kind": kind})
    return [Group(code, _(COMPARATOR_NAMES.get(code, code)),
                  sorted(rows, key=lambda r: order.index(r["measure"])
                         if r["measure"] in order else len(order)))
            for code, rows in groups.items()]


def thennow_summary(answer: Answer) -> list[dict[str, Any]]:
    """One row per comparator: total trade, its change, share and rank, then and now."""
    out: dict[str, dict[str, Any]] = {}
    for r in answer.data:
        row = out.setdefault(r["comparator"], {
            "comparator": r["comparator"],
            "comparator_name": _(str(COMPARATOR_NAMES.get(r["comparator"], r["comparator"])))})
        if r["measure"] == "total_trade_usd":
            row.update(then_trade=r["then_value"], now_trade=r["now_value"],
                       change_pct=r["change_pct"], cagr_pct=r["cagr_pct"])
        elif r["measure"] == "share_of_partner_trade_pct":
            row.update(then_share=r["then_value"], now_share=r["now_value"])
        elif r["measure"] == "rank_among_partners":
            row.update(then_rank=r["then_value"], now_rank=r["now_value"])
    return list(out.values())


def thennow_panel(answer: Answer, target: str, label: str, query: str, then: str,
                  now: str) -> Panel:
    return Panel(
        "thennow", _("Then ({then}) and now ({now})", then=then, now=now), answer,
        f"/api/analytics/thennow?{query}",
        spec=charts_analytics.thennow_bars(answer.data, COMPARATOR_NAMES, label),
        rows=thennow_summary(answer), columns=summary_columns(),
        intro=_("Japan, China, the USA, Korea and the EU with {label}: mean annual goods trade "
                "as each partner reports it, and its share of and rank among the target's "
                "partners as the target reports them.", label=label),
        empty=_("No trade data for these periods."))


def highlights(answer: Answer) -> list[str]:
    return questions.highlights(answer.data) if answer.data else []


# -- country additions ------------------------------------------------------------------------

def votes_by_issue(store: Store, code: str, name: str) -> tuple[Panel, str]:
    """Agreement by issue with Japan, the USA and China over the latest decade with votes."""
    answer = asks.votes(store, code, "true")
    years = [int(r["year"]) for r in answer.data if r["votes"]]
    decade = (max(years) - 1) // 10 * 10 if years else 0  # 2020 holds January only
    span = f"{decade}-{decade + 9}"
    pooled: dict[tuple[str, str], list[float]] = {}
    for r in answer.data:
        if decade <= int(r["year"]) <= decade + 9 and r["votes"]:
            acc = pooled.setdefault((r["issue"], r["with_iso3"]), [0.0, 0.0])
            acc[0] += float(r["agreement"]) * int(r["votes"])
            acc[1] += int(r["votes"])
    rows: dict[str, dict[str, Any]] = {}
    for (issue, with_iso3), (same, total) in sorted(pooled.items()):
        row = rows.setdefault(issue, {"issue": issue})
        row[with_iso3] = same / total if total else None
        row[f"{with_iso3}_votes"] = int(total)
    columns = [Column("issue", _("Issue"))]
    for c in ("JPN", "USA", "CHN"):
        columns += [Column(c, _("With {who}", who=_(COMPARATOR_NAMES[c])), "share"),
                    Column(f"{c}_votes", _("Roll calls"), "int")]
    panel = Panel(
        "votes-issue", _("UN votes by issue, {span}: {name}", span=span, name=name), answer,
        f"/api/analytics/votes?target={code}&by_issue=true", chart=False,
        rows=list(rows.values()), columns=columns,
        intro=_("Share of roll calls on which both voted and voted alike, pooled over the "
                "decade's roll calls of each issue category (a roll call can have several)."),
        empty=_("No UN votes by issue for this country."))
    return panel, span


def indicators_panel(store: Store, code: str, name: str, years: str) -> Panel:
    answer = asks.indicators(store, code, years)
    rows = [{**r, "flag": _("Flagged") if r["mirror_flagged"] else ""} for r in answer.data]
    return Panel(
        "indicators", _("Trade intensity, dependence and mirror gaps: {name}, {years}",
                        name=name, years=years), answer,
        f"/api/analytics/indicators?target={code}&years={years}", chart=False, rows=rows,
        columns=[Column("year", _("Year"), "year"), Column("tii", _("Trade intensity"), "num"),
                 Column("exports_share_pct", _("Exports to Japan (% of exports)"), "pct"),
                 Column("imports_share_pct", _("Imports from Japan (% of imports)"), "pct"),
                 Column("exports_to_partner_gdp_pct", _("Exports to Japan (% of GDP)"), "num"),
                 Column("mirror_gap_japan_exports_pct", _("Mirror gap, Japan's exports (%)"),
                        "pct"),
                 Column("mirror_gap_japan_imports_pct", _("Mirror gap, Japan's imports (%)"),
                        "pct"),
                 Column("flag", _("Gap beyond ±25 %"))],
        intro=_("Trade intensity above 1: the country takes more of Japan's exports than its "
                "weight in world imports predicts. Mirror gaps: the importer's (CIF) report "
                "over the exporter's (FOB); rows with a gap beyond ±25 % are highlighted."),
        empty=_("No indicators for these years (the country's own IMF reports are missing)."))


def outlook_panel(store: Store, target: str, who: str, pid: str = "outlook") -> Panel:
    title = questions.SERIES["trade"][0]
    try:
        answer = asks.outlook(store, target, "trade", "5")
        spec = charts_analytics.outlook_chart(answer.data, who, title)
        empty = _("No data to project.")
    except InvalidRequest as exc:
        answer, spec = Answer([], [], "", ""), None
        empty = _("No projection: {reason}", reason=str(exc))
    return Panel(
        pid, _("Outlook: {title} with {who} (projection, not a forecast)", title=_(title),
               who=who), answer,
        f"/api/analytics/outlook?target={target}&series=trade&horizon=5", spec=spec,
        intro=_("A straight-line trend fitted to the last 15 years and extended 5 years, with "
                "80 % and 95 % prediction bands. Projection, not a forecast: it shows where "
                "the recent trend leads, not what will happen."),
        columns=[Column("year", _("Year"), "year"), Column("kind", _("Kind")),
                 Column("value", _("USD mn"), "mn"), Column("lower_95", _("95 % low"), "mn"),
                 Column("lower_80", _("80 % low"), "mn"),
                 Column("upper_80", _("80 % high"), "mn"),
                 Column("upper_95", _("95 % high"), "mn")],
        empty=empty)


# -- region additions -------------------------------------------------------------------------

def hhi_panel(store: Store) -> Panel:
    answer = asks.concentration(store)
    return Panel(
        "region-hhi", _("Concentration of Japan's LAC trade (Herfindahl-Hirschman index)"),
        answer, "/api/analytics/concentration",
        spec=charts_analytics.hhi_lines(answer.data),
        intro=_("Sum of the squared shares of the LAC33 partners in Japan's trade with the "
                "region: higher means fewer partners carry more of it."),
        columns=[Column("year", _("Year"), "year"), Column("partners", _("Partners"), "int"),
                 Column("hhi", "HHI", "idx"),
                 Column("top_partner_share", _("Largest partner's share"), "share")])


def coherence_panels(store: Store) -> tuple[Panel, dict[int, dict[str, list[str]]]]:
    answer = asks.coherence(store)
    corr = [{**r, "measure_label": _("Attention (events)") if r["measure"] == "attention"
             else _("Net ODA")} for r in answer.data if r["kind"] == "correlation"]
    outliers: dict[int, dict[str, list[str]]] = {}
    for r in answer.data:
        if r["kind"] == "outlier":
            outliers.setdefault(int(r["decade"]), {}).setdefault(r["label"], []).append(
                str(r["name"]))
    panel = Panel(
        "region-coherence", _("Coherence: do attention and aid follow economic weight?"),
        answer, "/api/analytics/coherence", chart=False, rows=corr,
        columns=[Column("decade", _("Decade"), "year"), Column("measure_label", _("Measure")),
                 Column("rho", "Spearman rho", "num"), Column("p_value", _("p-value"), "p"),
                 Column("countries", _("Countries"), "int")],
        intro=_("Per decade, the rank correlation across the LAC33 of Japan's diplomatic "
                "attention (curated events) and of its net ODA with its trade with each "
                "country. rho near 1: attention or aid goes where the trade is."),
        empty=_("No data."))
    return panel, dict(sorted(outliers.items()))
