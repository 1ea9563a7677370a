"""Trade building blocks: annual IMF DOTS flows, comparator trade, partners' shares and ranks."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from kakehashi.analytics.periods import Period

COMPARATORS = ("JPN", "CHN", "USA", "KOR", "EUU")
WORLD = "WLD"


# Annual bilateral trade totals, most preferred first: a newer vintage fetched from the IMF's
# API (`kakehashi update`) wins over the bundled IMF DOTS copy for the same key.
ANNUAL_TRADE_SOURCES = ("imf_imts_api", "imf_dots")
KEY = ["reporter_iso3", "partner_iso3", "flow", "year"]


def annual_flows(flows: ir.Table, *, reporters: Sequence[str] | None = None,
                 partners: Sequence[str] | None = None, flow: str | None = None,
                 years: Period | Sequence[Period] | None = None) -> ir.Table:
    """Annual bilateral totals: (reporter_iso3, partner_iso3, flow, year, value_usd), one row
    per key, from the most preferred source that has it (ANNUAL_TRADE_SOURCES). Summing first
    makes every analytic correct on a finer table of the same shape too (e.g. product-level
    rows with an extra hs6 column).

    ``reporters``, ``partners``, ``flow`` and ``years`` (a period, or several) keep only
    those keys. They select rows before the sum, which gives the same result as filtering the
    totals (they are key columns) but lets the engine read only the row groups and files they
    match: an analytic with several branches calls this once per branch, with its own keys."""
    keep = [flows.source_id.isin(list(ANNUAL_TRADE_SOURCES)), flows.month.isnull()]
    if reporters is not None:
        keep.append(flows.reporter_iso3.isin(list(reporters)))
    if partners is not None:
        keep.append(flows.partner_iso3.isin(list(partners)))
    if flow is not None:
        keep.append(flows.flow == flow)
    if years is not None:
        periods = [years] if isinstance(years, Period) else list(years)
        keep.append(ibis.or_(*(p.contains(flows.year) for p in periods)))
    f = flows.filter(*keep)
    by = f.group_by([*KEY, "source_id"]).agg(value_usd=f.value_usd.sum())
    if len(ANNUAL_TRADE_SOURCES) == 1:
        return by.drop("source_id")
    # One aggregate (a window here makes DuckDB aggregate the table twice). No ties: `by` has
    # one row per key and source, and each source its own priority. value_usd is never null
    # (schema), so DuckDB's first(... ORDER BY) and Spark's min_by agree.
    priority = ibis.cases(*((by.source_id == s, i) for i, s in enumerate(ANNUAL_TRADE_SOURCES)))
    return by.group_by(KEY).agg(value_usd=by.value_usd.argmin(priority))


def _two_ways(f: ir.Table, keys: Sequence[str | ir.Value]) -> ir.Table:
    return f.group_by(list(keys)).agg(
        exports_usd=f.value_usd.sum(where=f.flow == "export"),
        imports_usd=f.value_usd.sum(where=f.flow == "import"),
    )


def comparator_trade(flows: ir.Table, members: Sequence[str],
                     comparators: Sequence[str] = COMPARATORS) -> ir.Table:
    """(year, comparator, exports_usd, imports_usd): each comparator's own report of its trade
    with the members, summed over members."""
    f = annual_flows(flows, reporters=comparators, partners=members)
    return _two_ways(f, ["year", f.reporter_iso3.name("comparator")])


def members_trade_by_partner(flows: ir.Table, members: Sequence[str]) -> ir.Table:
    """(year, partner_iso3, exports_usd, imports_usd) as reported by the members, summed:
    the members' trade with each partner and (partner WLD) with the world."""
    f = annual_flows(flows, reporters=members)
    return _two_ways(f, ["year", "partner_iso3"])


def period_mean(t: ir.Table, start: int, end: int, keys: Sequence[str],
                values: Sequence[str]) -> ir.Table:
    """Mean per year over [start, end] of each value column, with the years that had data."""
    p = t.filter(t.year.between(start, end))
    return p.group_by(list(keys)).agg(
        n_years=p.year.nunique(), **{v: p[v].mean() for v in values}
    )


def shares_and_ranks(by_partner: ir.Table, countries: ir.Table, start: int, end: int,
                     comparators: Sequence[str] = COMPARATORS) -> ir.Table:
    """For one period: each comparator's share of the members' exports, imports and trade
    (their own reports) and its rank among the members' partner economies by total trade."""
    p = period_mean(by_partner, start, end, ["partner_iso3"], ["exports_usd", "imports_usd"])
    p = p.mutate(trade_usd=p.exports_usd.fill_null(0) + p.imports_usd.fill_null(0))
    world = p.filter(p.partner_iso3 == WORLD).select(
        world_exports=p.exports_usd, world_imports=p.imports_usd, world_trade=p.trade_usd)
    economies = countries.filter(countries.kind == "economy").select("iso3")
    ranked = p.join(economies, p.partner_iso3 == economies.iso3)
    ranked = ranked.mutate(rank=ibis.rank().over(order_by=ibis.desc(ranked.trade_usd)) + 1)
    ranked = ranked.select("partner_iso3", "rank")
    c = p.filter(p.partner_iso3.isin(list(comparators))).cross_join(world)
    c = c.left_join(ranked, "partner_iso3")
    return c.select(
        comparator=c.partner_iso3,
        share_of_partner_exports_pct=c.exports_usd / c.world_exports * 100,
        share_of_partner_imports_pct=c.imports_usd / c.world_imports * 100,
        share_of_partner_trade_pct=c.trade_usd / c.world_trade * 100,
        rank_among_partners=c.rank.cast("float64"),
    )
