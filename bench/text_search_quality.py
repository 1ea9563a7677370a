"""Cross-language search: precision at 5 for queries in es, pt and ja over the labelled texts.

Relevant documents come from the labels of tests/data/text/labelled.jsonl, whatever their
language (e.g. "ペルー 訪問": every text labelled with Peru and a visit), so a query can only
score well by finding texts in the other languages too. Three rankings are compared:
BM25 keywords alone; keywords + entities (`kakehashi search --keywords-only`); and the
default, keywords + entities + WordLlama embeddings.

    /tmp/v/bin/python bench/text_search_quality.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from kakehashi.text import docstore, quality, search
from kakehashi.text.ingest import read_targets

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "text" / "labelled.jsonl"


def _about(country: str | None = None, events: tuple[str, ...] = (), theme: str | None = None):
    def relevant(labels: dict[str, Any]) -> bool:
        return ((country is None or country in labels["countries"])
                and (not events or labels["event_type"] in events)
                and (theme is None or theme in labels["themes"]))
    return relevant


QUERIES = [
    ("ja", "ペルー 訪問", _about("PER", ("visit",))),
    ("ja", "ペルー 外相会談", _about("PER", ("meeting",))),
    ("es", "préstamo para infraestructura en América Latina", _about(events=("financing",))),
    ("es", "acuerdo comercial entre Japón y México", _about(
        "MEX", ("agreement_signed", "agreement_in_force"))),
    ("pt", "visita do primeiro-ministro ao Brasil", _about("BRA", ("visit",))),
    ("pt", "imigração japonesa no Brasil", _about("BRA", theme="migration_nikkei")),
]


def ingest_labelled(tmp: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The labelled texts in a new store; (search rows, labelled item by doc_id)."""
    from kakehashi.store import build_store, open_store

    store = tmp / "kakehashi.duckdb"
    build_store(store)
    by_doc, documents = {}, []
    for item in quality.load(LABELLED):
        f = tmp / f"{item['id']}.txt"
        f.write_text(str(item["text"]), encoding="utf-8")
        docs = read_targets([str(f)], published=item.get("published"), embeddings=True).documents
        documents += docs
        by_doc[docs[0].doc_id] = item
    docstore.ingest_into_store(store, documents)
    s = open_store(store)
    try:
        return search.load_rows(s), by_doc
    finally:
        s.close()


def bm25_only(rows: list[dict[str, Any]], query: str, k: int) -> list[str]:
    kept = [r for r in rows if not r.get("duplicate_of")]
    scores = search._bm25(search.tokens(query),  # noqa: SLF001 - the keyword layer alone
                          [search.tokens(f"{r['title'] or ''} {r['text']}") for r in kept])
    order = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
    return [kept[i]["doc_id"] for i in order[:k]]


def main() -> int:
    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        rows, by_doc = ingest_labelled(Path(tmp))
    rankers = {
        "BM25 keywords": lambda q: bm25_only(rows, q, 5),
        "keywords + entities": lambda q: [h.doc_id for h in search.search(
            rows, q, limit=5, semantic=False)],
        "keywords + entities + embeddings": lambda q: [h.doc_id for h in search.search(
            rows, q, limit=5)],
    }
    out.write("| query | lang | relevant | " + " | ".join(rankers) + " |\n")
    out.write("|---|---|---|" + "---|" * len(rankers) + "\n")
    totals = dict.fromkeys(rankers, 0.0)
    for lang, query, relevant in QUERIES:
        wanted = {d for d, item in by_doc.items() if relevant(item["labels"])}
        cells = []
        for name, rank in rankers.items():
            top = rank(query)
            good = [d for d in top if d in wanted]
            other = sum(1 for d in good if by_doc[d]["lang"] != lang)
            totals[name] += len(good) / 5
            cells.append(f"{len(good) / 5:.1f} ({other} other-language)")
        out.write(f"| {query} | {lang} | {len(wanted)} | " + " | ".join(cells) + " |\n")
    out.write("| mean P@5 | | | " + " | ".join(f"{t / len(QUERIES):.2f}"
                                                for t in totals.values()) + " |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
