"""Errors raised by Kakehashi.

Every error says what happened and what to do about it, and carries its context.

* KakehashiError
  x InputError             (.path, .line, .column)  a raw file is malformed
  x UnmappedCodes          (.items)                 names or codes that map to no entity
  x SchemaError            (.table, .problems)      a table does not match its spec
  x StoreError                                      the store is missing or cannot be used
  x QueryRefused           status = 400             a query tries to write or leave the store
  x NotFound               status = 404             no such country, table or source
  x InvalidRequest         status = 400             a parameter is out of range
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class KakehashiError(Exception):
    """Base class: the message is one line a user can act on."""

    status = 500


class InputError(KakehashiError):
    """A raw input file cannot be read as documented."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        hint: str = "Fix the file or fetch it again, then rerun `kakehashi build`.",
    ) -> None:
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}. {hint}")
        self.path, self.line, self.column, self.problem = str(path), line, column, problem


class UnmappedCodes(KakehashiError):
    """Names or codes in a source map to no country or aggregate."""

    def __init__(self, items: Sequence[tuple[str, str, str, int]]) -> None:
        # items: (source file, column, value, row count)
        shown = "; ".join(f"{f} {c}={v!r} ({n} rows)" for f, c, v, n in items[:20])
        more = f" and {len(items) - 20} more" if len(items) > 20 else ""
        super().__init__(
            f"{len(items)} unmapped country name(s) or code(s): {shown}{more}. "
            "Add each to src/kakehashi/schema/codes/aliases.csv (or entities.csv) and rebuild."
        )
        self.items = list(items)


class SchemaError(KakehashiError):
    """A built table breaks its documented schema."""

    def __init__(self, table: str, problems: Sequence[str]) -> None:
        super().__init__(
            f"Table {table!r} does not match its schema: " + "; ".join(problems)
            + ". The input or a pipeline step changed; see docs/reference/tables.md."
        )
        self.table, self.problems = table, list(problems)


class StoreError(KakehashiError):
    """The store is missing, locked or unreadable."""


class QueryRefused(KakehashiError):
    """A user query tried to write, attach, install or read outside the store."""

    status = 400


class NotFound(KakehashiError, LookupError):
    """A requested country, table, source or page does not exist."""

    status = 404


class InvalidRequest(KakehashiError, ValueError):
    """A parameter is malformed or out of range."""

    status = 400
