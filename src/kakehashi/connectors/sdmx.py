"""SDMX-CSV (1.0 and 2.0) as served by the IMF and OECD SDMX APIs, read strictly.

SDMX-CSV 1.0 starts with a ``DATAFLOW`` column, 2.0 with ``STRUCTURE, STRUCTURE_ID, ACTION``;
then one column per dimension, ``TIME_PERIOD``, ``OBS_VALUE`` and the attributes
(https://github.com/sdmx-twg/sdmx-csv). Labels, when asked for, come as extra columns and are
ignored here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from kakehashi.connectors.base import ConnectorError

CSV_ACCEPT_V1 = "application/vnd.sdmx.data+csv; charset=utf-8"
CSV_ACCEPT_V2 = "application/vnd.sdmx.data+csv;version=2.0.0"


def read_rows(path: Path, source: str, url: str, required: Sequence[str]
              ) -> Iterator[dict[str, str]]:
    """Rows of an SDMX-CSV file; a missing required column stops with what was found."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not ({"DATAFLOW", "STRUCTURE"} & set(header)):
        raise ConnectorError(source, url, f"{path.name} is not SDMX-CSV (header "
                             f"{header[:6]})", "The publisher changed its format; see "
                             "docs/updates.md and update the connector.")
    missing = [c for c in required if c not in header]
    if missing:
        raise ConnectorError(source, url, f"{path.name} lacks column(s) {missing}; it has "
                             f"{header}", "The publisher changed the data structure; update "
                             "the connector's column names (see docs/updates.md).")
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ConnectorError(source, url, f"{path.name}, line {line}: wrong number of "
                                 "fields (truncated or malformed CSV)",
                                 "Fetch again; if it persists, report it to the publisher.")
        yield row


def number(value: str, source: str, where: str) -> float | None:
    """An OBS_VALUE as float; empty and 'NaN' are missing; anything else must parse."""
    v = value.strip()
    if v in ("", "NaN", "NA", ".."):
        return None
    try:
        return float(v)
    except ValueError:
        raise ConnectorError(source, where, f"value {value!r} is not a number",
                             "The publisher changed the format; see docs/updates.md.") from None


def multiplier(row: dict[str, str], default: int = 0) -> float:
    """10 ** UNIT_MULT (OECD) or SCALE (IMF) when the row carries one."""
    for col in ("UNIT_MULT", "SCALE"):
        raw = (row.get(col) or "").strip()
        if raw.lstrip("-").isdigit():
            return 10.0 ** int(raw)
    return 10.0 ** default


def year_of(period: str) -> int | None:
    """The year of an annual TIME_PERIOD ('2023' or '2023-A1'); None for sub-annual."""
    p = period.strip()
    if len(p) == 4 and p.isdigit():
        return int(p)
    if p.endswith("-A1") and p[:4].isdigit():
        return int(p[:4])
    return None
