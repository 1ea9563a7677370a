"""Click commands `ingest`, `extract` and `search` (registered on the main group by cli.py)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import click

from kakehashi.terminal import friendly, store_option
from kakehashi.text.gazetteer import EVENT_TYPES


@click.command()
@click.argument("targets", nargs=-1, required=True)
@store_option
@click.option("--published", default=None, help="Date (YYYY-MM-DD) for documents without one; "
              "used to resolve dates that have no year.")
@click.option("--embeddings/--no-embeddings", default=True, show_default=True,
              help="Compute WordLlama embeddings for semantic search.")
@click.option("--reader", is_flag=True, default=False,
              help="Let the event reader decide the event type of Spanish and Portuguese "
              "documents, each marked confident or not (needs `pip install "
              "'kakehashi[reader]'`; about 1 document a second).")
@friendly
def ingest(targets: tuple[str, ...], store: Path | None, published: str | None,
           embeddings: bool, reader: bool) -> None:
    """Add HTML pages, RSS/Atom feeds, PDFs or text files (paths or URLs) to the store."""
    from kakehashi.config import store_path
    from kakehashi.errors import InvalidRequest
    from kakehashi.terminal import err, step_progress
    from kakehashi.text import event_reader
    from kakehashi.text.docstore import ingest_into_store
    from kakehashi.text.ingest import read_event_types, read_targets

    if reader:
        try:
            event_reader.require()  # before any fetching: say what to install at once
        except event_reader.ReaderUnavailable as exc:
            raise InvalidRequest(str(exc)) from None
    batch = read_targets(targets, published=published, embeddings=embeddings)
    for problem in batch.problems:
        err.print(f"[yellow]skipped:[/] {problem}", highlight=False)
    target = store or store_path()
    if reader:
        from kakehashi.text.docstore import stored_sha256

        known = stored_sha256(target)  # already stored: re-ingesting changes nothing
        new = [d for d in batch.documents if d.sha256 not in known]
        with step_progress("event reader", len(new)) as step:
            read = read_event_types(new, step)
        unsure = sum(d.event_confident is False for d in new)
        err.print(f"event reader: {read} of {len(new)} new document(s) read (es/pt), "
                  f"{unsure} of them not confident.", highlight=False)
    report = ingest_into_store(target, batch.documents)
    docs = {d.doc_id: d for d in batch.documents}
    for doc_id in report.added:
        dup = report.duplicates.get(doc_id)
        links = ", ".join(report.links.get(doc_id, [])) or "no event"
        doc = docs[doc_id]
        kind = doc.extraction.event_type or "none"
        if doc.event_type_by == "reader":
            kind += " (reader" + ("" if doc.event_confident else ", not confident") + ")"
        click.echo(f"added {doc_id}" + (f" (near duplicate of {dup})" if dup else "")
                   + f"; type: {kind}; events: {links}")
    err.print(f"{len(report.added)} added, {len(report.skipped)} already stored, "
              f"{len(batch.problems)} problem(s); store {target}.", highlight=False)
    if batch.problems and not report.added and not report.skipped:
        sys.exit(1)


@click.command()
@click.argument("file", default="-", type=click.File("r", encoding="utf-8"))
@click.option("--published", default=None, help="Document date (YYYY-MM-DD) to resolve years.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json",
              show_default=True)
@click.option("--evidence/--no-evidence", default=False, help="Include evidence spans.")
@click.option("--reader", is_flag=True, default=False,
              help="Decide the event type with the event reader (rules + a multilingual "
              "encoder; needs `pip install 'kakehashi[reader]'`; 1 to 4 texts a second).")
@friendly
def extract(file: TextIO, published: str | None, fmt: str,
            evidence: bool, reader: bool) -> None:
    """Extract countries, blocs, actors, dates, event type and themes from one text."""
    from kakehashi.errors import InvalidRequest
    from kakehashi.text.dedup import unique_text
    from kakehashi.text.extract import extract as run

    text = file.read()
    if not text.strip():
        raise InvalidRequest("The text is empty. Give a file or pipe text on stdin.")
    try:
        when = date.fromisoformat(published) if published else None
    except ValueError:
        raise InvalidRequest(f"--published {published!r} is not a date (YYYY-MM-DD).") from None
    text = unique_text(text)
    result = run(text, when).as_dict(evidence=evidence)
    if reader:
        from kakehashi.text import event_reader

        try:
            reading = event_reader.read([text], [when], [result["language"]])[0]
        except event_reader.ReaderUnavailable as exc:
            raise InvalidRequest(str(exc)) from None
        result["event_type"] = reading.event_type
        result["event_reader"] = {**reading.as_dict(), "provenance": event_reader.provenance()}
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for key in ("language", "countries", "blocs", "actors", "event_type", "themes"):
            value = result[key]
            line = ", ".join(value) if isinstance(value, list) else str(value)
            shown = result.get("event_reader")
            if key == "event_type" and shown and shown["applied"]:
                line += (f" (reader{'' if shown['confident'] else ', not confident'}; "
                         f"rules: {shown['rules']})")
            click.echo(f"{key:11} {line}")
        for d in result["dates"]:
            click.echo(f"{'date':11} {d['text']} -> {d['first']}..{d['last']} ({d['year']})")


@click.command()
@click.argument("query", default="")
@store_option
@click.option("--country", default=None, help="Only documents about this ISO3 country.")
@click.option("--theme", default=None, help="Only documents with this theme.")
@click.option("--language", type=click.Choice(["en", "es", "pt", "ja"]), default=None)
@click.option("--since", default=None, help="Published on or after (YYYY-MM-DD).")
@click.option("--until", default=None, help="Published on or before (YYYY-MM-DD).")
@click.option("--event-type", type=click.Choice(EVENT_TYPES), default=None,
              help="Only documents of this event type.")
@click.option("--unsure", is_flag=True, default=False,
              help="Only documents whose event type the event reader chose without "
              "confidence (ingest --reader): the ones to check.")
@click.option("--limit", default=10, show_default=True, type=int)
@click.option("--semantic/--keywords-only", default=True, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@friendly
def search(query: str, store: Path | None, country: str | None, theme: str | None,
           language: str | None, since: str | None, until: str | None, event_type: str | None,
           unsure: bool, limit: int, semantic: bool, fmt: str) -> None:
    """Search ingested documents by keywords, countries/themes and meaning; with an empty
    query (""), list the documents the filters keep, newest first."""
    from kakehashi.errors import InvalidRequest
    from kakehashi.terminal import emit as _emit
    from kakehashi.terminal import open_store_option as _open
    from kakehashi.text.search import browse, load_rows
    from kakehashi.text.search import search as run

    try:
        first = date.fromisoformat(since) if since else None
        last = date.fromisoformat(until) if until else None
    except ValueError:
        raise InvalidRequest("--since/--until take dates as YYYY-MM-DD.") from None
    rows = load_rows(_open(store))
    filters: dict[str, Any] = {"country": country, "theme": theme, "language": language,
                               "since": first, "until": last, "event_type": event_type,
                               "unsure": unsure}
    hits = (run(rows, query, limit=limit, semantic=semantic, **filters) if query.strip()
            else browse(rows, limit=limit, **filters))
    kinds = {r["doc_id"]: _event_label(r) for r in rows}
    columns = ["doc_id", "score", "language", "published", "event_type", "title", "snippet"]
    _emit(columns, [(h.doc_id, h.score, h.language, h.published, kinds[h.doc_id],
                     h.title[:60], h.snippet[:100]) for h in hits], fmt)


def _event_label(row: dict[str, Any]) -> str | None:
    """The stored event type, with a "?" when the reader chose it without confidence."""
    kind = row.get("event_type")
    return f"{kind}?" if kind and row.get("event_confident") is False else kind
