"""Which products and sectors matter, then and now: product-level trade analytics.

Every function takes *product flows*: a table with columns (year, exporter_iso3,
importer_iso3, product, value_usd), one row per year, exporter, importer and product code. Two
adapters build it: `from_lake` (BACI at HS6, or cut to 4 or 2 digits) and `from_reported`
(the store's `product_trade` by HS4: Mexico's own declarations, or BACI rows that
`kakehashi update` added). The
functions filter on exporter, importer and year before they aggregate, so an engine reads only
the row groups it needs, and they never rank or window over the large table: ranks and shares
are computed after the per-product sums. Period values are means per year over the period
(sums divided by its length: callers check that the data cover every year of it).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from kakehashi.analytics.periods import Period

FLOW_COLUMNS = ("year", "exporter_iso3", "importer_iso3", "product", "value_usd")


# ---------------------------------------------------------------- adapters


def from_lake(product_flows: ir.Table, digits: int = 6) -> ir.Table:
    """The lake's `product_flows` as product flows at 6, 4 or 2 HS digits."""
    if digits not in (2, 4, 6):
        raise ValueError("digits must be 2, 4 or 6")
    f = product_flows
    product = f.hs6 if digits == 6 else f.hs6.substr(0, digits)
    f = f.select("year", "exporter_iso3", "importer_iso3", product=product,
                 value_usd=f.value_usd)
    if digits == 6:
        return f
    return f.group_by(["year", "exporter_iso3", "importer_iso3", "product"]).agg(
        value_usd=f.value_usd.sum())


def coarsen(flows: ir.Table, digits: int) -> ir.Table:
    """Product flows cut to the first ``digits`` digits of their codes (HS6 -> heading ->
    chapter) and summed."""
    f = flows.mutate(product=flows.product.substr(0, digits))
    return f.group_by(["year", "exporter_iso3", "importer_iso3", "product"]).agg(
        value_usd=f.value_usd.sum())


def from_reported(product_trade: ir.Table, source_id: str = "comtrade_mexico") -> ir.Table:
    """The store's `product_trade` rows of one source (HS4) as product flows: exports as
    reporter -> partner rows, imports as partner -> reporter rows. Sources: Mexico's own
    declarations (bundled), or BACI's exporter-view rows from `kakehashi update`."""
    p = product_trade.filter(product_trade.source_id == source_id)
    is_export = p.flow == "export"
    return p.select(
        "year",
        exporter_iso3=is_export.ifelse(p.reporter_iso3, p.partner_iso3),
        importer_iso3=is_export.ifelse(p.partner_iso3, p.reporter_iso3),
        product=p.hs4, value_usd=p.value_usd)


def convert(flows: ir.Table, concordance: ir.Table, from_revision: str,
            to_revision: str) -> ir.Table:
    """Product flows re-coded from one HS revision to another through a correlation table:
    merged codes add up, a split code's value is shared over its targets by the table's
    weights (equal shares), codes absent from the table are kept as they are."""
    c = concordance.filter((concordance.from_revision == from_revision)
                           & (concordance.to_revision == to_revision))
    c = c.select(product=c.from_hs6, to_hs6=c.to_hs6, weight=c.weight)
    j = flows.left_join(c, "product")
    j = j.select("year", "exporter_iso3", "importer_iso3",
                 product=j.to_hs6.fill_null(j.product),
                 value_usd=j.value_usd * j.weight.fill_null(1.0))
    return j.group_by(["year", "exporter_iso3", "importer_iso3", "product"]).agg(
        value_usd=j.value_usd.sum())


def split_codes(flows: ir.Table, concordance: ir.Table, from_revision: str,
                to_revision: str) -> ir.Table:
    """The codes in the flows that split (1:n or n:n) going from one revision to the other,
    with their value (product, relationship, targets, value_usd, share_pct): the part of the
    trade whose new codes are estimated, not observed."""
    c = concordance.filter((concordance.from_revision == from_revision)
                           & (concordance.to_revision == to_revision)
                           & concordance.relationship.isin(["1:n", "n:n"]))
    c = c.group_by(product=c.from_hs6).agg(relationship=c.relationship.max(),
                                            targets=c.to_hs6.count())
    by = flows.group_by("product").agg(value_usd=flows.value_usd.sum())
    by = by.mutate(share_pct=by.value_usd / by.value_usd.sum().over() * 100)
    j = by.join(c, "product")
    return j.order_by([ibis.desc("value_usd"), "product"])


def chapter_sections(hs_products: ir.Table, hs_sections: ir.Table) -> ir.Table:
    """(chapter, section_number, section): HS chapters (stable since HS1992) to sections."""
    ch = hs_products.filter(hs_products.level == 2).select(
        chapter=hs_products.hs_code, section_number=hs_products.section_number)
    names = hs_sections.select("section_number", section=hs_sections.name)
    return ch.join(names, "section_number")


