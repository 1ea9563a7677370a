"""Time the project's product analytics (``kakehashi.analytics.products``, issue 8) on a product
lake built from GENERATED BACI-format files, engine against engine.

Every engine reads the same lake version (``lake.ingest`` of ``GENERATED_BACI_HS17_Y*.csv``,
written by ``generate_baci.py``) and computes the same results:

* ``ibis_duckdb``: ``lake.duckdb_flows(lake)`` + ``products.from_lake`` and the project's
  functions called unchanged;
* ``duckdb_sql``: the same computations hand-written in DuckDB SQL over ``read_parquet`` of the
  lake version's files (filter first, aggregate, then small joins; ``--show-sql`` prints them
  beside the SQL Ibis generates, ``--explain`` runs EXPLAIN ANALYZE on both);
* ``spark_ibis``: ``lake.spark_flows(lake)`` (the project's Spark session, ``local[2]``) and the
  same functions (reported, not a goal).

Each (engine, query) runs in a fresh subprocess: setup (imports, connection, table
registration) is timed apart from the query, whose figure is the median of N runs (a query is
one or more calls of a project function, each fetched as Arrow); peak RSS of the whole process
tree (Spark's JVM included) is sampled with psutil at ~10 Hz. For Ibis the fixed cost of
building and compiling the expressions is timed apart, as is the generated SQL run directly.
Every engine's results are cross-checked against ``duckdb_sql`` (row counts, column sums to
1e-6 relative, digests of the text columns). Timings are reported, never asserted.

    python bench/generate_baci.py               # 5 GENERATED years x 10 M rows (2019-2023)
    python bench/product_analytics.py           # builds bench/data/lake-5y on first use
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
if (REPO / "src" / "kakehashi").is_dir():
    sys.path.insert(0, str(REPO / "src"))

from generate_baci import BANNER, DEFAULT_DATA_DIR, META_FILE  # noqa: E402
from generate_trade import say  # noqa: E402
from trade_analytics import checksum, compare, machine, sql_list, tree_rss  # noqa: E402

from kakehashi.analytics import products  # noqa: E402
from kakehashi.analytics.periods import Period, parse_period  # noqa: E402
from kakehashi.config import SNAPSHOT_DIR  # noqa: E402
from kakehashi.connectors.core import LAC33  # noqa: E402
from kakehashi.store import lake as product_lake  # noqa: E402

ENGINES = ("duckdb_sql", "ibis_duckdb", "spark_ibis")
QUERIES = ("p1_top_products", "p2_new_and_lost", "p3_section_shares", "p4_rca",
           "p5_complementarity", "p6_product_concentration", "p7_sector_drivers")
QUERY_DOC = {
    "p1_top_products": "top_products, JPN -> LAC33 and LAC33 -> JPN, then vs now",
    "p2_new_and_lost": "new_and_lost, JPN -> LAC33 and LAC33 -> JPN (min_share_pct 0: all)",
    "p3_section_shares": "section_shares, JPN -> LAC33 and LAC33 -> JPN, then vs now",
    "p4_rca": "rca of JPN, CHN and USA over the window (all exporters in the world shares)",
    "p5_complementarity": "complementarity of JPN, CHN, USA with each LAC33 member, and the "
                          "reverse, over the window",
    "p6_product_concentration": "product_concentration JPN -> each of BRA, MEX, CHL, PER, ARG "
                                "per year over the span",
    "p7_sector_drivers": "sector_drivers for JPN with the LAC33, then vs now",
}
DEFAULT_RUNS = {"duckdb_sql": 5, "ibis_duckdb": 5, "spark_ibis": 1}
REPORTER = "JPN"
BIG3 = ("JPN", "CHN", "USA")
CONCENTRATION_PARTNERS = ("BRA", "MEX", "CHL", "PER", "ARG")
GOAL_RATIO = 1.2
GOAL_PEAK_MIB = 4 * 1024
DEFAULT_LAKE = BENCH / "data" / "lake-5y"
QUICK_ROWS = 20_000
# The project's own defaults, so the hand SQL stays in step with the functions.
TOP_N: int = inspect.signature(products.top_products).parameters["n"].default
RCA_MIN_VALUE: float = inspect.signature(products.rca).parameters["min_value_usd"].default
NEW_LOST_MIN_SHARE = 0.0  # every new and lost product (the project's default keeps >= 0.1 %)
TOP_SHARE_N = 5  # product_concentration's top5_share_pct


@dataclass(frozen=True)
class Config:
    lake: Path
    then: Period
    now: Period
    window: Period  # rca and complementarity
    span: Period  # product_concentration

    def args(self) -> list[str]:
        return ["--lake", str(self.lake), "--then", self.then.label, "--now", self.now.label,
                "--window", self.window.label, "--span", self.span.label]


def sections_arrow() -> Any:
    """(chapter, section_number, section) from the snapshot's HS tables, as the app builds it
    (``products.chapter_sections``), as an Arrow table every engine is given."""
    import ibis

    con = ibis.duckdb.connect()
    try:
        hp = con.read_parquet(str(SNAPSHOT_DIR / "hs_products.parquet"))
        hs = con.read_parquet(str(SNAPSHOT_DIR / "hs_sections.parquet"))
        return products.chapter_sections(hp, hs).to_pyarrow()
    finally:
        con.disconnect()


# ---------------------------------------------------------------------------------------------
# Engine: the project's functions through Ibis (DuckDB or PySpark backend)

Parts = list[tuple[str, Callable[[], Any]]]


def ibis_queries(c: Config, flows: Any, sections: Any) -> dict[str, Parts]:
    """Each query as (label, builder of the project's expression) parts, functions unchanged."""
    p, lac, big3 = products, list(LAC33), list(BIG3)

    def both_ways(fn: Callable[..., Any], *extra: Any, **kw: Any) -> Parts:
        return [(f"{REPORTER}->LAC33", lambda: fn(flows, *extra, REPORTER, lac, c.then, c.now,
                                                   **kw)),
                (f"LAC33->{REPORTER}", lambda: fn(flows, *extra, lac, REPORTER, c.then, c.now,
                                                   **kw))]

    return {
        "p1_top_products": both_ways(p.top_products),
        "p2_new_and_lost": both_ways(p.new_and_lost, min_share_pct=NEW_LOST_MIN_SHARE),
        "p3_section_shares": both_ways(p.section_shares, sections),
        "p4_rca": [("JPN,CHN,USA", lambda: p.rca(flows, big3, c.window))],
        "p5_complementarity": [
            ("JPN,CHN,USA->LAC33", lambda: p.complementarity(flows, big3, lac, c.window)),
            ("LAC33->JPN,CHN,USA", lambda: p.complementarity(flows, lac, big3, c.window))],
        "p6_product_concentration": [
            (f"{REPORTER}->{m}",
             lambda m=m: p.product_concentration(flows, REPORTER, m, c.span))  # type: ignore[misc]
            for m in CONCENTRATION_PARTNERS],
        "p7_sector_drivers": [("JPN+LAC33", lambda: p.sector_drivers(
            flows, sections, REPORTER, lac, c.then, c.now))],
    }


class Engine:
    """What a worker needs: run(query) -> {label: Arrow table}; optionally extra measurements."""

    def __init__(self, run: Callable[[str], dict[str, Any]],
                 extra: Callable[[str, int], dict[str, Any]] | None = None) -> None:
        self.run = run
        self.extra = extra


def setup_ibis_duckdb(c: Config, stack: Any) -> Engine:
    import ibis

    t = stack.enter_context(product_lake.duckdb_flows(c.lake))
    raw_con = t["product_flows"]._find_backend().con
    qs = ibis_queries(c, products.from_lake(t["product_flows"]), ibis.memtable(sections_arrow()))

    def run(q: str) -> dict[str, Any]:
        return {label: build().to_pyarrow() for label, build in qs[q]}

    def extra(q: str, runs: int) -> dict[str, Any]:
        """The fixed cost (building the expressions, ibis.to_sql) and the generated SQL run
        directly on the same connection (no Ibis in the loop), all parts together."""
        build, compile_, raw = [], [], []
        sqls: list[str] = []
        for _ in range(runs):
            b = s = 0.0
            sqls = []
            for _label, fn in qs[q]:
                t0 = time.perf_counter()
                expr = fn()
                t1 = time.perf_counter()
                sqls.append(ibis.to_sql(expr, dialect="duckdb"))
                b, s = b + t1 - t0, s + time.perf_counter() - t1
            build.append(b)
            compile_.append(s)
        for _ in range(runs):
            t0 = time.perf_counter()
            for sql in sqls:
                raw_con.sql(sql).to_arrow_table()
            raw.append(time.perf_counter() - t0)
        return {"build_s": statistics.median(build), "to_sql_s": statistics.median(compile_),
                "raw_sql_s": statistics.median(raw)}

    return Engine(run, extra)


def setup_spark_ibis(c: Config, stack: Any) -> Engine:
    import ibis

    t = product_lake.spark_flows(c.lake)  # the project's session: local[2], as the app uses it
    t["product_flows"]._find_backend()._session.sparkContext.setLogLevel("ERROR")
    qs = ibis_queries(c, products.from_lake(t["product_flows"]), ibis.memtable(sections_arrow()))
    return Engine(lambda q: {label: build().to_pyarrow() for label, build in qs[q]})


# ---------------------------------------------------------------------------------------------
# Engine: hand-written DuckDB SQL


def hand_sql(c: Config, glob: str) -> dict[str, list[tuple[str, str]]]:
    """The same analytics as a good SQL author would write them over the lake's files: filter
    on year, exporter and importer first, aggregate, then join the small aggregates."""
    src = f"read_parquet('{glob}', hive_partitioning = false)"
    lac, big3 = list(LAC33), list(BIG3)

    def one_of(col: str, codes: str | list[str]) -> str:
        if isinstance(codes, str):
            return f"{col} = '{codes}'"
        return f"{col} IN {sql_list(codes)}"

    def within(p: Period) -> str:
        return f"year BETWEEN {p.start} AND {p.end}"

    def mean(p: Period, where: str = "TRUE") -> str:
        """Mean per year over the period of value_usd (0 where nothing was traded)."""
        return (f"coalesce(sum(value_usd) FILTER (WHERE {within(p)} AND {where}), 0) / "
                f"{p.years}")

    def then_now(ex: str | list[str], im: str | list[str], key: str) -> str:
        return f"""
            SELECT {key}, {mean(c.then)} AS value_then, {mean(c.now)} AS value_now
            FROM {src}
            WHERE {one_of('exporter_iso3', ex)} AND {one_of('importer_iso3', im)}
              AND ({within(c.then)} OR {within(c.now)})
            GROUP BY ALL"""

    def shared(ex: str | list[str], im: str | list[str]) -> str:
        return f"""
            WITH tn AS ({then_now(ex, im, 'hs6 AS product')}),
            s AS (
                SELECT product, value_then, value_now,
                       value_then / sum(value_then) OVER () * 100 AS share_then_pct,
                       value_now / sum(value_now) OVER () * 100 AS share_now_pct,
                       value_now - value_then AS change_usd,
                       CASE WHEN value_then <= 0 THEN 'new' WHEN value_now <= 0 THEN 'lost'
                            ELSE 'continuing' END AS status
                FROM tn)"""

    def top(ex: str | list[str], im: str | list[str]) -> str:
        return f"""{shared(ex, im)},
            r AS (
                SELECT *,
                    CASE WHEN value_then > 0 THEN row_number() OVER (
                        ORDER BY value_then DESC, product) END AS rank_then,
                    CASE WHEN value_now > 0 THEN row_number() OVER (
                        ORDER BY value_now DESC, product) END AS rank_now
                FROM s)
            SELECT * FROM r WHERE rank_then <= {TOP_N} OR rank_now <= {TOP_N}
            ORDER BY rank_now NULLS LAST, rank_then, product"""

    def new_lost(ex: str | list[str], im: str | list[str]) -> str:
        x = NEW_LOST_MIN_SHARE
        return f"""{shared(ex, im)}
            SELECT * FROM s
            WHERE (status = 'new' AND share_now_pct >= {x})
               OR (status = 'lost' AND share_then_pct >= {x})
            ORDER BY status DESC, greatest(value_then, value_now) DESC, product"""

    def sections(ex: str | list[str], im: str | list[str]) -> str:
        # by chapter straight from the scan (96 groups, not 5,000 products): a section's
        # share is its chapters' sum over the pair's total of every chapter
        return f"""
            WITH ch AS ({then_now(ex, im, 'substr(hs6, 1, 2) AS chapter')}),
            s AS (SELECT chapter, value_then, value_now,
                         value_then / sum(value_then) OVER () * 100 AS share_then_pct,
                         value_now / sum(value_now) OVER () * 100 AS share_now_pct
                  FROM ch)
            SELECT section_number, section, sum(value_then) AS value_then,
                   sum(value_now) AS value_now, sum(share_then_pct) AS share_then_pct,
                   sum(share_now_pct) AS share_now_pct,
                   sum(share_now_pct) - sum(share_then_pct) AS change_pp
            FROM s JOIN sections USING (chapter)
            GROUP BY ALL ORDER BY value_now DESC, section_number"""

    def exporters_shares(codes: list[str], p: Period, side: str, share: str) -> str:
        return f"""
            SELECT {side}, product, v / sum(v) OVER (PARTITION BY {side}) AS {share}
            FROM (SELECT {side}, hs6 AS product, sum(value_usd) AS v FROM {src}
                  WHERE {within(p)} AND {one_of(side, codes)} GROUP BY ALL)"""

    def comp(ex: list[str], im: list[str]) -> str:
        w = c.window
        return f"""
            WITH x AS ({exporters_shares(ex, w, 'exporter_iso3', 'xs')}),
            m AS ({exporters_shares(im, w, 'importer_iso3', 'ms')})
            SELECT exporter_iso3, importer_iso3, sum(least(xs, ms)) * 100 AS tci,
                   count(product) AS shared_products
            FROM x JOIN m USING (product)
            WHERE exporter_iso3 <> importer_iso3
            GROUP BY ALL ORDER BY exporter_iso3, tci DESC, importer_iso3"""

    w = c.window
    rca = f"""
        WITH world AS (
            SELECT product, w / sum(w) OVER () AS w_share
            FROM (SELECT hs6 AS product, sum(value_usd) AS w FROM {src}
                  WHERE {within(w)} GROUP BY ALL)),
        mine AS (
            SELECT exporter_iso3, product, v,
                   v / sum(v) OVER (PARTITION BY exporter_iso3) AS share
            FROM (SELECT exporter_iso3, hs6 AS product, sum(value_usd) AS v FROM {src}
                  WHERE {within(w)} AND {one_of('exporter_iso3', big3)} GROUP BY ALL))
        SELECT exporter_iso3, product, v / {w.years} AS value_usd, share * 100 AS share_pct,
               w_share * 100 AS world_share_pct, share / w_share AS rca
        FROM mine JOIN world USING (product)
        WHERE v / {w.years} >= {RCA_MIN_VALUE}
        ORDER BY exporter_iso3, rca DESC, product"""

    def concentration(partner: str) -> str:
        return f"""
            WITH per_product AS (
                SELECT year, hs6 AS product, sum(value_usd) AS v FROM {src}
                WHERE {within(c.span)} AND exporter_iso3 = '{REPORTER}'
                  AND importer_iso3 = '{partner}'
                GROUP BY ALL HAVING sum(value_usd) > 0),
            s AS (SELECT year, product, v, v / sum(v) OVER (PARTITION BY year) AS s,
                         row_number() OVER (PARTITION BY year ORDER BY v DESC, product) AS r
                  FROM per_product)
            SELECT year, count(product) AS products, sum(s * s) AS hhi,
                   sum(CASE WHEN r <= {TOP_SHARE_N} THEN s ELSE 0 END) * 100
                       AS top5_share_pct,
                   sum(v) AS value_usd
            FROM s GROUP BY year ORDER BY year"""

    rep, part = f"'{REPORTER}'", sql_list(lac)
    between = f"(exporter_iso3 = {rep} AND importer_iso3 IN {part} OR " \
              f"exporter_iso3 IN {part} AND importer_iso3 = {rep})"
    then, now = c.then, c.now
    def per_year(p: Period, where: str) -> str:
        return f"coalesce(sum(v) FILTER (WHERE {where}), 0) / {p.years}"

    # Two small aggregates instead of eight conditional sums over every row: every exporter's
    # trade by chapter (for the world and the partners' exports), and the reporter's own
    # trade by chapter and partner; the IN tests then run on a few thousand groups.
    drivers = f"""
        WITH world AS (
            SELECT substr(hs6, 1, 2) AS chapter, exporter_iso3, {within(now)} AS is_now,
                   sum(value_usd) AS v
            FROM {src} WHERE {within(then)} OR {within(now)}
            GROUP BY ALL),
        mine AS (
            SELECT substr(hs6, 1, 2) AS chapter, exporter_iso3, importer_iso3,
                   {within(then)} AS is_then, {within(now)} AS is_now, sum(value_usd) AS v
            FROM {src}
            WHERE ({within(then)} OR {within(now)})
              AND (exporter_iso3 = {rep} OR importer_iso3 = {rep})
            GROUP BY ALL),
        w AS (
            SELECT chapter, {per_year(now, "is_now")} AS world_now,
                   {per_year(now, f"is_now AND exporter_iso3 IN {part}")} AS part_exports_now
            FROM world GROUP BY chapter),
        m AS (
            SELECT chapter,
                {per_year(then, f"is_then AND {between}")} AS trade_then,
                {per_year(now, f"is_now AND {between}")} AS trade_now,
                {per_year(now, f"is_now AND exporter_iso3 IN {part} AND importer_iso3 = {rep}")}
                    AS imports_now,
                {per_year(now, f"is_now AND exporter_iso3 = {rep} AND importer_iso3 IN {part}")}
                    AS exports_now,
                {per_year(now, f"is_now AND importer_iso3 = {rep}")} AS rep_imports_now,
                {per_year(now, f"is_now AND exporter_iso3 = {rep}")} AS rep_exports_now
            FROM mine GROUP BY chapter),
        ch AS (
            SELECT chapter, coalesce(trade_then, 0) AS trade_then,
                   coalesce(trade_now, 0) AS trade_now, coalesce(imports_now, 0) AS imports_now,
                   coalesce(exports_now, 0) AS exports_now,
                   coalesce(rep_imports_now, 0) AS rep_imports_now,
                   coalesce(rep_exports_now, 0) AS rep_exports_now, part_exports_now, world_now
            FROM w LEFT JOIN m USING (chapter)),
        s AS (
            SELECT section_number, section, sum(trade_then) AS trade_then,
                   sum(trade_now) AS trade_now, sum(imports_now) AS imports_now,
                   sum(exports_now) AS exports_now, sum(rep_imports_now) AS rep_imports_now,
                   sum(rep_exports_now) AS rep_exports_now,
                   sum(part_exports_now) AS part_exports_now, sum(world_now) AS world_now
            FROM ch JOIN sections USING (chapter) GROUP BY ALL)
        SELECT section_number, section, trade_then, trade_now, imports_now, exports_now,
            trade_now / sum(trade_now) OVER () * 100 AS weight,
            CASE WHEN trade_then > 0 AND trade_now > 0 THEN
                power(trade_now / trade_then, 1 / {now.midpoint - then.midpoint}) * 100 - 100
                END AS growth,
            CASE WHEN rep_imports_now > 0 THEN imports_now / rep_imports_now * 100 END
                AS reliance,
            CASE WHEN rep_exports_now > 0 THEN exports_now / rep_exports_now * 100 END
                AS market,
            CASE WHEN world_now > 0 THEN (part_exports_now / sum(part_exports_now) OVER ())
                / (world_now / sum(world_now) OVER ()) END AS partner_rca
        FROM s ORDER BY trade_now DESC"""

    def two(fn: Callable[[str | list[str], str | list[str]], str]) -> list[tuple[str, str]]:
        return [(f"{REPORTER}->LAC33", fn(REPORTER, lac)),
                (f"LAC33->{REPORTER}", fn(lac, REPORTER))]

    return {
        "p1_top_products": two(top),
        "p2_new_and_lost": two(new_lost),
        "p3_section_shares": two(sections),
        "p4_rca": [("JPN,CHN,USA", rca)],
        "p5_complementarity": [("JPN,CHN,USA->LAC33", comp(big3, lac)),
                               ("LAC33->JPN,CHN,USA", comp(lac, big3))],
        "p6_product_concentration": [(f"{REPORTER}->{m}", concentration(m))
                                     for m in CONCENTRATION_PARTNERS],
        "p7_sector_drivers": [("JPN+LAC33", drivers)],
    }


def duckdb_sql_connection(c: Config) -> tuple[Any, dict[str, list[tuple[str, str]]]]:
    import duckdb

    con = duckdb.connect()
    con.register("sections_arrow", sections_arrow())
    con.execute("CREATE TABLE sections AS SELECT * FROM sections_arrow")
    glob = product_lake.flows_glob(product_lake.current_version(c.lake))
    return con, hand_sql(c, glob)


def setup_duckdb_sql(c: Config, stack: Any) -> Engine:
    con, qs = duckdb_sql_connection(c)
    stack.callback(con.close)
    return Engine(lambda q: {label: con.sql(sql).to_arrow_table() for label, sql in qs[q]})


SETUP: dict[str, Callable[[Config, Any], Engine]] = {
    "duckdb_sql": setup_duckdb_sql, "ibis_duckdb": setup_ibis_duckdb,
    "spark_ibis": setup_spark_ibis,
}


def show_sql(c: Config, queries: list[str], explain: bool) -> None:
    """Print, per query part, the hand-written SQL and the SQL Ibis generates for the project's
    function; with ``explain``, EXPLAIN ANALYZE of both instead of the texts' plans."""
    import contextlib

    import ibis

    con, hand = duckdb_sql_connection(c)
    with contextlib.ExitStack() as stack:
        t = stack.enter_context(product_lake.duckdb_flows(c.lake))
        backend = t["product_flows"]._find_backend()
        qs = ibis_queries(c, products.from_lake(t["product_flows"]),
                          ibis.memtable(sections_arrow()))
        for q in queries:
            say("=" * 100, f"\n{q}: {QUERY_DOC[q]}")
            for (label, sql), (_, build) in zip(hand[q], qs[q], strict=True):
                expr = build()
                ibis_sql = ibis.to_sql(expr, dialect="duckdb")
                say("-" * 40, f"{label}: duckdb_sql (hand-written)")
                say(sql)
                if explain:
                    say(con.sql("EXPLAIN ANALYZE " + sql).fetchall()[0][1])
                say("-" * 40, f"{label}: ibis_duckdb: ibis.to_sql(expr)")
                say(ibis_sql)
                if explain:
                    expr.to_pyarrow()  # registers the memtables on the connection
                    say(backend.con.sql("EXPLAIN ANALYZE " + ibis_sql).fetchall()[0][1])
    con.close()


# ---------------------------------------------------------------------------------------------
# Worker: one (engine, query) in this process


def worker(engine: str, query: str, c: Config, runs: int, out: Path) -> None:
    import contextlib

    with contextlib.ExitStack() as stack:
        t0 = time.perf_counter()
        eng = SETUP[engine](c, stack)
        setup_s = time.perf_counter() - t0
        times, result = [], {}
        for _ in range(runs):
            t = time.perf_counter()
            result = eng.run(query)
            times.append(time.perf_counter() - t)
        extra = eng.extra(query, runs) if eng.extra else {}
        out.write_text(json.dumps({
            "setup_s": setup_s, "times": times, "extra": extra,
            "checksum": {label: checksum(tab) for label, tab in result.items()}}))


# ---------------------------------------------------------------------------------------------
# Driver


def run_one(engine: str, query: str, c: Config, runs: int, timeout: float) -> dict[str, Any]:
    import psutil  # type: ignore[import-untyped,unused-ignore]

    with tempfile.TemporaryDirectory() as tmp:
        out, log = Path(tmp) / "result.json", Path(tmp) / "log.txt"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, query,
               *c.args(), "--runs", str(runs), "--out", str(out)]
        t0 = time.perf_counter()
        with open(log, "w") as logf:
            popen = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)
        proc = psutil.Process(popen.pid)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_rss(proc))
                stop.wait(0.1)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        try:
            rc = popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            popen.kill()
            rc = popen.wait()
        stop.set()
        th.join()
        wall = time.perf_counter() - t0
        if rc != 0 or not out.is_file():
            return {"engine": engine, "query": query, "ok": False,
                    "error": log.read_text()[-3000:], "peak_mib": peak / 2**20, "wall_s": wall}
        r = json.loads(out.read_text())
    return {"engine": engine, "query": query, "ok": True, "setup_s": r["setup_s"],
            "times": r["times"], "median_s": statistics.median(r["times"]),
            "first_s": r["times"][0], "peak_mib": peak / 2**20, "wall_s": wall,
            "extra": r["extra"], "checksum": r["checksum"]}


