"""Load the JSON API on loopback and report requests per second and latency percentiles.

Starts `kakehashi serve` on a free loopback port against a store built from the bundled
snapshot, then for each endpoint runs C concurrent clients for a bounded number of requests
(and a time cap), and prints req/s, p50/p95/p99 latency and errors. As a baseline measured in
the same run, it times the catalog call behind each endpoint in-process (no HTTP), so the
ratio shows what serving adds. Goal (issue 4): p95 under 50 ms at 16 clients, no errors.
Timings are printed, never asserted.

    python bench/api_load.py [--clients 16] [--requests 800] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kakehashi import catalog, questions
from kakehashi.store import build_store, open_store
from kakehashi.store.reader import Store

ENDPOINTS: dict[str, tuple[str, Callable[[Store], Any]]] = {
    "countries": ("/api/v1/countries", catalog.lac_countries),
    "country trade (MEX)": ("/api/v1/countries/MEX/trade",
                            lambda s: catalog.country_trade(s, "MEX")),
    "region trade": ("/api/v1/region/trade", catalog.region_trade),
    "sources": ("/api/v1/sources", catalog.sources),
    "then-now (MEX)": ("/api/v1/analytics/thennow?target=MEX",
                       lambda s: questions.thennow(s, "MEX")),
    "page: country PER": ("/country/PER", lambda s: catalog.country_trade(s, "PER")),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: GET, read the status line,
    the headers and Content-Length bytes. A Python client shares the 2 cores with the server,
    so it must cost little (httpx costs several times more per request than the server's
    cached answer)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          "Accept: */*\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(url: str, clients: int, requests: int, seconds: float) -> dict[str, Any]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, issued
        conn = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
        try:
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                start = time.perf_counter()
                try:
                    if await conn.get(target) != 200:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    conn.close()
                    conn = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
                latencies.append(time.perf_counter() - start)
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies), "errors": errors, "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50) * 1e3, "p95_ms": percentile(latencies, 95) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
    }


def in_process_ms(store: Store, fn: Callable[[Store], Any], repeats: int = 20) -> float:
    fn(store)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(store)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=800, help="per endpoint")
    parser.add_argument("--seconds", type=float, default=20.0, help="cap per endpoint")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--settle", type=float, default=25.0,
                        help="seconds to wait after start-up: the server computes the default "
                             "analytics in the background first (about 20 s of CPU)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kakehashi-bench-"))
    store_path = work / "kakehashi.duckdb"
    build_store(store_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kakehashi", "serve", "--store", str(store_path), "--port",
         str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(base + "/api/v1/countries", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        time.sleep(args.settle)
        store = open_store(store_path)
        results = []
        print(f"{args.clients} clients, up to {args.requests} requests or {args.seconds:.0f} s "
              f"per endpoint, loopback, {os.cpu_count()} cores")
        print(f"{'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>6} {'in-proc ms':>10} {'p50/in-proc':>11}")
        for name, (path, fn) in ENDPOINTS.items():
            asyncio.run(load(base + path, 2, 20, 5))  # warm-up (fills the response cache)
            r = asyncio.run(load(base + path, args.clients, args.requests, args.seconds))
            r["in_process_ms"] = in_process_ms(store, fn)
            r["endpoint"] = name
            results.append(r)
            print(f"{name:<22} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                  f"{r['p99_ms']:>8.1f} {r['errors']:>6} {r['in_process_ms']:>10.2f} "
                  f"{r['p50_ms'] / r['in_process_ms']:>10.1f}x")
        worst = max(r["p95_ms"] for r in results)
        errors = sum(r["errors"] for r in results)
        print(f"goal p95 < 50 ms at {args.clients} clients: worst p95 {worst:.1f} ms -> "
              f"{'met' if worst < 50 else 'MISSED'}; errors: {errors}")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
