"""The analytics in the API and on the dashboard: real values, errors, pages, state in URLs."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from kakehashi import catalog, questions
from kakehashi.analytics import ranking
from kakehashi.store import Store
from kakehashi.web import cache, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EVENT = "2018-08-12-kono-tours-ecuador-peru-colombia-and-mexico"
SPEC = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)
ONLY_TRADE = "&".join(f"w_{d.name}={1 if d.name == 'trade' else 0}" for d in ranking.DRIVERS)
ENDPOINTS = [
    "/api/analytics/thennow?target=MEX",
    "/api/analytics/indicators?target=LAC&years=2016-2020",
    "/api/analytics/concentration",
    "/api/analytics/rank?years=2015-2019&compare=2000-2004",
    "/api/analytics/shift-share?then=2000-2004&now=2016-2020",
    f"/api/analytics/events/{EVENT}?window=3",
    "/api/analytics/votes?target=MEX&by_issue=false",
    "/api/analytics/coherence",
    "/api/analytics/outlook?target=MEX&series=trade&horizon=5",
    "/api/events?type=visit",
]
PAGES = ["/compare?target=PER&then=2000-2004&now=2016-2020&constant=0", "/rank", "/events",
         f"/events/{EVENT}", "/methods", "/country/MEX", "/"]


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


def _esc(text: str) -> str:
    return str(escape(text))


def _specs(page: str) -> dict[str, dict[str, Any]]:
    return {m.group(1): json.loads(m.group(2)) for m in SPEC.finditer(page)}


def _error(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["status"] == status and err["message"]
    return str(err["message"])


def _licences_shown(page: str, provenance: list[dict[str, Any]]) -> None:
    assert provenance
    for p in provenance:
        assert _esc(p["license"]) in page, p["source_id"]


# -- API values -------------------------------------------------------------------------------

def test_thennow_mexico(client: TestClient) -> None:
    body = client.get("/api/analytics/thennow?target=MEX").json()
    assert set(body) == {"data", "unit", "provenance", "notes"}
    row = next(r for r in body["data"] if r["comparator"] == "JPN"
               and r["measure"] == "exports_usd")
    assert round(row["now_value"] / 1e6, 3) == pytest.approx(10513.818, abs=0.001)
    assert row["then"] == "2000-2004" and row["now"] == "2016-2020"
    assert body["provenance"][0]["source_id"] == "imf_dots"


def test_thennow_constant_prices(client: TestClient) -> None:
    body = client.get("/api/analytics/thennow?target=MEX&constant=true&base_year=2015").json()
    row = next(r for r in body["data"] if r["comparator"] == "JPN"
               and r["measure"] == "exports_usd")
    assert row["unit"] == "USD (2015 prices)" and "deflator" in body["notes"]


def test_rank_trade_only_2019(client: TestClient) -> None:
    body = client.get(f"/api/analytics/rank?years=2019&{ONLY_TRADE}").json()
    assert [r["country_iso3"] for r in body["data"][:3]] == ["MEX", "BRA", "CHL"]
    assert "trade=1, investment=0" in body["notes"]


def test_rank_compare_has_moves(client: TestClient) -> None:
    rows = client.get("/api/analytics/rank?years=2015-2019&compare=2000-2004").json()["data"]
    assert len(rows) == 33
    assert all(r["rank_move"] == r["rank_before"] - r["rank"] for r in rows)


def test_event_did(client: TestClient) -> None:
    body = client.get(f"/api/analytics/events/{EVENT}").json()
    trade = next(r for r in body["data"] if r["outcome"] == "log_trade")
    assert (trade["n_treated"], trade["n_control"], trade["permutations"]) == (4, 29, 40920)
    assert "CPTPP" in body["notes"]


def test_other_analytics(client: TestClient) -> None:
    hhi = client.get("/api/analytics/concentration").json()["data"]
    assert all(0 < r["hhi"] <= 1 for r in hhi)
    ss = client.get("/api/analytics/shift-share?then=2000-2004&now=2016-2020").json()["data"]
    mex = next(r for r in ss if r["country_iso3"] == "MEX")
    assert mex["market_effect"] + mex["share_effect"] == pytest.approx(mex["change"])
    votes = client.get("/api/analytics/votes?target=MEX&by_issue=true").json()["data"]
    assert {"issue", "with_iso3", "agreement"} <= set(votes[0])
    coh = client.get("/api/analytics/coherence").json()["data"]
    assert {r["kind"] for r in coh} == {"correlation", "outlier"}
    out = client.get("/api/analytics/outlook?target=MEX&series=trade&horizon=5").json()
    assert [r["kind"] for r in out["data"]].count("projection") == 5
    assert "not a forecast" in out["notes"]
    ind = client.get("/api/analytics/indicators?target=LAC&years=2016-2020").json()["data"]
    assert {r["year"] for r in ind} == set(range(2016, 2021))


@pytest.mark.parametrize("path", ENDPOINTS)
def test_csv_matches_json(client: TestClient, path: str) -> None:
    data = client.get(path).json()["data"]
    assert data
    r = client.get(f"{path}&format=csv" if "?" in path else f"{path}?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == list(dict.fromkeys(k for r in data for k in r)) and len(rows) - 1 == len(data)
    assert "attachment" in r.headers["content-disposition"]


def test_region_then_now_is_the_questions_answer(client: TestClient, store: Store) -> None:
    body = client.get("/api/region/then-now?then=2000-2004&now=2016-2020").json()
    assert body["data"] == questions.thennow(store, "LAC", "2000-2004", "2016-2020").data


# -- API errors -------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "needle"), [
    ("/api/analytics/thennow?target=MEX&then=2004-2000", "then="),
    ("/api/analytics/thennow?target=MEX&then=2010-2018&now=2016-2020", "end before"),
    ("/api/analytics/thennow?target=MEX&constant=maybe", "constant="),
    ("/api/analytics/thennow?target=MEX&constant=1&base_year=1900", "base_year="),
    ("/api/analytics/indicators?years=abc", "years="),
    ("/api/analytics/rank?w_trade=-1", "w_trade"),
    ("/api/analytics/rank?w_trade=x", "w_trade"),
    ("/api/analytics/rank?w_bogus=1", "w_trade"),
    (f"/api/analytics/rank?{ONLY_TRADE.replace('w_trade=1', 'w_trade=0')}", "All weights"),
    ("/api/analytics/shift-share?then=2016-2020&now=2000-2004", "end before"),
    (f"/api/analytics/events/{EVENT}?window=0", "window"),
    (f"/api/analytics/events/{EVENT}?window=x", "window"),
    ("/api/analytics/votes?target=MEX&by_issue=perhaps", "by_issue"),
    ("/api/analytics/outlook?target=MEX&series=gdp", "series"),
    ("/api/analytics/outlook?target=MEX&horizon=50", "horizon"),
    ("/api/analytics/rank?format=xml", "csv"),
    ("/api/events?from=20x0", "from="),
    ("/api/events?type=parade", "visit"),
])
def test_bad_params_are_400_json(client: TestClient, path: str, needle: str) -> None:
    assert needle in _error(client.get(path), 400)


def test_unknown_event_and_target_are_404(client: TestClient) -> None:
    assert "kono" in _error(client.get("/api/analytics/events/kono"), 404)
    _error(client.get("/api/analytics/events/no-such-event"), 404)
    _error(client.get("/api/analytics/thennow?target=XXX"), 404)
    r = client.get("/events/no-such-event")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


def test_openapi_lists_the_weights(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/v1/analytics/rank"]["get"]["parameters"]}
    assert {f"w_{d.name}" for d in ranking.DRIVERS} <= params


# -- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_nav_and_specs(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    for href in ("/compare", "/rank", "/events", "/methods"):
        assert f'href="{href}"' in r.text
    assert "<script>" not in r.text  # CSP: no inline scripts
    for name, spec in _specs(r.text).items():
        assert spec["description"] and f'aria-label="{_esc(spec["description"])}"' in r.text
        assert spec["data"]["values"], name


def test_compare_page(client: TestClient, store: Store) -> None:
    r = client.get("/compare?target=PER&then=2000-2004&now=2016-2020&constant=0")
    page = r.text
    assert "Then and now: Peru" in page
    _licences_shown(page, questions.thennow(store, "PER").provenance)
    for h in questions.highlights(questions.thennow(store, "PER").data):
        assert _esc(h) in page
    assert "thennow-spec" in page
    assert "/api/v1/analytics/thennow?target=PER&amp;then=2000-2004&amp;now=2016-2020" in page
    assert 'option value="Caribbean"' in page and 'option value="LAC"' in page
    assert page.count("<option") == 1 + 3 + 33
    assert "Total trade (USD mn)" in page and "Rank among the target" in page


def _form_state(page: str) -> dict[str, str]:
    """The query string a browser would send from the page's first GET form."""
    form = page[page.index("<form"):page.index("</form>")]
    state = {}
    for m in re.finditer(r"<input ([^>]*)>", form):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get("type") == "checkbox":
            if " checked" in m.group(1):
                state[attrs["name"]] = attrs["value"]
        elif "name" in attrs:
            state[attrs["name"]] = attrs.get("value", "")
    for m in re.finditer(r'<select [^>]*name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        state[m.group(1)] = sel.group(1) if sel else ""
    return state


@pytest.mark.parametrize("query", [
    {"target": "PER", "then": "2000-2004", "now": "2016-2020"},
    {"target": "Caribbean", "then": "1995-1999", "now": "2015", "constant": "1",
     "base_year": "2010"},
])
def test_compare_form_round_trips(client: TestClient, query: dict[str, str]) -> None:
    url = "/compare?" + "&".join(f"{k}={v}" for k, v in query.items())
    state = _form_state(client.get(url).text)
    for key, value in query.items():
        assert state[key] == value, key
    assert ("constant" in state) == ("constant" in query)
    again = client.get("/compare", params=state)
    assert again.status_code == 200 and _form_state(again.text) == state


def test_rank_page(client: TestClient, store: Store) -> None:
    page = client.get(f"/rank?years=2019&compare=2000-2004&{ONLY_TRADE}").text
    _licences_shown(page, questions.rank(store, "2019").provenance)
    for d in ranking.DRIVERS:
        assert f'<label for="w_{d.name}">{_esc(d.label)}</label>' in page
        assert _esc(d.method) in page
    assert 'name="w_trade" type="number" min="0" max="5" step="0.5" value="1"' in page
    assert 'name="w_growth" type="number" min="0" max="5" step="0.5" value="0"' in page
    specs = _specs(page)
    assert {"rank-spec", "shift-share-spec"} <= set(specs)
    body = page[page.index('id="rank"'):]
    assert body.index("Mexico") < body.index("Brazil") < body.index("Chile")
    assert "Move since 2000-2004" in page and "Market effect" in page
    assert "/api/v1/analytics/shift-share?then=2000-2004&amp;now=2019" in page


def test_events_page_filters_narrow_the_list(client: TestClient, store: Store) -> None:
    everything = client.get("/events").text
    n_all = everything.count('href="/events/')
    assert n_all == len(catalog.events(store).data)
    _licences_shown(everything, catalog.events(store).provenance)
    visits = client.get("/events?type=visit").text
    assert 0 < visits.count('href="/events/') < n_all
    peru = client.get("/events?country=PER&from=2010&to=2019").text
    expected = catalog.events(store, country="PER", first=2010, last=2019).data
    assert peru.count('href="/events/') == len(expected) > 0
    assert '<option value="PER" selected>' in peru and 'value="2010"' in peru
    assert "/api/v1/events?country=PER&amp;from=2010&amp;to=2019" in peru
    assert "events-timeline-spec" in everything
    assert "No events match" in client.get("/events?from=1950&to=1951").text


def test_event_page(client: TestClient, store: Store) -> None:
    page = client.get(f"/events/{EVENT}").text
    ev = catalog.event(store, EVENT)
    assert _esc(ev["title"]) in page
    for url in ev["source_urls"]:
        assert _esc(url) in page
    answer = questions.event(store, EVENT)
    _licences_shown(page, answer.provenance)
    assert "log_trade" in page and "40,920" in page and "Difference in differences" in page
    assert "CPTPP" in page  # related agreements, from the notes
    assert f"/api/v1/analytics/events/{EVENT}?window=3" in page
    assert client.get(f"/events/{EVENT}?window=0").status_code == 400


def test_country_page_analytics(client: TestClient, store: Store) -> None:
    page = client.get("/country/MEX").text
    for key in ("thennow-spec", "outlook-spec", "votes-spec"):
        assert key in _specs(page)
    assert 'href="/compare?target=MEX&amp;then=2000-2004&amp;now=2016-2020"' in page
    assert "UN votes by issue, 2010-2019" in page and "Human rights" in page
    assert 'class="flagged"' in page and "Trade intensity" in page
    assert "Projection, not a forecast" in page
    outlook = _specs(page)["outlook-spec"]
    assert {v["kind"] for v in outlook["data"]["values"]} == {"Observed",
                                                             "Projection, not a forecast"}
    _licences_shown(page, questions.trade_indicators(store, "MEX").provenance)
    _licences_shown(page, questions.diplomatic_support(store, "MEX").provenance)


def test_region_page_analytics(client: TestClient, store: Store) -> None:
    page = client.get("/").text
    assert "region-hhi-spec" in page and "region-outlook-spec" in page
    assert "Spearman rho" in page and "under-attended" in page
    _licences_shown(page, questions.coherence(store).provenance)
    assert "/api/v1/analytics/coherence" in page and "/api/v1/analytics/concentration" in page
    assert 'href="/compare?target=LAC' in page


def test_methods_page(client: TestClient) -> None:
    page = client.get("/methods").text
    assert "<h1>Methods</h1>" in page and "Difference in differences" not in page[:200]
    assert "<h2>Then vs now (<code>kakehashi thennow</code>)</h2>" in page
    for d in ranking.DRIVERS:
        assert f"<code>w_{d.name}</code>" in page


def test_methods_copy_in_package_is_current() -> None:
    from kakehashi.web import pages_analytics

    repo, packaged = pages_analytics.METHODS_FILES
    assert packaged.is_file(), "ship docs/methods.md inside the package"
    assert packaged.read_text(encoding="utf-8") == repo.read_text(encoding="utf-8"), (
        "the packaged copy is stale: cp docs/methods.md src/kakehashi/web/static/methods.md")


def test_methods_page_without_the_file(client: TestClient,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kakehashi.web import pages_analytics

    monkeypatch.setattr(pages_analytics, "METHODS_FILES", (Path("/nonexistent/methods.md"),))
    cache.clear()  # the page as served before is kept whole
    page = client.get("/methods").text
    cache.clear()
    assert "not installed" in page and 'href="/api/v1/analytics/rank"' in page
    assert "Ranking drivers" in page


def test_pages_are_fast_once_warm(client: TestClient) -> None:
    for path in PAGES:
        client.get(path)
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        assert time.perf_counter() - start < 1.0, path
