"""End to end in a real browser: Debian's chromium, driven by Playwright, against a real
`kakehashi serve` on a loopback port and a store built from the bundled snapshot.

The path a new user takes: the region map, a click to Peru, the periods changed on the compare
page, the CSV downloaded and checked against the store, the language switched, a permalink
followed; every chart drawn, no console error (CSP violations are console errors).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kakehashi.store import Store

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KAKEHASHI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serve(store_path: Path, log: Path) -> Iterator[str]:
    """`kakehashi serve` on a free loopback port, until the block ends."""
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kakehashi", "serve", "--store", str(store_path), "--port",
             str(port)], stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if proc.poll() is not None:
                pytest.fail(f"kakehashi serve exited: {log.read_text(errors='replace')}")
            try:
                if httpx.get(base + "/api/v1/countries", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("kakehashi serve did not answer within 30 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serve(store_path, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def docs_server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a copy of the store with eight labelled real texts ingested (en/es/ja), the
    Spanish ones read by the event reader (ingest --reader); es07's reading is then marked
    unsure by hand, so that the review queue has one document."""
    import duckdb

    from kakehashi.text import docstore, quality
    from kakehashi.text.ingest import read_event_types, read_targets

    tmp = tmp_path_factory.mktemp("serve-docs")
    copy = tmp / "kakehashi.duckdb"
    shutil.copy(store_path, copy)
    documents = []
    wanted = {"en01", "en02", "en03", "es01", "es07", "ja02", "ja03", "ja05"}
    for item in quality.load(REPO / "tests" / "data" / "text" / "labelled.jsonl"):
        if item["id"] in wanted:
            f = tmp / f"{item['id']}.txt"
            f.write_text(str(item["text"]), encoding="utf-8")
            documents += read_targets([str(f)], published=item.get("published"),
                                      embeddings=True).documents
    assert read_event_types(documents) == 2
    docstore.ingest_into_store(copy, documents)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE documents SET event_confident = false WHERE origin LIKE '%es07.txt'")
    con.close()
    with _serve(copy, tmp / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make test`, which "
                    "installs it (apt-get install chromium), then run the browser tests again.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).is_file()
                              else shutil.which("chromium"), args=ARGS)
        yield b
        b.close()


class Page:
    """A page with its console errors collected."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Page]:
    t = Page(browser, locale="en-GB")
    yield t
    t.close()


def _drawn(page: Any, chart_id: str) -> None:
    """The chart's container holds a Vega-drawn SVG with marks."""
    page.wait_for_selector(f"#{chart_id}.drawn svg", timeout=30_000)
    assert page.locator(f"#{chart_id} svg .mark-rect, #{chart_id} svg .mark-line, "
                        f"#{chart_id} svg .mark-symbol").count() > 0


def test_region_to_peru_compare_download_language_permalink(
        server: str, tab: Page, store: Store, tmp_path: Path) -> None:
    page = tab.page
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    _drawn(page, "region-map-chart")
    _drawn(page, "region-trade-chart")
    # hover a tile: the tooltip shows the country and its value
    tile = page.locator("#region-map-chart svg .mark-text text", has_text=re.compile(r"^PER$"))
    tile.first.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
    assert "Peru" in page.locator("#vg-tooltip-element").inner_text()
    # click Peru on the map: its country page
    tile.first.click()
    page.wait_for_url(re.compile(r"/country/PER"), timeout=20_000)
    assert page.locator("h1").inner_text() == "Japan and Peru"
    _drawn(page, "trade-chart")
    _drawn(page, "comparators-chart")
    # the events are drawn on the trade chart (rules)
    assert page.locator("#trade-chart svg .mark-rule line").count() > 0

    # Japan's trade with Peru as CSV: every row is the store's
    with page.expect_download() as dl:
        page.locator("#trade .chart-tools a", has_text="Download CSV").click()
    path = tmp_path / "trade.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    sql = store.query("""
        SELECT year, any_value(value_usd) FILTER (WHERE flow = 'export'),
               any_value(value_usd) FILTER (WHERE flow = 'import')
        FROM trade_flows WHERE source_id = 'imf_dots' AND reporter_iso3 = 'JPN'
          AND partner_iso3 = 'PER' AND month IS NULL GROUP BY year ORDER BY year""").rows
    assert len(rows) == len(sql) > 40
    for row, (year, exports, imports) in zip(rows, sql, strict=True):
        assert int(row["year"]) == year
        assert (float(row["exports_usd"]) if row["exports_usd"] else None) == exports
        assert (float(row["imports_usd"]) if row["imports_usd"] else None) == imports

    # compare: change the periods in the form
    page.locator("nav.toc a", has_text="Compare periods").click()
    page.wait_for_url(re.compile(r"/compare\?"))
    page.fill("#then", "2000-2004")
    page.fill("#now", "2016-2020")
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url(re.compile(r"then=2000-2004.*now=2016-2020"))
    _drawn(page, "thennow-chart")
    assert "Peru" in page.locator("h1").inner_text()
    with page.expect_download() as dl:
        page.locator("#thennow .chart-tools a", has_text="Download CSV").click()
    path = tmp_path / "thennow.csv"
    dl.value.save_as(path)
    got = {(r["comparator"], r["measure"]): r for r in
           csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}
    japan = got[("JPN", "total_trade_usd")]
    for period, (first, last) in (("then_value", (2000, 2004)), ("now_value", (2016, 2020))):
        mean = store.query("""
            SELECT avg(t) FROM (SELECT year, sum(value_usd) AS t FROM trade_flows
            WHERE source_id = 'imf_dots' AND reporter_iso3 = 'JPN' AND partner_iso3 = 'PER'
              AND month IS NULL AND year BETWEEN ? AND ? GROUP BY year)""",
                           [first, last]).rows[0][0]
        assert float(japan[period]) == pytest.approx(mean, rel=1e-9)
    assert ("CHN", "total_trade_usd") in got

    # the permalink restores the view (in a new browser context: no cookie)
    href = page.locator("#thennow .chart-tools a.permalink").get_attribute("href")
    assert href and "then=2000-2004" in href and href.endswith("#thennow")
    assert not tab.errors, tab.errors

    # switch language: Spanish, then Japanese; country names from the store
    names = dict(zip(("es", "ja"), store.query(
        "SELECT name_es, name_ja FROM countries WHERE iso3 = 'PER'").rows[0], strict=True))
    page.goto(server + "/country/PER")
    page.locator("nav.langs a", has_text="Español").click()
    page.wait_for_url(re.compile(r"lang=es"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == f"Japón y {names['es']}"
    assert page.locator("#trade .chart-tools a", has_text="Descargar CSV").count() == 1
    _drawn(page, "trade-chart")
    page.goto(server + "/")  # the cookie keeps Spanish
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(server + "/country/PER")
    page.locator("nav.langs a[hreflang=ja]").click()
    page.wait_for_url(re.compile(r"lang=ja"))
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == f"日本と{names['ja']}"
    assert "貿易" in page.locator("#trade h2").inner_text()
    _drawn(page, "trade-chart")
    assert not tab.errors, tab.errors

    fresh = Page(page.context.browser, locale="en-GB")
    try:
        fresh.page.goto(server + href)
        _drawn(fresh.page, "thennow-chart")
        assert fresh.page.input_value("#then") == "2000-2004"
        assert fresh.page.input_value("#now") == "2016-2020"
        assert fresh.page.locator("#target option[selected]").get_attribute("value") == "PER"
        assert fresh.page.evaluate("location.hash") == "#thennow"
        assert fresh.page.locator("html").get_attribute("lang") == "en"
        assert not fresh.errors, fresh.errors
    finally:
        fresh.close()


def test_accept_language_picks_the_interface(server: str, browser: Any) -> None:
    t = Page(browser, locale="es-ES", extra_http_headers={"Accept-Language": "es-ES,es;q=0.9"})
    try:
        t.page.goto(server + "/")
        assert t.page.locator("html").get_attribute("lang") == "es"
        assert t.page.locator("h1").inner_text() == "Japón y América Latina y el Caribe"
    finally:
        t.close()


def test_png_svg_export_and_embed(server: str, tab: Page, tmp_path: Path) -> None:
    page = tab.page
    page.goto(server + "/country/MEX")
    _drawn(page, "comparators-chart")
    for fmt in ("png", "svg"):
        with page.expect_download() as dl:
            page.locator(f"#comparators button[data-export={fmt}]").click()
        path = tmp_path / f"chart.{fmt}"
        dl.value.save_as(path)
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data[:400]
    snippet = page.locator("#comparators-embed").input_value()
    src = re.search(r'src="([^"]+)"', snippet)
    assert src and "/embed/country/MEX/comparators?" in src.group(1)
    page.goto(src.group(1))
    _drawn(page, "comparators-chart")
    assert page.locator(".prov .src").count() >= 2  # source, licence, version; data version
    response = httpx.get(src.group(1))
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    assert "frame-ancestors 'self'" in httpx.get(server + "/country/MEX").headers[
        "content-security-policy"]
    assert not tab.errors, tab.errors


def test_country_products_chart_and_csv(server: str, tab: Page, store: Store,
                                        tmp_path: Path) -> None:
    """Mexico's page draws the products charts (bundled HS4 data); the CSV is the store's."""
    page = tab.page
    page.goto(server + "/country/MEX#products")
    for chart in ("products-exports-chart", "products-imports-chart",
                  "products-sections-exports-chart", "products-hhi-chart"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        _drawn(page, chart)
    assert page.locator("#products-exports-chart svg .mark-symbol path").count() >= 10
    with page.expect_download() as dl:
        page.locator("#products-exports .chart-tools a", has_text="Download CSV").click()
    path = tmp_path / "products.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    # Japan's exports to Mexico, 2020-2021: Mexico's declared imports from Japan, by HS4
    sql = dict(store.query("""
        SELECT hs4, sum(value_usd) / 2 FROM product_trade WHERE reporter_iso3 = 'MEX'
          AND partner_iso3 = 'JPN' AND flow = 'import' AND year BETWEEN 2020 AND 2021
        GROUP BY hs4""").rows)
    first = next(r for r in rows if r["rank_now"] == "1")
    assert first["product"] == max(sql, key=lambda k: sql[k])
    assert float(first["value_now"]) == pytest.approx(sql[first["product"]], rel=1e-9)
    assert {"new", "lost", "continuing"} >= {r["status"] for r in rows}
    assert not tab.errors, tab.errors


def test_keyboard_and_phone_width(server: str, browser: Any) -> None:
    t = Page(browser, viewport={"width": 390, "height": 844})
    try:
        page = t.page
        page.goto(server + "/country/PER")
        _drawn(page, "trade-chart")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # nothing wider than the phone: the page does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 392
        # every chart tool button is reachable with the keyboard
        focusable = page.locator("#trade .chart-tools button, #trade .chart-tools a")
        assert focusable.count() >= 5
        assert all(focusable.nth(i).evaluate("e => e.tabIndex >= 0")
                   for i in range(focusable.count()))
        page.goto(server + "/")
        _drawn(page, "region-map-chart")
        assert page.evaluate("document.documentElement.scrollWidth") <= 392
        assert not t.errors, t.errors
    finally:
        t.close()


def test_documents_search_and_filter(docs_server: str, tab: Page) -> None:
    page = tab.page
    page.goto(docs_server + "/")
    page.locator("header nav a", has_text="Documents").click()
    page.wait_for_url(re.compile(r"/documents"))
    assert page.locator("li.document").count() == 8  # no query: every document, newest first
    # search in Japanese: documents about Peru in three languages, hits highlighted
    page.fill("#q", "ペルー")
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=%E3%83%9A"))
    langs = {t.strip() for t in page.locator("li.document .when .tag[lang]").all_inner_texts()}
    assert {"English", "Español", "日本語"} <= langs
    assert page.locator("li.document .snippet mark").count() > 0
    # filter to Japanese documents: the address keeps the query and the filter
    page.select_option("#language", "ja")
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url(re.compile(r"language=ja"))
    assert page.input_value("#q") == "ペルー"
    assert page.locator("li.document").count() >= 1
    assert set(page.locator("li.document .when .tag[lang]").all_inner_texts()) == {"日本語"}
    assert all("Peru" in t for t in page.locator("li.document .when a.country").all_inner_texts())
    # the permalink restores it in a fresh context
    href = page.locator("a.permalink").get_attribute("href")
    assert href and "language=ja" in href
    fresh = Page(page.context.browser, locale="en-GB")
    try:
        fresh.page.goto(docs_server + href)
        assert fresh.page.input_value("#q") == "ペルー"
        assert fresh.page.locator("#language option[selected]").get_attribute("value") == "ja"
        assert fresh.page.locator("li.document").count() == page.locator("li.document").count()
        assert not fresh.errors, fresh.errors
    finally:
        fresh.close()
    assert not tab.errors, tab.errors


def test_documents_event_types_and_the_review_queue(docs_server: str, tab: Page) -> None:
    page = tab.page
    page.goto(docs_server + "/documents")
    tags = page.locator("li.document .tag.event")
    assert tags.count() == 8  # every document shows its event type
    assert page.locator('li.document .tag.event[data-by="reader"]').count() == 2
    # only the event types to check: the one reading the reader was not confident of
    page.check("input[name=unsure]")
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url(re.compile(r"unsure=true"))
    assert page.locator("li.document").count() == 1
    unsure = page.locator("li.document .tag.event")
    assert "not confident" in (unsure.get_attribute("title") or "")
    assert unsure.locator("abbr.unsure").inner_text() == "?"
    assert "unsure=true" in (page.locator("a.permalink").get_attribute("href") or "")
    # by event type: every listed document has it
    page.uncheck("input[name=unsure]")
    page.select_option("#event_type", "visit")
    page.locator("form.controls button[type=submit]").click()
    page.wait_for_url(re.compile(r"event_type=visit"))
    shown = [t.strip().rstrip("?").strip()
             for t in page.locator("li.document .tag.event").all_inner_texts()]
    assert shown and set(shown) == {"visit"}
    assert not tab.errors, tab.errors
