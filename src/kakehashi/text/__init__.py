"""Documents about Japan and LAC: ingest, extract, de-duplicate, link to events, search."""
