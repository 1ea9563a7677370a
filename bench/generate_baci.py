"""Write GENERATED trade data in CEPII BACI's exact file format, for the product-level ingest
and analytics benchmarks (issue 8).

THE DATA IS GENERATED. Every file name starts with ``GENERATED_`` and it must never be read,
published or analysed as real trade:

* ``GENERATED_BACI_HS17_Y{year}_V000000.csv``, one file a year, header ``t,i,j,k,v,q``:
  t year, i exporter and j importer as BACI's numeric country codes, k the HS6 code written
  as a number (leading zeros dropped: 10121 for 010121), v value in thousands of USD and q
  quantity in metric tons (both with 3 decimals; q is ``NA`` on ~5 % of rows, or BACI's older
  space-padded ``           NA`` with ``--padded-na``). Rows are sorted by i, j, k, as in
  BACI.
* ``GENERATED_country_codes_V000000.csv`` in BACI's country-codes format
  (``country_code,country_name,country_iso2,country_iso3``): the economies of the snapshot's
  ``countries`` table that have an M49 code, with ISO numeric codes except BACI's own codes
  where BACI departs from ISO (USA 842, France 251, Norway 579, India 699, Switzerland 757;
  the territories those codes include are left out). Taiwan is left out: BACI files it under
  490 and we do not know its ISO3 label there with confidence.
* ``GENERATED_baci_meta.json``: the parameters, and per year the row count and sum of v read
  back from the written file (a reference for the benchmarks' cross-checks).

The shape follows BACI: 220 economies (the LAC33, JPN, CHN and USA always among them) with
Zipf-like sizes; 4,999 real HS2022 subheadings from the snapshot's ``hs_products`` (level 6;
a prime count, see below) with a skewed popularity; heavy-tailed log-normal values (median a
few thousand USD, maximum ~10 G USD); a pair's set of products persists across years, growing
and shrinking a little.

How: the number of products each (exporter, importer) pair trades in a year is solved in
numpy (~48 k pairs) so the year has exactly ``--rows-per-year`` rows. The rows themselves are
made by DuckDB SQL: for a pair with n products, its m-th product (m < n) is the one at
popularity position ``(a + s*m) mod M``, where M is a prime >= n (at most 4,999, the number
of products), so the n positions are distinct with no de-duplication; small pairs trade among
the popular products. v and q come from hashes of (seed, year, i, j, k) through Box-Muller,
so the files are deterministic for a given DuckDB version whatever the thread count. Each
year is one ``COPY ... ORDER BY i, j, k TO csv`` under a memory limit (DuckDB spills), written
to a temporary name and renamed, so readers never see half a file.

    python bench/generate_baci.py                                  # 2019-2023 x 10 M rows
    python bench/generate_baci.py --years 2019 --rows-per-year 1000000
    python bench/generate_baci.py --quick --data-dir /tmp/baci     # tiny smoke-test data
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from generate_trade import BIG, parse_years, say  # noqa: E402

SNAPSHOT = BENCH.parent / "src" / "kakehashi" / "snapshot"
DEFAULT_DATA_DIR = BENCH / "data" / "baci"
QUICK_DATA_DIR = BENCH / "data" / "baci_quick"
RELEASE = "V000000"
HS = "HS17"
PREFIX = "GENERATED_"
META_FILE = f"{PREFIX}baci_meta.json"
COUNTRY_CODES_FILE = f"{PREFIX}country_codes_{RELEASE}.csv"
N_ECONOMIES = 220
N_PRODUCTS = 4_999  # prime: every stride s in [1, M) walks a prime M without repeats
QUICK_ROWS = 20_000
NA_SHARE = 0.05
SEED = 20240801
HEADER = ("t", "i", "j", "k", "v", "q")

# BACI's country codes where they are not ISO 3166 numeric (the Comtrade codes), and the
# territories each includes (which BACI does not list apart).
BACI_CODES = {"USA": 842, "FRA": 251, "NOR": 579, "IND": 699, "CHE": 757}
MERGED_INTO = {"PRI": "USA", "VIR": "USA", "MCO": "FRA", "SJM": "NOR", "LIE": "CHE"}
LEFT_OUT = {"TWN"}  # BACI: 490 "Other Asia, nes"; its ISO3 label there is not certain
MUST = ("JPN", "CHN", "USA")

BANNER = (
    "=" * 78 + "\n"
    "GENERATED DATA: synthetic files in CEPII BACI's format, for benchmarking only.\n"
    "They are not real trade data and must never be published or analysed as such.\n"
    + "=" * 78
)


def year_file(year: int) -> str:
    return f"{PREFIX}BACI_{HS}_Y{year}_{RELEASE}.csv"


# ---------------------------------------------------------------------------------------------
# Code lists from the snapshot


def economies(rng: np.random.Generator) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(every economy listed in the country-codes file, the N_ECONOMIES that trade), each a
    dict with BACI's code, name, iso2, iso3 and is_lac33."""
    rows = pq.read_table(SNAPSHOT / "countries.parquet",
                         columns=["iso3", "iso2", "m49", "name_en", "kind", "is_lac33"]
                         ).to_pylist()
    listed = sorted(
        ({"code": BACI_CODES.get(r["iso3"], r["m49"]), "name": r["name_en"], "iso2": r["iso2"],
          "iso3": r["iso3"], "lac33": bool(r["is_lac33"])}
         for r in rows if r["kind"] == "economy" and r["m49"] is not None
         and r["iso3"] not in LEFT_OUT and r["iso3"] not in MERGED_INTO),
        key=lambda e: e["code"])
    by_iso3 = {e["iso3"]: e for e in listed}
    must = {e["iso3"] for e in listed if e["lac33"]} | set(MUST) | (set(BIG) - LEFT_OUT)
    missing = must - set(by_iso3)
    if missing:
        raise SystemExit(f"the countries snapshot lacks economies {sorted(missing)}")
    rest = sorted(set(by_iso3) - must)
    keep = rng.choice(len(rest), size=N_ECONOMIES - len(must), replace=False)
    trading = sorted((by_iso3[c] for c in must | {rest[i] for i in keep}),
                     key=lambda e: e["code"])
    return listed, trading


