"""Documents in the DuckDB store: atomic upserts, and carrying them over store rebuilds.

``ingest_into_store`` copies the store to a temporary file beside it, adds the new documents
there, checkpoints, fsyncs and renames it over the store, so readers see the old store or the
new one, never a half-written one, and a failure loses nothing already stored. A document
whose sha256 is already stored is skipped: re-ingesting changes nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from kakehashi.errors import StoreError
from kakehashi.store.atomic import discard, swap_in, temporary, writer_lock
from kakehashi.store.reader import LOCKDOWN
from kakehashi.text import dedup, link
from kakehashi.text.embed import MODEL
from kakehashi.text.extract import extract
from kakehashi.text.ingest import Document
from kakehashi.text.schema import ADDED_LATER, TABLES, create_sql


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already stored (same sha256)
    duplicates: dict[str, str] = field(default_factory=dict)  # doc -> earlier near duplicate
    links: dict[str, list[str]] = field(default_factory=dict)  # doc -> events ("candidate")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the document tables, and add to an older store's the columns added since."""
    for spec in TABLES.values():
        con.execute(create_sql(spec))
        for name, old in ADDED_LATER.get(spec.name, {}).items():
            column = next(c for c in spec.columns if c.name == name)
            con.execute(f'ALTER TABLE "{spec.name}" ADD COLUMN IF NOT EXISTS "{name}" '
                        f"{column.dtype} DEFAULT {old}")


def stored_sha256(store_path: Path) -> set[str]:
    """The sha256 of every document already in the store (empty when there is none yet)."""
    if not Path(store_path).is_file():
        return set()
    try:
        con = duckdb.connect(str(store_path), read_only=True, config=dict(LOCKDOWN))
    except duckdb.Error:
        return set()  # ingest_into_store will say what is wrong with the file
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'documents'").fetchall()[0][0]:
            return set()
        return {r[0] for r in con.execute("SELECT sha256 FROM documents").fetchall()}
    finally:
        con.close()


