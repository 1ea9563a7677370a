"""BACI's files as they come: the year CSVs (t,i,j,k,v,q), the country and product code
lists, and the release zip that holds them."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kakehashi.config import SNAPSHOT_DIR
from kakehashi.errors import InputError
from kakehashi.provenance import sha256_of
from kakehashi.schema.products import HS_REVISIONS

BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")


# Read typed, so that a value that is not a number fails with its line. k is the HS6 code,
# without its leading zero where BACI writes it as a number (10121 for 010121): read as text
# and padded, then checked (5 or 6 digits) on the written files. q is NA (in older releases
# padded with spaces to the column's width) or empty where no quantity was reported.
CSV_TYPES = "{'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', " \
            "'v': 'DOUBLE', 'q': 'DOUBLE'}"
HS6_PATTERN = "[0-9]{6}"
K_PATTERN = "[0-9]{5,6}"  # k as BACI writes it, padded to HS6_PATTERN by the ingest
NULL_STRINGS = ("", "NA")
PADDED_NULL_STRINGS = NULL_STRINGS + tuple(" " * n + "NA" for n in range(1, 17))
_PADDED_NA = re.compile(rb",[ ]+NA\r?$", re.MULTILINE)


def null_strings(path: Path) -> tuple[str, ...]:
    """The missing-value spellings to read a file with: `NA` and empty, plus space-padded
    `NA` where the file's first megabyte shows it (each spelling costs the reader time)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return PADDED_NULL_STRINGS if _PADDED_NA.search(head) else NULL_STRINGS


BACI_NAME = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_V(\w+?)\.csv$", re.IGNORECASE)
# BACI's numeric codes are ISO 3166 numeric except these (UN Comtrade reporter codes); used
# only when no country_codes_V*.csv file is at hand.


BACI_CODE_EXCEPTIONS = {251: "FRA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA",
                        490: "TWN"}
Progress = Callable[[str], None]


READ_HINT = ("Check that it is a BACI CSV (header t,i,j,k,v,q; t, i, j integers; v a number), "
             "or fetch it again with `kakehashi update --source baci`.")


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
    m = BACI_NAME.search(path.name)
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
            if not code.isdigit() or len(code) > 4 or not re.fullmatch(r"[A-Z]{3}", iso3):
                # groupings without an ISO3, codes longer than BACI's three digits: a row
                # that uses one is reported as unmapped
                continue
            out[int(code)] = iso3
    if not out:
        raise InputError(path, "no country_code,country_iso3 rows", hint="Use BACI's file.")
    return out, f"{path.name} (sha256 {sha256_of(path)[:12]})"


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


def count_inputs(files: Sequence[Path], years: tuple[int, int] | None = None) -> int:
    """How many year files an ingest of these paths reads (zips counted by their members)."""
    n = 0
    for f in map(Path, files):
        if f.suffix.lower() != ".zip" or not f.is_file():
            n += 1
            continue
        try:
            with zipfile.ZipFile(f) as zf:
                found = [m for m in map(BACI_NAME.search, zf.namelist()) if m]
        except zipfile.BadZipFile:
            n += 1
            continue
        n += sum(1 for m in found if not years or years[0] <= int(m.group(2)) <= years[1])
    return max(n, 1)


@contextmanager
def unzipped(files: Sequence[Path], lake: Path, years: tuple[int, int] | None
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
                    m = BACI_NAME.search(name)
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
            if not any(BACI_NAME.search(p.name) for p in out):
                raise InputError(f, "no BACI_{HS}_Y{year}_V{release}.csv member"
                                 + (f" for {years[0]}-{years[1]}" if years else ""),
                                 hint="Check the zip and --years.")
        yield out, extra
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
