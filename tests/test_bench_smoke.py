"""Smoke test of the trade-analytics benchmark on tiny GENERATED data.

It checks that both scripts run and that the engines agree on every query's results; it
never asserts a timing.
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
    assert sorted(p.name for p in tmp_path.glob("generated_baci_like_*.parquet")) == [
        "generated_baci_like_2019.parquet", "generated_baci_like_2020.parquet",
        "generated_baci_like_world_totals.parquet"]

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
