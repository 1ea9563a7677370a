"""Where every figure comes from: a source's origin and licence, and each raw file's checksum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class License:
    name: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class RawFile:
    """One published file, as it lies in the data folder (path relative to it)."""

    path: str
    description: str


@dataclass(frozen=True)
class Source:
    """One upstream publisher's dataset, described once.

    ``version`` is the producer's release label where one exists, else the commit or vintage
    of the copy used; ``retrieved`` is the date the copy was made (ISO 8601).
    """

    id: str
    title: str
    publisher: str
    url: str
    origin: str
    version: str
    retrieved: str
    license: License
    citation: str
    units: str
    coverage: str
    caveats: str
    derivation: str
    files: tuple[RawFile, ...] = field(default_factory=tuple)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
