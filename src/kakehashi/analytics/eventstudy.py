"""What a visit or agreement accomplished: before/after for the countries concerned against the
other LAC countries (difference in differences), with a permutation test."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from kakehashi.analytics.periods import Period
from kakehashi.analytics.trade import annual_flows

OUTCOMES = {
    "log_trade": "log of Japan's total trade with the country (as Japan reports), IMF DOTS",
    "net_oda_usd_mn": "Japan's net bilateral ODA to the country, USD million (WDI/DAC2a)",
    "official_loans_usd_mn": "Japan's bilateral loan disbursements, USD million (IDS via ONE)",
    "un_agreement": "share of UNGA roll calls voted as Japan did (Voeten)",
}
MAX_EXACT = 50_000
MIN_VOTES = 10  # a country-year with fewer shared roll calls (e.g. January 2020) is left out
DRAWS = 5_000


def outcome_panel(t: Mapping[str, ir.Table], members: Sequence[str], start: int, end: int,
                  partner: str = "JPN") -> ir.Table:
    """(country_iso3, year, outcome, value) for the members over [start, end]."""
    m = list(members)
    f = annual_flows(t["trade_flows"], reporters=[partner], partners=m,
                     years=Period(start, end))
    trade = f.group_by(["year", f.partner_iso3.name("country_iso3")]).agg(v=f.value_usd.sum())
    trade = trade.filter(trade.v > 0).mutate(outcome=ibis.literal("log_trade"), v=trade.v.ln())
    fin = t["official_finance"]
    fin = fin.filter((fin.creditor_iso3 == partner) & fin.recipient_iso3.isin(m)
                     & fin.year.between(start, end))
    oda = fin.filter(fin.source_id == "wdi_japan_oda")
    oda = oda.group_by(["year", oda.recipient_iso3.name("country_iso3")]).agg(
        v=oda.value_usd.sum() / 1e6).mutate(outcome=ibis.literal("net_oda_usd_mn"))
    loans = fin.filter((fin.source_id == "one_net_flows") & (fin.measure == "inflow")
                       & fin.instrument.isin(["concessional_loan", "non_concessional_loan"]))
    loans = loans.group_by(["year", loans.recipient_iso3.name("country_iso3")]).agg(
        v=loans.value_usd.sum() / 1e6).mutate(outcome=ibis.literal("official_loans_usd_mn"))
    v = t["un_votes"]
    rc = t["un_roll_calls"]
    rc = rc.filter(rc.year.between(start, end)).select("rcid", "year")
    jp = v.filter(v.country_iso3 == partner).select(rcid_j=v.rcid, vote_j=v.vote)
    pairs = v.filter(v.country_iso3.isin(m)).join(rc, "rcid")
    pairs = pairs.join(jp, pairs.rcid == jp.rcid_j)
    un = pairs.group_by(["year", "country_iso3"]).agg(
        v=(pairs.vote == pairs.vote_j).cast("float64").mean(), n=pairs.rcid.count())
    un = un.filter(un.n >= MIN_VOTES).mutate(outcome=ibis.literal("un_agreement"))
    cols = ["country_iso3", "year", "outcome", "v"]
    out = trade.select(cols).union(oda.select(cols)).union(loans.select(cols)).union(
        un.select(cols))
    return out.rename(value="v")


@dataclass
class DidResult:
    outcome: str
    description: str
    treated: list[str]
    n_treated: int
    n_control: int
    treated_change: float | None
    control_change: float | None
    did: float | None
    p_value: float | None
    permutations: int
    exact: bool
    note: str = ""
    by_country: list[dict[str, object]] = field(default_factory=list)


def _changes(panel: pd.DataFrame, outcome: str, year: int, window: int) -> pd.Series:
    p = panel[panel.outcome == outcome]
    pre = p[(p.year >= year - window) & (p.year < year)].groupby("country_iso3").value.mean()
    post = p[(p.year > year) & (p.year <= year + window)].groupby("country_iso3").value.mean()
    both = pd.concat([pre.rename("pre"), post.rename("post")], axis=1).dropna()
    return (both.post - both.pre).rename("change")


def did(panel: pd.DataFrame, treated: Sequence[str], year: int, window: int = 3,
        seed: int = 42) -> list[DidResult]:
    """Difference in differences per outcome: mean change (post minus pre, the event year
    left out) of the treated countries minus that of the other countries with data. The
    p-value is the share of equally sized country sets, drawn from all countries with data,
    whose difference is at least as large in absolute value (exact when there are at most
    50,000 sets, else 5,000 seeded draws)."""
    rng = np.random.default_rng(seed)
    results = []
    for outcome, description in OUTCOMES.items():
        ch = _changes(panel, outcome, year, window)
        tr = [c for c in treated if c in ch.index]
        co = [c for c in ch.index if c not in treated]
        base = DidResult(outcome, description, tr, len(tr), len(co), None, None, None, None,
                         0, False)
        if not tr or not co:
            base.note = "no data before and after the event for treated or control countries"
            results.append(base)
            continue
        values = ch.to_numpy()
        k = len(tr)
        observed = ch[tr].mean() - ch[co].mean()
        total = values.sum()
        n = len(values)

        def stat(idx: Sequence[int] | np.ndarray, values: np.ndarray = values, k: int = k,
                 total: float = total, n: int = n) -> float:
            s = values[list(idx)].sum()
            return float(s / k - (total - s) / (n - k))

        combos = math.comb(n, k)
        if combos <= MAX_EXACT:
            stats = np.array([stat(c) for c in itertools.combinations(range(n), k)])
            exact = True
        else:
            stats = np.array([stat(rng.choice(n, k, replace=False)) for _ in range(DRAWS)])
            exact = False
        p = float((np.abs(stats) >= abs(observed) - 1e-12).mean())
        base.treated_change = float(ch[tr].mean())
        base.control_change = float(ch[co].mean())
        base.did, base.p_value = float(observed), p
        base.permutations, base.exact = len(stats), exact
        base.by_country = [{"country_iso3": c, "change": float(ch[c])} for c in tr]
        if k < 3 or len(co) < 10:
            base.note = "few countries: read the estimate as descriptive"
        results.append(base)
    return results
