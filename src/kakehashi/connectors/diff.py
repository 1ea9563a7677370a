"""`kakehashi diff`: what changed in one table between two stores (data versions).

Rows are matched on the table's primary key: new years, values revised by more than a
threshold (percent of the old value), vanished rows and added rows, by source.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kakehashi.connectors.merge import spec_of
from kakehashi.errors import InvalidRequest, StoreError

VALUE_COLUMNS = ("value_usd", "value")


@dataclass
class Diff:
    table: str
    threshold_pct: float
    rows_old: int = 0
    rows_new: int = 0
    added: int = 0
    vanished: int = 0
    revised: int = 0
    new_years: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    vanished_rows: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)

    def to_text(self) -> str:
        lines = [f"{self.table}: {self.rows_old:,} -> {self.rows_new:,} rows; "
                 f"{self.added:,} added, {self.vanished:,} vanished, {self.revised:,} revised "
                 f"by more than {self.threshold_pct:g} %"]
        for y in self.new_years:
            lines.append(f"  new year {y['year']} ({y['source_id']}): {y['rows']:,} rows")
        for r in self.revisions:
            key = ", ".join(f"{k}={v}" for k, v in r["key"].items())
            pct = "new from zero" if r["change_pct"] is None else f"{r['change_pct']:+.2f} %"
            lines.append(f"  revised {key}: {r['old']:,.6g} -> {r['new']:,.6g} ({pct})")
        for r in self.vanished_rows:
            key = ", ".join(f"{k}={v}" for k, v in r["key"].items())
            lines.append(f"  vanished {key}")
        return "\n".join(lines)


def diff(old_store: Path, new_store: Path, table: str, threshold_pct: float = 0.5,
         limit: int = 20) -> Diff:
    try:
        spec = spec_of(table)
    except KeyError:
        raise InvalidRequest(f"No table {table!r} to compare; see docs/reference/tables.md."
                             ) from None
    value = next((c for c in VALUE_COLUMNS if c in spec.column_names), None)
    if value is None or not spec.primary_key:
        raise InvalidRequest(f"Table {table!r} has no value column or key to compare.")
    if threshold_pct < 0:
        raise InvalidRequest("--threshold must be 0 or more (percent).")
    for p in (old_store, new_store):
        if not p.is_file():
            raise StoreError(f"No store at {p}; give two store files (the previous one is "
                             "kept as <store>.previous by `kakehashi update`).")
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_quote(old_store)}' AS o (READ_ONLY)")
        con.execute(f"ATTACH '{_quote(new_store)}' AS n (READ_ONLY)")
        return _compare(con, spec.primary_key, spec.column_names, table, value,
                        threshold_pct, limit)
    finally:
        con.close()


def _exists(con: duckdb.DuckDBPyConnection, db: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND "
                       "table_name = ?", [db, table]).fetchone() != (0,)


def _compare(con: duckdb.DuckDBPyConnection, key: tuple[str, ...], columns: tuple[str, ...],
             table: str, value: str, threshold: float, limit: int) -> Diff:
    result = Diff(table, threshold)
    empty = "(SELECT " + ", ".join(f'NULL AS "{c}"' for c in columns) + " WHERE false)"
    old = f'o.main."{table}"' if _exists(con, "o", table) else empty
    new = f'n.main."{table}"' if _exists(con, "n", table) else empty
    on = " AND ".join(f'a."{k}" IS NOT DISTINCT FROM b."{k}"' for k in key)
    keys = ", ".join(f'a."{k}"' for k in key)

    def one(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    result.rows_old = one(f"SELECT count(*) FROM {old}")
    result.rows_new = one(f"SELECT count(*) FROM {new}")
    result.added = one(f"SELECT count(*) FROM {new} a WHERE NOT EXISTS "
                       f"(SELECT 1 FROM {old} b WHERE {on})")
    result.vanished = one(f"SELECT count(*) FROM {old} a WHERE NOT EXISTS "
                          f"(SELECT 1 FROM {new} b WHERE {on})")
    same_src = ("b.source_id IS NOT DISTINCT FROM a.source_id" if "source_id" in columns
                else "true")
    src = "a.source_id" if "source_id" in columns else "NULL"
    if "year" in columns:
        result.new_years = [
            {"source_id": s, "year": int(y), "rows": int(n)} for s, y, n in con.execute(
                f"SELECT {src}, a.year, count(*) FROM {new} a WHERE NOT EXISTS (SELECT 1 "
                f"FROM {old} b WHERE b.year = a.year AND {same_src}) GROUP BY ALL "
                "ORDER BY 2, 1").fetchall()]
    change = f"(a.{value} - b.{value}) / abs(b.{value}) * 100"
    revised_where = (f"a.{value} IS DISTINCT FROM b.{value} AND (b.{value} = 0 OR "
                     f"abs({change}) > {threshold})")
    joined = f"FROM {new} a JOIN {old} b ON {on} WHERE {revised_where}"
    result.revised = one(f"SELECT count(*) {joined}")
    for row in con.execute(f"SELECT {keys}, b.{value}, a.{value}, CASE WHEN b.{value} = 0 "
                           f"THEN NULL ELSE {change} END AS pct {joined} "
                           f"ORDER BY abs(a.{value} - b.{value}) DESC LIMIT {limit}").fetchall():
        result.revisions.append({"key": dict(zip(key, row[:len(key)], strict=True)),
                                 "old": row[-3], "new": row[-2], "change_pct": row[-1]})
    for row in con.execute(f"SELECT {keys} FROM {old} a WHERE NOT EXISTS (SELECT 1 FROM "
                           f"{new} b WHERE {on}) ORDER BY ALL LIMIT {limit}").fetchall():
        result.vanished_rows.append({"key": dict(zip(key, row, strict=True))})
    return result


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
