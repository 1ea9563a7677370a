"""Ingest: BACI CSVs streamed into a new lake version by DuckDB or Spark, checked (every
country code mapped), then made current."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kakehashi.errors import InputError, InvalidRequest, UnmappedCodes
from kakehashi.provenance import sha256_of
from kakehashi.store.atomic import writer_lock
from kakehashi.store.lake.baci import (
    BACI_COLUMNS,
    CSV_TYPES,
    HS6_PATTERN,
    K_PATTERN,
    PADDED_NULL_STRINGS,
    READ_HINT,
    Progress,
    check_header,
    country_codes,
    file_facts,
    null_strings,
    product_names_file,
    unzipped,
    write_product_names,
)
from kakehashi.store.lake.layout import (
    NAMES_FILE,
    carry_over,
    publish,
    stamp,
    years_of,
)
from kakehashi.store.lake.read import sql_str

ENGINES = ("duckdb", "spark")


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


def _iso_list(codes: dict[int, str]) -> str:
    """The code -> ISO3 map as a DuckDB list literal, indexed by code + 1 (BACI's codes are
    three digits; NULL where a code has no ISO3)."""
    top = max((c for c in codes if c >= 0), default=0)
    return "[" + ", ".join(sql_str(codes[c]) if c in codes else "NULL"
                           for c in range(top + 1)) + "]"


def _csv_scan(path: Path, nulls: Sequence[str]) -> str:
    spellings = ", ".join(sql_str(x) for x in nulls)
    return (f"read_csv({sql_str(str(path))}, header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', nullstr = [{spellings}], columns = {CSV_TYPES})")


def _copy_duckdb(path: Path, dest: Path, tag: str, codes: dict[int, str], memory_limit: str,
                 threads: int | None, year: int | None) -> int:
    """One CSV into year folders of zstd Parquet, streamed: straight into the folder of the
    year in the file's name (`_check_copy` then checks that every row is of that year), else
    partitioned by the rows' years. The ISO3 codes are looked up by
    position in a constant list of an ENUM type: no join (whose hash table DuckDB would
    build on the ten-million-row side, for want of a row estimate), and the Parquet writer
    gets the codes already dictionary-encoded. An unknown code gives NULL, which
    `_check_copy` reports with the codes from the CSV."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    nulls = null_strings(path)
    try:
        con.execute(f"SET memory_limit = {sql_str(memory_limit)}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = {sql_str(str(dest.parent / '.spill'))}")
        con.execute("CREATE TYPE iso3 AS ENUM ("
                    + ", ".join(sql_str(x) for x in sorted(set(codes.values()))) + ")")
        iso = f"CAST({_iso_list(codes)} AS iso3[])"
        if year is not None:
            (dest / f"year={year}").mkdir(exist_ok=True)
            target = dest / f"year={year}" / f"{tag}-0.parquet"
            options = "FORMAT parquet, COMPRESSION zstd"
        else:
            target, options = dest, ("FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), "
                                     "WRITE_PARTITION_COLUMNS true, OVERWRITE_OR_IGNORE, "
                                     f"FILENAME_PATTERN {sql_str(tag + '-{i}')}")
        for attempt in (nulls, PADDED_NULL_STRINGS):
            query = f"""
                SELECT r.t AS year,
                       CASE WHEN r.i >= 0 THEN {iso}[r.i + 1] END AS exporter_iso3,
                       CASE WHEN r.j >= 0 THEN {iso}[r.j + 1] END AS importer_iso3,
                       CASE length(r.k) WHEN 6 THEN r.k WHEN 5 THEN '0' || r.k END AS hs6,
                       r.v * 1000.0 AS value_usd,
                       r.q AS quantity_t
                FROM {_csv_scan(path, attempt)} r"""
            try:
                got = con.execute(f"COPY ({query}) TO {sql_str(str(target))} ({options})"
                                  ).fetchone()
                return int(got[0]) if got else 0
            except duckdb.ConversionException as exc:
                # a padded NA past the first megabyte: read again with every spelling
                if attempt == PADDED_NULL_STRINGS or not re.search(r'string " +NA"', str(exc)):
                    raise
                for old in dest.glob(f"*/{tag}-*"):
                    old.unlink()
        return 0
    except duckdb.Error as exc:
        raise _read_error(path, str(exc)) from None
    finally:
        con.close()