def hs6_products(rng: np.random.Generator) -> list[int]:
    """N_PRODUCTS real HS2022 subheadings as BACI writes k (an integer), in popularity order
    (the most traded first)."""
    t = pq.read_table(SNAPSHOT / "hs_products.parquet", columns=["hs_code", "level"]).to_pylist()
    codes = sorted(r["hs_code"] for r in t if r["level"] == 6)
    if len(codes) < N_PRODUCTS:
        raise SystemExit(f"hs_products has {len(codes)} HS6 codes, fewer than {N_PRODUCTS}")
    chosen = [int(codes[i]) for i in sorted(rng.choice(len(codes), N_PRODUCTS, replace=False))]
    return [chosen[i] for i in rng.permutation(N_PRODUCTS)]


# ---------------------------------------------------------------------------------------------
# Products per (exporter, importer) pair, solved in numpy


def zipf(rank: np.ndarray, alpha: float) -> np.ndarray:
    w: np.ndarray = rank.astype(float) ** -alpha
    out: np.ndarray = w / w.sum()
    return out


def counts_summing_to(w: np.ndarray, total: int, cap: int) -> np.ndarray:
    """Integers n ~ min(cap, lam * w) with sum(n) == total exactly (lam by bisection, then
    the remainder to the largest fractional parts below the cap)."""
    if total > cap * len(w):
        raise SystemExit(f"{total:,} rows do not fit {len(w):,} pairs x {cap:,} products")
    lo, hi = 0.0, total / w.min()
    for _ in range(200):
        lam = (lo + hi) / 2
        if np.minimum(cap, lam * w).sum() < total:
            lo = lam
        else:
            hi = lam
    x = np.minimum(cap, hi * w)
    n: np.ndarray = np.floor(x).astype(np.int64)
    short = total - int(n.sum())
    if short > 0:
        frac = np.where(n < cap, x - n, -1.0)
        n[np.argsort(-frac, kind="stable")[:short]] += 1
    elif short < 0:
        n[np.argsort(-n, kind="stable")[:-short]] -= 1
    assert int(n.sum()) == total
    return n


def next_prime(x: int) -> int:
    def prime(p: int) -> bool:
        return p >= 2 and all(p % d for d in range(2, math.isqrt(p) + 1))

    while not prime(x):
        x += 1
    return x


