"""Reading the lake: a DuckDB that may read one version and nothing else, or Spark; both
give the same Ibis tables."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir

from kakehashi.store.lake.layout import NAMES_FILE, current_version, flows_glob


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reader_connection(version: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that may read this lake version and nothing else on disk."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute("SET allowed_directories = ?", [[str(version) + os.sep]])
    con.execute("SET enable_external_access = false")
    return con


def register_duckdb(con: duckdb.DuckDBPyConnection, version: Path) -> None:
    """Views `product_flows` (and `hs_concordance` if loaded) over a lake version.

    The year is read from inside the files, not from the `year=` folder names: with hive
    partitioning, DuckDB 2.0 dropped the partition filter from one of two scans of the same
    files when a window sum became a join (a share came out over all years; see
    tests/test_products.py::test_rca_by_hand), and every file holds one year anyway, so its
    row-group statistics prune as well."""
    con.execute(f"""CREATE OR REPLACE TEMP VIEW product_flows AS
        SELECT year, exporter_iso3, importer_iso3, hs6, value_usd, quantity_t
        FROM read_parquet({sql_str(flows_glob(version))}, hive_partitioning = false)""")
    conc = version / "hs_concordance.parquet"
    if conc.exists():
        con.execute("CREATE OR REPLACE TEMP VIEW hs_concordance AS SELECT * FROM "
                    f"read_parquet({sql_str(str(conc))})")


@contextmanager
def duckdb_flows(lake: Path) -> Iterator[dict[str, ir.Table]]:
    """The lake's tables as Ibis tables on DuckDB (`product_flows`, maybe `hs_concordance`)."""
    version = current_version(lake)
    con = reader_connection(version)
    try:
        register_duckdb(con, version)
        backend = ibis.duckdb.from_connection(con)
        names = ["product_flows"] + (["hs_concordance"]
                                     if (version / "hs_concordance.parquet").exists() else [])
        yield {n: backend.table(n) for n in names}
    finally:
        con.close()


def spark_flows(lake: Path, master: str = "local[2]") -> dict[str, ir.Table]:
    """The lake's tables as Ibis tables on Spark (the same Parquet files)."""
    from kakehashi.store.engines import spark_session

    version = current_version(lake)
    session = spark_session(master)
    backend = ibis.pyspark.connect(session)
    tag = re.sub(r"\W", "_", version.name)
    flows = backend.read_parquet(flows_glob(version), table_name=f"kakehashi_product_flows_{tag}")
    out = {"product_flows": flows}
    conc = version / "hs_concordance.parquet"
    if conc.exists():
        out["hs_concordance"] = backend.read_parquet(
            str(conc), table_name=f"kakehashi_hs_concordance_{tag}")
    return out


def product_names(lake: Path) -> dict[str, str]:
    """hs6 -> description in the lake's revision (empty when no names file was ingested)."""
    import pyarrow.parquet as pq

    path = current_version(lake) / NAMES_FILE
    if not path.exists():
        return {}
    t = pq.read_table(path)
    return dict(zip(t["hs6"].to_pylist(), t["description"].to_pylist(), strict=True))