def _bad_rows(path: Path) -> InputError:
    """The first rows of a file that the copy could not use (a missing year or value, or
    an HS6 code k that is not 5 or 6 digits), with their line numbers."""
    con = duckdb.connect()
    try:
        rows = con.execute(f"""
            SELECT line, t, k, v FROM (
                SELECT row_number() OVER () + 1 AS line, t, k, v
                FROM {_csv_scan(path, PADDED_NULL_STRINGS)})
            WHERE t IS NULL OR v IS NULL OR k IS NULL
               OR NOT regexp_full_match(k, '{K_PATTERN}')
            ORDER BY line LIMIT 5""").fetchall()
    finally:
        con.close()
    if not rows:
        return InputError(path, "rows without a year, value or HS6 code", hint=READ_HINT)
    shown = "; ".join(f"line {n}: t={t}, k={k}, v={v}" for n, t, k, v in rows)
    return InputError(path, f"{len(rows)}{'+' if len(rows) == 5 else ''} row(s) without a "
                      f"year or value, or with an HS6 code k that is not 5 or 6 digits "
                      f"({shown})", line=int(rows[0][0]), hint=READ_HINT)


def _unmapped_codes(path: Path, name: str, codes: dict[int, str]
                    ) -> list[tuple[str, str, str, int]]:
    """(file, column, code, rows) for every country code of the file without an ISO3."""
    known = "[" + ", ".join(str(c) for c in sorted(codes)) + "]"
    con = duckdb.connect()
    try:
        rows = con.execute(f"""
            WITH r AS (SELECT i, j FROM {_csv_scan(path, PADDED_NULL_STRINGS)})
            SELECT 'i', i, count(*) FROM r WHERE NOT list_contains({known}, i) GROUP BY ALL
            UNION ALL
            SELECT 'j', j, count(*) FROM r WHERE NOT list_contains({known}, j) GROUP BY ALL
            """).fetchall()
    finally:
        con.close()
    return [(name, col, str(code), int(n)) for col, code, n in rows]


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
    raw = spark.read.csv(str(path), header=True, mode="FAILFAST", nullValue="NA",
                         ignoreLeadingWhiteSpace=True, ignoreTrailingWhiteSpace=True,
                         schema="t SHORT, i INT, j INT, k STRING, v DOUBLE, q DOUBLE")
    table = spark.createDataFrame(sorted(codes.items()), "code INT, iso3 STRING")
    ex = F.broadcast(table.withColumnsRenamed({"code": "ex_code", "iso3": "ex_iso3"}))
    im = F.broadcast(table.withColumnsRenamed({"code": "im_code", "iso3": "im_iso3"}))
    rows = (raw.join(ex, raw.i == ex.ex_code, "left").join(im, raw.j == im.im_code, "left")
            .select(F.col("t").alias("year"),
                    F.col("ex_iso3").alias("exporter_iso3"),
                    F.col("im_iso3").alias("importer_iso3"),
                    F.when(F.length("k") == 6, F.col("k"))
                    .when(F.length("k") == 5, F.concat(F.lit("0"), F.col("k"))).alias("hs6"),
                    (F.col("v") * 1000.0).alias("value_usd"),
                    F.col("q").alias("quantity_t")))
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


_REQUIRED = ("year", "hs6", "value_usd")
_ISO3 = ("exporter_iso3", "importer_iso3")


def _written(con: duckdb.DuckDBPyConnection, files: str
             ) -> dict[str, tuple[dict[str, int], set[int]]]:
    """Per written file, the null count of each checked column and the years it holds: from
    the Parquet statistics, or by reading the columns where a writer left them out."""
    cols = _REQUIRED + _ISO3
    stats = con.execute(f"""
        SELECT file_name, path_in_schema, stats_null_count, stats_min_value, stats_max_value
        FROM parquet_metadata({files})
        WHERE path_in_schema IN ({", ".join(map(sql_str, cols))})""").fetchall()
    out: dict[str, tuple[dict[str, int], set[int]]] = {}
    have_counts = all(n is not None for _, _, n, _, _ in stats)
    have_years = all(lo is not None or n for _, c, n, lo, _ in stats if c == "year")
    if have_counts and have_years:
        for name, col, n, lo, hi in stats:
            nulls, years = out.setdefault(name, ({}, set()))
            nulls[col] = nulls.get(col, 0) + int(n)
            if col == "year" and lo is not None:
                years.update((int(lo), int(hi)))
        return out
    counts = ", ".join(f"count(*) - count({c})" for c in cols)
    for name, lo, hi, *counted in con.execute(f"""
            SELECT filename, min(year), max(year), {counts}
            FROM read_parquet({files}, filename = true, hive_partitioning = false)
            GROUP BY ALL""").fetchall():
        out[name] = (dict(zip(cols, map(int, counted), strict=True)),
                     {int(lo), int(hi)} if lo is not None else set())
    return out


