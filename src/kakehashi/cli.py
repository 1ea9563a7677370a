"""The `kakehashi` command: build, inspect and serve the observatory."""

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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kakehashi import __version__
from kakehashi.config import SNAPSHOT_DIR, data_dir, store_path
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
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
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


def _open(store: Path | None) -> Any:
    from kakehashi.store import open_store

    return open_store(store or store_path())


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@friendly
def sources(store: Path | None, fmt: str) -> None:
    """List the data sources with licence, coverage and row counts."""
    from kakehashi.schema.tables import TABLES

    s = _open(store)
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
    _emit(columns, rows, fmt)


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
    result = _open(store).user_query(query, limit=limit)
    _emit(result.columns, result.rows, fmt)


def _emit(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
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


def _show(answer: Any, fmt: str, columns: list[str] | None = None) -> None:
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
    _emit(cols, rows, fmt)
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


fmt_option = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                          default="table", show_default=True)


@main.command()
@click.argument("target")
@click.option("--then", "then", default="2000-2004", show_default=True,
              help="A year or a range, e.g. 2000-2004.")
@click.option("--now", "now", default="2016-2020", show_default=True)
@click.option("--constant", is_flag=True, help="Constant US dollars (US GDP deflator, WDI).")
@click.option("--base-year", default=2015, show_default=True, type=int)
@store_option
@fmt_option
@friendly
def thennow(target: str, then: str, now: str, constant: bool, base_year: int,
            store: Path | None, fmt: str) -> None:
    """Japan then vs now with TARGET (ISO3, a sub-region or LAC), beside China, the USA,
    Korea and the EU."""
    from kakehashi import questions

    answer = questions.thennow(_open(store), target, then, now, constant_prices=constant,
                               base_year=base_year)
    _show(answer, fmt, ["comparator", "measure", "unit", "then_value", "now_value", "change_pct",
                        "cagr_pct"] if fmt == "table" else None)


@main.command()
@click.argument("target", default="LAC")
@click.option("--years", default="2016-2020", show_default=True)
@click.option("--concentration", is_flag=True,
              help="Show the HHI of Japan's LAC trade by year instead.")
@store_option
@fmt_option
@friendly
def indicators(target: str, years: str, concentration: bool, store: Path | None,
               fmt: str) -> None:
    """Trade intensity, dependence on Japan and mirror gaps for TARGET (default LAC)."""
    from kakehashi import questions

    s = _open(store)
    _show(questions.concentration(s) if concentration
          else questions.trade_indicators(s, target, years), fmt)


def _weights(items: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item!r}: write driver=weight, e.g. trade=2") from None
    return out


@main.command()
@click.option("--year", "--years", "years", default="2015-2019", show_default=True,
              help="A year or a range.")
@click.option("--compare", default=None, help="Show how ranks moved since this period.")
@click.option("--weight", "weights", multiple=True, help="driver=weight (repeatable).")
@click.option("--shift-share", "shift", is_flag=True,
              help="Split the change in Japan's exports (--compare to --year) instead.")
@store_option
@fmt_option
@friendly
def rank(years: str, compare: str | None, weights: tuple[str, ...], shift: bool,
         store: Path | None, fmt: str) -> None:
    """Rank the LAC33 by importance to Japan, with each driver's contribution."""
    from kakehashi import questions

    s = _open(store)
    if shift:
        _show(questions.shift_share(s, compare or "2000-2004", years), fmt)
        return
    answer = questions.rank(s, years, _weights(weights), compare)
    cols = ["rank", "country_iso3", "name", "score"] + [
        c for c in answer.columns if c.endswith("_contribution")]
    if compare:
        cols.insert(1, "rank_move")
    _show(answer, fmt, cols if fmt == "table" else None)


