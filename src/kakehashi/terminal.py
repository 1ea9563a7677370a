"""What every command shares: consoles, one-line errors, progress, options and output."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kakehashi.config import store_path
from kakehashi.errors import KakehashiError

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, soft_wrap=True)
out = Console()
if not out.is_terminal:  # piped: do not squeeze tables into 80 columns
    out = Console(width=200)


def friendly(func: F) -> F:
    """Turn any KakehashiError into one clear line on stderr and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KakehashiError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def step_progress(label: str, total: int) -> Iterator[Callable[[str], None]]:
    with Progress(
        TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
        transient=False, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("", total=total)
        started = False

        def advance(step: str) -> None:
            nonlocal started
            if started:
                bar.advance(task)
            started = True
            bar.update(task, description=step)

        yield advance
        bar.update(task, completed=total, description="done")


store_option = click.option(
    "--store", "store", type=click.Path(path_type=Path), default=None,
    help="Store file (default: $KAKEHASHI_STORE or var/kakehashi.duckdb).",
)


fmt_option = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                          default="table", show_default=True)



def open_store_option(store: Path | None) -> Any:
    """The store named by --store, else $KAKEHASHI_STORE (opened read-only)."""
    from kakehashi.store import open_store

    return open_store(store or store_path())


def emit(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(columns, r, strict=True)) for r in rows],
                              default=str, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in r] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    else:
        table = Table(*columns, show_lines=False)
        for r in rows:
            table.add_row(*(_cell(v) for v in r))
        out.print(table)
        err.print(f"{len(rows)} row(s)", highlight=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def show(answer: Any, fmt: str, columns: list[str] | None = None) -> None:
    """Print an Answer: data as table/CSV; JSON keeps notes and provenance with the data;
    the table view ends with the method notes and the sources."""
    if fmt == "json":
        click.echo(json.dumps(answer.as_dict(), default=str, ensure_ascii=False, indent=1))
        return
    cols = columns or answer.columns
    data = answer.data
    if fmt == "table":  # USD in millions, so a terminal can show it
        data = [_in_millions(r) for r in data]
    rows = [tuple(_fmt(r.get(c)) if fmt == "table" else r.get(c) for c in cols)
            for r in data]
    emit(cols, rows, fmt)
    if fmt == "table":
        if answer.notes:
            err.print(answer.notes, highlight=False)
        for p in answer.provenance:
            err.print(f"Source: {p['publisher']}, {p['title']} ({p['version']}); licence "
                      f"{p['license']}.", highlight=False)


def _in_millions(row: dict[str, Any]) -> dict[str, Any]:
    if not str(row.get("unit", "")).startswith("USD"):
        return row
    out = dict(row, unit=str(row["unit"]).replace("USD", "USD mn", 1))
    for key in ("then_value", "now_value", "change", "value"):
        if isinstance(out.get(key), int | float):
            out[key] = out[key] / 1e6
    return out


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return value
