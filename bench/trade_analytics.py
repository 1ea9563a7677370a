"""Time the project's trade analytics on a GENERATED product-level trade_flows table, engine
against engine.

Every engine reads the same Parquet files (``generated_trade_flows_<year>.parquet``: the
trade_flows shape at product level, both reports of every flow plus the World rows) and
computes the same results:

* ``ibis_duckdb``: ``t = con.read_parquet(glob)`` and the project's own functions in
  ``kakehashi.analytics`` called unchanged on ``t``;
* ``duckdb_sql``: the same computations hand-written in DuckDB SQL over ``read_parquet``
  (``--show-sql`` prints them beside the SQL that Ibis generates);
* ``polars`` (lazy scan) and ``pandas`` (pyarrow read with column selection and row filters),
  written idiomatically;
* ``spark_ibis``: the project's functions on Ibis's PySpark backend, ``local[2]`` (reported,
  not a goal).

Each (engine, query) runs in a fresh subprocess: setup (imports, connection, table
registration) is timed apart from the query, whose figure is the median of N runs; peak RSS
of the whole process tree (Spark's JVM included) is sampled with psutil at ~10 Hz. For Ibis
the fixed cost of building the expression and compiling it (``ibis.to_sql``) is timed
separately, as is the generated SQL run directly. All engines' results are cross-checked
(row counts and column checksums). Timings are reported, never asserted.

    python bench/generate_trade.py --years 2019-2021 --flows-per-year 10000000
    python bench/trade_analytics.py
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
if (REPO / "src" / "kakehashi").is_dir():
    sys.path.insert(0, str(REPO / "src"))

from generate_trade import BANNER, DEFAULT_DATA_DIR, META_FILE, PREFIX, say  # noqa: E402

from kakehashi.analytics.indicators import MIRROR_THRESHOLD_PCT  # noqa: E402
from kakehashi.analytics.trade import (  # noqa: E402
    ANNUAL_TRADE_SOURCES,
    COMPARATORS,
    KEY,
    WORLD,
)

ENGINES = ("duckdb_sql", "ibis_duckdb", "polars", "pandas", "spark_ibis")
GOAL_ENGINES = ("duckdb_sql", "ibis_duckdb", "polars", "pandas")
QUERIES = ("q0_annual_flows", "q1_concentration", "q2_trade_intensity", "q3_shares_ranks",
           "q4_shift_share", "q5_mirror_gaps")
QUERY_DOC = {
    "q0_annual_flows": "trade.annual_flows over the whole table (products summed to one row "
                       "per reporter, partner, flow, year), reduced to a count and sums",
    "q1_concentration": "indicators.concentration: HHI of Japan's trade across the LAC33",
    "q2_trade_intensity": "indicators.trade_intensity: Japan's export intensity with each "
                          "LAC33 member",
    "q3_shares_ranks": "trade.members_trade_by_partner + trade.shares_and_ranks: comparators' "
                       "shares of LAC33 trade and their rank among partners",
    "q4_shift_share": "ranking.shift_share: Japan's exports to each member, first vs last "
                      "year, split into market and share effects",
    "q5_mirror_gaps": "indicators.mirror_gaps: Japan-member flows as reported by each side",
}
DEFAULT_RUNS = {"duckdb_sql": 5, "ibis_duckdb": 5, "polars": 5, "pandas": 3, "spark_ibis": 3}
EXPORTER = "JPN"
TOLERANCE = 1e-6
IBIS_GOAL = 1.15
MEMORY_GOAL = 0.5


# ---------------------------------------------------------------------------------------------
# The data set


class Data:
    def __init__(self, data_dir: Path) -> None:
        meta_path = data_dir / META_FILE
        if not meta_path.is_file():
            raise SystemExit(f"No generated data in {data_dir}: run "
                             "`python bench/generate_trade.py` first.")
        self.meta: dict[str, Any] = json.loads(meta_path.read_text())
        self.dir = data_dir
        self.glob = str(data_dir / f"{PREFIX}_*.parquet")
        self.files = [str(data_dir / f) for f in self.meta["files"]]
        found = sorted(str(p) for p in data_dir.glob(f"{PREFIX}_*.parquet"))
        if found != sorted(self.files):
            raise SystemExit(f"{data_dir} holds {found}, the metadata lists {self.files}: "
                             "regenerate the data")
        self.years: list[int] = self.meta["years"]
        self.lac: list[str] = self.meta["lac33"]
        self.economies: list[str] = self.meta["economy_codes"]
        self.first, self.last = self.years[0], self.years[-1]


def sql_list(codes: list[str] | tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


# ---------------------------------------------------------------------------------------------
# Engine: the project's functions through Ibis (DuckDB or PySpark backend)


def ibis_queries(d: Data, t: Any, countries: Any) -> dict[str, Callable[[], Any]]:
    """Each query as a builder of the project's expression on the table `t`, unchanged."""
    from kakehashi.analytics import indicators, ranking, trade
    from kakehashi.analytics.periods import Period

    lac = d.lac

    def q0() -> Any:
        a = trade.annual_flows(t)
        return a.aggregate(rows=a.count(), value_usd=a.value_usd.sum(),
                           exports_usd=a.value_usd.sum(where=a.flow == "export"),
                           world_usd=a.value_usd.sum(where=a.partner_iso3 == WORLD))

    return {
        "q0_annual_flows": q0,
        "q1_concentration": lambda: indicators.concentration(t, lac, EXPORTER),
        "q2_trade_intensity": lambda: indicators.trade_intensity(t, lac, EXPORTER),
        "q3_shares_ranks": lambda: trade.shares_and_ranks(
            trade.members_trade_by_partner(t, lac), countries, d.first, d.last),
        "q4_shift_share": lambda: ranking.shift_share(
            t, lac, Period(d.first, d.first), Period(d.last, d.last), EXPORTER),
        "q5_mirror_gaps": lambda: indicators.mirror_gaps(t, lac, EXPORTER),
    }


