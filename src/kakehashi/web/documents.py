"""Ingested documents: the country pages' section, the /documents search page and its API.

`kakehashi ingest` (kakehashi.text) adds `documents` and `mentions` tables to the store. The
country section reads them directly, after checking in information_schema that they exist; the
search page and /api/v1/documents/search go through `catalog.search_documents`, which ranks as
`kakehashi search` does."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.openapi.models import Example
from fastapi.responses import HTMLResponse, Response

from kakehashi import catalog
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest
from kakehashi.store.reader import Store
from kakehashi.text.gazetteer import EVENT_TYPES
from kakehashi.web import openapi_docs as D
from kakehashi.web.api import respond
from kakehashi.web.i18n import _, cname
from kakehashi.web.rendering import Panel, grouped, render

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


# -- the documents page and its API ----------------------------------------------------------

router = APIRouter()
api_router = APIRouter(prefix="/api/v1", responses=D.RESPONSES)


def _ex(**examples: str) -> dict[str, Example]:
    return {name: Example(summary=value, value=value) for name, value in examples.items()}


DATE = r"^\d{4}-\d{2}-\d{2}$"
Q: Any = Query(None, description="Words to look for, in any of en/es/pt/ja (at most 500 "
                                 "characters); empty: every document the filters keep.",
               openapi_examples=_ex(en="Peru visit", ja="ペルー 訪問", es="préstamo energía"))
COUNTRY: Any = Query(None, description="Only documents about this LAC33 country (ISO3).",
                     openapi_examples=_ex(peru="PER"),
                     json_schema_extra={"pattern": "^[A-Za-z]{3}$"})
THEME: Any = Query(None, description="Only documents with this theme (one of the extractor's "
                                     "15, e.g. trade, investment, oda_cooperation).",
                   openapi_examples=_ex(trade="trade", oda="oda_cooperation"))
LANGUAGE: Any = Query(None, description="Only documents in this language: en, es, pt or ja.",
                      openapi_examples=_ex(es="es", ja="ja"),
                      json_schema_extra={"enum": ["en", "es", "pt", "ja"]})
SINCE: Any = Query(None, description="Published on or after this day (YYYY-MM-DD).",
                   openapi_examples=_ex(day="2018-01-01"), json_schema_extra={"pattern": DATE})
UNTIL: Any = Query(None, description="Published on or before this day (YYYY-MM-DD).",
                   openapi_examples=_ex(day="2024-12-31"), json_schema_extra={"pattern": DATE})
EVENT_TYPE: Any = Query(None, description="Only documents of this event type (visit, meeting, "
                       "agreement_signed, agreement_in_force, financing, forum, other).",
                       openapi_examples=_ex(visit="visit"))
UNSURE: Any = Query(None, description="true: only documents whose event type the event reader "
                    "chose without confidence (`kakehashi ingest --reader`), the ones to check.",
                    openapi_examples=_ex(check="true"),
                    json_schema_extra={"enum": ["true", "false"]})
LIMIT_PARAM: Any = Query(None, description="How many documents, 1 to 200 (default 20).",
                   openapi_examples=_ex(ten="10"), json_schema_extra={"pattern": r"^\d{1,3}$"})
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "ja": "日本語"}


def theme_labels() -> dict[str, str]:
    """The 15 themes of the extractor, named in the request's language."""
    return {
        "trade": _("Trade"), "investment": _("Investment"),
        "finance_lending": _("Finance and lending"),
        "oda_cooperation": _("ODA and cooperation"), "infrastructure": _("Infrastructure"),
        "innovation_technology": _("Innovation and technology"),
        "value_chains": _("Value chains"), "energy_mining": _("Energy and mining"),
        "food_agriculture": _("Food and agriculture"), "health_covid": _("Health and Covid"),
        "diplomacy_security": _("Diplomacy and security"),
        "migration_nikkei": _("Migration and Nikkei"),
        "environment_climate": _("Environment and climate"),
        "us_japan_cooperation": _("US-Japan cooperation"),
        "china_competition": _("China competition"),
    }


