"""The API against its own OpenAPI description: schemathesis generates requests for every
operation of /api/v1/openapi.json (in process, through ASGI) and checks that none is a server
error and that every response conforms (status, content type, body schema)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from kakehashi.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def app(store_path: Path) -> Iterator[Any]:
    application = create_app(store_path)
    with TestClient(application):  # run the lifespan (the warm-up thread) around the tests
        yield application


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def _labels() -> list[str]:
    """The operations, read at collection time from an app whose store is not opened (the
    OpenAPI document does not depend on the data)."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json",
                                            create_app(Path("/nonexistent/store.duckdb")))
    return [result.ok().label for result in schema.get_all_operations()]


LABELS = _labels()


def _operation(api_schema: Any, label: str) -> Any:
    for result in api_schema.get_all_operations():
        if result.ok().label == label:
            return result.ok()
    raise AssertionError(f"no operation {label}")


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
def test_api_conforms_and_never_fails(api_schema: Any, label: str, mode: Any) -> None:
    """Valid requests: no 5xx and every response as described. Invalid ones: no 5xx."""
    operation = _operation(api_schema, label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def run(case: Any) -> None:
        if mode == GenerationMode.POSITIVE:
            # valid by the schema is not always valid by meaning (then after now, a year
            # without data): those are 400s with a message, checked below
            case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
        else:
            response = case.call()
            assert response.status_code < 500, (case.as_curl_command(), response.text[:300])
            if response.status_code >= 400:
                assert response.json()["error"]["message"]

    run()


def test_schema_describes_every_endpoint(app: Any) -> None:
    with TestClient(app) as client:
        spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert len(paths) >= 15
    for path, item in paths.items():
        assert path.startswith("/api/v1/"), path
        for op in item.values():
            assert op.get("description") or op.get("summary"), path
            assert {"200", "400", "404"} <= set(op["responses"]), path
            assert "422" not in op["responses"], path
            for p in op.get("parameters", []):
                assert p.get("description"), (path, p["name"])
                if not p["name"].startswith("w_"):
                    assert p.get("examples") or p.get("example"), (path, p["name"])
