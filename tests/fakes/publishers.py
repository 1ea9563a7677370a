"""A local stand-in for the publishers' APIs, replaying their documented wire formats.

Each route serves small fixtures (tests/fakes/fixtures) shaped as the official documentation
describes; faults are switched per route: ``server.fault("wdi", "429", "500")`` queues faults
for the next requests, ``server.sticky["wdi"] = "html"`` applies one to every request.

Faults: timeout (sleep past the client timeout), 429 (Retry-After: 1), 500, truncate
(Content-Length larger than the bytes sent, then the connection closes), html (an HTML error
page with status 200), changed_column (a renamed column or field), empty (200, no body).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kakehashi.connectors.base import DEFAULT_BASE_URLS, Settings

FIXTURES = Path(__file__).parent / "fixtures"
RENAMES = {  # what "changed_column" renames, per route
    "wdi": (b'"countryiso3code"', b'"countryIso3Code"'),
    "imf": (b"COUNTERPART_COUNTRY", b"COUNTERPART_AREA"),
    "comtrade": (b'"primaryValue"', b'"primaryvalue"'),
    "oecd": (b"OBS_VALUE", b"OBS_VAL"),
}
HTML_ERROR = (b"<!DOCTYPE html><html><head><title>Service Unavailable - Maintenance</title>"
              b"</head><body><h1>We'll be back soon</h1></body></html>")


def baci_zip(release: str = "V202501", rename: tuple[bytes, bytes] | None = None) -> bytes:
    """The BACI bulk zip, built from the fixture CSVs (same member names as CEPII's);
    ``rename`` replaces bytes in the yearly data members (a changed column)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((FIXTURES / "baci").glob("*.csv")):
            data = path.read_bytes()
            if rename and path.name.startswith("BACI_"):
                data = data.replace(*rename)
            zf.writestr(path.name.replace("V202501", release), data)
        zf.writestr(f"Readme_{release}.txt", "BACI test fixture\n")
    return buf.getvalue()


class FakePublishers(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.queued: dict[str, list[str]] = {}
        self.sticky: dict[str, str] = {}
        self.variant: dict[str, str] = {}
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.sleep = 0.8
        self.zip = baci_zip()
        self.zip_etag = '"' + hashlib.sha256(self.zip).hexdigest()[:16] + '"'
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fault(self, route: str, *faults: str) -> None:
        self.queued.setdefault(route, []).extend(faults)

    def take_fault(self, route: str) -> str | None:
        queue = self.queued.get(route)
        if queue:
            return queue.pop(0)
        return self.sticky.get(route)

    def hits(self, route: str) -> list[tuple[str, str, dict[str, str]]]:
        return [h for h in self.log if h[0] == route]

    def settings(self, tmp: Path, **overrides: Any) -> Settings:
        urls = dict(DEFAULT_BASE_URLS)
        urls.update({"wdi": f"{self.base}/wdi/v2", "imf": f"{self.base}/imf",
                     "comtrade": f"{self.base}/comtrade", "oecd": f"{self.base}/oecd",
                     "baci_page": f"{self.base}/baci/page",
                     "baci_data": f"{self.base}/baci/data"})
        base = Settings(raw_dir=tmp / "raw", cache_dir=tmp / "cache", base_urls=urls,
                        timeout=0.4, retries=2, backoff=0.01, backoff_max=0.05,
                        max_retry_after=5, min_interval={}, default_interval=0.0)
        return replace(base, **overrides)

    def __enter__(self) -> FakePublishers:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


@contextmanager
def running() -> Iterator[FakePublishers]:
    with FakePublishers() as server:
        yield server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakePublishers

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        url = urlsplit(self.path)
        path, query = unquote(url.path), parse_qs(url.query)
        route = path.split("/")[1]
        self.server.log.append((route, self.path, {k.lower(): v for k, v in self.headers.items()}))
        fault = self.server.take_fault(route)
        if fault == "timeout":
            time.sleep(self.server.sleep)
        if fault == "429":
            return self._send(429, b'{"statusCode": 429, "message": "Rate limit is exceeded. '
                              b'Try again in 1 seconds."}', "application/json",
                              {"Retry-After": "1"})
        if fault == "500":
            return self._send(500, b"<html><body>Internal Server Error</body></html>",
                              "text/html")
        if fault == "html":
            return self._send(200, HTML_ERROR, "text/html; charset=utf-8")
        if fault == "empty":
            return self._send(200, b"", "application/json")
        try:
            status, body, ctype, extra = self._route(route, path, query)
        except FileNotFoundError:
            return self._send(404, b"Not found", "text/plain")
        if status == 206 or route == "baci" and path.endswith(".zip"):
            return self._send(status, body, ctype, extra, cut=fault == "truncate")
        if fault == "changed_column" and route in RENAMES:
            body = body.replace(*RENAMES[route])
        self._send(status, body, ctype, extra, cut=fault == "truncate")

    def _route(self, route: str, path: str, q: dict[str, list[str]]
               ) -> tuple[int, bytes, str, dict[str, str]]:
        variant = self.server.variant.get(route, "")
        if route == "wdi":
            code = path.rsplit("/", 1)[1]
            page = q.get("page", ["1"])[0]
            name = f"wdi_{code}{variant}_p{page}.json"
            return 200, (FIXTURES / name).read_bytes(), "application/json;charset=utf-8", {}
        if route == "imf":
            reporter, indicator = path.rsplit("/", 1)[1].split(".")[:2]
            body = (FIXTURES / f"imf_imts_{reporter}_{indicator}.csv").read_bytes()
            return 200, body, "application/vnd.sdmx.data+csv; version=2.0.0", {}
        if route == "comtrade":
            return self._comtrade(path, q, variant)
        if route == "oecd":
            name = "oecd_dac2a.csv" if "DF_DAC2A" in path else "oecd_crs.csv"
            return 200, (FIXTURES / name).read_bytes(), "application/vnd.sdmx.data+csv", {}
        if route == "baci" and path.endswith("/page"):
            return 200, (FIXTURES / "baci_page.html").read_bytes(), "text/html", {}
        if route == "baci" and path.endswith("BACI_HS12_V202501.zip"):
            return self._ranged(self.server.zip)
        raise FileNotFoundError(path)

    def _comtrade(self, path: str, q: dict[str, list[str]], variant: str
                  ) -> tuple[int, bytes, str, dict[str, str]]:
        if "/data/v1/get/" in path and self.headers.get("Ocp-Apim-Subscription-Key") \
                != "test-key":
            body = (b'{ "statusCode": 401, "message": "Access denied due to invalid '
                    b'subscription key. Make sure to provide a valid key for an active '
                    b'subscription." }')
            return 401, body, "application/json", {}
        doc = json.loads((FIXTURES / "comtrade_JPN.json").read_bytes())
        partners = {int(p) for p in q.get("partnerCode", [""])[0].split(",") if p}
        periods = {p for p in q.get("period", [""])[0].split(",") if p}
        rows = [r for r in doc["data"] if str(r["reporterCode"]) == q["reporterCode"][0]
                and (not partners or r["partnerCode"] in partners)
                and (not periods or r["period"] in periods)]
        if variant == "_unmapped" and rows:
            rows.append({**rows[0], "partnerCode": 999, "partnerISO": None,
                         "partnerDesc": "Unknown area"})
        cap = 500 if "/public/" in path else 100_000
        rows = rows[:cap]
        body = json.dumps({"elapsedTime": "0.1 secs", "count": len(rows), "data": rows,
                           "error": ""}).encode()
        return 200, body, "application/json; charset=utf-8", {}

    def _ranged(self, data: bytes) -> tuple[int, bytes, str, dict[str, str]]:
        extra = {"ETag": self.server.zip_etag, "Accept-Ranges": "bytes"}
        rng = self.headers.get("Range", "")
        if_range = self.headers.get("If-Range")
        if rng.startswith("bytes=") and (if_range in (None, self.server.zip_etag)):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                return 416, b"", "application/zip", {"Content-Range": f"bytes */{len(data)}"}
            extra["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            return 206, data[start:], "application/zip", extra
        return 200, data, "application/zip", extra

    def _send(self, status: int, body: bytes, ctype: str,
              extra: dict[str, str] | None = None, cut: bool = False) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if cut else body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True
