"""The read side every interface uses: plain data with its provenance.

Each function takes a `Store` and returns an `Answer`: rows as plain dicts, the rows of the
`sources` table for the sources actually used, the unit of the values and notes on method.
Missing data stay missing: a year without a value has no row (or a null), never a zero.
All SQL here is written by Kakehashi; user input only ever reaches it as bound parameters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kakehashi.analytics import periods
from kakehashi.analytics.periods import Period
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store.reader import Store

COMPARATORS = ("JPN", "CHN", "USA")
PROVENANCE_FIELDS = ("source_id", "title", "publisher", "version", "license", "license_url",
                     "citation", "retrieved")
DEFAULT_THEN = "2000-2004"
DEFAULT_NOW = "2016-2020"
EXAMPLE_PERIODS = {"then": DEFAULT_THEN, "now": DEFAULT_NOW, "years": "2015-2019",
                   "compare": DEFAULT_THEN}
GDP_GROWTH = "NY.GDP.MKTP.KD.ZG"
_ISO3 = re.compile(r"^[A-Za-z]{3}$")

Row = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """Rows, where they come from, and how to read them."""

    data: list[Row]
    provenance: list[Row]
    unit: str
    notes: str = ""

    @property
    def columns(self) -> list[str]:
        """Column names, also when there are no rows (for CSV headers)."""
        if self.data:  # every key of every row, in order of appearance (rows may differ)
            seen: dict[str, None] = {}
            for row in self.data:
                seen.update(dict.fromkeys(row))
            return list(seen)
        return list(getattr(self.data, "columns", []))

    def as_dict(self) -> dict[str, Any]:
        return {"data": self.data, "unit": self.unit, "provenance": self.provenance,
                "notes": self.notes}


# -- helpers ----------------------------------------------------------------------------------

class Rows(list[Row]):
    """Rows that remember their column names even when empty."""

    def __init__(self, rows: list[Row], columns: Sequence[str]) -> None:
        super().__init__(rows)
        self.columns = list(columns)


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> Rows:
    result = store.query(sql, params)
    return Rows([{k: _plain(v) for k, v in r.items()} for r in result.records()],
                result.columns)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def provenance(store: Store, source_ids: Sequence[str]) -> list[Row]:
    """The `sources` rows (citation fields) for the given ids, in the order given."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        return []
    cols = ", ".join(PROVENANCE_FIELDS)
    rows = _rows(store, f"SELECT {cols} FROM sources WHERE list_contains(?, source_id)", [ids])
    by_id = {r["source_id"]: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _answer(store: Store, data: list[Row], source_ids: Sequence[str], unit: str,
            notes: str = "") -> Answer:
    return Answer(data, provenance(store, source_ids), unit, notes)


def _name(store: Store, iso3: str) -> str:
    rows = store.query("SELECT name_en FROM countries WHERE iso3 = ?", [iso3]).rows
    return str(rows[0][0]) if rows else iso3


def normalise_iso3(store: Store, iso3: str) -> str:
    """Upper-cased LAC33 code, or NotFound that lists the codes that exist."""
    code = iso3.strip().upper()
    if _ISO3.match(code):
        found = store.query("SELECT iso3 FROM countries WHERE iso3 = ? AND is_lac33",
                            [code]).rows
        if found:
            return code
    codes = [r[0] for r in store.query(
        "SELECT iso3 FROM countries WHERE is_lac33 ORDER BY iso3").rows]
    shown = iso3 if len(iso3) <= 20 else iso3[:20] + "…"
    raise NotFound(f"No LAC33 country with code {shown!r}. Use one of the 33 ISO3 codes: "
                   + ", ".join(codes) + ".")


def parse_period(text: str, name: str) -> Period:
    """A year ('2019') or an inclusive range ('2000-2004') for the parameter ``name``.

    The one period parser is `kakehashi.analytics.periods.parse_period`; this only names the
    parameter in its message (InvalidRequest)."""
    try:
        return periods.parse_period(text)
    except InvalidRequest as exc:
        example = EXAMPLE_PERIODS.get(name, DEFAULT_THEN)
        raise InvalidRequest(f"{name}={text!r}: {exc} Example: {name}={example}.") from None


# -- countries --------------------------------------------------------------------------------

def lac_countries(store: Store) -> Answer:
    data = _rows(store, """
        SELECT iso3, iso2, name_en, name_es, name_pt, name_ja, lac_subregion, capital
        FROM countries WHERE is_lac33 ORDER BY lac_subregion, name_en""")
    return _answer(store, data, ["country_codes", "cldr"], "",
                   "The 33 sovereign CELAC/ECLAC members (LAC33), grouped by M49 intermediate "
                   "region (Mexico is in Central America).")


def country(store: Store, iso3: str) -> Row:
    """One LAC33 country's names and region; NotFound for anything else."""
    code = normalise_iso3(store, iso3)
    return _rows(store, """
        SELECT iso3, iso2, m49, name_en, name_es, name_pt, name_ja, lac_subregion, capital
        FROM countries WHERE iso3 = ?""", [code])[0]


# -- region -----------------------------------------------------------------------------------

_REGION_TRADE_SQL = """
    SELECT t.year, t.reporter_iso3, r.name_en AS reporter,
           sum(t.value_usd) FILTER (WHERE t.flow = 'export') AS exports_usd,
           sum(t.value_usd) FILTER (WHERE t.flow = 'import') AS imports_usd,
           count(DISTINCT t.partner_iso3) FILTER (WHERE t.flow = 'export') AS export_partners,
           count(DISTINCT t.partner_iso3) FILTER (WHERE t.flow = 'import') AS import_partners
    FROM trade_flows t
    JOIN countries p ON p.iso3 = t.partner_iso3 AND p.is_lac33
    JOIN countries r ON r.iso3 = t.reporter_iso3
    WHERE t.source_id = 'imf_dots' AND t.month IS NULL AND list_contains(?, t.reporter_iso3)
    GROUP BY ALL
"""


def region_trade(store: Store) -> Answer:
    """Japan's, China's and the USA's goods trade with the LAC33, by year, as they report it."""
    data = _rows(store, f"""
        SELECT year, reporter_iso3, reporter, exports_usd, imports_usd,
               exports_usd + imports_usd AS total_usd, export_partners, import_partners
        FROM ({_REGION_TRADE_SQL}) ORDER BY year, reporter_iso3""", [list(COMPARATORS)])
    return _answer(store, data, ["imf_dots"], "USD (current)",
                   "Sum over the 33 LAC33 partners of the flows each comparator reports to the "
                   "IMF (exports FOB, imports CIF). export_partners/import_partners count the "
                   "partners with a value; a partner without one is left out, not counted as "
                   "zero. total_usd is null when either flow is missing.")


def region_oda(store: Store) -> Answer:
    """Japan's net bilateral ODA to Latin America and the Caribbean (WB aggregate LCN)."""
    data = _rows(store, """
        SELECT year, value_usd, source_id FROM official_finance
        WHERE source_id = 'wdi_japan_oda' AND recipient_iso3 = 'LCN'
          AND instrument = 'net_oda' AND measure = 'net_disbursement'
        ORDER BY year""")
    return _answer(store, data, ["wdi_japan_oda"], "USD (current)",
                   "Net disbursements (gross minus loan repayments) of Japan's bilateral ODA to "
                   "the World Bank aggregate Latin America & Caribbean (LCN). Negative values "
                   "mean repayments exceeded new disbursements. Years absent from the source "
                   "have no row.")


def latest_trade_year(store: Store) -> int:
    row = store.query("SELECT max(year) FROM trade_flows WHERE source_id = 'imf_dots' "
                      "AND reporter_iso3 = 'JPN' AND month IS NULL").rows[0]
    return int(row[0])


def top_partners(store: Store, year: int | None = None) -> Answer:
    """Japan's reported goods trade with each LAC33 country in a year, ranked by total."""
    first, last = store.query(
        "SELECT min(year), max(year) FROM trade_flows WHERE source_id = 'imf_dots' "
        "AND reporter_iso3 = 'JPN' AND month IS NULL").rows[0]
    year = last if year is None else year
    if not first <= year <= last:
        raise InvalidRequest(f"year={year}: Japan's IMF DOTS data cover {first}-{last}; "
                             "choose a year in that range.")
    data = _rows(store, """
        WITH t AS (
            SELECT t.partner_iso3 AS iso3, c.name_en AS name,
                   sum(value_usd) FILTER (WHERE flow = 'export') AS exports_usd,
                   sum(value_usd) FILTER (WHERE flow = 'import') AS imports_usd
            FROM trade_flows t JOIN countries c ON c.iso3 = t.partner_iso3 AND c.is_lac33
            WHERE t.source_id = 'imf_dots' AND t.reporter_iso3 = 'JPN' AND t.month IS NULL
              AND t.year = ?
            GROUP BY ALL)
        SELECT CAST(? AS INTEGER) AS year, iso3, name, exports_usd, imports_usd,
               exports_usd + imports_usd AS total_usd
        FROM t ORDER BY total_usd DESC NULLS LAST, iso3""", [year, year])
    rank = 0
    for row in data:
        if row["total_usd"] is not None:
            rank += 1
            row["rank"] = rank
        else:
            row["rank"] = None
    return _answer(store, data, ["imf_dots"], "USD (current)",
                   f"Japan's reported exports (FOB) to and imports (CIF) from each LAC33 "
                   f"country in {year}. total_usd and rank are null when a flow is missing; "
                   "countries with no value at all have no row.")


# -- one country ------------------------------------------------------------------------------

def country_trade(store: Store, iso3: str) -> Answer:
    """Japan's reported exports to, imports from and balance with the country, by year."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT year,
               any_value(value_usd) FILTER (WHERE flow = 'export') AS exports_usd,
               any_value(value_usd) FILTER (WHERE flow = 'import') AS imports_usd,
               any_value(value_usd) FILTER (WHERE flow = 'export')
                 - any_value(value_usd) FILTER (WHERE flow = 'import') AS balance_usd,
               any_value(value_basis) FILTER (WHERE flow = 'export') AS exports_basis,
               any_value(value_basis) FILTER (WHERE flow = 'import') AS imports_basis
        FROM trade_flows
        WHERE source_id = 'imf_dots' AND reporter_iso3 = 'JPN' AND partner_iso3 = ?
          AND month IS NULL
        GROUP BY year ORDER BY year""", [code])
    return _answer(store, data, ["imf_dots"], "USD (current)",
                   "As reported by Japan to the IMF: exports FOB, imports CIF; balance = "
                   "exports - imports (null when either is missing). *_basis: reported, or "
                   "estimated by the IMF.")


