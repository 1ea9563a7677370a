"""Reading raw files as published, with errors that name the file, line and column."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Mapping
from pathlib import Path

import duckdb

from kakehashi.errors import InputError

_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMN = re.compile(r'converting column "([^"]+)"')
_VALUE = re.compile(r'Could not convert string "([^"]*)" to \'?([A-Z0-9_]+)')

_TYPE_WORDS = {
    "DOUBLE": "a number",
    "BIGINT": "a whole number",
    "INTEGER": "a whole number",
    "SMALLINT": "a whole number",
    "DATE": "a date (YYYY-MM-DD)",
}


def read_header(path: Path) -> list[str]:
    """The header row of a CSV file (plain or gzip), without a leading byte-order mark."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
        else:
            with path.open("r", encoding="utf-8-sig", newline="") as fh:
                first = fh.readline()
    except FileNotFoundError:
        raise InputError(path, "file not found", hint="Check the data folder "
                         "(KAKEHASHI_DATA or --data) and that the file is there.") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(path, f"cannot be opened as {'gzip' if path.suffix == '.gz' else 'text'}"
                         f" ({exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text (byte {exc.start} of the first line)",
                         line=1) from None
    if not first.strip():
        raise InputError(path, "is empty (no header row)", line=1)
    return next(csv.reader(io.StringIO(first)))


def read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    view: str,
    types: Mapping[str, str],
) -> None:
    """Load ``path`` into table ``view``; ``types`` names the required columns and their types.

    Columns not named in ``types`` are read as text. A missing column, a value that does not
    parse, or a truncated gzip raises :class:`InputError` naming the file, line and column.
    """
    header = read_header(path)
    missing = [c for c in types if c not in header]
    if missing:
        raise InputError(
            path,
            f"missing column(s) {', '.join(repr(m) for m in missing)}; found "
            f"{', '.join(header)}",
            line=1,
            hint="The publisher may have changed the layout; update the source's reader.",
        )
    columns = {name: types.get(name, "VARCHAR") for name in header}
    spec = "{" + ", ".join(f"'{_q(k)}': '{v}'" for k, v in columns.items()) + "}"
    sql = (
        f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT * FROM read_csv('{_q(str(path))}', "
        f"header = true, auto_detect = false, columns = {spec}, quote = '\"', escape = '\"', "
        "delim = ',', nullstr = '', strict_mode = true)"
    )
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        raise _explain(path, exc) from None


def _explain(path: Path, exc: duckdb.Error) -> InputError:
    text = str(exc)
    if "GZIP" in text.upper() or "gzip" in text:
        return InputError(path, "the gzip stream is truncated or corrupt",
                          hint="Fetch the file again (the download may have been cut short).")
    line = _LINE.search(text)
    column = _COLUMN.search(text)
    value = _VALUE.search(text)
    if value:
        wanted = _TYPE_WORDS.get(value.group(2), value.group(2))
        problem = f"{value.group(1)!r} is not {wanted}"
    else:
        problem = text.splitlines()[0]
        for extra in text.splitlines()[1:3]:
            if extra.strip() and not extra.startswith("Original Line"):
                problem += f" ({extra.strip()})"
                break
    return InputError(
        path,
        problem,
        line=int(line.group(1)) if line else None,
        column=column.group(1) if column else None,
    )


def _q(text: str) -> str:
    return text.replace("'", "''")
