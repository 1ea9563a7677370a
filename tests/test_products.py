"""Product-level trade (issue 8): the product lake and the product analytics, on DuckDB and
Spark, against values worked out by hand (small files in BACI's exact format) and from the
raw Mexico HS4 file (real data)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import pytest

from kakehashi import product_questions as pq
from kakehashi.analytics import products
from kakehashi.analytics.periods import Period
from kakehashi.errors import InputError, InvalidRequest, NotFound, UnmappedCodes
from kakehashi.store import Store
from kakehashi.store import lake as product_lake
from kakehashi.store.engines import duckdb_tables, spark_tables

# BACI's layout: t,i,j,k,v,q (v in thousands of USD; k without leading zeros; q may be NA)
CODES = {392: "JPN", 604: "PER", 484: "MEX", 156: "CHN", 842: "USA", 276: "DEU"}
Y2019 = [
    (392, 604, "870323", 100), (392, 604, "847130", 50), (604, 392, "260300", 400),
    (604, 392, "80440", 20), (156, 604, "847130", 300), (604, 156, "260300", 900),
    (842, 604, "870323", 200), (484, 392, "80440", 60), (276, 392, "870323", 500),
    (392, 842, "870323", 1000),
]
Y2020 = [
    (392, 604, "870323", 150), (392, 604, "300490", 30), (604, 392, "260300", 500),
    (484, 392, "80440", 60), (276, 392, "870323", 500), (392, 842, "870323", 1000),
    (156, 604, "847130", 350),
]


def write_baci(folder: Path, year: int, rows: list[tuple[int, int, str, float]],
               q: str = "NA") -> Path:
    path = folder / f"BACI_HS17_Y{year}_V202401.csv"
    lines = ["t,i,j,k,v,q"] + [f"{year},{i},{j},{k},{v:.3f},{q}" for i, j, k, v in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_codes(folder: Path) -> Path:
    path = folder / "country_codes_V202401.csv"
    lines = ["country_code,country_name,country_iso2,country_iso3"]
    lines += [f"{c},name {iso},{iso[:2]},{iso}" for c, iso in CODES.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def baci_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("baci")
    write_codes(folder)
    return [write_baci(folder, 2019, Y2019), write_baci(folder, 2020, Y2020, q="  12.5")]


@pytest.fixture(scope="module")
def lake(baci_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lake")
    product_lake.ingest(baci_files, root)
    return root


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def flows(request: pytest.FixtureRequest, lake: Path) -> Iterator[ir.Table]:
    if request.param == "duckdb":
        with product_lake.duckdb_flows(lake) as t:
            yield products.from_lake(t["product_flows"])
    else:
        yield products.from_lake(product_lake.spark_flows(lake)["product_flows"])


@pytest.fixture(scope="module")
def sections(store: Store) -> ir.Table:
    with duckdb_tables(store) as t:
        arrow = products.chapter_sections(t["hs_products"], t["hs_sections"]).to_pyarrow()
    return ibis.memtable(arrow)


def df(expr: ir.Table) -> pd.DataFrame:
    return expr.to_pandas()


# ---------------------------------------------------------------- the lake


def test_ingest_writes_typed_partitioned_rows(lake: Path) -> None:
    mf = product_lake.manifest(lake)
    assert mf["years"] == [2019, 2020] and mf["rows"] == len(Y2019) + len(Y2020)
    assert mf["revision"] == "HS17" and {f["release"] for f in mf["files"]} == {"202401"}
    assert all(len(f["sha256"]) == 64 for f in mf["files"])
    assert mf["country_codes"].startswith("country_codes_V202401.csv")
    with product_lake.duckdb_flows(lake) as t:
        rows = df(t["product_flows"])
    assert set(rows.hs6) == {"870323", "847130", "260300", "080440", "300490"}
    peru = rows[(rows.year == 2019) & (rows.exporter_iso3 == "PER")
                & (rows.importer_iso3 == "JPN") & (rows.hs6 == "260300")]
    assert peru.value_usd.tolist() == [400_000.0]
    assert rows[rows.year == 2019].quantity_t.isna().all()
    assert (rows[rows.year == 2020].quantity_t == 12.5).all()
    parts = sorted(p.name for p in (lake / "current" / "product_flows").iterdir())
    assert parts == ["year=2019", "year=2020"]


def test_reingest_changes_nothing(lake: Path, baci_files: list[Path]) -> None:
    before = (lake / "current").resolve()
    report = product_lake.ingest(baci_files, lake)
    assert report.unchanged and (lake / "current").resolve() == before


def test_bad_files_are_named_and_the_lake_is_kept(lake: Path, tmp_path: Path) -> None:
    before = (lake / "current").resolve()
    write_codes(tmp_path)
    bad_value = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    bad_value.write_text("t,i,j,k,v,q\n2021,392,604,870323,1.5,NA\n2021,392,604,870323,abc,NA\n")
    with pytest.raises(InputError) as exc:
        product_lake.ingest([bad_value], lake)
    assert exc.value.line == 3 and exc.value.column == "v" and bad_value.name in str(exc.value)
    header = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    header.write_text("year,exporter,importer\n2022,1,2\n")
    with pytest.raises(InputError, match="expected t,i,j,k,v,q"):
        product_lake.ingest([header], lake)
    unknown = tmp_path / "BACI_HS17_Y2023_V202401.csv"
    unknown.write_text("t,i,j,k,v,q\n2023,392,999,870323,1.5,NA\n")
    with pytest.raises(UnmappedCodes, match="999"):
        product_lake.ingest([unknown], lake)
    binary = tmp_path / "BACI_HS17_Y2024_V202401.csv"
    binary.write_bytes(gzip.compress(b"t,i,j,k,v,q\n"))
    with pytest.raises(InputError, match="not text"):
        product_lake.ingest([binary], lake)
    other = tmp_path / "BACI_HS92_Y2019_V202401.csv"
    other.write_text("t,i,j,k,v,q\n2019,392,604,870323,1.5,NA\n")
    with pytest.raises(InputError, match="HS92"):
        product_lake.ingest([other], lake)
    assert (lake / "current").resolve() == before
    assert product_lake.manifest(lake)["years"] == [2019, 2020]
    assert not list((lake / "versions").glob("*.tmp"))


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_rows_the_lake_cannot_use_are_named_by_line(engine: str, tmp_path: Path) -> None:
    write_codes(tmp_path)
    root = tmp_path / "lake"
    good = write_baci(tmp_path, 2019, Y2019[:2])
    product_lake.ingest([good], root, engine=engine)
    before = (root / "current").resolve()
    cases = {  # file body after the header -> (line, what the message says)
        "2021,392,604,870323,1.5,NA\n2021,392,604,8703231,2.5,NA\n": (3, "8703231"),
        "2021,392,604,870323,1.5,NA\n2021,392,604,0,2.5,NA\n": (3, "k=0"),
        "2021,392,604,870323,1.5,NA\n2021,392,604,870323,,NA\n": (3, "v=None"),
        "2021,392,604,87x323,1.5,NA\n": (2, "k"),
        "2021,392,604,870323,1.5,n/a\n": (2, "q"),
    }
    for n, (body, (line, said)) in enumerate(cases.items()):
        bad = tmp_path / f"BACI_HS17_Y2021_V20240{n}.csv"
        bad.write_text("t,i,j,k,v,q\n" + body)
        with pytest.raises(InputError) as exc:
            product_lake.ingest([bad], root, engine=engine)
        assert bad.name in str(exc.value) and said in str(exc.value), str(exc.value)
        if engine == "duckdb" or said.startswith(("k=", "v=", "8")):
            assert exc.value.line == line, str(exc.value)
    renamed = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    renamed.write_text("t,i,j,k,v,q\n2021,392,604,870323,1.5,NA\n")
    with pytest.raises(InputError, match="named for 2022 but holds rows for 2021"):
        product_lake.ingest([renamed], root, engine=engine)
    assert (root / "current").resolve() == before
    assert product_lake.manifest(root)["years"] == [2019]


def test_padded_and_empty_quantities_are_missing(tmp_path: Path) -> None:
    write_codes(tmp_path)
    path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    path.write_text("t,i,j,k,v,q\n2019,392,604,870323,1.5,           NA\n"
                    "2019,392,604,10121,2.5,\n2019,392,604,847130,2.5,   0.125\n")
    product_lake.ingest([path], tmp_path / "lake")
    with product_lake.duckdb_flows(tmp_path / "lake") as t:
        rows = df(t["product_flows"]).set_index("hs6").sort_index()
    assert rows.index.tolist() == ["010121", "847130", "870323"]
    assert rows.quantity_t.isna().tolist() == [True, False, True]
    assert rows.loc["847130", "quantity_t"] == 0.125


def test_a_padded_na_past_the_sniffed_start_is_read_too(tmp_path: Path) -> None:
    write_codes(tmp_path)
    path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    body = "".join(f"2019,392,604,{k},1.0,2.0\n" for k in range(100_000, 160_000))
    path.write_text("t,i,j,k,v,q\n" + body + "2019,392,604,870323,1.5,      NA\n")
    assert path.stat().st_size > 1 << 20
    report = product_lake.ingest([path], tmp_path / "lake")
    assert report.rows == 60_001
    with product_lake.duckdb_flows(tmp_path / "lake") as t:
        f = t["product_flows"]
        got = f.filter(f.hs6 == "870323").quantity_t.to_pyarrow().to_pylist()
        n_q = f.quantity_t.count().to_pyarrow().as_py()
    assert got == [None] and n_q == 60_000


def test_null_counts_and_years_without_parquet_statistics(tmp_path: Path) -> None:
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kakehashi.store.lake.ingest import _written

    table = pa.table({"year": [2019, 2019, None], "exporter_iso3": ["JPN", None, "PER"],
                      "importer_iso3": ["PER", "JPN", "JPN"], "hs6": ["870323", None, None],
                      "value_usd": [1.0, 2.0, 3.0]})
    (tmp_path / "year=2019").mkdir()
    for name, stats in (("with", True), ("without", False)):
        pq.write_table(table, tmp_path / "year=2019" / f"{name}.parquet",
                       write_statistics=stats)
        got = _written(duckdb.connect(), f"'{tmp_path}/year=2019/{name}.parquet'")
        assert got == {str(tmp_path / "year=2019" / f"{name}.parquet"): ({
            "year": 1, "exporter_iso3": 1, "importer_iso3": 0, "hs6": 2, "value_usd": 0},
            {2019})}


def test_codes_longer_than_baci_s_are_reported_unmapped(tmp_path: Path) -> None:
    codes = write_codes(tmp_path)
    codes.write_text(codes.read_text() + "12345,Somewhere,SW,SWZ\n")
    path = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    path.write_text("t,i,j,k,v,q\n2019,392,604,870323,1.5,NA\n2019,12345,392,870323,2.5,NA\n")
    with pytest.raises(UnmappedCodes) as exc:
        product_lake.ingest([path], tmp_path / "lake")
    assert exc.value.items == [(path.name, "i", "12345", 1)]


def test_a_new_year_keeps_the_others(baci_files: list[Path], tmp_path: Path) -> None:
    root = tmp_path / "lake"
    product_lake.ingest(baci_files[:1], root)
    first = (root / "current").resolve()
    product_lake.ingest(baci_files[1:], root)
    assert product_lake.manifest(root)["years"] == [2019, 2020]
    assert (root / "current").resolve() != first and first.exists()  # kept for readers
    with product_lake.duckdb_flows(root) as t:
        assert t["product_flows"].count().to_pyarrow().as_py() == len(Y2019) + len(Y2020)


def test_reader_cannot_leave_the_lake(lake: Path) -> None:
    con = product_lake.reader_connection(product_lake.current_version(lake))
    with pytest.raises(Exception, match="[Pp]ermission"):
        con.execute("SELECT * FROM read_csv('/etc/hostname')").fetchall()
    con.close()


@pytest.mark.spark
def test_spark_ingest_writes_the_same_rows(baci_files: list[Path], lake: Path,
                                           tmp_path: Path) -> None:
    root = tmp_path / "spark-lake"
    report = product_lake.ingest(baci_files, root, engine="spark")
    assert report.rows == len(Y2019) + len(Y2020) and report.years == [2019, 2020]
    cols = ["year", "exporter_iso3", "importer_iso3", "hs6", "value_usd", "quantity_t"]
    with product_lake.duckdb_flows(root) as s, product_lake.duckdb_flows(lake) as d:
        a = df(s["product_flows"])[cols].sort_values(cols[:4]).reset_index(drop=True)
        b = df(d["product_flows"])[cols].sort_values(cols[:4]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


# ---------------------------------------------------------------- analytics (both engines)


def test_top_products_then_now(flows: ir.Table) -> None:
    t = df(products.top_products(flows, "JPN", "PER", Period(2019, 2019), Period(2020, 2020)))
    t = t.set_index("product")
    assert t.loc["870323"].value_then == 100_000 and t.loc["870323"].value_now == 150_000
    assert t.loc["870323"].rank_now == 1 and t.loc["870323"].status == "continuing"
    assert t.loc["847130"].status == "lost" and pd.isna(t.loc["847130"].rank_now)
    assert t.loc["300490"].status == "new" and t.loc["300490"].rank_now == 2
    assert t.loc["870323"].share_now_pct == pytest.approx(150 / 180 * 100)
    assert t.loc["870323"].share_then_pct == pytest.approx(100 / 150 * 100)


def test_new_and_lost(flows: ir.Table) -> None:
    t = df(products.new_and_lost(flows, "PER", "JPN", Period(2019, 2019), Period(2020, 2020)))
    assert t[["product", "status"]].values.tolist() == [["080440", "lost"]]


def test_section_shares(flows: ir.Table, sections: ir.Table) -> None:
    t = df(products.section_shares(flows, sections, "JPN", "PER", Period(2019, 2019),
                                   Period(2020, 2020))).set_index("section_number")
    assert t.loc[17].value_now == 150_000 and t.loc[6].value_now == 30_000
    assert t.loc[16].share_then_pct == pytest.approx(50 / 150 * 100)
    assert t.loc[16].share_now_pct == 0 and t.share_now_pct.sum() == pytest.approx(100)


def test_rca_by_hand(flows: ir.Table) -> None:
    t = df(products.rca(flows, ["PER"], Period(2019, 2019))).set_index("product")
    # world exports 2019 = 3,530; Peru's 1,320; copper ore world 1,300, Peru 1,300
    assert t.loc["260300"].rca == pytest.approx((1300 / 1320) / (1300 / 3530))
    assert t.loc["080440"].rca == pytest.approx((20 / 1320) / (80 / 3530))
    assert t.index[0] == "260300"


def test_complementarity_by_hand(flows: ir.Table) -> None:
    t = df(products.complementarity(flows, ["JPN"], ["PER"], Period(2019, 2019)))
    # Japan's exports: cars 1,100, computers 50; Peru's imports: cars 300, computers 350
    x = {"870323": 1100 / 1150, "847130": 50 / 1150}
    m = {"870323": 300 / 650, "847130": 350 / 650}
    by_def = 100 * (1 - sum(abs(m[k] - x[k]) for k in x) / 2)
    assert t.tci.iloc[0] == pytest.approx(by_def) and t.shared_products.iloc[0] == 2


def test_product_concentration_by_hand(flows: ir.Table) -> None:
    t = df(products.product_concentration(flows, "JPN", "PER", Period(2019, 2020)))
    assert t.year.tolist() == [2019, 2020]
    assert t.hhi.iloc[0] == pytest.approx((100 / 150) ** 2 + (50 / 150) ** 2)
    assert t.hhi.iloc[1] == pytest.approx((150 / 180) ** 2 + (30 / 180) ** 2)
    assert t.top5_share_pct.tolist() == pytest.approx([100, 100])


def test_sector_drivers_by_hand(flows: ir.Table, sections: ir.Table) -> None:
    t = df(products.sector_drivers(flows, sections, "JPN", ["PER", "MEX"], Period(2019, 2019),
                                   Period(2020, 2020))).set_index("section_number")
    # 2020 trade of Japan with Peru and Mexico: cars 150, medicines 30, copper 500, fruit 60
    assert t.loc[5].weight == pytest.approx(500 / 740 * 100)
    assert t.loc[17].weight == pytest.approx(150 / 740 * 100)
    assert t.loc[5].reliance == pytest.approx(100)  # all Japan's copper ore from Peru
    assert t.loc[17].reliance == 0  # Japan's car imports (500) all from Germany
    assert t.loc[17].market == pytest.approx(150 / 1150 * 100)
    assert t.loc[5].growth == pytest.approx(25.0)  # 400 -> 500 in one year
    # partners' RCA in section V, 2020: Peru+Mexico export 500+60 = 560, of it 500 copper;
    # world 2,590, of it copper 500
    assert t.loc[5].partner_rca == pytest.approx((500 / 560) / (500 / 2590))
    # the other way round, medicines (chapter 30) are traded then (2020) and not now (2019)
    back = df(products.sector_drivers(flows, sections, "JPN", ["PER", "MEX"],
                                      Period(2020, 2020), Period(2019, 2019)))
    back = back.set_index("section_number")
    assert back.loc[6].trade_then == pytest.approx(30_000) and back.loc[6].trade_now == 0
    assert pd.isna(back.loc[6].growth) and pd.isna(back.loc[6].partner_rca)


# ---------------------------------------------------------------- real Mexico HS4 data


@pytest.fixture(scope="module")
def raw_mexico(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "comtrade_mexico" / "mexico_trade_by_hs4_partner_2015_2021.csv.gz"
    return pd.read_csv(path, dtype={"hs4": str, "hs2": str})


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def mexico(request: pytest.FixtureRequest, store: Store) -> Iterator[ir.Table]:
    if request.param == "duckdb":
        with duckdb_tables(store) as t:
            yield products.from_reported(t["product_trade"])
    else:
        yield products.from_reported(spark_tables()["product_trade"])


def test_mexico_exports_to_japan_then_now(mexico: ir.Table, raw_mexico: pd.DataFrame) -> None:
    t = df(products.top_products(mexico, "MEX", "JPN", Period(2015, 2015), Period(2019, 2019),
                                 n=5)).set_index("product")
    raw = raw_mexico[(raw_mexico.flow == "export") & (raw_mexico.partner_iso3 == "JPN")]
    by = raw.groupby(["year", "hs4"]).value_usd.sum()
    assert t.loc["0203"].value_then == pytest.approx(by[(2015, "0203")])  # pork
    assert by[(2015, "0203")] / 1e6 == pytest.approx(326, abs=1)  # SOURCES.md check
    top_now = by[2019].sort_values(ascending=False)
    assert t[t.rank_now == 1].index[0] == top_now.index[0]
    assert t.loc[top_now.index[0]].share_now_pct == pytest.approx(
        top_now.iloc[0] / top_now.sum() * 100)


def test_mexico_imports_from_japan_concentration(mexico: ir.Table,
                                                 raw_mexico: pd.DataFrame) -> None:
    t = df(products.product_concentration(mexico, "JPN", "MEX", Period(2019, 2019)))
    raw = raw_mexico[(raw_mexico.flow == "import") & (raw_mexico.partner_iso3 == "JPN")
                     & (raw_mexico.year == 2019)]
    shares = raw.groupby("hs4").value_usd.sum()
    shares = shares[shares > 0] / shares.sum()
    assert t.products.iloc[0] == len(shares)
    assert t.hhi.iloc[0] == pytest.approx((shares ** 2).sum())
    assert t.top5_share_pct.iloc[0] == pytest.approx(shares.nlargest(5).sum() * 100)


def test_mexico_sections_imports_from_japan(mexico: ir.Table, sections: ir.Table,
                                            raw_mexico: pd.DataFrame) -> None:
    t = df(products.section_shares(mexico, sections, "JPN", "MEX", Period(2015, 2016),
                                   Period(2020, 2021))).set_index("section_number")
    raw = raw_mexico[(raw_mexico.flow == "import") & (raw_mexico.partner_iso3 == "JPN")]
    now = raw[raw.year.between(2020, 2021)]
    assert t.loc[16].value_now == pytest.approx(
        now[now.hs_section == 16].value_usd.sum() / 2)
    assert t.index[0] == 16  # machinery and electrical equipment lead


# ---------------------------------------------------------------- questions and CLI


def test_questions_fall_back_to_the_bundled_mexico_data(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "no-lake"
    a = pq.top(store, "MEX", direction="imports", then="2015", now="2019", lake=empty)
    assert "UN Comtrade" in a.notes and a.provenance[0]["source_id"] == "comtrade_mexico"
    assert a.data[0]["product"] == "0203" or a.data[0]["rank_now"] == 1
    with pytest.raises(NotFound, match="Mexico"):
        pq.top(store, "PER", lake=empty)
    with pytest.raises(NotFound, match="BACI"):
        pq.rca(store, "MEX", lake=empty)
    with pytest.raises(InvalidRequest, match="2015-2021"):
        pq.top(store, "MEX", then="2010", lake=empty)


def test_questions_on_the_lake(store: Store, lake: Path) -> None:
    a = pq.top(store, "PER", then="2019", now="2020", lake=lake)
    assert a.provenance[0]["source_id"] == "baci" and "HS17 release 202401" in \
        a.provenance[0]["version"]
    row = next(r for r in a.data if r["product"] == "870323")
    assert row["value_now"] == 150_000
    assert row["description"].startswith("Vehicles; with only spark-ignition")
    heads = pq.top(store, "PER", then="2019", now="2020", digits=4, lake=lake)
    assert {r["product"]: r["value_now"] for r in heads.data} == {
        "8703": 150_000, "3004": 30_000, "8471": 0}
    assert next(r for r in heads.data if r["product"] == "8703")["description"].startswith(
        "Motor cars")
    imp = pq.importance(store, "PER", then="2019", now="2020", lake=lake)
    assert imp.data[0]["rank"] == 1 and {"weight_contribution", "reliance_value"} <= set(
        imp.data[0])
    score = imp.data[0]["score"]
    contrib = sum(imp.data[0][f"{d}_contribution"] for d in pq.IMPORTANCE_DRIVERS)
    assert score == pytest.approx(contrib)
    comp = pq.complementarity(store, "PER", years="2019", lake=lake)
    jp = next(r for r in comp.data if r["comparator"] == "JPN"
              and r["direction"].startswith("comparator"))
    assert jp["tci"] == pytest.approx(100 * (300 / 650 + 50 / 1150))


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kakehashi", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=300)


def test_cli_ingest_and_ask(store_path: Path, baci_files: list[Path], tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    env = {"KAKEHASHI_STORE": str(store_path)}
    got = run_cli("products", "ingest", *map(str, baci_files), "--lake", str(lake), env=env)
    assert got.returncode == 0, got.stderr
    assert "Ingested 17 rows" in got.stderr
    got = run_cli("products", "top", "PER", "--then", "2019", "--now", "2020", "--lake",
                  str(lake), "--format", "json", env=env)
    assert got.returncode == 0, got.stderr
    answer = json.loads(got.stdout)
    assert {r["product"]: r["status"] for r in answer["data"]} == {
        "870323": "continuing", "300490": "new", "847130": "lost"}
    assert answer["provenance"][0]["license"] == "Etalab Open Licence 2.0"
    bad = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    bad.write_text("t,i,j,k,v,q\n2021,392,604,870323,x,NA\n")
    got = run_cli("products", "ingest", str(bad), "--lake", str(lake), "--country-codes",
                  str(baci_files[0].parent / "country_codes_V202401.csv"), env=env)
    assert got.returncode == 1 and "line 2" in got.stderr and "Traceback" not in got.stderr


# ---------------------------------------------------------------- HS concordance

# A WITS-layout excerpt: the HS2017 -> HS2022 split of 8517.12 (cellular telephones) into
# 8517.13 (smartphones) and 8517.14 (other), and two unchanged codes; plus a CONSTRUCTED merge
# of two made-up chapter-99 codes (no such HS codes exist) to exercise n:1.
WITS = ("HS 2017 Product Code,HS 2017 Product Description,HS 2022 Product Code,"
        "HS 2022 Product Description\n") + """\
