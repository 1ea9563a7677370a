"""Settings, declared once with their help text; read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SNAPSHOT_DIR = PACKAGE_DIR / "snapshot"
CODES_DIR = PACKAGE_DIR / "schema" / "codes"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS = (
    Setting(
        "KAKEHASHI_STORE",
        "var/kakehashi.duckdb",
        "Path of the DuckDB store that `build` writes and `serve`, `sql` and `sources` read.",
    ),
    Setting(
        "KAKEHASHI_DATA",
        "../shared/data",
        "Folder of raw public data files (see docs/sources.md) used by `snapshot` and "
        "`build --data`.",
    ),
)


def setting(name: str) -> str:
    for s in SETTINGS:
        if s.name == name:
            return s.value()
    raise KeyError(name)


def store_path() -> Path:
    return Path(setting("KAKEHASHI_STORE"))


def data_dir() -> Path:
    return Path(setting("KAKEHASHI_DATA"))