def sector_shares(product_trade: ir.Table, hs_sections: ir.Table, reporter: str,
                  partners: Sequence[str], start: int, end: int) -> ir.Table:
    """(partner_iso3, flow, section_number, section, value_usd, share_pct): mean annual value
    of the reporter's trade with each partner by HS section over [start, end], and the
    section's share of that partner's trade in that direction (the reporter's own HS4
    declarations, `product_trade`)."""
    p = product_trade.filter((product_trade.reporter_iso3 == reporter)
                             & product_trade.partner_iso3.isin(list(partners))
                             & product_trade.year.between(start, end))
    by = p.group_by(["partner_iso3", "flow", p.hs_section.name("section_number")]).agg(
        value_usd=p.value_usd.sum() / (end - start + 1))
    total = by.value_usd.sum().over(group_by=["partner_iso3", "flow"])
    by = by.mutate(share_pct=by.value_usd / total * 100)
    names = hs_sections.select("section_number", section=hs_sections.name)
    j = by.join(names, "section_number")
    return j.order_by(["partner_iso3", "flow", ibis.desc("value_usd")])


# ---------------------------------------------------------------- building blocks


def _members(values: str | Sequence[str]) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def _pair(flows: ir.Table, exporters: str | Sequence[str], importers: str | Sequence[str],
          *periods: Period) -> ir.Table:
    """The flows of these exporters to these importers in any of the periods."""
    f = flows
    ex, im = _members(exporters), _members(importers)
    cond = periods[0].contains(f.year)
    for p in periods[1:]:
        cond |= p.contains(f.year)
    cond &= (f.exporter_iso3 == ex[0]) if len(ex) == 1 else f.exporter_iso3.isin(ex)
    cond &= (f.importer_iso3 == im[0]) if len(im) == 1 else f.importer_iso3.isin(im)
    return f.filter(cond)


def then_now(flows: ir.Table, exporter: str | Sequence[str], importer: str | Sequence[str],
             then: Period, now: Period) -> ir.Table:
    """(product, value_then, value_now, share_then_pct, share_now_pct, change_usd,
    status): one row per product traded in either period; status is `new` (none then),
    `lost` (none now) or `continuing`. Shares are of the pair's total in each period.
    One scan: both periods' rows are read together and summed apart."""
    f = _pair(flows, exporter, importer, then, now)
    zero = ibis.literal(0.0)
    j = f.group_by("product").agg(
        value_then=then.contains(f.year).ifelse(f.value_usd, zero).sum() / then.years,
        value_now=now.contains(f.year).ifelse(f.value_usd, zero).sum() / now.years)
    tot_then = j.value_then.sum().over()
    tot_now = j.value_now.sum().over()
    status = ibis.cases((j.value_then <= 0, "new"), (j.value_now <= 0, "lost"),
                        else_="continuing")
    return j.mutate(share_then_pct=j.value_then / tot_then * 100,
                    share_now_pct=j.value_now / tot_now * 100,
                    change_usd=j.value_now - j.value_then, status=status)


# ---------------------------------------------------------------- analytics


def top_products(flows: ir.Table, exporter: str | Sequence[str],
                 importer: str | Sequence[str], then: Period, now: Period,
                 n: int = 10) -> ir.Table:
    """The products in the top ``n`` then or now, with both periods' values, shares and
    ranks (rank 1 = largest; null where not traded), ordered by rank now."""
    t = then_now(flows, exporter, importer, then, now)
    rank_then = ibis.row_number().over(order_by=[ibis.desc(t.value_then), t.product]) + 1
    rank_now = ibis.row_number().over(order_by=[ibis.desc(t.value_now), t.product]) + 1
    t = t.mutate(rank_then=(t.value_then > 0).ifelse(rank_then, ibis.null("int64")),
                 rank_now=(t.value_now > 0).ifelse(rank_now, ibis.null("int64")))
    t = t.filter((t.rank_then <= n) | (t.rank_now <= n))
    return t.order_by([t.rank_now.asc(nulls_first=False), t.rank_then, t.product])


def new_and_lost(flows: ir.Table, exporter: str | Sequence[str],
                 importer: str | Sequence[str], then: Period, now: Period,
                 min_share_pct: float = 0.1) -> ir.Table:
    """Products new in the later period (none then, at least ``min_share_pct`` of the pair's
    trade now) and lost ones (at least that share then, none now), largest first."""
    t = then_now(flows, exporter, importer, then, now)
    keep = (((t.status == "new") & (t.share_now_pct >= min_share_pct))
            | ((t.status == "lost") & (t.share_then_pct >= min_share_pct)))
    t = t.filter(keep)
    size = ibis.greatest(t.value_then, t.value_now)
    return t.order_by([t.status.desc(), size.desc(), t.product])