def country_comparators(store: Store, iso3: str) -> Answer:
    """Japan's, China's and the USA's reported goods trade with the country, by year."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT t.year, t.reporter_iso3, r.name_en AS reporter,
               sum(value_usd) FILTER (WHERE flow = 'export') AS exports_usd,
               sum(value_usd) FILTER (WHERE flow = 'import') AS imports_usd,
               sum(value_usd) FILTER (WHERE flow = 'export')
                 + sum(value_usd) FILTER (WHERE flow = 'import') AS total_usd
        FROM trade_flows t JOIN countries r ON r.iso3 = t.reporter_iso3
        WHERE t.source_id = 'imf_dots' AND t.partner_iso3 = ? AND t.month IS NULL
          AND list_contains(?, t.reporter_iso3)
        GROUP BY t.year, t.reporter_iso3, r.name_en
        ORDER BY t.year, list_position(?, t.reporter_iso3)""",
        [code, list(COMPARATORS), list(COMPARATORS)])
    return _answer(store, data, ["imf_dots"], "USD (current)",
                   "Each comparator's own report to the IMF of its exports (FOB) to and imports "
                   "(CIF) from the country; total_usd is null when either flow is missing.")


def country_finance(store: Store, iso3: str) -> Answer:
    """Japan's net ODA (WDI) and Japan's official grants and loans (ONE/IDS), by year."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT year, source_id, instrument, measure, value_usd, prices
        FROM official_finance
        WHERE recipient_iso3 = ? AND creditor_iso3 = 'JPN' AND creditor_type = 'bilateral'
          AND source_id IN ('wdi_japan_oda', 'one_net_flows')
        ORDER BY source_id DESC, year, instrument, measure""", [code])
    return _answer(store, data, ["wdi_japan_oda", "one_net_flows"], "USD (current)",
                   "net_oda/net_disbursement (WDI, OECD DAC2a): Japan's net bilateral ODA, "
                   "gross disbursements minus repayments (negative = net repayments). The other "
                   "rows (ONE Campaign net flows, World Bank IDS and OECD DAC): Japan's official "
                   "(bilateral) grants and loan disbursements received (inflow, positive) and "
                   "debt service paid (debt_service, negative). ONE covers only the 23 LAC "
                   "countries that report to the IDS, 2000-2022. Years absent from a source have "
                   "no row.")


