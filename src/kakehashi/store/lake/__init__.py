"""The product lake: trade by HS6 product at BACI scale, as year-partitioned Parquet.

A year of BACI is ~11 M rows and 1995 onwards ~300 M, too much for the store file, so product
flows live beside it (default `<store folder>/products/`):

    products/
      current -> versions/<stamp>       symlink, swapped atomically
      versions/<stamp>/
        product_flows/year=YYYY/*.parquet   columns of schema.products.PRODUCT_FLOWS
        hs_concordance.parquet              when a correlation table was loaded
        manifest.json                       every input's sha256, rows, years, revision,
                                            release, and where the country codes came from

An ingest streams each CSV into Parquet with the chosen engine (DuckDB by default, Spark with
``engine="spark"``), under the writer lock, into a new version folder; unchanged years are
hard-linked from the current version; only when everything is written does `current` point
to it. A reader resolves `current` once and keeps reading that version, which is kept until the
next ingest, so a swap never pulls files from under a running query.

Modules: `layout` (versions and the swap), `read` (DuckDB and Spark readers), `baci` (BACI's
files), `ingest`, `concordance` (HS correlation tables).
"""

from kakehashi.store.lake.baci import BACI_COLUMNS, check_header, count_inputs
from kakehashi.store.lake.concordance import load_concordance, read_correlation, relationships
from kakehashi.store.lake.ingest import ENGINES, IngestReport, ingest
from kakehashi.store.lake.layout import current_version, flows_glob, lake_for, manifest
from kakehashi.store.lake.read import (
    duckdb_flows,
    product_names,
    reader_connection,
    register_duckdb,
    spark_flows,
)

__all__ = ["BACI_COLUMNS", "ENGINES", "IngestReport", "check_header", "count_inputs",
           "current_version", "duckdb_flows", "flows_glob", "ingest", "lake_for",
           "load_concordance", "manifest", "product_names", "read_correlation",
           "reader_connection", "register_duckdb", "relationships", "spark_flows"]
