"""The product lake: trade by HS6 product at BACI scale, as year-partitioned Parquet.

A year of BACI is ~11 M rows and 1995 onwards ~300 M, too much for the store file, so product
flows live beside it (default `<store folder>/products/`):

    products/
      current -> versions/<stamp>       symlink, swapped atomically
      versions/<stamp>/
        product_flows/year=YYYY/*.parquet   columns of schema.products.PRODUCT_FLOWS
        hs_concordance.parquet              when a correlation table was loaded
        manifest.json                       every input's sha256, rows, years, revision,
                                            release, and where the country codes came from

An ingest streams each CSV into Parquet with the chosen engine (DuckDB by default, Spark with
``engine="spark"``), under the writer lock, into a new version folder; unchanged years are
hard-linked from the current version; only when everything is written does `current` point
to it. A reader resolves `current` once and keeps reading that version, which is kept until the
next ingest, so a swap never pulls files from under a running query.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import datetime as dt
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir

from kakehashi.config import SNAPSHOT_DIR
from kakehashi.errors import InputError, InvalidRequest, StoreError, UnmappedCodes
from kakehashi.provenance import sha256_of
from kakehashi.schema.products import HS_REVISIONS
from kakehashi.store.atomic import writer_lock

BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
_CSV_TYPES = "{'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', " \
             "'v': 'DOUBLE', 'q': 'VARCHAR'}"
_NAME = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_V(\w+?)\.csv$", re.IGNORECASE)
# BACI's numeric codes are ISO 3166 numeric except these (UN Comtrade reporter codes); used
# only when no country_codes_V*.csv file is at hand.
BACI_CODE_EXCEPTIONS = {251: "FRA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA",
                        490: "TWN"}
Progress = Callable[[str], None]
NAMES_FILE = "product_names.parquet"
ENGINES = ("duckdb", "spark")
READ_HINT = ("Check that it is a BACI CSV (header t,i,j,k,v,q; t, i, j integers; v a number), "
             "or fetch it again with `kakehashi update --source baci`.")


def lake_for(store: Path) -> Path:
    """The product lake that belongs to a store file: `<store folder>/products`."""
    return store.resolve().parent / "products"


@dataclass
class IngestReport:
    lake: Path
    version: str
    engine: str
    files: list[dict[str, Any]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0
    unchanged: bool = False


# ---------------------------------------------------------------- reading the lake


def current_version(lake: Path) -> Path:
    """The version folder readers should use; a clear error when nothing is ingested."""
    link = lake / "current"
    if not link.exists():
        raise StoreError(f"No product data in {lake}: ingest BACI files first with "
                         "`kakehashi products ingest BACI_HS17_Y2019_V202401.csv ...` "
                         "(or `kakehashi update --source baci`).")
    return link.resolve()


def manifest(lake: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((current_version(lake) / "manifest.json").read_text())
    return data


def flows_glob(version: Path) -> str:
    return str(version / "product_flows" / "*" / "*.parquet")


def reader_connection(version: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that may read this lake version and nothing else on disk."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute("SET allowed_directories = ?", [[str(version) + os.sep]])
    con.execute("SET enable_external_access = false")
    return con


def register_duckdb(con: duckdb.DuckDBPyConnection, version: Path) -> None:
    """Views `product_flows` (and `hs_concordance` if loaded) over a lake version.

    The year is read from inside the files, not from the `year=` folder names: with hive
    partitioning, DuckDB 2.0 dropped the partition filter from one of two scans of the same
    files when a window sum became a join (a share came out over all years; see
    tests/test_products.py::test_rca_by_hand), and every file holds one year anyway, so its
    row-group statistics prune as well."""
    con.execute(f"""CREATE OR REPLACE TEMP VIEW product_flows AS
        SELECT year, exporter_iso3, importer_iso3, hs6, value_usd, quantity_t
        FROM read_parquet({_sql_str(flows_glob(version))}, hive_partitioning = false)""")
    conc = version / "hs_concordance.parquet"
    if conc.exists():
        con.execute("CREATE OR REPLACE TEMP VIEW hs_concordance AS SELECT * FROM "
                    f"read_parquet({_sql_str(str(conc))})")


@contextmanager
def duckdb_flows(lake: Path) -> Iterator[dict[str, ir.Table]]:
    """The lake's tables as Ibis tables on DuckDB (`product_flows`, maybe `hs_concordance`)."""
    version = current_version(lake)
    con = reader_connection(version)
    try:
        register_duckdb(con, version)
        backend = ibis.duckdb.from_connection(con)
        names = ["product_flows"] + (["hs_concordance"]
                                     if (version / "hs_concordance.parquet").exists() else [])
        yield {n: backend.table(n) for n in names}
    finally:
        con.close()


