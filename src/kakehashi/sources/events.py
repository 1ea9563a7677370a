"""Kakehashi's curated table of Japan–LAC events, 1990–2025."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="events",
    title="Japan–Latin America and Caribbean events, 1990–2025",
    publisher="Kakehashi project (curated)",
    url="",
    origin=(
        "Compiled by the Kakehashi project from stored public web pages; each row cites its "
        "web sources in column source; file events/japan_lac_events.csv"
    ),
    version="Curated table, 1990–2025 (150 rows)",
    retrieved="2025-12-20",
    license=License(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        note=(
            "Applies to the table as compiled by the project (titles and descriptions written "
            "by the project); each row's facts come from the web pages cited in its source "
            "column."
        ),
    ),
    citation=(
        "Kakehashi project, Japan–Latin America and Caribbean events, 1990–2025 (curated "
        "table, events/japan_lac_events.csv), compiled from public web pages cited per row. "
        "CC BY 4.0."
    ),
    units=(
        "One row per event; dates ISO 8601 at the precision the sources support (YYYY, "
        "YYYY-MM or YYYY-MM-DD); lac_countries as ISO 3166-1 alpha-3 codes separated by ';'"
    ),
    coverage=(
        "1990–2025; event types visit, agreement_signed, agreement_in_force, meeting, "
        "financing, forum, other. Bloc-level events list the members (CARICOM 14, SICA 8, "
        "Mercosur 4, Pacific Alliance 4); LAC = the region as a whole (FEALAC, IDB, "
        "region-wide policy). 150 rows."
    ),
    caveats=(
        "Rows with confidence = unverified are from memory or the source only gave a plan; "
        "verified means the researcher read the key facts (event, date as given, actors) in at "
        "least one cited source. Dates only as precise as the sources; end_date empty for "
        "one-day events; notes record details from memory, date inferences and conflicts "
        "between sources. LAC in lac_countries is a placeholder, not a country code. A "
        "curated selection, not an exhaustive record."
    ),
    derivation=(
        "Curated by the project from stored public web pages: one row per event with date, "
        "end_date, event_type, japanese_actor, lac_countries, title and description (written "
        "by the project, not copied), source (web addresses separated by ' | '), confidence "
        "and notes. No compilation date is recorded: 'retrieved' is the latest event date in "
        "the table, so the table was compiled on or after it."
    ),
    files=(
        RawFile(
            path="events/japan_lac_events.csv",
            description=(
                "Japan–LAC events (date, end_date, event_type, japanese_actor, lac_countries, "
                "title, description, source, confidence, notes); 150 rows"
            ),
        ),
    ),
)
