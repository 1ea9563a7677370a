"""Merge connector tables into a copy of the store: replace, supersede, keep, record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from kakehashi.connectors.base import RawRecord, now_iso
from kakehashi.connectors.tables import DATA_VERSIONS_DDL, EXTRA_TABLES
from kakehashi.provenance import Source
from kakehashi.schema.check import check
from kakehashi.schema.spec import TableSpec
from kakehashi.schema.tables import TABLES


@dataclass(frozen=True)
class TableChange:
    table: str
    source_id: str
    rows_new: int        # keys the store did not have
    rows_replaced: int   # keys it had (same source, or a superseded source)
    rows_removed: int    # rows of this source in the fetched years the publisher no longer has
    rows_kept_existing: int  # incoming rows whose key another source already fills
    rows_total: int      # rows of this source in the table afterwards


def spec_of(name: str) -> TableSpec:
    return TABLES.get(name) or EXTRA_TABLES[name]


def _ddl(spec: TableSpec) -> str:
    cols = ", ".join(f'"{c.name}" {c.dtype}' for c in spec.columns)
    return f'CREATE TABLE IF NOT EXISTS "{spec.name}" ({cols})'


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row else 0


def merge_table(con: duckdb.DuckDBPyConnection, name: str, incoming: pa.Table,
                years: tuple[int, int], supersedes: Sequence[str]) -> list[TableChange]:
    """Put ``incoming`` into table ``name``; one TableChange per incoming source_id."""
    spec = spec_of(name)
    con.execute(_ddl(spec))
    con.register("incoming_raw", incoming)
    con.execute("CREATE OR REPLACE TEMP TABLE incoming AS SELECT * FROM incoming_raw")
    con.unregister("incoming_raw")
    key = [k for k in spec.primary_key if k != "source_id"]
    on = " AND ".join(f't."{k}" IS NOT DISTINCT FROM i."{k}"' for k in key)
    changes = []
    sources = [r[0] for r in con.execute("SELECT DISTINCT source_id FROM incoming").fetchall()]
    for sid in sources:
        matched = (f"t.source_id = '{sid}' AND EXISTS (SELECT 1 FROM incoming i WHERE "
                   f"i.source_id = '{sid}' AND {on})")
        mine = (f"(t.source_id = '{sid}' AND t.year BETWEEN {years[0]} AND {years[1]}) "
                f"OR ({matched})")
        before = _count(con, f'SELECT count(*) FROM "{name}" t WHERE {mine}')
        same = _count(con, f'SELECT count(*) FROM "{name}" t WHERE {matched}')
        con.execute(f'DELETE FROM "{name}" t WHERE {mine}')
        superseded = 0
        if supersedes:
            old = ", ".join(f"'{s}'" for s in supersedes)
            where = (f"t.source_id IN ({old}) AND EXISTS (SELECT 1 FROM incoming i WHERE "
                     f"i.source_id = '{sid}' AND {on})")
            superseded = _count(con, f'SELECT count(*) FROM "{name}" t WHERE {where}')
            con.execute(f'DELETE FROM "{name}" t WHERE {where}')
        kept = 0
        if "source_id" not in spec.primary_key:
            clash = (f"i.source_id = '{sid}' AND EXISTS (SELECT 1 FROM \"{name}\" t WHERE "
                     f"t.source_id <> '{sid}' AND {on})")
            kept = _count(con, f"SELECT count(*) FROM incoming i WHERE {clash}")
            con.execute(f"DELETE FROM incoming i WHERE {clash}")
        cols = ", ".join(f'"{c}"' for c in spec.column_names)
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM incoming '
                    f"WHERE source_id = '{sid}'")
        total = _count(con, f'SELECT count(*) FROM "{name}" WHERE source_id = ?', [sid])
        inserted = _count(con, "SELECT count(*) FROM incoming WHERE source_id = ?", [sid])
        changes.append(TableChange(name, sid, inserted - same - superseded, same + superseded,
                                   before - same, kept, total))
    check(con, spec)
    return changes


def enrich(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    """Derived columns the pipeline would fill: HS descriptions, indicator year spans."""
    if "product_trade" in tables:
        con.execute("""
            UPDATE product_trade p SET
              hs2_description = coalesce(p.hs2_description, (SELECT description FROM
                hs_products h WHERE h.hs_code = p.hs2 AND h.level = 2)),
              hs4_description = coalesce(p.hs4_description, (SELECT description FROM
                hs_products h WHERE h.hs_code = p.hs4 AND h.level = 4))
            WHERE p.hs2_description IS NULL OR p.hs4_description IS NULL""")
    if "macro_indicators" in tables:
        con.execute("""
            UPDATE indicators i SET first_year = s.first_year, last_year = s.last_year
            FROM (SELECT indicator_code, min(year) AS first_year, max(year) AS last_year
                  FROM macro_indicators GROUP BY 1) s
            WHERE s.indicator_code = i.indicator_code""")


def record_meta(con: duckdb.DuckDBPyConnection, changes: Sequence[TableChange],
                sources: Mapping[str, Source], raw: Sequence[RawRecord], years: tuple[int, int],
                raw_root: str) -> list[int]:
    """Sources, files, catalog counts and one data_versions row per (source, table)."""
    stamp = now_iso()
    releases = {r.source_id: r.release for r in raw}
    for sid, src in sources.items():
        if sid not in releases:
            continue
        con.execute("DELETE FROM sources WHERE source_id = ?", [sid])
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, src.title, src.publisher, src.url, src.origin, releases[sid], stamp[:10],
             src.license.name, src.license.url, src.license.note, src.citation, src.units,
             src.coverage, src.caveats, src.derivation])
    for r in raw:
        path = f"{raw_root}/{r.source_id}/{r.path.parent.name}/{r.path.name}"
        con.execute("DELETE FROM source_files WHERE path = ?", [path])
        con.execute("INSERT INTO source_files VALUES (?, ?, ?, ?, ?)",
                    [r.source_id, path, r.sha256, r.size, f"{r.url} (retrieved "
                     f"{r.retrieved_at}, release {r.release})"])
    for name in sorted({c.table for c in changes}):
        spec = spec_of(name)
        n = _count(con, f'SELECT count(*) FROM "{name}"')
        ids = sorted({*spec.sources, *(c.source_id for c in changes if c.table == name)})
        con.execute("DELETE FROM table_catalog WHERE table_name = ?", [name])
        con.execute("INSERT INTO table_catalog VALUES (?, ?, ?, ?, ?)",
                    [name, spec.description, list(spec.primary_key), ids, n])
        con.execute("DELETE FROM column_catalog WHERE table_name = ?", [name])
        con.executemany("INSERT INTO column_catalog VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(name, c.name, i + 1, c.dtype, c.unit, c.nullable, c.description)
                         for i, c in enumerate(spec.columns)])
    con.execute(DATA_VERSIONS_DDL)
    first = _count(con, "SELECT coalesce(max(version_id), 0) + 1 FROM data_versions")
    versions: list[int] = []
    for n, c in enumerate(changes):
        files = [r.sha256 for r in raw if r.source_id == c.source_id]
        con.execute("INSERT INTO data_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [first + n, stamp, c.source_id, releases.get(c.source_id),
                     f"{years[0]}-{years[1]}", c.table, c.rows_new, c.rows_replaced,
                     c.rows_kept_existing, c.rows_total, len(files), files])
        versions.append(first + n)
    con.execute("INSERT OR REPLACE INTO build_info VALUES ('updated_at', ?)", [stamp])
    return versions
