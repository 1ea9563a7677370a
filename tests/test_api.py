"""Every /api/v1 endpoint: status, {data, unit, provenance, notes}, CSV, ETag and 304, cache
headers, errors as JSON, and the unversioned /api alias."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from kakehashi.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EVENT = "2005-04-01-japan-mexico-epa-enters-into-force"
ENDPOINTS = [
    "/api/v1/countries", "/api/v1/countries/PER", "/api/v1/sources",
    *[f"/api/v1/countries/PER/{d}" for d in ("trade", "comparators", "finance", "fdi",
                                              "growth", "un-votes", "events")],
    "/api/v1/region/trade", "/api/v1/region/then-now?then=2000-2004&now=2016-2020",
    "/api/v1/region/oda", "/api/v1/region/top-partners?year=2019",
    "/api/v1/region/map?measure=japan_share&then=2000-2004&now=2016-2020",
    "/api/v1/events?country=PER&from=2000&to=2020",
    "/api/v1/analytics/thennow?target=PER", "/api/v1/analytics/indicators?target=PER",
    "/api/v1/analytics/concentration", "/api/v1/analytics/rank?years=2019",
    "/api/v1/analytics/shift-share", f"/api/v1/analytics/events/{EVENT}",
    "/api/v1/analytics/votes?target=PER", "/api/v1/analytics/coherence",
    "/api/v1/analytics/outlook?target=PER",
    "/api/v1/products/top?country=MEX", "/api/v1/products/changes?country=MEX",
    "/api/v1/products/sections?country=MEX", "/api/v1/products/concentration?country=MEX",
    "/api/v1/products/coverage",
]
# need CEPII BACI in the product lake: tests/test_web_products.py builds one
NEED_LAKE = ["/api/v1/products/rca", "/api/v1/products/complementarity",
             "/api/v1/products/importance"]
# need ingested documents: tests/test_web_documents.py ingests the labelled real texts
NEED_DOCUMENTS = ["/api/v1/documents/search"]


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


def test_every_operation_is_tested(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    tested = {e.split("?")[0] for e in ENDPOINTS} | set(NEED_LAKE) | set(NEED_DOCUMENTS)
    for path in spec["paths"]:
        prefix = path.split("{")[0]
        assert any(t.startswith(prefix) for t in tested), path


@pytest.mark.parametrize("url", ENDPOINTS)
def test_json_shape_provenance_and_csv(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"data", "unit", "provenance", "notes"}
    assert isinstance(body["data"], list) and body["data"], url
    assert body["provenance"] or url.endswith("/sources"), url  # the sources list is its own
    for p in body["provenance"]:
        assert p["source_id"] and p["license"] and p["citation"]
    sep = "&" if "?" in url else "?"
    c = client.get(f"{url}{sep}format=csv")
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(c.text)))
    columns = list(dict.fromkeys(k for row in body["data"] for k in row))
    assert rows[0] == columns and len(rows) == len(body["data"]) + 1
    assert "attachment" in c.headers["content-disposition"]
    assert c.headers.get("x-kakehashi-license") or url.endswith("/sources")


def test_etag_304_and_cache_control(client: TestClient) -> None:
    r = client.get("/api/v1/countries/PER/trade")
    etag = r.headers["etag"]
    assert etag.startswith('"') and "max-age" in r.headers["cache-control"]
    again = client.get("/api/v1/countries/PER/trade", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/api/v1/countries/PER/trade", headers={"If-None-Match": '"x"'}
                      ).status_code == 200
    # another URL, another ETag; CSV has its own
    assert client.get("/api/v1/countries/MEX/trade").headers["etag"] != etag
    assert client.get("/api/v1/countries/PER/trade?format=csv").headers["etag"] != etag
    # pages too
    page = client.get("/country/PER")
    assert client.get("/country/PER", headers={"If-None-Match": page.headers["etag"]}
                      ).status_code == 304
    assert "Accept-Language" in page.headers["vary"]


def test_repeated_requests_are_served_from_the_response_cache(client: TestClient) -> None:
    first = client.get("/api/v1/analytics/rank?years=2018")
    second = client.get("/api/v1/analytics/rank?years=2018")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]


def test_head(client: TestClient) -> None:
    r = client.head("/api/v1/countries")
    assert r.status_code == 200 and r.headers["etag"] and r.content == b""


def test_unversioned_alias(client: TestClient) -> None:
    assert client.get("/api/countries/PER/trade").json() == client.get(
        "/api/v1/countries/PER/trade").json()
    assert client.get("/api/openapi.json").json()["paths"]


@pytest.mark.parametrize(("url", "status", "needle"), [
    ("/api/v1/countries/XXX/trade", 404, "PER"),
    ("/api/v1/countries/PER/nope", 404, "trade"),
    ("/api/v1/region/nope", 404, "map"),
    ("/api/v1/nothing", 404, "openapi"),
    ("/api/v1/region/then-now?then=2020-2010", 400, "then"),
    ("/api/v1/countries?format=xml", 400, "csv"),
    ("/api/v1/region/map?measure=gdp", 400, "japan_trade"),
    ("/api/v1/analytics/events/nope", 404, ""),
    ("/api/v1/analytics/rank?w_trade=-1", 400, "w_trade"),
])
def test_errors_are_json_with_status_and_message(client: TestClient, url: str, status: int,
                                                 needle: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["status"] == status and needle in err["message"]
    assert "etag" not in r.headers


def test_map_values_are_the_store_s(client: TestClient) -> None:
    rows = client.get("/api/v1/region/map?then=2000-2004&now=2016-2020").json()["data"]
    assert len(rows) == 33
    peru = next(r for r in rows if r["iso3"] == "PER")
    assert peru["now_value"] == pytest.approx(2764.166286, rel=1e-6)  # USD mn, thennow's mean
    assert peru["then_value"] == pytest.approx(733.3381206, rel=1e-6)
    assert any(r["now_value"] is None or r["then_value"] is None for r in client.get(
        "/api/v1/region/map?measure=japan_oda").json()["data"])  # no data is null, not 0
