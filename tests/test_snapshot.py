"""The bundled snapshot is exactly what the pipeline derives from the raw public data."""

from __future__ import annotations

import json
from pathlib import Path

from kakehashi.config import SNAPSHOT_DIR
from kakehashi.pipeline import snapshot
from kakehashi.provenance import sha256_of
from kakehashi.schema.tables import TABLES


def test_bundled_snapshot_is_rederived_identically(shared_data: Path, tmp_path: Path) -> None:
    fresh = snapshot.derive(shared_data, tmp_path / "snapshot")
    bundled = json.loads((SNAPSHOT_DIR / snapshot.MANIFEST).read_text())
    assert fresh["inputs"] == bundled["inputs"], "raw inputs changed: run `make snapshot`"
    assert fresh["code_fingerprint"] == bundled["code_fingerprint"], (
        "pipeline code changed since the snapshot was derived: run `make snapshot`")
    for name, entry in bundled["tables"].items():
        assert fresh["tables"][name]["rows"] == entry["rows"], name
        assert fresh["tables"][name]["sha256"] == entry["sha256"], f"{name} differs"
    assert fresh == bundled


def test_snapshot_covers_every_table_and_file_checksums_hold() -> None:
    manifest = snapshot.read_manifest(SNAPSHOT_DIR)
    assert set(manifest["tables"]) == set(TABLES)
    for entry in manifest["tables"].values():
        assert sha256_of(SNAPSHOT_DIR / entry["file"]) == entry["sha256"]
    for name, entry in manifest["tables"].items():
        assert entry["sources"] == list(TABLES[name].sources)
        for sid in entry["sources"]:
            assert manifest["licenses"][sid]["license"], f"{sid} has no licence in the snapshot"
    assert manifest["licenses"]["argendata_shares"]["license"] == "CC BY-NC-SA 4.0"
    size = sum((SNAPSHOT_DIR / e["file"]).stat().st_size for e in manifest["tables"].values())
    assert size < 10_000_000, f"snapshot is {size / 1e6:.1f} MB; keep it compact"
