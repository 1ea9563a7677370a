"""`kakehashi diff` between two data versions, and the update/diff commands end to end."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes.publishers import FakePublishers, running
from kakehashi.connectors.cli import diff_cmd, parse_years, update_cmd
from kakehashi.connectors.diff import diff
from kakehashi.connectors.http import Fetcher
from kakehashi.connectors.update import update
from kakehashi.errors import InvalidRequest

GDP = {"indicators": ("NY.GDP.MKTP.CD",)}


@pytest.fixture()
def server() -> Iterator[FakePublishers]:
    with running() as s:
        yield s


@pytest.fixture()
def store(store_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "kakehashi.duckdb"
    shutil.copyfile(store_path, target)
    return target


def test_diff_finds_a_revision_a_new_year_and_a_vanished_row(
        server: FakePublishers, tmp_path: Path, store: Path) -> None:
    with Fetcher(server.settings(tmp_path)) as f:
        update(store, ["wdi"], (2022, 2023), fetcher=f, options={"wdi": GDP})
        first = tmp_path / "v1.duckdb"
        shutil.copyfile(store, first)
        server.variant["wdi"] = "_v2"  # the World Bank's next release
        report = update(store, ["wdi"], (2022, 2024), fetcher=f, options={"wdi": GDP})
    assert report.changes[0].rows_removed == 1  # Brazil 2022 withdrawn
    d = diff(first, store, "macro_indicators", threshold_pct=0.5)
    assert d.new_years == [{"source_id": "wdi_api", "year": 2024, "rows": 3}]
    assert [(r["key"]["country_iso3"], r["key"]["year"], r["old"], r["new"])
            for r in d.revisions] == [("MEX", 2023, 1794410347718.25, 1812345678901.0)]
    assert d.revised == 1 and round(d.revisions[0]["change_pct"], 2) == 1.0
    assert d.vanished == 1 and d.vanished_rows[0]["key"] == {
        "indicator_code": "NY.GDP.MKTP.CD", "country_iso3": "BRA", "year": 2022}
    assert "revised indicator_code=NY.GDP.MKTP.CD, country_iso3=MEX, year=2023" in d.to_text()
    assert json.loads(d.to_json())["added"] == d.added == 0  # 2024 keys came from bundled wdi
    # The previous store was kept by the second update: the same answer without a copy.
    kept = diff(store.with_name(store.name + ".previous"), store, "macro_indicators")
    assert kept.revised == 1 and kept.vanished == 1
    # A larger threshold hides the 1 % revision.
    assert diff(first, store, "macro_indicators", threshold_pct=5).revised == 0


def test_diff_rejects_unknown_tables(store: Path) -> None:
    with pytest.raises(InvalidRequest, match="No table 'nope'"):
        diff(store, store, "nope")


def test_parse_years() -> None:
    assert parse_years("2015-2024") == (2015, 2024) and parse_years("2020") == (2020, 2020)
    with pytest.raises(Exception, match="FIRST-LAST"):
        parse_years("last year")


def test_update_and_diff_commands(server: FakePublishers, store: Path,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAKEHASHI_URL_OECD", f"{server.base}/oecd")
    monkeypatch.setenv("KAKEHASHI_RAW", str(tmp_path / "raw"))
    monkeypatch.setenv("KAKEHASHI_HTTP_CACHE", str(tmp_path / "cache"))
    runner = CliRunner()
    result = runner.invoke(update_cmd, ["--store", str(store), "--source", "oecd",
                                        "--years", "2022-2023"])
    assert result.exit_code == 0, result.output
    assert "oecd_dac2a_api" in result.output and "previous store kept" in result.output
    result = runner.invoke(diff_cmd, ["--store", str(store), "--table", "official_finance",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["new_years"] == [
        {"source_id": "oecd_dac2a_api", "year": 2022, "rows": 2},
        {"source_id": "oecd_dac2a_api", "year": 2023, "rows": 2}]
    server.sticky["oecd"] = "html"
    result = runner.invoke(update_cmd, ["--store", str(store), "--source", "oecd"])
    assert result.exit_code == 1 and "HTML page" in result.output
