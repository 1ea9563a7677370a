"""The product questions as the web asks for them: parameters parsed and checked, then the
call to `kakehashi.product_questions` (cached per store file and product-lake version).

The product lake lives beside the store (`store.lake.lake_for`); its `current` link changes
when files are ingested, so the lake's version is part of every cache key (and of the
middleware's response key, see `middleware._Fingerprint`). Nothing here computes an analytic.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kakehashi import product_questions as pq
from kakehashi.analytics.periods import Period
from kakehashi.catalog import PROVENANCE_FIELDS, Answer, provenance
from kakehashi.errors import InvalidRequest
from kakehashi.store import lake as product_lake
from kakehashi.store.reader import Store
from kakehashi.web.asks import MAX_WEIGHT, integer, period
from kakehashi.web.cache import cached

DEFAULT_THEN, DEFAULT_NOW = "2015-2016", "2020-2021"  # as the CLI
DEFAULT_YEARS, DEFAULT_RCA_YEARS = "2015-2021", "2019-2021"
REVISIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
HINT = ("Product data: the bundled extract covers Mexico only (its HS4 declarations to UN "
        "Comtrade); ingest CEPII BACI files with `kakehashi products ingest "
        "BACI_HS17_Y2021_V202401.csv` (or `kakehashi update --source baci`) for every country.")


def lake(store: Store) -> Path:
    """The product lake that belongs to the served store."""
    return product_lake.lake_for(store.path)


def lake_version(store: Store) -> str:
    """The lake's current version (its folder name), or "" when nothing is ingested."""
    try:
        return os.readlink(lake(store) / "current")
    except OSError:
        return ""


def has_lake(store: Store) -> bool:
    return bool(lake_version(store))


def _call(store: Store, name: str, version: str, *args: Any, **kwargs: Any) -> Answer:
    """`product_questions.<name>` on the store's lake (``version`` keys the cache only)."""
    fn = getattr(pq, name)
    answer: Answer = fn(store, *args, lake=lake(store), **kwargs)
    return answer


def _ask(store: Store, name: str, *args: Any, **kwargs: Any) -> Answer:
    return cached(f"products.{name}", _call, store, name, lake_version(store), *args, **kwargs)


def _text(value: str | None, name: str, default: str, choices: tuple[str, ...]) -> str:
    text = default if value is None or not value.strip() else value.strip()
    if name == "reporter":
        text = text.upper()
    if text not in choices:
        raise InvalidRequest(f"{name}={value!r}: choose one of {', '.join(choices)}.")
    return text


def _periods(then: str | None, now: str | None) -> tuple[Period, Period]:
    p0, p1 = period(then, "then", DEFAULT_THEN), period(now, "now", DEFAULT_NOW)
    if p0.end >= p1.start:
        raise InvalidRequest(f"then={p0.label} must end before now={p1.label} starts.")
    return p0, p1


def _code(text: str | None, name: str) -> str:
    if text is None or not text.strip():
        raise InvalidRequest(f"{name} is required: an ISO3 code, e.g. {name}=MEX.")
    return text.strip().upper()


