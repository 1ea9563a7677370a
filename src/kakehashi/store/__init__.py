"""The store: one DuckDB file, built into a new file and swapped in atomically, read read-only."""

from kakehashi.store.build import BuildReport, build_store
from kakehashi.store.reader import Store, open_store

__all__ = ["BuildReport", "Store", "build_store", "open_store"]