def event_type_labels() -> dict[str, str]:
    """The extractor's event types, named in the request's language."""
    return {t: _(t.replace("_", " ")) for t in EVENT_TYPES}


def _day(value: str | None, name: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidRequest(f"{name}={value!r} is not a date: write YYYY-MM-DD, e.g. "
                             f"{name}=2019-01-31.") from None


def _flag(value: str | None, name: str) -> bool:
    if not value or not value.strip() or value.strip().lower() in ("false", "0", "no"):
        return False
    if value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    raise InvalidRequest(f"{name}={value!r}: give true or false.")


def _limit(value: str | None) -> int:
    if not value or not value.strip():
        return 20
    if not value.strip().isdigit():
        raise InvalidRequest(f"limit={value!r}: give a number from 1 to 200.")
    return int(value)


def search_answer(store: Store, q: str | None, country: str | None, theme: str | None,
                  language: str | None, since: str | None, until: str | None,
                  limit: str | None = None, event_type: str | None = None,
                  unsure: str | None = None) -> Answer:
    return catalog.search_documents(
        store, (q or "")[:500], country=country or None, theme=theme or None,
        language=language or None, since=_day(since, "since"), until=_day(until, "until"),
        limit=_limit(limit), event_type=event_type or None, unsure=_flag(unsure, "unsure"))


def marked(snippet: str, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """The snippet as (text, is a hit) pieces, for the template to escape and <mark>."""
    pieces, at = [], 0
    for a, b in spans:
        if a > at:
            pieces.append((snippet[at:a], False))
        pieces.append((snippet[a:b], True))
        at = b
    if at < len(snippet):
        pieces.append((snippet[at:], False))
    return pieces


@router.api_route("/documents", methods=["GET", "HEAD"], response_class=HTMLResponse,
                  include_in_schema=False)
def documents_page(request: Request, q: str | None = None, country: str | None = None,
                   theme: str | None = None, language: str | None = None,
                   since: str | None = None, until: str | None = None,
                   event_type: str | None = None, unsure: str | None = None) -> HTMLResponse:
    store: Store = request.app.state.store
    answer = search_answer(store, q, country, theme, language, since, until,
                           event_type=event_type, unsure=unsure)
    params = {"q": q or "", "country": (country or "").upper(), "theme": theme or "",
              "language": language or "", "since": since or "", "until": until or "",
              "event_type": event_type or "",
              "unsure": "true" if _flag(unsure, "unsure") else ""}
    query = urlencode({k: v for k, v in params.items() if v})
    countries = catalog.lac_countries(store).data
    names = {str(c["iso3"]): cname(c) for c in countries}
    for row in answer.data:
        row["pieces"] = marked(row["snippet"], row["highlights"])
    panel = Panel("documents", _("Documents"), answer,
                  "/api/v1/documents/search" + (f"?{query}" if query else ""), chart=False)
    return render(request, "documents.html", title=_("Documents"), panel=panel,
                  results=answer.data, total=catalog.documents_count(store), params=params,
                  countries=grouped(countries), names=names, themes=theme_labels(),
                  languages=LANGUAGE_NAMES, event_types=event_type_labels())


@api_router.get("/documents/search", tags=["documents"])
def api_documents_search(request: Request, q: str | None = Q,
                         country: str | None = COUNTRY, theme: str | None = THEME,
                         language: str | None = LANGUAGE, since: str | None = SINCE,
                         until: str | None = UNTIL, limit: str | None = LIMIT_PARAM,
                         event_type: str | None = EVENT_TYPE, unsure: str | None = UNSURE,
                         format: str = D.FORMAT) -> Response:
    """Ingested documents ranked for a query as `kakehashi search` ranks them (keywords,
    countries and themes named in any of en/es/pt/ja, embeddings), filtered by LAC33 country,
    theme, language, publication dates and event type (or only the event types the reader
    was not confident of: unsure=true); without q, the filtered documents, newest first.
    Each row has a snippet with the character spans of the hits (highlights); each document's
    origin, retrieval time and sha256 are its provenance."""
    answer = search_answer(request.app.state.store, q, country, theme, language, since, until,
                           limit, event_type, unsure)
    return respond(answer, format, "kakehashi-documents")