def report(results: list[dict[str, Any]], engines: list[str], queries: list[str]) -> list[str]:
    by = {(r["engine"], r["query"]): r for r in results}
    w, cw = 26, 20
    head = "query".ljust(w) + "".join(e.rjust(cw) for e in engines)
    lines = ["", "Query time: median seconds (ratio to duckdb_sql)", head]
    for q in queries:
        base = by.get(("duckdb_sql", q))
        cells = []
        for e in engines:
            r = by.get((e, q))
            if r is None:
                cells.append("-")
            elif not r["ok"]:
                cells.append("FAILED")
            elif base and base.get("ok") and base["median_s"] > 0:
                cells.append(f"{r['median_s']:.3f} ({r['median_s'] / base['median_s']:.2f}x)")
            else:
                cells.append(f"{r['median_s']:.3f}")
        lines.append(q.ljust(w) + "".join(x.rjust(cw) for x in cells))
    lines += ["", "Peak memory of the process tree, MiB", head]
    for q in queries:
        lines.append(q.ljust(w) + "".join(
            ("-" if (r := by.get((e, q))) is None else f"{r['peak_mib']:.0f}").rjust(cw)
            for e in engines))
    lines += ["", "Setup s / first run s", head]
    for q in queries:
        lines.append(q.ljust(w) + "".join(
            ("-" if (r := by.get((e, q))) is None or not r["ok"]
             else f"{r['setup_s']:.2f} / {r['first_s']:.2f}").rjust(cw) for e in engines))
    lines += ["", "Output rows per part (duckdb_sql)"]
    for q in queries:
        base = by.get(("duckdb_sql", q))
        if base and base["ok"]:
            lines.append(q.ljust(w) + ", ".join(f"{label} {ck['rows']}"
                                                for label, ck in base["checksum"].items()))
    if "ibis_duckdb" in engines:
        lines += ["", "ibis_duckdb, split (medians, all parts): building the project's "
                      "expressions, ibis.to_sql, the generated SQL run directly",
                  "query".ljust(w) + "".join(h.rjust(14) for h in (
                      "ibis total s", "build ms", "to_sql ms", "fixed share", "raw SQL s",
                      "raw/hand SQL"))]
        for q in queries:
            r, base = by.get(("ibis_duckdb", q)), by.get(("duckdb_sql", q))
            if r is None or not r["ok"] or not r.get("extra"):
                continue
            x = r["extra"]
            fixed = x["build_s"] + x["to_sql_s"]
            rel = (f"{x['raw_sql_s'] / base['median_s']:.2f}x"
                   if base and base.get("ok") else "-")
            cells = [f"{r['median_s']:.3f}", f"{x['build_s'] * 1e3:.1f}",
                     f"{x['to_sql_s'] * 1e3:.1f}", f"{fixed / r['median_s']:.0%}",
                     f"{x['raw_sql_s']:.3f}", rel]
            lines.append(q.ljust(w) + "".join(cell.rjust(14) for cell in cells))
    return lines


