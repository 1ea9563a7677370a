"""official_finance and china_finance_totals: Japan's ODA, IDS/DAC flows, Chinese finance."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import FINANCE_COUNTRY_TOTALS, OFFICIAL_FINANCE

ODA = "wb_wdi_aid/japan_net_bilateral_oda_to_lac_1960_2023.csv"
ONE = "wb_ids_oneflows/official_flows_lac_by_counterpart_2000_2022.csv.gz"
GCDF_YEARS = "aiddata_gcdf/china_development_finance_lac_by_year_2000_2021.csv"
GCDF_TOTALS = "aiddata_gcdf/china_development_finance_lac_country_totals_2000_2021.csv"
INPUTS = (ODA, ONE, GCDF_YEARS, GCDF_TOTALS)
TABLES = (OFFICIAL_FINANCE, FINANCE_COUNTRY_TOTALS)

INSTRUMENTS = {
    "Bilateral Grants": "grant",
    "Bilateral Concessional Debt": "concessional_loan",
    "Bilateral Non-Concessional Debt": "non_concessional_loan",
    "Multilateral Grants": "grant",
    "Multilateral Concessional Debt": "concessional_loan",
    "Multilateral Non-Concessional Debt": "non_concessional_loan",
    "Private - banks": "private_bank_loan",
    "Private - bonds": "bond",
    "Private - other": "private_other",
}
GCDF_FLOWS = (("oda", "oda_like"), ("oof", "oof_like"), ("vof", "vague_official"))


def build(ctx: StepContext) -> dict[str, str]:
    oda = ctx.read_csv(ODA, "raw_japan_oda", {"indicator_code": "VARCHAR",
                                              "recipient_iso3": "VARCHAR", "year": "SMALLINT",
                                              "value_usd": "DOUBLE"})
    one = ctx.read_csv(ONE, "raw_one_flows", {
        "year": "SMALLINT", "country_iso3": "VARCHAR", "counterpart": "VARCHAR",
        "counterpart_type": "VARCHAR", "indicator": "VARCHAR", "flow": "VARCHAR",
        "value_usd": "DOUBLE"})
    gcdf_cols = {f"{k}_{s}": "DOUBLE" for k, _ in GCDF_FLOWS for s in ("amt", "adj")}
    gcdf = ctx.read_csv(GCDF_YEARS, "raw_gcdf_years",
                        {"recipient_iso3": "VARCHAR", "year": "SMALLINT", **gcdf_cols})
    totals = ctx.read_csv(GCDF_TOTALS, "raw_gcdf_totals", {
        "iso3c": "VARCHAR", "total_commitments_bn": "DOUBLE",
        "weighted_interest_rate": "DOUBLE", "income_level_name": "VARCHAR",
        "gdp_usd_bn": "DOUBLE", "population_mn": "DOUBLE"})
    oda_rec = ctx.map_column(oda, "recipient_iso3", "wdi_japan_oda", "code")
    one_rec = ctx.map_column(one, "country_iso3", "one_net_flows", "code")
    one_cp = ctx.map_column(one, "counterpart", "one_net_flows", "name",
                            where="counterpart_type <> 'Multilateral'")
    gcdf_rec = ctx.map_column(gcdf, "recipient_iso3", "aiddata_gcdf", "code")
    tot_rec = ctx.map_column(totals, "iso3c", "aiddata_gcdf", "code")
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE one_instruments (name VARCHAR, code VARCHAR)")
    ctx.con.executemany("INSERT INTO one_instruments VALUES (?, ?)", list(INSTRUMENTS.items()))
    gcdf_parts = " UNION ALL ".join(
        f"SELECT g.year, r.code AS recipient_iso3, '{instrument}' AS instrument, "
        f"'{measure}' AS measure, g.{key}_{suffix} AS value_usd FROM {gcdf} g "
        f"LEFT JOIN {gcdf_rec} r ON r.value = g.recipient_iso3"
        for key, instrument in GCDF_FLOWS
        for suffix, measure in (("amt", "commitment"), ("adj", "commitment_adjusted"))
    )
    official = f"""
        SELECT o.year, 'JPN' AS creditor_iso3, 'Japan' AS creditor_name,
               'bilateral' AS creditor_type, r.code AS recipient_iso3,
               CASE WHEN o.indicator_code = 'DC.DAC.JPNL.CD' THEN 'net_oda'
                    ELSE error('{ODA}: unexpected series ' || o.indicator_code)
               END AS instrument, 'net_disbursement' AS measure, o.value_usd,
               'current' AS prices, 'wdi_japan_oda' AS source_id
        FROM {oda} o LEFT JOIN {oda_rec} r ON r.value = o.recipient_iso3
        UNION ALL
        SELECT f.year, c.code, f.counterpart, lower(f.counterpart_type), r.code,
               coalesce(i.code, error('{ONE}: unknown indicator ' || f.indicator)),
               CASE f.flow WHEN 'inflow' THEN 'inflow' WHEN 'outflow' THEN 'debt_service'
                    ELSE error('{ONE}: unknown flow ' || f.flow) END,
               f.value_usd, 'current', 'one_net_flows'
        FROM {one} f LEFT JOIN {one_rec} r ON r.value = f.country_iso3
        LEFT JOIN {one_cp} c ON c.value = f.counterpart AND f.counterpart_type <> 'Multilateral'
        LEFT JOIN one_instruments i ON i.name = f.indicator
        UNION ALL
        SELECT year, 'CHN', 'China', 'bilateral', recipient_iso3, instrument, measure,
               value_usd, 'constant_2021', 'aiddata_gcdf'
        FROM ({gcdf_parts})
    """
    china_totals = f"""
        SELECT r.code AS recipient_iso3, t.total_commitments_bn * 1e9 AS total_commitments_usd,
               t.weighted_interest_rate AS weighted_interest_rate_pct,
               t.income_level_name AS income_level, t.gdp_usd_bn * 1e9 AS gdp_usd,
               t.population_mn * 1e6 AS population, 'aiddata_gcdf' AS source_id
        FROM {totals} t LEFT JOIN {tot_rec} r ON r.value = t.iso3c
    """
    return {"official_finance": official, "china_finance_totals": china_totals}