def spark_flows(lake: Path, master: str = "local[2]") -> dict[str, ir.Table]:
    """The lake's tables as Ibis tables on Spark (the same Parquet files)."""
    from kakehashi.store.engines import spark_session

    version = current_version(lake)
    session = spark_session(master)
    backend = ibis.pyspark.connect(session)
    tag = re.sub(r"\W", "_", version.name)
    flows = backend.read_parquet(flows_glob(version), table_name=f"kakehashi_product_flows_{tag}")
    out = {"product_flows": flows}
    conc = version / "hs_concordance.parquet"
    if conc.exists():
        out["hs_concordance"] = backend.read_parquet(
            str(conc), table_name=f"kakehashi_hs_concordance_{tag}")
    return out


# ---------------------------------------------------------------- checking the inputs


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_header(path: Path) -> None:
    if not path.is_file():
        raise InputError(path, "no such file", hint="Give the path of a BACI CSV file.")
    with path.open("rb") as fh:
        first = fh.readline(4096)
    if not first.strip():
        raise InputError(path, "the file is empty", line=1, hint=READ_HINT)
    try:
        header = first.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise InputError(path, "the first line is not text (a binary or compressed file?)",
                         line=1, hint="Unzip BACI's release first; " + READ_HINT) from None
    names = tuple(h.strip().strip('"').lower() for h in header.split(","))
    if names != BACI_COLUMNS:
        raise InputError(path, f"the header is {header[:80]!r}, expected t,i,j,k,v,q",
                         line=1, hint=READ_HINT)


def file_facts(path: Path, revision: str | None, release: str | None) -> dict[str, Any]:
    """Revision, year and release from the file name (BACI_HS17_Y2019_V202401.csv), where the
    caller did not give them."""
    m = _NAME.search(path.name)
    rev = (revision or (m.group(1) if m else "")).upper()
    if rev not in HS_REVISIONS:
        raise InputError(path, f"HS revision {rev or 'unknown'!r}", hint=(
            "Name the revision with --revision (one of " + ", ".join(HS_REVISIONS)
            + "); BACI's file names carry it, e.g. BACI_HS17_Y2019_V202401.csv."))
    st = path.stat()
    return {"path": str(path.resolve()), "name": path.name, "revision": rev,
            "release": release or (m.group(3) if m else ""),
            "year_in_name": int(m.group(2)) if m else None,
            "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def country_codes(files: Sequence[Path], given: Path | None) -> tuple[dict[int, str], str]:
    """BACI numeric code -> ISO3, from the given file, else a country_codes_V*.csv beside the
    data, else ISO 3166 numeric codes of the store's countries plus BACI's exceptions."""
    path = given
    if path is None:
        found = sorted({p for f in files for p in f.resolve().parent.glob("*country_codes_V*.csv")})
        path = found[-1] if found else None
    if path is None:
        import pyarrow.parquet as pq

        tab = pq.read_table(SNAPSHOT_DIR / "countries.parquet", columns=["iso3", "m49", "kind"])
        codes = {int(m): iso for iso, m, kind in zip(*(tab[c].to_pylist() for c in
                                                       ("iso3", "m49", "kind")), strict=True)
                 if m is not None and kind == "economy"}
        codes.update(BACI_CODE_EXCEPTIONS)
        return codes, "ISO 3166 numeric (snapshot countries) + BACI exceptions"
    if not path.is_file():
        raise InputError(path, "no such country codes file",
                         hint="Give BACI's country_codes_V….csv from the same release.")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        iso = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in cols), None)
        if "country_code" not in cols or iso is None:
            raise InputError(path, f"columns {cols}, expected country_code and country_iso3",
                             line=1, hint="Use BACI's country_codes_V….csv.")
        out: dict[int, str] = {}
        for row in reader:
            code, iso3 = (row.get("country_code") or "").strip(), (row.get(iso) or "").strip()
            if not code.isdigit() or not re.fullmatch(r"[A-Z]{3}", iso3):
                continue  # e.g. groupings without an ISO3; unmapped uses are reported later
            out[int(code)] = iso3
    if not out:
        raise InputError(path, "no country_code,country_iso3 rows", hint="Use BACI's file.")
    return out, f"{path.name} (sha256 {sha256_of(path)[:12]})"


