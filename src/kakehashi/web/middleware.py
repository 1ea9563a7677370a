"""One ASGI middleware for every request: the /api alias of /api/v1, the interface language,
security headers (framing allowed for /embed/* only), ETags with 304s, and a cache of whole
responses.

The store is read-only while served, so a page or an API answer depends only on the URL, the
language (pages) and the store file. Successful GET responses are kept as bytes, keyed on
those and on the store's fingerprint, and served again without touching the application; the
ETag is a hash of the same key, so ``If-None-Match`` is answered with a 304 at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from kakehashi import __version__
from kakehashi.store.lake import lake_for
from kakehashi.store.reader import Store
from kakehashi.web import i18n

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API = "/api/v1"
_BASE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
             "form-action 'self'; ")
# Vega runs with its AST interpreter (vegaEmbed option `ast: true`), so no 'unsafe-eval'.
CSP = _BASE_CSP + "frame-ancestors 'self'"
EMBED_CSP = _BASE_CSP + "frame-ancestors *"
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
PAGE_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"SAMEORIGIN"),
                (b"cross-origin-opener-policy", b"same-origin")]
EMBED_HEADERS = [(b"content-security-policy", EMBED_CSP.encode())]
API_CACHE = b"public, max-age=300, must-revalidate"
PAGE_CACHE = b"no-cache"
MAX_ENTRIES = 4096
MAX_BODY = 4 * 1024 * 1024
MAX_TOTAL = 384 * 1024 * 1024
# request bounds (uvicorn with httptools has none for headers): path + query, and all headers
MAX_TARGET = 8 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
BOOT = uuid.uuid4().hex  # pages change with the code: a restart gives new ETags
# whole responses, shared by the apps of this process (keys hold the store file's identity)
RESPONSES: OrderedDict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
_total = [0]


def clear() -> None:
    """Forget every stored response (the next requests are computed again)."""
    RESPONSES.clear()
    _total[0] = 0


def api_path(path: str) -> str:
    """/api/... (the unversioned alias) as /api/v1/...; other paths unchanged."""
    if path == "/api/openapi.json":
        return f"{API}/openapi.json"
    if path.startswith("/api/") and not path.startswith(f"{API}/") and path != API:
        return API + path[4:]
    return path


class _Fingerprint:
    """The store's data version, read once per store file (inode and mtime), and the product
    lake's version (its `current` link, read on every request: one readlink)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path
        self._key: tuple[int, int] | None = None
        self._value = ""

    def get(self) -> str | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        key = (st.st_ino, st.st_mtime_ns)
        if key != self._key:
            try:
                rows = self.store.query(
                    "SELECT value FROM build_info WHERE key = 'fingerprint'").rows
            except Exception:  # noqa: BLE001 - no fingerprint: no caching, the app reports
                return None
            self._value = f"{rows[0][0] if rows else ''}:{st.st_ino}:{st.st_mtime_ns}"
            self._key = key
        return f"{self._value}:{self._lake_version()}"

    def _lake_version(self) -> str:
        """The product lake's current version: an ingest beside the store changes the
        answers of /api/v1/products and the product sections of the pages."""
        try:
            return os.readlink(lake_for(self.path) / "current")
        except OSError:
            return ""