@main.command()
@click.argument("reporter", default="MEX")
@click.option("--years", default="2019", show_default=True)
@store_option
@fmt_option
@friendly
def sectors(reporter: str, years: str, store: Path | None, fmt: str) -> None:
    """Which HS sections dominate REPORTER's trade with Japan, China and the USA."""
    from kakehashi import questions

    _show(questions.sectors(_open(store), reporter, years), fmt)


@main.command()
@click.argument("event_id")
@click.option("--window", default=3, show_default=True, type=int,
              help="Years before and after.")
@store_option
@fmt_option
@friendly
def event(event_id: str, window: int, store: Path | None, fmt: str) -> None:
    """What an event accomplished: before/after against the other LAC countries."""
    from kakehashi import questions

    _show(questions.event(_open(store), event_id, window), fmt,
          ["outcome", "n_treated", "n_control", "treated_change", "control_change", "did",
           "p_value", "permutations", "note"] if fmt == "table" else None)


@main.command()
@click.argument("target")
@click.option("--by-issue", is_flag=True, help="Split by UNGA issue category.")
@store_option
@fmt_option
@friendly
def votes(target: str, by_issue: bool, store: Path | None, fmt: str) -> None:
    """UN General Assembly voting agreement of TARGET with Japan, the USA and China."""
    from kakehashi import questions

    _show(questions.diplomatic_support(_open(store), target, by_issue), fmt)


@main.command()
@store_option
@fmt_option
@friendly
def coherence(store: Path | None, fmt: str) -> None:
    """Does Japan's attention and aid go where its economic weight is? By decade."""
    from kakehashi import questions

    _show(questions.coherence(_open(store)), fmt)


@main.command()
@click.argument("target", default="LAC")
@click.option("--series", type=click.Choice(["trade", "exports", "imports"]), default="trade",
              show_default=True)
@click.option("--horizon", default=5, show_default=True, type=int)
@store_option
@fmt_option
@friendly
def outlook(target: str, series: str, horizon: int, store: Path | None, fmt: str) -> None:
    """A trend projection (labelled as such) of Japan's trade with TARGET."""
    from kakehashi import questions

    _show(questions.outlook_answer(_open(store), target, series, horizon), fmt)


@main.command()
@click.option("--country", default=None, help="A LAC33 ISO3 code, e.g. PER.")
@click.option("--region", default=None, help="LAC or a sub-region, e.g. 'South America'.")
@click.option("--event", "event_id", default=None, help="An event id (see the events table).")
@click.option("--then", "then", default="2000-2004", show_default=True)
@click.option("--now", "now", default="2016-2020", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "md"]), default="html",
              show_default=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Write here (default: stdout; PDF: brief-<subject>.pdf).")
@store_option
@friendly
def brief(country: str | None, region: str | None, event_id: str | None, then: str, now: str,
          fmt: str, out_path: Path | None, store: Path | None) -> None:
    """Write a "Then & Now" brief for a country, the region or an event, with footnotes."""
    from kakehashi.errors import InvalidRequest
    from kakehashi.reports import briefs, render

    chosen = [x for x in (country, region, event_id) if x]
    if len(chosen) != 1:
        raise InvalidRequest("Give exactly one of --country, --region or --event.")
    s = _open(store)
    if country:
        doc = briefs.country_brief(s, country, then, now)
    elif region:
        doc = briefs.region_brief(s, region, then, now)
    else:
        doc = briefs.event_brief(s, str(event_id))
    content = render.RENDERERS[fmt](doc)
    if fmt == "pdf" and out_path is None:
        out_path = Path(f"brief-{chosen[0].replace(' ', '-')}.pdf")
    if out_path is None:
        click.echo(content, nl=False)
        return
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        out_path.write_bytes(content)
    else:
        out_path.write_text(content)
    err.print(f"Wrote {out_path} ({out_path.stat().st_size / 1e3:.0f} kB).", highlight=False)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@friendly
def serve(store: Path | None, host: str, port: int) -> None:
    """Serve the dashboard and the JSON API."""
    from kakehashi.web import serve as run_server

    target = store or store_path()
    _open(target)
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