class Engine:
    """What a worker needs: run(query) -> result; optionally extra measurements."""

    def __init__(self, run: Callable[[str], Any],
                 extra: Callable[[str, int], dict[str, Any]] | None = None) -> None:
        self.run = run
        self.extra = extra


def ibis_duckdb_parts(d: Data) -> tuple[Any, dict[str, Callable[[], Any]]]:
    import ibis

    con = ibis.duckdb.connect()
    t = con.read_parquet(d.glob)
    countries = ibis.memtable({"iso3": d.economies, "kind": ["economy"] * len(d.economies)})
    return con, ibis_queries(d, t, countries)


def setup_ibis_duckdb(d: Data) -> Engine:
    import ibis

    con, qs = ibis_duckdb_parts(d)

    def extra(q: str, runs: int) -> dict[str, Any]:
        """The fixed cost: building the expression, compiling it to SQL; and the generated
        SQL run directly on the same connection (no Ibis in the loop)."""
        build, compile_, raw = [], [], []
        sql = ""
        for _ in range(runs):
            t0 = time.perf_counter()
            expr = qs[q]()
            t1 = time.perf_counter()
            sql = ibis.to_sql(expr, dialect="duckdb")
            t2 = time.perf_counter()
            build.append(t1 - t0)
            compile_.append(t2 - t1)
        for _ in range(runs):
            t0 = time.perf_counter()
            con.con.sql(sql).to_arrow_table()
            raw.append(time.perf_counter() - t0)
        return {"build_s": statistics.median(build), "to_sql_s": statistics.median(compile_),
                "raw_sql_s": statistics.median(raw)}

    return Engine(lambda q: qs[q]().to_pyarrow(), extra)


def setup_spark_ibis(d: Data) -> Engine:
    import ibis
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("kakehashi-bench")
               .config("spark.driver.memory", "8g")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    con = ibis.pyspark.connect(session)
    t = con.read_parquet(d.glob)
    countries = ibis.memtable({"iso3": d.economies, "kind": ["economy"] * len(d.economies)})
    qs = ibis_queries(d, t, countries)
    return Engine(lambda q: qs[q]().to_pyarrow())


# ---------------------------------------------------------------------------------------------
# Engine: hand-written DuckDB SQL


def sql_annual(src: str, where: str) -> str:
    """trade.annual_flows by hand: rows filtered first (only on key columns, which commutes
    with summing per key and choosing the preferred source per key), products summed per key
    and source, then the most preferred source's sum per key."""
    prio = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(ANNUAL_TRADE_SOURCES))
    keys = ", ".join(KEY)
    return f"""
        SELECT {keys}, arg_min(value_usd, priority) AS value_usd
        FROM (SELECT {keys}, CASE source_id {prio} END AS priority,
                     sum(value_usd) AS value_usd
              FROM {src}
              WHERE source_id IN {sql_list(ANNUAL_TRADE_SOURCES)} AND month IS NULL
                AND ({where})
              GROUP BY {keys}, source_id)
        GROUP BY {keys}"""


