"""Languages, permalinks, embeds, the region map and the documents section."""

from __future__ import annotations

import ast
import json
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from kakehashi.store import Store
from kakehashi.web import create_app, i18n, tilemap

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

WEB = Path(i18n.__file__).resolve().parent


@pytest.fixture(scope="module")
def app_client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    app_client.cookies.clear()  # no language left over from another test
    return app_client


def _keys_in_code() -> set[str]:
    keys: set[str] = set()
    for path in WEB.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                keys.add(node.args[0].value)
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'_\(\s*"([^"]*)"', text))
        keys |= set(re.findall(r"_\(\s*'([^']*)'", text))
    return keys


def test_every_key_in_every_language() -> None:
    files = {lang: json.loads((WEB / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
             for lang in i18n.LANGS}
    assert set(files["en"]) == set(files["es"]) == set(files["ja"])
    assert all(k == v for k, v in files["en"].items())
    missing = _keys_in_code() - set(files["en"])
    assert not missing, f"add to web/locales/*.json: {sorted(missing)}"
    fields = re.compile(r"\{(\w+)")
    for lang in ("es", "ja"):
        for key, text in files[lang].items():
            assert text.strip(), (lang, key)
            assert set(fields.findall(text)) == set(fields.findall(key)), (lang, key)


@pytest.mark.parametrize(("header", "expected"), [
    ("es-ES,es;q=0.9,en;q=0.8", "es"), ("ja", "ja"), ("fr-FR,ja;q=0.5,es;q=0.4", "ja"),
    ("de", None), ("", None), ("en;q=0.1,es;q=0.2", "es"), ("es;q=0", None)])
def test_accept_language(header: str, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


def test_language_choice_cookie_and_html_lang(client: TestClient, store: Store) -> None:
    es, ja = store.query("SELECT name_es, name_ja FROM countries WHERE iso3 = 'PER'").rows[0]
    r = client.get("/country/PER?lang=es")
    assert '<html lang="es">' in r.text and f"Japón y {es}" in r.text
    assert "lang=es" in r.headers["set-cookie"]
    # the cookie keeps the choice; ?lang= wins over it; Accept-Language is the default
    assert '<html lang="es">' in client.get("/").text
    assert f"日本と{ja}" in client.get("/country/PER?lang=ja").text
    client.cookies.clear()
    assert '<html lang="en">' in client.get("/").text
    assert '<html lang="ja">' in client.get("/", headers={"Accept-Language": "ja-JP"}).text
    assert '<html lang="en">' in client.get("/?lang=xx").text


@pytest.mark.parametrize("lang", ["en", "es", "ja"])
@pytest.mark.parametrize("path", ["/", "/country/PER", "/compare?target=PER", "/rank",
                                  "/events", "/events/2005-04-01-japan-mexico-epa-enters-"
                                  "into-force", "/sources", "/methods"])
def test_every_page_in_every_language(client: TestClient, path: str, lang: str) -> None:
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}lang={lang}")
    assert r.status_code == 200 and f'<html lang="{lang}">' in r.text
    assert "<script>" not in r.text


def test_country_names_in_each_language(client: TestClient, store: Store) -> None:
    for lang in ("en", "es", "ja"):
        page = client.get(f"/?lang={lang}").text
        for (name,) in store.query(f"SELECT name_{lang} FROM countries WHERE is_lac33").rows:
            assert str(escape(name)) in page, name


def test_permalinks_and_embed_snippets(client: TestClient) -> None:
    page = client.get("/compare?target=PER&then=2000-2004&now=2016-2020&lang=es").text
    assert 'href="/compare?target=PER&amp;then=2000-2004&amp;now=2016-2020&amp;lang=es#thennow"' \
        in page
    m = re.search(r'src="(http://testserver/embed/compare/thennow\?[^"]+)"', page)
    assert m, "an <iframe> snippet under the chart"
    embed = client.get(m.group(1).replace("&amp;", "&"))
    assert embed.status_code == 200 and 'id="thennow-spec"' in embed.text
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers
    assert "Fuente:" in embed.text and "Licencia:" in embed.text
    assert client.get("/embed/region/region-map").status_code == 200
    assert client.get("/embed/country/PER/trade").status_code == 200
    assert client.get("/embed/rank/rank").status_code == 200
    assert client.get("/embed/events/events-timeline").status_code == 200
    assert client.get("/embed/country/PER/nope").status_code == 404
    assert client.get("/country/PER").headers["x-frame-options"] == "SAMEORIGIN"


def test_chart_tools_under_every_chart(client: TestClient) -> None:
    page = client.get("/country/PER").text
    charts = re.findall(r'<div class="chart" id="([^"]+)-chart"', page)
    assert len(charts) >= 9
    for cid in charts:
        assert f'data-export="png" data-chart="{cid}-chart"' in page
        assert f'data-export="svg" data-chart="{cid}-chart"' in page
    assert page.count("Copy link") >= len(charts)
    assert page.count("Data version:") >= len(charts)


def test_region_map(client: TestClient, store: Store) -> None:
    assert len(tilemap.TILES) == 33 and len(set(tilemap.TILES.values())) == 33
    codes = {r[0] for r in store.query("SELECT iso3 FROM countries WHERE is_lac33").rows}
    assert set(tilemap.TILES) == codes
    for measure in tilemap.MEASURES:
        for view in tilemap.VIEWS:
            page = client.get(f"/?measure={measure}&view={view}").text
            spec = json.loads(re.search(r'id="region-map-spec">(.*?)</script>', page,
                                        re.S).group(1))
            values = spec["data"]["values"]
            assert len(values) == 33
            assert all((v["value"] is None) == (v["shown"] == "no data") for v in values)
            assert spec["encoding"]["href"]["field"] == "url"
    assert client.get("/?view=sideways").status_code == 400


def test_events_drawn_on_the_trade_charts(client: TestClient) -> None:
    page = client.get("/country/PER").text
    spec = json.loads(re.search(r'id="trade-spec">(.*?)</script>', page, re.S).group(1))
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rules and all(v["title"] for v in rules[0]["data"]["values"])


def test_documents_section(client: TestClient, store_path: Path, tmp_path: Path) -> None:
    page = client.get("/country/PER").text
    assert "No documents ingested yet" in page and "kakehashi ingest PATH|URL" in page
    copy = tmp_path / "with-docs.duckdb"
    shutil.copy(store_path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("CREATE OR REPLACE TABLE documents (doc_id VARCHAR, title VARCHAR, "
                    "published DATE, language VARCHAR, url VARCHAR, origin VARCHAR, "
                    "countries VARCHAR[])")
        con.execute("CREATE OR REPLACE TABLE mentions (doc_id VARCHAR, kind VARCHAR, "
                    "value VARCHAR)")
        con.execute("INSERT INTO documents VALUES ('d1', 'Japón y Perú: acuerdo', "
                    "'2019-05-01', 'es', 'https://example.org/d1', 'https://example.org/d1', "
                    "['PER']), ('d2', 'Only Chile', NULL, 'en', NULL, 'file.pdf', ['CHL'])")
        con.execute("INSERT INTO mentions VALUES ('d2', 'country', 'CHL')")
    with TestClient(create_app(copy)) as other:
        peru = other.get("/country/PER").text
        assert "Japón y Perú: acuerdo" in peru and 'href="https://example.org/d1"' in peru
        assert "Only Chile" not in peru
        assert "Only Chile" in other.get("/country/CHL").text


def test_missing_is_never_zero_on_the_map(client: TestClient) -> None:
    rows = client.get("/api/v1/region/map?measure=japan_oda").json()["data"]
    missing = {r["iso3"] for r in rows if r["now_value"] is None}
    assert missing  # some countries get no ODA data in 2016-2020
    page = client.get("/?measure=japan_oda&view=now").text
    spec = json.loads(re.search(r'id="region-map-spec">(.*?)</script>', page, re.S).group(1))
    shown = {v["iso3"]: v for v in spec["data"]["values"]}
    assert all(shown[c]["value"] is None and shown[c]["shown"] == "no data" for c in missing)