def verdicts(results: list[dict[str, Any]], queries: list[str]) -> list[str]:
    by = {(r["engine"], r["query"]): r for r in results if r["ok"]}
    out = []

    def have(e: str) -> bool:
        return all((e, q) in by for q in queries)

    if have("ibis_duckdb") and have("duckdb_sql"):
        ratios = {q: by[("ibis_duckdb", q)]["median_s"] / by[("duckdb_sql", q)]["median_s"]
                  for q in queries}
        miss = {q: r for q, r in ratios.items() if r > GOAL_RATIO}
        out.append(f"GOAL Ibis/SQL <= {GOAL_RATIO} on every query: "
                   + ("MET" if not miss else "MISSED on " + ", ".join(
                       f"{q} ({r:.2f}x)" for q, r in miss.items()))
                   + f"  [range {min(ratios.values()):.2f}-{max(ratios.values()):.2f}x]")
        peaks = {q: by[("ibis_duckdb", q)]["peak_mib"] for q in queries}
        over = {q: m for q, m in peaks.items() if m >= GOAL_PEAK_MIB}
        out.append(f"GOAL Ibis peak memory < {GOAL_PEAK_MIB} MiB: "
                   + ("MET" if not over else "MISSED on " + ", ".join(
                       f"{q} ({m:.0f} MiB)" for q, m in over.items()))
                   + f"  [max {max(peaks.values()):.0f} MiB]")
    else:
        out.append("GOALS: not evaluated (ibis_duckdb or duckdb_sql missing)")
    if have("spark_ibis") and have("duckdb_sql"):
        rs = [by[("spark_ibis", q)]["median_s"] / by[("duckdb_sql", q)]["median_s"]
              for q in queries]
        out.append(f"(report only) spark_ibis/duckdb_sql: {min(rs):.1f}-{max(rs):.1f}x, "
                   "session start not included")
    return out


