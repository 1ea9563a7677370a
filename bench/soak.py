"""Soak the server on loopback: sustained requests per second, latency percentiles, errors and
the server's memory over time (issue 9, point 5).

Starts `kakehashi serve` on a free 127.0.0.1 port (a store built from the bundled snapshot in a
temporary folder, or --store), waits for its background warm-up, then runs C keep-alive
clients for T minutes over a mix of API answers, pages (three languages), CSV downloads,
unknown addresses (404) and bad parameters (400), plus a share of never-seen query strings
(each a miss that the response cache must store and later evict). The server's RSS is sampled
every 10 s. Bounded: at most --max-requests requests and --minutes of load, loopback only.

Prints req/s, p50/p95/p99 latency, errors (an unexpected status or a connection error), RSS at
start, after the warm-up (the first --warmup share of the run, default 20 %: the response
cache fills) and at the end, and the verdict: memory flat when it grew less than 10 % after
the warm-up.

    python bench/soak.py                 # 10 minutes, 8 clients
    python bench/soak.py --minutes 1 --clients 4 --json /tmp/soak.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from kakehashi.store import build_store

HOST = "127.0.0.1"
DATASETS = ("trade", "comparators", "finance", "fdi", "growth", "un-votes", "events")
LANGS = ("en", "es", "ja")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def url_mix(countries: list[str]) -> list[tuple[str, int]]:
    """(target, expected status): what strangers ask for, with the bad requests they send."""
    mix: list[tuple[str, int]] = [
        ("/api/v1/countries", 200), ("/api/v1/sources", 200), ("/api/v1/region/trade", 200),
        ("/api/v1/region/oda", 200), ("/api/v1/events", 200),
        ("/api/v1/analytics/concentration", 200), ("/api/v1/analytics/coherence", 200),
        ("/", 200), ("/sources", 200), ("/events", 200), ("/methods", 200),
        ("/static/kakehashi.css", 200), ("/static/charts.js", 200),
        ("/nope", 404), ("/api/v1/countries/XXX", 404), ("/api/v1/events?from=abc", 400),
        ("/api/v1/countries/MEX/nope", 404), ("/static/..%2f..%2fapp.py", 404),
    ]
    for iso3 in countries:
        mix.append((f"/api/v1/countries/{iso3}", 200))
        for dataset in DATASETS:
            mix.append((f"/api/v1/countries/{iso3}/{dataset}", 200))
        mix.append((f"/api/v1/countries/{iso3}/trade?format=csv", 200))
        for lang in LANGS:
            mix.append((f"/country/{iso3}?lang={lang}", 200))
    return mix


class Connection:
    """A minimal HTTP/1.1 keep-alive GET client on asyncio streams (cheap: the client shares
    the machine with the server)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                          "Accept: */*\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    issued: int = 0
    unique: int = 0

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


@dataclass
class RssLog:
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds, bytes)


def sample_rss(proc: psutil.Process, log: RssLog, stop: threading.Event, every: float,
               started: float) -> None:
    while not stop.is_set():
        try:
            rss = proc.memory_info().rss
        except psutil.Error:
            return
        log.samples.append((time.monotonic() - started, rss))
        stop.wait(every)


