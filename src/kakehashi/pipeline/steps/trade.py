"""trade_flows: IMF DOTS annual totals and monthly Japan/China/USA trade, in US dollars."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import TRADE_FLOWS

DOTS = "imf_dots/imf_dots_lac_bilateral_1960_2020.csv.gz"
MONTHLY = "monthly_trade_jp_cn_us/jp_cn_us_monthly_trade_with_mex_bra_chl_2010_2025.csv"
INPUTS = (DOTS, MONTHLY)
TABLES = (TRADE_FLOWS,)


def _side(ctx: StepContext, view: str, side: str) -> str:
    """SQL for the entity code of one side: ISO3 where given, else the IMF name mapped."""
    by_code = ctx.map_column(view, f"{side}_iso3", "imf_dots", "code")
    by_name = ctx.map_column(view, f"{side}_name", "imf_dots", "name",
                             where=f"{side}_iso3 IS NULL")
    return (
        f"CASE WHEN d.{side}_iso3 IS NOT NULL "
        f"THEN (SELECT code FROM {by_code} WHERE value = d.{side}_iso3) "
        f"ELSE (SELECT code FROM {by_name} WHERE value = d.{side}_name) END"
    )


def build(ctx: StepContext) -> dict[str, str]:
    dots = ctx.read_csv(DOTS, "raw_dots", {
        "reporter_name": "VARCHAR", "reporter_iso3": "VARCHAR", "partner_name": "VARCHAR",
        "partner_iso3": "VARCHAR", "flow": "VARCHAR", "year": "SMALLINT",
        "value_usd_mn": "DOUBLE", "estimated": "TINYINT",
    })
    monthly = ctx.read_csv(MONTHLY, "raw_monthly", {
        "reporter_iso3": "VARCHAR", "partner_iso3": "VARCHAR", "year": "SMALLINT",
        "month": "TINYINT", "exports_usd": "DOUBLE", "imports_usd": "DOUBLE",
    })
    reporter, partner = _side(ctx, dots, "reporter"), _side(ctx, dots, "partner")
    m_rep = ctx.map_column(monthly, "reporter_iso3", "monthly_trade", "code")
    m_par = ctx.map_column(monthly, "partner_iso3", "monthly_trade", "code")
    sql = f"""
        SELECT {reporter} AS reporter_iso3, {partner} AS partner_iso3,
               CASE d.flow WHEN 'exports_fob' THEN 'export' WHEN 'imports_cif' THEN 'import'
                    ELSE error('{DOTS}: unknown flow ' || d.flow) END AS flow,
               d.year, NULL AS month, d.value_usd_mn * 1e6 AS value_usd,
               CASE d.flow WHEN 'exports_fob' THEN 'FOB' ELSE 'CIF' END AS valuation,
               CASE WHEN d.estimated = 1 THEN 'estimated' ELSE 'reported' END AS value_basis,
               'imf_dots' AS source_id
        FROM {dots} d
        UNION ALL
        SELECT r.code, p.code, x.flow, m.year, m.month, x.value_usd,
               CASE WHEN x.flow = 'export' THEN 'FOB'
                    WHEN r.code = 'USA' THEN 'customs' ELSE 'CIF' END,
               'reported', 'monthly_trade'
        FROM {monthly} m
        JOIN {m_rep} r ON r.value = m.reporter_iso3
        JOIN {m_par} p ON p.value = m.partner_iso3
        CROSS JOIN LATERAL (VALUES ('export', m.exports_usd), ('import', m.imports_usd))
            AS x(flow, value_usd)
    """
    return {"trade_flows": sql}
