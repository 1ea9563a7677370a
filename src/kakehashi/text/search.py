"""Search the stored documents: keywords (BM25), entities and embeddings, ranked together.

Three rankings are fused by reciprocal rank (k = 60; the semantic one at a tenth of the weight):
* keywords: BM25 over words (Latin script, accents folded) and character bigrams (Japanese),
  the query's terms plus their translations through the extractor's lexicons (the aliases
  of a country it names, the cue words of an event type it names: ``translated_terms``);
* entities: countries, themes and event types named in the query in any of the four
  languages ("Perú", "ペルー", "Peru" all mean PER; "訪問", "visita" a visit) matched against
  what was extracted from each document, so a query finds documents in the other languages;
* semantic: cosine similarity of WordLlama embeddings, when they were computed at ingest.
Filters (country, theme, language, dates) apply before ranking.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from kakehashi.text import gazetteer as gz
from kakehashi.text.gazetteer import strip_accents
from kakehashi.text.schema import ADDED_LATER

RRF_K = 60
# keywords, entities, semantic: WordLlama is English-centred, so a text in another language
# than the query's scores low whatever it says, and the semantic layer pushes the query's own
# language ahead. bench/text_search_quality.py, mean P@5 on the 59 shipped texts and P@10 on
# 458 labelled texts: without it 0.73 and 0.77; at weight 0.5 0.64 and 0.70; at 0.1 0.72 and
# 0.78. At 0.1 it only orders documents the other two layers rank alike.
WEIGHTS = (1.0, 1.0, 0.1)
_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
_WORD = re.compile(r"[^\W_]+")  # a word in any script (before folding accents)
_STOP = set(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "on",
        "for",
        "de",
        "la",
        "el",
        "los",
        "las",
        "del",
        "que",
        "y",
        "en",
        "o",
        "os",
        "as",
        "do",
        "da",
        "dos",
        "das",
        "e",
        "em",
        "um",
        "uma",
        "no",
        "na",
        "por",
        "com",
        "para",
    ]
)


def tokens(text: str) -> list[str]:
    low = strip_accents(text.lower())
    out = [w for w in _LATIN.findall(low) if w not in _STOP and len(w) > 1]
    for run in _CJK.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    return out


@dataclass(frozen=True)
class Hit:
    doc_id: str
    title: str
    language: str
    published: date | None
    score: float
    keyword_rank: int | None
    entity_rank: int | None
    semantic_rank: int | None
    snippet: str


def _bm25(query: list[str], docs: list[list[str]], k1: float = 1.5, b: float = 0.75) -> list[float]:
    n = len(docs)
    avg = sum(len(d) for d in docs) / n if n else 0.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    scores = []
    for d in docs:
        tf = Counter(d)
        s = 0.0
        for q in set(query):
            if q in tf:
                idf = math.log(1 + (n - df[q] + 0.5) / (df[q] + 0.5))
                s += idf * tf[q] * (k1 + 1) / (tf[q] + k1 * (1 - b + b * len(d) / (avg or 1)))
        scores.append(s)
    return scores


def query_entities(query: str) -> tuple[set[str], set[str]]:
    countries = {k for k, *_ in gz.countries().finditer(query) if k}
    countries |= {k for k, *_ in gz.countries().finditer(query.title()) if k}
    themes = {t for t, c in gz.themes().items() if c.pattern.search(query.lower())}
    return countries, themes


def translated_terms(query: str) -> list[str]:
    """Keyword terms for the query in the other languages, through the extractor's lexicons:
    every alias of a country it names ("ペルー" adds Peru, Perú, Peruvian, peruano, Lima...)
    and the cue words of an event type it names ("訪問" adds visit, trip, viaje, gira, tour,
    viagem...). Added to the keyword query, they let a query match texts in the other three
    languages by their words, not only by what was extracted from them."""
    countries, _themes = query_entities(query)
    events = query_event_types(query)
    words: list[str] = []
    for iso3 in sorted(countries):
        words += gz.aliases(iso3)
    for event_type, _weight, cue in gz.event_cues():
        if event_type in events and cue.needles:
            words += cue.needles
    own = set(tokens(query))
    return [t for t in dict.fromkeys(tokens(" ".join(words))) if t not in own]


def query_event_types(query: str) -> set[str]:
    """Event types the query names in any of the four languages, through the extractor's cue
    lexicon: "訪問", "visita", "visit" all mean visit; "会談", "reunión" a meeting."""
    lowered = query.lower()
    return {t for t, _w, c in gz.event_cues() if t != "other" and c.pattern.search(lowered)}


def _ranks(scores: list[float]) -> list[int | None]:
    """1 for the best score; equal scores share a rank (1, 2, 2, 4), so that the order in
    which documents were stored never breaks a tie."""
    order = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
    ranks: list[int | None] = [None] * len(scores)
    for r, i in enumerate(order, 1):
        prev = order[r - 2] if r > 1 else None
        ranks[i] = ranks[prev] if prev is not None and scores[prev] == scores[i] else r
    return ranks


def search(
    rows: list[dict[str, Any]],
    query: str,
    *,
    limit: int = 10,
    country: str | None = None,
    theme: str | None = None,
    language: str | None = None,
    since: date | None = None,
    until: date | None = None,
    semantic: bool = True,
    event_type: str | None = None,
    unsure: bool = False,
) -> list[Hit]:
    """Rank ``rows`` (documents joined with their vectors) for ``query``. ``unsure`` keeps
    only documents whose event type the reader chose without confidence (to check)."""
    rows = [r for r in rows
            if _keep(r, country, theme, language, since, until, event_type, unsure)]
    if not rows or not query.strip():
        return []
    q = tokens(query) + translated_terms(query)
    keyword = _bm25(q, [tokens(f"{r['title'] or ''} {r['text']}") for r in rows])
    countries, themes = query_entities(query)
    events = query_event_types(query)
    entity = [
        float(len(countries & set(r["countries"] or [])) * 2 + len(themes & set(r["themes"] or []))
              + (r.get("event_type") in events))
        for r in rows
    ]
    sem = [0.0] * len(rows)
    if semantic and any(r.get("embedding") is not None for r in rows):
        from kakehashi.text import embed

        try:
            qv = embed.embed([query])[0]
        except embed.EmbeddingsUnavailable:
            qv = None
        if qv is not None:
            sem = [
                float(np.dot(qv, np.asarray(r["embedding"], dtype=np.float32)))
                if r.get("embedding") is not None
                else 0.0
                for r in rows
            ]
    ranked = [_ranks(keyword), _ranks(entity), _ranks(sem)]
    hits = []
    for i, r in enumerate(rows):
        kr, er, sr = ranked[0][i], ranked[1][i], ranked[2][i]
        if kr is None and er is None:
            continue  # semantic similarity alone is too weak a reason to show a document
        score = sum(w / (RRF_K + x) for w, x in zip(WEIGHTS, (kr, er, sr), strict=True)
                    if x is not None)
        hits.append(
            Hit(
                r["doc_id"],
                r["title"] or "",
                r["language"],
                r["published"],
                round(score * 1000, 3),
                kr,
                er,
                sr,
                _snippet(r["text"], q),
            )
        )
    return sorted(hits, key=lambda h: (-h.score, h.doc_id))[:limit]


def _keep(
    r: dict[str, Any],
    country: str | None,
    theme: str | None,
    language: str | None,
    since: date | None,
    until: date | None,
    event_type: str | None = None,
    unsure: bool = False,
) -> bool:
    if r.get("duplicate_of"):
        return False  # near duplicates are shown once, through the earlier document
    if event_type and r.get("event_type") != event_type:
        return False
    if unsure and r.get("event_confident") is not False:
        return False
    if country and country.upper() not in (r["countries"] or []):
        return False
    if theme and theme not in (r["themes"] or []):
        return False
    if language and r["language"] != language:
        return False
    pub = r["published"]
    if since and (pub is None or pub < since):
        return False
    return not (until and (pub is None or pub > until))


def _snippet(text: str, q: list[str], width: int = 200) -> str:
    """The paragraph with most query terms, cut to ``width`` around its first term."""
    best, best_score = "", -1
    qs = set(q)
    for para in text.split("\n"):
        s = len(qs & set(tokens(para)))
        if s > best_score:
            best, best_score = para, s
    spans = highlights(best, q)
    if len(best) <= width or not spans or spans[0][1] <= width:
        return best[:width]
    start = max(0, spans[0][0] - width // 4)
    space = best.find(" ", start, spans[0][0])  # begin at a word when there is one
    start = space + 1 if space != -1 else start
    return "…" + best[start:start + width - 1]


def highlights(snippet: str, q: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``snippet`` that match the query's terms (``tokens``): Latin words
    with accents and case folded, Japanese two-character pieces."""
    terms = set(q)
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(snippet):
        if strip_accents(m.group(0).lower()) in terms:
            spans.append((m.start(), m.end()))
    for m in _CJK.finditer(snippet):
        run = m.group(0)
        for i in range(len(run) - 1):
            if run[i:i + 2] in terms:
                spans.append((m.start() + i, m.start() + i + 2))
        if len(run) == 1 and run in terms:
            spans.append((m.start(), m.end()))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def browse(
    rows: list[dict[str, Any]],
    *,
    limit: int = 10,
    country: str | None = None,
    theme: str | None = None,
    language: str | None = None,
    since: date | None = None,
    until: date | None = None,
    event_type: str | None = None,
    unsure: bool = False,
) -> list[Hit]:
    """Without a query: the documents the filters keep, newest first (no score)."""
    kept = [r for r in rows
            if _keep(r, country, theme, language, since, until, event_type, unsure)]
    kept.sort(key=lambda r: (r["published"] is not None, r["published"] or date.min,
                             r["doc_id"]), reverse=True)
    return [Hit(r["doc_id"], r["title"] or "", r["language"], r["published"], 0.0, None, None,
                None, _snippet(r["text"], [])) for r in kept[:limit]]


SQL = (
    "SELECT d.doc_id, d.title, d.language, d.published, d.text, d.countries, d.themes, "
    "d.event_type, {event_type_by} AS event_type_by, {event_confident} AS event_confident, "
    "d.duplicate_of, v.embedding FROM documents d LEFT JOIN doc_vectors v USING (doc_id)"
)


def load_rows(store: Any) -> list[dict[str, Any]]:
    """Documents with their embeddings from a ``kakehashi.store.Store``."""
    import duckdb

    from kakehashi.errors import StoreError

    have = {r[0] for r in store.query("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'documents'").rows}
    # a store from before `ingest --reader` reads the values its documents would be given
    sql = SQL.format(**{c: f"d.{c}" if c in have else old
                        for c, old in ADDED_LATER["documents"].items()})
    try:
        return store.query(sql).records()  # type: ignore[no-any-return]
    except duckdb.CatalogException as exc:  # no documents ingested yet
        raise StoreError(
            f"The store has no documents yet ({type(exc).__name__}). Add some "
            "with `kakehashi ingest PATH|URL`."
        ) from None
