"""Check a built table against its spec, listing every problem at once."""

from __future__ import annotations

import duckdb

from kakehashi.errors import SchemaError
from kakehashi.schema.spec import TableSpec


def problems(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> list[str]:
    found = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
        [spec.name],
    ).fetchall()
    if not found:
        return ["table is missing"]
    out: list[str] = []
    names = [n for n, _ in found]
    if tuple(names) != spec.column_names:
        out.append(f"columns are {names}, expected {list(spec.column_names)}")
    types = dict(found)
    for col in spec.columns:
        if col.name in types and types[col.name] != col.dtype:
            out.append(f"{col.name} is {types[col.name]}, expected {col.dtype}")
    required = [c.name for c in spec.columns if not c.nullable and c.name in types]
    if required:
        counts = con.execute(
            "SELECT " + ", ".join(f'count(*) - count("{c}")' for c in required)
            + f' FROM "{spec.name}"'
        ).fetchone()
        assert counts is not None
        out += [f"{n} null value(s) in {c}" for c, n in zip(required, counts, strict=True) if n]
    if spec.primary_key and all(k in types for k in spec.primary_key):
        keys = ", ".join(f'"{k}"' for k in spec.primary_key)
        dup = con.execute(
            f'SELECT {keys}, count(*) AS n FROM "{spec.name}" GROUP BY ALL HAVING n > 1 LIMIT 3'
        ).fetchall()
        if dup:
            out.append(f"duplicate primary key ({', '.join(spec.primary_key)}), e.g. {dup[0][:-1]}")
    return out


def check(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> None:
    found = problems(con, spec)
    if found:
        raise SchemaError(spec.name, found)