def pair_plan(rng: np.random.Generator, trading: list[dict[str, Any]], years: list[int],
              rows_per_year: int) -> tuple[dict[str, np.ndarray], dict[int, np.ndarray]]:
    """The pairs' fixed parameters (codes, modulus M, start a, stride s, value scale) and, per
    year, how many products each pair trades."""
    n_e = len(trading)
    idx = {e["iso3"]: n for n, e in enumerate(trading)}
    big = [idx[c] for c in BIG if c in idx]
    others = [n for n in rng.permutation(n_e) if n not in set(big)]
    rank = np.empty(n_e, dtype=np.int64)
    rank[np.array(big + others)] = np.arange(1, n_e + 1)
    pe, pi, size = zipf(rank, 0.75), zipf(rank, 0.55), zipf(rank, 1.1)
    ii, jj = np.meshgrid(np.arange(n_e), np.arange(n_e), indexing="ij")
    off = ii != jj
    ii, jj = ii[off], jj[off]
    base = pe[ii] * pi[jj]
    counts = {}
    for y in years:
        noise = np.exp(0.15 * np.random.default_rng([SEED, y]).standard_normal(len(base)))
        counts[y] = counts_summing_to(base * noise, rows_per_year, N_PRODUCTS)
    peak = np.max(np.stack(list(counts.values())), axis=0)
    want = np.clip(np.ceil(2.5 * peak), 2, N_PRODUCTS).astype(np.int64)
    primes = {int(m): next_prime(int(m)) for m in np.unique(want)}
    mod = np.array([primes[int(m)] for m in want], dtype=np.int64)
    code = np.array([e["code"] for e in trading], dtype=np.int64)
    pairs = {
        "i": code[ii], "j": code[jj], "m_mod": mod,
        "a": (rng.random(len(mod)) * mod).astype(np.int64),
        "s": 1 + (rng.random(len(mod)) * (mod - 1)).astype(np.int64),
        # thousands of USD: the median row is worth a few thousand USD
        "scale": 3.0 * np.sqrt(n_e * np.sqrt(size[ii] * size[jj])),
    }
    return pairs, counts


# ---------------------------------------------------------------------------------------------
# The rows, in DuckDB


def year_sql(year: int, first_year: int, path: Path, na: str) -> str:
    growth = 1.0 + 0.03 * (year - first_year)
    # u1, u2, u3 uniform in (0, 1) from independent hashes; Box-Muller gives z1, z2 ~ N(0, 1)
    u = "((hash({salt}, {seed}, {year}, r.i, r.j, p.k) >> 11)::DOUBLE + 0.5) / 9007199254740992"
    u1, u2, u3 = (u.format(salt=s, seed=SEED, year=year) for s in (1, 2, 3))
    return f"""
    COPY (
      WITH r AS (
        SELECT pr.i, pr.j, pr.scale, (pr.a + pr.s * m) % pr.m_mod AS pos
        FROM pairs_y AS pr, range(pr.n) AS g(m)
      ), z AS (
        SELECT r.i, r.j, p.k, r.scale, p.price_usd_t,
               sqrt(-2 * ln({u1})) AS rad, 2 * pi() * {u2} AS theta, {u3} AS u3
        FROM r JOIN products AS p USING (pos)
      ), vq AS (
        SELECT i, j, k, u3, greatest(round(
                   {growth} * scale * exp(2.4 * rad * cos(theta)), 3), 0.001) AS v,
               price_usd_t * exp(0.5 * rad * sin(theta)) AS price
        FROM z
      )
      SELECT {year}::SMALLINT AS t, i::SMALLINT AS i, j::SMALLINT AS j, k::INTEGER AS k,
             v::DECIMAL(18, 3) AS v,
             CASE WHEN u3 < {NA_SHARE} THEN NULL
                  ELSE greatest(round(v * 1000 / price, 3), 0.001)::DECIMAL(18, 3) END AS q
      FROM vq
      ORDER BY i, j, k
    ) TO '{path}' (FORMAT csv, HEADER true, DELIMITER ',', NULLSTR '{na}')"""


