"""Documents that mention a country, when the text pipeline has ingested some.

`kakehashi ingest` (kakehashi.text) adds `documents` and `mentions` tables to the store; this
module only reads them, after checking in information_schema that they exist (the web layer
does not import the text package)."""

from __future__ import annotations

from typing import Any

from kakehashi.store.reader import Store

LIMIT = 50


def _columns(store: Store, table: str) -> set[str]:
    rows = store.query("SELECT column_name FROM information_schema.columns "
                       "WHERE table_name = ?", [table]).rows
    return {str(r[0]) for r in rows}


def for_country(store: Store, iso3: str) -> dict[str, Any]:
    """{"ingested": whether the tables exist, "rows": the documents that mention the country
    (title, date, language, origin link), newest first}."""
    docs = _columns(store, "documents")
    if not {"doc_id", "title"} <= docs or not store.query(
            "SELECT count(*) FROM documents").rows[0][0]:
        return {"ingested": False, "rows": []}  # no table, or the build's empty one
    mentions = _columns(store, "mentions")
    conditions = []
    if {"doc_id", "kind", "value"} <= mentions:
        conditions.append("d.doc_id IN (SELECT doc_id FROM mentions WHERE kind = 'country' "
                          "AND upper(value) = ?)")
    if "countries" in docs:
        conditions.append("list_contains(d.countries, ?)")
    if not conditions:
        return {"ingested": True, "rows": []}
    pick = {c: (f"d.{c}" if c in docs else f"NULL AS {c}")
            for c in ("published", "language", "url", "origin")}
    sql = (f"SELECT d.doc_id, d.title, {pick['published']}, {pick['language']}, "
           f"{pick['url']}, {pick['origin']} FROM documents d WHERE "
           + " OR ".join(conditions)
           + f" ORDER BY 3 DESC NULLS LAST, 2 LIMIT {LIMIT}")
    result = store.query(sql, [iso3] * len(conditions))
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    for r in rows:
        link = r.get("url") or r.get("origin") or ""
        r["link"] = link if str(link).startswith(("http://", "https://")) else ""
        r["published"] = str(r["published"]) if r.get("published") is not None else ""
    return {"ingested": True, "rows": rows}
