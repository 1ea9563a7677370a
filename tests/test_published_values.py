"""The store reproduces values the publishers state (checks listed in the shared SOURCES.md)."""

from __future__ import annotations

import pytest

from kakehashi.store import Store

MN = 1e6


def one(store: Store, sql: str, *params: object) -> float:
    rows = store.query(sql, params).rows
    assert len(rows) == 1, rows
    return float(rows[0][0])


def dots(store: Store, reporter: str, partner: str, flow: str, year: int) -> float:
    return one(store, "SELECT value_usd FROM trade_flows WHERE source_id = 'imf_dots' AND "
               "reporter_iso3 = ? AND partner_iso3 = ? AND flow = ? AND year = ?",
               reporter, partner, flow, year) / MN


@pytest.mark.parametrize(("reporter", "partner", "flow", "year", "usd_mn"), [
    ("JPN", "MEX", "export", 2019, 10_637),
    ("JPN", "MEX", "export", 2010, 9_576),
    ("JPN", "MEX", "export", 2015, 10_472),
    ("JPN", "CHL", "import", 2010, 7_759),
    ("JPN", "CHL", "import", 2019, 6_725),
    ("CHL", "JPN", "export", 2010, 7_719),
    ("CHN", "BRA", "import", 2010, 38_038),
    ("CHN", "BRA", "import", 2019, 79_204),
    ("USA", "MEX", "export", 2019, 256_374),
])
def test_imf_dots_values(store: Store, reporter: str, partner: str, flow: str, year: int,
                         usd_mn: float) -> None:
    assert dots(store, reporter, partner, flow, year) == pytest.approx(usd_mn, abs=0.5)


def test_dots_keeps_estimated_flag_and_aggregates_apart(store: Store) -> None:
    share = one(store, "SELECT avg((value_basis = 'estimated')::INT) FROM trade_flows "
                "WHERE source_id = 'imf_dots'")
    assert 0.03 < share < 0.07  # "~5 % of values flagged estimated"
    kinds = dict(store.query(
        "SELECT c.kind, count(*) FROM trade_flows t JOIN countries c ON c.iso3 = t.partner_iso3 "
        "GROUP BY 1").rows)
    assert set(kinds) == {"economy", "aggregate", "historical", "unspecified"}
    assert one(store, "SELECT kind = 'aggregate' FROM countries WHERE iso3 = 'WLD'") == 1


@pytest.mark.parametrize(("recipient", "year", "usd_mn"), [
    ("LCN", 2023, 665), ("LCN", 2022, 674), ("LCN", 1995, 1_139), ("LCN", 2000, 797),
    ("LCN", 2010, -357), ("PER", 2010, -712), ("BOL", 2019, 22.3), ("MEX", 1995, 288),
    ("MEX", 2020, 113), ("BRA", 2023, 155), ("HND", 2022, 100), ("WLD", 2023, 15_257),
])
def test_japan_net_oda(store: Store, recipient: str, year: int, usd_mn: float) -> None:
    value = one(store, "SELECT value_usd FROM official_finance WHERE source_id = "
                "'wdi_japan_oda' AND recipient_iso3 = ? AND year = ?", recipient, year) / MN
    assert value == pytest.approx(usd_mn, abs=0.5 if abs(usd_mn) > 50 else 0.05)


def test_japan_oda_to_lac33_sums_close_to_lcn(store: Store) -> None:
    total = one(store, "SELECT sum(f.value_usd) FROM official_finance f JOIN countries c "
                "ON c.iso3 = f.recipient_iso3 WHERE c.is_lac33 AND f.source_id = "
                "'wdi_japan_oda' AND f.year = 2015") / MN
    lcn = one(store, "SELECT value_usd FROM official_finance WHERE recipient_iso3 = 'LCN' "
              "AND source_id = 'wdi_japan_oda' AND year = 2015") / MN
    assert abs(total - lcn) < 0.01  # the source says the copy matches LCN exactly in 2012-2018


def test_ids_flows_from_japan(store: Store) -> None:
    def total(instrument: str, measure: str) -> float:
        return one(store, "SELECT sum(value_usd) FROM official_finance WHERE source_id = "
                   "'one_net_flows' AND creditor_iso3 = 'JPN' AND creditor_type = 'bilateral' "
                   "AND instrument = ? AND measure = ?", instrument, measure) / MN

    assert total("grant", "inflow") == pytest.approx(7_967, abs=1)
    assert total("concessional_loan", "inflow") == pytest.approx(2_064, abs=1)
    assert total("non_concessional_loan", "inflow") == pytest.approx(14_715, abs=1)


def test_chinese_finance(store: Store) -> None:
    adjusted = dict(store.query(
        "SELECT recipient_iso3, sum(value_usd) / 1e9 FROM official_finance WHERE source_id = "
        "'aiddata_gcdf' AND measure = 'commitment_adjusted' GROUP BY 1").rows)
    assert adjusted["VEN"] == pytest.approx(112.9, abs=0.05)
    assert adjusted["BRA"] == pytest.approx(54.3, abs=0.05)
    assert adjusted["ECU"] == pytest.approx(26.6, abs=0.05)
    assert one(store, "SELECT total_commitments_usd / 1e9 FROM china_finance_totals WHERE "
               "recipient_iso3 = 'ARG'") == pytest.approx(138.75, abs=0.01)
    deals = one(store, "SELECT sum(value_usd) / 1e9 FROM investments")
    assert deals == pytest.approx(132.6, abs=0.05)


