"""Read-only and locked down (issue 9, point 3).

* User SQL (``Store.user_query`` and ``kakehashi sql``) cannot write, attach, install or load
  extensions, copy, export, change settings or read files or URLs, however it is dressed up
  (several statements, comments, SHOW/DESCRIBE prefixes, replacement scans, very long text).
* The server's store connection is read-only; no HTTP method other than GET/HEAD changes
  anything.
* Path and query parameters of every route (read from ``app.routes``, so new routes are
  covered) cannot inject SQL, traverse paths or reflect script: a 4xx with a message, never a
  500; encoded traversal under /static/ serves nothing outside the static folder.
* Security headers (CSP, nosniff, framing, referrer policy) on pages, the API, errors and
  static files.
* Request sizes are bounded on the real server (uvicorn on loopback): very long URLs and
  headers get a 4xx, big bodies are refused, and the server keeps answering.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import httpx
import pytest
from click.testing import CliRunner

from kakehashi.cli import main
from kakehashi.errors import QueryRefused
from kakehashi.provenance import sha256_of
from kakehashi.store.reader import MAX_SQL_CHARS, Store
from kakehashi.web import create_app
from kakehashi.web.app import STATIC

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SNAPSHOT_PARQUET = (Path(__file__).resolve().parents[1] / "src" / "kakehashi" / "snapshot"
                    / "countries.parquet")


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def own_store(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the session's store: a refused query that still changed a setting
    would otherwise leak into the shared DuckDB instance of the other tests."""
    path = tmp_path_factory.mktemp("security") / "kakehashi.duckdb"
    shutil.copyfile(store_path, path)
    return path


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sandbox")
    out = root / "out"
    out.mkdir()
    csv = root / "secret.csv"
    csv.write_text("secret\nhunter2\n")
    return {"out": out, "csv": csv, "root": root}


