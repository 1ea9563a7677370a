"""Bad input everywhere (issue 9, point 4): the parsers of every source format and of document
ingest, fuzzed with hypothesis. Whatever the bytes, the answer is a result or one of
Kakehashi's errors (a clear line naming the file), never another exception.

* raw.read_header / raw.read_csv on generated CSV and gzip bytes: only InputError, and no
  partial table is left behind;
* every pipeline step, on a data folder where one of its files is mutated: only
  KakehashiError subclasses (InputError, UnmappedCodes, SchemaError, ...);
* document ingest (sniff, HTML, RSS/Atom, PDF, text, binary junk), end to end through
  read_targets on a file: a document or a problem line, never a crash;
* the date parsers: the events table's (YYYY, YYYY-MM, YYYY-MM-DD) and the documents' (ISO,
  RFC 822, dates in running text).

Bounded and reproducible: derandomized, no example database, ``KAKEHASHI_FUZZ_SCALE``
multiplies the example counts (default 1). The cases run per target are printed at the end of
the module (``pytest -s``).
"""

from __future__ import annotations

import copy
import gzip
import io
import os
import string
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kakehashi.errors import InputError, KakehashiError
from kakehashi.pipeline import raw, runner
from kakehashi.pipeline.context import StepContext
from kakehashi.pipeline.steps import events as events_step
from kakehashi.schema.check import check
from kakehashi.text import dates, parse
from kakehashi.text.ingest import read_targets

SCALE = float(os.environ.get("KAKEHASHI_FUZZ_SCALE", "1"))
CASES: Counter[str] = Counter()


def fuzz(examples: int) -> Callable[[Any], Any]:
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None,
                    derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", autouse=True)
def report_cases() -> Iterator[None]:
    yield
    total = sum(CASES.values())
    lines = [f"FUZZ {name}: {n} cases" for name, n in sorted(CASES.items())]
    print("\n" + "\n".join(lines) + f"\nFUZZ total: {total} cases")  # noqa: T201 - figures
    path = os.environ.get("KAKEHASHI_FUZZ_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + f"\nFUZZ total: {total} cases\n")


# -- CSV and gzip bytes -----------------------------------------------------------------------

TYPES = {"year": "INTEGER", "value": "DOUBLE", "iso3": "VARCHAR", "day": "DATE"}
CELLS = st.one_of(
    st.sampled_from(["", "2019", "-1", "1e308", "1e999", "NaN", "inf", "12x3", "0x1F", "1,5",
                     "2019-02-30", "2019-13-01", "1991-13", "   7  ", "\"quoted\"", "\"open",
                     "a\"b", "MEX", "日本", "\u200b", "\x00", "\\N", "NULL", "9" * 40,
                     "'; DROP TABLE x; --", "line\nbreak", "\"multi\nline\""]),
    st.text(max_size=20),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("x" * 3_000_000),  # one field larger than DuckDB's line limit
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> tuple[bytes, str]:
    """(bytes, file suffix): CSV-ish text, maybe with a BOM, CRLF, gzip, truncation."""
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=3000))
    else:
        header = list(TYPES)
        if draw(st.booleans()):
            header = draw(st.permutations(header))
        if draw(st.integers(0, 4)) == 0:
            header = draw(st.lists(st.sampled_from([*TYPES, "extra", "", "year ", "YEAR",
                                                    "\ufeffyear", "a,b", '"value"']),
                                   max_size=6))
        rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 2),
                             max_size=8))
        sep = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
        newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        text = newline.join(sep.join(r) for r in [header, *rows])
        if draw(st.booleans()):
            text += newline
        data = text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"])),
                           errors="replace")
        if draw(st.integers(0, 5)) == 0:
            data = b"\xef\xbb\xbf" + data
    suffix = draw(st.sampled_from([".csv", ".csv.gz"]))
    compress = draw(st.sampled_from([suffix == ".csv.gz", True, False]))
    if compress:
        data = gzip.compress(data, mtime=0)
    cut = draw(st.integers(0, 4))
    if cut == 0 and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    return data, suffix


def _tables(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                      [name]).fetchone()
    return int(row[0]) if row else 0