@pytest.mark.parametrize(("host", "year", "usd_mn"), [
    ("BRA", 2011, 7_387), ("MEX", 2012, 1_812), ("CHL", 2012, 1_860)])
def test_fdi_from_japan(store: Store, host: str, year: int, usd_mn: float) -> None:
    value = one(store, "SELECT value_usd FROM fdi_flows WHERE host_iso3 = ? AND "
                "origin_iso3 = 'JPN' AND year = ?", host, year) / MN
    assert value == pytest.approx(usd_mn, abs=0.5)


@pytest.mark.parametrize(("country", "usd_bn"), [
    ("MEX", 1_794), ("BRA", 2_191), ("CHL", 336), ("JPN", 4_385), ("LCN", 6_910)])
def test_wdi_gdp_2023(store: Store, country: str, usd_bn: float) -> None:
    value = one(store, "SELECT value FROM macro_indicators WHERE indicator_code = "
                "'NY.GDP.MKTP.CD' AND country_iso3 = ? AND year = 2023", country) / 1e9
    assert value == pytest.approx(usd_bn, rel=0.001)


@pytest.mark.parametrize(("decade", "agreement"), [(1950, 0.65), (1980, 0.45), (2010, 0.66)])
def test_un_vote_agreement_japan_mexico(store: Store, decade: int, agreement: float) -> None:
    value = one(store, """
        SELECT avg((a.vote = b.vote)::INT) FROM un_votes a
        JOIN un_votes b ON a.rcid = b.rcid JOIN un_roll_calls r ON r.rcid = a.rcid
        WHERE a.country_iso3 = 'JPN' AND b.country_iso3 = 'MEX' AND r.year // 10 * 10 = ?""",
                decade)
    assert value == pytest.approx(agreement, abs=0.005)


def test_monthly_trade_annual_sums(store: Store) -> None:
    def annual(reporter: str, partner: str, flow: str, year: int) -> float:
        return one(store, "SELECT sum(value_usd) FROM trade_flows WHERE source_id = "
                   "'monthly_trade' AND reporter_iso3 = ? AND partner_iso3 = ? AND flow = ? "
                   "AND year = ?", reporter, partner, flow, year) / MN

    assert annual("JPN", "MEX", "export", 2016) == pytest.approx(10_682, abs=1)
    assert annual("JPN", "MEX", "export", 2023) == pytest.approx(13_087, abs=1)
    # published as 122,500 (rounded to the hundred)
    assert annual("CHN", "BRA", "import", 2023) == pytest.approx(122_500, abs=50)
    assert annual("USA", "MEX", "import", 2024) == pytest.approx(505_520, abs=5)  # rounded


def test_mexico_hs4_imports_from_japan(store: Store) -> None:
    by_chapter = dict(store.query(
        "SELECT hs2, sum(value_usd) / 1e9 FROM product_trade WHERE partner_iso3 = 'JPN' "
        "AND flow = 'import' AND year = 2019 GROUP BY 1").rows)
    assert by_chapter["85"] == pytest.approx(4.69, abs=0.01)  # published rounded: 4.685
    assert by_chapter["87"] == pytest.approx(3.44, abs=0.005)
    pork = one(store, "SELECT value_usd / 1e6 FROM product_trade WHERE partner_iso3 = 'JPN' "
               "AND flow = 'export' AND year = 2015 AND hs4 = '0203'")
    assert pork == pytest.approx(326, abs=0.5)
    name = store.query("SELECT DISTINCT hs4_description FROM product_trade WHERE hs4 = '0203'")
    assert "swine" in name.rows[0][0].lower()


def test_long_run_shares(store: Store) -> None:
    def share(reporter: str, partner: str) -> tuple[float, float]:
        row = store.query("SELECT share_1962_1966_pct, share_2017_2021_pct FROM "
                          "trade_shares_long_run WHERE reporter_iso3 = ? AND partner_iso3 = ? "
                          "AND flow = 'export'", (reporter, partner)).rows[0]
        return float(row[0]), float(row[1])

    assert share("MEX", "JPN") == pytest.approx((11.8, 1.1), abs=0.05)
    assert share("CHL", "CHN") == pytest.approx((0.5, 33.8), abs=0.05)


def test_countries(store: Store) -> None:
    lac = store.query("SELECT iso3, name_en, name_es, name_pt, name_ja, lac_subregion FROM "
                      "countries WHERE is_lac33 ORDER BY iso3").rows
    assert len(lac) == 33
    assert all(all(cell for cell in row) for row in lac), "every LAC33 name in four languages"
    mex = next(r for r in lac if r[0] == "MEX")
    assert mex[1:] == ("Mexico", "México", "México", "メキシコ", "Central America")
    comparators = {r[0] for r in store.query(
        "SELECT iso3 FROM countries WHERE is_comparator").rows}
    assert comparators == {"JPN", "CHN", "USA", "KOR", "EUU"}


def test_events_keep_date_precision(store: Store) -> None:
    assert one(store, "SELECT count(*) FROM events") == 150
    row = store.query("SELECT date_precision, date_start, date_end FROM events WHERE "
                      "date_text = '1990' LIMIT 1").rows[0]
    assert (row[0], str(row[1]), str(row[2])) == ("year", "1990-01-01", "1990-12-31")
    tour = store.query("SELECT lac_countries, event_type FROM events WHERE date_text LIKE "
                       "'2018-08%' AND len(lac_countries) = 4").rows
    assert tour and sorted(tour[0][0]) == ["COL", "ECU", "MEX", "PER"]
