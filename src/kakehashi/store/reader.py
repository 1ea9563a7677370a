"""Read-only access to the store, locked down for user queries, following atomic swaps."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from kakehashi.errors import QueryRefused, StoreError

# Settings applied to every read connection: no files, no network, no extensions. External
# access cannot be re-enabled while the database runs, and user SQL may not use SET or PRAGMA
# (see check_user_sql). The configuration is not locked, because Ibis sets the time zone.
LOCKDOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
ALLOWED_STATEMENTS = {"SELECT", "EXPLAIN"}
MAX_SQL_CHARS = 20_000


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class _ReadersWriter:
    """Many queries at once, or one reconnect alone."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class Store:
    """A read-only view of the store file that reopens when a build swaps in a new file.

    DuckDB shares one database instance per path within a process, so the old connection is
    closed (once no query is using it) before the swapped-in file is opened.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._gate = _ReadersWriter()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None

    def _stat(self) -> tuple[int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"No store at {self.path}. Run `kakehashi build` first "
                             "(or set KAKEHASHI_STORE).") from None
        return (st.st_ino, st.st_mtime_ns)

    def _refresh(self) -> None:
        identity = self._stat()
        if self._con is not None and identity == self._identity:
            return
        with self._gate.writing():
            identity = self._stat()
            if self._con is not None and identity == self._identity:
                return
            if self._con is not None:
                self._con.close()
                self._con = None
            try:
                self._con = duckdb.connect(str(self.path), read_only=True,
                                           config=dict(LOCKDOWN))
            except duckdb.Error as exc:
                raise StoreError(f"Cannot open the store {self.path}: {exc}. Rebuild it "
                                 "with `kakehashi build --force`.") from None
            self._identity = identity

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._refresh()
        with self._gate.reading():
            assert self._con is not None
            cur = self._con.cursor()
            try:
                yield cur
            finally:
                cur.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> Result:
        """Run trusted SQL (written by Kakehashi) with bound parameters."""
        with self.cursor() as cur:
            rel = cur.execute(sql, list(params))
            columns = [d[0] for d in rel.description or []]
            return Result(columns, rel.fetchall())

    def user_query(self, sql: str, limit: int | None = None) -> Result:
        """Run SQL typed by a user: one read-only statement, nothing outside the store."""
        with self.cursor() as cur:
            check_user_sql(cur, sql)
        text = sql.strip().rstrip(";")
        if limit is not None:
            text = f"SELECT * FROM ({text}) LIMIT {int(limit)}"
        try:
            return self.query(text)
        except duckdb.PermissionException as exc:
            raise QueryRefused(f"Refused: {_first_line(exc)}. Queries may read only the "
                               "store's tables.") from None
        except duckdb.Error as exc:
            raise QueryRefused(f"Query failed: {_first_line(exc)}. List tables with "
                               "`kakehashi sql \"SHOW TABLES\"` or see "
                               "docs/reference/tables.md.") from None

    def close(self) -> None:
        with self._gate.writing():
            if self._con is not None:
                self._con.close()
                self._con = None


def check_user_sql(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"Query is {len(sql)} characters; the limit is {MAX_SQL_CHARS}.")
    # SHOW, DESCRIBE and SUMMARIZE parse as SELECT statements: no shortcut for them, or
    # "SHOW TABLES; SET ..." would run its second statement.
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"Query does not parse: {_first_line(exc)}.") from None
    if len(statements) != 1:
        raise QueryRefused(f"Give exactly one statement (got {len(statements)}).")
    kind = statements[0].type.name
    if kind not in ALLOWED_STATEMENTS:
        raise QueryRefused(f"Only SELECT queries are allowed (got {kind}); the store is "
                           "read-only.")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def open_store(path: Path) -> Store:
    store = Store(path)
    store._refresh()
    return store