def test_read_csv_raises_only_input_errors(tmp_path: Path) -> None:
    con = duckdb.connect()
    outcomes: Counter[str] = Counter()

    @fuzz(200)
    @given(case=csv_bytes())
    def run(case: tuple[bytes, str]) -> None:
        data, suffix = case
        path = tmp_path / f"input{suffix}"
        path.write_bytes(data)
        CASES["raw.read_csv"] += 1
        con.execute("DROP TABLE IF EXISTS fz")
        try:
            header = raw.read_header(path)
            assert isinstance(header, list) and all(isinstance(h, str) for h in header)
        except InputError as exc:
            assert str(path) in str(exc)
        try:
            raw.read_csv(con, path, "fz", TYPES)
        except InputError as exc:
            assert str(path) in str(exc) and str(exc).strip(), exc
            assert "\n" not in exc.problem.strip() or "line" in exc.problem, exc.problem
            assert _tables(con, "fz") == 0, "a failed read left a partial table"
            outcomes["error"] += 1
            return
        cols = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                "WHERE table_name = 'fz'").fetchall())
        for name, dtype in TYPES.items():
            assert cols[name] == dtype, (name, cols)
        outcomes["loaded"] += 1

    run()
    con.close()
    # both branches were exercised
    assert outcomes["error"] > 20 and outcomes["loaded"] >= 1, outcomes


# -- every pipeline step ----------------------------------------------------------------------

MINI_LINES = 400


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _write(path: Path, data: bytes, compress: bool) -> None:
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)


