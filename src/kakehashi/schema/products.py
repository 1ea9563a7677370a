"""The product lake's tables: trade by HS6 product at BACI scale, kept as Parquet beside the
store (too large for the store file), and the HS revisions the codes can be in."""

from __future__ import annotations

from kakehashi.schema.spec import Column as C
from kakehashi.schema.spec import TableSpec

# HS revisions as CEPII BACI names them, with the year each came into force.
HS_REVISIONS: dict[str, int] = {
    "HS92": 1988, "HS96": 1996, "HS02": 2002, "HS07": 2007, "HS12": 2012, "HS17": 2017,
    "HS22": 2022,
}
NAMES_REVISION = "HS22"  # hs_products in the store carries HS2022 names

PRODUCT_FLOWS = TableSpec(
    name="product_flows",
    description=(
        "Bilateral trade by HS 6-digit product, one row per (year, exporter, importer, "
        "product), in the BACI layout: exports FOB as reconciled by CEPII. Stored as "
        "year-partitioned Parquet in the product lake (`kakehashi products ingest`), not in "
        "the store file."
    ),
    primary_key=("year", "exporter_iso3", "importer_iso3", "hs6"),
    sources=("baci",),
    columns=(
        C("year", "SMALLINT", "Calendar year (the Parquet partition).", nullable=False),
        C("exporter_iso3", "VARCHAR", "Exporter, ISO 3166-1 alpha-3 (from BACI's numeric "
          "code).", nullable=False),
        C("importer_iso3", "VARCHAR", "Importer, ISO 3166-1 alpha-3.", nullable=False),
        C("hs6", "VARCHAR", "HS 6-digit product code in the file's HS revision, zero-padded.",
          nullable=False),
        C("value_usd", "DOUBLE", "Trade value, current US dollars (BACI v x 1,000).",
          unit="USD", nullable=False),
        C("quantity_t", "DOUBLE", "Quantity, metric tons (null where BACI has none).",
          unit="t"),
    ),
)

HS_CONCORDANCE = TableSpec(
    name="hs_concordance",
    description=(
        "Correspondence between two HS revisions at 6 digits (from a UN Statistics Division "
        "or WITS correlation table), with the relationship of each pair and the share of the "
        "source code's value each target receives when a code splits."
    ),
    primary_key=("from_revision", "from_hs6", "to_revision", "to_hs6"),
    columns=(
        C("from_revision", "VARCHAR", "Source revision (HS92 ... HS22).", nullable=False),
        C("from_hs6", "VARCHAR", "Source code.", nullable=False),
        C("to_revision", "VARCHAR", "Target revision.", nullable=False),
        C("to_hs6", "VARCHAR", "Target code.", nullable=False),
        C("relationship", "VARCHAR", "1:1 | n:1 (merge) | 1:n (split) | n:n.",
          nullable=False),
        C("weight", "DOUBLE", "Share of the source code's value given to this target (1 "
          "unless the code splits; equal shares unless weights were supplied).",
          nullable=False),
    ),
)

LAKE_TABLES: dict[str, TableSpec] = {t.name: t for t in (PRODUCT_FLOWS, HS_CONCORDANCE)}
