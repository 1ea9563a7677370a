"""Product trade on the web (issue 8): /api/v1/products/... on the real store (Mexico's bundled
HS4 declarations) and on a small BACI-format lake beside a copy of the store, the products
section of the country pages and the region's sectors, and the errors."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kakehashi.reports import briefs, render
from kakehashi.store import Store, open_store
from kakehashi.store import lake as product_lake
from kakehashi.web import create_app
from test_products import Y2019, Y2020, write_baci, write_codes

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ENDPOINTS = ("top", "changes", "sections", "concentration", "rca", "complementarity",
             "importance", "coverage")
SPEC = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


@pytest.fixture(scope="module")
def lake_store(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the store with a two-year BACI lake beside it."""
    folder = tmp_path_factory.mktemp("lake-store")
    store_copy = folder / "kakehashi.duckdb"
    shutil.copyfile(store_path, store_copy)
    raw = tmp_path_factory.mktemp("baci-raw")
    write_codes(raw)
    files = [write_baci(raw, 2019, Y2019), write_baci(raw, 2020, Y2020, q="  12.5")]
    product_lake.ingest(files, product_lake.lake_for(store_copy))
    return store_copy


@pytest.fixture(scope="module")
def lake_client(lake_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(lake_store)) as c:
        yield c


def _get(client: TestClient, url: str, status: int = 200) -> dict[str, Any]:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    body: dict[str, Any] = r.json()
    return body


def _specs(page: str) -> dict[str, dict[str, Any]]:
    return {m.group(1): json.loads(m.group(2)) for m in SPEC.finditer(page)}


# -- the real store: Mexico's bundled HS4 declarations ----------------------------------------

def test_top_products_mexico_equal_the_store(client: TestClient, store: Store) -> None:
    body = _get(client, "/api/v1/products/top?country=MEX&direction=imports&then=2015"
                        "&now=2019&n=5")
    assert set(body) == {"data", "unit", "provenance", "notes"}
    assert body["provenance"][0]["source_id"] == "comtrade_mexico"
    assert all(p["license"] and p["citation"] for p in body["provenance"])
    assert "UN Comtrade" in body["notes"]
    # Japan's imports from Mexico = Mexico's declared exports to Japan, by HS4
    sql = dict(store.query("""
        SELECT hs4, sum(value_usd) FROM product_trade WHERE reporter_iso3 = 'MEX'
          AND partner_iso3 = 'JPN' AND flow = 'export' AND year = ? GROUP BY hs4""",
                           [2019]).rows)
    total = sum(sql.values())
    # the top five now, and any product in the top five then (with its rank now)
    now = [r for r in body["data"] if r["rank_now"] is not None and r["rank_now"] <= 5]
    assert len(now) == 5
    expected = sorted(sql.items(), key=lambda kv: -kv[1])[:5]
    assert [r["product"] for r in sorted(now, key=lambda r: r["rank_now"])] == \
        [k for k, _ in expected]
    for r in body["data"]:
        if r["rank_now"] is None:
            assert r["status"] == "lost"
            continue
        assert r["value_now"] == pytest.approx(sql[r["product"]], rel=1e-12)
        assert r["share_now_pct"] == pytest.approx(sql[r["product"]] / total * 100)


def test_concentration_and_sections_mexico(client: TestClient, store: Store) -> None:
    body = _get(client, "/api/v1/products/concentration?country=MEX&years=2019")
    values = [v for (v,) in store.query("""
        SELECT sum(value_usd) FROM product_trade WHERE reporter_iso3 = 'MEX'
          AND partner_iso3 = 'JPN' AND flow = 'import' AND year = 2019 GROUP BY hs4
        HAVING sum(value_usd) > 0""").rows]
    hhi = sum((v / sum(values)) ** 2 for v in values)
    assert body["data"][0]["hhi"] == pytest.approx(hhi) and body["data"][0]["products"] == \
        len(values)
    sec = _get(client, "/api/v1/products/sections?country=MEX&then=2015-2016&now=2020-2021")
    assert sec["data"][0]["section_number"] == 16  # machinery leads Japan's exports
    assert sum(r["share_now_pct"] for r in sec["data"]) == pytest.approx(100)
    changes = _get(client, "/api/v1/products/changes?country=MEX&min_share=0.5")
    assert {r["status"] for r in changes["data"]} <= {"new", "lost"}
    assert all(max(r["share_then_pct"], r["share_now_pct"]) >= 0.5 for r in changes["data"])


