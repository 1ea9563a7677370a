"""Small pieces of HTTP handling shared by the fetcher: headers, body checks, hints."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

Expect = Literal["json", "csv", "xml", "zip", "html", "text", "any"]
_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def full_url(url: str, params: Mapping[str, str] | None) -> str:
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(sorted(params.items()), safe=",:[]")


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def check_body(body: bytes, expect: Expect, content_type: str) -> str | None:
    """A problem with the body for the expected format, or None."""
    head = body[:512].lstrip(b"\xef\xbb\xbf")
    if expect in ("any", "text"):
        return None
    if not body.strip():
        return "the response body is empty"
    if expect == "html":
        return None
    if _HTML.match(head) or "text/html" in content_type:
        title = re.search(rb"<title>(.*?)</title>", body[:4096], re.IGNORECASE | re.DOTALL)
        shown = title.group(1).decode("utf-8", "replace").strip() if title else "no title"
        return f"got an HTML page ({shown!r}) where {expect.upper()} data was expected"
    if expect == "json" and head.lstrip()[:1] not in (b"{", b"["):
        return "the response is not JSON"
    if expect == "zip" and not body.startswith(b"PK\x03\x04"):
        return "the response is not a zip file"
    if expect == "xml" and not head.lstrip().startswith(b"<"):
        return "the response is not XML"
    return None


def total_length(r: httpx.Response, offset: int) -> int | None:
    rng = r.headers.get("Content-Range", "")
    if "/" in rng and rng.rsplit("/", 1)[1].isdigit():
        return int(rng.rsplit("/", 1)[1])
    length = r.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def cache_key(url: str, headers: Mapping[str, str] | None) -> str:
    accept = (headers or {}).get("Accept", "")
    return hashlib.sha256(f"{url}\n{accept}".encode()).hexdigest()[:40]


def read_json(path: Path) -> dict[str, Any]:
    with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
        data = json.loads(path.read_text())
        if isinstance(data, dict):
            return data
    return {}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def snippet(body: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", body[:600].decode("utf-8", "replace"))
    return " ".join(text.split())[:200] or "(empty body)"


def hint_for(problem: str) -> str:
    if "HTTP 401" in problem or "HTTP 403" in problem:
        return "The publisher refused the request: check the API key (see docs/updates.md)."
    if "HTTP 404" in problem:
        return "The endpoint or dataset was not found: the publisher may have moved it; see " \
               "docs/updates.md."
    if "HTTP 429" in problem:
        return "The publisher's rate limit is reached: wait and run the update again."
    if "timed out" in problem:
        return "The publisher is slow or unreachable: try again later, or raise the timeout."
    return "The publisher may be down or changing its service: try again later."
