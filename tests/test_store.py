"""The store: skips unchanged rebuilds, swaps atomically, survives a killed build, and
refuses anything but reading its own tables."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kakehashi.cli import main
from kakehashi.errors import QueryRefused
from kakehashi.provenance import sha256_of
from kakehashi.store import Store, build_store, open_store


def test_rebuild_with_unchanged_inputs_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    first = build_store(path)
    second = build_store(path)
    assert not first.skipped and second.skipped
    assert second.seconds < first.seconds
    assert build_store(path, force=True).skipped is False


def test_reader_follows_an_atomic_swap(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    build_store(path)
    reader = open_store(path)
    before = reader.query("SELECT value FROM build_info WHERE key = 'built_at'").rows
    time.sleep(1.1)
    build_store(path, force=True)
    after = reader.query("SELECT value FROM build_info WHERE key = 'built_at'").rows
    assert before != after
    assert reader.query("SELECT count(*) FROM countries WHERE is_lac33").rows == [(33,)]


def test_killed_build_leaves_previous_store_intact(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    build_store(path)
    before = sha256_of(path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kakehashi", "build", "--store", str(path), "--data",
         str(shared_data), "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("s.duckdb.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob("s.duckdb.tmp-*")), "the build never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sha256_of(path) == before
    assert open_store(path).query("SELECT count(*) FROM un_votes").rows[0][0] == 870_109
    build_store(path, force=True)  # the next build completes and clears the leftover
    assert [p.name for p in tmp_path.iterdir()] == ["s.duckdb"]


@pytest.mark.parametrize("sql", [
    "CREATE TABLE x (a INT)",
    "INSERT INTO countries (iso3) VALUES ('XXX')",
    "ATTACH '/tmp/other.duckdb'",
    "INSTALL httpfs",
    "COPY countries TO '/tmp/out.csv'",
    "SELECT 1; SELECT 2",
    "SET enable_external_access = true",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_parquet('src/kakehashi/snapshot/countries.parquet')",
])
def test_user_sql_is_refused(store: Store, sql: str) -> None:
    with pytest.raises(QueryRefused):
        store.user_query(sql)


def test_sql_command_formats(store_path: Path) -> None:
    query = ("SELECT iso3, name_ja FROM countries WHERE iso3 IN ('MEX', 'PER') ORDER BY iso3")
    runner = CliRunner()
    as_json = runner.invoke(main, ["sql", query, "--store", str(store_path), "--format", "json"])
    assert json.loads(as_json.stdout) == [{"iso3": "MEX", "name_ja": "メキシコ"},
                                          {"iso3": "PER", "name_ja": "ペルー"}]
    as_csv = runner.invoke(main, ["sql", query, "--store", str(store_path), "--format", "csv"])
    assert as_csv.stdout.splitlines() == ["iso3,name_ja", "MEX,メキシコ", "PER,ペルー"]
    refused = runner.invoke(main, ["sql", "DROP TABLE countries", "--store", str(store_path)])
    assert refused.exit_code == 1 and "Only SELECT" in refused.stderr


def test_sources_command_lists_licences_and_rows(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["sources", "--store", str(store_path), "--format",
                                       "json"])
    rows = {r["source_id"]: r for r in json.loads(result.stdout)}
    assert len(rows) == 17
    assert rows["imf_dots"]["rows"] == 791_369
    assert rows["un_votes"]["rows"] == 870_109 + 6_203 + 5_745
    assert rows["argendata_shares"]["license"] == "CC BY-NC-SA 4.0"
    assert all(r["license"] for r in rows.values())


def test_missing_store_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sources", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "Run `kakehashi build` first" in result.stderr