def cross_check(results: list[dict[str, Any]], queries: list[str]) -> list[str]:
    problems = []
    for q in queries:
        rs = [r for r in results if r["query"] == q and r["ok"]]
        ref = next((r for r in rs if r["engine"] == "duckdb_sql"), None)
        if ref is None:
            problems.append(f"{q}: no duckdb_sql result to check against")
            continue
        for r in rs:
            if r is ref:
                continue
            if set(r["checksum"]) != set(ref["checksum"]):
                problems.append(f"{q}: {r['engine']} parts {sorted(r['checksum'])}")
                continue
            for label, ck in ref["checksum"].items():
                for msg in compare(ck, r["checksum"][label]):
                    problems.append(f"{q} [{label}]: {r['engine']} vs duckdb_sql: {msg}")
    for r in results:
        if not r["ok"]:
            problems.append(f"{r['query']}: {r['engine']} FAILED to run:\n{r['error']}")
    return problems


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for p in ("duckdb", "ibis-framework", "pyspark", "pyarrow", "pandas", "psutil", "numpy"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        out["java"] = (java.stderr or java.stdout).splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        out["java"] = "not found"
    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    out["kakehashi_commit"] = git.stdout.strip()
    return out


def build_lake(csv_dir: Path, lake: Path) -> None:
    """Ingest the GENERATED BACI-format years in csv_dir into the lake (once)."""
    files = sorted(csv_dir.glob("GENERATED_BACI_*_Y*.csv"))
    if not files:
        raise SystemExit(f"No GENERATED BACI files in {csv_dir}: run "
                         "`python bench/generate_baci.py` first.")
    say(f"Building the lake {lake} from {len(files)} GENERATED files in {csv_dir} ...")
    r = product_lake.ingest(files, lake)
    say(f"  {r.rows:,} rows, years {r.years}, {r.seconds:.1f} s")


def quick_lake(data_dir: Path) -> Path:
    """A tiny GENERATED lake (5 years x 20,000 rows) in data_dir, made once."""
    lake = data_dir / "lake"
    if not (lake / "current").exists():
        gen = subprocess.run([sys.executable, str(BENCH / "generate_baci.py"), "--years",
                              "2019-2023", "--rows-per-year", str(QUICK_ROWS), "--data-dir",
                              str(data_dir)], capture_output=True, text=True, check=False)
        if gen.returncode != 0:
            raise SystemExit("generate_baci.py failed:\n" + gen.stdout + gen.stderr)
        build_lake(data_dir, lake)
    return lake


def config_from(a: argparse.Namespace, lake: Path) -> Config:
    then, now = parse_period(a.then), parse_period(a.now)
    return Config(lake=lake, then=then, now=now, window=parse_period(a.window),
                  span=parse_period(a.span) if a.span else Period(then.start, now.end))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--lake", type=Path, default=DEFAULT_LAKE,
                    help="product lake (built from --data-dir's GENERATED CSVs if missing)")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                    help="GENERATED BACI CSVs (generate_baci.py); with --quick, a scratch "
                         "folder for a tiny generated lake")
    ap.add_argument("--then", default="2019-2020")
    ap.add_argument("--now", default="2022-2023")
    ap.add_argument("--window", default="2021-2023", help="period of rca and complementarity")
    ap.add_argument("--span", default=None,
                    help="period of product_concentration (default: then's start to now's end)")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help=f"comma-separated, from {','.join(ENGINES)}")
    ap.add_argument("--queries", default=",".join(QUERIES),
                    help=f"comma-separated, from {','.join(QUERIES)}")
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per (engine, query); default 5, 1 for Spark")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run on a tiny generated lake in --data-dir: 1 run each, "
                         "results JSON beside it")
    ap.add_argument("--tag", default="", help="suffix of the results file name, e.g. 25y")
    ap.add_argument("--results-dir", type=Path, default=None,
                    help="where the JSON goes (default bench/results; --quick: the data dir)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per subprocess")
    ap.add_argument("--show-sql", action="store_true",
                    help="print the hand-written SQL and the SQL Ibis generates, then exit")
    ap.add_argument("--explain", action="store_true",
                    help="with --show-sql: EXPLAIN ANALYZE both on the lake")
    ap.add_argument("--worker", nargs=2, metavar=("ENGINE", "QUERY"), help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker[0], a.worker[1], config_from(a, a.lake), a.runs or 1, a.out)
        return 0
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    queries = [q.strip() for q in a.queries.split(",") if q.strip()]
    for e in engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    for q in queries:
        if q not in QUERIES:
            ap.error(f"unknown query {q!r}; choose from {', '.join(QUERIES)}")
    say(BANNER)
    if a.quick:
        lake = quick_lake(a.data_dir)
    else:
        lake = a.lake
        if not (lake / "current").exists():
            build_lake(a.data_dir, lake)
    c = config_from(a, lake)
    mf = product_lake.manifest(lake)
    missing = [y for p in (c.then, c.now, c.window, c.span) for y in range(p.start, p.end + 1)
               if y not in mf["years"]]
    if missing:
        ap.error(f"the lake covers {mf['years']}; periods need {sorted(set(missing))}")
    if a.show_sql or a.explain:
        show_sql(c, queries, a.explain)
        return 0
    version = product_lake.current_version(lake)
    say(f"Data: {product_lake.flows_glob(version)} ({len(mf['years'])} years "
        f"{mf['years'][0]}-{mf['years'][-1]}, {mf['rows']:,} rows, built from "
        f"{', '.join(sorted({f['name'] for f in mf['files']})[:2])}, ...) - GENERATED")
    say(f"Periods: then {c.then.label}, now {c.now.label}, window {c.window.label} (rca, "
        f"complementarity), span {c.span.label} (concentration)")
    mach = machine()
    say(f"Machine: {mach}")
    for q in queries:
        say(f"  {q}: {QUERY_DOC[q]}")
    results = []
    t_all = time.perf_counter()
    for q in queries:
        for e in engines:
            runs = a.runs or (1 if a.quick else DEFAULT_RUNS[e])
            r = run_one(e, q, c, runs, a.timeout)
            results.append(r)
            status = (f"median {r['median_s']:.3f} s of {runs}, setup {r['setup_s']:.2f} s"
                      if r["ok"] else "FAILED")
            say(f"  {q:<26} {e:<12} {status}, peak {r['peak_mib']:.0f} MiB "
                f"[{r['wall_s']:.1f} s wall]")
    total = time.perf_counter() - t_all
    lines = report(results, engines, queries)
    problems = cross_check(results, queries)
    if problems:
        lines += ["", "!" * 78, "CROSS-CHECK FAILED: engines disagree or failed", *problems,
                  "!" * 78]
    else:
        lines += ["", "Cross-check passed: every engine agrees with duckdb_sql on row counts "
                      "and column checksums (relative tolerance 1e-06) for every query part."]
    lines += ["", *verdicts(results, queries), f"\nTotal benchmark time {total:.0f} s."]
    say("\n".join(lines))
    results_dir = a.results_dir or (a.data_dir if a.quick else BENCH / "results")
    results_dir.mkdir(parents=True, exist_ok=True)
    tag = f"-{a.tag}" if a.tag else ""
    path = results_dir / f"product_analytics-{dt.date.today().isoformat()}{tag}.json"
    meta_path = a.data_dir / META_FILE
    path.write_text(json.dumps({
        "note": "Timings on a product lake of GENERATED BACI-format data; see bench/README.md.",
        "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": mach,
        "load_avg_at_end": os.getloadavg(), "versions": versions(),
        "data": {"lake": str(lake), "version": version.name, "years": mf["years"],
                 "rows": mf["rows"], "files": [f["name"] for f in mf["files"]],
                 "generator_meta": (json.loads(meta_path.read_text())["note"]
                                    if meta_path.is_file() else None)},
        "periods": {"then": c.then.label, "now": c.now.label, "window": c.window.label,
                    "span": c.span.label},
        "queries": {q: QUERY_DOC[q] for q in queries},
        "quick": a.quick, "cross_check_ok": not problems, "problems": problems,
        "verdicts": verdicts(results, queries), "total_s": total, "results": results,
    }, indent=1) + "\n")
    say(f"Results written to {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
