"""The OpenAPI description of /api/v1: parameters with descriptions and examples, the shapes
of data and error responses, CSV, ETag and 304; the schema is served at
/api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Path, Query
from fastapi.openapi.models import Example

TAGS = [
    {"name": "countries", "description": "The 33 LAC countries and each one's datasets."},
    {"name": "region", "description": "Latin America and the Caribbean as a whole."},
    {"name": "events", "description": "Curated Japan-LAC events."},
    {"name": "sources", "description": "Every source with its licence and citation."},
    {"name": "analytics", "description": "Then vs now, indicators, rank, shift-share, event "
                                         "studies, UN votes, coherence and outlook."},
    {"name": "products", "description": "Trade by product: top products then vs now, new "
                                        "and lost, HS sections, concentration, RCA, "
                                        "complementarity and sector importance (Mexico from "
                                        "the bundled data; every country with CEPII BACI)."},
]

PROVENANCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One source of the numbers: cite it as `citation`; reuse under `license`.",
    "required": ["source_id", "title", "license", "citation"],
    "properties": {
        "source_id": {"type": "string", "example": "imf_dots"},
        "title": {"type": "string"},
        "publisher": {"type": ["string", "null"]},
        "version": {"type": ["string", "null"]},
        "license": {"type": "string", "example": "IMF terms of use"},
        "license_url": {"type": ["string", "null"]},
        "citation": {"type": "string"},
        "retrieved": {"type": ["string", "null"]},
    },
}
DATA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["data", "unit", "provenance", "notes"],
    "properties": {
        "data": {"type": "array", "items": {"type": "object"},
                 "description": "Rows; a missing value is null, never 0."},
        "unit": {"type": "string", "description": "Unit of the values."},
        "provenance": {"type": "array", "items": PROVENANCE_SCHEMA},
        "notes": {"type": "string", "description": "Method and caveats."},
    },
}
DATA_EXAMPLE = {
    "data": [{"year": 2019, "exports_usd": 10636900000.0, "imports_usd": 9213400000.0,
              "balance_usd": 1423500000.0, "exports_basis": "reported",
              "imports_basis": "reported"}],
    "unit": "USD (current)",
    "provenance": [{"source_id": "imf_dots", "title": "Direction of Trade Statistics",
                    "publisher": "International Monetary Fund", "version": "2025",
                    "license": "IMF terms of use", "license_url": None,
                    "citation": "International Monetary Fund, Direction of Trade Statistics.",
                    "retrieved": "2025-01-01"}],
    "notes": "As reported by Japan to the IMF: exports FOB, imports CIF.",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "message"],
                             "properties": {"status": {"type": "integer"},
                                            "message": {"type": "string"}}}},
}
_HEADERS = {
    "ETag": {"description": "Hash of the store's data version and the URL; send it back in "
                            "If-None-Match to get a 304.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=300, must-revalidate",
                      "schema": {"type": "string"}},
}


def _error(description: str, message: str, status: int) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {
        "schema": ERROR_SCHEMA, "example": {"error": {"status": status, "message": message}}}}}


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The data with their unit, provenance and notes (JSON), or the rows as "
                         "CSV with format=csv (citation and licence in X-Kakehashi-* headers).",
          "headers": _HEADERS,
          "content": {"application/json": {"schema": DATA_SCHEMA, "example": DATA_EXAMPLE},
                      "text/csv": {"schema": {"type": "string"},
                                   "example": "year,exports_usd\n2019,10636900000.0\n"}}},
    304: {"description": "Not modified: If-None-Match carried the current ETag."},
    400: _error("A parameter is invalid; the message says how to write it.",
                "then='abc': not a year or a range of years. Example: then=2000-2004.", 400),
    404: _error("No such country, dataset, event or path; the message lists what exists.",
                "No LAC33 country with code 'XXX'. Use one of the 33 ISO3 codes: ...", 404),
}


def _ex(**examples: Any) -> dict[str, Example]:
    return {name: Example(summary=str(value), value=value) for name, value in examples.items()}


PERIOD = r"^\d{4}(-\d{4})?$"
FORMAT: Any = Query("json", description="json (default) or csv.",
                    openapi_examples=_ex(json="json", csv="csv"),
                    json_schema_extra={"enum": ["json", "csv"]})
ISO3: Any = Path(description="ISO 3166 alpha-3 code of one of the 33 LAC countries "
                             "(case-insensitive).", openapi_examples=_ex(peru="PER", mexico="MEX"),
             json_schema_extra={"pattern": "^[A-Za-z]{3}$"})
COUNTRY_DATASET: Any = Path(description="One of trade, comparators, finance, fdi, growth, "
                                        "un-votes, events.",
                            openapi_examples=_ex(trade="trade", votes="un-votes"),
                            json_schema_extra={"enum": ["trade", "comparators", "finance", "fdi",
                                                        "growth", "un-votes", "events"]})
REGION_DATASET: Any = Path(description="One of trade, then-now, oda, top-partners, map.",
                           openapi_examples=_ex(trade="trade", then_now="then-now"),
                           json_schema_extra={"enum": ["trade", "then-now", "oda",
                                                       "top-partners", "map"]})
THEN: Any = Query(None, description="The earlier period: a year or a range, e.g. 2000-2004 "
                                    "(default 2000-2004).",
                  openapi_examples=_ex(range="2000-2004", year="2000"),
                  json_schema_extra={"pattern": PERIOD})
NOW: Any = Query(None, description="The later period: a year or a range, e.g. 2016-2020 "
                                   "(default 2016-2020); it must start after `then` ends.",
                 openapi_examples=_ex(range="2016-2020", year="2019"),
                 json_schema_extra={"pattern": PERIOD})
YEAR: Any = Query(None, description="A year with Japan's IMF data (default: the latest).",
                  openapi_examples=_ex(year="2019"), json_schema_extra={"pattern": r"^\d{4}$"})
MEASURE: Any = Query(None, description="The map's measure (dataset map): japan_trade "
                                       "(default), japan_share, japan_oda or un_agreement.",
                     openapi_examples=_ex(trade="japan_trade", share="japan_share"),
                     json_schema_extra={"enum": ["japan_trade", "japan_share", "japan_oda",
                                                 "un_agreement"]})
EVENT_TYPE: Any = Query(None, description="Only events of this type, e.g. visit, meeting, "
                                          "agreement_signed.",
                        openapi_examples=_ex(visit="visit", signed="agreement_signed"))
EVENT_COUNTRY: Any = Query(None, description="Only events concerning this LAC33 country (ISO3).",
                           openapi_examples=_ex(peru="PER"),
                           json_schema_extra={"pattern": "^[A-Za-z]{3}$"})
FROM_YEAR: Any = Query(None, alias="from", description="First year (four digits).",
                       openapi_examples=_ex(year="2000"), json_schema_extra={"pattern": r"^\d{4}$"})
TO_YEAR: Any = Query(None, description="Last year (four digits).",
                     openapi_examples=_ex(year="2020"), json_schema_extra={"pattern": r"^\d{4}$"})
LANG: Any = Query(None, description="Ignored by the API (its messages are English); accepted "
                                    "so that a page's state can be passed unchanged.",
                  include_in_schema=False)


def install(app: FastAPI) -> None:
    """Drop FastAPI's unused 422 responses (invalid parameters are 400 here)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for item in schema.get("paths", {}).values():
            for op in item.values():
                if isinstance(op, dict):
                    op.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        schema["info"]["description"] += (
            " Every data response is {data, unit, provenance, notes}; add format=csv for CSV. "
            "Responses carry an ETag (If-None-Match gives a 304) and Cache-Control. Errors are "
            "JSON {error: {status, message}}. /api/... without v1 is an alias of /api/v1/....")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
