"""Cross-language search: precision at k for queries in en, es, pt and ja over the labelled texts.

Relevant documents come from the labels of tests/data/text/labelled.jsonl, whatever their
language (e.g. "ペルー 訪問": every text labelled with Peru and a visit), so a query can only
score well by finding texts in the other languages too. Three rankings are compared:
BM25 keywords alone; keywords + entities (`kakehashi search --keywords-only`); and the
default, keywords + entities + WordLlama embeddings.

    /tmp/v/bin/python bench/text_search_quality.py [--texts DIR] [--k 5]

With ``--texts DIR`` the texts of labelled_unshipped.jsonl found in DIR/<id>.txt (checked
against their sha256) join the shipped ones, as in bench/text_quality.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from kakehashi.text import docstore, quality, search
from kakehashi.text.ingest import read_targets

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "text"


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
    ("ja", "ブラジル 円借款", _about("BRA", ("financing",))),
    ("ja", "日系人 移民", _about(theme="migration_nikkei")),
    ("ja", "メキシコ 経済連携協定", _about("MEX", ("agreement_signed", "agreement_in_force"))),
    ("es", "donación japonesa para salud y covid", _about(theme="health_covid")),
    ("es", "visita del canciller japonés al Perú", _about("PER", ("visit",))),
    ("pt", "cooperação da JICA em agricultura", _about(theme="food_agriculture")),
    ("pt", "acordo de investimento com o Japão", _about(theme="investment")),
    ("en", "Japan grant aid to Caribbean countries for climate resilience",
     _about(theme="environment_climate")),
    ("en", "mining and energy investment in Latin America", _about(theme="energy_mining")),
]


def ingest_labelled(tmp: Path, items: list[dict[str, Any]]
                    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The labelled texts in a new store; (search rows, labelled item by doc_id)."""
    from kakehashi.store import build_store, open_store

    store = tmp / "kakehashi.duckdb"
    build_store(store)
    by_doc, documents = {}, []
    for item in items:
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, help="folder with <id>.txt for unshipped items")
    parser.add_argument("--k", type=int, default=5, help="precision at k (default 5)")
    args = parser.parse_args()
    k = args.k
    out = sys.stdout
    items = quality.load(DATA / "labelled.jsonl")
    if args.texts:
        unshipped, missing = quality.attach_texts(
            quality.load(DATA / "labelled_unshipped.jsonl"), args.texts)
        items += unshipped
        out.write(f"{len(items)} texts ({len(missing)} unshipped ones without their text)\n\n")
    with tempfile.TemporaryDirectory() as tmp:
        rows, by_doc = ingest_labelled(Path(tmp), items)
    rankers = {
        "BM25 keywords": lambda q: bm25_only(rows, q, k),
        "keywords + entities": lambda q: [h.doc_id for h in search.search(
            rows, q, limit=k, semantic=False)],
        "keywords + entities + embeddings": lambda q: [h.doc_id for h in search.search(
            rows, q, limit=k)],
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
            totals[name] += len(good) / k
            cells.append(f"{len(good) / k:.1f} ({other} other-language)")
        out.write(f"| {query} | {lang} | {len(wanted)} | " + " | ".join(cells) + " |\n")
    out.write(f"| mean P@{k} | | | " + " | ".join(f"{t / len(QUERIES):.2f}"
                                                for t in totals.values()) + " |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
