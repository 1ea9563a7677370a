"""Which sectors dominate a country's trade with a partner (where product data exist)."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir


def sector_shares(product_trade: ir.Table, hs_sections: ir.Table, reporter: str,
                  partners: Sequence[str], start: int, end: int) -> ir.Table:
    """(partner_iso3, flow, section_number, section, value_usd, share_pct): mean annual value
    of the reporter's trade with each partner by HS section over [start, end], and the
    section's share of that partner's trade in that direction."""
    p = product_trade.filter((product_trade.reporter_iso3 == reporter)
                             & product_trade.partner_iso3.isin(list(partners))
                             & product_trade.year.between(start, end))
    years = p.year.nunique()
    by = p.group_by(["partner_iso3", "flow", p.hs_section.name("section_number")]).agg(
        value_usd=p.value_usd.sum(), n_years=years)
    by = by.mutate(value_usd=by.value_usd / by.n_years).drop("n_years")
    total = by.value_usd.sum().over(group_by=["partner_iso3", "flow"])
    by = by.mutate(share_pct=by.value_usd / total * 100)
    names = hs_sections.select("section_number", section=hs_sections.name)
    j = by.join(names, "section_number")
    return j.order_by(["partner_iso3", "flow", ibis.desc("value_usd")])


def top_products(product_trade: ir.Table, reporter: str, partner: str, year: int,
                 n: int = 10) -> ir.Table:
    """The reporter's top ``n`` HS4 headings with the partner in a year, both directions."""
    p = product_trade.filter((product_trade.reporter_iso3 == reporter)
                             & (product_trade.partner_iso3 == partner)
                             & (product_trade.year == year))
    by = p.group_by(["flow", "hs4", "hs4_description"]).agg(value_usd=p.value_usd.sum())
    by = by.mutate(rank=ibis.row_number().over(group_by="flow",
                                               order_by=ibis.desc(by.value_usd)) + 1)
    return by.filter(by["rank"] <= n).order_by(["flow", "rank"])
