"""Then vs now: Japan (and China, the USA, Korea, the EU) with a LAC country or group."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from kakehashi.analytics.periods import Period, to_constant
from kakehashi.analytics.trade import (
    COMPARATORS,
    comparator_trade,
    members_trade_by_partner,
    shares_and_ranks,
)

USD_MEASURES = ("exports_usd", "imports_usd", "balance_usd", "total_trade_usd", "net_oda_usd",
                "official_loans_usd", "official_grants_usd", "fdi_inflow_usd")
SHARE_MEASURES = ("share_of_partner_exports_pct", "share_of_partner_imports_pct",
                  "share_of_partner_trade_pct", "rank_among_partners")
METHOD = (
    "Trade: IMF DOTS annual values; exports and imports as reported by the comparator (Japan, "
    "China, USA, Korea, EU), summed over the LAC countries chosen. Shares and ranks: the LAC "
    "countries' own reports of their trade with each partner, over their trade with the World; "
    "rank among partner economies (the EU is a group and has no rank). Official finance: Japan's "
    "net bilateral ODA (WDI/OECD DAC2a); official loans = bilateral concessional and "
    "non-concessional loan disbursements and grants received from the comparator (World Bank "
    "IDS via ONE, 23 LAC reporters, 2000-2022). FDI: net inflows from the comparator (UNCTAD, "
    "2001-2012). A period's value is the mean of the years with data (then_years, now_years); "
    "CAGR runs between the periods' midpoints. A measure with no data in a period has no value."
)


def _long(t: ir.Table, measures: Sequence[str]) -> ir.Table:
    parts = [t.select("year", "comparator", measure=ibis.literal(m), value=t[m].cast("float64"))
             for m in measures]
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p)
    return out.filter(out.value.notnull())


def yearly_measures(flows: ir.Table, finance: ir.Table, fdi: ir.Table, members: Sequence[str],
                    comparators: Sequence[str] = COMPARATORS) -> ir.Table:
    """(year, comparator, measure, value) for every USD measure, annual, current prices."""
    trade = comparator_trade(flows, members, comparators)
    trade = trade.mutate(balance_usd=trade.exports_usd - trade.imports_usd,
                         total_trade_usd=trade.exports_usd + trade.imports_usd)
    trade_long = _long(trade, ("exports_usd", "imports_usd", "balance_usd", "total_trade_usd"))
    fin = finance.filter(finance.recipient_iso3.isin(list(members))
                         & finance.creditor_iso3.isin(list(comparators))
                         & (finance.creditor_type == "bilateral"))
    loans = fin.filter((fin.source_id == "one_net_flows") & (fin.measure == "inflow"))
    fin_by_year = fin.group_by(["year", fin.creditor_iso3.name("comparator")]).agg(
        net_oda_usd=fin.value_usd.sum(where=(fin.source_id == "wdi_japan_oda")),
    )
    loans_by_year = loans.group_by(["year", loans.creditor_iso3.name("comparator")]).agg(
        official_loans_usd=loans.value_usd.sum(
            where=loans.instrument.isin(["concessional_loan", "non_concessional_loan"])),
        official_grants_usd=loans.value_usd.sum(where=loans.instrument == "grant"),
    )
    f = fdi.filter(fdi.host_iso3.isin(list(members)) & fdi.origin_iso3.isin(list(comparators)))
    fdi_by_year = f.group_by(["year", f.origin_iso3.name("comparator")]).agg(
        fdi_inflow_usd=f.value_usd.sum())
    return (
        trade_long.union(_long(fin_by_year, ("net_oda_usd",)))
        .union(_long(loans_by_year, ("official_loans_usd", "official_grants_usd")))
        .union(_long(fdi_by_year, ("fdi_inflow_usd",)))
    )


def _period(yearly: ir.Table, p: Period, prefix: str) -> ir.Table:
    t = yearly.filter(yearly.year.between(p.start, p.end))
    return t.group_by(["comparator", "measure"]).agg(
        **{f"{prefix}_value": t.value.mean(),
           f"{prefix}_years": t.year.nunique().cast("int64")})


def _shares(flows: ir.Table, countries: ir.Table, members: Sequence[str], p: Period,
            prefix: str, comparators: Sequence[str]) -> ir.Table:
    s = shares_and_ranks(members_trade_by_partner(flows, members), countries, p.start, p.end,
                         comparators)
    parts = [s.select("comparator", measure=ibis.literal(m),
                      **{f"{prefix}_value": s[m].cast("float64"),
                         f"{prefix}_years": ibis.literal(p.years, type="int64")})
             for m in SHARE_MEASURES]
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part)
    return out


def thennow(flows: ir.Table, finance: ir.Table, fdi: ir.Table, macro: ir.Table,
            countries: ir.Table, members: Sequence[str], then: Period, now: Period,
            *, constant_prices: bool = False, base_year: int = 2015,
            comparators: Sequence[str] = COMPARATORS) -> ir.Table:
    """One row per comparator and measure: the value then, now, the change and its CAGR."""
    yearly = yearly_measures(flows, finance, fdi, members, comparators)
    if constant_prices:
        yearly = to_constant(yearly, macro, base_year, column="value")
    a = _period(yearly, then, "then").union(
        _shares(flows, countries, members, then, "then", comparators))
    b = _period(yearly, now, "now").union(
        _shares(flows, countries, members, now, "now", comparators))
    j = a.outer_join(b, ["comparator", "measure"])
    j = j.select(
        comparator=j.comparator.fill_null(j.comparator_right),
        measure=j.measure.fill_null(j.measure_right),
        then_value=j.then_value, now_value=j.now_value,
        then_years=j.then_years, now_years=j.now_years,
    )
    span = now.midpoint - then.midpoint
    ratio = j.now_value / j.then_value
    growth = ibis.cases(
        ((j.then_value > 0) & (j.now_value > 0) & (span > 0),
         ((ratio.ln() / span).exp() - 1) * 100),
        else_=ibis.null("float64"),
    )
    is_share = j.measure.isin(list(SHARE_MEASURES))
    return j.mutate(
        change=j.now_value - j.then_value,
        change_pct=ibis.cases(
            ((j.then_value != 0) & (j.measure != "rank_among_partners"),
             (j.now_value - j.then_value) / j.then_value.abs() * 100),
            else_=ibis.null("float64")),
        cagr_pct=ibis.cases((~is_share, growth), else_=ibis.null("float64")),
    )