def duckdb_sql_queries(d: Data) -> dict[str, str]:
    src = f"read_parquet('{d.glob}')"
    lac, jp, w = sql_list(d.lac), f"'{EXPORTER}'", f"'{WORLD}'"

    def annual(where: str) -> str:
        return sql_annual(src, where)

    def between(year: str, a: int, b: int) -> str:
        return f"{year} BETWEEN {a} AND {b}"

    then, now = (d.first, d.first), (d.last, d.last)
    return {
        "q0_annual_flows": f"""
            WITH a AS ({annual("TRUE")})
            SELECT count(*) AS rows, sum(value_usd) AS value_usd,
                   sum(value_usd) FILTER (WHERE flow = 'export') AS exports_usd,
                   sum(value_usd) FILTER (WHERE partner_iso3 = {w}) AS world_usd
            FROM a""",
        "q1_concentration": f"""
            WITH a AS ({annual(f"reporter_iso3 = {jp} AND partner_iso3 IN {lac}")}),
            by_partner AS (SELECT year, partner_iso3, sum(value_usd) AS trade
                           FROM a GROUP BY year, partner_iso3),
            s AS (SELECT year, partner_iso3,
                         trade / sum(trade) OVER (PARTITION BY year) AS share
                  FROM by_partner)
            SELECT year, count(DISTINCT partner_iso3) AS partners, sum(share * share) AS hhi,
                   max(share) AS top_partner_share
            FROM s GROUP BY year""",
        "q2_trade_intensity": f"""
            WITH x AS (
                SELECT year, partner_iso3, value_usd AS x_ij FROM ({annual(
                    f"reporter_iso3 = {jp} AND flow = 'export' AND partner_iso3 IN {lac}")})),
            totals AS (
                SELECT year,
                    sum(value_usd) FILTER (WHERE reporter_iso3 = {jp} AND flow = 'export')
                        AS X_i,
                    sum(value_usd) FILTER (WHERE reporter_iso3 = {jp} AND flow = 'import')
                        AS M_i,
                    sum(value_usd) FILTER (WHERE reporter_iso3 = {w} AND flow = 'import')
                        AS M_w
                FROM ({annual(f"partner_iso3 = {w} AND reporter_iso3 IN ({jp}, {w})")})
                GROUP BY year),
            m AS (
                SELECT year, reporter_iso3 AS partner_iso3, value_usd AS M_j FROM ({annual(
                    f"partner_iso3 = {w} AND flow = 'import' AND reporter_iso3 IN {lac}")}))
            SELECT year, partner_iso3, x_ij, X_i, M_j, M_w, M_i,
                   (x_ij / X_i) / (M_j / (M_w - M_i)) AS tii
            FROM x JOIN totals USING (year) JOIN m USING (year, partner_iso3)""",
        "q3_shares_ranks": f"""
            WITH a AS ({annual(
                f"reporter_iso3 IN {lac} AND {between('year', d.first, d.last)}")}),
            by_partner AS (
                SELECT year, partner_iso3,
                       sum(value_usd) FILTER (WHERE flow = 'export') AS exports_usd,
                       sum(value_usd) FILTER (WHERE flow = 'import') AS imports_usd
                FROM a GROUP BY year, partner_iso3),
            p AS (SELECT partner_iso3, avg(exports_usd) AS exports_usd,
                         avg(imports_usd) AS imports_usd,
                         coalesce(avg(exports_usd), 0) + coalesce(avg(imports_usd), 0)
                             AS trade_usd
                  FROM by_partner GROUP BY partner_iso3),
            world AS (SELECT exports_usd AS wx, imports_usd AS wm, trade_usd AS wt
                      FROM p WHERE partner_iso3 = {w}),
            ranked AS (SELECT partner_iso3, rank() OVER (ORDER BY trade_usd DESC) AS rnk
                       FROM p JOIN countries c ON p.partner_iso3 = c.iso3
                       WHERE c.kind = 'economy')
            SELECT p.partner_iso3 AS comparator,
                   exports_usd / wx * 100 AS share_of_partner_exports_pct,
                   imports_usd / wm * 100 AS share_of_partner_imports_pct,
                   trade_usd / wt * 100 AS share_of_partner_trade_pct,
                   rnk::DOUBLE AS rank_among_partners
            FROM p CROSS JOIN world LEFT JOIN ranked USING (partner_iso3)
            WHERE p.partner_iso3 IN {sql_list(COMPARATORS)}""",
        "q4_shift_share": f"""
            WITH x AS (
                SELECT year, partner_iso3 AS country_iso3, value_usd AS x FROM ({annual(
                    f"reporter_iso3 = {jp} AND flow = 'export' AND partner_iso3 IN {lac} "
                    f"AND ({between('year', *then)} OR {between('year', *now)})")})),
            mm AS (
                SELECT year, reporter_iso3 AS country_iso3, value_usd AS m FROM ({annual(
                    f"partner_iso3 = {w} AND flow = 'import' AND reporter_iso3 IN {lac} "
                    f"AND ({between('year', *then)} OR {between('year', *now)})")})),
            t AS (
                SELECT country_iso3,
                       avg(x) FILTER (WHERE {between('year', *then)}) AS exports_then,
                       avg(m) FILTER (WHERE {between('year', *then)}) AS imports_then,
                       avg(x) FILTER (WHERE {between('year', *now)}) AS exports_now,
                       avg(m) FILTER (WHERE {between('year', *now)}) AS imports_now
                FROM x JOIN mm USING (year, country_iso3) GROUP BY country_iso3
                HAVING count(*) FILTER (WHERE {between('year', *then)}) > 0
                   AND count(*) FILTER (WHERE {between('year', *now)}) > 0)
            SELECT *, exports_now - exports_then AS change,
                   exports_then / imports_then * (imports_now - imports_then) AS market_effect,
                   (exports_now / imports_now - exports_then / imports_then) * imports_now
                       AS share_effect,
                   exports_then / imports_then * 100 AS share_then_pct,
                   exports_now / imports_now * 100 AS share_now_pct
            FROM t""",
        "q5_mirror_gaps": f"""
            WITH jp AS ({annual(f"reporter_iso3 = {jp} AND partner_iso3 IN {lac}")}),
            members AS ({annual(f"reporter_iso3 IN {lac} AND partner_iso3 = {jp}")}),
            u AS (
                SELECT ex.year, ex.partner_iso3 AS country_iso3,
                       'partner_to_country' AS direction,
                       ex.value_usd AS exporter_reports_fob, im.value_usd AS importer_reports_cif
                FROM jp ex JOIN members im
                  ON im.year = ex.year AND im.reporter_iso3 = ex.partner_iso3
                WHERE ex.flow = 'export' AND im.flow = 'import'
                UNION ALL
                SELECT ex.year, ex.reporter_iso3, 'country_to_partner', ex.value_usd,
                       im.value_usd
                FROM members ex JOIN jp im
                  ON im.year = ex.year AND im.partner_iso3 = ex.reporter_iso3
                WHERE ex.flow = 'export' AND im.flow = 'import')
            SELECT *,
                   (importer_reports_cif - exporter_reports_fob) / exporter_reports_fob * 100
                       AS gap_pct,
                   abs((importer_reports_cif - exporter_reports_fob) / exporter_reports_fob
                       * 100) > {MIRROR_THRESHOLD_PCT} AS flagged
            FROM u""",
    }


def setup_duckdb_sql(d: Data) -> Engine:
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    eco = pa.table({"iso3": d.economies, "kind": ["economy"] * len(d.economies)})
    con.register("countries_arrow", eco)
    con.execute("CREATE TABLE countries AS SELECT * FROM countries_arrow")
    qs = duckdb_sql_queries(d)
    return Engine(lambda q: con.sql(qs[q]).to_arrow_table())


# ---------------------------------------------------------------------------------------------
# Engine: polars (lazy scan)