def test_csv_and_coverage(client: TestClient) -> None:
    r = client.get("/api/v1/products/top?country=MEX&n=3&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "kakehashi-products-top-MEX" in r.headers["content-disposition"]
    assert "UN Comtrade" in r.headers["x-kakehashi-source"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) >= 3 and {"product", "value_then", "value_now", "status"} <= set(rows[0])
    cov = _get(client, "/api/v1/products/coverage")
    assert cov["data"] == [{"kind": "store", "reporter_iso3": "MEX", "first_year": 2015,
                            "last_year": 2021, "years": 7, "rows": cov["data"][0]["rows"],
                            "revision": None, "digits": 4}]
    assert "kakehashi products ingest" in cov["notes"]


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/api/v1/products/top?country=XXX", 404, "33 ISO3 codes"),
    ("/api/v1/products/top?country=PER", 404, "kakehashi products ingest"),
    ("/api/v1/products/rca?exporter=MEX", 404, "BACI"),
    ("/api/v1/products/importance", 404, "kakehashi products ingest"),
    ("/api/v1/products/complementarity?target=PER", 404, "BACI"),
    ("/api/v1/products/top?country=MEX&then=abc", 400, "then='abc'"),
    ("/api/v1/products/top?country=MEX&then=2010&now=2020", 400, "2015-2021"),
    ("/api/v1/products/top?country=MEX&then=2020&now=2019", 400, "must end before"),
    ("/api/v1/products/top?country=MEX&reporter=KOR", 400, "JPN, CHN, USA"),
    ("/api/v1/products/top?country=MEX&direction=both", 400, "exports, imports"),
    ("/api/v1/products/top?country=MEX&n=0", 400, "between 1 and 100"),
    ("/api/v1/products/top", 400, "country"),
    ("/api/v1/products/top?country=MEX&format=xml", 400, "format=csv"),
    ("/api/v1/products/importance?w_speed=1", 400, "w_reliance"),
    ("/api/v1/products/top?country=MEX&digits=6", 400, "4 digits"),
    ("/api/v1/products/top?country=MEX&digits=3", 400, "digits='3'"),
    ("/api/v1/products/top?country=MEX&revision=HS22", 400, "lake"),
])
def test_errors_say_what_to_do(client: TestClient, url: str, status: int, words: str) -> None:
    body = _get(client, url, status)
    assert body["error"]["status"] == status and words in body["error"]["message"]


