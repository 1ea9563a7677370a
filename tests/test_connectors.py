"""Each connector against a local replay of its publisher: values, faults, the store's safety.

Fixture values: WDI GDP and Japan's net ODA, IMF trade and OECD DAC2A net ODA are the real
published figures (from the project's WDI and IMF DOTS raw files); the Comtrade, CRS and BACI
figures are illustrative, in the documented shapes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from fakes.publishers import FakePublishers, baci_zip, running
from kakehashi.connectors import baci, comtrade, imf, oecd, wdi
from kakehashi.connectors.base import ConnectorError, load_record
from kakehashi.connectors.core import LAC33_M49, Unmapped
from kakehashi.connectors.http import Fetcher
from kakehashi.connectors.update import read_codes, update
from kakehashi.errors import UnmappedCodes
from kakehashi.provenance import sha256_of
from kakehashi.store.reader import LOCKDOWN

SMALL = {"wdi": {"indicators": ("NY.GDP.MKTP.CD", "DC.DAC.JPNL.CD")},
         "imf": {"reporters": ("JPN",)}, "comtrade": {"reporters": ("JPN",)},
         "baci": {}, "oecd": {}}
YEARS = {"wdi": (2022, 2023), "imf": (2019, 2020), "comtrade": (2022, 2023),
         "oecd": (2022, 2023), "baci": (2022, 2023)}


@pytest.fixture()
def server() -> Iterator[FakePublishers]:
    with running() as s:
        yield s


@pytest.fixture()
def store(store_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store" / "kakehashi.duckdb"
    target.parent.mkdir()
    shutil.copyfile(store_path, target)
    return target


def run(server: FakePublishers, tmp_path: Path, store: Path, source: str, **kw: Any) -> Any:
    with Fetcher(server.settings(tmp_path, **kw.pop("settings", {}))) as f:
        return update(store, [source], kw.pop("years", YEARS[source]), fetcher=f,
                      options=SMALL, **kw)


def rows(store: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(store), read_only=True, config=dict(LOCKDOWN))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def convert(module: Any, server: FakePublishers, tmp_path: Path, store_path: Path,
            **kw: Any) -> tuple[list[Any], dict[str, Any], Unmapped]:
    unmapped = Unmapped()
    with Fetcher(server.settings(tmp_path)) as f:
        name = module.__name__.rsplit(".", 1)[1]
        records = module.fetch(f, YEARS[name], None, **{**SMALL[name], **kw})
    tables = module.to_core(records, read_codes(store_path), unmapped)
    return records, {k: sorted(v.to_pylist(), key=str) for k, v in tables.items()}, unmapped


def test_lac33_codes_match_the_store(store_path: Path) -> None:
    found = dict(rows(store_path, "SELECT iso3, m49 FROM countries WHERE is_lac33"))
    assert found == LAC33_M49


def test_wdi_pages_provenance_and_values(server: FakePublishers, tmp_path: Path,
                                         store_path: Path) -> None:
    records, tables, unmapped = convert(wdi, server, tmp_path, store_path)
    assert [r.path.name for r in records] == ["NY.GDP.MKTP.CD_p1.json",
                                             "NY.GDP.MKTP.CD_p2.json", "DC.DAC.JPNL.CD_p1.json"]
    side = load_record(records[0].sidecar())
    assert side.sha256 == sha256_of(records[0].path) and side.release == "WDI 2025-07-01"
    assert "date=2022:2023" in side.url and "format=json" in side.url
    macro = {(r["country_iso3"], r["year"]): r["value"] for r in tables["macro_indicators"]}
    assert macro == {("LCN", 2022): 6147092422711.93, ("LCN", 2023): 6909980461601.21,
                     ("MEX", 2022): 1466934724243.38, ("MEX", 2023): 1794410347718.25,
                     ("BRA", 2022): 1951923942083.32, ("BRA", 2023): 2191131765684.63}
    oda = {(r["recipient_iso3"], r["year"]): r["value_usd"] for r in tables["official_finance"]}
    assert oda == {("BRA", 2022): 8897097.0, ("BRA", 2023): 154528519.0,
                   ("MEX", 2022): 23026569.0, ("MEX", 2023): 4806623.0,
                   ("LCN", 2022): 674464298.0}
    assert {r["source_id"] for r in tables["official_finance"]} == {"wdi_api"}
    assert not unmapped.items


def test_imf_imts_sdmx_csv(server: FakePublishers, tmp_path: Path, store_path: Path) -> None:
    _, tables, unmapped = convert(imf, server, tmp_path, store_path)
    got = {(r["partner_iso3"], r["flow"], r["year"]): r["value_usd"]
           for r in tables["trade_flows"]}
    assert got == {("MEX", "export", 2019): 10636913428.0, ("MEX", "export", 2020): 8367821064.0,
                   ("BRA", "export", 2019): 3763155309.0, ("BRA", "export", 2020): 2942870273.0,
                   ("MEX", "import", 2019): 6001384534.0, ("MEX", "import", 2020): 5428851106.0,
                   ("BRA", "import", 2019): 7977670094.0, ("BRA", "import", 2020): 7104865847.0}
    assert {(r["valuation"], r["flow"]) for r in tables["trade_flows"]} == {
        ("FOB", "export"), ("CIF", "import")}
    assert list(unmapped.skipped) == [("IMTS_JPN_XG_FOB_USD.csv", "COUNTERPART_COUNTRY",
                                       "G001")]
    _, path, headers = server.hits("imf")[0]
    assert "/IMF.STA/IMTS/+/JPN.XG_FOB_USD.*.A?" in path
    assert parse_qs(urlsplit(path).query)["c[TIME_PERIOD]"] == ["ge:2019+le:2020"]
    assert headers["accept"].startswith("application/vnd.sdmx.data+csv;version=2.0.0")


def test_comtrade_guest_mode(server: FakePublishers, tmp_path: Path, store_path: Path) -> None:
    _, tables, _ = convert(comtrade, server, tmp_path, store_path)
    hits = server.hits("comtrade")
    assert all("/public/v1/preview/C/A/HS" in h[1] for h in hits)
    assert all("ocp-apim-subscription-key" not in h[2] for h in hits)
    assert len(hits) == 2 * 17  # guest cap 500: 2 years x 17 partner batches of 2
    assert {(r["partner_iso3"], r["flow"], r["year"], r["value_usd"])
            for r in tables["trade_flows"]} == {
        ("MEX", "export", 2022, 12718474120.0), ("MEX", "import", 2022, 7001953362.0),
        ("BRA", "import", 2022, 8706323153.0), ("MEX", "export", 2023, 13212036871.0)}
    assert {(r["partner_iso3"], r["hs2"], r["value_usd"]) for r in tables["trade_by_chapter"]} \
        == {("MEX", "87", 3061254478.0), ("MEX", "84", 2988211035.0), ("BRA", "26", 3560180211.0)}


def test_comtrade_with_key_uses_the_data_api(server: FakePublishers, tmp_path: Path,
                                             store: Path) -> None:
    report = run(server, tmp_path, store, "comtrade", settings={"comtrade_key": "test-key"})
    hits = server.hits("comtrade")
    assert len(hits) == 1 and "/data/v1/get/C/A/HS" in hits[0][1]
    assert hits[0][2]["ocp-apim-subscription-key"] == "test-key"
    assert {(c.table, c.rows_new) for c in report.changes} == {("trade_flows", 4),
                                                               ("trade_by_chapter", 3)}


def test_comtrade_bad_key_says_what_to_do(server: FakePublishers, tmp_path: Path,
                                          store: Path) -> None:
    before = sha256_of(store)
    with pytest.raises(ConnectorError, match="HTTP 401.*check the API key"):
        run(server, tmp_path, store, "comtrade", settings={"comtrade_key": "wrong"})
    assert sha256_of(store) == before


def test_oecd_dac2a_and_crs(server: FakePublishers, tmp_path: Path, store_path: Path) -> None:
    records, tables, _ = convert(oecd, server, tmp_path, store_path)
    assert {r.source_id for r in records} == {"oecd_dac2a_api", "oecd_crs_api"}
    assert {(r["recipient_iso3"], r["year"], r["value_usd"]) for r in tables["official_finance"]
            } == {("BRA", 2022, 8897097.0), ("BRA", 2023, 154528519.0),
                  ("MEX", 2022, 23026569.0), ("MEX", 2023, 4806623.0)}
    assert {(r["recipient_iso3"], r["sector_code"], r["value_usd"])
            for r in tables["oda_by_sector"]} == {("BRA", "1000", 61254000.0),
                                                  ("BRA", "120", 3218000.0),
                                                  ("MEX", "1000", 45002000.0)}
    urls = [h[1] for h in server.hits("oecd")]
    assert "DSD_DAC2@DF_DAC2A,/JPN+USA+KOR.ARG+ATG" in urls[0] and ".206.USD.V?" in urls[0]
    assert "..100._T._T.D.V._T..?" in urls[1] and "format=csvfile" in urls[1]


def test_baci_release_page_zip_stream_and_hs4(server: FakePublishers, tmp_path: Path,
                                              store_path: Path) -> None:
    records, tables, _ = convert(baci, server, tmp_path, store_path)
    assert records[0].release == "V202501" and records[0].path.name == "BACI_HS12_V202501.zip"
    assert not list(records[0].path.parent.glob("*.csv"))  # never unpacked
    got = {(r["reporter_iso3"], r["partner_iso3"], r["year"], r["hs4"]):
           (r["value_usd"], r["hs_section"], r["flow"]) for r in tables["product_trade"]}
    assert got == {("JPN", "MEX", 2022, "8703"): (1234668391.0, 17, "export"),
                   ("BRA", "CHN", 2022, "2601"): (20000000125.0, 5, "export"),
                   ("BRA", "JPN", 2022, "0202"): (52250.0, 1, "export"),
                   ("JPN", "MEX", 2023, "8703"): (1300000000.0, 17, "export"),
                   ("USA", "BRA", 2023, "8703"): (75000.0, 17, "export")}


def test_baci_changed_column_is_named(server: FakePublishers, tmp_path: Path,
                                      store: Path) -> None:
    server.zip = baci_zip(rename=(b"t,i,j,k,v,q", b"t,i,j,k,value,q"))
    before = sha256_of(store)
    with pytest.raises(ConnectorError, match="BACI_HS12_Y2022_V202501.csv.*expected t,i,j"):
        run(server, tmp_path, store, "baci")
    assert sha256_of(store) == before


@pytest.mark.parametrize("source", ["wdi", "imf", "comtrade", "oecd", "baci"])
def test_transient_faults_then_success(source: str, server: FakePublishers, tmp_path: Path,
                                       store: Path) -> None:
    route = "baci" if source == "baci" else source
    server.fault(route, "500", "truncate")
    report = run(server, tmp_path, store, source)
    assert report.changes and all(c.rows_total > 0 for c in report.changes)
    assert not list(store.parent.glob("*.tmp-*"))


@pytest.mark.parametrize("source", ["wdi", "imf", "comtrade", "oecd"])
@pytest.mark.parametrize(("fault", "message"), [
    ("html", "HTML page"), ("changed_column", "lack"), ("empty", "empty"),
    ("truncate", "cut off")])
def test_fault_leaves_the_store_untouched(source: str, fault: str, message: str,
                                          server: FakePublishers, tmp_path: Path,
                                          store: Path) -> None:
    before = sha256_of(store)
    server.sticky[source] = fault
    with pytest.raises(ConnectorError, match=message):
        run(server, tmp_path, store, source)
    assert sha256_of(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["kakehashi.duckdb",
                                                              "kakehashi.duckdb.update.lock"]


def test_timeout_and_429_are_survived(server: FakePublishers, tmp_path: Path,
                                      store: Path) -> None:
    server.fault("oecd", "timeout", "429")
    report = run(server, tmp_path, store, "oecd")
    assert {c.source_id for c in report.changes} == {"oecd_dac2a_api", "oecd_crs_api"}


def test_unmapped_codes_stop_the_update_and_are_listed(server: FakePublishers, tmp_path: Path,
                                                       store: Path) -> None:
    server.variant["comtrade"] = "_unmapped"
    before = sha256_of(store)
    with pytest.raises(UnmappedCodes, match="partnerCode='999'"):
        run(server, tmp_path, store, "comtrade")
    assert sha256_of(store) == before
    report = run(server, tmp_path, store, "comtrade", skip_unmapped=True)
    assert any(v == "999" for _, _, v, _ in report.unmapped_skipped)


def test_update_all_connectors_into_the_store(server: FakePublishers, tmp_path: Path,
                                              store: Path) -> None:
    with Fetcher(server.settings(tmp_path)) as f:
        report = update(store, ["wdi", "imf", "comtrade", "oecd", "baci"], (2019, 2023),
                        fetcher=f, options=SMALL)
    assert (store.parent / "kakehashi.duckdb.previous").is_file()
    by = {(c.source_id, c.table): c for c in report.changes}
    # Live WDI rows supersede the bundled ones for the same key.
    assert by[("wdi_api", "macro_indicators")].rows_replaced == 6
    assert rows(store, "SELECT source_id, value FROM macro_indicators WHERE country_iso3 = "
                       "'MEX' AND indicator_code = 'NY.GDP.MKTP.CD' AND year = 2023") == [
        ("wdi_api", 1794410347718.25)]
    assert rows(store, "SELECT source_id FROM macro_indicators WHERE country_iso3 = 'MEX' "
                       "AND indicator_code = 'NY.GDP.MKTP.CD' AND year = 2024") == [("wdi",)]
    assert rows(store, "SELECT hs4_description IS NOT NULL FROM product_trade WHERE "
                       "source_id = 'baci' AND hs4 = '8703' LIMIT 1") == [(True,)]
    versions = rows(store, "SELECT source_id, table_name, rows_total FROM data_versions "
                           "ORDER BY version_id")
    assert {(s, t) for s, t, _ in versions} == set(by)
    assert rows(store, "SELECT version FROM sources WHERE source_id = 'baci'") == [("V202501",)]
    assert rows(store, "SELECT count(*) FROM source_files WHERE source_id = 'wdi_api'") == [(3,)]
    assert rows(store, "SELECT row_count FROM table_catalog WHERE table_name = "
                       "'oda_by_sector'") == [(3,)]


def test_offline_reapplies_the_last_fetch(server: FakePublishers, tmp_path: Path,
                                          store: Path) -> None:
    run(server, tmp_path, store, "imf")
    settings = server.settings(tmp_path)
    server.sticky["imf"] = "500"  # the network is not used
    report = update(store, ["imf"], (2019, 2020), settings=settings, offline=True)
    assert report.requests == 0 and report.changes[0].rows_replaced == 8


def test_baci_update_answers_product_questions_and_feeds_the_lake(
        server: FakePublishers, tmp_path: Path, store: Path) -> None:
    from kakehashi import product_questions as pq
    from kakehashi.store import lake as product_lake
    from kakehashi.store import open_store

    run(server, tmp_path, store, "baci")
    s = open_store(store)
    try:
        # without a lake: the HS4 rows the update added (fixture values x 1,000)
        a = pq.top(s, "MEX", then="2022", now="2023", lake=tmp_path / "no-lake")
        assert a.provenance[0]["source_id"] == "baci" and "kakehashi update" in a.notes
        row = next(r for r in a.data if r["product"] == "8703")
        assert row["value_then"] == pytest.approx((1234567.891 + 100.5) * 1000)
        assert row["value_now"] == pytest.approx(1300000.0 * 1000)
        # the downloaded release zip goes into the lake as it is, at HS6
        archive = next(tmp_path.rglob("BACI_HS12_V202501.zip"))
        lake = tmp_path / "lake"
        report = product_lake.ingest([archive], lake)
        assert report.years == [2022, 2023] and report.rows == 8
        r = pq.rca(s, "BRA", years="2022", lake=lake)
        iron = next(x for x in r.data if x["product"] == "260111")
        world = 1234567.891 + 100.5 + 20000000.125 + 52.25 + 999.0 + 888.0
        assert iron["rca"] == pytest.approx(world / (20000000.125 + 52.25))
        assert iron["description"] == "Iron ores and concentrates; non-agglomerated"  # BACI's
    finally:
        s.close()
