"""Harmonising country names and codes to ISO3; anything unmapped is collected, never dropped."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kakehashi.config import CODES_DIR

Mode = Literal["code", "iso2", "name"]


def normalise(name: str) -> str:
    """Fold a country name for matching: accents, case, articles, '&', 'St.' and punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("st. ", "saint ")
    text = re.sub(r"\(the\)|\bthe\b", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Alias:
    source: str
    value: str
    code: str  # "" = deliberately not an entity (e.g. a multilateral creditor)
    note: str


def load_aliases(path: Path = CODES_DIR / "aliases.csv") -> dict[tuple[str, str], Alias]:
    """Source-specific names and codes, mapped by hand (reviewable as a data diff)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [Alias(**row) for row in csv.DictReader(fh)]
    return {(a.source, a.value): a for a in rows}


@dataclass
class EntityIndex:
    """Known codes (ISO3 and Kakehashi entity codes), ISO2 codes and folded names."""

    codes: set[str]
    iso2: dict[str, str]
    names: dict[str, str]
    aliases: dict[tuple[str, str], Alias] = field(default_factory=load_aliases)
    unmapped: list[tuple[str, str, str, int]] = field(default_factory=list)

    def add_names(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, code in pairs:
            if name and code:
                self.names.setdefault(normalise(name), code)

    def resolve(self, source: str, column: str, value: str, mode: Mode) -> str | None:
        """The entity code for ``value``; None for a deliberate non-entity.

        Raises KeyError when nothing matches, so the caller can record it.
        """
        alias = self.aliases.get((source, value))
        if alias is not None:
            return alias.code or None
        if mode == "code" and value in self.codes:
            return value
        if mode == "iso2" and value in self.iso2:
            return self.iso2[value]
        if mode == "name":
            folded = normalise(value)
            if folded in self.names:
                return self.names[folded]
        raise KeyError(value)