@pytest.fixture(scope="module")
def web_store(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another copy for the app (DuckDB shares one instance per file within a process)."""
    path = tmp_path_factory.mktemp("web") / "kakehashi.duckdb"
    shutil.copyfile(store_path, path)
    return path


@pytest.fixture(scope="module")
def client(web_store: Path) -> Iterator[TestClient]:
    # no `with`: the lifespan's warm-up thread is not needed to check what requests get back
    app = create_app(web_store)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.store.close()


# -- user SQL ---------------------------------------------------------------------------------

REFUSED = [
    # writes, DDL, transactions
    "CREATE TABLE x (a INT)",
    "CREATE TEMP TABLE x AS SELECT 1 AS a",
    "CREATE MACRO m() AS 1",
    "CREATE VIEW v AS SELECT 1",
    "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
    "INSERT INTO countries (iso3) VALUES ('XXX')",
    "UPDATE countries SET name_en = 'x'",
    "DELETE FROM countries",
    "DROP TABLE countries",
    "ALTER TABLE countries ADD COLUMN x INT",
    "BEGIN TRANSACTION",
    "CHECKPOINT",
    "VACUUM",
    # other databases
    "ATTACH '{root}/other.duckdb' AS other",
    "ATTACH ':memory:' AS m",
    "DETACH kakehashi",
    "USE system",
    # extensions
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs FROM 'http://127.0.0.1:9/'",
    # settings
    "SET threads = 1",
    "SET enable_external_access = true",
    "SET GLOBAL memory_limit = '10MB'",
    "RESET memory_limit",
    "PRAGMA threads = 1",
    "PRAGMA enable_profiling",
    "CALL pragma_version()",
    # copy, export, import
    "COPY countries TO '{out}/c.csv'",
    "COPY (SELECT 1) TO '{out}/c.parquet' (FORMAT parquet)",
    "COPY countries FROM '{csv}'",
    "EXPORT DATABASE '{out}/db'",
    "IMPORT DATABASE '{out}'",
    # files and URLs
    "SELECT * FROM read_csv('{csv}')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_parquet('{parquet}')",
    "SELECT * FROM parquet_schema('{parquet}')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_json_auto('/etc/passwd')",
    "SELECT * FROM read_ndjson('/etc/passwd')",
    "SELECT * FROM sniff_csv('{csv}')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM '{csv}'",
    "FROM '{csv}'",
    "SELECT * FROM 'http://127.0.0.1:9/x.csv'",
    "SELECT * FROM read_csv('https://127.0.0.1:9/x.csv')",
    "SELECT * FROM read_parquet('s3://bucket/x.parquet')",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM query('COPY countries TO ''{out}/q.csv''')",
    "SELECT * FROM countries WHERE iso3 IN (SELECT secret FROM read_csv('{csv}'))",
    # several statements, hidden or not
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP TABLE countries",
    "SELECT 1 -- a comment\n; COPY countries TO '{out}/x.csv'",
    "SELECT 1 /* ; */ ; ATTACH '{root}/o.duckdb'",
    "/* SELECT */ COPY countries TO '{out}/x.csv'",
    "SHOW TABLES; SET threads = 1",
    "SHOW TABLES; SET memory_limit = '10MB'",
    "SHOW TABLES; CREATE TEMP TABLE t AS SELECT 42 AS a",
    "DESCRIBE countries; COPY countries TO '{out}/y.csv'",
    "  show tables ;  set threads = 1",
    "describe countries; select * from read_csv('{csv}')",
    # size and depth
    "SELECT 1" + " " * MAX_SQL_CHARS,
    "SELECT " + "+".join(["1"] * 4000),
    "SELECT " + "(" * 3000 + "1" + ")" * 3000,
]

ALLOWED = {
    "SELECT count(*) FROM countries WHERE is_lac33": [(33,)],
    "select count(*) from countries where is_lac33 -- the LAC33": [(33,)],
    "SELECT /* a comment */ count(*) FROM countries WHERE is_lac33;": [(33,)],
    "WITH x AS (SELECT 33 AS n) SELECT n FROM x": [(33,)],
    "FROM countries SELECT count(*) WHERE iso3 = 'MEX'": [(1,)],
}


def _sql(template: str, sandbox: dict[str, Path]) -> str:
    return (template.replace("{out}", str(sandbox["out"])).replace("{csv}", str(sandbox["csv"]))
            .replace("{root}", str(sandbox["root"]))
            .replace("{parquet}", str(SNAPSHOT_PARQUET)))


def _state(store: Store) -> list[tuple[Any, ...]]:
    """What a refused query must not have changed: settings, temporary objects, databases."""
    return store.query(
        "SELECT current_setting('threads'), current_setting('memory_limit'), "
        "current_setting('enable_external_access'), current_setting('max_expression_depth'), "
        "(SELECT count(*) FROM duckdb_tables() WHERE temporary), "
        "(SELECT count(*) FROM duckdb_views() WHERE temporary), "
        "(SELECT count(*) FROM duckdb_databases()), "
        "(SELECT count(*) FROM duckdb_functions() WHERE function_name = 'read_gsheet')"
    ).rows


@pytest.mark.parametrize("limit", [None, 5], ids=["no-limit", "limit"])
@pytest.mark.parametrize("template", REFUSED, ids=lambda s: s[:60])
def test_user_sql_is_refused_and_changes_nothing(own_store: Path, sandbox: dict[str, Path],
                                                 template: str, limit: int | None) -> None:
    sql = _sql(template, sandbox)
    before = sha256_of(own_store)
    store = Store(own_store)
    try:
        state = _state(store)
        with pytest.raises(QueryRefused) as refused:
            result = store.user_query(sql, limit=limit)
            pytest.fail(f"ran and returned {result.rows[:3]}")  # pragma: no cover
        message = str(refused.value)
        assert message and "\n" not in message.strip(), message
        assert _state(store) == state, "a refused query changed the connection"
    finally:
        store.close()
    assert list(sandbox["out"].iterdir()) == []
    assert sorted(p.name for p in sandbox["root"].iterdir()) == ["out", "secret.csv"]
    assert sha256_of(own_store) == before


@pytest.mark.parametrize("sql,rows", list(ALLOWED.items()), ids=list(ALLOWED))
def test_user_sql_still_reads_the_store(own_store: Path, sql: str,
                                        rows: list[tuple[Any, ...]]) -> None:
    store = Store(own_store)
    try:
        assert store.user_query(sql).rows == rows
        assert store.user_query("SHOW TABLES").rows  # the listing the error messages suggest
        assert ("iso3",) in {r[:1] for r in store.user_query("DESCRIBE countries").rows}
    finally:
        store.close()


def test_sql_command_refuses_every_attack(own_store: Path, sandbox: dict[str, Path]) -> None:
    """The same list through `kakehashi sql`: exit status 1 and one line starting error:."""
    before = sha256_of(own_store)
    runner = CliRunner()
    leaked: list[str] = []
    for template in REFUSED:
        sql = _sql(template, sandbox)
        result = runner.invoke(main, ["sql", sql, "--store", str(own_store), "--format",
                                      "json"])
        if result.exit_code != 1 or not result.stderr.startswith("error: ") or result.stdout:
            leaked.append(f"{template[:60]!r}: exit {result.exit_code}, "
                          f"{len(result.stdout)} characters out, err {result.stderr[:60]!r}")
    assert not leaked, leaked
    assert list(sandbox["out"].iterdir()) == []
    assert sha256_of(own_store) == before
    ok = runner.invoke(main, ["sql", "SELECT count(*) AS n FROM countries WHERE is_lac33",
                              "--store", str(own_store), "--format", "json"])
    assert ok.exit_code == 0 and '"n": 33' in ok.stdout, ok.output


def test_store_connection_is_read_only_and_has_no_external_access(own_store: Path,
                                                                  sandbox: dict[str, Path]
                                                                  ) -> None:
    """Even trusted SQL (Store.query, used by the app) cannot write or leave the store."""
    store = Store(own_store)
    try:
        for sql, error in [
            ("CREATE TABLE x (a INT)", "read-only"),
            ("DELETE FROM countries", "read-only"),
            (f"COPY countries TO '{sandbox['out']}/x.csv'", "disabled"),
            (f"SELECT * FROM read_csv('{sandbox['csv']}')", "disabled"),
            ("INSTALL httpfs", "disabled"),
            ("SET enable_external_access = true", "Cannot enable external access"),
        ]:
            with pytest.raises(duckdb.Error, match=error):
                store.query(sql)
        assert store.query("SELECT current_setting('enable_external_access')").rows == [
            (False,)]
    finally:
        store.close()
    assert list(sandbox["out"].iterdir()) == []


# -- routes -----------------------------------------------------------------------------------

def iter_routes(routes: list[Any], prefix: str = "") -> Iterator[Any]:
    """Every route of the app, through included routers (FastAPI >= 0.165 keeps them as
    _IncludedRouter objects), as the route objects themselves."""
    for route in routes:
        if hasattr(route, "original_router"):
            sub = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            yield from iter_routes(list(route.original_router.routes), prefix + sub)
        elif hasattr(route, "routes") and not hasattr(route, "path_regex"):
            yield from iter_routes(list(route.routes), prefix)
        elif hasattr(route, "path"):
            yield prefix, route


def app_routes(app: Any) -> list[tuple[str, set[str], list[str]]]:
    """(path, methods, query parameter names) for every route."""
    found = []
    for prefix, route in iter_routes(list(app.routes)):
        methods = set(getattr(route, "methods", None) or {"GET"})
        dependant = getattr(route, "dependant", None)
        queries = [p.alias for p in getattr(dependant, "query_params", [])] if dependant else []
        endpoint = getattr(route, "endpoint", None)
        if endpoint is not None and "request.query_params" in _source(endpoint):
            queries += re.findall(r'q\.get\("(\w+)"\)', _source(endpoint))
        found.append((prefix + route.path, methods, sorted(set(queries))))
    return found


def _source(fn: Any) -> str:
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
NASTY = [
    "MEX' OR 1=1--",
    "MEX\" OR \"1\"=\"1",
    "'; DROP TABLE countries; --",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "<script>alert(1)</script>",
    "%00",
    "\x00",
    "{{7*7}}",
    "x" * 3000,
]
XSS = "<script>alert(1)</script>"
QUERY_NASTY = ["MEX' OR 1=1--", "../../etc/passwd", XSS, "\x00", "9" * 400]


def test_routes_are_found(client: TestClient) -> None:
    paths = {p for p, _m, _q in app_routes(client.app)}
    for expected in ("/api/v1/countries/{iso3}/{dataset}", "/country/{iso3}",
                     "/embed/country/{iso3}/{panel_id}", "/events/{event_id}", "/static"):
        assert expected in paths, sorted(paths)
    assert len(paths) >= 25, sorted(paths)


def test_path_parameters_cannot_inject_or_traverse(client: TestClient) -> None:
    count = 0
    bad: list[str] = []
    for path, methods, _q in app_routes(client.app):
        names = PATH_PARAM.findall(path)
        if not names or "GET" not in methods:
            continue
        for value in NASTY:
            url = PATH_PARAM.sub(quote(value, safe=""), path)
            r = client.get(url)
            count += 1
            body = r.text
            if r.status_code not in (400, 404):
                bad.append(f"{url[:90]} -> {r.status_code}")
            html = r.headers.get("content-type", "").startswith("text/html")
            if (html and XSS in body) or "Traceback" in body or "root:x:0:0" in body:
                bad.append(f"{url[:90]} reflected or leaked: {body[:120]!r}")
            if r.status_code < 500 and url.startswith("/api/"):
                assert r.headers["content-type"].startswith("application/json"), url
                assert r.json()["error"]["message"], url
    assert not bad, bad
    assert count >= 60, count


def test_query_parameters_cannot_inject(client: TestClient) -> None:
    count = 0
    bad: list[str] = []
    for path, methods, queries in app_routes(client.app):
        if PATH_PARAM.search(path) or "GET" not in methods or path.startswith("/static"):
            continue
        for name in [*queries, "iso3", "lang"]:
            for value in QUERY_NASTY:
                r = client.get(path, params={name: value})
                count += 1
                if r.status_code >= 500:
                    bad.append(f"{path}?{name}={value[:20]!r} -> {r.status_code} "
                               f"{r.text[:150]!r}")
                html = r.headers.get("content-type", "").startswith("text/html")
                if (html and XSS in r.text) or "Traceback" in r.text:
                    bad.append(f"{path}?{name}={value[:20]!r} reflected: {r.text[:120]!r}")
    # the example of the issue, on the country routes
    for url in ["/api/v1/countries/MEX'%20OR%201=1--", "/api/v1/countries/MEX'%20OR%201=1--/trade",
                "/country/MEX'%20OR%201=1--", "/api/v1/events?country=MEX'%20OR%201=1--"]:
        r = client.get(url)
        count += 1
        assert r.status_code in (400, 404), (url, r.status_code, r.text[:200])
    assert not bad, bad
    assert count >= 150, count


TRAVERSAL = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2fapp.py",
    "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%252e%252e/app.py",
    "/static/..%5capp.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/kakehashi.css%00.py",
    "/api/v1/countries/..%2f..%2fsources",
    "/country/..%2f..%2fapi%2fv1%2fsources",
    "/embed/country/MEX/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/analytics/events/..%2f..%2f..%2fetc%2fpasswd",
]


@pytest.mark.parametrize("url", TRAVERSAL)
def test_no_path_traversal(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 404), (r.status_code, r.text[:200])
    for secret in ("root:x:0:0", "[project]", "def create_app", "import "):
        assert secret not in r.text


def test_static_serves_only_the_static_folder(client: TestClient) -> None:
    files = sorted(p.name for p in STATIC.iterdir() if p.is_file())
    assert files
    for name in files:
        r = client.get(f"/static/{name}")
        assert r.status_code == 200, name
        assert r.content == (STATIC / name).read_bytes(), name


# -- methods ----------------------------------------------------------------------------------

def test_no_route_accepts_a_write_method(client: TestClient, web_store: Path) -> None:
    before = sha256_of(web_store)
    count = 0
    for path, methods, _q in app_routes(client.app):
        assert methods <= {"GET", "HEAD"}, (path, methods)
        url = PATH_PARAM.sub("MEX", path)
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = client.request(method, url, content=b"DROP TABLE countries")
            count += 1
            assert r.status_code in (404, 405), (method, url, r.status_code)
    assert count >= 100
    assert sha256_of(web_store) == before


# -- headers ----------------------------------------------------------------------------------

def _check_headers(url: str, r: httpx.Response, *, embed: bool = False) -> list[str]:
    problems = []
    h = r.headers
    csp = h.get("content-security-policy", "")
    if h.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not h.get("referrer-policy"):
        problems.append("no Referrer-Policy")
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'"):
        if directive not in csp:
            problems.append(f"CSP without {directive}")
    if "unsafe-inline" in csp.split("style-src")[0] or "unsafe-eval" in csp:
        problems.append(f"CSP allows unsafe script: {csp}")
    if embed:
        if "frame-ancestors *" not in csp:
            problems.append("an embed should be framable")
    elif "frame-ancestors 'self'" not in csp and h.get("x-frame-options") not in (
            "DENY", "SAMEORIGIN"):
        problems.append("no framing protection")
    return [f"{url} ({r.status_code}): {p}" for p in problems]


def test_security_headers_everywhere(client: TestClient, web_store: Path) -> None:
    event = Store(web_store)
    try:
        event_id = str(event.query("SELECT event_id FROM events ORDER BY 1 LIMIT 1").rows[0][0])
    finally:
        event.close()
    values = {"iso3": "MEX", "dataset": "trade", "event_id": event_id, "panel_id": "nope"}
    urls = []
    for path, methods, _q in app_routes(client.app):
        if "GET" in methods and not path.startswith("/static"):
            urls.append(PATH_PARAM.sub(lambda m: values.get(m.group(1), "x"), path))
    urls += ["/static/kakehashi.css", "/static/charts.js", "/static/missing.js", "/nope",
             "/api/v1/nope", "/api/v1/countries/XXX", "/api/v1/events?from=abc",
             "/country/XXX", "/compare?then=abc"]
    problems: list[str] = []
    statuses: set[int] = set()
    for url in urls:
        r = client.get(url)
        statuses.add(r.status_code)
        problems += _check_headers(url, r, embed=url.startswith("/embed/"))
        h = client.head(url)
        if h.status_code != 405:
            problems += _check_headers(f"HEAD {url}", h, embed=url.startswith("/embed/"))
    r = client.post("/api/v1/countries")
    problems += _check_headers("POST /api/v1/countries", r)
    assert {200, 400, 404} <= statuses, statuses
    assert not problems, problems


# -- sizes, on the real server ----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kakehashi", "serve", "--store",
                                 str(web_store), "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            try:
                if httpx.get(f"http://{base}/api/v1/countries", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def raw_request(base: str, data: bytes, *, timeout: float = 20) -> int | None:
    """Send bytes, return the response status (None when the server closed the connection
    without one)."""
    host, port = base.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            s.sendall(data)
        head = b""
        try:
            while b"\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
        except ConnectionResetError:
            return None
    if not head.startswith(b"HTTP/1."):
        return None
    return int(head.split(b" ", 2)[1])


def get(path: str, headers: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n".encode()


SIZE_CASES = {
    "URL of 16 KB": (get("/api/v1/countries?x=" + "a" * 16_000), {414, 400}),
    "URL of 200 KB": (get("/api/v1/countries?x=" + "a" * 200_000), {414, 400}),
    "query of 3,000 parameters": (get("/api/v1/countries?" + "&".join(
        f"a{i}=1" for i in range(3000))), {414, 400}),
    "header of 64 KB": (get("/", "X-Big: " + "a" * 64_000 + "\r\n"), {431, 400}),
    "headers of 1 MB": (get("/", "".join(f"X-{i}: {'a' * 100}\r\n" for i in range(10_000))),
                        {431, 400}),
    "cookie of 64 KB": (get("/", "Cookie: " + "a=b; " * 13_000 + "\r\n"), {431, 400}),
}


@pytest.mark.parametrize("case", list(SIZE_CASES))
def test_oversized_requests_get_a_4xx(server: str, case: str) -> None:
    data, expected = SIZE_CASES[case]
    status = raw_request(server, data)
    assert status in expected, f"{case}: answered {status}, expected one of {sorted(expected)}"
    assert httpx.get(f"http://{server}/api/v1/countries", timeout=10).status_code == 200


def test_big_bodies_are_refused(server: str) -> None:
    """A POST with a 100 MB body is refused at once (405: nothing accepts a body) without
    the server reading it; a GET that declares a body is answered without reading it."""
    head = (b"POST /api/v1/countries HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 100000000\r\nConnection: close\r\n\r\n")
    started = time.monotonic()
    assert raw_request(server, head + b"a" * 65_536) in (405, 413)
    assert time.monotonic() - started < 10
    head = (b"GET /api/v1/countries HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
            b"Connection: close\r\n\r\n")
    status = raw_request(server, head + b"a" * 65_536)
    assert status is not None and status < 500
    assert raw_request(server, b"\x00\x01\x02 not http\r\n\r\n") in (400, None)
    assert httpx.get(f"http://{server}/api/v1/countries", timeout=10).status_code == 200