class WebMiddleware:
    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.fingerprint = _Fingerprint(store)
        self.cache = RESPONSES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = _oversized(scope)
        if refused is not None:
            await _refuse(send, *refused, api=scope["path"].startswith("/api"))
            return
        path = api_path(scope["path"])
        if path != scope["path"]:
            scope = dict(scope, path=path, raw_path=path.encode())
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        query = scope.get("query_string", b"").decode("latin-1")
        qlang = parse_qs(query).get("lang", [None])[0]
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is ignored
            cookie = SimpleCookie()
        clang = cookie[i18n.COOKIE].value if i18n.COOKIE in cookie else None
        lang, set_cookie = i18n.negotiate(qlang, clang, headers.get("accept-language"))
        token = i18n.CURRENT.set(lang)
        try:
            await self._serve(scope, receive, send, path, query, lang, set_cookie, headers)
        finally:
            i18n.CURRENT.reset(token)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, path: str, query: str,
                     lang: str, set_cookie: bool, headers: dict[str, str]) -> None:
        is_api = path.startswith("/api/")
        extra = list(COMMON_HEADERS)
        extra += EMBED_HEADERS if path.startswith("/embed/") else PAGE_HEADERS
        if set_cookie:
            extra.append((b"set-cookie", f"{i18n.COOKIE}={lang}; Path=/; Max-Age=31536000; "
                                         "SameSite=Lax".encode()))
        cacheable = (scope["method"] in ("GET", "HEAD") and not path.startswith("/static/"))
        fingerprint = self.fingerprint.get() if cacheable else None
        if fingerprint is None:
            await self.app(scope, receive, _adding(send, extra))
            return
        key = "\n".join((path, query, "" if is_api else f"{lang}\n{headers.get('host', '')}",
                         fingerprint))
        etag = '"' + hashlib.sha256(f"{key}\n{__version__}\n{BOOT}".encode()).hexdigest()[:24] \
            + '"'
        validators = [(b"etag", etag.encode()),
                      (b"cache-control", API_CACHE if is_api else PAGE_CACHE)]
        if not is_api:
            validators.append((b"vary", b"Cookie, Accept-Language"))
        if etag in [t.strip() for t in headers.get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304,
                        "headers": validators + extra})
            await send({"type": "http.response.body", "body": b""})
            return
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            status, stored, body = hit
            await send({"type": "http.response.start", "status": status,
                        "headers": stored + validators + extra})
            await send({"type": "http.response.body",
                        "body": b"" if scope["method"] == "HEAD" else body})
            return
        if scope["method"] == "HEAD":  # answered as a GET (the server sends no body)
            scope = dict(scope, method="GET")
        await self._fill(scope, receive, send, key, validators, extra)

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: str,
                    validators: list[tuple[bytes, bytes]],
                    extra: list[tuple[bytes, bytes]]) -> None:
        start: Message = {}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] == 200:
                    message = dict(message, headers=list(message.get("headers", []))
                                   + validators + extra)
                else:
                    message = dict(message, headers=list(message.get("headers", [])) + extra)
                await send(message)
                return
            if message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(key, start, b"".join(parts))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: str, start: Message, body: bytes) -> None:
        if start.get("status") != 200 or len(body) > MAX_BODY:
            return
        stored = [(k, v) for k, v in start.get("headers", [])
                  if k.lower() not in (b"set-cookie", b"etag", b"cache-control", b"vary")]
        if key in self.cache:
            return
        self.cache[key] = (200, stored, body)
        _total[0] += len(body)
        while len(self.cache) > MAX_ENTRIES or _total[0] > MAX_TOTAL:
            _k, (_s, _h, old) = self.cache.popitem(last=False)
            _total[0] -= len(old)


def _oversized(scope: Scope) -> tuple[int, str] | None:
    """(status, message) when the request is larger than the bounds, else None."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(
        scope.get("query_string", b""))
    if target > MAX_TARGET:
        return 414, (f"The address is {target} bytes long; the limit is {MAX_TARGET}. "
                     "Shorten the query.")
    headers = scope.get("headers", [])
    size = sum(len(k) + len(v) for k, v in headers)
    if len(headers) > MAX_HEADERS or size > MAX_HEADER_BYTES:
        return 431, (f"The request headers are {size} bytes in {len(headers)} fields; the "
                     f"limits are {MAX_HEADER_BYTES} bytes and {MAX_HEADERS} fields.")
    return None


async def _refuse(send: Send, status: int, message: str, *, api: bool) -> None:
    """A short error with the security headers (JSON under /api, text elsewhere)."""
    if api:
        body = json.dumps({"error": {"status": status, "message": message}}).encode()
        kind = b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *COMMON_HEADERS, *PAGE_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _v in message.get("headers", [])}
            added = [(k, v) for k, v in extra if k not in present or k == b"set-cookie"]
            message = dict(message, headers=list(message.get("headers", [])) + added)
        await send(message)
    return wrapped
