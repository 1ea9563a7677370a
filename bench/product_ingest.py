"""Time Kakehashi's BACI ingest (``kakehashi.store.lake.ingest``) against DuckDB's own
``read_csv`` -> Parquet copy of the same GENERATED BACI-format year file, measured in the same
run (issue 8: the ingest within 1.5x of that copy).

Three things convert one year file (``GENERATED_BACI_HS17_Y{year}_V000000.csv``, written by
``generate_baci.py``) to zstd Parquet:

* ``baseline``: DuckDB alone, ``COPY (SELECT * FROM read_csv(<file>, header = true,
  columns = {typed})) TO '<dir>/baseline.parquet' (FORMAT parquet, COMPRESSION zstd)`` with
  DuckDB's default thread count (all cores), the plain copy;
* ``duckdb``: ``lake.ingest([file], lake, revision="HS17", country_codes_file=<BACI-format
  country codes>, engine="duckdb")``, which also maps the country codes to ISO3, pads the HS6
  code, scales v to USD, checks every row, hashes the input and swaps the new version in
  atomically;
* ``spark``: the same call with ``engine="spark", master="local[2]"`` (once; it includes the
  Spark session's start, which the ingest owns).

Every run is a fresh subprocess (imports timed apart from the conversion), run round-robin
across engines so that a busy machine weighs on both sides of a ratio; the figure is the
median of 3 runs (1 with ``--quick``), with the worker's CPU seconds beside the wall time;
peak RSS of the whole process tree (Spark's JVM included) is sampled with psutil at 10 Hz.
After each run the worker reads its output back: row count and sum of v (value_usd / 1000 for
the lake), which must match the generator's metadata. Timings are reported, never asserted.

    python bench/generate_baci.py            # first: 5 GENERATED years in bench/data/baci
    python bench/product_ingest.py           # year 2019, ~2 minutes on a quiet machine
    python bench/product_ingest.py --engines baseline,duckdb,spark --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
if (REPO / "src" / "kakehashi").is_dir():
    sys.path.insert(0, str(REPO / "src"))

from generate_baci import (  # noqa: E402
    BANNER,
    COUNTRY_CODES_FILE,
    DEFAULT_DATA_DIR,
    HS,
    META_FILE,
    QUICK_DATA_DIR,
    RELEASE,
    year_file,
)
from generate_trade import say  # noqa: E402

ENGINES = ("baseline", "duckdb", "spark")
DEFAULT_RUNS = {"baseline": 3, "duckdb": 3}
GOAL = 1.5
TOLERANCE = 1e-9
BASELINE_COLUMNS = ("{'t': 'SMALLINT', 'i': 'SMALLINT', 'j': 'SMALLINT', 'k': 'INTEGER', "
                    "'v': 'DOUBLE', 'q': 'DOUBLE'}")


# ---------------------------------------------------------------------------------------------
# The worker: one conversion in a fresh process


def baseline_copy(csv: Path, out: Path, na: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT * FROM read_csv('{csv}', header = true, nullstr = '{na}',
                                     columns = {BASELINE_COLUMNS}))
        TO '{out / "baseline.parquet"}' (FORMAT parquet, COMPRESSION zstd)""").fetchall()
    con.close()


def lake_ingest(engine: str, csv: Path, out: Path, codes: Path) -> Any:
    from kakehashi.store import lake

    return lake.ingest([csv], out / "lake", revision=HS, country_codes_file=codes,
                       engine=engine, master="local[2]", release=RELEASE)


def read_back(engine: str, out: Path) -> dict[str, Any]:
    """Row count and sum of v (in thousands of USD, as in the CSV) of what the run wrote."""
    import duckdb

    con = duckdb.connect()
    if engine == "baseline":
        sql = f"SELECT count(*), sum(v) FROM read_parquet('{out / 'baseline.parquet'}')"
    else:
        sql = (f"SELECT count(*), sum(value_usd) / 1000 FROM read_parquet("
               f"'{out / 'lake'}/**/*.parquet', hive_partitioning = true, union_by_name = true)")
    rows, sum_v = con.execute(sql).fetchall()[0]
    files = [p for p in out.rglob("*.parquet") if p.is_file()]
    return {"rows": int(rows), "sum_v": float(sum_v or 0.0), "parquet_files": len(files),
            "parquet_bytes": sum(p.stat().st_size for p in files)}