def setup_polars(d: Data) -> Engine:
    import polars as pl

    col, lac = pl.col, d.lac
    scan = pl.scan_parquet(d.glob)
    priority = {s: i for i, s in enumerate(ANNUAL_TRADE_SOURCES)}

    def annual(pred: pl.Expr) -> pl.LazyFrame:
        f = scan.filter(col("source_id").is_in(ANNUAL_TRADE_SOURCES) & col("month").is_null()
                        & pred)
        by = f.group_by(*KEY, "source_id").agg(value_usd=col("value_usd").sum())
        by = by.with_columns(priority=col("source_id").replace_strict(priority,
                                                                      return_dtype=pl.Int8))
        return by.group_by(KEY).agg(col("value_usd").sort_by("priority").first())

    def q0() -> pl.LazyFrame:
        return annual(pl.lit(True)).select(
            rows=pl.len(), value_usd=col("value_usd").sum(),
            exports_usd=col("value_usd").filter(col("flow") == "export").sum(),
            world_usd=col("value_usd").filter(col("partner_iso3") == WORLD).sum())

    def q1() -> pl.LazyFrame:
        a = annual((col("reporter_iso3") == EXPORTER) & col("partner_iso3").is_in(lac))
        by = a.group_by("year", "partner_iso3").agg(trade=col("value_usd").sum())
        s = by.with_columns(share=col("trade") / col("trade").sum().over("year"))
        return s.group_by("year").agg(partners=col("partner_iso3").n_unique(),
                                      hhi=(col("share") * col("share")).sum(),
                                      top_partner_share=col("share").max())

    everything = pl.lit(True)

    def x_to_members(years: pl.Expr = everything) -> pl.LazyFrame:
        return annual((col("reporter_iso3") == EXPORTER) & (col("flow") == "export")
                      & col("partner_iso3").is_in(lac) & years)

    def members_imports(years: pl.Expr = everything) -> pl.LazyFrame:
        return annual((col("partner_iso3") == WORLD) & (col("flow") == "import")
                      & col("reporter_iso3").is_in(lac) & years)

    def q2() -> pl.LazyFrame:
        x = x_to_members().select("year", "partner_iso3", x_ij="value_usd")
        tw = annual((col("partner_iso3") == WORLD)
                    & col("reporter_iso3").is_in([EXPORTER, WORLD]))
        v, r, fl = col("value_usd"), col("reporter_iso3"), col("flow")
        totals = tw.group_by("year").agg(
            X_i=v.filter((r == EXPORTER) & (fl == "export")).sum(),
            M_i=v.filter((r == EXPORTER) & (fl == "import")).sum(),
            M_w=v.filter((r == WORLD) & (fl == "import")).sum())
        m = members_imports().select("year", partner_iso3="reporter_iso3", M_j="value_usd")
        j = x.join(totals, on="year").join(m, on=["year", "partner_iso3"])
        return j.select("year", "partner_iso3", "x_ij", "X_i", "M_j", "M_w", "M_i",
                        tii=(col("x_ij") / col("X_i"))
                        / (col("M_j") / (col("M_w") - col("M_i"))))

    def q3() -> pl.LazyFrame:
        a = annual(col("reporter_iso3").is_in(lac) & col("year").is_between(d.first, d.last))
        v = col("value_usd")
        by = a.group_by("year", "partner_iso3").agg(
            exports_usd=pl.when((col("flow") == "export").any())
            .then(v.filter(col("flow") == "export").sum()),
            imports_usd=pl.when((col("flow") == "import").any())
            .then(v.filter(col("flow") == "import").sum()))
        p = by.group_by("partner_iso3").agg(col("exports_usd").mean(),
                                            col("imports_usd").mean())
        p = p.with_columns(trade_usd=col("exports_usd").fill_null(0)
                           + col("imports_usd").fill_null(0))
        world = p.filter(col("partner_iso3") == WORLD).select(
            wx="exports_usd", wm="imports_usd", wt="trade_usd")
        ranked = p.filter(col("partner_iso3").is_in(d.economies)).select(
            "partner_iso3", rnk=col("trade_usd").rank("min", descending=True))
        c = p.filter(col("partner_iso3").is_in(COMPARATORS)).join(world, how="cross")
        c = c.join(ranked, on="partner_iso3", how="left")
        return c.select(comparator="partner_iso3",
                        share_of_partner_exports_pct=col("exports_usd") / col("wx") * 100,
                        share_of_partner_imports_pct=col("imports_usd") / col("wm") * 100,
                        share_of_partner_trade_pct=col("trade_usd") / col("wt") * 100,
                        rank_among_partners=col("rnk").cast(pl.Float64))

    def q4() -> pl.LazyFrame:
        years = col("year").is_in([d.first, d.last])
        x = x_to_members(years).select("year", country_iso3="partner_iso3", x="value_usd")
        m = members_imports(years).select("year", country_iso3="reporter_iso3", m="value_usd")
        b = x.join(m, on=["year", "country_iso3"])

        def mean(year: int, tag: str) -> pl.LazyFrame:
            return b.filter(col("year") == year).group_by("country_iso3").agg(
                col("x").mean().alias(f"exports_{tag}"), col("m").mean().alias(f"imports_{tag}"))

        j = mean(d.first, "then").join(mean(d.last, "now"), on="country_iso3")
        s0 = col("exports_then") / col("imports_then")
        s1 = col("exports_now") / col("imports_now")
        return j.with_columns(change=col("exports_now") - col("exports_then"),
                              market_effect=s0 * (col("imports_now") - col("imports_then")),
                              share_effect=(s1 - s0) * col("imports_now"),
                              share_then_pct=s0 * 100, share_now_pct=s1 * 100)

    def q5() -> pl.LazyFrame:
        r, p = col("reporter_iso3"), col("partner_iso3")
        a = annual(((r == EXPORTER) & p.is_in(lac)) | (r.is_in(lac) & (p == EXPORTER))).cache()
        ex, im = a.filter(col("flow") == "export"), a.filter(col("flow") == "import")
        ptc = ex.filter(r == EXPORTER).select("year", country_iso3=p, fob="value_usd").join(
            im.filter(p == EXPORTER).select("year", country_iso3=r, cif="value_usd"),
            on=["year", "country_iso3"]).with_columns(direction=pl.lit("partner_to_country"))
        ctp = ex.filter(p == EXPORTER).select("year", country_iso3=r, fob="value_usd").join(
            im.filter(r == EXPORTER).select("year", country_iso3=p, cif="value_usd"),
            on=["year", "country_iso3"]).with_columns(direction=pl.lit("country_to_partner"))
        u = pl.concat([ptc, ctp]).select("year", "country_iso3", "direction",
                                         exporter_reports_fob="fob", importer_reports_cif="cif")
        gap = ((col("importer_reports_cif") - col("exporter_reports_fob"))
               / col("exporter_reports_fob") * 100)
        return u.with_columns(gap_pct=gap, flagged=gap.abs() > MIRROR_THRESHOLD_PCT)

    qs = dict(zip(QUERIES, (q0, q1, q2, q3, q4, q5), strict=True))
    return Engine(lambda q: qs[q]().collect())


