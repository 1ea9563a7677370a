"""A malformed raw file stops the build with one clear line, and the previous store survives."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kakehashi.cli import main
from kakehashi.pipeline import runner
from kakehashi.provenance import sha256_of
from kakehashi.store import build_store, open_store

MONTHLY = "monthly_trade_jp_cn_us/jp_cn_us_monthly_trade_with_mex_bra_chl_2010_2025.csv"
ONE = "wb_ids_oneflows/official_flows_lac_by_counterpart_2000_2022.csv.gz"
UN_VOTES = "un_votes/un_votes.csv.gz"
EVENTS = "events/japan_lac_events.csv"


def data_copy(shared: Path, tmp: Path, rel: str, change: Callable[[bytes], bytes]) -> Path:
    """A data folder of links to the real files, with ``rel`` replaced by a changed copy."""
    root = tmp / "data"
    for path in runner.inputs():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).symlink_to(shared / path)
    target = root / rel
    original = target.resolve().read_bytes()
    target.unlink()
    target.write_bytes(change(original))
    return root


def replace_line(number: int, edit: Callable[[str], str]) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        lines = raw.decode().split("\n")
        lines[number - 1] = edit(lines[number - 1])
        return "\n".join(lines).encode()

    return change


def set_field(number: int, field: int, value: str) -> Callable[[bytes], bytes]:
    def edit(line: str) -> str:
        cells = line.split(",")
        cells[field] = value
        return ",".join(cells)

    return replace_line(number, edit)


def gz(change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    return lambda raw: gzip.compress(change(gzip.decompress(raw)), mtime=0)


CASES = {
    "bad number": (MONTHLY, set_field(5, 4, "12x3"),
                   [MONTHLY, "line 5", "'exports_usd'", "'12x3' is not a number"]),
    "unknown country": (MONTHLY, set_field(7, 1, "ZZZ"),
                        [MONTHLY, "partner_iso3='ZZZ' (1 rows)", "aliases.csv"]),
    "truncated gzip": (ONE, lambda raw: raw[: len(raw) // 2],
                       [ONE, "gzip stream is truncated or corrupt", "Fetch the file again"]),
    "missing column": (MONTHLY, replace_line(1, lambda h: h.replace("year", "yr")),
                       [MONTHLY, "line 1", "missing column(s) 'year'"]),
    "unknown vote": (UN_VOTES, gz(replace_line(3, lambda line: line.replace(",no", ",maybe"))),
                     [UN_VOTES, "unknown vote maybe"]),
    "bad event date": (EVENTS, replace_line(4, lambda line: "1991-13" + line[7:]),
                       [EVENTS, "line 4", "'date'", "'1991-13' is not a real date"]),
}


@pytest.fixture
def previous_store(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "kakehashi.duckdb"
    build_store(path)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_named_and_previous_store_survives(
    case: str, shared_data: Path, tmp_path: Path, previous_store: Path
) -> None:
    rel, change, expected = CASES[case]
    data = data_copy(shared_data, tmp_path, rel, change)
    before = sha256_of(previous_store)
    result = CliRunner().invoke(main, ["build", "--store", str(previous_store),
                                       "--data", str(data)])
    assert result.exit_code == 1, result.output
    message = " ".join(result.stderr.split())
    assert message.startswith("error: "), message
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    assert sha256_of(previous_store) == before
    assert [p.name for p in previous_store.parent.iterdir()] == [previous_store.name]
    rows = open_store(previous_store).query("SELECT count(*) FROM trade_flows").rows
    assert rows[0][0] > 700_000


def test_missing_data_folder_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--store", str(tmp_path / "s.duckdb"),
                                       "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "file not found" in result.stderr and "--data" in result.stderr


def test_good_raw_build_matches_snapshot_build(shared_data: Path, tmp_path: Path,
                                               previous_store: Path) -> None:
    raw_store = tmp_path / "raw.duckdb"
    report = build_store(raw_store, data_dir=shared_data)
    assert not report.skipped and report.mode.startswith("raw files")
    snap, raw = open_store(previous_store), open_store(raw_store)
    for (table,) in snap.query("SELECT table_name FROM table_catalog").rows:
        a = snap.query(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{table}"').rows
        b = raw.query(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{table}"').rows
        assert a == b, table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.duckdb", "store"]
