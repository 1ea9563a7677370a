"""fdi_flows: UNCTAD bilateral FDI inflows by origin, 2001-2012, in US dollars."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import FDI_FLOWS

UNCTAD = "unctad_fdi/unctad_bilateral_fdi_inflows_lac_2001_2012.csv"
INPUTS = (UNCTAD,)
TABLES = (FDI_FLOWS,)


def build(ctx: StepContext) -> dict[str, str]:
    raw = ctx.read_csv(UNCTAD, "raw_unctad_fdi", {
        "host_iso3": "VARCHAR", "origin_name": "VARCHAR", "origin_iso3": "VARCHAR",
        "origin_level": "TINYINT", "year": "SMALLINT", "fdi_inflow_usd_mn": "DOUBLE",
        "raw_value": "VARCHAR", "data_basis": "VARCHAR"})
    host = ctx.map_column(raw, "host_iso3", "unctad_fdi", "code")
    origin = ctx.map_column(raw, "origin_iso3", "unctad_fdi", "code")
    # A single-economy row without a code must be a known region bucket (aliases.csv).
    ctx.map_column(raw, "origin_name", "unctad_fdi", "name",
                   where="origin_iso3 IS NULL AND origin_level = 4")
    return {"fdi_flows": f"""
        SELECT h.code AS host_iso3, o.code AS origin_iso3, f.origin_name, f.origin_level,
               f.year, f.fdi_inflow_usd_mn * 1e6 AS value_usd, f.raw_value, f.data_basis,
               'unctad_fdi' AS source_id
        FROM {raw} f LEFT JOIN {host} h ON h.value = f.host_iso3
        LEFT JOIN {origin} o ON o.value = f.origin_iso3"""}
