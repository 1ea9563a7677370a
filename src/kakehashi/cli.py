"""The `kakehashi` command: build, inspect and serve the observatory.

Data commands live here; question commands in `cli_questions`, document commands in
`text.cli`; what they share (errors, progress, options, output) in `terminal`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kakehashi import __version__
from kakehashi.cli_products import COMMANDS as PRODUCT_COMMANDS
from kakehashi.cli_questions import COMMANDS
from kakehashi.config import SNAPSHOT_DIR, data_dir, store_path
from kakehashi.connectors.cli import COMMANDS as UPDATE_COMMANDS
from kakehashi.errors import KakehashiError
from kakehashi.terminal import (
    emit,
    err,
    friendly,
    open_store_option,
    step_progress,
    store_option,
)
from kakehashi.text.cli import extract, ingest, search


@click.group()
@click.version_option(__version__, prog_name="kakehashi")
def main() -> None:
    """Kakehashi: Japan's relations with Latin America and the Caribbean, from public data."""


@main.command()
@store_option
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Build from the raw files in this folder instead of the bundled snapshot.")
@click.option("--force", is_flag=True, help="Rebuild even if the store is up to date.")
@friendly
def build(store: Path | None, data: Path | None, force: bool) -> None:
    """Build the DuckDB store (atomically: the old store serves until the new one is ready)."""
    from kakehashi.pipeline.runner import STEPS
    from kakehashi.schema.tables import TABLES
    from kakehashi.store import build_store

    target = store or store_path()
    total = (len(STEPS) if data else len(TABLES)) + 1
    with step_progress("build", total) as progress:
        report = build_store(target, data_dir=data, force=force, progress=progress)
    size = report.size_bytes / 1e6
    if report.skipped:
        err.print(f"Store {target} is up to date ({report.mode}); nothing to do. "
                  "Use --force to rebuild.", highlight=False)
    else:
        err.print(f"Built {target} from the {report.mode} in {report.seconds:.1f} s "
                  f"({size:.1f} MB).", highlight=False)


@main.command()
@click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Raw data folder (default: $KAKEHASHI_DATA or ../shared/data).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=SNAPSHOT_DIR, show_default=True, help="Snapshot folder to (re)write.")
@friendly
def snapshot(data: Path | None, out_dir: Path) -> None:
    """Derive the bundled snapshot (checksummed Parquet) from the raw public files."""
    from kakehashi.pipeline import snapshot as snap
    from kakehashi.pipeline.runner import STEPS

    with step_progress("snapshot", len(STEPS)) as progress:
        manifest = snap.derive(data or data_dir(), out_dir, progress)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    err.print(f"Wrote {len(manifest['tables'])} tables ({rows:,} rows) to {out_dir}.",
              highlight=False)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@friendly
def sources(store: Path | None, fmt: str) -> None:
    """List the data sources with licence, coverage and row counts."""
    from kakehashi.schema.tables import TABLES

    s = open_store_option(store)
    counts = _rows_by_source(s)
    rows: list[tuple[Any, ...]] = [
        (sid, publisher, license_, version, counts.get(sid, 0),
         [name for name, spec in TABLES.items() if sid in spec.sources], coverage)
        for sid, publisher, license_, version, coverage in s.query(
            "SELECT source_id, publisher, license, version, coverage FROM sources "
            "ORDER BY source_id").rows
    ]
    columns = ["source_id", "publisher", "license", "version", "rows", "tables", "coverage"]
    if fmt == "table":  # the terminal is narrow: the long text is in csv/json and docs
        columns, rows = columns[:5], [r[:5] for r in rows]
    emit(columns, rows, fmt)


def _rows_by_source(s: Any) -> dict[str, int]:
    """Rows each source feeds: split by source_id where a table has one, else the whole table
    counts for each source the table lists (e.g. countries for country_codes and cldr)."""
    from kakehashi.schema.tables import TABLES

    counts: dict[str, int] = {}
    for name, spec in TABLES.items():
        if "source_id" in spec.column_names:
            for sid, n in s.query(f'SELECT source_id, count(*) FROM "{name}" GROUP BY 1').rows:
                counts[sid] = counts.get(sid, 0) + n
        else:
            n = s.query(f'SELECT count(*) FROM "{name}"').rows[0][0]
            for sid in spec.sources:
                counts[sid] = counts.get(sid, 0) + n
    return counts


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--limit", type=int, default=None, help="Return at most this many rows.")
@friendly
def sql(query: str, store: Path | None, fmt: str, limit: int | None) -> None:
    """Run one read-only SELECT against the store (no writes, no files outside it)."""
    result = open_store_option(store).user_query(query, limit=limit)
    emit(result.columns, result.rows, fmt)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@friendly
def serve(store: Path | None, host: str, port: int) -> None:
    """Serve the dashboard and the JSON API."""
    from kakehashi.web import serve as run_server

    target = store or store_path()
    open_store_option(target)
    err.print(f"Serving Kakehashi on http://{host}:{port}/ (store {target}); Ctrl-C stops.",
              highlight=False)
    run_server(target, host=host, port=port)


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("docs"), show_default=True)
@click.option("--check", is_flag=True, help="Fail if the generated pages are out of date.")
@friendly
def docs(out_dir: Path, check: bool) -> None:
    """Write docs/reference/tables.md and docs/sources.md from the code, and copy
    docs/methods.md into the package for the dashboard."""
    from kakehashi.config import PACKAGE_DIR
    from kakehashi.docs_gen import sources_markdown, tables_markdown

    methods = out_dir / "methods.md"
    pages = {out_dir / "reference" / "tables.md": tables_markdown(),
             out_dir / "sources.md": sources_markdown()}
    if methods.is_file():  # the dashboard ships a copy of the methods page in the package
        pages[PACKAGE_DIR / "web" / "static" / "methods.md"] = methods.read_text()
    stale = [p for p, text in pages.items() if not p.is_file() or p.read_text() != text]
    if check:
        if stale:
            raise KakehashiError(f"Out of date: {', '.join(map(str, stale))}. Run `kakehashi "
                                 "docs` and commit the result.")
        return
    for path, text in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    err.print(f"Wrote {len(pages)} page(s).", highlight=False)


for _command in (*COMMANDS, *PRODUCT_COMMANDS, *UPDATE_COMMANDS, ingest, extract, search):
    main.add_command(_command)
