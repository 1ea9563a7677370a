"""Read a document from a local path or a URL, within size and time limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kakehashi.errors import InputError

MAX_BYTES = 20_000_000  # a 50 MB "page" is refused, not read into memory
TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Fetched:
    origin: str
    data: bytes
    content_type: str
    retrieved_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def fetch(target: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> Fetched:
    if is_url(target):
        return _fetch_url(target, max_bytes, timeout)
    path = Path(target)
    if not path.is_file():
        raise InputError(target, "no such file", hint="Check the path.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(target, f"is {size / 1e6:.0f} MB; the limit is {max_bytes / 1e6:.0f} MB",
                         hint="Split the document or extract the part you need.")
    if size == 0:
        raise InputError(target, "is empty", hint="Nothing was stored.")
    return Fetched(str(path), path.read_bytes(), "", _now())


def _fetch_url(url: str, max_bytes: int, timeout: float) -> Fetched:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": "kakehashi-ingest"}) as resp:
            if resp.status_code >= 400:
                raise InputError(url, f"answered HTTP {resp.status_code}",
                                 hint="Check the address or try again later.")
            declared = int(resp.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise InputError(url, f"is {declared / 1e6:.0f} MB; the limit is "
                                 f"{max_bytes / 1e6:.0f} MB", hint="Nothing was stored.")
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise InputError(url, f"is larger than {max_bytes / 1e6:.0f} MB",
                                     hint="Nothing was stored.")
                chunks.append(chunk)
            content_type = resp.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        raise InputError(url, f"could not be fetched ({type(exc).__name__}: {exc})",
                         hint="Check the address and the network, then retry.") from None
    data = b"".join(chunks)
    if not data.strip():
        raise InputError(url, "returned an empty page", hint="Nothing was stored.")
    return Fetched(url, data, content_type, _now())
