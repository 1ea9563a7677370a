"""Docs kept honest: generated pages current, README commands real, settings documented."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from kakehashi.cli import main
from kakehashi.config import SETTINGS
from kakehashi.schema.tables import TABLES
from kakehashi.sources import SOURCES

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def test_generated_reference_pages_are_current() -> None:
    result = CliRunner().invoke(main, ["docs", "--out", str(REPO / "docs"), "--check"])
    assert result.exit_code == 0, result.stderr


def test_every_table_and_source_is_documented() -> None:
    tables = (REPO / "docs" / "reference" / "tables.md").read_text()
    sources = (REPO / "docs" / "sources.md").read_text()
    for name, spec in TABLES.items():
        assert f"## {name}" in tables
        for col in spec.columns:
            assert f"`{col.name}`" in tables
    for sid, source in SOURCES.items():
        assert f"## {sid}" in sources
        assert source.license.name and source.license.url and source.citation


def test_readme_gives_two_commands_that_the_makefile_defines() -> None:
    commands = re.findall(r"^make (\w+)\s+#", README, flags=re.M)
    assert commands == ["run", "test"]
    for target in commands:
        dry = subprocess.run(["make", "-n", target], cwd=REPO, capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr
    run = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True)
    assert "kakehashi build" in run.stdout and "kakehashi serve" in run.stdout
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci


def test_readme_documents_every_setting_and_command() -> None:
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README and f"`{setting.default}`" in README
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"kakehashi {name}" in README, f"README misses `kakehashi {name}`"


def test_readme_sql_example_runs(store_path: Path) -> None:
    example = re.search(r'^\.venv/bin/kakehashi sql "(SELECT[^"]+)"$', README, flags=re.M)
    assert example, "README lost its SQL example"
    query = " ".join(example.group(1).split())
    result = CliRunner().invoke(main, ["sql", query, "--store", str(store_path), "--format",
                                       "csv"])
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "year,usd_mn" and len(rows) == 7  # 2015-2020


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_main_job_builds_and_serves(tmp_path: Path) -> None:
    """What `make run` does: build the store, then serve the dashboard over real HTTP."""
    store = tmp_path / "kakehashi.duckdb"
    built = subprocess.run([sys.executable, "-m", "kakehashi", "build", "--store", str(store)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kakehashi", "serve", "--store",
                               str(store), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    assert resp.status == 200
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "Japan" in body and "Mexico" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
