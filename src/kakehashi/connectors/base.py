"""What every connector shares: settings, the error type, raw records and their provenance."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kakehashi.errors import KakehashiError
from kakehashi.provenance import sha256_of

# progress(label, done, total): bytes for downloads, requests for paged APIs; total may be None.
Progress = Callable[[str, int, int | None], None]

DEFAULT_BASE_URLS: dict[str, str] = {
    "wdi": "https://api.worldbank.org/v2",
    "imf": "https://api.imf.org/external/sdmx/3.0",
    "comtrade": "https://comtradeapi.un.org",
    "oecd": "https://sdmx.oecd.org/public/rest",
    "baci_page": "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
    "baci_data": "https://www.cepii.fr/DATA_DOWNLOAD/baci/data",
}


class ConnectorError(KakehashiError):
    """A publisher's answer could not be fetched or read: says which, where and what to do."""

    def __init__(self, source: str, url: str, problem: str, hint: str) -> None:
        super().__init__(f"{source}: {problem} ({url}). {hint}")
        self.source, self.url, self.problem, self.hint = source, url, problem, hint


@dataclass(frozen=True)
class Settings:
    """Where connectors fetch from and keep files; tests point the base URLs at a local server."""

    raw_dir: Path = Path("var/raw")
    cache_dir: Path = Path("var/cache/http")
    base_urls: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BASE_URLS))
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 1.0          # first retry waits about this long, doubling each time
    backoff_max: float = 60.0
    max_retry_after: float = 300.0  # a longer Retry-After is reported, not waited for
    min_interval: Mapping[str, float] = field(default_factory=lambda: {
        "comtradeapi.un.org": 1.1, "api.imf.org": 0.5, "sdmx.oecd.org": 3.0,
        "api.worldbank.org": 0.2})
    default_interval: float = 0.0
    comtrade_key: str | None = None
    imf_key: str | None = None
    user_agent: str = "kakehashi-connectors (+https://github.com/; offline-first observatory)"

    def url(self, name: str) -> str:
        return self.base_urls[name].rstrip("/")

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings with API keys and folders from the environment (see docs/updates.md)."""
        env: dict[str, Any] = {
            "comtrade_key": os.environ.get("COMTRADE_API_KEY") or None,
            "imf_key": os.environ.get("IMF_API_KEY") or None,
        }
        if os.environ.get("KAKEHASHI_RAW"):
            env["raw_dir"] = Path(os.environ["KAKEHASHI_RAW"])
        if os.environ.get("KAKEHASHI_HTTP_CACHE"):
            env["cache_dir"] = Path(os.environ["KAKEHASHI_HTTP_CACHE"])
        urls = dict(DEFAULT_BASE_URLS)
        for name in urls:  # e.g. KAKEHASHI_URL_WDI: a mirror, a proxy or a test server
            urls[name] = os.environ.get(f"KAKEHASHI_URL_{name.upper()}", urls[name])
        env["base_urls"] = urls
        env.update(overrides)
        return cls(**env)


@dataclass(frozen=True)
class RawRecord:
    """One raw file written by a connector, with where it came from."""

    source_id: str
    path: Path
    url: str
    retrieved_at: str
    sha256: str
    size: int
    release: str
    license: str
    kind: str = ""  # what the file holds, for to_core (e.g. "data", "country_codes")
    extra: Mapping[str, Any] = field(default_factory=dict)

    def sidecar(self) -> Path:
        return self.path.with_name(self.path.name + ".provenance.json")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def release_dir(settings: Settings, source_id: str, release: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in release)
    path = settings.raw_dir / source_id / safe
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_raw(path: Path, body: bytes) -> None:
    """Write a raw file atomically (temp file, fsync, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def record(source_id: str, path: Path, url: str, retrieved_at: str, release: str,
           license: str, kind: str = "data", **extra: Any) -> RawRecord:
    """Describe a raw file already on disk and write its provenance sidecar beside it."""
    rec = RawRecord(source_id, path, url, retrieved_at, sha256_of(path), path.stat().st_size,
                    release, license, kind, extra)
    meta = {k: v for k, v in asdict(rec).items() if k != "path"}
    meta["path"] = path.name
    write_raw(rec.sidecar(), (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode())
    return rec


def load_record(sidecar: Path) -> RawRecord:
    """Read a provenance sidecar back (to convert raw files fetched earlier, offline)."""
    meta = json.loads(sidecar.read_text())
    path = sidecar.with_name(meta.pop("path"))
    return RawRecord(path=path, **meta)