# ---------------------------------------------------------------- writing


def _copy_duckdb(path: Path, dest: Path, tag: str, codes: dict[int, str], memory_limit: str,
                 threads: int | None) -> int:
    import pyarrow as pa

    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    try:
        con.register("codes_arrow", pa.table({"code": pa.array(list(codes), pa.int32()),
                                              "iso3": list(codes.values())}))
        con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = {_sql_str(str(dest.parent / '.spill'))}")
        con.execute("CREATE TEMP TABLE codes AS SELECT * FROM codes_arrow")
        query = f"""
            SELECT r.t AS year,
                   coalesce(e.iso3, '?' || r.i) AS exporter_iso3,
                   coalesce(m.iso3, '?' || r.j) AS importer_iso3,
                   lpad(trim(r.k), 6, '0') AS hs6,
                   r.v * 1000.0 AS value_usd,
                   TRY_CAST(trim(r.q) AS DOUBLE) AS quantity_t
            FROM read_csv({_sql_str(str(path))}, header = true, auto_detect = false,
                          delim = ',', quote = '"', columns = {_CSV_TYPES}) r
            LEFT JOIN codes e ON e.code = r.i
            LEFT JOIN codes m ON m.code = r.j"""
        got = con.execute(f"""COPY ({query}) TO {_sql_str(str(dest))}
            (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), WRITE_PARTITION_COLUMNS true,
             OVERWRITE_OR_IGNORE, FILENAME_PATTERN {_sql_str(tag + '-{i}')})""").fetchone()
        return int(got[0]) if got else 0
    except duckdb.Error as exc:
        raise _read_error(path, str(exc)) from None
    finally:
        con.close()


def _read_error(path: Path, message: str) -> InputError:
    lines = [x.strip() for x in message.strip().splitlines() if x.strip()]
    detail = next((x for x in lines if x.startswith("Error when converting")), "")
    first = " ".join(x for x in (lines[0] if lines else "unreadable", detail) if x)
    m = re.search(r"[Ll]ine:?\s*(\d+)", message)
    col = re.search(r'column "?(\w+)"?', message)
    return InputError(path, first[:300], line=int(m.group(1)) if m else None,
                      column=col.group(1) if col and col.group(1) in BACI_COLUMNS else None,
                      hint=READ_HINT)


