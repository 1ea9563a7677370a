"""Build the store into a new file and swap it in atomically; skip when nothing changed."""

from __future__ import annotations

import hashlib
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
from kakehashi.store.atomic import discard, swap_in, temporary, writer_lock
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
    with writer_lock(path):
        if not force and _current_fingerprint(path) == fingerprint:
            return BuildReport(path, True, time.perf_counter() - started, path.stat().st_size,
                               mode, fingerprint)
        tmp = temporary(path)
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
                # Ingested documents are user data, not derived from the sources: carry them.
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
            swap_in(tmp, path)
        finally:
            discard(tmp)
    return BuildReport(path, False, time.perf_counter() - started, path.stat().st_size, mode,
                       fingerprint)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