@pytest.fixture(scope="module")
def mini_data(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw files cut to their first lines: every step runs in a fraction of a second."""
    root = tmp_path_factory.mktemp("mini")
    for rel in runner.inputs():
        src = shared_data / rel
        assert src.is_file(), f"missing raw file {src}"
        lines = _read(src).split(b"\n")
        keep = b"\n".join(lines[:MINI_LINES]) + (b"\n" if len(lines) > MINI_LINES else b"")
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        _write(root / rel, keep, rel.endswith(".gz"))
    return root


def run_step(con: duckdb.DuckDBPyConnection, data: Path, step: Any, index: Any) -> Any:
    """One step as runner.run runs it: build, create its tables, unmapped codes, check."""
    name = step.__name__.rsplit(".", 1)[-1]
    ctx = StepContext(con, data, name, step.INPUTS, index)
    selects = step.build(ctx)
    for spec in step.TABLES:
        cols = ", ".join(f'CAST("{c.name}" AS {c.dtype}) AS "{c.name}"' for c in spec.columns)
        order = ", ".join(f'"{c}"' for c in spec.order)
        try:
            con.execute(f'CREATE OR REPLACE TABLE "{spec.name}" AS '
                        f"SELECT {cols} FROM ({selects[spec.name]}) ORDER BY {order}")
        except duckdb.InvalidInputException as exc:  # as runner.run translates error() calls
            raise InputError(data / step.INPUTS[0], str(exc).split("\n")[0]) from None
    if ctx.index is not None and ctx.index.unmapped:
        from kakehashi.errors import UnmappedCodes

        raise UnmappedCodes(ctx.index.unmapped)
    for spec in step.TABLES:
        check(con, spec)
    return ctx.index


def test_runner_translation_matches(mini_data: Path) -> None:
    """The whole pipeline runs on the mini folder (the base every step fuzz mutates), and
    run_step above runs the steps the way runner.run does."""
    con = duckdb.connect()
    runner.run(con, mini_data)
    con.close()


MUTATIONS = ["truncate", "cell", "drop_column", "rename_header", "garbage", "empty",
             "header_only", "duplicate", "bom", "crlf", "latin1", "gzip_cut", "not_gzip",
             "quote", "long_field", "blank_lines", "short_row"]
NASTY_CELLS = ["", "12x3", "-1", "1e999", "NaN", "ZZZ", "XXX", "日本", "\"", "2019-13-45",
               "9" * 30, "x" * 200_000, "maybe", "\x00", "'", ";", "LAC;ZZZ"]


def mutate(text: bytes, kind: str, draw: st.DrawFn) -> tuple[bytes, bool | None]:
    """A mutated file; the second value forces (True/False) or keeps (None) compression."""
    lines = text.split(b"\n")
    pick = st.integers(0, max(0, len(lines) - 1))
    if kind == "truncate":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))], None
    if kind == "cell":
        i = draw(pick)
        cells = lines[i].split(b",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(
            st.sampled_from(NASTY_CELLS)).encode()
        lines[i] = b",".join(cells)
    elif kind == "drop_column":
        j = draw(st.integers(0, 8))
        everywhere = draw(st.booleans())
        lines = [b",".join(c for k, c in enumerate(line.split(b",")) if k != j)
                 if everywhere or n == 0 else line for n, line in enumerate(lines)]
    elif kind == "rename_header":
        cells = lines[0].split(b",")
        cells[draw(st.integers(0, len(cells) - 1))] = b"renamed"
        lines[0] = b",".join(cells)
    elif kind == "garbage":
        return draw(st.binary(min_size=1, max_size=2000)), None
    elif kind == "empty":
        return b"", None
    elif kind == "header_only":
        lines = lines[:1]
    elif kind == "duplicate":
        i = draw(st.integers(1, max(1, len(lines) - 2))) if len(lines) > 2 else 0
        lines.insert(i, lines[i])
    elif kind == "bom":
        return b"\xef\xbb\xbf" + text, None
    elif kind == "crlf":
        return text.replace(b"\n", b"\r\n"), None
    elif kind == "latin1":
        i = draw(pick)
        lines[i] = lines[i] + b"\xe9\xff"
    elif kind == "gzip_cut":
        packed = gzip.compress(text, mtime=0)
        return packed[: draw(st.integers(0, max(0, len(packed) - 1)))], False
    elif kind == "not_gzip":
        return text, False
    elif kind == "quote":
        i = draw(pick)
        lines[i] = b'"' + lines[i]
    elif kind == "long_field":
        i = draw(pick)
        lines[i] = lines[i] + b"," + b"y" * draw(st.sampled_from([200_000, 3_000_000]))
    elif kind == "blank_lines":
        lines = [x for line in lines for x in (line, b"")]
    elif kind == "short_row":
        i = draw(st.integers(1, max(1, len(lines) - 1))) if len(lines) > 1 else 0
        lines[i] = lines[i].split(b",")[0]
    return b"\n".join(lines), None


@pytest.fixture(scope="module")
def countries_done(mini_data: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, Any]]:
    con = duckdb.connect()
    index = run_step(con, mini_data, runner.STEPS[0], None)
    yield con, index
    con.close()


STEP_NAMES = [s.__name__.rsplit(".", 1)[-1] for s in runner.STEPS]


@pytest.mark.parametrize("step_name", STEP_NAMES)
def test_every_step_raises_only_kakehashi_errors(step_name: str, mini_data: Path,
                                                 countries_done: Any,
                                                 tmp_path: Path) -> None:
    step = runner.STEPS[STEP_NAMES.index(step_name)]
    base_con, base_index = countries_done
    outcomes: Counter[str] = Counter()
    data = tmp_path / "data"
    for rel in runner.inputs():
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).symlink_to(mini_data / rel)

    @fuzz(30)
    @given(rel=st.sampled_from(step.INPUTS), kind=st.sampled_from(MUTATIONS), draw=st.data())
    def run(rel: str, kind: str, draw: st.DataObject) -> None:
        CASES[f"step {step_name}"] += 1
        original = _read(mini_data / rel)
        changed, compress = mutate(original, kind, draw.draw)
        target = data / rel
        target.unlink()
        _write(target, changed, rel.endswith(".gz") if compress is None else compress)
        try:
            if step is runner.STEPS[0]:
                con = duckdb.connect()
                try:
                    run_step(con, data, step, None)
                finally:
                    con.close()
            else:
                run_step(base_con, data, step, copy.deepcopy(base_index))
            outcomes["built"] += 1
        except KakehashiError as exc:
            message = str(exc)
            assert message.strip() and "Traceback" not in message, message
            outcomes[type(exc).__name__] += 1
        finally:
            target.unlink()
            target.symlink_to(mini_data / rel)

    run()
    assert sum(outcomes.values()) >= 10 * min(1.0, SCALE), outcomes
    assert any(k != "built" for k in outcomes), outcomes


# -- documents --------------------------------------------------------------------------------

WORDS = st.sampled_from(["Japan", "Mexico", "Perú", "Brasil", "acuerdo", "visit", "trade",
                         "JICA", "loan", "2019", "15 de marzo de 2019", "March 3, 2020",
                         "令和元年5月1日", "日本", "メキシコ", "&amp;", "&#0;", "&#xD800;",
                         "\u202e", "\x00", "\x07", "é", "<", ">", "]]>", "&bogus;"])
TEXT = st.lists(WORDS, max_size=60).map(" ".join)
TAGS = st.sampled_from(["p", "div", "article", "main", "h1", "li", "td", "script", "style",
                        "nav", "a", "table", "svg", "template", "pre", "title", "iframe"])


@st.composite
def html_doc(draw: st.DrawFn) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(TAGS)
        attrs = draw(st.sampled_from(["", ' class="x"', ' href="javascript:alert(1)"',
                                      ' datetime="2019-99-99"', ' content="' + "a" * 5000 + '"',
                                      " onload=alert(1)"]))
        close = draw(st.sampled_from([f"</{tag}>", "", "</div>"]))
        parts.append(f"<{tag}{attrs}>{draw(TEXT)}{close}")
    depth = draw(st.sampled_from([0, 0, 50, 5000]))
    meta = draw(st.sampled_from(["", '<meta property="article:published_time" content="x">',
                                 '<meta name="date" content="2019-02-30">',
                                 '<meta name="date" content="Tue, 99 Foo 2019 99:99:99">',
                                 '<time datetime="' + "9" * 50 + '"></time>']))
    doc = (f"<!doctype html><html><head><title>{draw(TEXT)}</title>{meta}</head><body>"
           + "<div>" * depth + "".join(parts) + "</div>" * draw(st.integers(0, depth))
           + "</body></html>")
    data = doc.encode(draw(st.sampled_from(["utf-8", "cp1252", "utf-16"])), errors="replace")
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def feed_doc(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 6))):
        body = draw(st.sampled_from(["", "<![CDATA[<p>", "&lt;p&gt;"])) + draw(TEXT)
        date_text = draw(st.sampled_from(["Tue, 05 Mar 2019 10:00:00 GMT", "2019-02-30",
                                          "nonsense", "", "9999-99-99T99:99:99Z"]))
        if atom:
            entries.append(f"<entry><title>{draw(TEXT)}</title><updated>{date_text}</updated>"
                           f"<content type='html'>{body}</content><link href='{draw(TEXT)}'/>"
                           "</entry>")
        else:
            entries.append(f"<item><title>{draw(TEXT)}</title><pubDate>{date_text}</pubDate>"
                           f"<description>{body}</description><link>{draw(TEXT)}</link>"
                           "</item>")
    bomb = draw(st.sampled_from(["", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
                                 '"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c '
                                 '"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                                 '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>']))
    if atom:
        doc = (f'<?xml version="1.0"?>{bomb}<feed xmlns="http://www.w3.org/2005/Atom">'
               + "".join(entries) + draw(st.sampled_from(["</feed>", ""])))
    else:
        doc = (f'<?xml version="1.0"?>{bomb}<rss version="2.0"><channel>' + "".join(entries)
               + draw(st.sampled_from(["</channel></rss>", "", "</rss>"])))
    data = doc.encode("utf-8", errors="replace")
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def _pdf_seed() -> bytes:
    """A small valid PDF with one text page (pypdf cannot write text, so by hand)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Japan and Mexico signed an agreement.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


PDF = _pdf_seed()


@st.composite
def pdf_doc(draw: st.DrawFn) -> bytes:
    data = bytearray(PDF)
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "replace"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b"<<", b">>", b"[", b"9999999999", b" R ",
                                              b"/Length 99999999", b"obj", b"\x00" * 8]))
        else:
            for a, b in [(b"/Count 1", b"/Count -1"), (b"/Count 1", b"/Count 99999"),
                         (b"2 0 R", b"1 0 R"), (b"/Length", b"/Lenght"),
                         (b"/Kids [3 0 R]", b"/Kids [2 0 R]"), (b"startxref", b"")]:
                if draw(st.booleans()):
                    data = bytearray(bytes(data).replace(a, b, 1))
    return bytes(data)