def _copy_spark(path: Path, dest: Path, tag: str, codes: dict[int, str], master: str) -> int:
    from pyspark.sql import functions as F

    from kakehashi.store.engines import spark_session

    spark = spark_session(master)
    raw = spark.read.csv(str(path), header=True, mode="FAILFAST",
                         schema="t SHORT, i INT, j INT, k STRING, v DOUBLE, q STRING")
    table = spark.createDataFrame(sorted(codes.items()), "code INT, iso3 STRING")
    ex = F.broadcast(table.withColumnsRenamed({"code": "ex_code", "iso3": "ex_iso3"}))
    im = F.broadcast(table.withColumnsRenamed({"code": "im_code", "iso3": "im_iso3"}))
    rows = (raw.join(ex, raw.i == ex.ex_code, "left").join(im, raw.j == im.im_code, "left")
            .select(F.col("t").alias("year"),
                    F.coalesce("ex_iso3", F.concat(F.lit("?"), F.col("i").cast("string")))
                    .alias("exporter_iso3"),
                    F.coalesce("im_iso3", F.concat(F.lit("?"), F.col("j").cast("string")))
                    .alias("importer_iso3"),
                    F.lpad(F.trim("k"), 6, "0").alias("hs6"),
                    (F.col("v") * 1000.0).alias("value_usd"),
                    F.expr("try_cast(trim(q) AS DOUBLE)").alias("quantity_t")))
    out = dest.parent / f".spark-{tag}"
    try:
        rows.withColumn("year_dir", F.col("year")).write.mode("overwrite") \
            .partitionBy("year_dir").option("compression", "zstd").parquet(str(out))
    except Exception as exc:  # py4j / Spark errors carry the cause in their text
        raise _read_error(path, str(exc).split("\n\tat ")[0].replace("\n", " ")) from None
    n = 0
    for part in sorted(out.glob("year_dir=*")):
        target = dest / part.name.replace("year_dir=", "year=")
        target.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(sorted(part.glob("*.parquet"))):
            f.rename(target / f"{tag}-{i}.parquet")
    shutil.rmtree(out, ignore_errors=True)
    con = duckdb.connect()
    try:
        got = con.execute("SELECT count(*) FROM read_parquet(?)",
                          [str(dest / "*" / f"{tag}-*.parquet")]).fetchone()
        n = int(got[0]) if got else 0
    finally:
        con.close()
    return n