def _check_copy(dest: Path, paths: Sequence[Path], facts: Sequence[dict[str, Any]],
                codes: dict[int, str]) -> None:
    """Every row of the new version usable: a year that its file's name agrees with, an HS6
    code of six digits and a value (else InputError with the lines), and both countries
    mapped (else UnmappedCodes listing every code, read again from the CSVs). The null
    counts and years come from the Parquet statistics and only the distinct HS6 codes are
    matched, so the check reads next to nothing."""
    files = sql_str(str(dest / "*" / "*.parquet"))
    con = duckdb.connect()
    try:
        written = _written(con, files)
        odd: set[str] = set()
        codes_found = con.execute(f"SELECT DISTINCT hs6 FROM read_parquet({files}) "
                                  "WHERE hs6 IS NOT NULL").fetchall()
        if any(not re.fullmatch(HS6_PATTERN, code) for (code,) in codes_found):
            odd = {name for (name,) in con.execute(f"""
                SELECT DISTINCT filename
                FROM read_parquet({files}, filename = true, hive_partitioning = false)
                WHERE NOT regexp_full_match(hs6, '{HS6_PATTERN}')""").fetchall()}
    finally:
        con.close()
    by_tag = {f"f{n}": n for n in range(len(facts))}
    years: dict[int, set[int]] = {}
    unmapped: set[int] = set()
    for name, (nulls, held) in sorted(written.items()):
        n = by_tag[Path(name).name.split("-")[0]]
        if name in odd or any(nulls.get(c, 0) for c in _REQUIRED):
            raise _bad_rows(paths[n])
        if any(nulls.get(c, 0) for c in _ISO3):
            unmapped.add(n)
        years.setdefault(n, set()).update(held)
    for n, f in enumerate(facts):
        named = f.get("year_in_name")
        found = sorted(years.get(n, set()))
        if named and found and found != [named]:
            raise InputError(paths[n], f"the file is named for {named} but holds rows for "
                             + ", ".join(map(str, found)),
                             column="t", hint="BACI writes one year a file; check that the "
                             "file was not renamed or edited.")
    if unmapped:
        raise UnmappedCodes(sorted(item for n in sorted(unmapped)
                                   for item in _unmapped_codes(paths[n], facts[n]["name"],
                                                               codes)))


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
    with unzipped([Path(f) for f in files], lake, years) as (paths, archives):
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
        new = lake / "versions" / (stamp() + ".tmp")
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
                                                 threads, f.get("year_in_name"))
                    else:
                        f["rows"] = _copy_spark(p, dest, f"f{n}", codes, master)
                for f, h in zip(facts, hashes, strict=True):
                    f["sha256"] = h.result()
            _check_copy(dest, paths, facts, codes)
            names = product_codes_file or product_names_file(paths, next(iter(revisions)))
            names_rows = write_product_names(names, new / NAMES_FILE) if names else 0
            new_years = years_of(dest)
            carry_over(old, new, set(new_years))
            kept = [f for f in old_manifest.get("files", [])
                    if not set(f.get("years", [])) & set(new_years)]
            for f in facts:
                f["years"] = _years_of_file(dest, facts.index(f))
            years = years_of(dest)
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
            final = publish(lake, new, old, mf)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    return IngestReport(lake, final.name, engine, facts, years, sum(f["rows"] for f in facts),
                        time.perf_counter() - started)


def _years_of_file(dest: Path, n: int) -> list[int]:
    return sorted(int(p.name.split("=")[1]) for p in dest.glob("year=*")
                  if any(p.glob(f"f{n}-*.parquet")))
