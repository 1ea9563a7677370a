"""`kakehashi update`: fetch from the publishers, convert, and swap in a new store atomically.

The new store is a copy of the current one with the connectors' rows merged in (see merge.py),
written beside it and renamed over it only when complete and checked. Any failure, at any
step, leaves the current store byte-for-byte as it was. The previous store is kept as
``<store>.previous`` (a hard link) so ``kakehashi diff`` can show what changed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pyarrow as pa

from kakehashi.connectors import baci, comtrade, imf, oecd, wdi
from kakehashi.connectors.base import Progress, RawRecord, Settings, load_record
from kakehashi.connectors.core import Codes, Unmapped
from kakehashi.connectors.http import Fetcher
from kakehashi.connectors.merge import TableChange, enrich, merge_table, record_meta
from kakehashi.errors import StoreError, UnmappedCodes
from kakehashi.store.reader import LOCKDOWN

CONNECTORS: dict[str, ModuleType] = {"wdi": wdi, "imf": imf, "comtrade": comtrade,
                                     "oecd": oecd, "baci": baci}


@dataclass
class UpdateReport:
    store: Path
    changes: list[TableChange] = field(default_factory=list)
    raw_files: list[RawRecord] = field(default_factory=list)
    skipped_codes: list[tuple[str, str, str, int]] = field(default_factory=list)
    unmapped_skipped: list[tuple[str, str, str, int]] = field(default_factory=list)
    version_ids: list[int] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


def read_codes(store: Path) -> Codes:
    con = duckdb.connect(str(store), read_only=True, config=dict(LOCKDOWN))
    try:
        rows = con.execute("SELECT iso3, m49 FROM countries").fetchall()
    finally:
        con.close()
    return Codes(frozenset(r[0] for r in rows),
                 {int(r[1]): r[0] for r in rows if r[1] is not None})


def latest_records(settings: Settings, module: ModuleType) -> list[RawRecord]:
    """The raw files of the newest fetch of a connector's sources (for --offline)."""
    ids = list(module.SOURCES)
    records: list[RawRecord] = []
    for sid in ids:
        folders = sorted((settings.raw_dir / sid).glob("*/"), key=lambda p: p.stat().st_mtime)
        if not folders:
            raise StoreError(f"No raw files for {sid} under {settings.raw_dir}; run "
                             "`kakehashi update` without --offline first.")
        records += [load_record(p) for p in sorted(folders[-1].glob("*.provenance.json"))]
    return records


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    lock = store.with_name(store.name + ".update.lock")
    with lock.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"Another update of {store} is running; wait for it to "
                             "finish.") from None
        yield


def update(store: Path, sources: Sequence[str], years: tuple[int, int], *,
           settings: Settings | None = None, fetcher: Fetcher | None = None,
           progress: Progress | None = None, offline: bool = False,
           skip_unmapped: bool = False, options: Mapping[str, Mapping[str, Any]] | None = None,
           ) -> UpdateReport:
    started = time.perf_counter()
    if not store.is_file():
        raise StoreError(f"No store at {store}: run `kakehashi build` first, then update it.")
    if years[0] > years[1]:
        raise StoreError(f"--years {years[0]}-{years[1]} is empty: give FIRST-LAST.")
    settings = settings or (fetcher.settings if fetcher else Settings.from_env())
    report = UpdateReport(store)
    with _locked(store):
        codes = read_codes(store)
        unmapped = Unmapped()
        results: list[tuple[ModuleType, dict[str, pa.Table]]] = []
        own = fetcher is None and not offline
        client = fetcher or (None if offline else Fetcher(settings))
        try:
            for name in sources:
                module = CONNECTORS[name]
                if offline:
                    records = latest_records(settings, module)
                else:
                    assert client is not None
                    records = module.fetch(client, years, progress,
                                           **dict((options or {}).get(name, {})))
                report.raw_files += records
                results.append((module, module.to_core(records, codes, unmapped)))
        finally:
            if own and client is not None:
                client.close()
        report.requests = client.requests if client is not None else 0
        if unmapped.items and not skip_unmapped:
            raise UnmappedCodes(unmapped.as_list())
        report.unmapped_skipped = unmapped.as_list() if skip_unmapped else []
        report.skipped_codes = [(f, c, v, n) for (f, c, v), n in
                                sorted(unmapped.skipped.items())]
        _swap(store, results, years, report, settings)
    report.seconds = time.perf_counter() - started
    return report


def _swap(store: Path, results: Sequence[tuple[ModuleType, dict[str, pa.Table]]],
          years: tuple[int, int], report: UpdateReport, settings: Settings) -> None:
    tmp = store.with_name(f"{store.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(store, tmp)
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN TRANSACTION")
            touched: list[str] = []
            sources = {}
            for module, tables in results:
                sources.update(module.SOURCES)
                for name, arrow in tables.items():
                    if arrow.num_rows == 0:
                        continue
                    report.changes += merge_table(con, name, arrow, years,
                                                  module.SUPERSEDES.get(name, ()))
                    touched.append(name)
            enrich(con, touched)
            report.version_ids = record_meta(con, report.changes, sources, report.raw_files,
                                             years, settings.raw_dir.name)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        previous = store.with_name(store.name + ".previous")
        previous.unlink(missing_ok=True)
        os.link(store, previous)
        os.replace(tmp, store)
        fd = os.open(store.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
