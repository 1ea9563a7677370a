"""The read side: real values from the bundled snapshot, provenance, and missing-as-missing."""

from __future__ import annotations

from typing import Any

import pytest

from kakehashi import catalog
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store import Store


def _mn(value: Any) -> float:
    return round(float(value) / 1e6, 2)


def _pooled(rows: list[dict[str, Any]], with_iso3: str, first: int, last: int) -> float:
    sel = [r for r in rows if r["with_iso3"] == with_iso3 and first <= r["year"] <= last]
    return float(sum(r["same_vote"] for r in sel) / sum(r["roll_calls_both_voted"] for r in sel))


def test_lac_countries_are_the_33(store: Store) -> None:
    answer = catalog.lac_countries(store)
    assert len(answer.data) == 33
    assert {r["lac_subregion"] for r in answer.data} == {
        "Caribbean", "Central America", "South America"}
    assert [p["source_id"] for p in answer.provenance] == ["country_codes", "cldr"]


def test_country_is_case_insensitive_and_lac33_only(store: Store) -> None:
    assert catalog.country(store, " mex ")["name_en"] == "Mexico"
    for bad in ("XXX", "JPN", "", "MEX'; DROP TABLE countries; --", "m3x"):
        with pytest.raises(NotFound, match="Use one of the 33 ISO3 codes: ARG"):
            catalog.country(store, bad)


def test_country_trade_mexico_2019(store: Store) -> None:
    answer = catalog.country_trade(store, "MEX")
    row = next(r for r in answer.data if r["year"] == 2019)
    assert round(row["exports_usd"] / 1e6, 1) == 10636.9
    assert row["balance_usd"] == pytest.approx(row["exports_usd"] - row["imports_usd"])
    assert row["exports_basis"] == "reported"
    prov = answer.provenance[0]
    assert prov["source_id"] == "imf_dots"
    assert set(catalog.PROVENANCE_FIELDS) <= set(prov)
    assert "IMF" in prov["license"]
    assert answer.unit == "USD (current)"


def test_region_oda_lcn_2023(store: Store) -> None:
    answer = catalog.region_oda(store)
    by_year = {r["year"]: r["value_usd"] for r in answer.data}
    assert _mn(by_year[2023]) == 665.35
    assert answer.provenance[0]["source_id"] == "wdi_japan_oda"
    assert answer.provenance[0]["license"] == "CC BY 4.0"


def test_un_agreement_japan_mexico_by_decade(store: Store) -> None:
    rows = catalog.un_agreement(store, "MEX").data
    assert round(_pooled(rows, "JPN", 1950, 1959), 2) == 0.65
    assert round(_pooled(rows, "JPN", 1980, 1989), 2) == 0.45
    assert round(_pooled(rows, "JPN", 2010, 2019), 2) == 0.66
    assert {r["with_iso3"] for r in rows} == {"JPN", "USA", "CHN"}
    for r in rows:
        assert r["agreement"] == pytest.approx(r["same_vote"] / r["roll_calls_both_voted"])
    # China's seat: the PRC votes from 1971 only.
    assert min(r["year"] for r in rows if r["with_iso3"] == "CHN") >= 1971


def test_region_trade_sums_the_partners(store: Store) -> None:
    region = catalog.region_trade(store).data
    jpn_2019 = next(r for r in region if r["reporter_iso3"] == "JPN" and r["year"] == 2019)
    top = catalog.top_partners(store, 2019).data
    assert jpn_2019["exports_usd"] == pytest.approx(
        sum(r["exports_usd"] for r in top if r["exports_usd"] is not None))
    assert {r["reporter_iso3"] for r in region} == {"JPN", "CHN", "USA"}
    mex = next(r for r in top if r["iso3"] == "MEX")
    assert round(mex["exports_usd"] / 1e6, 1) == 10636.9


def test_top_partners_ranked_and_missing_totals_stay_missing(store: Store) -> None:
    answer = catalog.top_partners(store)
    assert answer.data[0]["year"] == catalog.latest_trade_year(store) == 2020
    ranked = [r for r in answer.data if r["rank"] is not None]
    totals = [r["total_usd"] for r in ranked]
    assert totals == sorted(totals, reverse=True)
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    for r in answer.data:
        if r["exports_usd"] is None or r["imports_usd"] is None:
            assert r["total_usd"] is None and r["rank"] is None
    with pytest.raises(InvalidRequest, match="1960-2020"):
        catalog.top_partners(store, 2024)