def section_shares(flows: ir.Table, sections: ir.Table, exporter: str | Sequence[str],
                   importer: str | Sequence[str], then: Period, now: Period) -> ir.Table:
    """(section_number, section, value_then, value_now, share_then_pct, share_now_pct,
    change_pp) for the pair: HS sections from the product codes' chapters."""
    t = then_now(flows, exporter, importer, then, now)
    t = t.mutate(chapter=t.product.substr(0, 2))
    j = t.join(sections, "chapter")
    by = j.group_by(["section_number", "section"]).agg(
        value_then=j.value_then.sum(), value_now=j.value_now.sum(),
        share_then_pct=j.share_then_pct.sum(), share_now_pct=j.share_now_pct.sum())
    by = by.mutate(change_pp=by.share_now_pct - by.share_then_pct)
    return by.order_by([by.value_now.desc(), by.section_number])


def rca(flows: ir.Table, exporters: str | Sequence[str], p: Period,
        min_value_usd: float = 0.0) -> ir.Table:
    """Balassa's revealed comparative advantage (exporter_iso3, product, value_usd,
    share_pct, world_share_pct, rca): the product's share of the exporter's exports over its
    share of all exports in the data (so the data must cover every exporter: BACI does, one
    reporter's declarations do not). RCA > 1: the exporter is specialised in the product."""
    f = flows.filter(p.contains(flows.year))
    world = f.group_by("product").agg(w=f.value_usd.sum())
    world = world.mutate(w_share=world.w / world.w.sum().over())
    ex = _members(exporters)
    mine = f.filter(f.exporter_iso3.isin(ex))
    mine = mine.group_by(["exporter_iso3", "product"]).agg(v=mine.value_usd.sum())
    mine = mine.mutate(share=mine.v / mine.v.sum().over(group_by="exporter_iso3"))
    j = mine.join(world, "product")
    j = j.select("exporter_iso3", "product", value_usd=j.v / p.years, share_pct=j.share * 100,
                 world_share_pct=j.w_share * 100, rca=j.share / j.w_share)
    j = j.filter(j.value_usd >= min_value_usd)
    return j.order_by(["exporter_iso3", ibis.desc("rca"), "product"])


def complementarity(flows: ir.Table, exporters: str | Sequence[str],
                    importers: str | Sequence[str], p: Period) -> ir.Table:
    """Michaely's trade complementarity index (exporter_iso3, importer_iso3, tci): 100 x
    (1 - sum_k |m_jk - x_ik| / 2), with x_ik the share of product k in i's exports to the
    world and m_jk its share in j's imports from the world; 100 = i exports exactly what j
    imports. Computed as 100 x sum_k min(x_ik, m_jk), which is the same number."""
    f = flows.filter(p.contains(flows.year))
    x = f.filter(f.exporter_iso3.isin(_members(exporters)))
    x = x.group_by(["exporter_iso3", "product"]).agg(v=x.value_usd.sum())
    x = x.select("exporter_iso3", "product",
                 xs=x.v / x.v.sum().over(group_by="exporter_iso3"))
    m = f.filter(f.importer_iso3.isin(_members(importers)))
    m = m.group_by(["importer_iso3", "product"]).agg(v=m.value_usd.sum())
    m = m.select("importer_iso3", "product",
                 ms=m.v / m.v.sum().over(group_by="importer_iso3"))
    j = x.join(m, "product")
    j = j.filter(j.exporter_iso3 != j.importer_iso3)
    out = j.group_by(["exporter_iso3", "importer_iso3"]).agg(
        tci=ibis.least(j.xs, j.ms).sum() * 100, shared_products=j.product.count())
    return out.order_by(["exporter_iso3", ibis.desc("tci"), "importer_iso3"])


def product_concentration(flows: ir.Table, exporter: str | Sequence[str],
                          importer: str | Sequence[str], p: Period) -> ir.Table:
    """Per year (year, products, hhi, top5_share_pct, value_usd): how concentrated the pair's
    trade is over products (HHI of product shares, 0-1; 1 = a single product)."""
    f = _pair(flows, exporter, importer, p)
    by = f.group_by(["year", "product"]).agg(v=f.value_usd.sum())
    by = by.filter(by.v > 0)
    total = by.v.sum().over(group_by="year")
    order = ibis.row_number().over(group_by="year", order_by=[ibis.desc(by.v), by.product])
    by = by.mutate(s=by.v / total, r=order)
    out = by.group_by("year").agg(products=by.product.count(), hhi=(by.s * by.s).sum(),
                                  top5_share_pct=(by.r < 5).ifelse(by.s, 0.0).sum() * 100,
                                  value_usd=by.v.sum())
    return out.order_by("year")


