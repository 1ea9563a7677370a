"""Ibis backends over the store: embedded DuckDB by default, Spark for data beyond one machine.

This is the only module that creates an engine session for the analytics. Analytics receive
Ibis tables and never know which engine runs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kakehashi.config import SNAPSHOT_DIR
from kakehashi.errors import StoreError
from kakehashi.schema.tables import TABLES
from kakehashi.store.reader import Store

Tables = Mapping[str, ir.Table]


@contextmanager
def duckdb_tables(store: Store) -> Iterator[Tables]:
    """The store's tables as Ibis tables on a cursor of the store's read-only connection."""
    with store.cursor() as cur:
        backend = ibis.duckdb.from_connection(cur)
        yield {name: backend.table(name) for name in TABLES}


_SPARK: dict[str, Any] = {}


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session (created once per process). Needs the `spark` extra and Java 17+."""
    if master not in _SPARK:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise StoreError("Spark is not installed: pip install 'kakehashi[spark]' (and a "
                             "Java 17+ runtime).") from None
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        _SPARK[master] = (
            SparkSession.builder.master(master).appName("kakehashi")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
    return _SPARK[master]


def spark_tables(parquet_dir: Path = SNAPSHOT_DIR, master: str = "local[2]") -> Tables:
    """The core tables, read by Spark from Parquet files named <table>.parquet."""
    session = spark_session(master)
    backend = ibis.pyspark.connect(session)
    out: dict[str, ir.Table] = {}
    for name in TABLES:
        path = parquet_dir / f"{name}.parquet"
        if not path.exists():
            raise StoreError(f"No {path}; export the store to Parquet or use the snapshot.")
        out[name] = backend.read_parquet(str(path), table_name=f"kakehashi_{name}")
    return out