851712,Telephones for cellular networks,851713,Smartphones
851712,Telephones for cellular networks,851714,Other telephones for cellular networks
870323,Cars 1500-3000cc,870323,Cars 1500-3000cc
847130,Portable computers,847130,Portable computers
990001,constructed test code,990000,constructed test code
990002,constructed test code,990000,constructed test code
"""


@pytest.fixture(scope="module")
def recoded_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recode")
    write_codes(folder)
    rows = [(392, 604, "851712", 80), (392, 604, "870323", 100), (392, 604, "990001", 5),
            (392, 604, "990002", 7)]
    files = [write_baci(folder, 2019, rows), write_baci(folder, 2020, rows)]
    (folder / "product_codes_HS17_V202401.csv").write_text(  # BACI's layout: code,description
        'code,description\n851712,"Telephones for cellular networks or for other wireless '
        'networks"\n')
    root = folder / "lake"
    product_lake.ingest(files, root)
    (folder / "wits.csv").write_text(WITS)
    entry = product_lake.load_concordance(root, folder / "wits.csv", "HS17", "HS22")
    assert entry["relationships"] == {"1:n": 2, "1:1": 2, "n:1": 2}
    return root


def test_concordance_recodes_and_warns(store: Store, recoded_lake: Path) -> None:
    a = pq.top(store, "PER", then="2019", now="2020", revision="HS22", lake=recoded_lake)
    got = {r["product"]: r["value_now"] for r in a.data}
    assert got == {"851713": 40_000, "851714": 40_000, "870323": 100_000, "990000": 12_000}
    assert "shared equally" in a.notes
    s = pq.splits(store, "PER", to_revision="HS22", years="2019-2020", lake=recoded_lake)
    assert [(r["product"], r["targets"]) for r in s.data] == [("851712", 2)]
    assert s.data[0]["description"].startswith("Telephones for cellular")  # HS2017 name
    assert s.data[0]["share_pct"] == pytest.approx(80 / 192 * 100)
    mf = product_lake.manifest(recoded_lake)
    assert mf["concordances"][0]["pairs"] == 6 and mf["years"] == [2019, 2020]
    assert mf["product_names"] == "product_codes_HS17_V202401.csv (1 codes)"
    with pytest.raises(InvalidRequest, match="concordance"):
        pq.top(store, "PER", then="2019", now="2020", revision="HS12", lake=recoded_lake)


def test_concordance_file_errors(recoded_lake: Path, tmp_path: Path) -> None:
    before = (recoded_lake / "current").resolve()
    bad = tmp_path / "bad.csv"
    bad.write_text("code_a,code_b\n851712,851713\n")
    with pytest.raises(InputError, match="no code column for HS17"):
        product_lake.load_concordance(recoded_lake, bad, "HS17", "HS22")
    bad.write_text("HS 2017 Product Code,HS 2022 Product Code\n8517,851713\n")
    with pytest.raises(InputError, match="line 2"):
        product_lake.load_concordance(recoded_lake, bad, "HS17", "HS22")
    assert (recoded_lake / "current").resolve() == before


def test_ingest_from_a_release_zip(baci_files: list[Path], tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in [*baci_files, baci_files[0].parent / "country_codes_V202401.csv"]:
            zf.write(f, f"BACI_HS17_V202401/{f.name}")
    root = tmp_path / "lake"
    assert product_lake.count_inputs([archive], (2020, 2020)) == 1
    report = product_lake.ingest([archive], root, years=(2020, 2020))
    assert report.years == [2020] and report.rows == len(Y2020)
    mf = product_lake.manifest(root)
    assert mf["files"][0]["path"].endswith("!BACI_HS17_V202401/BACI_HS17_Y2020_V202401.csv")
    assert mf["country_codes"].startswith("country_codes_V202401.csv")
    assert product_lake.ingest([archive], root, years=(2020, 2020)).unchanged
    assert not list(root.glob(".unzip-*"))
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable zip"):
        product_lake.ingest([junk], root)