# ---------------------------------------------------------------------------------------------
# Engine: pandas (pyarrow read with column selection and row filters; text as categoricals)


def setup_pandas(d: Data) -> Engine:
    import pandas as pd
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    lac, f = d.lac, pc.field
    text = ["reporter_iso3", "partner_iso3", "flow", "source_id"]
    priority = {s: i for i, s in enumerate(ANNUAL_TRADE_SOURCES)}

    def annual(pred: Any) -> pd.DataFrame:
        flt = f("source_id").isin(list(ANNUAL_TRADE_SOURCES)) & f("month").is_null() & pred
        df = pq.read_table(d.files, columns=[*KEY, "source_id", "value_usd"], filters=flt,
                           read_dictionary=text).to_pandas()
        g = df.groupby([*KEY, "source_id"], observed=True, sort=False)["value_usd"].sum()
        g = g.reset_index()
        g["priority"] = g.source_id.map(priority).astype("int64")
        g = g.sort_values("priority", kind="stable").drop_duplicates(KEY)
        return g[[*KEY, "value_usd"]].reset_index(drop=True)

    def q0() -> pd.DataFrame:
        a = annual(pc.scalar(True))
        v = a.value_usd
        return pd.DataFrame({"rows": [len(a)], "value_usd": [v.sum()],
                             "exports_usd": [v[a.flow == "export"].sum()],
                             "world_usd": [v[a.partner_iso3 == WORLD].sum()]})

    def q1() -> pd.DataFrame:
        a = annual((f("reporter_iso3") == EXPORTER) & f("partner_iso3").isin(lac))
        by = a.groupby(["year", "partner_iso3"], observed=True)["value_usd"].sum()
        by = by.rename("trade").reset_index()
        by["share"] = by.trade / by.groupby("year")["trade"].transform("sum")
        by["sq"] = by.share * by.share
        g = by.groupby("year")
        return pd.DataFrame({"partners": g.partner_iso3.nunique(), "hhi": g.sq.sum(),
                             "top_partner_share": g.share.max()}).reset_index()

    def x_to_members(years: Any = None) -> pd.DataFrame:
        pred = ((f("reporter_iso3") == EXPORTER) & (f("flow") == "export")
                & f("partner_iso3").isin(lac))
        return annual(pred if years is None else pred & years)

    def members_imports(years: Any = None) -> pd.DataFrame:
        pred = ((f("partner_iso3") == WORLD) & (f("flow") == "import")
                & f("reporter_iso3").isin(lac))
        return annual(pred if years is None else pred & years)

    def q2() -> pd.DataFrame:
        x = x_to_members()[["year", "partner_iso3", "value_usd"]].rename(
            columns={"value_usd": "x_ij"})
        tw = annual((f("partner_iso3") == WORLD) & f("reporter_iso3").isin([EXPORTER, WORLD]))

        def pick(reporter: str, flow: str, name: str) -> pd.Series:
            s = tw[(tw.reporter_iso3 == reporter) & (tw.flow == flow)]
            return s.groupby("year")["value_usd"].sum().rename(name)

        totals = pd.concat([pick(EXPORTER, "export", "X_i"), pick(EXPORTER, "import", "M_i"),
                            pick(WORLD, "import", "M_w")], axis=1).reset_index()
        m = members_imports()[["year", "reporter_iso3", "value_usd"]].rename(
            columns={"reporter_iso3": "partner_iso3", "value_usd": "M_j"})
        x["partner_iso3"] = x.partner_iso3.astype(str)
        m["partner_iso3"] = m.partner_iso3.astype(str)
        j = x.merge(totals, on="year").merge(m, on=["year", "partner_iso3"])
        j["tii"] = (j.x_ij / j.X_i) / (j.M_j / (j.M_w - j.M_i))
        return j[["year", "partner_iso3", "x_ij", "X_i", "M_j", "M_w", "M_i", "tii"]]

    def q3() -> pd.DataFrame:
        a = annual(f("reporter_iso3").isin(lac)
                   & (f("year") >= d.first) & (f("year") <= d.last))
        a["partner_iso3"] = a.partner_iso3.astype(str)
        by = a.pivot_table(index=["year", "partner_iso3"], columns="flow", values="value_usd",
                           aggfunc="sum", observed=True)
        by = by.reindex(columns=["export", "import"]).rename(
            columns={"export": "exports_usd", "import": "imports_usd"}).reset_index()
        p = by.groupby("partner_iso3")[["exports_usd", "imports_usd"]].mean().reset_index()
        p["trade_usd"] = p.exports_usd.fillna(0) + p.imports_usd.fillna(0)
        wr = p[p.partner_iso3 == WORLD].iloc[0]
        ranked = p[p.partner_iso3.isin(d.economies)].copy()
        ranked["rnk"] = ranked.trade_usd.rank(method="min", ascending=False)
        c = p[p.partner_iso3.isin(COMPARATORS)].merge(
            ranked[["partner_iso3", "rnk"]], on="partner_iso3", how="left")
        return pd.DataFrame({
            "comparator": c.partner_iso3,
            "share_of_partner_exports_pct": c.exports_usd / wr.exports_usd * 100,
            "share_of_partner_imports_pct": c.imports_usd / wr.imports_usd * 100,
            "share_of_partner_trade_pct": c.trade_usd / wr.trade_usd * 100,
            "rank_among_partners": c.rnk.astype("float64")})

    def q4() -> pd.DataFrame:
        years = f("year").isin([d.first, d.last])
        x = x_to_members(years).rename(columns={"partner_iso3": "country_iso3",
                                                "value_usd": "x"})
        m = members_imports(years).rename(columns={"reporter_iso3": "country_iso3",
                                                   "value_usd": "m"})
        x["country_iso3"] = x.country_iso3.astype(str)
        m["country_iso3"] = m.country_iso3.astype(str)
        b = x[["year", "country_iso3", "x"]].merge(m[["year", "country_iso3", "m"]],
                                                   on=["year", "country_iso3"])

        def mean(year: int, tag: str) -> pd.DataFrame:
            g = b[b.year == year].groupby("country_iso3")
            return pd.DataFrame({f"exports_{tag}": g.x.mean(), f"imports_{tag}": g.m.mean()})

        j = mean(d.first, "then").join(mean(d.last, "now"), how="inner").reset_index()
        s0, s1 = j.exports_then / j.imports_then, j.exports_now / j.imports_now
        return j.assign(change=j.exports_now - j.exports_then,
                        market_effect=s0 * (j.imports_now - j.imports_then),
                        share_effect=(s1 - s0) * j.imports_now,
                        share_then_pct=s0 * 100, share_now_pct=s1 * 100)

    def q5() -> pd.DataFrame:
        r, p = f("reporter_iso3"), f("partner_iso3")
        a = annual(((r == EXPORTER) & p.isin(lac)) | (r.isin(lac) & (p == EXPORTER)))
        for c in ("reporter_iso3", "partner_iso3", "flow"):
            a[c] = a[c].astype(str)
        ex, im = a[a.flow == "export"], a[a.flow == "import"]
        ptc = ex[ex.reporter_iso3 == EXPORTER].rename(
            columns={"partner_iso3": "country_iso3", "value_usd": "fob"}).merge(
            im[im.partner_iso3 == EXPORTER].rename(
                columns={"reporter_iso3": "country_iso3", "value_usd": "cif"}),
            on=["year", "country_iso3"])
        ctp = ex[ex.partner_iso3 == EXPORTER].rename(
            columns={"reporter_iso3": "country_iso3", "value_usd": "fob"}).merge(
            im[im.reporter_iso3 == EXPORTER].rename(
                columns={"partner_iso3": "country_iso3", "value_usd": "cif"}),
            on=["year", "country_iso3"])
        u = pd.concat([ptc.assign(direction="partner_to_country"),
                       ctp.assign(direction="country_to_partner")], ignore_index=True)
        u = u[["year", "country_iso3", "direction", "fob", "cif"]].rename(
            columns={"fob": "exporter_reports_fob", "cif": "importer_reports_cif"})
        u["gap_pct"] = ((u.importer_reports_cif - u.exporter_reports_fob)
                        / u.exporter_reports_fob * 100)
        u["flagged"] = u.gap_pct.abs() > MIRROR_THRESHOLD_PCT
        return u

    qs = dict(zip(QUERIES, (q0, q1, q2, q3, q4, q5), strict=True))
    return Engine(lambda q: qs[q]())