def report_dict(rep: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(rep) and not isinstance(rep, type):
        return json.loads(json.dumps(dataclasses.asdict(rep), default=str))
    return repr(rep)


def worker(engine: str, csv: Path, out: Path, codes: Path, na: str, result: Path) -> None:
    t0 = time.perf_counter()
    if engine == "baseline":
        import duckdb  # noqa: F401
    else:  # the lake module imports duckdb, ibis and the project
        from kakehashi.store import lake  # noqa: F401
    import_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    rep = None
    if engine == "baseline":
        baseline_copy(csv, out, na)
    else:
        rep = lake_ingest(engine, csv, out, codes)
    seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    back = read_back(engine, out)
    result.write_text(json.dumps({"import_s": import_s, "seconds": seconds, "cpu_s": cpu_s,
                                  **back,
                                  "report": report_dict(rep) if rep is not None else None}))


# ---------------------------------------------------------------------------------------------
# The parent: subprocesses, memory sampling, the table


def tree_rss(proc: Any) -> int:
    import psutil

    total = 0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def run_once(engine: str, csv: Path, codes: Path, na: str, work: Path,
             timeout: float) -> dict[str, Any]:
    import psutil

    out = Path(tempfile.mkdtemp(prefix=f"{engine}-", dir=work))
    result = out.with_suffix(".json")
    log = out.with_suffix(".log")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--file", str(csv),
           "--out-dir", str(out), "--codes", str(codes), "--na", na, "--result", str(result)]
    peak = 0
    t0 = time.perf_counter()
    with log.open("w") as lf:
        proc = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT)
        ps = psutil.Process(proc.pid)
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_rss(ps))
                stop.wait(0.1)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        stop.set()
        th.join()
    wall = time.perf_counter() - t0
    load = os.getloadavg()[0]
    try:
        if rc != 0 or not result.is_file():
            return {"ok": False, "rc": rc, "wall_s": wall, "peak_mib": peak / 2**20,
                    "load_1min": load, "error": log.read_text()[-4000:]}
        r = json.loads(result.read_text())
        return {"ok": True, "wall_s": wall, "peak_mib": peak / 2**20, "load_1min": load, **r}
    finally:
        shutil.rmtree(out, ignore_errors=True)
        result.unlink(missing_ok=True)
        log.unlink(missing_ok=True)


def summarise(engine: str, runs: list[dict[str, Any]], rows: int, csv_bytes: int
              ) -> dict[str, Any]:
    good = [r for r in runs if r["ok"]]
    s: dict[str, Any] = {"engine": engine, "runs": runs, "ok": len(good) == len(runs) > 0}
    if not s["ok"]:
        return s
    sec = statistics.median(r["seconds"] for r in good)
    s.update(seconds=sec, times=[r["seconds"] for r in good],
             cpu_s=statistics.median(r["cpu_s"] for r in good),
             rows_per_s=rows / sec, csv_mb_per_s=csv_bytes / 1e6 / sec,
             peak_mib=max(r["peak_mib"] for r in good),
             import_s=statistics.median(r["import_s"] for r in good),
             parquet_mib=good[-1]["parquet_bytes"] / 2**20,
             parquet_files=good[-1]["parquet_files"],
             rows=good[-1]["rows"], sum_v=good[-1]["sum_v"])
    return s


