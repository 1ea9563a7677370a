"""Documents per second: extraction, ingest + extraction, with embeddings, and the event reader.

The texts are ~3,000 characters each, built by concatenating the real labelled texts in
tests/data/text/labelled.jsonl (same language, in a rotating order, so each is different).
Each line gives documents per second of wall-clock time and, in brackets, per CPU-second of
this process: on a machine shared with other work the second is the steadier figure.

    /tmp/v/bin/python bench/text_bench.py [--docs 600] [--reader-docs 60]

The event reader (``kakehashi extract --reader``) runs on the first ``--reader-docs`` texts
(0 to skip it), since it reads a few texts a second.
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


class _Clock:
    """Wall-clock and CPU time since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rates(self, n: int) -> str:
        wall = n / (time.perf_counter() - self.wall)
        cpu = n / (time.process_time() - self.cpu)
        digits = 1 if wall < 10 else 0
        return f"{wall:8.{digits}f} docs/s [{cpu:5.{digits}f} per CPU-second]"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--reader-docs", type=int, default=60)
    args = ap.parse_args()
    docs = texts(args.docs)
    avg = sum(len(d) for d in docs) / len(docs)
    out = sys.stdout
    out.write(f"{len(docs)} texts, {avg:.0f} characters on average, 4 languages\n")

    clock = _Clock()
    for d in docs:
        extract(d)
    out.write(f"{'extraction only:':33}{clock.rates(len(docs))}\n")

    fetched = Fetched("bench", b"", "", "2024-01-01T00:00:00+00:00")
    with tempfile.TemporaryDirectory() as tmp:
        for label, with_embeddings in (("ingest + extraction", False),
                                       ("ingest + extraction + embeddings", True)):
            store = Path(tmp) / f"{with_embeddings}.duckdb"
            clock = _Clock()
            analysed = [analyse(ParsedDoc("", d, None, None, "text"), fetched) for d in docs]
            if with_embeddings:
                from kakehashi.text import embed

                vectors = embed.embed([d.text for d in analysed])
                for doc, vec in zip(analysed, vectors, strict=True):
                    doc.embedding = vec
            docstore.ingest_into_store(store, analysed)
            out.write(f"{label + ':':33}{clock.rates(len(docs))} (into a new DuckDB store)\n")
    if args.reader_docs:
        from kakehashi.text import event_reader

        few = docs[:args.reader_docs]
        event_reader.require()  # the weights and the encoder loaded before the clock starts
        clock = _Clock()
        event_reader.read(few, [None] * len(few), ["es"] * len(few))  # every text read
        out.write(f"{'event reader (on demand):':33}{clock.rates(len(few))} "
                  f"({len(few)} texts)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
