"""Self-description tables written into every store: sources, files, tables, columns, build."""

from __future__ import annotations

from typing import Any

import duckdb

from kakehashi.schema.tables import TABLES
from kakehashi.sources import SOURCES

META_TABLES = ("sources", "source_files", "table_catalog", "column_catalog", "build_info")


def write_meta(
    con: duckdb.DuckDBPyConnection,
    inputs: dict[str, dict[str, Any]],
    build_info: dict[str, str],
) -> None:
    con.execute(
        "CREATE TABLE sources (source_id VARCHAR PRIMARY KEY, title VARCHAR, publisher VARCHAR,"
        " url VARCHAR, origin VARCHAR, version VARCHAR, retrieved VARCHAR, license VARCHAR,"
        " license_url VARCHAR, license_note VARCHAR, citation VARCHAR, units VARCHAR,"
        " coverage VARCHAR, caveats VARCHAR, derivation VARCHAR)"
    )
    con.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.id, s.title, s.publisher, s.url, s.origin, s.version, s.retrieved, s.license.name,
          s.license.url, s.license.note, s.citation, s.units, s.coverage, s.caveats,
          s.derivation) for s in SOURCES.values()],
    )
    con.execute("CREATE TABLE source_files (source_id VARCHAR, path VARCHAR PRIMARY KEY, "
                "sha256 VARCHAR, size_bytes BIGINT, description VARCHAR)")
    rows = []
    for s in SOURCES.values():
        for f in s.files:
            entry = inputs.get(f.path, {})
            rows.append((s.id, f.path, entry.get("sha256"), entry.get("bytes"), f.description))
    if rows:
        con.executemany("INSERT INTO source_files VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("CREATE TABLE table_catalog (table_name VARCHAR PRIMARY KEY, description "
                "VARCHAR, primary_key VARCHAR[], source_ids VARCHAR[], row_count BIGINT)")
    con.execute("CREATE TABLE column_catalog (table_name VARCHAR, column_name VARCHAR, "
                "position INTEGER, dtype VARCHAR, unit VARCHAR, nullable BOOLEAN, "
                "description VARCHAR, PRIMARY KEY (table_name, column_name))")
    for name, spec in TABLES.items():
        count = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert count is not None
        con.execute("INSERT INTO table_catalog VALUES (?, ?, ?, ?, ?)",
                    [name, spec.description, list(spec.primary_key), list(spec.sources),
                     count[0]])
        con.executemany(
            "INSERT INTO column_catalog VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(name, c.name, i + 1, c.dtype, c.unit, c.nullable, c.description)
             for i, c in enumerate(spec.columns)],
        )
    con.execute("CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany("INSERT INTO build_info VALUES (?, ?)", sorted(build_info.items()))
