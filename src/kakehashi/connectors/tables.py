"""Tables that only live connectors fill (not yet in schema/tables.py), and the update log."""

from __future__ import annotations

from kakehashi.schema.spec import Column as C
from kakehashi.schema.spec import TableSpec
from kakehashi.schema.tables import ISO3_NOTE

TRADE_BY_CHAPTER = TableSpec(
    name="trade_by_chapter",
    description=(
        "Annual merchandise trade by HS chapter (2 digits) as reported by `reporter_iso3` to UN "
        "Comtrade: Japan, China and the USA with the 33 LAC countries (live connector)."
    ),
    primary_key=("source_id", "reporter_iso3", "partner_iso3", "flow", "year", "hs2"),
    sources=("comtrade_api",),
    columns=(
        C("reporter_iso3", "VARCHAR", "Reporting economy. " + ISO3_NOTE + ".", nullable=False),
        C("partner_iso3", "VARCHAR", "Partner. " + ISO3_NOTE + ".", nullable=False),
        C("flow", "VARCHAR", "export | import (reporter's view).", nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("hs2", "VARCHAR", "HS chapter, 2 digits.", nullable=False),
        C("hs2_description", "VARCHAR", "Chapter description as published by Comtrade."),
        C("value_usd", "DOUBLE", "Trade value, current US dollars (Comtrade primaryValue).",
          unit="USD", nullable=False),
        C("valuation", "VARCHAR", "FOB (exports) | CIF (imports).", nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

ODA_BY_SECTOR = TableSpec(
    name="oda_by_sector",
    description=(
        "ODA disbursements by donor, LAC recipient and CRS sector (OECD CRS semi-aggregates, "
        "live connector). Sector codes are hierarchical (1000 = all sectors; 3-digit groups "
        "contain their 5-digit purposes): do not sum across levels."
    ),
    primary_key=("source_id", "year", "donor_iso3", "recipient_iso3", "sector_code",
                 "flow_type", "prices"),
    sources=("oecd_crs_api",),
    columns=(
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("donor_iso3", "VARCHAR", "Donor country.", nullable=False),
        C("recipient_iso3", "VARCHAR", "Recipient. " + ISO3_NOTE + ".", nullable=False),
        C("sector_code", "VARCHAR", "CRS sector or purpose code (OECD SECTOR dimension).",
          nullable=False),
        C("flow_type", "VARCHAR", "disbursement | commitment.", nullable=False),
        C("value_usd", "DOUBLE", "Value in US dollars at the prices in `prices`.", unit="USD",
          nullable=False),
        C("prices", "VARCHAR", "current | constant (OECD base year).", nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

EXTRA_TABLES: dict[str, TableSpec] = {t.name: t for t in (TRADE_BY_CHAPTER, ODA_BY_SECTOR)}

DATA_VERSIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS data_versions (version_id INTEGER PRIMARY KEY, "
    "created_at VARCHAR NOT NULL, source_id VARCHAR NOT NULL, release VARCHAR, "
    "years VARCHAR, table_name VARCHAR NOT NULL, rows_new BIGINT, rows_replaced BIGINT, "
    "rows_kept_existing BIGINT, rows_total BIGINT, raw_files BIGINT, raw_sha256 VARCHAR[])"
)