DOCUMENTS = st.one_of(
    html_doc().map(lambda d: (d, "page.html")),
    feed_doc().map(lambda d: (d, "feed.xml")),
    pdf_doc().map(lambda d: (d, "paper.pdf")),
    TEXT.map(lambda t: (t.encode("utf-8"), "note.txt")),
    st.text(max_size=500).map(lambda t: (t.encode("utf-8", "surrogatepass"), "note.txt")),
    st.binary(max_size=3000).map(lambda d: (d, "blob.bin")),
    st.binary(max_size=3000).map(lambda d: (b"%PDF-1.7\n" + d, "junk.pdf")),
    st.binary(max_size=1000).map(lambda d: (b"<?xml version='1.0'?><rss>" + d, "x.xml")),
)


def test_document_ingest_never_crashes(tmp_path: Path) -> None:
    outcomes: Counter[str] = Counter()

    @fuzz(200)
    @given(doc=DOCUMENTS, published=st.sampled_from([None, "2019-03-01", "2019-13-99"]))
    def run(doc: tuple[bytes, str], published: str | None) -> None:
        data, name = doc
        path = tmp_path / name
        path.write_bytes(data)
        CASES["documents (read_targets)"] += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf and feedparser warn about broken input
            batch = read_targets([str(path)], published=published, embeddings=False)
        assert batch.documents or batch.problems, "neither a document nor a problem"
        for problem in batch.problems:
            assert problem.strip() and "\n" not in problem.strip(), problem
            # a feed entry's problem names the entry's link (whatever the feed wrote there)
            assert str(path) in problem or name.endswith(".xml"), problem
        for d in batch.documents:
            assert d.text.strip() and len(d.sha256) == 64
            assert d.published is None or date.fromisoformat(d.published)
        outcomes["document" if batch.documents else "problem"] += 1

    run()
    assert outcomes["document"] > 10 and outcomes["problem"] > 10, outcomes