def checks(results: dict[str, dict[str, Any]], meta_rows: int, meta_sum_v: float) -> list[str]:
    """Problems: every run's row count and sum of v against the generator's metadata (and so
    against each other)."""
    problems = []
    for e, s in results.items():
        for n, r in enumerate(s["runs"]):
            if not r["ok"]:
                problems.append(f"{e} run {n + 1} FAILED (rc {r.get('rc')}):\n{r['error']}")
                continue
            if r["rows"] != meta_rows:
                problems.append(f"{e} run {n + 1}: {r['rows']:,} rows, the file has "
                                f"{meta_rows:,}")
            if abs(r["sum_v"] - meta_sum_v) > TOLERANCE * abs(meta_sum_v):
                problems.append(f"{e} run {n + 1}: sum of v {r['sum_v']:.3f}, the file has "
                                f"{meta_sum_v:.3f}")
    return problems


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    base = results.get("baseline")
    head = ("engine", "runs", "median s", "ratio", "CPU s", "CPU ratio", "rows/s", "CSV MB/s",
            "peak MiB", "Parquet MiB", "files", "rows", "import s")
    widths = (14, 5, 10, 7, 8, 10, 12, 10, 10, 12, 6, 12, 9)
    lines = ["".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    for e, s in results.items():
        if not s["ok"]:
            lines.append(e.rjust(widths[0]) + "   FAILED")
            continue
        ratio = (f"{s['seconds'] / base['seconds']:.2f}" if base and base["ok"] else "-")
        cpu_ratio = (f"{s['cpu_s'] / base['cpu_s']:.2f}" if base and base["ok"]
                     and e != "spark" else "-")
        cells = (e, str(len(s["times"])), f"{s['seconds']:.2f}", ratio,
                 f"{s['cpu_s']:.1f}" + ("*" if e == "spark" else ""), cpu_ratio,
                 f"{s['rows_per_s']:,.0f}", f"{s['csv_mb_per_s']:.1f}", f"{s['peak_mib']:.0f}",
                 f"{s['parquet_mib']:.1f}", str(s["parquet_files"]), f"{s['rows']:,}",
                 f"{s['import_s']:.2f}")
        lines.append("".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    return lines


def verdict(results: dict[str, dict[str, Any]]) -> list[str]:
    base, duck, spark = (results.get(e) for e in ENGINES)
    if not (base and base["ok"]):
        return ["GOAL: not evaluated (the baseline did not run)"]
    out = []
    if duck and duck["ok"]:
        r = duck["seconds"] / base["seconds"]
        out.append(f"GOAL lake.ingest(engine='duckdb') <= {GOAL}x DuckDB's own copy: "
                   f"{'MET' if r <= GOAL else 'MISSED'} ({r:.2f}x)")
    if spark and spark["ok"]:
        out.append(f"(report only) lake.ingest(engine='spark', local[2]): "
                   f"{spark['seconds'] / base['seconds']:.2f}x, session start included")
    return out


def machine() -> dict[str, Any]:
    import psutil

    return {"cpus": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for p in ("duckdb", "pyspark", "pyarrow", "ibis-framework", "psutil", "numpy"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        out["java"] = (java.stderr or java.stdout).splitlines()[0]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out["kakehashi_commit"] = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
            text=True, timeout=30).stdout.strip()
    return out


def load_meta(data_dir: Path, year: int) -> tuple[dict[str, Any], dict[str, Any], Path, Path]:
    meta_path = data_dir / META_FILE
    csv = data_dir / year_file(year)
    codes = data_dir / COUNTRY_CODES_FILE
    if not (meta_path.is_file() and csv.is_file() and codes.is_file()):
        raise SystemExit(f"No GENERATED BACI data for {year} in {data_dir} ({csv.name}, "
                         f"{codes.name}, {META_FILE}): run `python bench/generate_baci.py` "
                         "first.")
    meta = json.loads(meta_path.read_text())
    entry = next((f for f in meta["files"] if f["year"] == year), None)
    if entry is None or entry["bytes"] != csv.stat().st_size:
        raise SystemExit(f"{csv.name} does not match {META_FILE}: regenerate the data with "
                         "`python bench/generate_baci.py`.")
    return meta, entry, csv, codes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=None,
                    help=f"default {DEFAULT_DATA_DIR} ({QUICK_DATA_DIR} with --quick)")
    ap.add_argument("--year", type=int, default=2019)
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help=f"comma-separated, from {','.join(ENGINES)}")
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per engine except Spark; default 3, 1 with --quick")
    ap.add_argument("--spark-runs", type=int, default=1, help="runs of the Spark ingest")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 1 run each, results JSON beside the data")
    ap.add_argument("--results-dir", type=Path, default=None,
                    help="where the JSON goes (default bench/results; --quick: the data dir)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per subprocess")
    ap.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    for hidden in ("--file", "--out-dir", "--codes", "--result"):
        ap.add_argument(hidden, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--na", default="NA", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        worker(a.worker, a.file, a.out_dir, a.codes, a.na, a.result)
        return 0
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    if "baseline" not in engines:
        engines.insert(0, "baseline")  # the ratios need it
    data_dir = a.data_dir or (QUICK_DATA_DIR if a.quick else DEFAULT_DATA_DIR)
    meta, entry, csv, codes = load_meta(data_dir, a.year)
    rows, sum_v, csv_bytes = entry["rows"], float(entry["sum_v"]), csv.stat().st_size
    say(BANNER)
    say(f"Data: {csv} ({rows:,} rows, {csv_bytes / 1e6:.0f} MB of CSV) - GENERATED")
    mach = machine()
    load_start = os.getloadavg()
    say(f"Machine: {mach}, load average at start {load_start}")
    work = Path(tempfile.mkdtemp(prefix=".ingest-bench-", dir=data_dir))
    t_all = time.perf_counter()
    plan = {e: a.spark_runs if e == "spark" else a.runs or (1 if a.quick else DEFAULT_RUNS[e])
            for e in engines}
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    # round-robin (baseline, duckdb, baseline, duckdb, ...; Spark last) so that both sides of
    # the ratio see the same load on a shared machine
    order = [e for k in range(max(plan.values())) for e in engines
             if e != "spark" and k < plan[e]] + ["spark"] * plan.get("spark", 0)
    try:
        for e in order:
            r = run_once(e, csv, codes, meta.get("na", "NA"), work, a.timeout)
            runs[e].append(r)
            say(f"  {e:<13} run {len(runs[e])}/{plan[e]}: " + (
                f"{r['seconds']:.2f} s (imports {r['import_s']:.2f} s, wall "
                f"{r['wall_s']:.1f} s), peak {r['peak_mib']:.0f} MiB, {r['rows']:,} rows, "
                f"load {r['load_1min']:.1f}" if r["ok"] else f"FAILED (rc {r['rc']})"))
        results = {e: summarise(e, runs[e], rows, csv_bytes) for e in engines}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - t_all
    load_end = os.getloadavg()
    problems = checks(results, rows, sum_v)
    lines = ["", f"Ingest of one GENERATED BACI year ({rows:,} rows): median seconds, ratio to "
                 "the baseline", *table(results),
             "CPU s: the worker process's CPU time (all its threads) over the conversion, "
             "steadier than wall time on a busy machine; * Spark: the Python driver only, "
             "not the JVM."]
    if problems:
        lines += ["", "!" * 78, "CHECK FAILED", *problems, "!" * 78]
    else:
        lines += ["", f"Check passed: every run wrote {rows:,} rows with the file's sum of v "
                      f"({sum_v:,.3f} thousand USD, relative tolerance {TOLERANCE:g})."]
    lines += ["", *verdict(results), f"Load average at end {load_end}; total {total:.0f} s."]
    say("\n".join(lines))
    results_dir = a.results_dir or (data_dir if a.quick else BENCH / "results")
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"product_ingest-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps({
        "note": "Timings on GENERATED BACI-format data; see bench/README.md.",
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {**mach, "load_avg_at_start": load_start, "load_avg_at_end": load_end},
        "versions": versions(), "quick": a.quick,
        "data": {"file": csv.name, "rows": rows, "csv_bytes": csv_bytes, "sum_v": sum_v,
                 "seed": meta["seed"], "economies": meta["economies"],
                 "products": meta["products"]},
        "baseline_sql": f"COPY (SELECT * FROM read_csv(<file>, header = true, nullstr = 'NA', "
                        f"columns = {BASELINE_COLUMNS})) TO <dir>/baseline.parquet "
                        "(FORMAT parquet, COMPRESSION zstd)",
        "check_ok": not problems, "problems": problems, "verdict": verdict(results),
        "total_s": total, "results": results,
    }, indent=1, default=str) + "\n")
    say(f"Results written to {path}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
