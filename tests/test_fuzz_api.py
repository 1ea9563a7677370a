"""The API fuzzed from its OpenAPI schema (issue 9, point 4), complementing
tests/test_api_schema.py (which runs schemathesis' positive and negative cases, 25 each per
operation, checking conformance).

Here every generated request (positive and negative cases of each operation, in process over
ASGI) is also sent

* with hostile headers drawn by hypothesis (Accept-Language, a ``lang`` cookie, If-None-Match,
  Accept), which the middleware parses before any route runs;
* again with the ETag it got: a 304 with no body and the same security headers;
* as HEAD, and under the unversioned /api alias: the same status;
* as CSV (format=csv) when it succeeded: text/csv whose header row is the JSON answer's
  columns.

No 5xx anywhere, errors are JSON with a message, security headers on every answer.
``KAKEHASHI_FUZZ_SCALE`` multiplies the example count (default 1: 20 per operation and mode).
The cases run are printed at the end of the module (``pytest -s``).
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from kakehashi.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SCALE = float(os.environ.get("KAKEHASHI_FUZZ_SCALE", "1"))
EXAMPLES = max(1, int(20 * SCALE))
CASES: Counter[str] = Counter()
REQUESTS = Counter[str]()


@pytest.fixture(scope="module", autouse=True)
def report_cases() -> Iterator[None]:
    yield
    total = sum(CASES.values())
    lines = [f"FUZZ api {label}: {n} cases" for label, n in sorted(CASES.items())]
    print("\n" + "\n".join(lines) + f"\nFUZZ api total: {total} cases, "  # noqa: T201
          f"{sum(REQUESTS.values())} requests {dict(REQUESTS)}")
    path = os.environ.get("KAKEHASHI_FUZZ_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + f"\nFUZZ api total: {total} cases, "
                     f"{sum(REQUESTS.values())} requests\n")


@pytest.fixture(scope="module")
def app(store_path: Path) -> Any:
    # no lifespan: the warm-up thread would only compete for the CPU
    return create_app(store_path)


@pytest.fixture(scope="module")
def client(app: Any) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def _labels() -> list[str]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json",
                                            create_app(Path("/nonexistent/store.duckdb")))
    return [result.ok().label for result in schema.get_all_operations()]


LABELS = _labels()

HEADER_TEXT = st.one_of(
    st.sampled_from(["", "*", "es", "ja;q=0.9, en;q=0.1", "xx-YY", "en;q=abc", ";;;,,,",
                     "ja;q=1e999", "es-" + "a" * 300, '"abc"', 'W/"x", "y"', "*, *",
                     "text/html", "application/json;q=0", "\t"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200),
)
HEADERS = st.fixed_dictionaries({}, optional={
    "Accept-Language": HEADER_TEXT,
    "If-None-Match": HEADER_TEXT,
    "Accept": HEADER_TEXT,
    "Cookie": HEADER_TEXT.map(lambda v: f"lang={v}"),
})


def _operation(api_schema: Any, label: str) -> Any:
    for result in api_schema.get_all_operations():
        if result.ok().label == label:
            return result.ok()
    raise AssertionError(f"no operation {label}")


def _security(resp: Any) -> list[str]:
    h = resp.headers
    missing = [name for name in ("content-security-policy", "x-content-type-options",
                                 "referrer-policy") if not h.get(name)]
    return missing


def _url(case: Any) -> tuple[str, dict[str, Any]]:
    return case.formatted_path, dict(case.query or {})


@pytest.mark.parametrize("label", LABELS)
def test_api_with_hostile_headers_etags_head_alias_and_csv(api_schema: Any, client: TestClient,
                                                          label: str) -> None:
    operation = _operation(api_schema, label)
    strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                         operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @given(case=strategy, headers=HEADERS)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any, headers: dict[str, str]) -> None:
        CASES[label] += 1
        path, query = _url(case)
        try:
            r = client.get(path, params=query, headers=headers)
        except UnicodeEncodeError:
            return  # a value httpx cannot put on the wire at all (not an HTTP request)
        REQUESTS["get"] += 1
        where = f"GET {path} {query} {headers}"
        assert r.status_code < 500, (where, r.text[:300])
        assert not _security(r), (where, _security(r))
        if r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/json"), where
            assert r.json()["error"]["message"], where
            return
        assert r.status_code in (200, 304), where
        # the ETag it gave back is honoured with a 304 and nothing else changes
        etag = r.headers.get("etag")
        if r.status_code == 200 and etag:
            again = client.get(path, params=query, headers={**headers, "If-None-Match": etag})
            REQUESTS["conditional"] += 1
            assert again.status_code == 304 and again.content == b"", where
            assert not _security(again), where
        head = client.head(path, params=query, headers=headers)
        REQUESTS["head"] += 1
        assert head.status_code in (r.status_code, 304, 405), (where, head.status_code)
        assert head.content == b"", where
        alias = client.get("/api" + path.removeprefix("/api/v1"), params=query,
                           headers=headers)
        REQUESTS["alias"] += 1
        assert alias.status_code == r.status_code or {alias.status_code, r.status_code} <= {
            200, 304}, (where, alias.status_code)
        if r.status_code == 200 and query.get("format", "json") == "json":
            columns = _columns(r.json())
            as_csv = client.get(path, params={**query, "format": "csv"})
            REQUESTS["csv"] += 1
            assert as_csv.status_code == 200, (where, as_csv.text[:200])
            assert as_csv.headers["content-type"].startswith("text/csv"), where
            header = next(csv.reader(io.StringIO(as_csv.text)), [])
            if columns:
                assert header == columns, (where, header, columns)

    run()


def _columns(body: dict[str, Any]) -> list[str]:
    rows = body.get("data") or []
    if not rows:
        return []
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def test_every_operation_was_fuzzed() -> None:
    """Runs last in the module: every operation got its examples."""
    assert LABELS and len(LABELS) >= 15
    missing = [label for label in LABELS if CASES[label] < min(EXAMPLES, 5)]
    assert not missing, missing
