"""The documents page and /api/v1/documents/search, on a real store with the labelled real texts
ingested (four languages, embeddings on), against the ranking `kakehashi search` uses."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kakehashi.store import open_store
from kakehashi.text import docstore, quality
from kakehashi.text.ingest import read_targets
from kakehashi.text.search import load_rows, search
from kakehashi.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"
API = "/api/v1/documents/search"


@pytest.fixture(scope="module")
def docs_store(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's store with the 59 labelled real texts ingested."""
    tmp = tmp_path_factory.mktemp("web-docs")
    path = tmp / "kakehashi.duckdb"
    shutil.copy(store_path, path)
    targets = []
    for item in quality.load(LABELLED):
        f = tmp / f"{item['id']}.txt"
        f.write_text(str(item["text"]), encoding="utf-8")
        targets.append((str(f), item.get("published")))
    documents = []
    for target, published in targets:
        batch = read_targets([target], published=published, embeddings=True)
        assert batch.problems == []
        documents += batch.documents
    docstore.ingest_into_store(path, documents)
    return path


@pytest.fixture(scope="module")
def client(docs_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(docs_store)) as c:
        yield c


@pytest.fixture(scope="module")
def empty_client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


def _cli_ranking(store: Path, query: str, **filters: object) -> list[str]:
    s = open_store(store)
    try:
        return [h.doc_id for h in search(load_rows(s), query, limit=20, **filters)]  # type: ignore[arg-type]
    finally:
        s.close()


def test_empty_store_says_how_to_add_documents(empty_client: TestClient) -> None:
    page = empty_client.get("/documents?q=Peru")
    assert page.status_code == 200
    assert "No documents yet: run kakehashi ingest PATH|URL" in page.text
    body = empty_client.get(API + "?q=Peru").json()
    assert body["data"] == [] and "kakehashi ingest" in body["notes"]
    assert empty_client.get(API + "?q=Peru&format=csv").text.startswith("doc_id,title,")


@pytest.mark.parametrize("query, filters", [
    ("Japanese foreign minister meets Peru counterpart", {}),
    ("préstamo de JICA a Bolivia", {}),
    ("ペルー 外相会談", {}),
    ("Japón", {"since": date(2020, 1, 1)}),
    ("agreement", {"country": "MEX"}),
    ("Brasil", {"theme": "migration_nikkei", "language": "pt"}),
])
def test_api_ranks_as_the_cli_does(client: TestClient, docs_store: Path, query: str,
                                   filters: dict[str, object]) -> None:
    params = {"q": query, **{k: str(v) for k, v in filters.items()}}
    body = client.get(API, params=params).json()
    got = [r["doc_id"] for r in body["data"]]
    assert got and got == _cli_ranking(docs_store, query, **filters)
    assert set(body) == {"data", "unit", "provenance", "notes"}
    assert [p["source_id"] for p in body["provenance"]] == [f"document:{d}" for d in got]
    for row, prov in zip(body["data"], body["provenance"], strict=True):
        assert prov["version"] == f"sha256:{row['sha256']}" and prov["citation"]
        assert prov["retrieved"] == row["retrieved_at"][:10]
        for a, b in row["highlights"]:
            assert 0 <= a < b <= len(row["snippet"])
        if "country" in filters:
            assert filters["country"] in row["countries"]
        if "theme" in filters:
            assert filters["theme"] in row["themes"]
        if "language" in filters:
            assert row["language"] == filters["language"]
        if "since" in filters:
            assert row["published"] >= "2020-01-01"


