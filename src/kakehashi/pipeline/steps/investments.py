"""investments: Chinese investment deals in South America (AEI China Global Investment Tracker)."""

from __future__ import annotations

import calendar

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import INVESTMENTS

AEI = "aei_cgit/china_investment_south_america_deals.csv"
INPUTS = (AEI,)
TABLES = (INVESTMENTS,)
MONTHS = tuple(calendar.month_name[1:])


def build(ctx: StepContext) -> dict[str, str]:
    deals = ctx.read_csv(AEI, "raw_aei", {
        "Year": "SMALLINT", "Month": "VARCHAR", "Investor": "VARCHAR",
        "Quantity in Millions": "DOUBLE", "Share Size": "VARCHAR",
        "Transaction Party": "VARCHAR", "Sector": "VARCHAR", "Subsector": "VARCHAR",
        "Country": "VARCHAR", "BRI": "VARCHAR", "Greenfield": "VARCHAR"})
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE raw_aei_n AS "
                    f"SELECT row_number() OVER () AS deal_id, * FROM {deals}")
    ctx.files["raw_aei_n"] = AEI
    host = ctx.map_column("raw_aei_n", "Country", "aei_cgit", "name")
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE months (name VARCHAR, n TINYINT)")
    ctx.con.executemany("INSERT INTO months VALUES (?, ?)",
                        [(m, i + 1) for i, m in enumerate(MONTHS)])
    return {"investments": f"""
        SELECT d.deal_id, d."Year" AS year,
               CASE WHEN d."Month" IS NULL THEN NULL
                    ELSE coalesce(m.n, error('{AEI}: unknown month ' || d."Month")) END
                 AS month,
               'CHN' AS investor_iso3, d."Investor" AS investor,
               d."Quantity in Millions" * 1e6 AS value_usd,
               TRY_CAST(d."Share Size" AS DOUBLE) AS share_pct,
               d."Share Size" AS share_text,
               d."Transaction Party" AS transaction_party, d."Sector" AS sector,
               d."Subsector" AS subsector, h.code AS host_iso3,
               d."BRI" IS NOT NULL AS bri, d."Greenfield" IS NOT NULL AS greenfield,
               'aei_cgit' AS source_id
        FROM raw_aei_n d LEFT JOIN {host} h ON h.value = d."Country"
        LEFT JOIN months m ON m.name = d."Month\""""}
