"""What a pipeline step may use: its declared raw files, a staging connection, the code index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kakehashi.errors import KakehashiError
from kakehashi.pipeline import raw
from kakehashi.pipeline.codes import EntityIndex, Mode


class UndeclaredInput(KakehashiError):
    def __init__(self, step: str, path: str) -> None:
        super().__init__(
            f"Step {step!r} read {path!r} without declaring it. Add it to the step's INPUTS."
        )


@dataclass
class StepContext:
    con: duckdb.DuckDBPyConnection
    data_dir: Path
    step: str
    inputs: tuple[str, ...]
    index: EntityIndex | None = None
    files: dict[str, str] = field(default_factory=dict)  # view -> relative path

    def path(self, relative: str) -> Path:
        if relative not in self.inputs:
            raise UndeclaredInput(self.step, relative)
        return self.data_dir / relative

    def read_csv(self, relative: str, view: str, types: Mapping[str, str]) -> str:
        raw.read_csv(self.con, self.path(relative), view, types)
        self.files[view] = relative
        return view

    def map_column(
        self, view: str, column: str, source: str, mode: Mode, *, where: str = "true"
    ) -> str:
        """Create ``map_<view>_<column>(value, code)`` for the distinct values of a column.

        Values that match nothing are recorded (file, column, value, rows) in the index's
        ``unmapped`` list and get a NULL code; the runner stops the build if any were found.
        """
        assert self.index is not None, "countries must be built first"
        rows = self.con.execute(
            f'SELECT "{column}", count(*) FROM {view} WHERE "{column}" IS NOT NULL AND ({where})'
            f' GROUP BY 1 ORDER BY 1'
        ).fetchall()
        pairs: list[tuple[str, str | None]] = []
        for value, count in rows:
            try:
                pairs.append((value, self.index.resolve(source, column, value, mode)))
            except KeyError:
                self.index.unmapped.append((self.files.get(view, view), column, value, int(count)))
                pairs.append((value, None))
        name = f"map_{view}_{column}".replace(" ", "_").lower()
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (value VARCHAR, code VARCHAR)")
        if pairs:
            self.con.executemany(f"INSERT INTO {name} VALUES (?, ?)", pairs)
        return name