def _digits(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    if text.strip() not in ("2", "4", "6"):
        raise InvalidRequest(f"digits={text!r}: choose 6 (HS6, the lake), 4 (heading) or 2 "
                             "(chapter).")
    return int(text)


def _revision(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    value = text.strip().upper()
    if value not in REVISIONS:
        raise InvalidRequest(f"revision={text!r}: choose one of {', '.join(REVISIONS)}.")
    return value


def number(text: str | None, name: str, default: float, low: float, high: float) -> float:
    if text is None or text.strip() == "":
        return default
    try:
        value = float(text)
    except ValueError:
        raise InvalidRequest(f"{name}={text!r} is not a number; e.g. {name}={default:g}."
                             ) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidRequest(f"{name}={text!r} must be between {low:g} and {high:g}.")
    return value


def weights(params: Mapping[str, str]) -> dict[str, float]:
    """w_<driver> query parameters for the sector drivers (default 1 each), as /rank takes
    its weights; unknown drivers and bad numbers are 400."""
    out = {d: 1.0 for d in pq.IMPORTANCE_DRIVERS}
    for key, text in params.items():
        if not key.startswith("w_"):
            continue
        if key[2:] not in out:
            raise InvalidRequest(f"{key}: no driver {key[2:]!r}; the weights are "
                                 + ", ".join(f"w_{d}" for d in out) + ".")
        out[key[2:]] = number(text or "0", key, 1.0, 0, MAX_WEIGHT)
    if not any(out.values()):
        raise InvalidRequest("All weights are 0: give at least one driver a weight above 0, "
                             "e.g. w_weight=1.")
    return out


# -- the questions ----------------------------------------------------------------------------

def top(store: Store, country: str | None, reporter: str | None = None,
        direction: str | None = None, then: str | None = None, now: str | None = None,
        n: str | None = None, revision: str | None = None,
        digits: str | None = None) -> Answer:
    p0, p1 = _periods(then, now)
    return _ask(store, "top", _code(country, "country"),
                reporter=_text(reporter, "reporter", "JPN", pq.REPORTERS),
                direction=_text(direction, "direction", "exports", pq.DIRECTIONS),
                then=p0.label, now=p1.label, n=integer(n, "n", 10, 1, 100),
                revision=_revision(revision), digits=_digits(digits))


def changes(store: Store, country: str | None, reporter: str | None = None,
            direction: str | None = None, then: str | None = None, now: str | None = None,
            min_share: str | None = None, revision: str | None = None,
            digits: str | None = None) -> Answer:
    p0, p1 = _periods(then, now)
    return _ask(store, "changes", _code(country, "country"),
                reporter=_text(reporter, "reporter", "JPN", pq.REPORTERS),
                direction=_text(direction, "direction", "exports", pq.DIRECTIONS),
                then=p0.label, now=p1.label,
                min_share_pct=number(min_share, "min_share", 0.1, 0, 100),
                revision=_revision(revision), digits=_digits(digits))


def sections(store: Store, country: str | None, reporter: str | None = None,
             direction: str | None = None, then: str | None = None,
             now: str | None = None) -> Answer:
    p0, p1 = _periods(then, now)
    return _ask(store, "sections", _code(country, "country"),
                reporter=_text(reporter, "reporter", "JPN", pq.REPORTERS),
                direction=_text(direction, "direction", "exports", pq.DIRECTIONS),
                then=p0.label, now=p1.label)


def concentration(store: Store, country: str | None, reporter: str | None = None,
                  direction: str | None = None, years: str | None = None,
                  digits: str | None = None) -> Answer:
    return _ask(store, "concentration", _code(country, "country"),
                reporter=_text(reporter, "reporter", "JPN", pq.REPORTERS),
                direction=_text(direction, "direction", "exports", pq.DIRECTIONS),
                years=period(years, "years", DEFAULT_YEARS).label, digits=_digits(digits))


def rca(store: Store, exporter: str | None, years: str | None = None,
        n: str | None = None, digits: str | None = None) -> Answer:
    return _ask(store, "rca", _code(exporter, "exporter"),
                years=period(years, "years", DEFAULT_RCA_YEARS).label,
                n=integer(n, "n", 20, 1, 100), digits=_digits(digits))


def complementarity(store: Store, target: str | None = None, years: str | None = None,
                    digits: str | None = None) -> Answer:
    return _ask(store, "complementarity", (target or "LAC").strip() or "LAC",
                years=period(years, "years", DEFAULT_RCA_YEARS).label, digits=_digits(digits))


def importance(store: Store, target: str | None = None, reporter: str | None = None,
               then: str | None = None, now: str | None = None,
               params: Mapping[str, str] | None = None) -> Answer:
    p0, p1 = _periods(then, now)
    return _ask(store, "importance", (target or "LAC").strip() or "LAC",
                reporter=_text(reporter, "reporter", "JPN", pq.REPORTERS),
                then=p0.label, now=p1.label, weights=weights(params or {}))


def coverage(store: Store) -> Answer:
    """What product data there is, one row per kind (the lake, the bundled extract)."""
    info = pq.coverage(store, lake(store))
    rows: list[dict[str, Any]] = []
    prov: list[dict[str, Any]] = []
    if info["lake_years"]:
        years = [int(y) for y in info["lake_years"]]
        rows.append({"kind": "lake", "reporter_iso3": None, "first_year": min(years),
                     "last_year": max(years), "years": len(years), "rows": info["lake_rows"],
                     "revision": info.get("lake_revision"), "digits": 6})
        with pq.product_data(store, [], lake=lake(store)) as data:
            prov += data.provenance[:1]
    for b in info["bundled"]:
        rows.append({"kind": "store", "reporter_iso3": b["reporter_iso3"],
                     "first_year": b["first_year"], "last_year": b["last_year"],
                     "years": int(b["last_year"]) - int(b["first_year"]) + 1,
                     "rows": b["rows"], "revision": None, "digits": 4})
    prov += provenance(store, ["comtrade_mexico", "hs_codes"])
    prov = [{k: p.get(k, "") for k in PROVENANCE_FIELDS} for p in prov]
    notes = ("kind lake: CEPII BACI ingested beside the store (every exporter and importer, "
             "HS6); kind store: the store's product_trade by reporter (the bundled Mexico HS4 "
             "declarations to UN Comtrade, small partner flows missing; BACI HS4 rows added "
             "by `kakehashi update --source baci`). " + ("" if info["lake_years"] else HINT))
    return Answer(rows, prov, "years; rows", notes)


def pair_years(store: Store, code: str) -> list[int]:
    """The years of the product data that cover Japan and a country (the lake's, else the
    store's: BACI rows from an update, or Mexico's declarations); NotFound when none do."""
    with pq.product_data(store, ["JPN", code], lake=lake(store)) as data:
        return sorted(int(y) for y in data.years)


def lake_years(store: Store) -> list[int]:
    return sorted(int(y) for y in pq.coverage(store, lake(store))["lake_years"])


def page_periods(years: list[int]) -> tuple[str, str, str] | None:
    """(then, now, years) for a page: the CLI's defaults when the data cover them, else the
    first two and the last two years; None with fewer than two years."""
    have = set(years)
    if len(have) < 2:
        return None
    span = f"{min(have)}-{max(have)}"
    d0, d1 = period(None, "then", DEFAULT_THEN), period(None, "now", DEFAULT_NOW)
    if all(y in have for p in (d0, d1) for y in range(p.start, p.end + 1)):
        return d0.label, d1.label, span
    ys = sorted(have)
    k = 2 if len(ys) >= 4 else 1
    first, last = ys[:k], ys[-k:]
    return (f"{first[0]}-{first[-1]}" if k > 1 else str(first[0]),
            f"{last[0]}-{last[-1]}" if k > 1 else str(last[0]), span)

