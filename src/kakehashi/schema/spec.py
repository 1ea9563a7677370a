"""A table's documented schema, written once and checked at every write."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # DuckDB type name
    description: str
    unit: str = ""
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str = ""
    sort_by: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def order(self) -> tuple[str, ...]:
        """Deterministic row order for writes: the sort key, else the primary key, else all."""
        return self.sort_by or self.primary_key or self.column_names
