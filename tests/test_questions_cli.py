"""The analytics reach the command line with their method and sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kakehashi import questions
from kakehashi.cli import main
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store import Store

KONO = "2018-08-12-kono-tours-ecuador-peru-colombia-and-mexico"


def run(store_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--store", str(store_path)])
    return result.exit_code, result.stdout, result.stderr


def test_thennow_json_carries_provenance(store_path: Path) -> None:
    code, out, _ = run(store_path, "thennow", "MEX", "--then", "2000-2004", "--now",
                       "2016-2020", "--format", "json")
    assert code == 0
    answer = json.loads(out)
    rows = {(r["comparator"], r["measure"]): r for r in answer["data"]}
    assert rows[("JPN", "exports_usd")]["now_value"] / 1e6 == pytest.approx(10513.818, abs=0.01)
    assert rows[("JPN", "rank_among_partners")]["then_value"] == 2
    assert rows[("CHN", "rank_among_partners")]["now_value"] == 2
    assert {p["source_id"] for p in answer["provenance"]} >= {"imf_dots", "unctad_fdi"}
    assert "rank among Mexico's partners moved from 2 to 5" in answer["notes"]


def test_thennow_table_shows_millions_and_sources(store_path: Path) -> None:
    code, out, err = run(store_path, "thennow", "south-america")
    assert code == 0 and "USD mn (current)" in out
    assert "Source: International Monetary Fund" in err


def test_thennow_constant_prices_differ_from_current(store: Store) -> None:
    cur = questions.thennow(store, "PER")
    const = questions.thennow(store, "PER", constant_prices=True, base_year=2015)
    pick = {(r["comparator"], r["measure"]): r["then_value"] for r in const.data}
    for r in cur.data:
        if r["comparator"] == "JPN" and r["measure"] == "exports_usd":
            assert pick[("JPN", "exports_usd")] > r["then_value"]  # 2000s dollars were worth more
    assert "GDP deflator" in const.notes


def test_rank_and_weights(store_path: Path) -> None:
    code, out, _ = run(store_path, "rank", "--year", "2019", "--weight", "trade=1",
                       *[f"--weight={d}=0" for d in ("investment", "finance", "market_size",
                                                     "growth", "attention", "alignment",
                                                     "strategic_goods")],
                       "--format", "json")
    assert code == 0
    top = [r["country_iso3"] for r in json.loads(out)["data"][:3]]
    assert top == ["MEX", "BRA", "CHL"]  # Japan's three largest LAC trade partners in 2019
    code, _, err = run(store_path, "rank", "--weight", "luck=2")
    assert code == 1 and "Unknown driver" in err


def test_shift_share_cli(store_path: Path) -> None:
    code, out, _ = run(store_path, "rank", "--shift-share", "--compare", "2000-2004",
                       "--year", "2016-2020", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("country_iso3,exports_then")


def test_event_cli(store_path: Path) -> None:
    code, out, _ = run(store_path, "event", KONO, "--format", "json")
    assert code == 0
    answer = json.loads(out)
    trade = next(r for r in answer["data"] if r["outcome"] == "log_trade")
    assert (trade["n_treated"], trade["n_control"], trade["permutations"]) == (4, 29, 40920)
    assert "CPTPP" in answer["notes"]
    code, _, err = run(store_path, "event", "kono")
    assert code == 1 and KONO in err  # close matches are offered


def test_votes_coherence_outlook_indicators(store_path: Path, store: Store) -> None:
    code, out, _ = run(store_path, "votes", "MEX", "--format", "json")
    rows = json.loads(out)["data"]
    r2019 = next(r for r in rows if r["year"] == 2019 and r["with_iso3"] == "JPN")
    assert (r2019["votes"], r2019["agreement"]) == (90, pytest.approx(55 / 90))
    assert run(store_path, "coherence")[0] == 0
    code, out, _ = run(store_path, "outlook", "MEX", "--format", "json")
    answer = json.loads(out)
    assert "not a forecast of record" in answer["notes"]
    assert sum(r["kind"] == "projection" for r in answer["data"]) == 5
    code, out, _ = run(store_path, "indicators", "MEX", "--years", "2019", "--format", "json")
    assert json.loads(out)["data"][0]["tii"] == pytest.approx(0.5719, abs=1e-4)
    code, out, _ = run(store_path, "indicators", "--concentration", "--format", "csv")
    assert out.splitlines()[0] == "year,partners,hhi,top_partner_share"


def test_bad_targets_and_periods(store: Store) -> None:
    with pytest.raises(NotFound):
        questions.thennow(store, "Atlantis")
    with pytest.raises(InvalidRequest):
        questions.thennow(store, "MEX", "2016-2020", "2000-2004")
    with pytest.raises(InvalidRequest):
        questions.outlook_answer(store, "MEX", horizon=50)


def test_invalid_weights_and_base_year(store: Store) -> None:
    zero = {d: 0.0 for d in ("trade", "investment", "finance", "market_size", "growth",
                             "attention", "alignment", "strategic_goods")}
    with pytest.raises(InvalidRequest, match="At least one weight"):
        questions.rank(store, "2019", zero)
    with pytest.raises(InvalidRequest, match="negative"):
        questions.rank(store, "2019", {"trade": -1.0})
    with pytest.raises(InvalidRequest, match="outside the deflator"):
        questions.thennow(store, "MEX", constant_prices=True, base_year=2030)
    with pytest.raises(InvalidRequest, match="must end before"):
        questions.shift_share(store, "2016-2020", "2000-2004")
    rows = questions.thennow(store, "MEX").data
    assert {type(r["then_years"]) for r in rows if r["then_years"] is not None} == {int}