def country_fdi(store: Store, iso3: str) -> Answer:
    """Net FDI inflows from Japan into the country (UNCTAD), by year."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT year, value_usd, raw_value, data_basis, source_id
        FROM fdi_flows WHERE host_iso3 = ? AND origin_iso3 = 'JPN'
        ORDER BY year""", [code])
    return _answer(store, data, ["unctad_fdi"], "USD (current)",
                   "Net FDI inflows from Japan as reported by the host (data_basis = "
                   "host_reported) or, for small hosts, by Japan (mirror_reported_by_origin_"
                   "economy); UNCTAD 2001-2012. Negative = disinvestment; value_usd is null "
                   "where UNCTAD shows '..' (not available).")


def country_growth(store: Store, iso3: str) -> Answer:
    """Real GDP growth of the country and of Japan, by year (WDI)."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT m.year, m.country_iso3, c.name_en AS country, m.value AS gdp_growth_pct,
               m.source_id
        FROM macro_indicators m JOIN countries c ON c.iso3 = m.country_iso3
        WHERE m.indicator_code = ? AND m.country_iso3 IN (?, 'JPN')
        ORDER BY m.year, m.country_iso3 = 'JPN'""", [GDP_GROWTH, code])
    return _answer(store, data, ["wdi"], "% (annual real GDP growth)",
                   f"World Bank WDI {GDP_GROWTH}, GDP growth (annual %), constant prices. The "
                   "latest years are provisional.")


