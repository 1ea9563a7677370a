"""The web site and API, in process: values, errors, CSV, licences, headers, charts."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from kakehashi import catalog
from kakehashi.store import Store
from kakehashi.web import create_app

with warnings.catch_warnings():
    # Newer Starlette warns that its TestClient wants `httpx2` instead of `httpx`; the
    # warning is about the test client's dependency, not about this project's code.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options",
            "referrer-policy")
COUNTRY_DATASETS = ("trade", "comparators", "finance", "fdi", "growth", "un-votes", "events")
REGION_DATASETS = ("trade", "then-now", "oda", "top-partners")
SPEC = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


def _esc(text: str) -> str:
    """Text as the (Jinja2-autoescaped) pages write it."""
    return str(escape(text))


def _specs(page: str) -> dict[str, dict[str, Any]]:
    return {m.group(1): json.loads(m.group(2)) for m in SPEC.finditer(page)}


# -- API values -------------------------------------------------------------------------------

def test_api_country_trade_mexico_2019(client: TestClient) -> None:
    r = client.get("/api/countries/MEX/trade")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"data", "unit", "provenance", "notes"}
    row = next(x for x in body["data"] if x["year"] == 2019)
    assert round(row["exports_usd"] / 1e6, 1) == 10636.9
    assert body["provenance"][0]["source_id"] == "imf_dots"
    assert body["provenance"][0]["license"]


def test_api_region_oda_2023(client: TestClient) -> None:
    body = client.get("/api/region/oda").json()
    row = next(x for x in body["data"] if x["year"] == 2023)
    assert round(row["value_usd"] / 1e6, 2) == 665.35


def test_api_un_votes_mexico_2010s(client: TestClient) -> None:
    rows = client.get("/api/countries/mex/un-votes").json()["data"]
    sel = [r for r in rows if r["with_iso3"] == "JPN" and 2010 <= r["year"] <= 2019]
    agreement = sum(r["same_vote"] for r in sel) / sum(r["roll_calls_both_voted"] for r in sel)
    assert round(agreement, 2) == 0.66


@pytest.mark.parametrize("dataset", COUNTRY_DATASETS)
def test_api_every_country_dataset(client: TestClient, dataset: str) -> None:
    body = client.get(f"/api/countries/BRA/{dataset}").json()
    assert body["data"] and body["provenance"] and isinstance(body["notes"], str)


@pytest.mark.parametrize("dataset", REGION_DATASETS)
def test_api_every_region_dataset(client: TestClient, dataset: str) -> None:
    body = client.get(f"/api/region/{dataset}").json()
    assert body["data"] and body["provenance"][0]["source_id"]


def test_api_countries_and_country(client: TestClient) -> None:
    assert len(client.get("/api/countries").json()["data"]) == 33
    body = client.get("/api/countries/arg").json()
    assert body["data"][0]["iso3"] == "ARG"
    assert body["data"][0]["datasets"]["trade"] == "/api/v1/countries/ARG/trade"


def test_api_then_now_params(client: TestClient) -> None:
    body = client.get("/api/region/then-now?then=1990-1994&now=2010-2014").json()
    assert body["data"][0]["then"] == "1990-1994"
    assert body["data"][0]["now"] == "2010-2014"
    assert client.get("/api/region/top-partners?year=2019").json()["data"][0]["year"] == 2019


def test_api_sources(client: TestClient, store: Store) -> None:
    body = client.get("/api/sources").json()
    assert len(body["data"]) == len(catalog.sources(store).data)
    assert all("license" in s and "rows" in s for s in body["data"])


def test_openapi_but_no_cdn_docs(client: TestClient) -> None:
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 404
    assert client.get("/docs").status_code == 404


# -- errors -----------------------------------------------------------------------------------

def _assert_json_error(r: Any, status: int) -> str:
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["status"] == status and err["message"]
    return str(err["message"])


def test_api_unknown_country_is_json_404(client: TestClient) -> None:
    message = _assert_json_error(client.get("/api/countries/XXX/trade"), 404)
    assert "MEX" in message
    _assert_json_error(client.get("/api/countries/XXX"), 404)
    assert "trade" in _assert_json_error(client.get("/api/countries/MEX/nope"), 404)
    assert "oda" in _assert_json_error(client.get("/api/region/nope"), 404)
    _assert_json_error(client.get("/api/nothing/here"), 404)


@pytest.mark.parametrize("query", ["then=2004-2000", "then=abc", "now=20x6", "then=1900-1904",
                                   "then=2010-2018&now=2016-2020"])
def test_api_bad_periods_are_400(client: TestClient, query: str) -> None:
    _assert_json_error(client.get(f"/api/region/then-now?{query}"), 400)


def test_api_bad_format_and_year_are_400(client: TestClient) -> None:
    assert "csv" in _assert_json_error(client.get("/api/countries/MEX/trade?format=xml"), 400)
    _assert_json_error(client.get("/api/region/top-partners?year=20x9"), 400)
    _assert_json_error(client.get("/api/region/top-partners?year=2030"), 400)


@pytest.mark.parametrize("query", ["then=2004-2000", "then=abc", "now=2020-2016"])
def test_region_page_bad_periods_are_400_html(client: TestClient, query: str) -> None:
    r = client.get(f"/?{query}")
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert "Example: then=2000-2004" in r.text or "Example: now=2016-2020" in r.text


def test_unknown_country_page_is_404_html_listing_codes(client: TestClient) -> None:
    r = client.get("/country/XXX")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="/country/MEX"' in r.text and 'href="/country/VEN"' in r.text
    r = client.get("/country/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404
    assert "<script>alert(1)" not in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404
    for page in ("/compare", "/rank", "/events", "/documents", "/methods", "/sources"):
        assert page in r.text, page


# -- CSV --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/api/countries/MEX/trade", "/api/countries/MEX/events", "/api/countries/CUB/fdi",
    "/api/region/then-now", "/api/region/top-partners", "/api/countries", "/api/sources"])
def test_csv_matches_json(client: TestClient, path: str) -> None:
    data = client.get(path).json()["data"]
    r = client.get(f"{path}?format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] and all(rows[0])  # a header row, even with no data
    assert len(rows) - 1 == len(data)
    if data:
        assert rows[0] == list(data[0])
    assert "attachment" in r.headers["content-disposition"]


def test_csv_carries_the_citation_in_headers(client: TestClient) -> None:
    r = client.get("/api/countries/MEX/trade?format=csv")
    assert "International Monetary Fund" in r.headers["x-kakehashi-source"]
    assert "/api/v1/sources" in r.headers["link"]
    assert not r.text.startswith("#")
    row = next(x for x in csv.DictReader(io.StringIO(r.text)) if x["year"] == "2019")
    assert round(float(row["exports_usd"]) / 1e6, 1) == 10636.9


def test_csv_keeps_missing_as_empty(client: TestClient) -> None:
    r = client.get("/api/countries/CHL/fdi?format=csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    json_nulls = [x for x in client.get("/api/countries/CHL/fdi").json()["data"]
                  if x["value_usd"] is None]
    assert len([x for x in rows if x["value_usd"] == ""]) == len(json_nulls) > 0


# -- pages ------------------------------------------------------------------------------------

def test_every_country_page(client: TestClient, store: Store) -> None:
    for c in catalog.lac_countries(store).data:
        r = client.get(f"/country/{c['iso3']}")
        assert r.status_code == 200, c["iso3"]
        assert _esc(c["name_en"]) in r.text
        assert f"/api/v1/countries/{c['iso3']}/trade?format=csv" in r.text


def test_country_page_lowercase(client: TestClient) -> None:
    assert client.get("/country/mex").status_code == 200


def _licences_shown(page: str, provenance: list[dict[str, Any]]) -> None:
    for p in provenance:
        assert _esc(p["license"]) in page, p["source_id"]
        if p["license_url"]:
            assert f'href="{_esc(p["license_url"])}"' in page


def test_region_page_shows_charts_sources_and_licences(client: TestClient, store: Store) -> None:
    r = client.get("/")
    assert r.status_code == 200
    for answer in (catalog.region_trade(store), catalog.region_oda(store)):
        _licences_shown(r.text, answer.provenance)
    for path in ("/api/v1/region/trade", "/api/v1/region/oda", "/api/v1/region/then-now",
                 "/api/v1/region/top-partners", "/api/v1/region/map"):
        assert path in r.text
    assert r.text.count('href="/country/') >= 33 * 2  # nav menu and the grid
    specs = _specs(r.text)
    assert set(specs) == {"region-map-spec", "region-trade-spec", "region-japan-spec",
                          "region-then-now-spec",
                          "region-oda-spec", "region-top-spec", "region-hhi-spec",
                          "region-outlook-spec"}
    assert "2000-2004" in r.text and "2016-2020" in r.text


def test_region_page_then_now_params(client: TestClient) -> None:
    r = client.get("/?then=1990-1994&now=2010-2014")
    assert r.status_code == 200
    assert "Then (1990-1994) and now (2010-2014)" in r.text


def test_country_page_licences_and_no_data(client: TestClient, store: Store) -> None:
    r = client.get("/country/CUB")
    for fn in (catalog.country_trade, catalog.country_finance, catalog.country_fdi,
               catalog.country_growth, catalog.un_agreement, catalog.country_events):
        _licences_shown(r.text, fn(store, "CUB").provenance)
    # Cuba has no UNCTAD FDI and no ONE rows: said in words, no chart drawn.
    assert r.text.count("No data for this country") == 2
    assert "fdi-spec" not in r.text and "loans-spec" not in r.text
    assert "oda-spec" in r.text


def test_sources_page(client: TestClient, store: Store) -> None:
    r = client.get("/sources")
    assert r.status_code == 200
    answer = catalog.sources(store)
    for s in answer.data:
        assert _esc(s["license"]) in r.text
        for f in s["files"]:
            if f["sha256"]:
                assert f["sha256"] in r.text
    assert "CC BY-NC-SA 4.0" in r.text and "argendata_lall" in r.text
    assert "non-commercial" in r.text


def test_footer_has_data_version(client: TestClient, store: Store) -> None:
    fingerprint = catalog.build_info(store)["fingerprint"]
    for path in ("/", "/country/PER", "/sources", "/country/XXX"):
        assert fingerprint in client.get(path).text, path


def test_chart_specs_have_tooltips_inline_data_and_text(client: TestClient) -> None:
    page = client.get("/country/MEX").text
    specs = _specs(page)
    assert {"trade-spec", "comparators-spec", "oda-spec", "loans-spec", "fdi-spec",
            "growth-spec", "votes-spec", "events-spec"} <= set(specs)
    for name, spec in specs.items():
        layers = spec.get("layer", [spec])
        assert all(layer["mark"]["tooltip"] is True for layer in layers), name
        assert any(layer.get("encoding", {}).get("tooltip") for layer in [spec, *layers]), name
        assert spec["data"]["values"], name
        assert spec["description"] and f'aria-label="{_esc(spec["description"])}"' in page
    # Chart values are the API's, in millions; nothing missing is drawn as zero.
    trade = {(v["year"], v["series"]): v["value"] for v in specs["trade-spec"]["data"]["values"]}
    assert round(trade[(2019, "Exports")], 1) == 10636.9
    chl = _specs(client.get("/country/CHL").text)["fdi-spec"]["data"]["values"]
    assert all(v["value"] is not None for v in chl)
    assert len(chl) == len([x for x in client.get("/api/countries/CHL/fdi").json()["data"]
                            if x["value_usd"] is not None])


def test_pages_load_only_local_scripts(client: TestClient) -> None:
    page = client.get("/country/MEX").text
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page)
    assert scripts == ["/static/vega-bundle.js", "/static/charts.js"]
    assert "http" not in "".join(re.findall(r'<link[^>]*href="([^"]+)"', page))
    assert client.get("/static/charts.js").status_code == 200
    assert "ast: true" in client.get("/static/charts.js").text
    assert client.get("/static/kakehashi.css").status_code == 200


# -- headers and the Vega bundle ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/country/MEX", "/sources", "/country/XXX",
                                  "/api/countries/MEX/trade", "/api/countries/XXX/trade",
                                  "/api/region/oda?format=csv", "/static/kakehashi.css",
                                  "/?then=abc"])
def test_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    for h in SECURITY:
        assert h in r.headers, (path, h)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"


def test_vega_bundle(client: TestClient) -> None:
    r = client.get("/static/vega-bundle.js")
    assert r.status_code == 200
    assert "javascript" in r.headers["content-type"]
    assert "window.vegaEmbed" in r.text
    assert "max-age=31536000" in r.headers["cache-control"]
    again = client.get("/static/vega-bundle.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_head_requests_on_pages(client: TestClient) -> None:
    for path in ("/", "/country/MEX", "/sources"):
        r = client.head(path)
        assert r.status_code == 200, path
        assert "content-security-policy" in r.headers


def test_missing_store_says_what_to_do(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "absent.duckdb")) as c:
        r = c.get("/api/countries")
        assert r.status_code == 500
        assert "kakehashi build" in r.json()["error"]["message"]
        page = c.get("/")
        assert page.status_code == 500 and "kakehashi build" in page.text


def test_line_charts_break_at_missing_years() -> None:
    from kakehashi.web import charts

    spec = charts.lines(
        [{"year": 2000, "series": "Japan", "value": 1.0},
         {"year": 2003, "series": "Japan", "value": 2.0},
         {"year": 2001, "series": "China", "value": None}],
        description="test", y_title="USD mn", series_title="Reporter")
    assert spec is not None
    values = spec["data"]["values"]
    assert [(v["year"], v["value"]) for v in values] == [
        (2000, 1.0), (2001, None), (2002, None), (2003, 2.0)]
    assert spec["mark"]["invalid"].startswith("break-paths")
    assert charts.lines([{"year": 2000, "series": "Japan", "value": None}],
                        description="", y_title="", series_title="") is None