@fuzz(300)
@given(data=st.binary(max_size=4000), name=st.sampled_from(["", "a.pdf", "a.html", "a.xml"]),
       content_type=st.sampled_from(["", "text/html", "application/pdf", "application/rss+xml",
                                     "text/plain"]))
def test_parse_raises_only_input_errors(data: bytes, name: str, content_type: str) -> None:
    CASES["documents (parse, raw bytes)"] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            docs = parse.parse(data, name or "input", content_type)
        except InputError as exc:
            assert str(exc).strip()
            return
    assert docs and all(d.text.strip() for d in docs)


# -- dates ------------------------------------------------------------------------------------

DATE_TEXT = st.one_of(
    st.from_regex(r"\A-?\d{1,5}(-\d{1,3}(-\d{1,3})?)?\Z"),
    st.text(alphabet=string.digits + "-T:Z+ ", max_size=30),
    st.text(max_size=30),
    st.sampled_from(["0000", "0000-01", "9999-12-31", "1991-13", "1991-02-29", "2020-02-29",
                     "1991-00", "1991-01-00", "١٩٩١", "１９９１-０１", "1991-1", ""]),
)


@fuzz(400)
@given(text=DATE_TEXT)
def test_events_date_parser(text: str) -> None:
    CASES["events.parse_date"] += 1
    try:
        first, last, precision = events_step.parse_date(text)
    except ValueError as exc:
        assert repr(text) in str(exc)
        return
    assert first <= last and precision in ("year", "month", "day")


@fuzz(400)
@given(text=st.one_of(DATE_TEXT, st.sampled_from([
    "Tue, 05 Mar 2019 10:00:00 GMT", "Tue, 99 Mar 2019 10:00:00 GMT", "Mon, 1 Jan 0 0:0:0",
    "Thu, 01 Jan 99999 00:00:00 +9999", "2019-02-30T10:00:00Z", ", , ,"])))
