"""Where the lake keeps things: `current` -> a version folder, and how a new version is made
current (write everything, then swap the `current` symlink; keep the previous version for
readers in flight)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

from kakehashi.errors import StoreError

NAMES_FILE = "product_names.parquet"


def lake_for(store: Path) -> Path:
    """The product lake that belongs to a store file: `<store folder>/products`."""
    return store.resolve().parent / "products"


def current_version(lake: Path) -> Path:
    """The version folder readers should use; a clear error when nothing is ingested."""
    link = lake / "current"
    if not link.exists():
        raise StoreError(f"No product data in {lake}: ingest BACI files first with "
                         "`kakehashi products ingest BACI_HS17_Y2019_V202401.csv ...` "
                         "(or `kakehashi update --source baci`).")
    return link.resolve()


def manifest(lake: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((current_version(lake) / "manifest.json").read_text())
    return data


def flows_glob(version: Path) -> str:
    return str(version / "product_flows" / "*" / "*.parquet")


def stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


def clean_versions(lake: Path, keep: set[Path]) -> None:
    for v in (lake / "versions").glob("*"):
        if v.resolve() not in keep:
            shutil.rmtree(v, ignore_errors=True)


def point_current(lake: Path, version: Path) -> None:
    tmp = lake / f"current.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(Path("versions") / version.name)
    os.replace(tmp, lake / "current")
    fd = os.open(lake, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def carry_over(old: Path | None, new: Path, skip_years: set[int],
                concordance: bool = True) -> None:
    """Hard-link the current version's other years (and concordance) into the new one."""
    if old is None:
        return
    for part in (old / "product_flows").glob("year=*"):
        if int(part.name.split("=")[1]) in skip_years:
            continue
        target = new / "product_flows" / part.name
        target.mkdir(parents=True, exist_ok=True)
        for f in part.glob("*.parquet"):
            os.link(f, target / f.name)
    conc = old / "hs_concordance.parquet"
    if concordance and conc.exists() and not (new / conc.name).exists():
        os.link(conc, new / conc.name)
    names = old / NAMES_FILE
    if names.exists() and not (new / NAMES_FILE).exists():
        os.link(names, new / NAMES_FILE)


def publish(lake: Path, new: Path, old: Path | None, mf: dict[str, Any]) -> Path:
    """Write the manifest, make the new version final and current; keep the old one (readers
    may be using it) and delete any older."""
    (new / "manifest.json").write_text(json.dumps(mf, indent=1))
    final = new.with_name(new.name.removesuffix(".tmp"))
    new.rename(final)
    point_current(lake, final)
    clean_versions(lake, {final.resolve()} | ({old} if old else set()))
    return final


def years_of(dest: Path) -> list[int]:
    return sorted(int(p.name.split("=")[1]) for p in dest.glob("year=*"))