def un_agreement(store: Store, iso3: str) -> Answer:
    """Share of UNGA roll calls on which the country and Japan (and USA, China) voted alike."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, """
        SELECT r.year, o.country_iso3 AS with_iso3, c.name_en AS with_country,
               count(*) AS roll_calls_both_voted,
               count(*) FILTER (WHERE o.vote = v.vote) AS same_vote,
               count(*) FILTER (WHERE o.vote = v.vote) / count(*) AS agreement
        FROM un_votes v
        JOIN un_votes o ON o.rcid = v.rcid AND list_contains(?, o.country_iso3)
        JOIN un_roll_calls r ON r.rcid = v.rcid
        JOIN countries c ON c.iso3 = o.country_iso3
        WHERE v.country_iso3 = ?
        GROUP BY r.year, o.country_iso3, c.name_en
        ORDER BY r.year, list_position(?, o.country_iso3)""",
        [list(COMPARATORS), code, list(COMPARATORS)])
    return _answer(store, data, ["un_votes"], "share (0-1) of roll calls",
                   "agreement = same_vote / roll_calls_both_voted: among the UNGA roll calls on "
                   "which both countries voted (yes, no or abstain; absences are not votes), "
                   "the share where they cast the same vote. Pool years by summing the counts. "
                   "China (CHN) is the People's Republic, which holds the seat from 1971. "
                   "2020 has only January votes.")


def country_events(store: Store, iso3: str) -> Answer:
    """Curated Japan-LAC events that concern the country, oldest first."""
    code = normalise_iso3(store, iso3)
    data = _rows(store, f"""
        SELECT {EVENT_COLUMNS}
        FROM events e JOIN event_countries ec ON ec.event_id = e.event_id
        WHERE ec.country_iso3 = ?
        ORDER BY e.date_start, e.event_id""", [code])
    return _answer(store, data, ["events"], "", EVENTS_NOTE)


EVENT_COLUMNS = """e.event_id, e.date_text, e.date_precision, e.end_date_text, e.date_start,
    e.date_end, e.year, e.event_type, e.japanese_actor, e.title, e.description, e.lac_countries,
    e.region_wide, e.source_urls, e.confidence"""
EVENTS_NOTE = ("Curated by the Kakehashi project from public web pages (source_urls). date_text "
               "keeps the precision the sources support (date_precision); date_start/date_end "
               "give the period it can mean. confidence = unverified marks rows whose key facts "
               "were not read in a cited source.")


def event_types(store: Store) -> list[str]:
    return [str(r[0]) for r in store.query(
        "SELECT DISTINCT event_type FROM events ORDER BY 1").rows]


def events(store: Store, event_type: str | None = None, country: str | None = None,
           first: int | None = None, last: int | None = None) -> Answer:
    """Curated Japan-LAC events, oldest first, optionally of one type, concerning one LAC33
    country, or within years [first, last]."""
    types = event_types(store)
    if event_type and event_type not in types:
        raise InvalidRequest(f"type={event_type!r} is not an event type; use one of: "
                             + ", ".join(types) + ".")
    code = normalise_iso3(store, country) if country else None
    if first is not None and last is not None and first > last:
        raise InvalidRequest(f"from={first} is after to={last}; swap them.")
    data = _rows(store, f"""
        SELECT {EVENT_COLUMNS}
        FROM events e
        WHERE (CAST(? AS VARCHAR) IS NULL OR e.event_type = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR e.event_id IN (
               SELECT event_id FROM event_countries WHERE country_iso3 = ?))
          AND (CAST(? AS INTEGER) IS NULL OR e.year >= ?)
          AND (CAST(? AS INTEGER) IS NULL OR e.year <= ?)
        ORDER BY e.date_start, e.event_id""",
        [event_type or None, event_type or None, code, code, first, first, last, last])
    return _answer(store, data, ["events"], "", EVENTS_NOTE)


def event(store: Store, event_id: str) -> Row:
    """One curated event, or NotFound."""
    rows = _rows(store, f"SELECT {EVENT_COLUMNS}, e.notes FROM events e WHERE e.event_id = ?",
                 [event_id])
    if not rows:
        shown = event_id if len(event_id) <= 60 else event_id[:60] + "…"
        raise NotFound(f"No event {shown!r}. The events are listed at /events and "
                       "/api/events.")
    return rows[0]


def deflator_years(store: Store) -> tuple[int, int] | None:
    """First and last year of the US GDP deflator used for constant prices."""
    row = store.query(f"SELECT min(year), max(year) FROM macro_indicators WHERE "
                      f"indicator_code = '{periods.DEFLATOR_INDICATOR}' AND country_iso3 = "
                      f"'{periods.DEFLATOR_COUNTRY}'").rows[0]
    return None if row[0] is None else (int(row[0]), int(row[1]))


# -- documents --------------------------------------------------------------------------------

DOCUMENT_LANGUAGES = ("en", "es", "pt", "ja")
DOCUMENTS_NOTE = (
    "Documents added with `kakehashi ingest`, ranked as `kakehashi search` ranks them: BM25 "
    "keywords, the countries and themes the query names (in any of en/es/pt/ja) matched "
    "against those extracted from each document, and WordLlama embeddings, fused by reciprocal "
    "rank (score = 1000 x sum of 1/(60 + rank)). Without a query: the documents the filters "
    "keep, newest first. Near duplicates are shown once. The event type is the rules' "
    "(event_type_by = rules), or the event reader's for Spanish and Portuguese documents "
    "ingested with --reader (event_type_by = reader; event_confident false: a reading worth a "
    "person's check, see docs/text.md). Each document's provenance is its origin, retrieval "
    "time and sha256; the licence is the publisher's.")


def documents_count(store: Store) -> int:
    """How many documents were ingested (0 when the table is missing or empty)."""
    if not store.query("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                       "'documents'").rows[0][0]:
        return 0
    return int(store.query("SELECT count(*) FROM documents").rows[0][0])


def search_documents(store: Store, query: str = "", *, country: str | None = None,
                     theme: str | None = None, language: str | None = None,
                     since: dt.date | None = None, until: dt.date | None = None,
                     limit: int = 20, semantic: bool = True, event_type: str | None = None,
                     unsure: bool = False) -> Answer:
    """Ingested documents that match a query and filters, best first, each with its origin.

    The ranking is `kakehashi.text.search.search`, the one the CLI uses."""
    from kakehashi.text import gazetteer, search

    code = normalise_iso3(store, country) if country else None
    if theme and theme not in gazetteer.THEMES:
        raise InvalidRequest(f"theme={theme!r} is not a theme; use one of: "
                             + ", ".join(gazetteer.THEMES) + ".")
    if event_type and event_type not in gazetteer.EVENT_TYPES:
        raise InvalidRequest(f"event_type={event_type!r} is not an event type; use one of: "
                             + ", ".join(gazetteer.EVENT_TYPES) + ".")
    if language and language not in DOCUMENT_LANGUAGES:
        raise InvalidRequest(f"language={language!r}: use one of "
                             + ", ".join(DOCUMENT_LANGUAGES) + ".")
    if since and until and since > until:
        raise InvalidRequest(f"since={since} is after until={until}; swap them.")
    if not 1 <= limit <= 200:
        raise InvalidRequest(f"limit={limit}: give a number from 1 to 200.")
    if not documents_count(store):
        return Answer(Rows([], DOCUMENT_COLUMNS), [], "",
                      "No documents yet: run `kakehashi ingest PATH|URL ...` to add pages, "
                      "feeds, PDFs or text files. " + DOCUMENTS_NOTE)
    rows = search.load_rows(store)
    filters: dict[str, Any] = {"country": code, "theme": theme or None,
                               "language": language or None, "since": since, "until": until,
                               "event_type": event_type or None, "unsure": unsure}
    hits = (search.search(rows, query, limit=limit, semantic=semantic, **filters)
            if query.strip() else search.browse(rows, limit=limit, **filters))
    by_id = {r["doc_id"]: r for r in rows}
    meta = {r["doc_id"]: r for r in _rows(store, """
        SELECT doc_id, origin, url, retrieved_at, sha256, event_type FROM documents
        WHERE list_contains(?, doc_id)""", [[h.doc_id for h in hits]])}
    terms = search.tokens(query)
    data = []
    for h in hits:
        r, m = by_id[h.doc_id], meta[h.doc_id]
        link = m["url"] or m["origin"] or ""
        data.append({
            "doc_id": h.doc_id, "title": h.title, "language": h.language,
            "published": h.published.isoformat() if h.published else None,
            "countries": list(r["countries"] or []), "themes": list(r["themes"] or []),
            "event_type": m["event_type"], "event_type_by": r["event_type_by"],
            "event_confident": r["event_confident"],
            "score": h.score if query.strip() else None, "keyword_rank": h.keyword_rank,
            "entity_rank": h.entity_rank, "semantic_rank": h.semantic_rank,
            "snippet": h.snippet, "highlights": [list(x) for x in
                                                 search.highlights(h.snippet, terms)],
            "link": link if str(link).startswith(("http://", "https://")) else None,
            "origin": m["origin"], "retrieved_at": m["retrieved_at"], "sha256": m["sha256"]})
    return Answer(Rows(data, DOCUMENT_COLUMNS), [_document_source(d) for d in data], "",
                  DOCUMENTS_NOTE)


DOCUMENT_COLUMNS = ("doc_id", "title", "language", "published", "countries", "themes",
                    "event_type", "event_type_by", "event_confident", "score", "keyword_rank",
                    "entity_rank", "semantic_rank", "snippet", "highlights", "link", "origin",
                    "retrieved_at", "sha256")


def _document_source(d: Row) -> Row:
    retrieved = str(d["retrieved_at"] or "")[:10] or None
    title = d["title"] or d["doc_id"]
    return {"source_id": f"document:{d['doc_id']}", "title": title,
            "publisher": _host(d["link"]), "version": f"sha256:{d['sha256']}",
            "license": "the publisher's (see the origin)", "license_url": None,
            "citation": f"{title}. {d['origin']}" + (f" (retrieved {retrieved})."
                                                     if retrieved else "."),
            "retrieved": retrieved}


def _host(link: str | None) -> str | None:
    if not link:
        return None
    from urllib.parse import urlsplit

    return urlsplit(link).hostname


# -- meta -------------------------------------------------------------------------------------

def sources(store: Store) -> Answer:
    """Every source, with its files and the rows it contributes to each table."""
    rows = _rows(store, "SELECT * FROM sources ORDER BY source_id")
    files = _rows(store, "SELECT source_id, path, sha256, size_bytes, description "
                         "FROM source_files ORDER BY path")
    tables = _rows(store, "SELECT table_name, source_ids, row_count FROM table_catalog "
                          "ORDER BY table_name")
    with_column = {r["table_name"] for r in _rows(
        store, "SELECT table_name FROM column_catalog WHERE column_name = 'source_id'")}
    counts: dict[str, list[Row]] = {}
    for t in tables:
        name = t["table_name"]
        if name in with_column:
            # Table names come from the store's own catalog, never from a request.
            for sid, n in store.query(f'SELECT source_id, count(*) FROM "{name}" '
                                      "GROUP BY source_id").rows:
                counts.setdefault(sid, []).append(
                    {"table": name, "rows": int(n), "shared": False})
        else:
            for sid in t["source_ids"] or []:
                counts.setdefault(sid, []).append(
                    {"table": name, "rows": int(t["row_count"]), "shared": True})
    for r in rows:
        sid = r["source_id"]
        r["files"] = [f for f in files if f["source_id"] == sid]
        r["tables"] = sorted(counts.get(sid, []), key=lambda x: str(x["table"]))
        r["rows"] = sum(int(x["rows"]) for x in r["tables"] if not x["shared"])
    return Answer(rows, [], "",
                  "rows: rows in the store's tables that carry this source's id. Tables marked "
                  "shared (no source_id column, e.g. countries) are built from several sources "
                  "together; their full row count is listed under each. Licences differ: "
                  "check each source's before reuse.")


def build_info(store: Store) -> dict[str, str]:
    return {str(k): str(v) for k, v in store.query("SELECT key, value FROM build_info").rows}