SETUP: dict[str, Callable[[Data], Engine]] = {
    "duckdb_sql": setup_duckdb_sql, "ibis_duckdb": setup_ibis_duckdb, "polars": setup_polars,
    "pandas": setup_pandas, "spark_ibis": setup_spark_ibis,
}


def show_sql(d: Data, queries: list[str]) -> None:
    """Print, per query, the hand-written SQL and the SQL Ibis generates for the project's
    functions, for review."""
    import ibis

    _, qs = ibis_duckdb_parts(d)
    hand = duckdb_sql_queries(d)
    for q in queries:
        say("=" * 100, f"\n{q}: {QUERY_DOC[q]}\n", "-" * 40, "duckdb_sql (hand-written)")
        say(hand[q])
        say("-" * 40, "ibis_duckdb: ibis.to_sql(expr)")
        say(ibis.to_sql(qs[q](), dialect="duckdb"))


# ---------------------------------------------------------------------------------------------
# Results: checksums that are independent of the engine


def checksum(result: Any) -> dict[str, Any]:
    """Row count; per numeric column the sum and the sum of |x| (nulls skipped, booleans as
    counts of True); per text column a digest of the sorted values."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(result, pa.Table):
        t = result
    elif isinstance(result, pd.DataFrame):
        t = pa.Table.from_pandas(result.reset_index(drop=True), preserve_index=False)
    else:  # polars
        t = result.to_arrow()
    out: dict[str, Any] = {"rows": t.num_rows, "columns": {}}
    for name in t.column_names:
        c = t.column(name)
        if pa.types.is_dictionary(c.type):
            c = c.cast(c.type.value_type)
        if pa.types.is_boolean(c.type):
            v = [float(sum(1 for x in c.to_pylist() if x))] * 2
            out["columns"][name] = {"sum": v[0], "abs": v[1]}
        elif pa.types.is_integer(c.type) or pa.types.is_floating(c.type):
            vals = [float(x) for x in c.to_pylist() if x is not None]
            out["columns"][name] = {"sum": math.fsum(vals),
                                    "abs": math.fsum(abs(x) for x in vals),
                                    "nulls": c.null_count}
        else:
            vals = sorted(str(x) for x in c.to_pylist() if x is not None)
            out["columns"][name] = {
                "digest": hashlib.sha1("\n".join(vals).encode()).hexdigest()[:16]}
    return out


def compare(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Differences between two checksums, as messages (empty when they agree)."""
    bad = []
    if ref["rows"] != got["rows"]:
        bad.append(f"rows {got['rows']} != {ref['rows']}")
    for name, r in ref["columns"].items():
        g = got["columns"].get(name)
        if g is None:
            bad.append(f"column {name} missing")
            continue
        if "digest" in r:
            if r["digest"] != g.get("digest"):
                bad.append(f"column {name}: text values differ")
            continue
        if "sum" not in g:
            bad.append(f"column {name}: not numeric")
            continue
        scale = max(r["abs"], g["abs"], 1e-300)
        if abs(r["sum"] - g["sum"]) > TOLERANCE * scale or \
                abs(r["abs"] - g["abs"]) > TOLERANCE * scale:
            bad.append(f"column {name}: sum {g['sum']!r} != {r['sum']!r}")
    return bad


