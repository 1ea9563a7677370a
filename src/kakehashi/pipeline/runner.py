"""Run the pipeline steps on raw files and leave the documented core tables in a connection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import duckdb

from kakehashi.errors import InputError, UnmappedCodes
from kakehashi.pipeline.codes import EntityIndex
from kakehashi.pipeline.context import StepContext
from kakehashi.pipeline.steps import (
    countries,
    events,
    fdi,
    finance,
    investments,
    macro,
    products,
    shares,
    trade,
    votes,
)
from kakehashi.schema.check import check

STEPS: tuple[ModuleType, ...] = (
    countries, trade, products, shares, finance, fdi, macro, votes, events, investments,
)

Progress = Callable[[str], None]


def inputs() -> list[str]:
    """Every raw file the pipeline reads, relative to the data folder."""
    return sorted({path for step in STEPS for path in step.INPUTS})


def run(con: duckdb.DuckDBPyConnection, data_dir: Path, progress: Progress | None = None) -> None:
    """Build every core table from the raw files in ``data_dir`` into ``con``.

    Raises InputError for a malformed file, UnmappedCodes listing every name or code that maps
    to nothing (after all steps ran, so the list is complete), SchemaError for a bad table.
    """
    index: EntityIndex | None = None
    for step in STEPS:
        name = step.__name__.rsplit(".", 1)[-1]
        if progress:
            progress(name)
        ctx = StepContext(con, data_dir, name, step.INPUTS, index)
        selects: dict[str, str] = step.build(ctx)
        index = ctx.index
        for spec in step.TABLES:
            cols = ", ".join(f'CAST("{c.name}" AS {c.dtype}) AS "{c.name}"' for c in spec.columns)
            order = ", ".join(f'"{c}"' for c in spec.order)
            try:
                con.execute(
                    f'CREATE OR REPLACE TABLE "{spec.name}" AS '
                    f"SELECT {cols} FROM ({selects[spec.name]}) ORDER BY {order}"
                )
            except duckdb.InvalidInputException as exc:
                # error() calls in step SQL: an unexpected value in a source file.
                message = str(exc).split("\n")[0].removeprefix("Invalid Input Error: ")
                path, _, problem = message.partition(": ")
                if path not in step.INPUTS:
                    path, problem = step.INPUTS[0], message
                raise InputError(data_dir / path, problem,
                                 hint="The publisher may have added a category; "
                                 f"extend pipeline/steps/{name}.py.") from None
    assert index is not None
    if index.unmapped:
        raise UnmappedCodes(index.unmapped)
    for step in STEPS:
        for spec in step.TABLES:
            check(con, spec)
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall():
        con.execute(f'DROP TABLE temp."{table}"')
