"""The bundled snapshot: core tables as checksummed Parquet, derived only by this pipeline.

``derive`` runs the pipeline on the raw files and writes one Parquet file per table plus
``manifest.json`` (input checksums, table row counts and file checksums). ``load`` verifies
those checksums and loads the tables. The manifest holds no timestamps, so deriving twice from
the same inputs gives the same bytes, and a test can prove the bundled copy is not hand-edited.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from kakehashi import __version__
from kakehashi.errors import InputError, StoreError
from kakehashi.pipeline import runner
from kakehashi.pipeline.runner import Progress
from kakehashi.pipeline.steps.countries import cldr_version
from kakehashi.provenance import sha256_of
from kakehashi.schema.check import check
from kakehashi.schema.tables import TABLES
from kakehashi.sources import SOURCES

MANIFEST = "manifest.json"


def code_fingerprint() -> str:
    """A digest of the pipeline's code and code lists: a change to either forces a rebuild."""
    digest = hashlib.sha256()
    root = resources.files("kakehashi")
    for part in ("pipeline", "schema"):
        base = Path(str(root / part))
        for path in sorted(base.rglob("*")):
            if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(base.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def input_checksums(data_dir: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rel in runner.inputs():
        path = data_dir / rel
        if not path.is_file():
            raise InputError(path, "file not found", hint="Point --data (or KAKEHASHI_DATA) at "
                             "the folder described in docs/sources.md.")
        out[rel] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}
    return out


def write_tables(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for name, spec in TABLES.items():
        target = out_dir / f"{name}.parquet"
        order = ", ".join(f'"{c}"' for c in spec.order)
        con.execute(
            f"COPY (SELECT * FROM \"{name}\" ORDER BY {order}) TO '{target}' "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)"
        )
        row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert row is not None
        tables[name] = {"file": target.name, "rows": row[0], "sha256": sha256_of(target)}
    return tables


def derive(data_dir: Path, out_dir: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Rebuild the snapshot in ``out_dir`` from the raw files in ``data_dir``; atomic per folder."""
    inputs = input_checksums(data_dir)
    con = duckdb.connect(config={"threads": 1})
    try:
        runner.run(con, data_dir, progress)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out_dir.parent))
        work.chmod(0o755)
        try:
            tables = write_tables(con, work)
            for name, entry in tables.items():
                entry["sources"] = list(TABLES[name].sources)
            manifest = {
                "format": 1,
                "kakehashi_version": __version__,
                "names": cldr_version(),
                "code_fingerprint": code_fingerprint(),
                "inputs": inputs,
                "tables": tables,
                "licenses": licences(),
            }
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            old = out_dir.with_name(out_dir.name + ".old")
            if out_dir.exists():
                os.replace(out_dir, old)
            os.replace(work, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        con.close()
    return manifest


def licences() -> dict[str, dict[str, str]]:
    """The licence and citation of every source, carried inside the snapshot."""
    return {s.id: {"publisher": s.publisher, "license": s.license.name,
                   "license_url": s.license.url, "citation": s.citation}
            for s in SOURCES.values()}


def read_manifest(snap_dir: Path) -> dict[str, Any]:
    path = snap_dir / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise StoreError(f"No snapshot at {snap_dir} ({MANIFEST} missing). Run `kakehashi "
                         "snapshot --data ../shared/data` or build with --data.") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON ({exc.msg})", line=exc.lineno) from None
    return manifest


def load(con: duckdb.DuckDBPyConnection, snap_dir: Path, progress: Progress | None = None
         ) -> dict[str, Any]:
    """Verify the snapshot's checksums and load every table into ``con``."""
    manifest = read_manifest(snap_dir)
    missing = sorted(set(TABLES) - set(manifest["tables"]))
    if missing:
        raise StoreError(f"The snapshot at {snap_dir} lacks table(s) {', '.join(missing)}; "
                         "derive it again with `kakehashi snapshot`.")
    for name, entry in manifest["tables"].items():
        if progress:
            progress(name)
        path = snap_dir / entry["file"]
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise InputError(path, "checksum does not match the snapshot manifest",
                             hint="The snapshot was edited or damaged; restore it from git or "
                             "derive it again with `kakehashi snapshot`.")
        con.execute(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{path}')")
        check(con, TABLES[name])
    return manifest