# ---------------------------------------------------------------------------------------------
# Worker: one (engine, query) in this process


def worker(engine: str, query: str, data_dir: Path, runs: int, out: Path) -> None:
    t0 = time.perf_counter()
    d = Data(data_dir)
    eng = SETUP[engine](d)
    setup_s = time.perf_counter() - t0
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = eng.run(query)
        times.append(time.perf_counter() - t)
    extra = eng.extra(query, runs) if eng.extra else {}
    out.write_text(json.dumps({"setup_s": setup_s, "times": times, "extra": extra,
                               "checksum": checksum(result)}))


# ---------------------------------------------------------------------------------------------
# Driver


def tree_rss(proc: Any) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_one(engine: str, query: str, data_dir: Path, runs: int, timeout: float
            ) -> dict[str, Any]:
    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        log = Path(tmp) / "log.txt"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, query,
               "--data-dir", str(data_dir), "--runs", str(runs), "--out", str(out)]
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
            tail = log.read_text()[-3000:]
            return {"engine": engine, "query": query, "ok": False, "error": tail,
                    "peak_mib": peak / 2**20, "wall_s": wall}
        r = json.loads(out.read_text())
    return {"engine": engine, "query": query, "ok": True, "setup_s": r["setup_s"],
            "times": r["times"], "median_s": statistics.median(r["times"]),
            "first_s": r["times"][0], "peak_mib": peak / 2**20, "wall_s": wall,
            "extra": r["extra"], "checksum": r["checksum"]}