def test_document_date_parser(text: str) -> None:
    CASES["text.dates.parse_date"] += 1
    result = dates.parse_date(text)
    assert result is None or isinstance(result, date)


@fuzz(300)
@given(text=st.lists(st.one_of(WORDS, st.sampled_from([
    "0000-01-05", "1999-02-31", "31 de febrero de 2019", "平成99年2月30日", "昭和0年1月1日",
    "元年", "令和元年13月1日", "5-40 de mayo de 2019", "May 0, 2019", "12月31日から1月2日",
    "March 2019", "marzo de 0000", "Feb 29", "fevereiro de 1900"]), st.text(max_size=10)),
    max_size=30).map(" ".join), published=st.sampled_from([None, date(2020, 2, 29),
                                                           date(1, 1, 1), date(9999, 12, 31)]))
def test_dates_in_running_text(text: str, published: date | None) -> None:
    CASES["text.dates.find_dates"] += 1
    for m in dates.find_dates(text, published):  # never raises
        assert m.text in text
        if m.first is not None and m.last is not None:
            assert m.first <= m.last


# -- what the fuzzing found, as plain regression tests ------------------------------------------

def test_found_feb_29_without_a_year_near_no_leap_year(tmp_path: Path) -> None:
    """'Feb 29' with no year in a document published in 2022: no leap year within a year of
    the reference, so the nearest-year search had no candidate and ingest crashed (the whole
    batch, with a traceback)."""
    path = tmp_path / "feb29.txt"
    path.write_text("Japan and Mexico will meet on Feb 29 to discuss trade and investment. "
                    "The Japanese foreign minister visits Mexico City.\n")
    batch = read_targets([str(path)], published="2022-06-01", embeddings=False)
    assert batch.documents or batch.problems
    for text in ("Feb 29", "29 de febrero", "2月29日"):
        for m in dates.find_dates(text, date(2022, 6, 1)):
            assert m.first is None or (m.first.month, m.first.day) == (2, 29)


def test_found_date_range_across_new_year() -> None:
    """'12月31日から1月2日' (31 December to 2 January): the end was put in the same year, before
    the start."""
    found = dates.find_dates("12月31日から1月2日", date(2019, 6, 1))
    assert found, "the range was not found"
    for m in found:
        assert m.first is not None and m.last is not None and m.first <= m.last, m


def test_found_feed_with_a_surrogate_character_reference() -> None:
    """feedparser raises UnicodeEncodeError on '&#xD800;' in a feed; ingest crashed."""
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Japan &#xD800;'
            b"</title><description>Japan and Mexico signed an agreement.</description></item>"
            b"</channel></rss>")
    try:
        docs = parse.parse(data, "feed.xml")
    except InputError as exc:
        assert "feed.xml" in str(exc)
    else:
        assert docs and "Mexico" in docs[0].text


EVENTS_HEADER = (b"date,end_date,event_type,japanese_actor,lac_countries,title,description,"
                 b"source,confidence,notes\n")
EVENTS_ROW = (b"2019-03-01,,visit,Prime Minister,MEX,A visit,Described,https://example.org,"
              b"verified,\n")


@pytest.mark.parametrize("content", [
    EVENTS_HEADER,  # no rows: executemany on an empty list raised a DuckDB error
    EVENTS_HEADER + EVENTS_ROW.replace(b"A visit", b"Visita a M\xe9xico"),  # Latin-1 byte
    EVENTS_HEADER + EVENTS_ROW.replace(b"Described", b"y" * 200_000),  # csv field limit
], ids=["header-only", "latin-1", "huge-field"])
def test_found_events_file_errors_are_input_errors(content: bytes, mini_data: Path,
                                                   countries_done: Any,
                                                   tmp_path: Path) -> None:
    con, index = countries_done
    data = tmp_path / "data"
    (data / "events").mkdir(parents=True)
    (data / events_step.EVENTS_CSV).write_bytes(content)
    try:
        run_step(con, data, events_step, copy.deepcopy(index))
    except KakehashiError as exc:
        assert events_step.EVENTS_CSV in str(exc)