SECTOR_DRIVERS = (
    ("weight", "Share of trade with the partners now", "%"),
    ("growth", "Growth of that trade, then to now", "% a year"),
    ("reliance", "Partners' share of the reporter's world imports of the sector", "%"),
    ("market", "Partners' share of the reporter's world exports of the sector", "%"),
    ("partner_rca", "Partners' revealed comparative advantage in the sector", "ratio"),
)


def sector_drivers(flows: ir.Table, sections: ir.Table, reporter: str,
                   partners: Sequence[str], then: Period, now: Period) -> ir.Table:
    """Per HS section the drivers of its importance to the reporter (section_number,
    section, trade_then, trade_now, imports_now, exports_now, weight, growth, reliance,
    market, partner_rca). Needs data that cover the reporter's trade with the world and all
    exporters (BACI).

    Two small aggregates come first, so the conditions run on a few thousand groups rather
    than on every row: every exporter's trade by chapter (the world's and the partners'
    exports), and the reporter's own trade by chapter and partner."""
    part = list(partners)
    f = flows.filter(then.contains(flows.year) | now.contains(flows.year))
    f = f.mutate(chapter=f.product.substr(0, 2))
    zero = ibis.literal(0.0)

    n = f.filter(now.contains(f.year))
    world = n.group_by(["chapter", "exporter_iso3"]).agg(v=n.value_usd.sum())
    w = world.group_by("chapter").agg(
        world_now=world.v.sum() / now.years,
        part_exports_now=world.exporter_iso3.isin(part).ifelse(world.v, zero).sum()
        / now.years)

    r = f.filter((f.exporter_iso3 == reporter) | (f.importer_iso3 == reporter))
    mine = r.group_by(["chapter", "exporter_iso3", "importer_iso3",
                       then.contains(r.year).name("is_then"),
                       now.contains(r.year).name("is_now")]).agg(v=r.value_usd.sum())
    ex_rep, im_rep = mine.exporter_iso3 == reporter, mine.importer_iso3 == reporter
    ex_part, im_part = mine.exporter_iso3.isin(part), mine.importer_iso3.isin(part)
    between = (ex_rep & im_part) | (ex_part & im_rep)
    v = mine.v
    m = mine.group_by("chapter").agg(
        trade_then=(between & mine.is_then).ifelse(v, zero).sum() / then.years,
        trade_now=(between & mine.is_now).ifelse(v, zero).sum() / now.years,
        imports_now=(ex_part & im_rep & mine.is_now).ifelse(v, zero).sum() / now.years,
        exports_now=(ex_rep & im_part & mine.is_now).ifelse(v, zero).sum() / now.years,
        rep_imports_now=(im_rep & mine.is_now).ifelse(v, zero).sum() / now.years,
        rep_exports_now=(ex_rep & mine.is_now).ifelse(v, zero).sum() / now.years)

    by = w.outer_join(m, "chapter")  # a chapter may be traded then and not now
    by = by.select(chapter=by.chapter.fill_null(by.chapter_right),
                   **{c: by[c].fill_null(0.0) for c in (
                       "world_now", "part_exports_now", "trade_then", "trade_now",
                       "imports_now", "exports_now", "rep_imports_now", "rep_exports_now")})
    j = by.view().join(sections, "chapter")
    s = j.group_by(["section_number", "section"]).agg(
        **{c: j[c].sum() for c in ("trade_then", "trade_now", "imports_now", "exports_now",
                                   "rep_imports_now", "rep_exports_now", "part_exports_now",
                                   "world_now")})
    gap = now.midpoint - then.midpoint
    part_total = s.part_exports_now.sum().over()
    world_total = s.world_now.sum().over()
    rca_part = (s.part_exports_now / part_total) / (s.world_now / world_total)
    growth = ((s.trade_now / s.trade_then).ln() / gap).exp() * 100 - 100
    return s.select(
        "section_number", "section", "trade_then", "trade_now", "imports_now", "exports_now",
        weight=s.trade_now / s.trade_now.sum().over() * 100,
        growth=((s.trade_then > 0) & (s.trade_now > 0)).ifelse(growth, ibis.null("float64")),
        reliance=(s.rep_imports_now > 0).ifelse(s.imports_now / s.rep_imports_now * 100,
                                                ibis.null("float64")),
        market=(s.rep_exports_now > 0).ifelse(s.exports_now / s.rep_exports_now * 100,
                                              ibis.null("float64")),
        partner_rca=(s.world_now > 0).ifelse(rca_part, ibis.null("float64")),
    ).order_by(ibis.desc("trade_now"))