async def load(port: int, mix: list[tuple[str, int]], clients: int, seconds: float,
               max_requests: int, unique_share: float, seed: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)

    async def worker(k: int) -> None:
        conn = Connection(port)
        local = random.Random(rng.random() + k)
        try:
            while tally.issued < max_requests and time.monotonic() < deadline:
                tally.issued += 1
                if local.random() < unique_share:  # a query string never seen before
                    tally.unique += 1
                    target, expected = f"/api/v1/countries?n={tally.issued}", 200
                else:
                    target, expected = mix[local.randrange(len(mix))]
                start = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.get(target), timeout=30)
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        ValueError, TimeoutError) as exc:
                    tally.error(type(exc).__name__)
                    conn.close()
                    conn = Connection(port)
                    continue
                tally.latencies.append(time.perf_counter() - start)
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                if status != expected:
                    tally.error(f"{target} -> {status} (expected {expected})")
        finally:
            conn.close()

    await asyncio.gather(*(worker(k) for k in range(clients)))
    return tally


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="load duration")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=5_000_000,
                        help="stop after this many requests even if time is left")
    parser.add_argument("--warmup", type=float, default=0.2,
                        help="share of the run counted as warm-up for the memory verdict")
    parser.add_argument("--unique-share", type=float, default=0.05,
                        help="share of requests with a never-seen query string")
    parser.add_argument("--settle", type=float, default=25.0,
                        help="seconds to wait after start-up (the server computes the default "
                             "analytics in the background first)")
    parser.add_argument("--store", type=Path, default=None,
                        help="serve this store (default: build one from the snapshot)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    if args.minutes <= 0 or args.minutes > 120 or args.clients < 1 or args.clients > 256:
        parser.error("--minutes must be in (0, 120] and --clients in [1, 256]")

    work = Path(tempfile.mkdtemp(prefix="kakehashi-soak-"))
    try:
        store_path = args.store or work / "kakehashi.duckdb"
        if args.store is None:
            build_store(store_path)
        run(args, store_path, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, store_path: Path, work: Path) -> None:
    port = free_port()
    log_path = work / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "kakehashi", "serve", "--store", str(store_path), "--host",
             HOST, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    rss = RssLog()
    stop = threading.Event()
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"the server exited:\n{log_path.read_text()}")
            try:
                if httpx.get(base + "/api/v1/countries", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("the server did not answer within 60 s")
        countries = [r["iso3"] for r in httpx.get(base + "/api/v1/countries").json()["data"]]
        mix = url_mix(countries)
        proc = psutil.Process(server.pid)
        time.sleep(args.settle)
        started = time.monotonic()
        sampler = threading.Thread(target=sample_rss, args=(proc, rss, stop, 10.0, started),
                                   daemon=True)
        sampler.start()
        load1, load5, load15 = os.getloadavg()
        seconds = args.minutes * 60
        print(f"soak: {args.clients} clients, {args.minutes:g} min (warm-up "
              f"{args.warmup:.0%}), {len(mix)} addresses + {args.unique_share:.0%} never-seen "
              f"query strings, loopback port {port}, {os.cpu_count()} cores, load average "
              f"{load1:.2f} {load5:.2f} {load15:.2f}", flush=True)
        warm_seconds = seconds * args.warmup
        warm = asyncio.run(load(port, mix, args.clients, warm_seconds, args.max_requests,
                                args.unique_share, args.seed))
        rss_after_warmup = proc.memory_info().rss
        rss.samples.append((time.monotonic() - started, rss_after_warmup))
        t0 = time.monotonic()
        main_run = asyncio.run(load(port, mix, args.clients, seconds - warm_seconds,
                                    max(0, args.max_requests - warm.issued),
                                    args.unique_share, args.seed + 1))
        measured = time.monotonic() - t0
        rss_end = proc.memory_info().rss
        rss.samples.append((time.monotonic() - started, rss_end))
        end_load = os.getloadavg()
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    total = warm.issued + main_run.issued
    lat = main_run.latencies
    rss_start = rss.samples[0][1]
    growth = (rss_end - rss_after_warmup) / rss_after_warmup
    figures: dict[str, Any] = {
        "clients": args.clients, "minutes": args.minutes, "addresses": len(mix),
        "requests_total": total, "requests_measured": len(lat),
        "errors_total": warm.errors + main_run.errors,
        "error_kinds": {**warm.error_kinds, **main_run.error_kinds},
        "statuses": {str(k): warm.statuses.get(k, 0) + main_run.statuses.get(k, 0)
                     for k in sorted(set(warm.statuses) | set(main_run.statuses))},
        "never_seen_queries": warm.unique + main_run.unique,
        "rps_sustained": len(lat) / measured if measured else 0.0,
        "p50_ms": percentile(lat, 50) * 1e3, "p95_ms": percentile(lat, 95) * 1e3,
        "p99_ms": percentile(lat, 99) * 1e3, "max_ms": max(lat, default=0.0) * 1e3,
        "rss_start": rss_start, "rss_after_warmup": rss_after_warmup, "rss_end": rss_end,
        "rss_max": max(b for _t, b in rss.samples),
        "rss_growth_after_warmup": growth,
        "rss_samples": [(round(t), b) for t, b in rss.samples],
        "load_average_start": [load1, load5, load15], "load_average_end": list(end_load),
        "memory_flat": growth < 0.10,
    }
    print(f"requests: {total} ({figures['never_seen_queries']} never-seen query strings), "
          f"statuses {figures['statuses']}")
    print(f"sustained (after warm-up): {figures['rps_sustained']:.0f} req/s; latency p50 "
          f"{figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, p99 "
          f"{figures['p99_ms']:.1f} ms, max {figures['max_ms']:.0f} ms")
    print(f"errors: {figures['errors_total']} {figures['error_kinds'] or ''}")
    print(f"server RSS: start {mib(rss_start)}, after warm-up {mib(rss_after_warmup)}, end "
          f"{mib(rss_end)} (max {mib(figures['rss_max'])}); growth after warm-up "
          f"{growth:+.1%}")
    print("RSS every 10 s (MiB): " + " ".join(f"{b / 2**20:.0f}" for _t, b in rss.samples))
    print(f"load average at the end: {end_load[0]:.2f} {end_load[1]:.2f} {end_load[2]:.2f}")
    verdict = "memory flat" if figures["memory_flat"] else "MEMORY GREW"
    print(f"verdict: {verdict} (growth after warm-up {growth:+.1%}, limit +10 %); "
          f"{'no errors' if figures['errors_total'] == 0 else 'ERRORS'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
