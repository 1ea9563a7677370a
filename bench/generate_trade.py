"""Write a GENERATED, product-level table in the shape of the store's `trade_flows` for the
trade-analytics benchmark.

The product flows are BACI-like: one flow per (year, exporter, importer, HS6 product) with a
FOB value in USD; ~220 economies (real ISO3 codes of the store's `countries` table, kind =
'economy', so the LAC33, JPN, CHN, USA and KOR are among them), 5,000 HS6 codes, Zipf-like
country sizes, log-normal heavy-tailed values. Each flow is written twice, as reporters
publish bilateral data: the exporter's ``export`` row (FOB) and the importer's ``import`` row
(CIF = FOB x CIF_FACTOR). The World rows follow, per product so that they sum correctly:
each economy's exports to and imports from ``WLD``, and ``WLD`` as reporter with its totals
against ``WLD``. So ~10 M product flows a year become ~22 M rows a year.

Columns: reporter_iso3, partner_iso3, flow ('export' | 'import'), year (int16), month (int8,
always null: annual rows, as in `trade_flows`; the project's `annual_flows` reads it), hs6,
value_usd, source_id ('imf_dots'). Rows sorted by reporter, partner, hs6 (then flow) within a
year; zstd Parquet with 1 M-row row groups; one file per year; deterministic (seeded numpy);
written year by year so memory stays bounded.

THE DATA IS GENERATED: every file name says so (``generated_trade_flows_<year>.parquet``).
It must never be read as real trade data.

    python bench/generate_trade.py --years 2019-2021 --flows-per-year 10000000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

BENCH = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = BENCH / "data"
COUNTRIES_PARQUET = BENCH.parent / "src" / "kakehashi" / "snapshot" / "countries.parquet"

PREFIX = "generated_trade_flows"
META_FILE = f"{PREFIX}_meta.json"
WORLD = "WLD"
SOURCE_ID = "imf_dots"
CIF_FACTOR = 1.05  # importers report CIF: the exporter's FOB value plus freight and insurance
N_ECONOMIES = 220
N_PRODUCTS = 5_000
ROW_GROUP = 1_000_000
SEED = 20240603
# the largest traders first, so the Zipf ranks look like the real world's
BIG = ("CHN", "USA", "DEU", "JPN", "NLD", "FRA", "KOR", "ITA", "GBR", "HKG", "MEX", "CAN",
       "BEL", "IND", "SGP", "ESP", "TWN", "CHE", "RUS", "ARE", "VNM", "AUS", "BRA", "POL",
       "THA", "MYS", "SAU", "IDN", "IRL", "TUR", "SWE", "AUT", "CZE", "CHL", "ARG", "COL",
       "PER")
SCHEMA = pa.schema([
    ("reporter_iso3", pa.string()), ("partner_iso3", pa.string()), ("flow", pa.string()),
    ("year", pa.int16()), ("month", pa.int8()), ("hs6", pa.string()),
    ("value_usd", pa.float64()), ("source_id", pa.string()),
])

BANNER = (
    "=" * 78 + "\n"
    "GENERATED DATA: a synthetic, BACI-like product-level table in the shape of\n"
    "trade_flows, for benchmarking only. It is not real trade data and must never be\n"
    "published or analysed as such.\n"
    + "=" * 78
)


def say(*parts: object) -> None:
    """Print to stdout (the scripts' report) and flush."""
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def parse_years(text: str) -> list[int]:
    """'2019-2021' -> [2019, 2020, 2021]; '2019' -> [2019]."""
    a, _, b = text.partition("-")
    start, end = int(a), int(b or a)
    if end < start:
        raise SystemExit(f"--years {text!r} ends before it starts")
    return list(range(start, end + 1))


def economies() -> tuple[list[str], list[str]]:
    """(the 220 economies sorted by code, the LAC33 among them) from the bundled snapshot."""
    t = pq.read_table(COUNTRIES_PARQUET, columns=["iso3", "kind", "is_lac33"]).to_pylist()
    eco = sorted(r["iso3"] for r in t if r["kind"] == "economy")
    lac = sorted(r["iso3"] for r in t if r["kind"] == "economy" and r["is_lac33"])
    must = set(lac) | set(BIG) | {"KOR"}
    missing = must - set(eco)
    if missing:
        raise SystemExit(f"countries snapshot lacks economies {sorted(missing)}")
    rest = [c for c in eco if c not in must]
    rng = np.random.default_rng(SEED)
    keep = rng.choice(len(rest), size=N_ECONOMIES - len(must), replace=False)
    chosen = sorted(must | {rest[i] for i in keep})
    return chosen, lac


def hs6_codes(rng: np.random.Generator) -> list[str]:
    """5,000 six-digit HS codes over 96 chapters (77 is reserved) and ~1,500 headings."""
    chapters = [c for c in range(1, 98) if c != 77]
    headings = sorted({(int(c), int(h)) for c, h in zip(
        rng.choice(chapters, size=2_600), rng.integers(1, 100, size=2_600), strict=True)})
    headings = [headings[i] for i in sorted(rng.choice(len(headings), 1_541, replace=False))]
    codes: set[str] = {f"{c:02d}{h:02d}10" for c, h in headings}
    while len(codes) < N_PRODUCTS:
        c, h = headings[int(rng.integers(len(headings)))]
        codes.add(f"{c:02d}{h:02d}{int(rng.integers(11, 100)):02d}")
    return sorted(codes)


def zipf_weights(n: int, alpha: float, order: np.ndarray) -> np.ndarray:
    """Weights proportional to rank^-alpha; order[r] is the index holding rank r."""
    w = np.empty(n)
    w[order] = np.arange(1, n + 1, dtype=float) ** -alpha
    return w / w.sum()


def year_keys(rng: np.random.Generator, flows: int, pe: np.ndarray, pi: np.ndarray,
              pk: np.ndarray) -> np.ndarray:
    """`flows` distinct (exporter, importer, product) keys, sorted, exporter != importer."""
    n_e, n_k = len(pe), len(pk)
    keys = np.empty(0, dtype=np.int64)
    draw = int(flows * 1.25) + 1_000
    while len(keys) < flows:
        i = rng.choice(n_e, size=draw, p=pe)
        j = rng.choice(n_e, size=draw, p=pi)
        k = rng.choice(n_k, size=draw, p=pk)
        ok = i != j
        new = (i[ok].astype(np.int64) * n_e + j[ok]) * n_k + k[ok]
        keys = np.unique(np.concatenate([keys, new]))
        draw = int((flows - len(keys)) * 1.6) + 1_000
    if len(keys) > flows:
        keys = keys[np.sort(rng.choice(len(keys), size=flows, replace=False))]
    return keys


def sums_by(key: np.ndarray, weights: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(the keys that occur, the sum of weights for each)."""
    total = np.bincount(key, weights=weights, minlength=size)
    present = np.flatnonzero(np.bincount(key, minlength=size))
    return present, total[present]


def year_rows(yrng: np.random.Generator, flows: int, year: int, first_year: int,
              pe: np.ndarray, pi: np.ndarray, pk: np.ndarray, size: np.ndarray,
              code_of: np.ndarray, wld: int) -> tuple[np.ndarray, ...]:
    """One year's rows as sorted arrays (reporter, partner, flow, product, value), with the
    country arrays as indices into the sorted list of names (economies and WLD) and flow
    0 = export, 1 = import. Also returns the product flows' FOB values (for the report)."""
    n_e, n_k = len(pe), len(pk)
    keys = year_keys(yrng, flows, pe, pi, pk)
    k = (keys % n_k).astype(np.int64)
    ij = keys // n_k
    del keys
    j = ij % n_e
    i = ij // n_e
    del ij
    growth = 1.0 + 0.03 * (year - first_year)
    scale = 3_000.0 * growth * ((size[i] * size[j]) * n_e * n_e) ** 0.25
    fob = np.maximum(np.round(scale * yrng.lognormal(0.0, 2.4, size=len(k))), 1.0)
    del scale
    cif = fob * CIF_FACTOR
    # the World rows, per product: each economy's exports to / imports from WLD ...
    wx, wx_v = sums_by(i * n_k + k, fob, n_e * n_k)
    wm, wm_v = sums_by(j * n_k + k, cif, n_e * n_k)
    # ... and WLD's own totals against WLD
    wk, wk_x = sums_by(k, fob, n_k)
    _, wk_m = sums_by(k, cif, n_k)
    ci, cj = code_of[i], code_of[j]
    rep = np.concatenate([ci, cj, code_of[wx // n_k], code_of[wm // n_k],
                          np.full(2 * len(wk), wld)])
    par = np.concatenate([cj, ci, np.full(len(wx) + len(wm) + 2 * len(wk), wld)])
    flo = np.concatenate([np.zeros(len(k)), np.ones(len(k)), np.zeros(len(wx)),
                          np.ones(len(wm)), np.zeros(len(wk)), np.ones(len(wk))]
                         ).astype(np.int64)
    prod = np.concatenate([k, k, wx % n_k, wm % n_k, wk, wk])
    val = np.concatenate([fob, cif, wx_v, wm_v, wk_x, wk_m])
    del ci, cj, i, j, k, cif, wx, wm, wx_v, wm_v
    n_c = wld + 2  # country index space (WLD is not necessarily the last name)
    order = np.argsort(((rep * n_c + par) * n_k + prod) * 2 + flo, kind="stable")
    return rep[order], par[order], flo[order], prod[order], val[order], fob


def generate(years: list[int], flows_per_year: int, data_dir: Path, quiet: bool = False
             ) -> dict[str, object]:
    data_dir.mkdir(parents=True, exist_ok=True)
    codes, lac = economies()
    n_e = len(codes)
    names = sorted([*codes, WORLD])              # sort order of the strings
    code_of = np.array([names.index(c) for c in codes])
    wld = names.index(WORLD)
    rng = np.random.default_rng(SEED)
    products = hs6_codes(rng)
    n_k = len(products)
    idx = {c: n for n, c in enumerate(codes)}
    big = [idx[c] for c in BIG]
    others = [n for n in rng.permutation(n_e) if n not in set(big)]
    order = np.array(big + others)
    size = zipf_weights(n_e, 1.1, order)                 # economic size: value scale
    pe = zipf_weights(n_e, 0.75, order)                  # share of flows as exporter
    pi = zipf_weights(n_e, 0.55, order)                  # share of flows as importer
    pk = zipf_weights(n_k, 0.6, rng.permutation(n_k))    # product popularity
    name_arr, prod_arr = pa.array(names), pa.array(products)
    flow_arr, source_arr = pa.array(["export", "import"]), pa.array([SOURCE_ID])
    files, rows = [], []
    for year in years:
        t0 = time.perf_counter()
        yrng = np.random.default_rng([SEED, year])
        rep, par, flo, prod, val, fob = year_rows(yrng, flows_per_year, year, years[0],
                                                  pe, pi, pk, size, code_of, wld)
        path = data_dir / f"{PREFIX}_{year}.parquet"
        with pq.ParquetWriter(path, SCHEMA, compression="zstd") as w:
            for s in range(0, len(val), ROW_GROUP):
                e = min(s + ROW_GROUP, len(val))
                n = e - s
                w.write_table(pa.table({
                    "reporter_iso3": name_arr.take(pa.array(rep[s:e])),
                    "partner_iso3": name_arr.take(pa.array(par[s:e])),
                    "flow": flow_arr.take(pa.array(flo[s:e])),
                    "year": pa.array(np.full(n, year, dtype=np.int16)),
                    "month": pa.nulls(n, pa.int8()),
                    "hs6": prod_arr.take(pa.array(prod[s:e])),
                    "value_usd": pa.array(val[s:e]),
                    "source_id": source_arr.take(pa.array(np.zeros(n, dtype=np.int8))),
                }, schema=SCHEMA), row_group_size=ROW_GROUP)
        files.append(path.name)
        rows.append(len(val))
        if not quiet:
            exp = rep[(flo == 0) & (par != wld)]
            top = np.bincount(exp).max()
            say(f"  {path.name}: {len(fob):,} product flows -> {len(val):,} rows "
                f"({2 * len(fob):,} bilateral, {len(val) - 2 * len(fob):,} World), "
                f"{path.stat().st_size / 2**20:.1f} MiB; top exporter {top:,} flows; FOB "
                f"median {np.median(fob):,.0f} p99 {np.quantile(fob, 0.99):,.0f} max "
                f"{fob.max():,.0f} USD ({time.perf_counter() - t0:.1f} s)")
        del rep, par, flo, prod, val, fob
    meta: dict[str, object] = {
        "generated": True,
        "note": "GENERATED, BACI-like product-level data in the trade_flows shape, for "
                "benchmarking only; not real trade data.",
        "years": years, "flows_per_year": flows_per_year, "rows": rows,
        "economies": n_e, "products": n_k, "seed": SEED, "cif_factor": CIF_FACTOR,
        "economy_codes": codes, "lac33": lac, "files": files,
    }
    (data_dir / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", default="2019-2021", help="e.g. 2019-2021")
    ap.add_argument("--flows-per-year", type=int, default=10_000_000,
                    help="BACI-like product flows a year (each becomes two rows)")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--quick", action="store_true",
                    help="tiny data for a smoke run (2 years x 5,000 product flows)")
    a = ap.parse_args(argv)
    years = parse_years(a.years)
    flows = a.flows_per_year
    if a.quick:
        years, flows = years[:2] if len(years) > 1 else [years[0], years[0] + 1], 5_000
    say(BANNER)
    say(f"Writing GENERATED trade_flows-shaped data: {len(years)} year(s) x {flows:,} "
        f"product flows to {a.data_dir}")
    t0 = time.perf_counter()
    for old in a.data_dir.glob(f"{PREFIX}_*.parquet"):
        old.unlink()  # a previous run's years must not linger in the glob
    meta = generate(years, flows, a.data_dir)
    say(f"Done in {time.perf_counter() - t0:.1f} s: {sum(meta['rows']):,} rows "  # type: ignore[arg-type]
        "(GENERATED data).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
