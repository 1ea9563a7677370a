"""Smoke tests of the benchmarks on tiny GENERATED data.

Trade analytics: both scripts run, the four local engines ran every query and agree on every
query's results. Product ingest (issue 8): the BACI-format generator and the ingest bench run,
every engine ran and wrote every row with the file's sum of v. No timing is ever asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
ENGINES = "duckdb_sql,ibis_duckdb,polars,pandas"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_bench_trade_analytics_quick(tmp_path: Path) -> None:
    gen = run(str(BENCH / "generate_trade.py"), "--quick", "--years", "2019-2020",
              "--data-dir", str(tmp_path))
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert "GENERATED DATA" in gen.stdout
    assert sorted(p.name for p in tmp_path.glob("generated_trade_flows_*.parquet")) == [
        "generated_trade_flows_2019.parquet", "generated_trade_flows_2020.parquet"]
    meta = json.loads((tmp_path / "generated_trade_flows_meta.json").read_text())
    assert meta["generated"] is True
    # each product flow appears twice (export and import report), plus the World rows
    assert all(rows > 2 * meta["flows_per_year"] for rows in meta["rows"])

    bench = run(str(BENCH / "trade_analytics.py"), "--quick", "--data-dir", str(tmp_path),
                "--engines", ENGINES, "--results-dir", str(tmp_path))
    out = bench.stdout + bench.stderr
    assert bench.returncode == 0, out
    assert "Cross-check passed" in bench.stdout, out
    assert "CROSS-CHECK FAILED" not in out

    (result,) = tmp_path.glob("trade_analytics-*.json")
    data = json.loads(result.read_text())
    assert data["cross_check_ok"] is True
    assert data["problems"] == []
    ran = {(r["engine"], r["query"]) for r in data["results"] if r["ok"]}
    queries = {r["query"] for r in data["results"]}
    assert len(queries) == 6
    assert ran == {(e, q) for e in ENGINES.split(",") for q in queries}
    for r in data["results"]:
        assert r["checksum"]["rows"] > 0, r
        if r["engine"] == "ibis_duckdb":  # the fixed Ibis overhead was measured apart
            assert {"build_s", "to_sql_s", "raw_sql_s"} <= set(r["extra"]), r


def test_bench_show_sql(tmp_path: Path) -> None:
    gen = run(str(BENCH / "generate_trade.py"), "--quick", "--data-dir", str(tmp_path))
    assert gen.returncode == 0, gen.stdout + gen.stderr
    shown = run(str(BENCH / "trade_analytics.py"), "--show-sql", "--data-dir", str(tmp_path),
                "--queries", "q2_trade_intensity")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "duckdb_sql (hand-written)" in shown.stdout
    assert "ibis.to_sql" in shown.stdout
    assert "read_parquet" in shown.stdout



def product_ingest_quick(tmp_path: Path, engines: list[str]) -> None:
    gen = run(str(BENCH / "generate_baci.py"), "--quick", "--data-dir", str(tmp_path))
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert "GENERATED DATA" in gen.stdout
    names = sorted(p.name for p in tmp_path.glob("GENERATED_*.csv"))
    assert names == ["GENERATED_BACI_HS17_Y2019_V000000.csv",
                     "GENERATED_BACI_HS17_Y2020_V000000.csv",
                     "GENERATED_country_codes_V000000.csv"]
    meta = json.loads((tmp_path / "GENERATED_baci_meta.json").read_text())
    assert meta["generated"] is True
    lines = (tmp_path / names[0]).read_text().splitlines()
    assert lines[0] == "t,i,j,k,v,q"
    assert len(lines) == meta["rows_per_year"] + 1

    bench = run(str(BENCH / "product_ingest.py"), "--quick", "--data-dir", str(tmp_path),
                "--engines", ",".join(engines), "--results-dir", str(tmp_path))
    out = bench.stdout + bench.stderr
    assert bench.returncode == 0, out
    assert "Check passed" in bench.stdout, out
    (result,) = tmp_path.glob("product_ingest-*.json")
    data = json.loads(result.read_text())
    assert data["check_ok"] is True, data["problems"]
    assert list(data["results"]) == engines
    for e in engines:  # every engine ran and wrote every row (no timing is checked)
        r = data["results"][e]
        assert r["ok"], r
        assert r["rows"] == meta["rows_per_year"], r


def test_bench_product_ingest_quick(tmp_path: Path) -> None:
    product_ingest_quick(tmp_path, ["baseline", "duckdb"])


@pytest.mark.spark
def test_bench_product_ingest_quick_spark(tmp_path: Path) -> None:
    product_ingest_quick(tmp_path, ["baseline", "duckdb", "spark"])


def test_bench_product_ingest_without_data(tmp_path: Path) -> None:
    bench = run(str(BENCH / "product_ingest.py"), "--data-dir", str(tmp_path))
    assert bench.returncode != 0
    assert "run `python bench/generate_baci.py` first" in bench.stderr


def product_analytics_quick(tmp_path: Path, engines: list[str]) -> None:
    """Product analytics (issue 8) on a tiny GENERATED lake: every engine ran every query and
    agreed with the hand-written SQL."""
    bench = subprocess.run([sys.executable, str(BENCH / "product_analytics.py"), "--quick",
                            "--data-dir", str(tmp_path), "--engines", ",".join(engines),
                            "--results-dir", str(tmp_path)],
                           capture_output=True, text=True, timeout=1200, check=False)
    out = bench.stdout + bench.stderr
    assert bench.returncode == 0, out
    assert "GENERATED DATA" in bench.stdout
    assert "Cross-check passed" in bench.stdout, out
    (result,) = tmp_path.glob("product_analytics-*.json")
    data = json.loads(result.read_text())
    assert data["cross_check_ok"] is True, data["problems"]
    queries = {r["query"] for r in data["results"]}
    assert len(queries) == 7
    ran = {(r["engine"], r["query"]) for r in data["results"] if r["ok"]}
    assert ran == {(e, q) for e in engines for q in queries}
    rows = {r["query"]: sum(c["rows"] for c in r["checksum"].values())
            for r in data["results"] if r["engine"] == "duckdb_sql"}
    # tiny data may have no new or lost product; every other query returns rows
    assert all(n > 0 for q, n in rows.items() if q != "p2_new_and_lost"), rows


def test_bench_product_analytics_quick(tmp_path: Path) -> None:
    product_analytics_quick(tmp_path, ["duckdb_sql", "ibis_duckdb"])


@pytest.mark.spark
def test_bench_product_analytics_quick_spark(tmp_path: Path) -> None:
    product_analytics_quick(tmp_path, ["duckdb_sql", "ibis_duckdb", "spark_ibis"])