def ingest_into_store(store_path: Path, documents: list[Document]) -> IngestReport:
    """Add documents to the store through a copy that is swapped in atomically (one writer at
    a time, see store.atomic); a failure leaves the store unchanged."""
    store_path = Path(store_path)
    report = IngestReport()
    with writer_lock(store_path):
        tmp = temporary(store_path)
        try:
            if store_path.exists():
                shutil.copyfile(store_path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                ensure_tables(con)
                _upsert(con, documents, report)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            swap_in(tmp, store_path)
        except duckdb.Error as exc:
            raise StoreError(f"Could not add documents to {store_path}: {exc}. The store was "
                             "not changed; rebuild it with `kakehashi build --force` if it is "
                             "damaged.") from None
        finally:
            discard(tmp)
    return report


def _upsert(con: duckdb.DuckDBPyConnection, documents: list[Document],
            report: IngestReport) -> None:
    stored = {r[0] for r in con.execute("SELECT sha256 FROM documents").fetchall()}
    index = dedup.LSHIndex()
    for doc_id, sig in con.execute("SELECT doc_id, minhash FROM doc_vectors").fetchall():
        index.add(doc_id, np.asarray(sig, dtype=np.uint64))
    events = link.load_events(con)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for doc in documents:
        if doc.sha256 in stored:
            report.skipped.append(doc.doc_id)
            continue
        stored.add(doc.sha256)
        dup = index.add(doc.doc_id, doc.minhash)
        if dup:
            doc.duplicate_of = dup
            doc.similarity = dedup.similarity(doc.minhash, index.signatures[dup])
            report.duplicates[doc.doc_id] = dup
        report.added.append(doc.doc_id)
        x = doc.extraction
        rows["documents"].append({
            "doc_id": doc.doc_id, "origin": doc.origin, "url": doc.url,
            "retrieved_at": doc.retrieved_at, "sha256": doc.sha256, "kind": doc.kind,
            "language": doc.language, "title": doc.title,
            "published": date.fromisoformat(doc.published) if doc.published else None,
            "text": doc.text, "chars": len(doc.text), "duplicate_of": doc.duplicate_of,
            "similarity": doc.similarity, "event_type": x.event_type,
            "countries": x.countries, "themes": x.themes, "event_type_by": doc.event_type_by,
            "event_confident": doc.event_confident})
        # Offsets in extraction refer to the text without repeated paragraphs; map them back.
        offsets = _unique_offsets(doc.paragraphs)
        for p in doc.paragraphs:
            rows["paragraphs"].append({"doc_id": doc.doc_id, "n": p.n, "char_start": p.start,
                                       "char_end": p.end, "text": p.text,
                                       "duplicate_of_paragraph": p.duplicate_of})
        for m in x.mentions:
            rows["mentions"].append({"doc_id": doc.doc_id, "kind": m.kind, "value": m.value,
                                     "char_start": offsets(m.start),
                                     "char_end": offsets(m.end), "evidence": m.evidence})
        rows["doc_vectors"].append({
            "doc_id": doc.doc_id, "minhash": [int(v) for v in doc.minhash],
            "model": MODEL if doc.embedding is not None else None,
            "embedding": doc.embedding.tolist() if doc.embedding is not None else None})
        found = link.link(x, events)
        report.links[doc.doc_id] = [lk.event_id or "candidate" for lk in found]
        rows["event_links"] += [_link_row(doc.doc_id, lk) for lk in found]
    for name, table_rows in rows.items():
        _insert(con, name, table_rows)


def _unique_offsets(paras: list[dedup.Paragraph]) -> Any:
    """Map an offset in the de-duplicated text to the offset in the stored text."""
    spans = []
    pos = 0
    for p in paras:
        if p.duplicate_of is None:
            spans.append((pos, p.start))
            pos += len(p.text) + 1

    def to_text(offset: int) -> int:
        base, start = 0, 0
        for u, s in spans:
            if u > offset:
                break
            base, start = u, s
        return start + (offset - base)

    return to_text


def _link_row(doc_id: str, lk: link.Link) -> dict[str, Any]:
    return {"doc_id": doc_id, "event_id": lk.event_id, "candidate": lk.candidate,
            "score": lk.score, "event_type": lk.event_type, "date_start": lk.date_start,
            "date_end": lk.date_end, "countries": lk.countries, "actor": lk.actor,
            "evidence": lk.evidence}


def _insert(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    spec = TABLES[name]
    table = pa.Table.from_pylist(rows)
    con.register("_incoming", table)
    try:
        cols = ", ".join(f'"{c}"' for c in spec.column_names)
        casts = ", ".join(f'CAST("{c.name}" AS {c.dtype})' for c in spec.columns)
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {casts} FROM _incoming')
    finally:
        con.unregister("_incoming")


def copy_documents(old_store_path: Path, new_con: duckdb.DuckDBPyConnection) -> int:
    """Carry the document tables from the old store into a freshly built one; relink events.

    Called by the store build before it checkpoints the new file. Returns the number of
    documents carried over (0 when the old store is missing or has none).
    """
    ensure_tables(new_con)
    old = Path(old_store_path)
    if not old.is_file():
        return 0
    try:
        # the same configuration as the store's readers, so a reader open in this process
        # shares the database instance instead of conflicting with it
        src = duckdb.connect(str(old), read_only=True, config=dict(LOCKDOWN))
    except duckdb.Error as exc:
        raise StoreError(f"Cannot read the documents of the previous store {old} ({exc}); "
                         "a rebuild would lose them. Move the file aside to rebuild without "
                         "documents, or fix it.") from None
    try:
        present = {r[0] for r in src.execute("SELECT table_name FROM information_schema.tables"
                                             " WHERE table_schema = 'main'").fetchall()}
        for name, spec in TABLES.items():
            if name == "event_links" or name not in present:
                continue
            have = {r[0] for r in src.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [name]).fetchall()}
            older = ADDED_LATER.get(name, {})
            cols = ", ".join(f'"{c}"' if c in have else f'{older.get(c, "NULL")} AS "{c}"'
                             for c in spec.column_names)
            rel = src.execute(f'SELECT {cols} FROM "{name}"')
            names = [d[0] for d in rel.description or []]
            _insert(new_con, name, [dict(zip(names, r, strict=True)) for r in rel.fetchall()])
    finally:
        src.close()
    relink(new_con)
    row = new_con.execute("SELECT count(*) FROM documents").fetchone()
    return int(row[0]) if row else 0


def relink(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute event_links against the events table now in ``con``."""
    con.execute("DELETE FROM event_links")
    events = link.load_events(con)
    rows = []
    for doc_id, text, published, language, by, event_type in con.execute(
            "SELECT doc_id, text, published, language, event_type_by, event_type "
            "FROM documents").fetchall():
        x = extract(dedup.unique_text(text), published, language)
        if by == "reader":  # the reader's type stands; the rules' is read afresh
            x = replace(x, event_type=event_type)
        rows += [_link_row(doc_id, lk) for lk in link.link(x, events)]
    _insert(con, "event_links", rows)
