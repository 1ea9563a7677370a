"""Documents per second: extraction, ingest + extraction, and with embeddings.

The texts are ~3,000 characters each, built by concatenating the real labelled texts in
tests/data/text/labelled.jsonl (same language, in a rotating order, so each is different).

    /tmp/v/bin/python bench/text_bench.py [--docs 600]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from kakehashi.text import docstore, quality
from kakehashi.text.extract import extract
from kakehashi.text.fetch import Fetched
from kakehashi.text.ingest import analyse
from kakehashi.text.parse import ParsedDoc

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "text" / "labelled.jsonl"


def texts(n: int, size: int = 3000) -> list[str]:
    items = quality.load(LABELLED)
    by_lang: dict[str, list[str]] = {}
    for item in items:
        by_lang.setdefault(str(item["lang"]), []).append(str(item["text"]))
    out = []
    langs = sorted(by_lang)
    for i in range(n):
        pool = by_lang[langs[i % len(langs)]]
        parts, k = [], i
        while sum(len(p) for p in parts) < size:
            parts.append(pool[k % len(pool)])
            k += 7
        out.append(f"[{i}]\n" + "\n".join(parts)[:size])
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=600)
    args = ap.parse_args()
    docs = texts(args.docs)
    avg = sum(len(d) for d in docs) / len(docs)
    out = sys.stdout
    out.write(f"{len(docs)} texts, {avg:.0f} characters on average, 4 languages\n")

    started = time.perf_counter()
    for d in docs:
        extract(d)
    rate = len(docs) / (time.perf_counter() - started)
    out.write(f"extraction only:                 {rate:8.0f} docs/s\n")

    fetched = Fetched("bench", b"", "", "2024-01-01T00:00:00+00:00")
    with tempfile.TemporaryDirectory() as tmp:
        for label, with_embeddings in (("ingest + extraction", False),
                                       ("ingest + extraction + embeddings", True)):
            store = Path(tmp) / f"{with_embeddings}.duckdb"
            started = time.perf_counter()
            analysed = [analyse(ParsedDoc("", d, None, None, "text"), fetched) for d in docs]
            if with_embeddings:
                from kakehashi.text import embed

                vectors = embed.embed([d.text for d in analysed])
                for doc, vec in zip(analysed, vectors, strict=True):
                    doc.embedding = vec
            docstore.ingest_into_store(store, analysed)
            rate = len(docs) / (time.perf_counter() - started)
            out.write(f"{label + ':':33}{rate:8.0f} docs/s (into a new DuckDB store)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
