"""The neutral shape of a brief, rendered to HTML, Markdown and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kakehashi.reports.cite import Notes, Span


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str | Span]]
    caption: str = ""


@dataclass
class Chart:
    spec: dict[str, Any]
    alt: str
    source_ids: list[str]


@dataclass
class Section:
    heading: str
    paragraphs: list[list[Span]] = field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None


@dataclass
class Brief:
    kind: str
    title: str
    subtitle: str
    notes: Notes
    sections: list[Section] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    data_version: str = ""
    lang: str = "en"
