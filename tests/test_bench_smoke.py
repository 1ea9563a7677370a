"""Smoke test of the trade-analytics benchmark on tiny GENERATED data.

It checks that both scripts run, that the four local engines ran every query and that they
agree on every query's results; it never asserts a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
