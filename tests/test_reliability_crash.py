"""Crash safety (issue 9, point 1): a build killed with SIGKILL at random moments never damages
the store. The previous store keeps its bytes, opens read-only and has every table of its
catalog with the documented row count; the next build completes and leaves no temporary file.

The kill moments are seeded and spread over the window in which the build writes its
temporary file (measured first, for both kinds of build: the bundled snapshot and the raw files
in ../shared/data, which cross every pipeline step; shrunk when a build ends before its
kill). A kill that lands after the rename leaves the new, complete store: that is allowed and
checked the same way.

Figures are printed (run with ``pytest -s``): kills, kills that landed mid-write (a temporary
file was left behind), kills after the swap. ``KAKEHASHI_KILLS`` sets the number of kills
(default 24, about 80 s).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kakehashi.provenance import sha256_of
from kakehashi.store import build_store
from kakehashi.store.reader import Store
from kakehashi.text.docstore import ingest_into_store
from kakehashi.text.ingest import read_targets

KILLS = int(os.environ.get("KAKEHASHI_KILLS", "24"))
SEED = 9
DOCUMENT = "documents/topic-page-japan-lac-then-and-now.txt"


@dataclass
class Timing:
    temp_appears: float  # seconds from spawn until the temporary file exists
    finished: float  # seconds from spawn until the process exited


@dataclass
class Tally:
    kills: int = 0
    mid_write: int = 0
    after_swap: int = 0
    before_write: int = 0
    finished: int = 0  # the build ended before the kill (counted apart, not as a kill)
    by_mode: dict[str, int] = field(default_factory=dict)


def figure(line: str) -> None:
    """A figure for the issue's note (shown with ``pytest -s``)."""
    print(line, flush=True)  # noqa: T201


def build_command(store: Path, data: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "kakehashi", "build", "--store", str(store), "--force"]
    if data is not None:
        cmd += ["--data", str(data)]
    return cmd


def temporaries(store: Path) -> list[Path]:
    return sorted(store.parent.glob(f"{store.name}.tmp-*"))


def measure(store: Path, data: Path | None) -> Timing:
    """Run one build to completion, noting when its temporary file appears."""
    started = time.monotonic()
    proc = subprocess.Popen(build_command(store, data), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    appeared: float | None = None
    deadline = started + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if appeared is None and temporaries(store):
            appeared = time.monotonic() - started
        time.sleep(0.005)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
        raise AssertionError("a build took more than 120 s")
    finished = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    assert appeared is not None, "the build never wrote a temporary file"
    return Timing(appeared, finished)


def check_store(path: Path) -> tuple[str, int]:
    """Open read-only; every catalogued table exists with its row count and answers a query.
    Returns (built_at, number of tables)."""
    store = Store(path)
    try:
        catalog = store.query("SELECT table_name, row_count FROM table_catalog").rows
        assert len(catalog) >= 18, catalog
        for table, rows in catalog:
            assert store.query(f'SELECT count(*) FROM "{table}"').rows == [(rows,)], table
            assert len(store.query(f'SELECT * FROM "{table}" LIMIT 1').rows) == 1, table
        assert store.query("SELECT count(*) FROM countries WHERE is_lac33").rows == [(33,)]
        # ingested documents are carried over by every build
        assert store.query("SELECT count(*) FROM documents").rows == [(1,)]
        built = store.query("SELECT value FROM build_info WHERE key = 'built_at'").rows
        assert built, "build_info has no built_at"
        # read-only: a write through the reader's connection is refused by DuckDB
        with pytest.raises(Exception, match="read-only|read only"):
            store.query("CREATE TABLE intruder (a INTEGER)")
        return str(built[0][0]), len(catalog)
    finally:
        store.close()


def test_sigkilled_builds_never_damage_the_store(shared_data: Path, tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    build_store(store)
    batch = read_targets([str(shared_data / DOCUMENT)], embeddings=False)
    assert batch.documents and not batch.problems, batch.problems
    ingest_into_store(store, batch.documents)
    check_store(store)

    modes: dict[str, Path | None] = {"snapshot": None, "raw": shared_data}
    timings = {name: measure(store, data) for name, data in modes.items()}
    check_store(store)
    for name, t in timings.items():
        figure(f"RELIABILITY build timing {name}: temp file at {t.temp_appears:.2f} s, "
              f"done at {t.finished:.2f} s")

    rng = random.Random(SEED)
    tally = Tally()
    started = time.monotonic()
    for i in range(KILLS):
        name = ("snapshot", "raw")[i % 2]
        t = timings[name]
        # spread over the write window: from just before the temporary file appears to just
        # before the build ends (so a few kills also land before writing or after the swap)
        delay = rng.uniform(0.85 * t.temp_appears, 0.98 * t.finished)
        before = sha256_of(store)
        proc = subprocess.Popen(build_command(store, modes[name]), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        spawned = time.monotonic()
        while proc.poll() is None and time.monotonic() - spawned < delay:
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        else:  # it ended before its kill: builds run faster now than when measured; the
            # window shrinks to what was just seen, so the next kills land inside it
            ratio = (time.monotonic() - spawned) / t.finished
            timings[name] = Timing(t.temp_appears * ratio, t.finished * ratio)
        proc.wait()
        left = [p for p in temporaries(store) if p.name.endswith(f".tmp-{proc.pid}")]
        after = sha256_of(store)
        if proc.returncode == -signal.SIGKILL:
            tally.kills += 1
            tally.by_mode[name] = tally.by_mode.get(name, 0) + 1
        if left:
            tally.mid_write += 1
        if proc.returncode != -signal.SIGKILL:  # it finished first (a slow moment): no kill
            assert proc.returncode == 0, f"build {i} failed with {proc.returncode}"
            tally.finished += 1
        elif after != before:
            # killed after os.replace: the new store must be complete
            tally.after_swap += 1
        elif not left:
            tally.before_write += 1
        check_store(store)
        assert not (store.parent / f"{store.name}.wal").exists()
    elapsed = time.monotonic() - started

    # the next build completes and removes the temporaries of the killed builds
    proc = subprocess.run(build_command(store, shared_data), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    check_store(store)
    assert [p.name for p in tmp_path.iterdir()] == ["s.duckdb"]

    figure(f"RELIABILITY crash: {tally.kills} builds SIGKILLed ({tally.by_mode}) in "
          f"{elapsed:.0f} s; {tally.mid_write} mid-write (temporary file left), "
          f"{tally.after_swap} after the swap (new store complete), {tally.before_write} "
          f"before writing, {tally.finished} builds finished before their kill; store "
          "intact after every kill; next build completed")
    # a build that ends before its kill (the machine was slower while the window was
    # measured) shrinks the window; the property under test is the store after each kill, so
    # most must be kills
    assert tally.kills >= 0.75 * KILLS, tally
    assert tally.mid_write >= 0.6 * KILLS, tally
