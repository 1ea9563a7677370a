"""Shared fixtures: a store built once per session from the bundled snapshot."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kakehashi.store import Store, build_store, open_store

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("KAKEHASHI_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "kakehashi.duckdb"
    build_store(path)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> Iterator[Store]:
    s = open_store(store_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw public data folder; tests that need it fail loudly when it is absent."""
    assert (SHARED_DATA / "SOURCES.md").is_file(), (
        f"Raw data not found at {SHARED_DATA}; set KAKEHASHI_DATA to the shared data folder."
    )
    return SHARED_DATA
