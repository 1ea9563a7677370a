"""One HTTP client for every connector: retries, Retry-After, rate limits, cache, resume.

Every failure ends in a ``ConnectorError`` naming the source, the URL, what happened and what
to do; transient faults (timeouts, cut connections, 429, 5xx) are retried with exponential
backoff and jitter, bounded by ``Settings.retries`` and ``Settings.backoff_max``.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kakehashi.connectors.base import ConnectorError, Progress, Settings, now_iso
from kakehashi.connectors.wire import (
    Expect,
    cache_key,
    check_body,
    full_url,
    hint_for,
    read_json,
    retry_after,
    sha256_file,
    snippet,
    total_length,
)

__all__ = ["Download", "Expect", "Fetcher", "Response", "check_body", "retry_after"]
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: Mapping[str, str]
    retrieved_at: str
    from_cache: bool = False


@dataclass(frozen=True)
class Download:
    path: Path
    url: str
    sha256: str
    size: int
    retrieved_at: str
    resumed: bool


class _Retry(Exception):
    def __init__(self, problem: str, wait: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.wait = problem, wait


class Fetcher:
    """Fetches URLs for connectors; thread-safe rate limiting per host."""

    def __init__(self, settings: Settings, *, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.client = client or httpx.Client(
            timeout=settings.timeout, follow_redirects=True,
            headers={"User-Agent": settings.user_agent})
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pacing ------------------------------------------------------------------------------

    def _pace(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        interval = self.settings.min_interval.get(host, self.settings.default_interval)
        with self._lock:
            wait = self._last.get(host, -1e9) + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        base = min(self.settings.backoff_max, self.settings.backoff * 2 ** attempt)
        return float(base * (0.5 + random.random() / 2))

    def _attempts(self, source: str, url: str, once: Callable[[], object]) -> object:
        """Run ``once`` with retries; _Retry means transient, anything else propagates."""
        last = "no attempt made"
        for attempt in range(self.settings.retries + 1):
            self._pace(url)
            self.requests += 1
            try:
                return once()
            except _Retry as exc:
                last = exc.problem
                if attempt == self.settings.retries:
                    break
                wait = exc.wait if exc.wait is not None else self._backoff(attempt)
                if wait > self.settings.max_retry_after:
                    raise ConnectorError(
                        source, url, f"{exc.problem}; the server asks to wait {wait:.0f} s",
                        "The publisher's rate limit is reached: try again later (or with an "
                        "API key where the publisher offers one).") from None
                self.sleep(wait)
        raise ConnectorError(source, url, f"gave up after {self.settings.retries + 1} "
                             f"attempts: {last}", hint_for(last))

    # -- plain requests ----------------------------------------------------------------------

    def get(self, source: str, url: str, *, params: Mapping[str, str] | None = None,
            headers: Mapping[str, str] | None = None, expect: Expect = "any",
            cache: bool = True) -> Response:
        """GET a URL; the body is checked against ``expect`` and cached by URL."""
        target = full_url(url, params)
        key = cache_key(target, headers)
        cached = self._cache_read(key) if cache else None
        send = dict(headers or {})
        if cached is not None:
            meta = cached[1]
            if meta.get("etag"):
                send["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                send["If-Modified-Since"] = meta["last_modified"]

        def once() -> Response:
            try:
                with self.client.stream("GET", target, headers=send) as r:
                    body = _read_all(r)
            except httpx.TimeoutException:
                raise _Retry("the request timed out") from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise _Retry(f"the response was cut off ({exc.__class__.__name__})") from None
            except httpx.TransportError as exc:
                raise _Retry(f"could not connect ({exc.__class__.__name__}: {exc})") from None
            if r.status_code == 304 and cached is not None:
                return Response(target, 200, cached[0], cached[1].get("headers", {}),
                                cached[1].get("retrieved_at", now_iso()), from_cache=True)
            if r.status_code in RETRY_STATUS:
                raise _Retry(f"HTTP {r.status_code}", retry_after(r.headers.get("Retry-After")))
            if r.status_code >= 400:
                raise ConnectorError(source, target, f"HTTP {r.status_code}: "
                                     f"{snippet(body)}", hint_for(f"HTTP {r.status_code}"))
            problem = check_body(body, expect, r.headers.get("Content-Type", ""))
            if problem:
                raise ConnectorError(source, target, problem,
                                     "The publisher answered with an error or moved the "
                                     "endpoint; check its status page and docs/updates.md.")
            return Response(target, r.status_code, body, dict(r.headers), now_iso())

        resp = self._attempts(source, target, once)
        assert isinstance(resp, Response)
        if cache and not resp.from_cache:
            self._cache_write(key, resp)
        return resp

    # -- resumable downloads -----------------------------------------------------------------

    def download(self, source: str, url: str, dest: Path, *, expect: Expect = "any",
                 sha256: str | None = None, size: int | None = None,
                 progress: Progress | None = None) -> Download:
        """Download ``url`` to ``dest`` through ``dest.part``, resuming with HTTP Range.

        The finished file is checked against ``sha256``/``size`` when given, and against the
        server's announced length always; a mismatch deletes the partial file.
        """
        part = dest.with_name(dest.name + ".part")
        meta_path = dest.with_name(dest.name + ".part.json")
        dest.parent.mkdir(parents=True, exist_ok=True)
        resumed = False

        def once() -> Download:
            nonlocal resumed
            have = part.stat().st_size if part.exists() else 0
            headers: dict[str, str] = {}
            validator = str(read_json(meta_path).get("etag") or "") if have else ""
            total: int | None
            if have:
                headers["Range"] = f"bytes={have}-"
                if validator:
                    headers["If-Range"] = validator
            try:
                with self.client.stream("GET", url, headers=headers) as r:
                    if r.status_code in RETRY_STATUS:
                        raise _Retry(f"HTTP {r.status_code}",
                                     retry_after(r.headers.get("Retry-After")))
                    if r.status_code == 416 and have:
                        total = have  # the part file already holds everything
                    elif r.status_code >= 400:
                        raise ConnectorError(source, url, f"HTTP {r.status_code}",
                                             hint_for(f"HTTP {r.status_code}"))
                    else:
                        append = r.status_code == 206 and have > 0
                        resumed = resumed or append
                        total = total_length(r, have if append else 0)
                        if r.headers.get("ETag"):
                            meta_path.write_text(json.dumps({"etag": r.headers["ETag"]}))
                        with part.open("ab" if append else "wb") as fh:
                            done = have if append else 0
                            first = True
                            for chunk in r.iter_bytes():
                                if first and done == 0:
                                    problem = check_body(chunk, expect,
                                                         r.headers.get("Content-Type", ""))
                                    if problem:
                                        raise ConnectorError(
                                            source, url, problem,
                                            "The download link may have moved; see "
                                            "docs/updates.md.")
                                first = False
                                fh.write(chunk)
                                done += len(chunk)
                                if progress:
                                    progress(dest.name, done, total)
            except httpx.TimeoutException:
                raise _Retry("the download timed out; the partial file is kept") from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise _Retry(f"the download was cut off ({exc.__class__.__name__}); the "
                             "partial file is kept") from None
            except httpx.TransportError as exc:
                raise _Retry(f"could not connect ({exc.__class__.__name__})") from None
            got = part.stat().st_size
            if total is not None and got < total:
                raise _Retry(f"got {got} of {total} bytes")
            return Download(part, url, "", got, now_iso(), resumed)

        result = self._attempts(source, url, once)
        assert isinstance(result, Download)
        digest = sha256_file(part)
        problems = []
        if size is not None and result.size != size:
            problems.append(f"size {result.size} bytes, expected {size}")
        if sha256 is not None and digest != sha256.lower():
            problems.append(f"sha256 {digest[:12]}…, expected {sha256[:12]}…")
        if problems:
            part.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            raise ConnectorError(source, url, "the downloaded file does not verify: "
                                 + "; ".join(problems),
                                 "The partial file was deleted; run the update again.")
        os.replace(part, dest)
        meta_path.unlink(missing_ok=True)
        return Download(dest, url, digest, result.size, result.retrieved_at, result.resumed)

    # -- cache -------------------------------------------------------------------------------

    def _cache_read(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        body = self.settings.cache_dir / f"{key}.body"
        meta = read_json(self.settings.cache_dir / f"{key}.json")
        if not meta or not body.is_file():
            return None
        return body.read_bytes(), meta

    def _cache_write(self, key: str, resp: Response) -> None:
        lower = {k.lower(): v for k, v in resp.headers.items()}
        if not (lower.get("etag") or lower.get("last-modified")):
            return  # nothing to revalidate with: always ask again
        self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
        meta = {"url": resp.url, "etag": lower.get("etag"),
                "last_modified": lower.get("last-modified"), "retrieved_at": resp.retrieved_at,
                "headers": {"content-type": lower.get("content-type", "")}}
        base = self.settings.cache_dir / key
        tmp = base.with_suffix(".tmp")
        tmp.write_bytes(resp.body)
        os.replace(tmp, base.with_suffix(".body"))
        base.with_suffix(".json").write_text(json.dumps(meta))


def _read_all(r: httpx.Response) -> bytes:
    return b"".join(r.iter_bytes())
