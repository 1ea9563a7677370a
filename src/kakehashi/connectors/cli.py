"""`kakehashi update` and `kakehashi diff` (registered on the main group by kakehashi.cli)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from kakehashi.terminal import err, friendly, store_option

SOURCES = ("wdi", "imf", "comtrade", "oecd", "baci")


def parse_years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not m:
        raise click.BadParameter(f"{text!r}: give YEAR or FIRST-LAST, e.g. 2015-2024.")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise click.BadParameter(f"{text!r}: the first year is after the last.")
    return first, last


@contextmanager
def _bars() -> Iterator[Callable[[str, int, int | None], None]]:
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        yield progress


@click.command("update")
@store_option
@click.option("--source", "sources", multiple=True, type=click.Choice(SOURCES),
              help="Connector to run (repeatable; default: all).")
@click.option("--years", default=f"{date.today().year - 10}-{date.today().year}",
              show_default=True, help="Years to fetch, FIRST-LAST.")
@click.option("--offline", is_flag=True,
              help="Convert the raw files of the last fetch again, without the network.")
@click.option("--skip-unmapped", is_flag=True,
              help="Leave out rows whose country codes map to nothing (they are listed).")
@click.option("--baci-release", default=None, help="BACI release, e.g. V202501 (default: "
              "the newest on the CEPII page).")
@click.option("--baci-hs", default="HS12", show_default=True,
              help="BACI nomenclature: HS92, HS96, HS02, HS07, HS12, HS17 or HS22.")
@friendly
def update_cmd(store: Path | None, sources: tuple[str, ...], years: str, offline: bool,
               skip_unmapped: bool, baci_release: str | None, baci_hs: str) -> None:
    """Fetch the newest data from the publishers and update the store atomically."""
    from kakehashi.config import store_path
    from kakehashi.connectors.update import update

    span = parse_years(years)
    target = store or store_path()
    options = {"baci": {"release": baci_release, "hs": baci_hs}}
    with _bars() as progress:
        report = update(target, sources or SOURCES, span, progress=progress, offline=offline,
                        skip_unmapped=skip_unmapped, options=options)
    for c in report.changes:
        err.print(f"{c.source_id:>15} {c.table:<17} {c.rows_new:>9,} new {c.rows_replaced:>9,} "
                  f"replaced {c.rows_removed:>7,} removed {c.rows_kept_existing:>7,} kept "
                  f"(other source) {c.rows_total:>10,} total", highlight=False)
    for f, col, value, n in report.skipped_codes[:10]:
        err.print(f"  left out {n} row(s) with {col}={value!r} in {f} (group aggregate)",
                  highlight=False)
    for f, col, value, n in report.unmapped_skipped[:20]:
        err.print(f"  [yellow]unmapped[/] {col}={value!r} in {f}: {n} row(s) left out",
                  highlight=False)
    err.print(f"Updated {target} in {report.seconds:.1f} s ({report.requests} requests, "
              f"{len(report.raw_files)} raw files); previous store kept as "
              f"{target.name}.previous. `kakehashi diff` shows what changed.", highlight=False)


@click.command("diff")
@click.argument("old", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", required=False, type=click.Path(path_type=Path, dir_okay=False))
@store_option
@click.option("--table", "tables", multiple=True, default=("trade_flows", "macro_indicators",
              "official_finance", "product_trade"), show_default=True)
@click.option("--threshold", default=0.5, show_default=True, type=float,
              help="Report values revised by more than this many percent.")
@click.option("--limit", default=20, show_default=True, help="Examples to list per kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@friendly
def diff_cmd(old: Path | None, new: Path | None, store: Path | None, tables: tuple[str, ...],
             threshold: float, limit: int, fmt: str) -> None:
    """Show what changed between two stores (default: the previous and the current one)."""
    from kakehashi.config import store_path
    from kakehashi.connectors.diff import diff

    current = store or store_path()
    new = new or current
    old = old or current.with_name(current.name + ".previous")
    results = [diff(old, new, t, threshold, limit) for t in tables]
    if fmt == "json":
        click.echo("[" + ",\n".join(r.to_json() for r in results) + "]")
    else:
        click.echo("\n\n".join(r.to_text() for r in results))


COMMANDS = (update_cmd, diff_cmd)
