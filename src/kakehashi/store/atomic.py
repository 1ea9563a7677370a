"""Writing the store safely: one writer at a time, a temporary file, an atomic rename.

Every writer (a build, a document ingest, an update) copies or builds the store into
`<store>.tmp-<pid>` beside it, fsyncs it, and renames it over the store, so a reader sees the
old store or the new one, never half of one; a failed or killed writer leaves the old store as
it was. Writers take an exclusive lock on the store's folder first, so two writers cannot both
start from the same old store and lose each other's changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writer_lock(store: Path) -> Iterator[None]:
    """Hold the folder's writer lock (waits while another writer holds it)."""
    folder = store.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def temporary(store: Path) -> Path:
    """This process's temporary file beside the store (removed first if a previous attempt left
    it), after deleting the temporaries of writers whose process is gone."""
    for tmp in store.parent.glob(f"{store.name}.tmp-*"):
        pid = tmp.name.removeprefix(f"{store.name}.tmp-").removesuffix(".wal")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            tmp.unlink(missing_ok=True)
    tmp = store.with_name(f"{store.name}.tmp-{os.getpid()}")
    discard(tmp)
    return tmp


def swap_in(tmp: Path, store: Path) -> None:
    """fsync the finished temporary file, rename it over the store, fsync the folder."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, store)
    fd = os.open(store.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(tmp: Path) -> None:
    """Remove a temporary store file and its write-ahead log, if present."""
    for path in (tmp, tmp.with_name(tmp.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