@pytest.mark.parametrize("text", ["2004-2000", "abc", "2000-04", "", "2000-2004-2008",
                                  "1900-1904"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(InvalidRequest, match="then=.*Example: then=2000-2004"):
        catalog.parse_period(text, "then")


def test_parse_period_is_the_analytics_parser() -> None:
    from kakehashi.analytics.periods import Period

    assert catalog.parse_period(" 2000-2004 ", "then") == Period(2000, 2004)
    assert catalog.parse_period("2016 - 2016", "now") == Period(2016, 2016)
    assert catalog.parse_period("2019", "years").label == "2019"


def test_events_filters(store: Store) -> None:
    everything = catalog.events(store).data
    assert len(everything) == store.query("SELECT count(*) FROM events").rows[0][0]
    visits = catalog.events(store, "visit").data
    assert visits and all(r["event_type"] == "visit" for r in visits)
    peru = catalog.events(store, country="per").data
    assert peru and all("PER" in r["lac_countries"] for r in peru)
    decade = catalog.events(store, first=2010, last=2019).data
    assert decade and all(2010 <= r["year"] <= 2019 for r in decade)
    assert len(decade) < len(everything)
    with pytest.raises(InvalidRequest, match="visit"):
        catalog.events(store, "parade")
    with pytest.raises(InvalidRequest, match="swap"):
        catalog.events(store, first=2020, last=2010)
    with pytest.raises(NotFound):
        catalog.events(store, country="XXX")


def test_event_row(store: Store) -> None:
    ev = catalog.event(store, "2018-08-12-kono-tours-ecuador-peru-colombia-and-mexico")
    assert ev["lac_countries"] == ["ECU", "PER", "COL", "MEX"] and ev["source_urls"]
    with pytest.raises(NotFound, match="/events"):
        catalog.event(store, "no-such-event")


def test_missing_data_is_missing_not_zero(store: Store) -> None:
    # Cuba: no UNCTAD table, no ONE rows -> no rows at all (not zero rows of value 0).
    assert catalog.country_fdi(store, "CUB").data == []
    fin = catalog.country_finance(store, "CUB")
    assert {r["source_id"] for r in fin.data} == {"wdi_japan_oda"}
    # Chile: UNCTAD shows '..' for some years -> null, as in the store.
    chl = catalog.country_fdi(store, "CHL").data
    nulls = [r for r in chl if r["value_usd"] is None]
    expected = store.query("SELECT count(*) FROM fdi_flows WHERE host_iso3 = 'CHL' AND "
                           "origin_iso3 = 'JPN' AND value_usd IS NULL").rows[0][0]
    assert len(nulls) == expected > 0
    assert all(r["raw_value"] != "0" for r in nulls)
    # Years Japan gave no ODA are absent, not zero.
    oda_years = {r["year"] for r in fin.data}
    in_store = {r[0] for r in store.query(
        "SELECT year FROM official_finance WHERE source_id = 'wdi_japan_oda' "
        "AND recipient_iso3 = 'CUB'").rows}
    assert oda_years == in_store


def test_country_finance_is_japans_official_flows(store: Store) -> None:
    answer = catalog.country_finance(store, "MEX")
    instruments = {(r["source_id"], r["instrument"]) for r in answer.data}
    assert ("wdi_japan_oda", "net_oda") in instruments
    assert all(not i.startswith("private") for _, i in instruments)
    assert [p["source_id"] for p in answer.provenance] == ["wdi_japan_oda", "one_net_flows"]


def test_country_growth_has_country_and_japan(store: Store) -> None:
    rows = catalog.country_growth(store, "BRA").data
    assert {r["country_iso3"] for r in rows} == {"BRA", "JPN"}
    assert catalog.country_growth(store, "BRA").provenance[0]["source_id"] == "wdi"


def test_country_fdi_mexico(store: Store) -> None:
    rows = catalog.country_fdi(store, "MEX").data
    assert [r["year"] for r in rows] == list(range(2001, 2013))
    assert next(r for r in rows if r["year"] == 2006)["value_usd"] < 0


def test_country_events_keep_date_precision(store: Store) -> None:
    rows = catalog.country_events(store, "MEX").data
    assert rows
    assert all("MEX" in r["lac_countries"] for r in rows)
    for r in rows:
        assert len(r["date_text"]) == {"year": 4, "month": 7, "day": 10}[r["date_precision"]]
        assert r["source_urls"]
    assert [r["date_start"] for r in rows] == sorted(r["date_start"] for r in rows)


def test_sources_with_row_counts(store: Store) -> None:
    answer = catalog.sources(store)
    by_id = {r["source_id"]: r for r in answer.data}
    assert len(by_id) == store.query("SELECT count(*) FROM sources").rows[0][0]
    dots = store.query("SELECT count(*) FROM trade_flows WHERE source_id = 'imf_dots'").rows[0][0]
    assert by_id["imf_dots"]["rows"] == dots
    assert by_id["imf_dots"]["files"][0]["sha256"]
    assert "NC" in by_id["argendata_shares"]["license"]
    assert any(t["shared"] for t in by_id["country_codes"]["tables"])


def test_build_info(store: Store) -> None:
    info = catalog.build_info(store)
    assert info["fingerprint"] and info["kakehashi_version"]


def test_columns_known_when_empty(store: Store) -> None:
    answer = catalog.country_fdi(store, "CUB")
    assert answer.columns[:2] == ["year", "value_usd"]
    assert answer.as_dict()["data"] == []