def write_country_codes(listed: list[dict[str, Any]], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", newline="") as f:
        f.write("country_code,country_name,country_iso2,country_iso3\n")
        for e in listed:
            name = e["name"].replace('"', '""')
            name = f'"{name}"' if "," in name or '"' in name else name
            f.write(f"{e['code']},{name},{e['iso2'] or ''},{e['iso3']}\n")
    os.replace(tmp, path)


def generate(years: list[int], rows_per_year: int, data_dir: Path, *, padded_na: bool = False,
             memory_limit: str = "3GB") -> dict[str, Any]:
    import duckdb

    data_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    listed, trading = economies(rng)
    products = hs6_products(rng)
    price = np.exp(np.log(2_000.0) + 1.5 * rng.standard_normal(N_PRODUCTS))  # USD per ton
    pairs, counts = pair_plan(rng, trading, years, rows_per_year)
    write_country_codes(listed, data_dir / COUNTRY_CODES_FILE)

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{data_dir / '.duckdb_tmp'}'")
    con.register("products", pa.table({"pos": np.arange(N_PRODUCTS, dtype=np.int64),
                                        "k": np.array(products, dtype=np.int64),
                                        "price_usd_t": price}))
    na = "           NA" if padded_na else "NA"
    per_year = []
    for year in years:
        t0 = time.perf_counter()
        n = counts[year]
        keep = n > 0
        con.register("pairs_y", pa.table({**{c: a[keep] for c, a in pairs.items()},
                                          "n": n[keep]}))
        path = data_dir / year_file(year)
        tmp = path.with_name(f".{path.name}.tmp")
        con.execute(year_sql(year, years[0], tmp, na))
        gen_s = time.perf_counter() - t0
        stats = con.execute(f"""
            SELECT count(*), sum(v), median(v), quantile_cont(v, 0.99), max(v),
                   avg((q IS NULL)::INT), count(DISTINCT k), count(DISTINCT i)
            FROM read_csv('{tmp}', header = true, nullstr = '{na}',
                          columns = {{'t': 'SMALLINT', 'i': 'SMALLINT', 'j': 'SMALLINT',
                                      'k': 'INTEGER', 'v': 'DECIMAL(18,3)',
                                      'q': 'DECIMAL(18,3)'}})""").fetchall()[0]
        rows, sum_v, med, p99, vmax, na_share, n_k, n_i = stats
        if rows != rows_per_year:
            raise SystemExit(f"{path.name}: wrote {rows:,} rows, expected {rows_per_year:,}")
        os.replace(tmp, path)
        top = int(n.reshape(len(trading), -1).sum(axis=1).max())
        per_year.append({"year": year, "file": path.name, "rows": rows, "sum_v": str(sum_v),
                         "bytes": path.stat().st_size, "pairs": int(keep.sum()),
                         "top_exporter_rows": top})
        say(f"  {path.name}: {rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB, "
            f"{int(keep.sum()):,} pairs, {n_i} exporters, {n_k:,} HS6 codes; top exporter "
            f"{top:,} rows; v (kUSD) median {med:.3f} p99 {p99:,.1f} max {vmax:,.0f}; q NA "
            f"{na_share:.1%} ({gen_s:.1f} s + {time.perf_counter() - t0 - gen_s:.1f} s check)")
    con.close()
    meta: dict[str, Any] = {
        "generated": True,
        "note": "GENERATED data in CEPII BACI's format, for benchmarking only; not real trade "
                "data.",
        "format": "BACI", "hs": HS, "release": RELEASE, "seed": SEED,
        "rows_per_year": rows_per_year, "years": years, "padded_na": padded_na,
        "na": na, "economies": len(trading), "country_codes_listed": len(listed),
        "products": N_PRODUCTS, "country_codes_file": COUNTRY_CODES_FILE,
        "economy_iso3": [e["iso3"] for e in trading],
        "lac33": sorted(e["iso3"] for e in trading if e["lac33"]),
        "baci_codes": BACI_CODES, "files": per_year,
    }
    (data_dir / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", default="2019-2023", help="e.g. 2019-2023 or 2019")
    ap.add_argument("--rows-per-year", type=int, default=10_000_000)
    ap.add_argument("--data-dir", type=Path, default=None,
                    help=f"default {DEFAULT_DATA_DIR} ({QUICK_DATA_DIR} with --quick)")
    ap.add_argument("--padded-na", action="store_true",
                    help="write missing q as older BACI releases do: '           NA'")
    ap.add_argument("--memory-limit", default="3GB", help="DuckDB's memory limit")
    ap.add_argument("--quick", action="store_true",
                    help=f"tiny data for a smoke run ({QUICK_ROWS:,} rows a year, <= 2 years)")
    a = ap.parse_args(argv)
    years = parse_years(a.years)
    rows = a.rows_per_year
    if a.quick:
        years, rows = years[:2], QUICK_ROWS
    data_dir = a.data_dir or (QUICK_DATA_DIR if a.quick else DEFAULT_DATA_DIR)
    say(BANNER)
    say(f"Writing GENERATED BACI-format files: {len(years)} year(s) x {rows:,} rows to "
        f"{data_dir}")
    t0 = time.perf_counter()
    for old in data_dir.glob(f"{PREFIX}BACI_*.csv"):
        old.unlink()  # a previous run's years must not linger beside the metadata
    meta = generate(years, rows, data_dir, padded_na=a.padded_na, memory_limit=a.memory_limit)
    say(f"Done in {time.perf_counter() - t0:.1f} s: {rows * len(years):,} rows, "
        f"{meta['economies']} economies ({meta['country_codes_listed']} listed in "
        f"{COUNTRY_CODES_FILE}), {meta['products']:,} HS6 codes (GENERATED data).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
