"""Write GENERATED, BACI-shaped product-level trade data for the trade-analytics benchmark.

One row per (year, exporter, importer, HS6 product) with a value in USD, like CEPII's BACI:
~220 economies (real ISO3 codes of the store's `countries` table, kind = 'economy', so the
LAC33, JPN, CHN, USA and KOR are among them), 5,000 HS6 codes, Zipf-like country sizes,
log-normal heavy-tailed values, rows sorted by exporter, importer, product within a year,
zstd Parquet with 1 M-row row groups. Deterministic (seeded numpy); written year by year so
memory stays bounded.

Also writes the world totals that the analytics need (each economy's exports to and imports
from the World, and the World's own totals), as a reporter would publish them: exports FOB,
imports CIF (= FOB x CIF_FACTOR).

THE DATA IS GENERATED: every file name says so (``generated_baci_like_<year>.parquet``,
``generated_baci_like_world_totals.parquet``). It must never be read as real trade data.

    python bench/generate_trade.py --years 2019-2021 --rows-per-year 10000000
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

PREFIX = "generated_baci_like"
WORLD_FILE = f"{PREFIX}_world_totals.parquet"
META_FILE = f"{PREFIX}_meta.json"
WORLD = "WLD"
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

BANNER = (
    "=" * 78 + "\n"
    "GENERATED DATA: a synthetic, BACI-shaped table for benchmarking only.\n"
    "It is not real trade data and must never be published or analysed as such.\n"
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
    """5,000 six-digit HS codes over 97 chapters (77 is reserved) and ~1,500 headings."""
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


def year_keys(rng: np.random.Generator, rows: int, pe: np.ndarray, pi: np.ndarray,
              pk: np.ndarray) -> np.ndarray:
    """`rows` distinct (exporter, importer, product) keys, sorted, exporter != importer."""
    n_e, n_k = len(pe), len(pk)
    keys = np.empty(0, dtype=np.int64)
    draw = int(rows * 1.25) + 1_000
    while len(keys) < rows:
        i = rng.choice(n_e, size=draw, p=pe)
        j = rng.choice(n_e, size=draw, p=pi)
        k = rng.choice(n_k, size=draw, p=pk)
        ok = i != j
        new = (i[ok].astype(np.int64) * n_e + j[ok]) * n_k + k[ok]
        keys = np.unique(np.concatenate([keys, new]))
        draw = int((rows - len(keys)) * 1.6) + 1_000
    if len(keys) > rows:
        keys = keys[np.sort(rng.choice(len(keys), size=rows, replace=False))]
    return keys


def generate(years: list[int], rows_per_year: int, data_dir: Path, quiet: bool = False
             ) -> dict[str, object]:
    data_dir.mkdir(parents=True, exist_ok=True)
    codes, lac = economies()
    n_e = len(codes)
    rng = np.random.default_rng(SEED)
    products = hs6_codes(rng)
    n_k = len(products)
    idx = {c: n for n, c in enumerate(codes)}
    big = [idx[c] for c in BIG]
    others = [n for n in rng.permutation(n_e) if n not in set(big)]
    order = np.array(big + others)
    size = zipf_weights(n_e, 1.1, order)                 # economic size: value scale
    pe = zipf_weights(n_e, 0.75, order)                  # share of rows as exporter
    pi = zipf_weights(n_e, 0.55, order)                  # share of rows as importer
    pk = zipf_weights(n_k, 0.6, rng.permutation(n_k))    # product popularity
    eco_arr, prod_arr = pa.array(codes), pa.array(products)
    schema = pa.schema([("year", pa.int16()), ("exporter", pa.string()),
                        ("importer", pa.string()), ("hs6", pa.string()),
                        ("value_usd", pa.float64())])
    world_rows: list[dict[str, object]] = []
    files = []
    for year in years:
        t0 = time.perf_counter()
        yrng = np.random.default_rng([SEED, year])
        keys = year_keys(yrng, rows_per_year, pe, pi, pk)
        k = (keys % n_k).astype(np.int32)
        ij = keys // n_k
        del keys
        j = (ij % n_e).astype(np.int32)
        i = (ij // n_e).astype(np.int32)
        del ij
        growth = 1.0 + 0.03 * (year - years[0])
        scale = 3_000.0 * growth * ((size[i] * size[j]) * n_e * n_e) ** 0.25
        value = np.maximum(np.round(scale * yrng.lognormal(0.0, 2.4, size=len(k))), 1.0)
        del scale
        path = data_dir / f"{PREFIX}_{year}.parquet"
        with pq.ParquetWriter(path, schema, compression="zstd") as w:
            for s in range(0, len(k), ROW_GROUP):
                e = min(s + ROW_GROUP, len(k))
                w.write_table(pa.table({
                    "year": pa.array(np.full(e - s, year, dtype=np.int16)),
                    "exporter": eco_arr.take(pa.array(i[s:e])),
                    "importer": eco_arr.take(pa.array(j[s:e])),
                    "hs6": prod_arr.take(pa.array(k[s:e])),
                    "value_usd": pa.array(value[s:e]),
                }, schema=schema), row_group_size=ROW_GROUP)
        exports = np.bincount(i, weights=value, minlength=n_e)
        imports = np.bincount(j, weights=value, minlength=n_e) * CIF_FACTOR
        for n, c in enumerate(codes):
            world_rows.append({"year": year, "reporter_iso3": c, "flow": "export",
                               "value_usd": float(exports[n])})
            world_rows.append({"year": year, "reporter_iso3": c, "flow": "import",
                               "value_usd": float(imports[n])})
        world_rows.append({"year": year, "reporter_iso3": WORLD, "flow": "export",
                           "value_usd": float(value.sum())})
        world_rows.append({"year": year, "reporter_iso3": WORLD, "flow": "import",
                           "value_usd": float(value.sum() * CIF_FACTOR)})
        files.append(path.name)
        if not quiet:
            top = np.bincount(i, minlength=n_e).max()
            say(f"  {path.name}: {len(k):,} rows, {path.stat().st_size / 2**20:.1f} MiB, "
                  f"top exporter {top:,} rows, value median {np.median(value):,.0f} "
                  f"p99 {np.quantile(value, 0.99):,.0f} max {value.max():,.0f} USD "
                  f"({time.perf_counter() - t0:.1f} s)")
        del i, j, k, value
    world = pa.Table.from_pylist(world_rows, schema=pa.schema([
        ("year", pa.int16()), ("reporter_iso3", pa.string()), ("flow", pa.string()),
        ("value_usd", pa.float64())]))
    pq.write_table(world, data_dir / WORLD_FILE, compression="zstd")
    meta: dict[str, object] = {
        "generated": True,
        "note": "GENERATED, BACI-shaped data for benchmarking only; not real trade data.",
        "years": years, "rows_per_year": rows_per_year, "economies": n_e, "products": n_k,
        "seed": SEED, "cif_factor": CIF_FACTOR, "lac33": lac,
        "files": files, "world_totals": WORLD_FILE,
    }
    (data_dir / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", default="2019-2023", help="e.g. 2019-2021")
    ap.add_argument("--rows-per-year", type=int, default=10_000_000)
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--quick", action="store_true",
                    help="tiny data for a smoke run (2 years x 5,000 rows)")
    a = ap.parse_args(argv)
    years = parse_years(a.years)
    rows = a.rows_per_year
    if a.quick:
        years, rows = years[:2] if len(years) > 1 else [years[0], years[0] + 1], 5_000
    say(BANNER)
    say(f"Writing {len(years)} year(s) x {rows:,} rows to {a.data_dir}")
    t0 = time.perf_counter()
    generate(years, rows, a.data_dir)
    say(f"Done in {time.perf_counter() - t0:.1f} s. (GENERATED data.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