def test_page_shows_results_with_highlights_state_and_downloads(client: TestClient) -> None:
    url = "/documents?q=ペルー+訪問&country=PER&language=ja"
    page = client.get(url).text
    rows = client.get(API + "?q=ペルー+訪問&country=PER&language=ja").json()["data"]
    assert rows
    for r in rows:
        assert r["title"] in page
        assert r["language"] == "ja" and "PER" in r["countries"]
    assert "<mark>ペルー</mark>" in page or "<mark>訪問</mark>" in page
    # the form keeps the state; the permalink and the CSV carry it
    assert 'value="ペルー 訪問"' in page
    assert '<option value="PER" selected>' in page
    assert '<option value="ja" lang="ja" selected>' in page
    permalink = re.search(r'class="permalink" href="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert "country=PER" in permalink and "language=ja" in permalink
    csv_link = re.search(r'class="csv" href="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    c = client.get(csv_link.replace("&amp;", "&"))
    assert "attachment" in c.headers["content-disposition"] and c.headers["etag"]
    assert "document:" in c.headers["x-kakehashi-license"]
    got = list(csv.DictReader(io.StringIO(c.text)))
    assert [g["doc_id"] for g in got] == [r["doc_id"] for r in rows]
    assert got[0]["countries"] and got[0]["sha256"]


def test_filters_without_a_query_list_newest_first(client: TestClient) -> None:
    rows = client.get(API + "?language=es&since=2015-01-01&until=2024-12-31&limit=50").json()
    dates = [r["published"] for r in rows["data"]]
    assert dates and dates == sorted(dates, reverse=True)
    assert all("2015-01-01" <= d <= "2024-12-31" for d in dates)
    assert all(r["language"] == "es" and r["score"] is None for r in rows["data"])
    page = client.get("/documents?language=es&since=2015-01-01").text
    assert "Latest documents" in page and 'value="2015-01-01"' in page


def test_no_match_and_bad_parameters(client: TestClient) -> None:
    page = client.get("/documents?q=zzzqqqxxx").text
    assert "No document matches" in page
    for url, status, words in [
        (API + "?since=2019-13-01", 400, "since='2019-13-01' is not a date"),
        (API + "?theme=weather", 400, "not a theme"),
        (API + "?language=fr", 400, "language='fr'"),
        (API + "?since=2020-01-01&until=2019-01-01", 400, "swap them"),
        (API + "?limit=0", 400, "limit=0"),
        (API + "?country=XXX", 404, "XXX"),
    ]:
        r = client.get(url)
        assert r.status_code == status, url
        assert words in r.json()["error"]["message"], r.json()
    assert client.get("/documents?since=yesterday").status_code == 400


def test_navigation_language_and_schema(client: TestClient) -> None:
    assert 'href="/documents"' in client.get("/").text
    ja = client.get("/documents?lang=ja").text
    assert "文書を検索" in ja and '<html lang="ja">' in ja
    es = client.get("/documents?lang=es&theme=trade").text
    assert "Buscar documentos" in es and '<option value="trade" selected>Comercio' in es
    schema = client.get("/api/v1/openapi.json").json()
    op = schema["paths"][API]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"q", "country", "theme", "language",
                                                      "since", "until", "limit", "format"}
    assert "provenance" in str(op["responses"]["200"])


def test_each_document_says_who_chose_its_event_type(store_path: Path, tmp_path: Path) -> None:
    """Rules or the event reader (ingest --reader), and a reading the reader is not confident
    of marked for a check, on the page and in the API."""
    import duckdb

    from kakehashi.text.ingest import read_event_types

    labelled = quality.load(LABELLED)
    items = [next(i for i in labelled if i["lang"] == lang) for lang in ("es", "en")]
    path = tmp_path / "kakehashi.duckdb"
    shutil.copy(store_path, path)
    documents = []
    for item in items:
        f = tmp_path / f"{item['id']}.txt"
        f.write_text(str(item["text"]), encoding="utf-8")
        documents += read_targets([str(f)], published=item.get("published")).documents  # type: ignore[arg-type]
    assert read_event_types(documents) == 1
    docstore.ingest_into_store(path, documents)
    unsure = tmp_path / "unsure.duckdb"  # the same, the reader made unsure by hand
    shutil.copy(path, unsure)
    con = duckdb.connect(str(unsure))
    con.execute("UPDATE documents SET event_confident = false WHERE event_type_by = 'reader'")
    con.close()
    with TestClient(create_app(path)) as c:
        rows = {r["language"]: r for r in c.get(API).json()["data"]}
        page = c.get("/documents").text
    assert (rows["es"]["event_type_by"], rows["es"]["event_confident"]) == ("reader", True)
    assert (rows["en"]["event_type_by"], rows["en"]["event_confident"]) == ("rules", None)
    assert 'data-by="reader" title="Event type chosen by the event reader"' in page
    assert 'data-by="rules" title="Event type chosen by the rules"' in page
    assert 'class="unsure"' not in page
    with TestClient(create_app(unsure)) as c:
        page = c.get("/documents?lang=es").text
        to_check = c.get(API + "?unsure=true").json()["data"]
        listed = c.get("/documents?unsure=true").text
        of_type = c.get(API + f"?event_type={rows['en']['event_type']}").json()["data"]
        wrong = c.get(API + "?event_type=visita")
        bad_flag = c.get(API + "?unsure=maybe")
    assert "sin confianza suficiente: conviene revisarlo" in page
    assert page.count('<abbr class="unsure">?</abbr>') == 1
    # the review queue: only the reading the reader was not confident of
    assert [r["doc_id"] for r in to_check] == [rows["es"]["doc_id"]]
    assert 'name="unsure" value="true" checked' in listed
    assert listed.count('class="document"') == 1
    assert rows["en"]["doc_id"] in [r["doc_id"] for r in of_type]
    assert all(r["event_type"] == rows["en"]["event_type"] for r in of_type)
    assert wrong.status_code == 400 and "agreement_signed" in wrong.json()["error"]["message"]
    assert bad_flag.status_code == 400 and "true or false" in bad_flag.json()["error"]["message"]
    from click.testing import CliRunner

    from kakehashi.text.cli import search as search_cmd

    out = CliRunner().invoke(search_cmd, ["", "--unsure", "--store", str(unsure),
                                          "--format", "json"])
    assert out.exit_code == 0, out.output
    [listed_row] = json.loads(out.output)
    assert listed_row["doc_id"] == rows["es"]["doc_id"]
    assert listed_row["event_type"] == f"{rows['es']['event_type']}?"  # unsure, marked
