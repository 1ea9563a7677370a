"""Specs of the document tables kept in the store (they survive store rebuilds)."""

from __future__ import annotations

from kakehashi.schema.spec import Column as C
from kakehashi.schema.spec import TableSpec

DOCUMENTS = TableSpec(
    name="documents",
    description="Documents ingested with `kakehashi ingest`: main text, language, provenance.",
    primary_key=("doc_id",),
    sources=("documents",),
    columns=(
        C("doc_id", "VARCHAR", "First 16 hex digits of sha256.", nullable=False),
        C("origin", "VARCHAR", "Path or URL given to ingest.", nullable=False),
        C("url", "VARCHAR", "Link of a feed entry, else the URL fetched."),
        C("retrieved_at", "VARCHAR", "When it was read (UTC, ISO 8601).", nullable=False),
        C("sha256", "VARCHAR", "sha256 of the extracted text (UTF-8).", nullable=False),
        C("kind", "VARCHAR", "html | feed-entry | pdf | text.", nullable=False),
        C("language", "VARCHAR", "en | es | pt | ja.", nullable=False),
        C("title", "VARCHAR", "Title from the page, feed or first line."),
        C("published", "DATE", "Publication date, when the source gives one."),
        C("text", "VARCHAR", "Main text, one paragraph a line.", nullable=False),
        C("chars", "INTEGER", "Length of text.", nullable=False),
        C("duplicate_of", "VARCHAR", "Earlier near-duplicate document (MinHash), if any."),
        C("similarity", "DOUBLE", "Estimated Jaccard similarity to duplicate_of."),
        C("event_type", "VARCHAR", "Extracted event type."),
        C("countries", "VARCHAR[]", "LAC33 countries mentioned (ISO3).", nullable=False),
        C("themes", "VARCHAR[]", "Themes found.", nullable=False),
        C("event_type_by", "VARCHAR", "Who chose event_type: rules, or reader (`kakehashi "
          "ingest --reader`, es and pt)."),
        C("event_confident", "BOOLEAN", "The reader's top probability reached its threshold "
          "(a reading to trust; false: worth a person's check); null for the rules."),
    ),
)

# Columns added after the first stores were written, with the value their older rows take
# (SQL) when a document is next ingested or the store is rebuilt: every older document's
# event type was the rules'.
ADDED_LATER = {"documents": {"event_type_by": "'rules'", "event_confident": "NULL"}}

PARAGRAPHS = TableSpec(
    name="paragraphs",
    description="Paragraphs of each document with character offsets; repeats point back.",
    primary_key=("doc_id", "n"),
    sources=("documents",),
    columns=(
        C("doc_id", "VARCHAR", "Document.", nullable=False),
        C("n", "INTEGER", "Paragraph number from 0.", nullable=False),
        C("char_start", "INTEGER", "Offset of the first character in text.", nullable=False),
        C("char_end", "INTEGER", "Offset after the last character.", nullable=False),
        C("text", "VARCHAR", "Paragraph text.", nullable=False),
        C("duplicate_of_paragraph", "INTEGER", "Earlier identical paragraph, if a repeat."),
    ),
)

MENTIONS = TableSpec(
    name="mentions",
    description="Everything extracted from a document, each with its evidence span.",
    sources=("documents",),
    columns=(
        C("doc_id", "VARCHAR", "Document.", nullable=False),
        C("kind", "VARCHAR", "country | bloc | actor | organisation | date | theme | event_cue.",
          nullable=False),
        C("value", "VARCHAR", "ISO3, bloc, actor, ISO date, theme or event type.",
          nullable=False),
        C("char_start", "INTEGER", "Offset of the evidence in text.", nullable=False),
        C("char_end", "INTEGER", "Offset after the evidence.", nullable=False),
        C("evidence", "VARCHAR", "The words that support it.", nullable=False),
    ),
    sort_by=("doc_id", "char_start", "kind", "value"),
)

EVENT_LINKS = TableSpec(
    name="event_links",
    description=("Documents matched to curated events, or proposed as candidate events "
                 "(candidate = true, event_id null). The curated events table stays the truth."),
    sources=("documents", "events"),
    columns=(
        C("doc_id", "VARCHAR", "Document.", nullable=False),
        C("event_id", "VARCHAR", "Curated event (see events); null for a candidate."),
        C("candidate", "BOOLEAN", "True when no curated event matches.", nullable=False),
        C("score", "DOUBLE", "Match score 0-1 (dates, countries, actor, type).",
          nullable=False),
        C("event_type", "VARCHAR", "Extracted event type."),
        C("date_start", "DATE", "Extracted first day."),
        C("date_end", "DATE", "Extracted last day."),
        C("countries", "VARCHAR[]", "Extracted countries.", nullable=False),
        C("actor", "VARCHAR", "Extracted Japanese actor."),
        C("evidence", "VARCHAR", "Why: which parts matched, and the text spans.",
          nullable=False),
    ),
    sort_by=("doc_id", "event_id"),
)

DOC_VECTORS = TableSpec(
    name="doc_vectors",
    description="Per document: MinHash signature (near duplicates) and embedding (search).",
    primary_key=("doc_id",),
    sources=("documents",),
    columns=(
        C("doc_id", "VARCHAR", "Document.", nullable=False),
        C("minhash", "UBIGINT[]", "128 MinHash values.", nullable=False),
        C("model", "VARCHAR", "Embedding model, null when embeddings were off."),
        C("embedding", "FLOAT[]", "L2-normalised embedding."),
    ),
)

TABLES = {t.name: t for t in (DOCUMENTS, PARAGRAPHS, MENTIONS, EVENT_LINKS, DOC_VECTORS)}


def create_sql(spec: TableSpec) -> str:
    cols = ", ".join(f'"{c.name}" {c.dtype}' for c in spec.columns)
    return f'CREATE TABLE IF NOT EXISTS "{spec.name}" ({cols})'
