"""Build the store into a new file and swap it in atomically; skip when nothing changed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from kakehashi import __version__
from kakehashi.config import SNAPSHOT_DIR
from kakehashi.pipeline import runner, snapshot
from kakehashi.pipeline.runner import Progress
from kakehashi.pipeline.steps.countries import cldr_version
from kakehashi.provenance import sha256_of
from kakehashi.store.meta import write_meta


@dataclass(frozen=True)
class BuildReport:
    path: Path
    skipped: bool
    seconds: float
    size_bytes: int
    mode: str
    fingerprint: str


def _current_fingerprint(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM build_info WHERE key = 'fingerprint'").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_store(
    path: Path,
    *,
    data_dir: Path | None = None,
    snapshot_dir: Path = SNAPSHOT_DIR,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the store at ``path`` from the raw files in ``data_dir``, else from the snapshot.

    The new store is written to a temporary file beside ``path`` and renamed over it only when
    complete, so a failed or killed build leaves the previous store untouched.
    """
    started = time.perf_counter()
    if data_dir is not None:
        inputs = snapshot.input_checksums(data_dir)
        mode = f"raw files in {data_dir}"
        key = "".join(f"{k}:{v['sha256']}" for k, v in sorted(inputs.items()))
        fingerprint = f"raw-{snapshot.code_fingerprint()[:16]}-{_digest(key)}"
    else:
        manifest = snapshot.read_manifest(snapshot_dir)
        inputs = manifest["inputs"]
        mode = "bundled snapshot"
        fingerprint = f"snapshot-{sha256_of(snapshot_dir / snapshot.MANIFEST)[:32]}"
    fingerprint += f"-v{__version__}"
    if not force and _current_fingerprint(path) == fingerprint:
        return BuildReport(path, True, time.perf_counter() - started, path.stat().st_size,
                           mode, fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            if data_dir is not None:
                runner.run(con, data_dir, progress)
                names = cldr_version()
            else:
                names = snapshot.load(con, snapshot_dir, progress).get("names", "")
            if progress:
                progress("catalog")
            # Ingested documents are user data, not derived from the sources: carry them over.
            from kakehashi.text.docstore import copy_documents

            copy_documents(path, con)
            write_meta(con, inputs, {
                "fingerprint": fingerprint,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "kakehashi_version": __version__,
                "built_from": mode,
                "country_names": names,
            })
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        with contextlib.suppress(FileNotFoundError):
            tmp.with_name(tmp.name + ".wal").unlink()
    return BuildReport(path, False, time.perf_counter() - started, path.stat().st_size, mode,
                       fingerprint)


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files left by builds that were killed (their process is gone)."""
    for tmp in path.parent.glob(f"{path.name}.tmp-*"):
        pid = tmp.name.removeprefix(f"{path.name}.tmp-").removesuffix(".wal")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            tmp.unlink(missing_ok=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
