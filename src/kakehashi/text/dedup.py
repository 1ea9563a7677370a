"""Paragraphs with offsets, repeated paragraphs inside a document, near-duplicate documents.

Near duplicates use MinHash signatures (128 hashes over word 5-shingles, or character
4-shingles for Japanese) and LSH banding (32 bands of 4 rows) to find candidates, confirmed
by the estimated Jaccard similarity (>= 0.7 by default).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BANDS = 32
THRESHOLD = 0.7
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240501)
_A = _rng.integers(1, (1 << 61) - 1, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class Paragraph:
    n: int
    start: int
    end: int
    text: str
    duplicate_of: int | None  # number of the earlier identical paragraph


def normal_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines are paragraphs; a repeat (same words, any case) points to the first."""
    out: list[Paragraph] = []
    first: dict[str, int] = {}
    for m in re.finditer(r"[^\n]+", text):
        chunk = m.group(0)
        stripped = chunk.strip()
        if not stripped:
            continue
        start = m.start() + (len(chunk) - len(chunk.lstrip()))
        key = normal_key(stripped)
        n = len(out)
        dup = first.get(key) if key else None
        if key and dup is None:
            first[key] = n
        out.append(Paragraph(n, start, start + len(stripped), stripped, dup))
    return out


def unique_text(text: str) -> str:
    """The text without repeated paragraphs (so repeats are not counted twice)."""
    return unique_of(paragraphs(text))


def unique_of(paras: list[Paragraph]) -> str:
    """The paragraphs that are not repeats, one a line."""
    return "\n".join(p.text for p in paras if p.duplicate_of is None)


def shingles(text: str) -> set[int]:
    key = normal_key(text)
    if any(ord(c) > 0x2E80 for c in key[:2000]):
        compact = key.replace(" ", "")
        grams = {compact[i:i + 4] for i in range(max(1, len(compact) - 3))}
    else:
        words = key.split()
        grams = {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            for g in grams}


def signature(text: str) -> np.ndarray:
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    values = values % _PRIME
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return np.asarray(hashed.min(axis=0), dtype=np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


class LSHIndex:
    """Documents by band hashes; ``add`` returns the earlier near duplicate, if any."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.rows = NUM_PERM // BANDS
        self.buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
        self.signatures: dict[str, np.ndarray] = {}

    def query(self, sig: np.ndarray) -> str | None:
        best, best_sim = None, self.threshold
        seen: set[str] = set()
        for band in range(BANDS):
            key = (band, sig[band * self.rows:(band + 1) * self.rows].tobytes())
            for doc_id in self.buckets.get(key, []):
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                sim = similarity(sig, self.signatures[doc_id])
                if sim >= best_sim:
                    best, best_sim = doc_id, sim
        return best

    def add(self, doc_id: str, sig: np.ndarray) -> str | None:
        dup = self.query(sig)
        self.signatures[doc_id] = sig
        for band in range(BANDS):
            key = (band, sig[band * self.rows:(band + 1) * self.rows].tobytes())
            self.buckets[key].append(doc_id)
        return dup
