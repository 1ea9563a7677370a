"""CEPII BACI: bilateral trade by HS6 product, all countries, from the bulk zip.

The release page (https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37) links
``BACI_{HS}_V{release}.zip`` under ``/DATA_DOWNLOAD/baci/data/``. The zip holds one
``BACI_{HS}_Y{year}_V{release}.csv`` per year (columns t, i, j, k, v, q: year, exporter,
importer, HS6 product, value in thousands of US dollars, quantity in tonnes), plus
``country_codes_V{release}.csv`` and ``product_codes_{HS}_V{release}.csv``. Members are read as
streams from the zip (never unpacked to disk), filtered to the scope and summed to HS4.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kakehashi.connectors.base import ConnectorError, Progress, RawRecord, record, release_dir
from kakehashi.connectors.core import COMPARATORS, LAC33, Codes, Unmapped, hs_section, table
from kakehashi.connectors.http import Fetcher
from kakehashi.provenance import License, Source
from kakehashi.schema.tables import PRODUCT_TRADE

SOURCE_ID = "baci"
LICENSE = "Etalab Open Licence 2.0"
DEFAULT_HS = "HS12"
DATA_COLUMNS = ("t", "i", "j", "k", "v", "q")
SUPERSEDES: dict[str, tuple[str, ...]] = {}
_LINK = re.compile(r"BACI_(HS\d\d)_V(\d{6}[a-z]?)\.zip")
SOURCES = {SOURCE_ID: Source(
    id=SOURCE_ID, title="CEPII BACI: reconciled bilateral trade by product (bulk files)",
    publisher="CEPII", url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
    origin="BACI_{HS}_V{release}.zip from the CEPII download area", version="", retrieved="",
    license=License(LICENSE, "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    citation="Gaulier, G. and Zignago, S. (2010) BACI: International Trade Database at the "
             "Product-Level. The 1994-2007 Version. CEPII Working Paper 2010-23.",
    units="Current US dollars (BACI v in thousands, multiplied by 1,000)",
    coverage="Exports between Japan, China, the USA, Korea and each LAC33 country (both "
             "directions), by HS 4-digit heading, for the requested years.",
    caveats="Reconciled mirror data (exports FOB): not what either country reported. Rows "
            "are exporter's view (flow 'export'); HS codes are those of the BACI nomenclature "
            "release (e.g. HS2012), descriptions are HS2022 where the code exists there.",
    derivation="HS6 rows summed to HS4; values x 1,000.",
)}


def latest_release(fetcher: Fetcher, hs: str) -> str:
    page = fetcher.settings.base_urls["baci_page"]
    resp = fetcher.get(SOURCE_ID, page, expect="html")
    found = sorted({v for h, v in _LINK.findall(resp.body.decode("utf-8", "replace"))
                    if h == hs})
    if not found:
        raise ConnectorError(SOURCE_ID, page, f"no BACI_{hs}_V….zip link on the release page",
                             "CEPII changed its page: pass --release V2025xx, or see "
                             "docs/updates.md.")
    return f"V{found[-1]}"


def fetch(fetcher: Fetcher, years: tuple[int, int], progress: Progress | None = None,
          release: str | None = None, hs: str = DEFAULT_HS, sha256: str | None = None,
          size: int | None = None) -> list[RawRecord]:
    release = release or latest_release(fetcher, hs)
    name = f"BACI_{hs}_{release}.zip"
    url = f"{fetcher.settings.url('baci_data')}/{name}"
    dest = release_dir(fetcher.settings, SOURCE_ID, release) / name
    got = fetcher.download(SOURCE_ID, url, dest, expect="zip", sha256=sha256, size=size,
                           progress=progress)
    _members(dest, url)  # check the zip's layout now, before anything is built
    return [record(SOURCE_ID, dest, url, got.retrieved_at, release, LICENSE, kind="zip",
                   hs=hs, years=list(years), resumed=got.resumed)]


def _members(path: Any, url: str) -> tuple[dict[int, str], str]:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ConnectorError(SOURCE_ID, url, f"the zip is damaged ({exc})",
                             "Delete it and run the update again.") from None
    with zf:
        data = {int(m.group(1)): n for n in zf.namelist()
                if (m := re.search(r"BACI_HS\d\d_Y(\d{4})_V\w+\.csv$", n))}
        codes = [n for n in zf.namelist() if re.search(r"country_codes_V\w+\.csv$", n)]
    if not data or not codes:
        raise ConnectorError(SOURCE_ID, url, "the zip lacks the BACI_…_Y…csv or "
                             "country_codes_V….csv members", "CEPII changed the file layout; "
                             "see docs/updates.md.")
    return data, codes[0]


def _country_codes(zf: zipfile.ZipFile, member: str, url: str) -> dict[int, str]:
    with zf.open(member) as fh:
        reader = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig"))
        header = reader.fieldnames or []
        iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in header), None)
        if "country_code" not in header or iso_col is None:
            raise ConnectorError(SOURCE_ID, url, f"{member} has columns {header}, expected "
                                 "country_code and country_iso3", "CEPII changed the file; "
                                 "see docs/updates.md.")
        return {int(r["country_code"]): r[iso_col].strip() for r in reader}


def _read_year(zf: zipfile.ZipFile, member: str, url: str, exporters: pa.Array,
               importers: pa.Array) -> pa.Table:
    types = {"t": pa.int16(), "i": pa.int32(), "j": pa.int32(), "k": pa.string(),
             "v": pa.float64(), "q": pa.string()}
    parts = []
    with zf.open(member) as fh:
        try:
            reader = pacsv.open_csv(fh, convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=["t", "i", "j", "k", "v"]))
        except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
            raise ConnectorError(SOURCE_ID, url, f"{member}: {exc}", "CEPII changed the "
                                 "columns (expected t,i,j,k,v,q); see docs/updates.md.") from None
        try:
            for batch in reader:
                keep = pc.and_(pc.is_in(batch["i"], value_set=exporters),
                               pc.is_in(batch["j"], value_set=importers))
                parts.append(pa.Table.from_batches([batch]).filter(keep))
        except pa.ArrowInvalid as exc:
            raise ConnectorError(SOURCE_ID, url, f"{member}: {exc}", "The file is damaged; "
                                 "delete it and run the update again.") from None
    if not parts:
        return pa.table({"t": [], "i": [], "j": [], "hs4": [], "v": []})
    rows = pa.concat_tables(parts)
    hs6 = pc.utf8_lpad(pc.utf8_trim_whitespace(rows["k"]), 6, "0")
    rows = rows.append_column("hs4", pc.utf8_slice_codeunits(hs6, 0, 4))
    return rows.group_by(["t", "i", "j", "hs4"]).aggregate([("v", "sum")]).rename_columns(
        ["t", "i", "j", "hs4", "v"])


def to_core(records: Sequence[RawRecord], codes: Codes, unmapped: Unmapped
            ) -> dict[str, pa.Table]:
    out: list[dict[str, Any]] = []
    for rec in records:
        years = rec.extra.get("years") or (0, 9999)
        data, code_member = _members(rec.path, rec.url)
        with zipfile.ZipFile(rec.path) as zf:
            country = _country_codes(zf, code_member, rec.url)
            by_iso = {iso: num for num, iso in country.items()}
            left = [by_iso[c] for c in COMPARATORS if c in by_iso]
            right = [by_iso[c] for c in LAC33 if c in by_iso]
            exporters, importers = pa.array(left + right, pa.int32()), pa.array(
                left + right, pa.int32())
            for year in sorted(y for y in data if years[0] <= y <= years[1]):
                rows = _read_year(zf, data[year], rec.url, exporters, importers)
                for r in rows.to_pylist():
                    exp, imp = country.get(r["i"], ""), country.get(r["j"], "")
                    if (exp in COMPARATORS) == (imp in COMPARATORS):
                        continue  # keep comparator <-> LAC33 only
                    if codes.iso3 and (exp not in codes.iso3 or imp not in codes.iso3):
                        for col, iso in (("i", exp), ("j", imp)):
                            if iso not in codes.iso3:
                                unmapped.add(data[year], col, iso or str(r[col]))
                        continue
                    hs2 = r["hs4"][:2]
                    if hs_section(hs2) is None:
                        unmapped.skip(data[year], "k", r["hs4"])  # e.g. chapter 99
                        continue
                    out.append({"reporter_iso3": exp, "partner_iso3": imp, "flow": "export",
                                "year": int(r["t"]), "hs_section": hs_section(hs2),
                                "hs2": hs2, "hs4": r["hs4"], "hs2_description": None,
                                "hs4_description": None, "value_usd": r["v"] * 1000.0,
                                "source_id": SOURCE_ID})
    return {"product_trade": table(PRODUCT_TRADE, out)}
