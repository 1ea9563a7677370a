"""Concurrency (issue 9, point 2): the server keeps answering while builds run and swap the
store, and follows every swap; an ingest during the builds is served too. Readers never see a
half-built store: every answer is a 200 with a complete body.

Also: writers of the store (a build and an ingest) that overlap must not lose each other's
work ("nothing lost"): see test_ingest_finishing_during_a_build_is_not_lost.

Figures are printed (``pytest -s``): requests, errors, swaps followed.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from kakehashi.store import build as build_module
from kakehashi.store import build_store
from kakehashi.store.reader import Store

BUILDS = 4
MAX_REQUESTS = 40_000  # bound on the readers' loop (with a time cap below)
MAX_SECONDS = 90.0
DOCUMENT = "documents/topic-page-japan-lac-then-and-now.txt"
DOC_TITLE = "Japan-Latin America Relations: Then &amp; Now"
ENDPOINTS = [
    "/api/v1/countries",
    "/api/v1/countries/MEX/trade",
    "/api/v1/region/trade",
    "/api/v1/sources",
    "/api/v1/events?country=PER",
    "/api/v1/analytics/concentration",
    "/sources",  # a page: its footer carries build_info.built_at
    "/country/PER",  # a page with the documents that mention Peru
]
BUILT = re.compile(r"built (\d{4}-\d\d-\d\dT[0-9:+]+)")


def figure(line: str) -> None:
    """A figure for the issue's note (shown with ``pytest -s``)."""
    print(line, flush=True)  # noqa: T201


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`kakehashi serve` on a free loopback port, its output in ``log``."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kakehashi", "serve", "--store", str(store), "--host",
             "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/api/v1/countries", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not answer within 60 s")


def stop_server(proc: subprocess.Popen[bytes], log: Path) -> str:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return log.read_text(errors="replace")


def store_built_at(path: Path) -> str:
    store = Store(path)
    try:
        return str(store.query("SELECT value FROM build_info WHERE key = 'built_at'").rows[0][0])
    finally:
        store.close()


def test_server_answers_and_follows_swaps_during_builds(shared_data: Path,
                                                        tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    build_store(store)
    first_built = store_built_at(store)
    server_log = tmp_path / "serve.log"
    server, base = start_server(store, server_log)

    statuses: Counter[int] = Counter()
    failures: list[str] = []
    built_seen: list[str] = []
    doc_seen_at: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()
    issued = [0]
    started = time.monotonic()

    def reader(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            i = offset
            while not stop.is_set() and time.monotonic() - started < MAX_SECONDS:
                with lock:
                    if issued[0] >= MAX_REQUESTS:
                        return
                    issued[0] += 1
                url = ENDPOINTS[i % len(ENDPOINTS)]
                i += 1
                try:
                    r = client.get(url)
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(f"{url}: {type(exc).__name__}: {exc}")
                    continue
                body = r.text
                with lock:
                    statuses[r.status_code] += 1
                    if r.status_code != 200:
                        failures.append(f"{url}: {r.status_code} {body[:200]}")
                    elif url.startswith("/api/") and not body.startswith("{\"data\""):
                        failures.append(f"{url}: incomplete body {body[:100]}")
                    if url == "/sources" and r.status_code == 200:
                        m = BUILT.search(body)
                        if m is None:
                            failures.append("/sources: no built_at in the footer")
                        elif not built_seen or built_seen[-1] != m.group(1):
                            built_seen.append(m.group(1))
                    if url == "/country/PER" and DOC_TITLE in body and not doc_seen_at:
                        doc_seen_at.append(time.monotonic())

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    builds: list[str] = []
    ingest_output: list[str] = []
    try:
        for t in threads:
            t.start()
        for n in range(BUILDS):
            time.sleep(1.1)  # built_at has one-second resolution
            data = ["--data", str(shared_data)] if n == 1 else []
            done = subprocess.run(
                [sys.executable, "-m", "kakehashi", "build", "--store", str(store), "--force",
                 *data], capture_output=True, timeout=120)
            assert done.returncode == 0, done.stderr.decode()
            builds.append(store_built_at(store))
            if n == 1:
                ing = subprocess.run(
                    [sys.executable, "-m", "kakehashi", "ingest", "--store", str(store),
                     "--no-embeddings", str(shared_data / DOCUMENT)],
                    capture_output=True, timeout=120)
                assert ing.returncode == 0, ing.stderr.decode()
                ingest_output.append(ing.stdout.decode().strip())
        time.sleep(2.0)  # let the readers see the last store
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        log = stop_server(server, server_log)

    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    swaps_followed = len(set(built_seen) - {first_built})
    figure(f"RELIABILITY concurrency: {total} requests in {elapsed:.0f} s during {BUILDS} "
          f"builds and 1 ingest; statuses {dict(statuses)}; {len(failures)} errors; "
          f"built_at seen through the pages: {built_seen}; swaps followed {swaps_followed}"
          f"/{BUILDS}")
    assert not failures, failures[:10]
    assert total >= 200, total
    assert statuses == Counter({200: total})
    assert "Traceback" not in log, log[-3000:]
    assert len(set(builds)) == BUILDS, builds
    # the server followed every swap: it showed the first store, then each build's store
    assert built_seen[0] == first_built, built_seen
    assert built_seen[-1] == builds[-1], (built_seen, builds)
    assert set(builds) <= set(built_seen), (builds, built_seen)
    # the ingested document is served (and survived the builds after it)
    assert ingest_output and ingest_output[0].startswith("added "), ingest_output
    assert doc_seen_at, "the ingested document never appeared on /country/PER"


def test_ingest_finishing_during_a_build_is_not_lost(shared_data: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest that completes while a build is finishing (after the build copied the
    documents of the old store, before it renamed its file over the store) must survive.

    The interleaving is made deterministic by running `kakehashi ingest` (another process,
    as in real use) from the build's own write_meta step, which runs between copy_documents
    and os.replace."""
    store = tmp_path / "s.duckdb"
    build_store(store)
    real_write_meta = build_module.write_meta
    ingests: list[subprocess.Popen[bytes]] = []
    out = tmp_path.parent / f"{tmp_path.name}-ingest.log"

    def write_meta_with_a_concurrent_ingest(*args: Any, **kwargs: Any) -> None:
        if not ingests:
            with out.open("wb") as fh:
                ingests.append(subprocess.Popen(
                    [sys.executable, "-m", "kakehashi", "ingest", "--store", str(store),
                     "--no-embeddings", str(shared_data / DOCUMENT)], stdout=fh,
                    stderr=subprocess.STDOUT))
            # let it finish, unless it waits for this build (a lock would make it wait)
            with contextlib.suppress(subprocess.TimeoutExpired):
                ingests[0].wait(timeout=6)
        real_write_meta(*args, **kwargs)

    monkeypatch.setattr(build_module, "write_meta", write_meta_with_a_concurrent_ingest)
    build_store(store, force=True)
    assert ingests, "the ingest did not run"
    assert ingests[0].wait(timeout=60) == 0, out.read_text()
    assert out.read_text().startswith("added "), out.read_text()
    reader = Store(store)
    try:
        documents = reader.query("SELECT count(*) FROM documents").rows[0][0]
    finally:
        reader.close()
    assert documents == 1, ("the document ingested while the build was finishing was lost: "
                            "the build renamed over the store without it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb"], os.listdir(tmp_path)
