"""Analytics on every engine, checked against values computed by hand from the raw files.

Reference values were computed from the raw IMF DOTS CSV with plain Python (csv module),
independently of the pipeline: e.g. Mexico's imports from Japan in 2019 are 19,039.54 and from
the World 482,556.08 (USD mn, as Mexico reports), so Japan's share is 3.9456 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import ibis
import pandas as pd
import pytest

from kakehashi.analytics import coherence as coh
from kakehashi.analytics import eventstudy, indicators, outlook, products, ranking, trade, votes
from kakehashi.analytics.periods import Period, deflator, parse_period
from kakehashi.analytics.thennow import thennow
from kakehashi.errors import InvalidRequest
from kakehashi.store import Store
from kakehashi.store.engines import Tables, duckdb_tables, spark_tables

LAC33 = (
    "ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
    "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN", "PER",
    "PRY", "SLV", "SUR", "TTO", "URY", "VCT", "VEN",
)


def test_lac33_list_matches_the_store(store: Store) -> None:
    rows = store.query("SELECT iso3 FROM countries WHERE is_lac33 ORDER BY iso3").rows
    assert tuple(r[0] for r in rows) == LAC33


@pytest.fixture(scope="session", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def t(request: pytest.FixtureRequest, store: Store) -> Iterator[Tables]:
    if request.param == "duckdb":
        with duckdb_tables(store) as tables:
            yield tables
    else:
        yield spark_tables()


def frame(expr: object) -> pd.DataFrame:
    return expr.execute()  # type: ignore[attr-defined, no-any-return]


def test_parse_period() -> None:
    assert parse_period("2000-2004") == Period(2000, 2004)
    assert parse_period("2019").label == "2019"
    for bad in ("2004-2000", "abc", "1900-1905", ""):
        with pytest.raises(InvalidRequest):
            parse_period(bad)


def test_thennow_peru(t: Tables) -> None:
    df = frame(thennow(t["trade_flows"], t["official_finance"], t["fdi_flows"],
                       t["macro_indicators"], t["countries"], ["PER"], Period(2000, 2004),
                       Period(2016, 2020)))
    row = df[(df.comparator == "JPN") & (df.measure == "exports_usd")].iloc[0]
    assert row.then_value / 1e6 == pytest.approx(272.9419558, rel=1e-9)
    assert row.now_value / 1e6 == pytest.approx(676.300363, rel=1e-9)
    assert row.cagr_pct == pytest.approx(((676.300363 / 272.9419558) ** (1 / 16) - 1) * 100)
    china = df[(df.comparator == "CHN") & (df.measure == "share_of_partner_imports_pct")]
    assert china.iloc[0].now_value == pytest.approx(22.54095020, rel=1e-8)
    fdi_now = df[(df.comparator == "JPN") & (df.measure == "fdi_inflow_usd")].iloc[0]
    assert pd.isna(fdi_now.now_value)  # UNCTAD ends in 2012: no data, not zero


def test_annual_flows_prefers_the_newer_source_and_sums_first(t: Tables) -> None:
    """A key with rows from the IMF API takes their sum, higher or lower than DOTS's; other
    keys keep DOTS. Mexico's 2019 imports (as Mexico reports): 19,039.54 from Japan, 482,556.08
    from the World (USD mn)."""
    f = t["trade_flows"]
    dots = f.filter((f.source_id == "imf_dots") & f.month.isnull() & (f.reporter_iso3 == "MEX")
                    & (f.flow == "import") & (f.year == 2019))
    api = dots.mutate(source_id=ibis.literal("imf_imts_api"))
    higher = api.filter(api.partner_iso3 == "JPN")
    higher = higher.mutate(value_usd=higher.value_usd * 2)  # twice: summed to 4x
    lower = api.filter(api.partner_iso3 == "WLD")
    lower = lower.mutate(value_usd=lower.value_usd / 4)
    rows = dots.union(higher).union(higher).union(lower)
    got = frame(trade.annual_flows(rows, partners=["JPN", "WLD", "CHN"]))
    assert len(got) == 3
    v = got.set_index("partner_iso3").value_usd / 1e6
    assert v["JPN"] == pytest.approx(4 * 19039.53874, rel=1e-9)
    assert v["WLD"] == pytest.approx(482556.08434 / 4, rel=1e-9)
    china = frame(trade.annual_flows(f, reporters=["MEX"], partners=["CHN"], flow="import",
                                     years=Period(2019, 2019)))
    assert len(china) == 1 and v["CHN"] == pytest.approx(china.value_usd[0] / 1e6, rel=1e-12)


def test_share_of_mexico_imports_2019(t: Tables) -> None:
    df = frame(indicators.dependence(t["trade_flows"], t["macro_indicators"], ["MEX"]))
    row = df[df.year == 2019].iloc[0]
    assert row.imports_share_pct == pytest.approx(19039.53874 / 482556.08434 * 100, rel=1e-9)


def test_trade_intensity_japan_mexico_2019(t: Tables) -> None:
    df = frame(indicators.trade_intensity(t["trade_flows"], ["MEX"]))
    tii = df[df.year == 2019].iloc[0].tii
    expected = (10636.913428 / 705632.013863) / (482556.08434 / (19028330.476346
                                                               - 720802.692068))
    assert tii == pytest.approx(expected, rel=1e-9)


def test_concentration_2019(t: Tables) -> None:
    df = frame(indicators.concentration(t["trade_flows"], LAC33))
    row = df[df.year == 2019].iloc[0]
    assert row.partners == 33
    assert row.hhi == pytest.approx(0.17594644, abs=1e-8)
    assert row.top_partner_share == pytest.approx(0.29732767, abs=1e-8)


def test_mirror_gap_flags_panama(t: Tables) -> None:
    df = frame(indicators.mirror_gaps(t["trade_flows"], ["PAN", "MEX"]))
    pan = df[(df.year == 2019) & (df.country_iso3 == "PAN")
             & (df.direction == "partner_to_country")].iloc[0]
    assert pan.exporter_reports_fob / 1e6 == pytest.approx(6109.357, abs=0.001)
    assert bool(pan.flagged) and pan.gap_pct < -90
    mex = df[(df.year == 2019) & (df.country_iso3 == "MEX")
             & (df.direction == "partner_to_country")].iloc[0]
    assert mex.gap_pct == pytest.approx((19039.53874 - 10636.913428) / 10636.913428 * 100)


def test_shift_share_adds_up(t: Tables) -> None:
    df = frame(ranking.shift_share(t["trade_flows"], LAC33, Period(2000, 2004),
                                   Period(2016, 2020)))
    assert len(df) >= 30
    assert ((df.change - df.market_effect - df.share_effect).abs() < 1e-3).all()
    mex = df[df.country_iso3 == "MEX"].iloc[0]
    assert mex.change / 1e6 == pytest.approx(10513.82 - 4379.516, abs=0.01)


def test_un_agreement_mexico_2019(t: Tables) -> None:
    df = frame(votes.agreement(t["un_votes"], t["un_roll_calls"], ["MEX"]))
    row = df[(df.year == 2019) & (df.with_iso3 == "JPN")].iloc[0]
    assert (row.votes, row.agreement) == (90, pytest.approx(55 / 90))


def test_deflator_chains_wdi_growth(t: Tables) -> None:
    df = frame(deflator(t["macro_indicators"], 2015)).set_index("year").deflator_index
    g = frame(t["macro_indicators"].filter(
        (t["macro_indicators"].indicator_code == "NY.GDP.DEFL.KD.ZG")
        & (t["macro_indicators"].country_iso3 == "USA"))).set_index("year").value
    assert df[2015] == pytest.approx(100)
    assert df[2016] / df[2015] == pytest.approx(1 + g[2016] / 100)
    assert df[2000] / df[1999] == pytest.approx(1 + g[2000] / 100)


def test_ranking_drivers_and_weights(t: Tables) -> None:
    values = frame(ranking.driver_values(t, LAC33, Period(2019, 2019)))
    trade = values[values.driver == "trade"].set_index("country_iso3").value
    assert trade["MEX"] / 1e6 == pytest.approx(10636.913428 + 6001.384534, rel=1e-9)
    scored = ranking.score(values, LAC33)
    contrib = scored.filter(like="_contribution").sum(axis=1)
    assert (contrib - scored.score).abs().max() < 1e-12
    only_trade = ranking.score(values, LAC33, {d.name: 0.0 for d in ranking.DRIVERS}
                               | {"trade": 1.0})
    by_trade = trade.sort_values(ascending=False).index[:5].tolist()
    assert only_trade.country_iso3.head(5).tolist() == by_trade
    with pytest.raises(InvalidRequest):
        ranking.score(values, LAC33, {"luck": 1.0})


def test_event_study_kono_tour(t: Tables) -> None:
    panel = frame(eventstudy.outcome_panel(t, LAC33, 2015, 2021))
    results = {r.outcome: r for r in eventstudy.did(panel, ["ECU", "PER", "COL", "MEX"], 2018)}
    trade = results["log_trade"]
    assert (trade.n_treated, trade.n_control) == (4, 29)
    assert trade.exact and trade.permutations == math.comb(33, 4)
    p = panel[panel.outcome == "log_trade"]
    pre = p[p.year.between(2015, 2017)].groupby("country_iso3").value.mean()
    post = p[p.year.between(2019, 2021)].groupby("country_iso3").value.mean()
    change = post - pre
    treated = ["ECU", "PER", "COL", "MEX"]
    expected = change[treated].mean() - change.drop(treated).mean()
    assert trade.did == pytest.approx(expected)
    assert 0 < trade.p_value <= 1


def test_coherence_panel_and_spearman(t: Tables) -> None:
    panel = frame(coh.decade_panel(t, LAC33))
    assert set(panel.decade) == {1990, 2000, 2010, 2020}
    summary, gaps = coh.coherence(panel)
    assert set(summary.measure) == {"attention", "aid_usd"}
    assert summary.rho.between(-1, 1).all()
    rho, p, n = coh.spearman(pd.Series([1, 2, 3, 4, 5.0]), pd.Series([10, 20, 30, 40, 50.0]))
    assert (rho, n) == (pytest.approx(1.0), 5) and p < 0.05


def test_outlook_recovers_an_exact_trend() -> None:
    series = pd.Series([100 * 1.05 ** i for i in range(15)], index=range(2006, 2021))
    out = outlook.project(series, horizon=3)
    proj = out[out.kind == "projection"]
    assert out.attrs["annual_trend_pct"] == pytest.approx(5.0)
    assert proj.value.iloc[0] == pytest.approx(100 * 1.05 ** 15)
    assert (proj.upper_95 - proj.lower_95).abs().max() < 1e-6
    assert "not a forecast" in out.attrs["label"]


def test_sector_shares_mexico_imports_from_japan_2019(t: Tables) -> None:
    df = frame(products.sector_shares(t["product_trade"], t["hs_sections"], "MEX", ["JPN"],
                                      2019, 2019))
    imports = df[df.flow == "import"].set_index("section_number")
    # HS84 (3.30 bn) and HS85 (4.69 bn) make up section XVI: the largest import section
    assert imports.value_usd.idxmax() == 16
    assert imports.loc[16].value_usd / 1e9 == pytest.approx(3.30 + 4.69, abs=0.02)
    assert imports.share_pct.sum() == pytest.approx(100)
    flows = products.from_reported(t["product_trade"])
    top = frame(products.top_products(flows, "JPN", "MEX", Period(2019, 2019),
                                      Period(2019, 2019), n=3))
    assert top.rank_now.tolist() == [1, 2, 3] and (top.rank_now == top.rank_then).all()
