"""Trade indicators: trade intensity, concentration (HHI), dependence and mirror gaps."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from kakehashi.analytics.trade import WORLD, annual_flows

MIRROR_THRESHOLD_PCT = 25.0


def _flow(f: ir.Table, reporter: str | ir.Value, partner: str | ir.Value, flow: str
          ) -> ir.BooleanValue:
    return (f.reporter_iso3 == reporter) & (f.partner_iso3 == partner) & (f.flow == flow)


def trade_intensity(flows: ir.Table, members: Sequence[str], exporter: str = "JPN") -> ir.Table:
    """(year, partner_iso3, tii): (x_ij / X_i) / (M_j / (M_w - M_i)).

    x_ij: the exporter's exports to j, X_i: its exports to the World (both as it reports);
    M_j: j's imports from the World (as j reports); M_w: world imports; M_i: the exporter's
    imports. TII > 1 means j takes more of the exporter's goods than j's weight in world
    imports (excluding the exporter's own) would predict.
    """
    # one annual_flows per branch, each reading only its own keys
    x = annual_flows(flows, reporters=[exporter], partners=members, flow="export")
    x = x.select("year", "partner_iso3", x_ij=x.value_usd)
    wf = annual_flows(flows, reporters=[exporter, WORLD], partners=[WORLD])
    totals = wf.group_by("year").agg(
        X_i=wf.value_usd.sum(where=_flow(wf, exporter, WORLD, "export")),
        M_i=wf.value_usd.sum(where=_flow(wf, exporter, WORLD, "import")),
        M_w=wf.value_usd.sum(where=_flow(wf, WORLD, WORLD, "import")),
    )
    m = annual_flows(flows, reporters=members, partners=[WORLD], flow="import")
    m = m.select("year", partner_iso3=m.reporter_iso3, M_j=m.value_usd)
    j = x.join(totals, "year").join(m, ["year", "partner_iso3"])
    return j.select("year", "partner_iso3", "x_ij", "X_i", "M_j", "M_w", "M_i",
                    tii=(j.x_ij / j.X_i) / (j.M_j / (j.M_w - j.M_i)))


def concentration(flows: ir.Table, members: Sequence[str], reporter: str = "JPN") -> ir.Table:
    """(year, partners, hhi, top_partner_share): concentration of the reporter's trade with the
    members across them; HHI = sum of squared shares (1 = a single partner)."""
    f = annual_flows(flows, reporters=[reporter], partners=members)
    by = f.group_by(["year", "partner_iso3"]).agg(trade=f.value_usd.sum())
    total = by.trade.sum().over(group_by="year")
    s = by.mutate(share=by.trade / total)
    return s.group_by("year").agg(partners=s.partner_iso3.nunique(),
                                  hhi=(s.share * s.share).sum(), top_partner_share=s.share.max())


def dependence(flows: ir.Table, macro: ir.Table, members: Sequence[str],
               partner: str = "JPN") -> ir.Table:
    """(year, country_iso3, exports_share_pct, imports_share_pct, exports_to_partner_gdp_pct):
    how much each member's trade depends on the partner, from the member's own reports."""
    f = annual_flows(flows, reporters=members, partners=[partner, WORLD])
    by = f.group_by(["year", f.reporter_iso3.name("country_iso3")]).agg(
        x_p=f.value_usd.sum(where=(f.partner_iso3 == partner) & (f.flow == "export")),
        m_p=f.value_usd.sum(where=(f.partner_iso3 == partner) & (f.flow == "import")),
        x_w=f.value_usd.sum(where=(f.partner_iso3 == WORLD) & (f.flow == "export")),
        m_w=f.value_usd.sum(where=(f.partner_iso3 == WORLD) & (f.flow == "import")),
    )
    gdp = macro.filter(macro.indicator_code == "NY.GDP.MKTP.CD").select(
        "year", "country_iso3", gdp_usd=macro.value)
    j = by.left_join(gdp, ["year", "country_iso3"])
    return j.select(
        "year", country_iso3=j.country_iso3,
        exports_share_pct=j.x_p / j.x_w * 100, imports_share_pct=j.m_p / j.m_w * 100,
        exports_to_partner_gdp_pct=j.x_p / j.gdp_usd * 100,
    )


def mirror_gaps(flows: ir.Table, members: Sequence[str], partner: str = "JPN",
                threshold_pct: float = MIRROR_THRESHOLD_PCT) -> ir.Table:
    """(year, country_iso3, direction, exporter_reports_fob, importer_reports_cif, gap_pct,
    flagged): the same flow as reported by both sides. Imports are CIF (freight and insurance
    included), exports FOB, so the importer's figure is normally a few per cent higher; a gap
    beyond ``threshold_pct`` either way is flagged."""
    # one annual_flows per side, each reading only its own keys (both flows: each is used twice)
    reports = {True: annual_flows(flows, reporters=[partner], partners=members),
               False: annual_flows(flows, reporters=members, partners=[partner])}
    parts = []
    for direction, exporter_is_partner in (("partner_to_country", True),
                                           ("country_to_partner", False)):
        ex, im = reports[exporter_is_partner], reports[not exporter_is_partner]
        ex = ex.filter(ex.flow == "export")
        im = im.filter(im.flow == "import")
        ex = ex.select("year", country_iso3=ex.partner_iso3 if exporter_is_partner
                       else ex.reporter_iso3, fob=ex.value_usd)
        im = im.select("year", country_iso3=im.reporter_iso3 if exporter_is_partner
                       else im.partner_iso3, cif=im.value_usd)
        j = ex.join(im, ["year", "country_iso3"])
        parts.append(j.select("year", "country_iso3", direction=ibis.literal(direction),
                              exporter_reports_fob=j.fob, importer_reports_cif=j.cif))
    u = parts[0].union(parts[1])
    gap = (u.importer_reports_cif - u.exporter_reports_fob) / u.exporter_reports_fob * 100
    return u.mutate(gap_pct=gap, flagged=gap.abs() > threshold_pct)
