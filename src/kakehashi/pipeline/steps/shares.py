"""trade_shares_long_run and export_composition (Fundar / Argendata)."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import EXPORT_COMPOSITION, TRADE_SHARES_LONG_RUN

EXPORTS = "argendata/export_destination_shares_1962_66_vs_2017_21.csv"
IMPORTS = "argendata/import_origin_shares_1962_66_vs_2017_21.csv"
LALL = "argendata/argentina_exports_by_destination_lall_2002_2023.csv"
INPUTS = (EXPORTS, IMPORTS, LALL)
TABLES = (TRADE_SHARES_LONG_RUN, EXPORT_COMPOSITION)

LALL_CLASSES = {
    "Productos primarios": "primary",
    "Manufacturas en basadas en RRNN": "resource_based",
    "Manufacturas de baja tecnología": "low_tech",
    "Manufacturas de media tecnología": "medium_tech",
    "Manufacturas de alta tecnología": "high_tech",
}


def build(ctx: StepContext) -> dict[str, str]:
    parts = []
    for path, view, flow, col in ((EXPORTS, "raw_export_shares", "export", "export_value"),
                                  (IMPORTS, "raw_import_shares", "import", "import_value")):
        ctx.read_csv(path, view, {"geocodigoFundar": "VARCHAR", "partner_code": "VARCHAR",
                                  f"{col}_pca": "DOUBLE", f"{col}_pcb": "DOUBLE"})
        rep = ctx.map_column(view, "geocodigoFundar", "argendata_shares", "code")
        par = ctx.map_column(view, "partner_code", "argendata_shares", "code")
        parts.append(f"""
            SELECT r.code AS reporter_iso3, p.code AS partner_iso3, '{flow}' AS flow,
                   v.{col}_pca AS share_1962_1966_pct, v.{col}_pcb AS share_2017_2021_pct,
                   'argendata_shares' AS source_id
            FROM {view} v LEFT JOIN {rep} r ON r.value = v.geocodigoFundar
            LEFT JOIN {par} p ON p.value = v.partner_code""")
    lall = ctx.read_csv(LALL, "raw_lall", {"exporter_iso3": "VARCHAR", "anio": "SMALLINT",
                                           "importer_iso3": "VARCHAR",
                                           "clasificacion_lall": "VARCHAR", "expo": "DOUBLE",
                                           "prop": "DOUBLE"})
    imp = ctx.map_column(lall, "importer_iso3", "argendata_lall", "code")
    ctx.con.execute("CREATE OR REPLACE TEMP TABLE lall_classes (es VARCHAR, code VARCHAR)")
    ctx.con.executemany("INSERT INTO lall_classes VALUES (?, ?)", list(LALL_CLASSES.items()))
    return {
        "trade_shares_long_run": " UNION ALL ".join(parts),
        "export_composition": f"""
            SELECT l.exporter_iso3, i.code AS importer_iso3, l.anio AS year,
                   coalesce(c.code, error('{LALL}: unknown Lall class '
                                          || l.clasificacion_lall)) AS lall_class,
                   l.clasificacion_lall AS lall_class_es, l.expo * 1e3 AS value_usd,
                   l.prop AS share_pct, 'argendata_lall' AS source_id
            FROM {lall} l LEFT JOIN {imp} i ON i.value = l.importer_iso3
            LEFT JOIN lall_classes c ON c.es = l.clasificacion_lall""",
    }
