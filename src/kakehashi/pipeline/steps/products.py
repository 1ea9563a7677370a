"""hs_products, hs_sections and product_trade (Mexico by HS4 heading, UN Comtrade)."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import HS_PRODUCTS, HS_SECTIONS, PRODUCT_TRADE

HS = "reference/hs_codes_harmonized_system.csv"
SECTIONS = "reference/hs_sections.csv"
OTS_SECTIONS = "reference/ots_sections.csv"
MEXICO = "comtrade_mexico/mexico_trade_by_hs4_partner_2015_2021.csv.gz"
INPUTS = (HS, SECTIONS, OTS_SECTIONS, MEXICO)
TABLES = (HS_SECTIONS, HS_PRODUCTS, PRODUCT_TRADE)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
         "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI")


def build(ctx: StepContext) -> dict[str, str]:
    hs = ctx.read_csv(HS, "raw_hs", {"section": "VARCHAR", "hscode": "VARCHAR",
                                     "description": "VARCHAR", "parent": "VARCHAR",
                                     "level": "TINYINT"})
    sections = ctx.read_csv(SECTIONS, "raw_hs_sections", {"section": "VARCHAR",
                                                          "name": "VARCHAR"})
    ots = ctx.read_csv(OTS_SECTIONS, "raw_ots_sections", {"section_code": "VARCHAR",
                                                          "section_fullname_english": "VARCHAR"})
    mex = ctx.read_csv(MEXICO, "raw_mexico_hs4", {
        "reporter_iso3": "VARCHAR", "year": "SMALLINT", "flow": "VARCHAR",
        "hs_section": "TINYINT", "hs2": "VARCHAR", "hs4": "VARCHAR", "partner_iso3": "VARCHAR",
        "value_usd": "DOUBLE",
    })
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE roman (section_roman VARCHAR, n TINYINT)")
    ctx.con.executemany("INSERT INTO roman VALUES (?, ?)",
                        [(r, i + 1) for i, r in enumerate(ROMAN)])
    reporter = ctx.map_column(mex, "reporter_iso3", "comtrade_mexico", "code")
    partner = ctx.map_column(mex, "partner_iso3", "comtrade_mexico", "code")
    return {
        "hs_sections": f"""
            SELECT r.n AS section_number, s.section AS section_roman, s.name,
                   o.section_fullname_english AS name_full
            FROM {sections} s JOIN roman r ON r.section_roman = s.section
            LEFT JOIN {ots} o ON TRY_CAST(o.section_code AS INTEGER) = r.n""",
        "hs_products": f"""
            SELECT h.hscode AS hs_code, h.level, h.description, h.parent,
                   r.n AS section_number
            FROM {hs} h JOIN roman r ON r.section_roman = h.section
            WHERE h.level IN (2, 4, 6)""",
        "product_trade": f"""
            SELECT rp.code AS reporter_iso3, pp.code AS partner_iso3, m.flow, m.year,
                   m.hs_section, m.hs2, m.hs4, h2.description AS hs2_description,
                   h4.description AS hs4_description, m.value_usd,
                   'comtrade_mexico' AS source_id
            FROM {mex} m
            LEFT JOIN {reporter} rp ON rp.value = m.reporter_iso3
            LEFT JOIN {partner} pp ON pp.value = m.partner_iso3
            LEFT JOIN {hs} h2 ON h2.hscode = m.hs2 AND h2.level = 2
            LEFT JOIN {hs} h4 ON h4.hscode = m.hs4 AND h4.level = 4""",
    }