def test_openapi_describes_the_product_endpoints(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for name in ENDPOINTS:
        op = spec["paths"][f"/api/v1/products/{name}"]["get"]
        assert op["tags"] == ["products"] and op["description"]
        assert {"200", "400", "404"} <= set(op["responses"])
        for p in op.get("parameters", []):
            assert p.get("description"), (name, p["name"])
    top = {p["name"]: p for p in spec["paths"]["/api/v1/products/top"]["get"]["parameters"]}
    assert top["country"]["required"] and top["country"]["examples"]["mexico"]["value"] == \
        "MEX"
    imp = spec["paths"]["/api/v1/products/importance"]["get"]["parameters"]
    assert {"w_weight", "w_reliance", "w_partner_rca"} <= {p["name"] for p in imp}


def test_country_page_products_mexico_and_note_for_peru(client: TestClient) -> None:
    page = client.get("/country/MEX").text
    assert 'id="products"' in page and 'href="#products"' in page
    specs = _specs(page)
    for pid in ("products-exports", "products-imports", "products-sections-exports",
                "products-sections-imports", "products-hhi"):
        assert f"{pid}-spec" in specs, pid
        assert f'data-export="png" data-chart="{pid}-chart"' in page
        assert f"#{pid}" in page  # permalink
    top = specs["products-exports-spec"]
    assert {v["kind"] for v in top["data"]["values"]} <= {"Continuing", "New", "Lost"}
    assert "/api/v1/products/top?country=MEX&amp;reporter=JPN&amp;direction=exports" in page
    assert "Mexico&#39;s merchandise trade by HS4" in page or "HS4 heading" in page
    assert client.get("/embed/country/MEX/products-hhi").status_code == 200
    peru = client.get("/country/PER").text
    assert "No product-level data for Peru" in peru and "products-exports-spec" not in peru
    es = client.get("/country/MEX?lang=es").text
    assert "Productos" in es


# -- a BACI-format lake beside a copy of the store --------------------------------------------

def test_lake_top_sections_concentration_by_hand(lake_client: TestClient) -> None:
    q = "country=PER&then=2019&now=2020"
    body = _get(lake_client, f"/api/v1/products/top?{q}")
    assert body["provenance"][0]["source_id"] == "baci"
    assert "HS17 release 202401" in body["provenance"][0]["version"]
    by = {r["product"]: r for r in body["data"]}
    assert {k: r["status"] for k, r in by.items()} == {
        "870323": "continuing", "300490": "new", "847130": "lost"}
    assert by["870323"]["value_now"] == 150_000 and by["870323"]["value_then"] == 100_000
    assert by["870323"]["share_now_pct"] == pytest.approx(150 / 180 * 100)
    sec = {r["section_number"]: r for r in _get(
        lake_client, f"/api/v1/products/sections?{q}")["data"]}
    assert sec[17]["value_now"] == 150_000 and sec[6]["value_now"] == 30_000
    assert sec[16]["share_then_pct"] == pytest.approx(50 / 150 * 100)
    hhi = _get(lake_client, "/api/v1/products/concentration?country=PER&years=2019-2020")
    assert [r["hhi"] for r in hhi["data"]] == pytest.approx(
        [(100 / 150) ** 2 + (50 / 150) ** 2, (150 / 180) ** 2 + (30 / 180) ** 2])
    chapters = {r["product"]: r for r in _get(
        lake_client, f"/api/v1/products/top?{q}&digits=2")["data"]}
    assert chapters["87"]["value_now"] == 150_000 and chapters["84"]["status"] == "lost"
    lost = _get(lake_client, f"/api/v1/products/changes?{q}&direction=imports")
    assert [(r["product"], r["status"]) for r in lost["data"]] == [("080440", "lost")]
    cov = _get(lake_client, "/api/v1/products/coverage")
    assert cov["data"][0]["kind"] == "lake" and cov["data"][0]["rows"] == len(Y2019) + len(
        Y2020)


def test_lake_rca_complementarity_importance(lake_client: TestClient) -> None:
    rca = {r["product"]: r for r in _get(
        lake_client, "/api/v1/products/rca?exporter=PER&years=2019")["data"]}
    assert rca["260300"]["rca"] == pytest.approx((1300 / 1320) / (1300 / 3530))
    comp = _get(lake_client, "/api/v1/products/complementarity?target=PER&years=2019")
    jp = next(r for r in comp["data"] if r["comparator"] == "JPN"
              and r["direction"].startswith("comparator"))
    assert jp["tci"] == pytest.approx(100 * (300 / 650 + 50 / 1150))
    q = "target=PER&then=2019&now=2020"
    equal = _get(lake_client, f"/api/v1/products/importance?{q}")["data"]
    for r in equal:
        assert r["score"] == pytest.approx(sum(r[f"{d}_contribution"] or 0 for d in (
            "weight", "growth", "reliance", "market", "partner_rca")))
    only = _get(lake_client, f"/api/v1/products/importance?{q}&w_weight=1&w_growth=0"
                             "&w_reliance=0&w_market=0&w_partner_rca=0")["data"]
    assert only[0]["section_number"] == 5  # copper ore: the largest share of the trade
    assert only[0]["weight_contribution"] == pytest.approx(only[0]["score"])


def test_lake_pages(lake_client: TestClient) -> None:
    peru = lake_client.get("/country/PER").text
    specs = _specs(peru)
    assert "products-exports-spec" in specs and "No product-level data" not in peru
    assert "CEPII BACI" in peru and "then 2019, now 2020" in peru
    values = specs["products-exports-spec"]["data"]["values"]
    assert {v["kind"] for v in values} == {"Continuing", "New", "Lost"}
    region = lake_client.get("/").text
    assert "region-sectors-spec" in _specs(region)
    assert 'id="region-complementarity"' in region and "Sectors that matter to Japan" in region
    assert "/api/v1/products/importance?target=LAC" in region


def test_brief_products_section_on_the_lake(lake_store: Path) -> None:
    store = open_store(lake_store)
    try:
        brief = briefs.country_brief(store, "PER", "2000-2004", "2016-2020")
    finally:
        store.close()
    section = next(s for s in brief.sections if s.heading.startswith("What Japan sells"))
    assert "CEPII BACI" in "".join(sp.text for sp in section.paragraphs[0])
    facts = {f.label: f for f in brief.notes.facts}
    car = facts["exports 870323 now"]  # by hand: 150 (thousand USD) in 2020
    assert car.value == 150_000 and car.text == "USD 150,000"
    assert brief.notes.order[car.notes[0] - 1] == "baci"
    assert facts["exports HHI 2019"].value == pytest.approx(
        ((100 / 150) ** 2 + (50 / 150) ** 2) * 10_000)
    assert "Etalab" in render.markdown(brief)
