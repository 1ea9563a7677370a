"""Time the project's trade analytics on GENERATED BACI-shaped data, engine against engine.

Engines: ``ibis_duckdb`` (the project's own functions in ``kakehashi.analytics`` on Ibis's
DuckDB backend), ``duckdb_sql`` (the same computations hand-written in DuckDB SQL), ``polars``
(lazy), ``pandas`` (pyarrow-backed reads with column selection and row filters) and
``spark_ibis`` (the same project functions on Ibis's PySpark backend, ``local[2]``; reported,
not a goal). Each (engine, query) runs in a fresh subprocess: setup (imports, connection,
table registration) is timed apart from the query, whose figure is the median of N runs;
peak RSS of the whole process tree (Spark's JVM included) is sampled with psutil at ~10 Hz.
All engines' results are cross-checked (row counts and column checksums). Timings are
reported, never asserted.

    python bench/generate_trade.py --years 2019-2021 --rows-per-year 10000000
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

from generate_trade import (  # noqa: E402
    BANNER,
    CIF_FACTOR,
    DEFAULT_DATA_DIR,
    META_FILE,
    WORLD,
    WORLD_FILE,
    say,
)

ENGINES = ("duckdb_sql", "ibis_duckdb", "polars", "pandas", "spark_ibis")
GOAL_ENGINES = ("duckdb_sql", "ibis_duckdb", "polars", "pandas")
QUERIES = ("q0_annual_flows", "q1_concentration", "q2_trade_intensity", "q3_shares_ranks",
           "q4_shift_share", "q5_mirror_gaps")
QUERY_DOC = {
    "q0_annual_flows": "trade.annual_flows: the whole trade_flows-shaped table (both reports "
                       "of every bilateral flow, plus World rows)",
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
COMPARATORS = ("JPN", "CHN", "USA", "KOR", "EUU")
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
        self.files = [str(data_dir / f) for f in self.meta["files"]]
        self.world = str(data_dir / WORLD_FILE)
        self.years: list[int] = self.meta["years"]
        self.lac: list[str] = self.meta["lac33"]
        self.first, self.last = self.years[0], self.years[-1]

    def economies(self) -> list[str]:
        import pyarrow.parquet as pq

        t = pq.read_table(self.world, columns=["reporter_iso3"])
        return sorted(set(t.column(0).to_pylist()) - {WORLD})


def sql_list(codes: list[str] | tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


# ---------------------------------------------------------------------------------------------
# Engine: the project's functions through Ibis (DuckDB or PySpark backend)


def flows_expr(p: Any, w: Any) -> Any:
    """The generated product-level rows presented as the project's `trade_flows` table:
    bilateral totals as the exporter reports them (export, FOB) and as the importer reports
    them (import, CIF), plus each economy's and the World's totals with partner WLD."""
    import ibis

    def rows(t: Any, reporter: Any, partner: Any, flow: Any, value: Any) -> Any:
        flow = ibis.literal(flow) if isinstance(flow, str) else flow
        return t.select(
            reporter_iso3=reporter, partner_iso3=partner, flow=flow, year=t.year,
            month=ibis.null("int8"), value_usd=value,
            valuation=ibis.ifelse(flow == "import", "CIF", "FOB"),
            value_basis=ibis.literal("reported"), source_id=ibis.literal("imf_dots"))

    b = p.group_by(["year", "exporter", "importer"]).agg(v=p.value_usd.sum())
    return (rows(b, b.exporter, b.importer, "export", b.v)
            .union(rows(b, b.importer, b.exporter, "import", b.v * CIF_FACTOR))
            .union(rows(w, w.reporter_iso3, ibis.literal(WORLD), w.flow, w.value_usd)))


def ibis_queries(d: Data, flows: Any, countries: Any) -> dict[str, Callable[[], Any]]:
    from kakehashi.analytics import indicators, ranking, trade
    from kakehashi.analytics.periods import Period

    lac = d.lac
    return {
        "q0_annual_flows": lambda: trade.annual_flows(flows),
        "q1_concentration": lambda: indicators.concentration(flows, lac, EXPORTER),
        "q2_trade_intensity": lambda: indicators.trade_intensity(flows, lac, EXPORTER),
        "q3_shares_ranks": lambda: trade.shares_and_ranks(
            trade.members_trade_by_partner(flows, lac), countries, d.first, d.last),
        "q4_shift_share": lambda: ranking.shift_share(
            flows, lac, Period(d.first, d.first), Period(d.last, d.last), EXPORTER),
        "q5_mirror_gaps": lambda: indicators.mirror_gaps(flows, lac, EXPORTER),
    }


def setup_ibis_duckdb(d: Data) -> Callable[[str], Any]:
    import ibis

    con = ibis.duckdb.connect()
    p = con.read_parquet(d.files, table_name="generated_baci_like")
    w = con.read_parquet(d.world, table_name="generated_world_totals")
    # a named view, as trade_flows is a named table in the store: DuckDB inlines a view at
    # each reference and pushes filters into it (an Ibis CTE used several times is
    # materialised whole instead; see bench/README.md)
    flows = con.create_view("trade_flows", flows_expr(p, w), overwrite=True)
    countries = ibis.memtable({"iso3": d.economies(), "kind": "economy"})
    qs = ibis_queries(d, flows, countries)
    return lambda q: qs[q]().to_pyarrow()


def setup_spark_ibis(d: Data) -> Callable[[str], Any]:
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
    session.read.parquet(*d.files).createOrReplaceTempView("generated_baci_like")
    session.read.parquet(d.world).createOrReplaceTempView("generated_world_totals")
    con = ibis.pyspark.connect(session)
    p = con.table("generated_baci_like")
    w = con.table("generated_world_totals")
    flows = con.create_view("trade_flows", flows_expr(p, w), overwrite=True)
    countries = ibis.memtable({"iso3": d.economies(), "kind": "economy"})
    qs = ibis_queries(d, flows, countries)
    return lambda q: qs[q]().to_pyarrow()


# ---------------------------------------------------------------------------------------------
# Engine: hand-written DuckDB SQL


def duckdb_sql_queries(d: Data) -> dict[str, str]:
    lac, cif, jp = sql_list(d.lac), CIF_FACTOR, f"'{EXPORTER}'"
    return {
        "q0_annual_flows": f"""
            WITH b AS (SELECT year, exporter, importer, sum(value_usd) AS v
                       FROM baci GROUP BY ALL)
            SELECT exporter AS reporter_iso3, importer AS partner_iso3, 'export' AS flow,
                   year, v AS value_usd FROM b
            UNION ALL
            SELECT importer, exporter, 'import', year, v * {cif} FROM b
            UNION ALL
            SELECT reporter_iso3, '{WORLD}', flow, year, value_usd FROM world""",
        "q1_concentration": f"""
            WITH t AS (
                SELECT year, importer AS partner, value_usd AS v FROM baci
                WHERE exporter = {jp} AND importer IN {lac}
                UNION ALL
                SELECT year, exporter, value_usd * {cif} FROM baci
                WHERE importer = {jp} AND exporter IN {lac}),
            by_partner AS (SELECT year, partner, sum(v) AS trade FROM t GROUP BY ALL),
            s AS (SELECT year, partner, trade / sum(trade) OVER (PARTITION BY year) AS share
                  FROM by_partner)
            SELECT year, count(DISTINCT partner) AS partners, sum(share * share) AS hhi,
                   max(share) AS top_partner_share
            FROM s GROUP BY year""",
        "q2_trade_intensity": f"""
            WITH x AS (SELECT year, importer AS partner_iso3, sum(value_usd) AS x_ij
                       FROM baci WHERE exporter = {jp} AND importer IN {lac} GROUP BY ALL),
            tot AS (SELECT year,
                        sum(value_usd) FILTER (reporter_iso3 = {jp} AND flow = 'export') AS X_i,
                        sum(value_usd) FILTER (reporter_iso3 = {jp} AND flow = 'import') AS M_i,
                        sum(value_usd) FILTER (reporter_iso3 = '{WORLD}' AND flow = 'import')
                            AS M_w
                    FROM world GROUP BY year),
            m AS (SELECT year, reporter_iso3 AS partner_iso3, value_usd AS M_j FROM world
                  WHERE flow = 'import' AND reporter_iso3 IN {lac})
            SELECT year, partner_iso3, x_ij, X_i, M_j, M_w, M_i,
                   (x_ij / X_i) / (M_j / (M_w - M_i)) AS tii
            FROM x JOIN tot USING (year) JOIN m USING (year, partner_iso3)""",
        "q3_shares_ranks": f"""
            WITH parts AS (
                SELECT year, importer AS partner_iso3, sum(value_usd) AS e,
                       NULL::DOUBLE AS i
                FROM baci WHERE exporter IN {lac} GROUP BY ALL
                UNION ALL
                SELECT year, exporter, NULL, sum(value_usd) * {cif}
                FROM baci WHERE importer IN {lac} GROUP BY ALL
                UNION ALL
                SELECT year, '{WORLD}', sum(value_usd) FILTER (flow = 'export'),
                       sum(value_usd) FILTER (flow = 'import')
                FROM world WHERE reporter_iso3 IN {lac} GROUP BY year),
            by_year AS (SELECT year, partner_iso3, sum(e) AS e, sum(i) AS i
                        FROM parts GROUP BY ALL),
            p AS (SELECT partner_iso3, avg(e) AS exports_usd, avg(i) AS imports_usd,
                         coalesce(avg(e), 0) + coalesce(avg(i), 0) AS trade_usd
                  FROM by_year WHERE year BETWEEN {d.first} AND {d.last} GROUP BY ALL),
            w AS (SELECT exports_usd AS wx, imports_usd AS wm, trade_usd AS wt
                  FROM p WHERE partner_iso3 = '{WORLD}'),
            ranked AS (SELECT partner_iso3, rank() OVER (ORDER BY trade_usd DESC) AS rnk
                       FROM p JOIN countries c ON p.partner_iso3 = c.iso3
                       WHERE c.kind = 'economy')
            SELECT p.partner_iso3 AS comparator,
                   exports_usd / wx * 100 AS share_of_partner_exports_pct,
                   imports_usd / wm * 100 AS share_of_partner_imports_pct,
                   trade_usd / wt * 100 AS share_of_partner_trade_pct,
                   rnk::DOUBLE AS rank_among_partners
            FROM p CROSS JOIN w LEFT JOIN ranked USING (partner_iso3)
            WHERE p.partner_iso3 IN {sql_list(COMPARATORS)}""",
        "q4_shift_share": f"""
            WITH x AS (SELECT year, importer AS country_iso3, sum(value_usd) AS x
                       FROM baci WHERE exporter = {jp} AND importer IN {lac}
                         AND year IN ({d.first}, {d.last}) GROUP BY ALL),
            m AS (SELECT year, reporter_iso3 AS country_iso3, value_usd AS m FROM world
                  WHERE flow = 'import' AND reporter_iso3 IN {lac}),
            t AS (SELECT country_iso3,
                         avg(x) FILTER (year = {d.first}) AS exports_then,
                         avg(m) FILTER (year = {d.first}) AS imports_then,
                         avg(x) FILTER (year = {d.last}) AS exports_now,
                         avg(m) FILTER (year = {d.last}) AS imports_now
                  FROM x JOIN m USING (year, country_iso3) GROUP BY ALL
                  HAVING count(*) FILTER (year = {d.first}) > 0
                     AND count(*) FILTER (year = {d.last}) > 0)
            SELECT *, exports_now - exports_then AS change,
                   exports_then / imports_then * (imports_now - imports_then) AS market_effect,
                   (exports_now / imports_now - exports_then / imports_then) * imports_now
                       AS share_effect,
                   exports_then / imports_then * 100 AS share_then_pct,
                   exports_now / imports_now * 100 AS share_now_pct
            FROM t""",
        "q5_mirror_gaps": f"""
            WITH a AS (SELECT year, importer AS country_iso3, sum(value_usd) AS v
                       FROM baci WHERE exporter = {jp} AND importer IN {lac} GROUP BY ALL),
            b AS (SELECT year, exporter AS country_iso3, sum(value_usd) AS v
                  FROM baci WHERE importer = {jp} AND exporter IN {lac} GROUP BY ALL),
            u AS (SELECT year, country_iso3, 'partner_to_country' AS direction,
                         v AS exporter_reports_fob, v * {cif} AS importer_reports_cif FROM a
                  UNION ALL
                  SELECT year, country_iso3, 'country_to_partner', v, v * {cif} FROM b)
            SELECT *,
                   (importer_reports_cif - exporter_reports_fob) / exporter_reports_fob * 100
                       AS gap_pct,
                   abs((importer_reports_cif - exporter_reports_fob) / exporter_reports_fob
                       * 100) > 25.0 AS flagged
            FROM u""",
    }


def setup_duckdb_sql(d: Data) -> Callable[[str], Any]:
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    files = ", ".join(f"'{f}'" for f in d.files)
    con.execute(f"CREATE VIEW baci AS SELECT * FROM read_parquet([{files}])")
    con.execute(f"CREATE VIEW world AS SELECT * FROM read_parquet('{d.world}')")
    eco = d.economies()
    con.register("countries_arrow", pa.table({"iso3": eco, "kind": ["economy"] * len(eco)}))
    con.execute("CREATE TABLE countries AS SELECT * FROM countries_arrow")
    qs = duckdb_sql_queries(d)
    return lambda q: con.sql(qs[q]).fetch_arrow_table()


# ---------------------------------------------------------------------------------------------
# Engine: polars (lazy)


def setup_polars(d: Data) -> Callable[[str], Any]:
    import polars as pl

    baci = pl.scan_parquet(d.files)
    world = pl.scan_parquet(d.world)
    eco = pl.LazyFrame({"iso3": d.economies(), "kind": "economy"})
    lac, col = d.lac, pl.col

    def jp_lac(exporter_is_jp: bool) -> pl.LazyFrame:
        if exporter_is_jp:
            f = (col("exporter") == EXPORTER) & col("importer").is_in(lac)
            return baci.filter(f).group_by("year", col("importer").alias("country_iso3")).agg(
                v=col("value_usd").sum())
        f = (col("importer") == EXPORTER) & col("exporter").is_in(lac)
        return baci.filter(f).group_by("year", col("exporter").alias("country_iso3")).agg(
            v=col("value_usd").sum())

    world_imports = world.filter((col("flow") == "import") & col("reporter_iso3").is_in(lac))

    def q0() -> pl.LazyFrame:
        b = baci.group_by("year", "exporter", "importer").agg(v=col("value_usd").sum())
        return pl.concat([
            b.select(reporter_iso3="exporter", partner_iso3="importer",
                     flow=pl.lit("export"), year="year", value_usd="v"),
            b.select(reporter_iso3="importer", partner_iso3="exporter",
                     flow=pl.lit("import"), year="year", value_usd=col("v") * CIF_FACTOR),
            world.select("reporter_iso3", partner_iso3=pl.lit(WORLD), flow="flow",
                         year="year", value_usd="value_usd"),
        ])

    def q1() -> pl.LazyFrame:
        t = pl.concat([jp_lac(True), jp_lac(False).with_columns(v=col("v") * CIF_FACTOR)])
        by = t.group_by("year", "country_iso3").agg(trade=col("v").sum())
        s = by.with_columns(share=col("trade") / col("trade").sum().over("year"))
        return s.group_by("year").agg(partners=col("country_iso3").n_unique(),
                                      hhi=(col("share") ** 2).sum(),
                                      top_partner_share=col("share").max())

    def q2() -> pl.LazyFrame:
        x = jp_lac(True).select("year", partner_iso3="country_iso3", x_ij="v")
        w = world
        tot = w.group_by("year").agg(
            X_i=col("value_usd").filter((col("reporter_iso3") == EXPORTER)
                                        & (col("flow") == "export")).sum(),
            M_i=col("value_usd").filter((col("reporter_iso3") == EXPORTER)
                                        & (col("flow") == "import")).sum(),
            M_w=col("value_usd").filter((col("reporter_iso3") == WORLD)
                                        & (col("flow") == "import")).sum())
        m = world_imports.select("year", partner_iso3="reporter_iso3", M_j="value_usd")
        j = x.join(tot, on="year").join(m, on=["year", "partner_iso3"])
        return j.select("year", "partner_iso3", "x_ij", "X_i", "M_j", "M_w", "M_i",
                        tii=(col("x_ij") / col("X_i"))
                        / (col("M_j") / (col("M_w") - col("M_i"))))

    def q3() -> pl.LazyFrame:
        e = baci.filter(col("exporter").is_in(lac)).group_by(
            "year", col("importer").alias("partner_iso3")).agg(
            e=col("value_usd").sum()).with_columns(i=pl.lit(None, pl.Float64))
        i = baci.filter(col("importer").is_in(lac)).group_by(
            "year", col("exporter").alias("partner_iso3")).agg(
            i=col("value_usd").sum() * CIF_FACTOR).with_columns(e=pl.lit(None, pl.Float64))
        w = world.filter(col("reporter_iso3").is_in(lac)).group_by("year").agg(
            e=col("value_usd").filter(col("flow") == "export").sum(),
            i=col("value_usd").filter(col("flow") == "import").sum(),
        ).with_columns(partner_iso3=pl.lit(WORLD))
        cols = ["year", "partner_iso3", "e", "i"]
        parts = pl.concat([e.select(cols), i.select(cols), w.select(cols)])
        by = parts.group_by("year", "partner_iso3").agg(
            e=pl.when(col("e").count() > 0).then(col("e").sum()),
            i=pl.when(col("i").count() > 0).then(col("i").sum()))
        p = by.filter(col("year").is_between(d.first, d.last)).group_by("partner_iso3").agg(
            exports_usd=col("e").mean(), imports_usd=col("i").mean())
        p = p.with_columns(trade_usd=col("exports_usd").fill_null(0)
                           + col("imports_usd").fill_null(0))
        w1 = p.filter(col("partner_iso3") == WORLD).select(
            wx="exports_usd", wm="imports_usd", wt="trade_usd")
        ranked = p.join(eco.filter(col("kind") == "economy"), left_on="partner_iso3",
                        right_on="iso3").select(
            "partner_iso3", rnk=col("trade_usd").rank("min", descending=True))
        c = p.filter(col("partner_iso3").is_in(COMPARATORS)).join(w1, how="cross")
        c = c.join(ranked, on="partner_iso3", how="left")
        return c.select(comparator="partner_iso3",
                        share_of_partner_exports_pct=col("exports_usd") / col("wx") * 100,
                        share_of_partner_imports_pct=col("imports_usd") / col("wm") * 100,
                        share_of_partner_trade_pct=col("trade_usd") / col("wt") * 100,
                        rank_among_partners=col("rnk").cast(pl.Float64))

    def q4() -> pl.LazyFrame:
        x = jp_lac(True).filter(col("year").is_in([d.first, d.last]))
        m = world_imports.select("year", country_iso3="reporter_iso3", m="value_usd")
        b = x.join(m, on=["year", "country_iso3"])
        then = b.filter(col("year") == d.first).group_by("country_iso3").agg(
            exports_then=col("v").mean(), imports_then=col("m").mean())
        now = b.filter(col("year") == d.last).group_by("country_iso3").agg(
            exports_now=col("v").mean(), imports_now=col("m").mean())
        j = then.join(now, on="country_iso3")
        s0 = col("exports_then") / col("imports_then")
        s1 = col("exports_now") / col("imports_now")
        return j.with_columns(change=col("exports_now") - col("exports_then"),
                              market_effect=s0 * (col("imports_now") - col("imports_then")),
                              share_effect=(s1 - s0) * col("imports_now"),
                              share_then_pct=s0 * 100, share_now_pct=s1 * 100)

    def q5() -> pl.LazyFrame:
        u = pl.concat([
            jp_lac(True).with_columns(direction=pl.lit("partner_to_country")),
            jp_lac(False).with_columns(direction=pl.lit("country_to_partner"))])
        u = u.select("year", "country_iso3", "direction", exporter_reports_fob="v",
                     importer_reports_cif=col("v") * CIF_FACTOR)
        gap = ((col("importer_reports_cif") - col("exporter_reports_fob"))
               / col("exporter_reports_fob") * 100)
        return u.with_columns(gap_pct=gap, flagged=gap.abs() > 25.0)

    qs = dict(zip(QUERIES, (q0, q1, q2, q3, q4, q5), strict=True))
    return lambda q: qs[q]().collect()


# ---------------------------------------------------------------------------------------------
# Engine: pandas (pyarrow-backed reads, column selection and row filters pushed to the read)


def setup_pandas(d: Data) -> Callable[[str], Any]:
    import pandas as pd

    lac = d.lac

    def read(columns: list[str], filters: list[tuple[str, str, Any]] | None = None
             ) -> pd.DataFrame:
        return pd.concat([pd.read_parquet(f, columns=columns, filters=filters,
                                          dtype_backend="pyarrow") for f in d.files],
                         ignore_index=True)

    def world() -> pd.DataFrame:
        return pd.read_parquet(d.world, dtype_backend="pyarrow")

    def jp_lac(exporter_is_jp: bool, years: list[int] | None = None) -> pd.DataFrame:
        me, other = ("exporter", "importer") if exporter_is_jp else ("importer", "exporter")
        filters = [(me, "==", EXPORTER), (other, "in", lac)]
        if years:
            filters.append(("year", "in", years))
        b = read(["year", other, "value_usd"], filters)
        return (b.groupby(["year", other], observed=True, sort=False)["value_usd"].sum()
                .rename("v").reset_index().rename(columns={other: "country_iso3"}))

    def q0() -> pd.DataFrame:
        b = read(["year", "exporter", "importer", "value_usd"])
        b = b.groupby(["year", "exporter", "importer"], observed=True, sort=False)[
            "value_usd"].sum().reset_index()
        x = pd.DataFrame({"reporter_iso3": b.exporter, "partner_iso3": b.importer,
                          "flow": "export", "year": b.year, "value_usd": b.value_usd})
        m = pd.DataFrame({"reporter_iso3": b.importer, "partner_iso3": b.exporter,
                          "flow": "import", "year": b.year,
                          "value_usd": b.value_usd * CIF_FACTOR})
        w = world()
        w = pd.DataFrame({"reporter_iso3": w.reporter_iso3, "partner_iso3": WORLD,
                          "flow": w.flow, "year": w.year, "value_usd": w.value_usd})
        return pd.concat([x, m, w], ignore_index=True)

    def q1() -> pd.DataFrame:
        t = pd.concat([jp_lac(True), jp_lac(False).assign(
            v=lambda f: f.v * CIF_FACTOR)], ignore_index=True)
        by = t.groupby(["year", "country_iso3"], observed=True)["v"].sum().reset_index()
        by["share"] = by.v / by.groupby("year")["v"].transform("sum")
        by["sq"] = by.share * by.share
        g = by.groupby("year")
        return pd.DataFrame({"partners": g.country_iso3.nunique(), "hhi": g.sq.sum(),
                             "top_partner_share": g.share.max()}).reset_index()

    def q2() -> pd.DataFrame:
        x = jp_lac(True).rename(columns={"country_iso3": "partner_iso3", "v": "x_ij"})
        w = world()

        def pick(reporter: str, flow: str, name: str) -> pd.Series:
            s = w[(w.reporter_iso3 == reporter) & (w.flow == flow)]
            return s.groupby("year")["value_usd"].sum().rename(name)

        tot = pd.concat([pick(EXPORTER, "export", "X_i"), pick(EXPORTER, "import", "M_i"),
                         pick(WORLD, "import", "M_w")], axis=1).reset_index()
        m = w[(w.flow == "import") & w.reporter_iso3.isin(lac)]
        m = m.rename(columns={"reporter_iso3": "partner_iso3", "value_usd": "M_j"})[
            ["year", "partner_iso3", "M_j"]]
        j = x.merge(tot, on="year").merge(m, on=["year", "partner_iso3"])
        j["tii"] = (j.x_ij / j.X_i) / (j.M_j / (j.M_w - j.M_i))
        return j[["year", "partner_iso3", "x_ij", "X_i", "M_j", "M_w", "M_i", "tii"]]

    def q3() -> pd.DataFrame:
        e = read(["year", "importer", "value_usd"], [("exporter", "in", lac)])
        e = e.groupby(["year", "importer"], observed=True, sort=False)["value_usd"].sum()
        e = e.rename("exports_usd").rename_axis(["year", "partner_iso3"])
        i = read(["year", "exporter", "value_usd"], [("importer", "in", lac)])
        i = i.groupby(["year", "exporter"], observed=True, sort=False)["value_usd"].sum()
        i = (i * CIF_FACTOR).rename("imports_usd").rename_axis(["year", "partner_iso3"])
        by = pd.concat([e, i], axis=1).reset_index()
        w = world()
        w = w[w.reporter_iso3.isin(lac)].pivot_table(index="year", columns="flow",
                                                     values="value_usd", aggfunc="sum")
        w = pd.DataFrame({"year": w.index, "partner_iso3": WORLD,
                          "exports_usd": w["export"].values, "imports_usd": w["import"].values})
        by = pd.concat([by, w], ignore_index=True)
        by = by[by.year.between(d.first, d.last)]
        p = by.groupby("partner_iso3")[["exports_usd", "imports_usd"]].mean().reset_index()
        p["trade_usd"] = p.exports_usd.fillna(0) + p.imports_usd.fillna(0)
        wr = p[p.partner_iso3 == WORLD].iloc[0]
        ranked = p[p.partner_iso3.isin(d.economies())].copy()
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
        x = jp_lac(True, [d.first, d.last])
        w = world()
        m = w[(w.flow == "import") & w.reporter_iso3.isin(lac)].rename(
            columns={"reporter_iso3": "country_iso3", "value_usd": "m"})
        b = x.merge(m[["year", "country_iso3", "m"]], on=["year", "country_iso3"])

        def mean(year: int, tag: str) -> pd.DataFrame:
            g = b[b.year == year].groupby("country_iso3")
            return pd.DataFrame({f"exports_{tag}": g.v.mean(), f"imports_{tag}": g.m.mean()})

        j = mean(d.first, "then").join(mean(d.last, "now"), how="inner").reset_index()
        s0, s1 = j.exports_then / j.imports_then, j.exports_now / j.imports_now
        return j.assign(change=j.exports_now - j.exports_then,
                        market_effect=s0 * (j.imports_now - j.imports_then),
                        share_effect=(s1 - s0) * j.imports_now,
                        share_then_pct=s0 * 100, share_now_pct=s1 * 100)

    def q5() -> pd.DataFrame:
        u = pd.concat([jp_lac(True).assign(direction="partner_to_country"),
                       jp_lac(False).assign(direction="country_to_partner")],
                      ignore_index=True)
        u = u.rename(columns={"v": "exporter_reports_fob"})
        u["importer_reports_cif"] = u.exporter_reports_fob * CIF_FACTOR
        u["gap_pct"] = ((u.importer_reports_cif - u.exporter_reports_fob)
                        / u.exporter_reports_fob * 100)
        u["flagged"] = u.gap_pct.abs() > 25.0
        return u

    qs = dict(zip(QUERIES, (q0, q1, q2, q3, q4, q5), strict=True))
    return lambda q: qs[q]()


SETUP: dict[str, Callable[[Data], Callable[[str], Any]]] = {
    "duckdb_sql": setup_duckdb_sql, "ibis_duckdb": setup_ibis_duckdb, "polars": setup_polars,
    "pandas": setup_pandas, "spark_ibis": setup_spark_ibis,
}


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
    run = SETUP[engine](d)
    setup_s = time.perf_counter() - t0
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = run(query)
        times.append(time.perf_counter() - t)
    out.write_text(json.dumps({"setup_s": setup_s, "times": times,
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
            "checksum": r["checksum"]}


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
    say(BANNER)
    rows = d.meta["rows_per_year"] * len(d.years)
    say(f"Data: {a.data_dir} ({len(d.years)} years {d.first}-{d.last}, {rows:,} rows, "
          f"{d.meta['economies']} economies, {d.meta['products']} HS6 codes) - GENERATED")
    say(f"Machine: {machine()}")
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
        "note": "Timings on GENERATED BACI-shaped data; see bench/README.md.",
        "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
        "versions": versions(), "data": {k: d.meta[k] for k in (
            "years", "rows_per_year", "economies", "products", "seed", "cif_factor")},
        "quick": a.quick, "cross_check_ok": not problems, "problems": problems,
        "verdicts": [v for v in verdicts(results, queries) if v],
        "total_s": total, "results": results,
    }, indent=1) + "\n")
    say(f"Results written to {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