def _unmapped(dest: Path, facts: Sequence[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    con = duckdb.connect()
    try:
        rows = con.execute(f"""
            WITH f AS (SELECT exporter_iso3, importer_iso3, filename
                       FROM read_parquet({_sql_str(str(dest / '*' / '*.parquet'))},
                                         filename = true))
            SELECT filename, 'i', exporter_iso3, count(*) FROM f
            WHERE exporter_iso3 LIKE '?%' GROUP BY ALL
            UNION ALL
            SELECT filename, 'j', importer_iso3, count(*) FROM f
            WHERE importer_iso3 LIKE '?%' GROUP BY ALL""").fetchall()
    finally:
        con.close()
    by_tag = {f"f{n}": f["name"] for n, f in enumerate(facts)}
    out: dict[tuple[str, str, str], int] = {}
    for filename, col, value, n in rows:
        tag = Path(filename).name.split("-")[0]
        key = (by_tag.get(tag, filename), col, value.lstrip("?"))
        out[key] = out.get(key, 0) + int(n)
    return sorted((f, c, v, n) for (f, c, v), n in out.items())


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


def _clean_versions(lake: Path, keep: set[Path]) -> None:
    for v in (lake / "versions").glob("*"):
        if v.resolve() not in keep:
            shutil.rmtree(v, ignore_errors=True)


def _point_current(lake: Path, version: Path) -> None:
    tmp = lake / f"current.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(Path("versions") / version.name)
    os.replace(tmp, lake / "current")
    fd = os.open(lake, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _carry_over(old: Path | None, new: Path, skip_years: set[int],
                concordance: bool = True) -> None:
    """Hard-link the current version's other years (and concordance) into the new one."""
    if old is None:
        return
    for part in (old / "product_flows").glob("year=*"):
        if int(part.name.split("=")[1]) in skip_years:
            continue
        target = new / "product_flows" / part.name
        target.mkdir(parents=True, exist_ok=True)
        for f in part.glob("*.parquet"):
            os.link(f, target / f.name)
    conc = old / "hs_concordance.parquet"
    if concordance and conc.exists() and not (new / conc.name).exists():
        os.link(conc, new / conc.name)
    names = old / NAMES_FILE
    if names.exists() and not (new / NAMES_FILE).exists():
        os.link(names, new / NAMES_FILE)


def product_names_file(files: Sequence[Path], revision: str) -> Path | None:
    """BACI's product_codes_{HS}_V….csv beside the data files, if there is one."""
    found = sorted({p for f in files
                    for p in f.resolve().parent.glob(f"*product_codes_{revision}_V*.csv")})
    return found[-1] if found else None


def write_product_names(path: Path, dest: Path) -> int:
    """BACI's product codes file (code, description) as (hs6, description) Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"code", "description"} <= set(reader.fieldnames or []):
            raise InputError(path, f"columns {reader.fieldnames}, expected code,description",
                             line=1, hint="Use BACI's product_codes_{HS}_V….csv.")
        rows = [(r["code"].strip().zfill(6), (r["description"] or "").strip())
                for r in reader if (r.get("code") or "").strip().isdigit()]
    pq.write_table(pa.table({"hs6": [c for c, _ in rows], "description": [d for _, d in rows]}),
                   dest, compression="zstd")
    return len(rows)


def product_names(lake: Path) -> dict[str, str]:
    """hs6 -> description in the lake's revision (empty when no names file was ingested)."""
    import pyarrow.parquet as pq

    path = current_version(lake) / NAMES_FILE
    if not path.exists():
        return {}
    t = pq.read_table(path)
    return dict(zip(t["hs6"].to_pylist(), t["description"].to_pylist(), strict=True))


def _years_of(dest: Path) -> list[int]:
    return sorted(int(p.name.split("=")[1]) for p in dest.glob("year=*"))


def ingest(files: Sequence[Path], lake: Path, *, revision: str | None = None,
           country_codes_file: Path | None = None, engine: str = "duckdb",
           master: str = "local[2]", release: str | None = None,
           progress: Progress | None = None, memory_limit: str = "4GB",
           threads: int | None = None, product_codes_file: Path | None = None,
           years: tuple[int, int] | None = None) -> IngestReport:
    """Stream BACI-format CSV files (or the year files of BACI release zips, within
    ``years``) into the lake as a new version; years present in the files replace the same
    years of the current version, other years are kept. Re-ingesting files whose name, size
    and modification time match the current version changes nothing."""
    if engine not in ENGINES:
        raise InvalidRequest(f"Engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    if not files:
        raise InvalidRequest("Give at least one BACI CSV file to ingest.")
    started = time.perf_counter()
    lake.mkdir(parents=True, exist_ok=True)
    with _unzipped([Path(f) for f in files], lake, years) as (paths, archives):
        if country_codes_file is None:
            country_codes_file = archives.get("country_codes")
        if product_codes_file is None:
            product_codes_file = archives.get("product_codes")
        origins = {k.removeprefix("origin:"): str(v) for k, v in archives.items()
                   if k.startswith("origin:")}
        return _ingest(paths, lake, started, origins, revision=revision,
                       country_codes_file=country_codes_file, engine=engine, master=master,
                       release=release, progress=progress, memory_limit=memory_limit,
                       threads=threads, product_codes_file=product_codes_file)


def count_inputs(files: Sequence[Path], years: tuple[int, int] | None = None) -> int:
    """How many year files an ingest of these paths reads (zips counted by their members)."""
    n = 0
    for f in map(Path, files):
        if f.suffix.lower() != ".zip" or not f.is_file():
            n += 1
            continue
        try:
            with zipfile.ZipFile(f) as zf:
                found = [m for m in map(_NAME.search, zf.namelist()) if m]
        except zipfile.BadZipFile:
            n += 1
            continue
        n += sum(1 for m in found if not years or years[0] <= int(m.group(2)) <= years[1])
    return max(n, 1)


@contextmanager
def _unzipped(files: Sequence[Path], lake: Path, years: tuple[int, int] | None
              ) -> Iterator[tuple[list[Path], dict[str, Path]]]:
    """CSV files as given; BACI release zips (as CEPII publishes them and `kakehashi update
    --source baci` downloads them) unpacked, member by member, into a temporary folder in the
    lake (their year files within ``years``, plus the country and product code lists)."""
    out: list[Path] = []
    extra: dict[str, Path] = {}
    tmp = lake / f".unzip-{os.getpid()}"
    try:
        for f in files:
            if f.suffix.lower() != ".zip":
                out.append(f)
                continue
            try:
                zf = zipfile.ZipFile(f)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f, f"not a readable zip ({exc})",
                                 hint="Download the BACI release again.") from None
            with zf:
                for info in zf.infolist():
                    name = Path(info.filename).name
                    m = _NAME.search(name)
                    kind = ("data" if m else "country_codes" if "country_codes" in name
                            else "product_codes" if "product_codes" in name else None)
                    if kind is None or (m and years and not
                                        years[0] <= int(m.group(2)) <= years[1]):
                        continue
                    tmp.mkdir(exist_ok=True)
                    target = tmp / name
                    with zf.open(info) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                    stamp = dt.datetime(*info.date_time).timestamp()
                    os.utime(target, (stamp, stamp))  # so a re-ingest is recognised
                    extra[f"origin:{target}"] = Path(f"{f.resolve()}!{info.filename}")
                    if kind == "data":
                        out.append(target)
                    else:
                        extra[kind] = target
            if not any(_NAME.search(p.name) for p in out):
                raise InputError(f, "no BACI_{HS}_Y{year}_V{release}.csv member"
                                 + (f" for {years[0]}-{years[1]}" if years else ""),
                                 hint="Check the zip and --years.")
        yield out, extra
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ingest(paths: list[Path], lake: Path, started: float, origins: dict[str, str], *,
            revision: str | None,
            country_codes_file: Path | None, engine: str, master: str, release: str | None,
            progress: Progress | None, memory_limit: str, threads: int | None,
            product_codes_file: Path | None) -> IngestReport:
    for p in paths:
        check_header(p)
    facts = [file_facts(p, revision, release) for p in paths]
    for f, p in zip(facts, paths, strict=True):
        f["path"] = origins.get(str(p), f["path"])  # zip!member for unpacked members
    revisions = {f["revision"] for f in facts}
    with writer_lock(lake / "lake"):
        old = (lake / "current").resolve() if (lake / "current").exists() else None
        old_manifest = json.loads((old / "manifest.json").read_text()) if old else {}
        old_revision = old_manifest.get("revision")
        if len(revisions) > 1 or (old_revision and old_revision not in revisions):
            raise InputError(paths[0], "the files are in HS revision(s) "
                             + ", ".join(sorted(revisions)) + (f" but the lake holds "
                                                               f"{old_revision}"
                                                               if old_revision else ""),
                             hint="Keep one HS revision per lake (BACI's HS92 release covers "
                                  "1995 on); use --lake for another revision.")
        known = {(f["name"], f["size"], f["mtime_ns"]): f
                 for f in old_manifest.get("files", [])}
        if old and all((f["name"], f["size"], f["mtime_ns"]) in known for f in facts):
            return IngestReport(lake, old.name, engine, [known[(f["name"], f["size"],
                                                                 f["mtime_ns"])] for f in facts],
                                old_manifest.get("years", []), 0,
                                time.perf_counter() - started, unchanged=True)
        codes, codes_origin = country_codes(paths, country_codes_file)
        (lake / "versions").mkdir(exist_ok=True)
        new = lake / "versions" / (_stamp() + ".tmp")
        dest = new / "product_flows"
        dest.mkdir(parents=True)
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                hashes = [pool.submit(sha256_of, p) for p in paths]
                for n, (p, f) in enumerate(zip(paths, facts, strict=True)):
                    if progress:
                        progress(f"{p.name} ({n + 1}/{len(paths)}, {engine})")
                    if engine == "duckdb":
                        f["rows"] = _copy_duckdb(p, dest, f"f{n}", codes, memory_limit,
                                                 threads)
                    else:
                        f["rows"] = _copy_spark(p, dest, f"f{n}", codes, master)
                for f, h in zip(facts, hashes, strict=True):
                    f["sha256"] = h.result()
            unmapped = _unmapped(dest, facts)
            if unmapped:
                raise UnmappedCodes(unmapped)
            names = product_codes_file or product_names_file(paths, next(iter(revisions)))
            names_rows = write_product_names(names, new / NAMES_FILE) if names else 0
            new_years = _years_of(dest)
            _carry_over(old, new, set(new_years))
            kept = [f for f in old_manifest.get("files", [])
                    if not set(f.get("years", [])) & set(new_years)]
            for f in facts:
                f["years"] = _years_of_file(dest, facts.index(f))
            years = _years_of(dest)
            mf = {
                "source": "baci", "revision": next(iter(revisions)),
                "engine": engine, "created": dt.datetime.now(dt.UTC).isoformat(
                    timespec="seconds"),
                "country_codes": codes_origin, "years": years,
                "product_names": (f"{names.name} ({names_rows:,} codes)" if names
                                  else old_manifest.get("product_names", "")),
                "rows": sum(int(f.get("rows", 0)) for f in kept + facts),
                "files": kept + facts,
            }
            if old_manifest.get("concordances"):
                mf["concordances"] = old_manifest["concordances"]
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(new / ".spill")
            final = _publish(lake, new, old, mf)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    return IngestReport(lake, final.name, engine, facts, years, sum(f["rows"] for f in facts),
                        time.perf_counter() - started)


def _publish(lake: Path, new: Path, old: Path | None, mf: dict[str, Any]) -> Path:
    """Write the manifest, make the new version final and current; keep the old one (readers
    may be using it) and delete any older."""
    (new / "manifest.json").write_text(json.dumps(mf, indent=1))
    final = new.with_name(new.name.removesuffix(".tmp"))
    new.rename(final)
    _point_current(lake, final)
    _clean_versions(lake, {final.resolve()} | ({old} if old else set()))
    return final


def _years_of_file(dest: Path, n: int) -> list[int]:
    return sorted(int(p.name.split("=")[1]) for p in dest.glob("year=*")
                  if any(p.glob(f"f{n}-*.parquet")))


# ---------------------------------------------------------------- HS concordance

_REVISION_YEAR = {str(y): rev for rev, y in HS_REVISIONS.items()} | {"1992": "HS92"}


def _revision_of(column: str) -> str | None:
    """'HS 2017 Product Code', 'From HS 2022', 'HS17', 'hs2012' -> HS17, HS22, HS17, HS12."""
    text = column.upper().replace(" ", "")
    m = re.search(r"HS(\d{4})", text)
    if m:
        return _REVISION_YEAR.get(m.group(1))
    m = re.search(r"HS(\d\d)(?!\d)", text)
    return f"HS{m.group(1)}" if m and f"HS{m.group(1)}" in HS_REVISIONS else None


def read_correlation(path: Path, from_revision: str,
                     to_revision: str) -> list[tuple[str, str]]:
    """(from_hs6, to_hs6) pairs from a correlation table saved as CSV: the UN Statistics
    Division's HS conversion and correlation tables (columns 'From HS 2017', 'To HS 2022') or
    a WITS concordance ('HS 2017 Product Code', 'HS 2022 Product Code'); the two code columns
    are found by the revisions their names carry."""
    if not path.is_file():
        raise InputError(path, "no such file", hint="Save the correlation table as CSV and "
                                                    "give its path.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            cols: dict[str, int] = {}
            for n, name in enumerate(header):
                rev = _revision_of(name)
                if rev and rev not in cols and ("DESC" not in name.upper()):
                    cols[rev] = n
            missing = [r for r in (from_revision, to_revision) if r not in cols]
            if missing:
                raise InputError(path, f"no code column for {', '.join(missing)} in the "
                                 f"header {header}", line=1, hint=(
                                     "Use a UNSD or WITS correlation table whose code "
                                     "columns name the revisions (e.g. 'HS 2017 Product "
                                     "Code'), or check --from/--to."))
            i, j = cols[from_revision], cols[to_revision]
            pairs: list[tuple[str, str]] = []
            for line, row in enumerate(reader, start=2):
                if len(row) <= max(i, j) or not row[i].strip() or not row[j].strip():
                    continue
                # 5 digits: a leading zero lost to a spreadsheet; fewer is not an HS6 code
                a, b = (re.sub(r"\D", "", row[k]) for k in (i, j))
                if not (5 <= len(a) <= 6 and 5 <= len(b) <= 6):
                    raise InputError(path, f"codes {row[i]!r}, {row[j]!r} are not HS "
                                     "6-digit codes", line=line,
                                     hint="Use the 6-digit correlation table.")
                pairs.append((a.zfill(6), b.zfill(6)))
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", hint="Save the table as CSV (UTF-8).") from None
    if not pairs:
        raise InputError(path, "no code pairs", hint="Use the 6-digit correlation table.")
    return sorted(set(pairs))


def relationships(pairs: Sequence[tuple[str, str]], from_revision: str,
                  to_revision: str) -> list[dict[str, Any]]:
    """Each pair with its relationship (1:1, n:1, 1:n, n:n) and the share of the source
    code's value it carries (equal shares over a split's targets)."""
    targets: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for a, b in pairs:
        targets.setdefault(a, set()).add(b)
        sources.setdefault(b, set()).add(a)
    out = []
    for a, b in pairs:
        many_to, many_from = len(targets[a]) > 1, len(sources[b]) > 1
        rel = {(False, False): "1:1", (False, True): "n:1", (True, False): "1:n",
               (True, True): "n:n"}[(many_to, many_from)]
        out.append({"from_revision": from_revision, "from_hs6": a,
                    "to_revision": to_revision, "to_hs6": b, "relationship": rel,
                    "weight": 1.0 / len(targets[a])})
    return out


def load_concordance(lake: Path, path: Path, from_revision: str,
                     to_revision: str) -> dict[str, Any]:
    """Add a correlation table to the lake (a new version; other revision pairs kept)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    revs = [r.upper() for r in (from_revision, to_revision)]
    bad = [r for r in revs if r not in HS_REVISIONS]
    if bad or revs[0] == revs[1]:
        raise InvalidRequest(f"Revisions {from_revision} -> {to_revision}: give two different "
                             "of " + ", ".join(HS_REVISIONS) + ".")
    rows = relationships(read_correlation(path, revs[0], revs[1]), revs[0], revs[1])
    with writer_lock(lake / "lake"):
        old = current_version(lake)
        old_manifest = json.loads((old / "manifest.json").read_text())
        new = lake / "versions" / (_stamp() + ".tmp")
        (new / "product_flows").mkdir(parents=True)
        try:
            _carry_over(old, new, set(), concordance=False)
            table = pa.Table.from_pylist(rows)
            conc = old / "hs_concordance.parquet"
            if conc.exists():
                prev = pq.read_table(conc)
                keep = pc.invert(pc.and_(pc.equal(prev["from_revision"], revs[0]),
                                         pc.equal(prev["to_revision"], revs[1])))
                table = pa.concat_tables([prev.filter(keep), table.cast(prev.schema)])
            pq.write_table(table, new / "hs_concordance.parquet", compression="zstd")
            counts: dict[str, int] = {}
            for r in rows:
                counts[r["relationship"]] = counts.get(r["relationship"], 0) + 1
            entry = {"from_revision": revs[0], "to_revision": revs[1], "file": path.name,
                     "sha256": sha256_of(path), "pairs": len(rows), "relationships": counts,
                     "loaded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            mf = dict(old_manifest)
            mf["concordances"] = [c for c in old_manifest.get("concordances", [])
                                  if (c["from_revision"], c["to_revision"]) != tuple(revs)]
            mf["concordances"].append(entry)
            _publish(lake, new, old, mf)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    return entry
