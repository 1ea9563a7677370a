"""The analytics as the web asks for them: parameters parsed and checked, then the call to
`kakehashi.questions` (cached per store). The API and the pages both go through here, so a
bad parameter gets the same 400 message everywhere; nothing here computes an analytic."""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from kakehashi import catalog, questions
from kakehashi.analytics import ranking
from kakehashi.analytics.periods import Period
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest
from kakehashi.store.reader import Store
from kakehashi.web.cache import cached

DEFAULT_THEN, DEFAULT_NOW = catalog.DEFAULT_THEN, catalog.DEFAULT_NOW
DEFAULT_YEARS, DEFAULT_COMPARE = "2015-2019", "2000-2004"
DEFAULT_BASE_YEAR = 2015
MAX_WEIGHT = 100.0
DRIVER_NAMES = tuple(d.name for d in ranking.DRIVERS)
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kakehashi-ask")
_TRUE, _FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no", "")


def period(text: str | None, name: str, default: str) -> Period:
    return catalog.parse_period(default if text is None else text, name)


def flag(text: str | None, name: str) -> bool:
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidRequest(f"{name}={text!r} is not a yes/no value: write {name}=true or "
                         f"{name}=false (1 or 0).")


def integer(text: str | None, name: str, default: int, low: int, high: int) -> int:
    if text is None or text.strip() == "":
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidRequest(f"{name}={text!r} is not a whole number; e.g. {name}={default}."
                             ) from None
    if not low <= value <= high:
        raise InvalidRequest(f"{name}={value} must be between {low} and {high}.")
    return value


def weights(params: Mapping[str, str]) -> dict[str, float]:
    """w_<driver> query parameters (default 1 each); unknown drivers and bad numbers are 400."""
    out = dict(ranking.DEFAULT_WEIGHTS)
    for key, text in params.items():
        if not key.startswith("w_"):
            continue
        name = key[2:]
        if name not in out:
            raise InvalidRequest(f"{key}: no driver {name!r}; the weights are "
                                 + ", ".join(f"w_{d}" for d in DRIVER_NAMES) + ".")
        try:
            value = float(text) if text.strip() else 0.0
        except ValueError:
            raise InvalidRequest(f"{key}={text!r} is not a number; e.g. {key}=1.") from None
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            raise InvalidRequest(f"{key}={text!r} must be between 0 and {MAX_WEIGHT:g}.")
        out[name] = value
    if not any(out.values()):
        raise InvalidRequest("All weights are 0: give at least one driver a weight above 0, "
                             "e.g. w_trade=1.")
    return out


def thennow(store: Store, target: str, then: str | None = None, now: str | None = None,
            constant: str | None = None, base_year: str | None = None) -> Answer:
    p0, p1 = period(then, "then", DEFAULT_THEN), period(now, "now", DEFAULT_NOW)
    const = flag(constant, "constant")
    years = catalog.deflator_years(store) or (1961, 2025)
    base = integer(base_year, "base_year", DEFAULT_BASE_YEAR, *years)
    return cached("thennow", questions.thennow, store, target, p0.label, p1.label,
                  constant_prices=const, base_year=base)


def indicators(store: Store, target: str, years: str | None = None) -> Answer:
    p = period(years, "years", DEFAULT_NOW)
    return cached("indicators", questions.trade_indicators, store, target, p.label)


def concentration(store: Store) -> Answer:
    return cached("concentration", questions.concentration, store)


def rank(store: Store, years: str | None = None, compare: str | None = None,
         params: Mapping[str, str] | None = None) -> Answer:
    p = period(years, "years", DEFAULT_YEARS)
    c = period(compare, "compare", DEFAULT_COMPARE).label if compare else None
    w = weights(params or {})
    return cached("rank", questions.rank, store, p.label, w, c)


def shift_share(store: Store, then: str | None = None, now: str | None = None) -> Answer:
    p0, p1 = period(then, "then", DEFAULT_THEN), period(now, "now", DEFAULT_NOW)
    if p0.end >= p1.start:
        raise InvalidRequest(f"then={p0.label} must end before now={p1.label} starts.")
    return cached("shift_share", questions.shift_share, store, p0.label, p1.label)


def event(store: Store, event_id: str, window: str | None = None) -> Answer:
    w = integer(window, "window", 3, 1, 10)
    return cached("event", questions.event, store, event_id, w)


def votes(store: Store, target: str, by_issue: str | None = None) -> Answer:
    return cached("votes", questions.diplomatic_support, store, target,
                  flag(by_issue, "by_issue"))


def coherence(store: Store) -> Answer:
    return cached("coherence", questions.coherence, store)


def outlook(store: Store, target: str, series: str | None = None,
            horizon: str | None = None) -> Answer:
    s = (series or "trade").strip().lower()
    if s not in questions.SERIES:
        raise InvalidRequest(f"series={series!r}; use one of {', '.join(questions.SERIES)}.")
    h = integer(horizon, "horizon", 5, 1, 10)
    return cached("outlook", questions.outlook_answer, store, target, s, h)


def country_years(store: Store) -> str:
    """The years of the indicators table on a country page: the last ten with trade data."""
    last = catalog.latest_trade_year(store)
    return f"{last - 9}-{last}"


def country_calls(store: Store, code: str) -> list[Callable[[], Answer]]:
    """The analytics a country page shows (so they can run side by side, or ahead)."""
    years = country_years(store)
    return [lambda: thennow(store, code), lambda: votes(store, code, "true"),
            lambda: indicators(store, code, years), lambda: outlook(store, code, "trade", "5")]


def prefetch(calls: list[Callable[[], Answer]]) -> None:
    """Start independent calls in parallel threads (DuckDB releases the GIL) and return; their
    answers land in the cache, where the page's own call finds them (or waits for the one in
    progress). Errors are raised again when the page makes the call itself."""
    for call in calls:
        _POOL.submit(call)


def warm(store: Store, stop: threading.Event | None = None) -> None:
    """Compute the default answers ahead of the first visitor: the region's and the rank page's,
    then every country page's; stops early when ``stop`` is set."""
    region: list[Callable[[], Answer]] = [
        lambda: coherence(store), lambda: thennow(store, "LAC"), lambda: concentration(store),
        lambda: outlook(store, "LAC"), lambda: rank(store, compare=DEFAULT_COMPARE),
        lambda: shift_share(store, DEFAULT_COMPARE, DEFAULT_YEARS)]
    codes = questions.lac33(store)
    for call in region + [c for code in codes for c in country_calls(store, code)]:
        if stop is not None and stop.is_set():
            return
        with contextlib.suppress(InvalidRequest):
            call()