def fmt_cell(r: dict[str, Any] | None, base: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    if not r["ok"]:
        return "FAILED"
    s = f"{r['median_s']:.3f}"
    if base and base.get("ok") and base["median_s"] > 0:
        s += f" ({r['median_s'] / base['median_s']:.2f}x)"
    return s


def report(results: list[dict[str, Any]], engines: list[str], queries: list[str]) -> list[str]:
    by = {(r["engine"], r["query"]): r for r in results}
    w = 22
    lines = ["", "Query time: median seconds (ratio to duckdb_sql)",
             "query".ljust(w) + "".join(e.rjust(19) for e in engines)]
    for q in queries:
        base = by.get(("duckdb_sql", q))
        lines.append(q.ljust(w) + "".join(fmt_cell(by.get((e, q)), base).rjust(19)
                                          for e in engines))
    lines += ["", "Peak memory of the process tree, MiB",
              "query".ljust(w) + "".join(e.rjust(19) for e in engines)]
    for q in queries:
        cells = []
        for e in engines:
            r = by.get((e, q))
            cells.append("-" if r is None else f"{r['peak_mib']:.0f}")
        lines.append(q.ljust(w) + "".join(c.rjust(19) for c in cells))
    lines += ["", "Setup seconds (imports, connection, table registration; first query run)",
              "query".ljust(w) + "".join(e.rjust(19) for e in engines)]
    for q in queries:
        cells = []
        for e in engines:
            r = by.get((e, q))
            cells.append("-" if r is None or not r["ok"]
                         else f"{r['setup_s']:.2f} / {r['first_s']:.2f}")
        lines.append(q.ljust(w) + "".join(c.rjust(19) for c in cells))
    if any(e == "ibis_duckdb" for e in engines):
        lines += ["", "ibis_duckdb, split (medians): building the project's expression, "
                      "ibis.to_sql, the generated SQL run directly",
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
            lines.append(q.ljust(w) + "".join(c.rjust(14) for c in cells))
    return lines


def verdicts(results: list[dict[str, Any]], queries: list[str]) -> list[str]:
    by = {(r["engine"], r["query"]): r for r in results if r["ok"]}
    out = [""]

    def have(e: str) -> bool:
        return all((e, q) in by for q in queries)

    if have("ibis_duckdb") and have("duckdb_sql"):
        ratios = {q: by[("ibis_duckdb", q)]["median_s"] / by[("duckdb_sql", q)]["median_s"]
                  for q in queries}
        miss = {q: r for q, r in ratios.items() if r > IBIS_GOAL}
        out.append(f"GOAL Ibis/SQL <= {IBIS_GOAL} on every query: "
                   + ("MET" if not miss else "MISSED on " + ", ".join(
                       f"{q} ({r:.2f}x)" for q, r in miss.items()))
                   + f"  [range {min(ratios.values()):.2f}-{max(ratios.values()):.2f}x]")
    else:
        out.append("GOAL Ibis/SQL: not evaluated (engines missing)")
    for other in ("polars", "pandas"):
        if have("ibis_duckdb") and have(other):
            miss = [q for q in queries
                    if by[("ibis_duckdb", q)]["median_s"] >= by[(other, q)]["median_s"]]
            out.append(f"GOAL Ibis faster than {other} on every query: "
                       + ("MET" if not miss else "MISSED on " + ", ".join(
                           f"{q} (ibis {by[('ibis_duckdb', q)]['median_s']:.3f} s vs "
                           f"{by[(other, q)]['median_s']:.3f} s)" for q in miss)))
        else:
            out.append(f"GOAL Ibis faster than {other}: not evaluated (engines missing)")
    if have("ibis_duckdb") and have("pandas"):
        miss = {q: by[("ibis_duckdb", q)]["peak_mib"] / by[("pandas", q)]["peak_mib"]
                for q in queries}
        bad = {q: r for q, r in miss.items() if r > MEMORY_GOAL}
        out.append(f"GOAL Ibis peak <= {MEMORY_GOAL} x pandas peak: "
                   + ("MET" if not bad else "MISSED on " + ", ".join(
                       f"{q} ({r:.2f}x)" for q, r in bad.items()))
                   + f"  [range {min(miss.values()):.2f}-{max(miss.values()):.2f}x]")
    else:
        out.append("GOAL Ibis memory vs pandas: not evaluated (engines missing)")
    if have("spark_ibis") and have("duckdb_sql"):
        rs = [by[("spark_ibis", q)]["median_s"] / by[("duckdb_sql", q)]["median_s"]
              for q in queries]
        out.append(f"(report only) spark_ibis/duckdb_sql: {min(rs):.1f}-{max(rs):.1f}x")
    return out


def cross_check(results: list[dict[str, Any]], queries: list[str]) -> list[str]:
    problems = []
    for q in queries:
        rs = [r for r in results if r["query"] == q and r["ok"]]
        if not rs:
            continue
        ref = next((r for r in rs if r["engine"] == "duckdb_sql"), rs[0])
        for r in rs:
            if r is ref:
                continue
            for msg in compare(ref["checksum"], r["checksum"]):
                problems.append(f"{q}: {r['engine']} vs {ref['engine']}: {msg}")
    for r in results:
        if not r["ok"]:
            problems.append(f"{r['query']}: {r['engine']} FAILED to run:\n{r['error']}")
    return problems


def machine() -> dict[str, Any]:
    import psutil

    return {"cpus": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_avg_at_start": os.getloadavg()}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for p in ("duckdb", "ibis-framework", "polars", "pandas", "pyarrow", "pyspark", "numpy"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help=f"comma-separated, from {','.join(ENGINES)}")
    ap.add_argument("--queries", default=",".join(QUERIES),
                    help=f"comma-separated, from {','.join(QUERIES)}")
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per (engine, query); default 5, or 3 for pandas and Spark")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 2 runs each, results JSON beside the data")
    ap.add_argument("--results-dir", type=Path, default=None,
                    help="where the JSON goes (default bench/results; --quick: the data dir)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per subprocess")
    ap.add_argument("--show-sql", action="store_true",
                    help="print the hand-written SQL and the SQL Ibis generates, then exit")
    ap.add_argument("--worker", nargs=2, metavar=("ENGINE", "QUERY"), help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker[0], a.worker[1], a.data_dir, a.runs or 1, a.out)
        return 0
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    queries = [q.strip() for q in a.queries.split(",") if q.strip()]
    for e in engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    for q in queries:
        if q not in QUERIES:
            ap.error(f"unknown query {q!r}; choose from {', '.join(QUERIES)}")
    d = Data(a.data_dir)
    if a.show_sql:
        show_sql(d, queries)
        return 0
    say(BANNER)
    rows = sum(d.meta["rows"])
    say(f"Data: {d.glob} ({len(d.years)} years {d.first}-{d.last}, "
        f"{d.meta['flows_per_year']:,} product flows a year, {rows:,} rows, "
        f"{d.meta['economies']} economies, {d.meta['products']} HS6 codes) - GENERATED")
    mach = machine()
    say(f"Machine: {mach}")
    for q in queries:
        say(f"  {q}: {QUERY_DOC[q]}")
    results = []
    t_all = time.perf_counter()
    for q in queries:
        for e in engines:
            runs = a.runs or (2 if a.quick else DEFAULT_RUNS[e])
            r = run_one(e, q, a.data_dir, runs, a.timeout)
            results.append(r)
            status = (f"median {r['median_s']:.3f} s, setup {r['setup_s']:.2f} s"
                      if r["ok"] else "FAILED")
            say(f"  {q:<20} {e:<12} {status}, peak {r['peak_mib']:.0f} MiB "
                  f"[{r['wall_s']:.1f} s wall]")
    total = time.perf_counter() - t_all
    lines = report(results, engines, queries)
    problems = cross_check(results, queries)
    if problems:
        lines += ["", "!" * 78, "CROSS-CHECK FAILED: engines disagree or failed", *problems,
                  "!" * 78]
    else:
        lines += ["", f"Cross-check passed: all engines agree on row counts and column "
                      f"checksums (relative tolerance {TOLERANCE:g}) for every query."]
    lines += verdicts(results, queries)
    lines.append(f"\nTotal benchmark time {total:.0f} s.")
    say("\n".join(lines))
    results_dir = a.results_dir or (a.data_dir if a.quick else BENCH / "results")
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"trade_analytics-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps({
        "note": "Timings on GENERATED trade_flows-shaped data; see bench/README.md.",
        "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": mach,
        "load_avg_at_end": os.getloadavg(),
        "versions": versions(), "data": {k: d.meta[k] for k in (
            "years", "flows_per_year", "rows", "economies", "products", "seed", "cif_factor")},
        "quick": a.quick, "cross_check_ok": not problems, "problems": problems,
        "verdicts": [v for v in verdicts(results, queries) if v],
        "total_s": total, "results": results,
    }, indent=1) + "\n")
    say(f"Results written to {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
