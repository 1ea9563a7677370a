"""The shared HTTP client against a local fake publisher: retries, limits, cache, resume."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.publishers import FakePublishers, running
from kakehashi.connectors.base import ConnectorError
from kakehashi.connectors.http import Fetcher, check_body, retry_after

WDI = "/wdi/v2/country/all/indicator/NY.GDP.MKTP.CD"


@pytest.fixture()
def server() -> Iterator[FakePublishers]:
    with running() as s:
        yield s


@pytest.fixture()
def fetcher(server: FakePublishers, tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(server.settings(tmp_path)) as f:
        yield f


def get(fetcher: Fetcher, server: FakePublishers, **kw: object) -> bytes:
    return fetcher.get("wdi_api", server.base + WDI, params={"page": "1"}, expect="json",
                       **kw).body  # type: ignore[arg-type]


def test_retry_after_parses_seconds_and_http_dates() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_html_instead_of_data_is_named() -> None:
    problem = check_body(b"<!DOCTYPE html><title>Oops</title>", "json", "text/html")
    assert problem is not None and "HTML page ('Oops')" in problem
    assert check_body(b"PK\x03\x04...", "zip", "application/zip") is None
    assert check_body(b"a,b\n1,2\n", "zip", "") == "the response is not a zip file"


@pytest.mark.parametrize("fault", ["timeout", "500", "truncate"])
def test_transient_fault_is_retried(fault: str, server: FakePublishers,
                                    fetcher: Fetcher) -> None:
    server.fault("wdi", fault)
    assert b'"pages": 2' in get(fetcher, server)
    assert len(server.hits("wdi")) == 2


def test_429_waits_for_retry_after(server: FakePublishers, fetcher: Fetcher) -> None:
    server.fault("wdi", "429")
    started = time.monotonic()
    get(fetcher, server)
    assert time.monotonic() - started >= 0.95  # Retry-After: 1 was honoured


def test_retry_after_beyond_the_limit_is_reported(server: FakePublishers,
                                                  tmp_path: Path) -> None:
    server.fault("wdi", "429")
    with Fetcher(server.settings(tmp_path, max_retry_after=0.5)) as f, \
            pytest.raises(ConnectorError, match="asks to wait 1 s.*try again later"):
        get(f, server)


@pytest.mark.parametrize(("fault", "message"), [
    ("timeout", "gave up after 3 attempts: the request timed out"),
    ("500", "gave up after 3 attempts: HTTP 500"),
    ("truncate", "the response was cut off"),
])
def test_persistent_fault_gives_a_clear_error(fault: str, message: str,
                                              server: FakePublishers, fetcher: Fetcher) -> None:
    server.sticky["wdi"] = fault
    with pytest.raises(ConnectorError, match=message) as exc:
        get(fetcher, server)
    assert exc.value.source == "wdi_api" and WDI in exc.value.url


def test_html_page_with_200_is_an_error_not_data(server: FakePublishers,
                                                 fetcher: Fetcher) -> None:
    server.sticky["wdi"] = "html"
    with pytest.raises(ConnectorError, match="HTML page .*Maintenance.* where JSON"):
        get(fetcher, server)


def test_rate_limit_spaces_requests_per_host(server: FakePublishers, tmp_path: Path) -> None:
    settings = server.settings(tmp_path, min_interval={"127.0.0.1": 0.3})
    with Fetcher(settings) as f:
        started = time.monotonic()
        for _ in range(3):
            get(f, server, cache=False)
    assert time.monotonic() - started >= 0.6


def test_resumed_download_after_a_cut_is_verified(server: FakePublishers,
                                                  fetcher: Fetcher, tmp_path: Path) -> None:
    url = server.base + "/baci/data/BACI_HS12_V202501.zip"
    digest = hashlib.sha256(server.zip).hexdigest()
    server.fault("baci", "truncate")
    seen: list[int] = []
    got = fetcher.download("baci", url, tmp_path / "b.zip", expect="zip", sha256=digest,
                           size=len(server.zip), progress=lambda _l, d, _t: seen.append(d))
    assert got.resumed and got.sha256 == digest and got.size == len(server.zip)
    assert (tmp_path / "b.zip").read_bytes() == server.zip
    assert not (tmp_path / "b.zip.part").exists()
    ranges = [h[2].get("range") for h in server.hits("baci")]
    assert ranges[0] is None and ranges[1] == f"bytes={len(server.zip) // 2}-"
    assert seen[-1] == len(server.zip)


def test_download_with_wrong_checksum_is_rejected(server: FakePublishers,
                                                  fetcher: Fetcher, tmp_path: Path) -> None:
    url = server.base + "/baci/data/BACI_HS12_V202501.zip"
    with pytest.raises(ConnectorError, match="does not verify: sha256"):
        fetcher.download("baci", url, tmp_path / "b.zip", expect="zip", sha256="0" * 64)
    assert not (tmp_path / "b.zip").exists() and not (tmp_path / "b.zip.part").exists()


def test_conditional_request_uses_the_cache(server: FakePublishers, fetcher: Fetcher) -> None:
    fetcher.get("baci", server.base + "/baci/data/BACI_HS12_V202501.zip", expect="zip")
    again = fetcher.get("baci", server.base + "/baci/data/BACI_HS12_V202501.zip",
                        expect="zip")
    # The fake ignores If-None-Match (answers 200) but the client sent it from its cache.
    assert server.hits("baci")[1][2].get("if-none-match") == server.zip_etag
    assert again.body == server.zip
