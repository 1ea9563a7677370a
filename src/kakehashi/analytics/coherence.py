"""Coherence: does Japan's diplomatic attention and aid go where its economic weight is?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from kakehashi.analytics.trade import annual_flows

PERMUTATIONS = 5_000


def decade_panel(t: Mapping[str, ir.Table], members: Sequence[str], partner: str = "JPN"
                 ) -> ir.Table:
    """(country_iso3, decade, weight_usd, aid_usd, attention): per country and decade, Japan's
    mean annual trade with it, its mean annual net ODA, and the number of curated events."""
    m = list(members)
    f = annual_flows(t["trade_flows"], reporters=[partner], partners=m)
    f = f.filter(f.year >= 1990)
    f = f.mutate(decade=(f.year // 10) * 10)
    weight = f.group_by([f.partner_iso3.name("country_iso3"), "decade"]).agg(
        weight_usd=f.value_usd.sum() / f.year.nunique())
    fin = t["official_finance"]
    fin = fin.filter((fin.source_id == "wdi_japan_oda") & fin.recipient_iso3.isin(m)
                     & (fin.year >= 1990))
    fin = fin.mutate(decade=(fin.year // 10) * 10)
    aid = fin.group_by([fin.recipient_iso3.name("country_iso3"), "decade"]).agg(
        aid_usd=fin.value_usd.sum() / 10)
    ev = t["event_countries"].join(t["events"].select("event_id", "year"), "event_id")
    ev = ev.filter(ev.country_iso3.isin(m)).mutate(decade=(ev.year // 10) * 10)
    att = ev.group_by(["country_iso3", "decade"]).agg(attention=ev.event_id.nunique())
    j = weight.left_join(aid, ["country_iso3", "decade"])
    j = j.select("country_iso3", "decade", "weight_usd", "aid_usd")
    j = j.left_join(att, ["country_iso3", "decade"])
    return j.select("country_iso3", "decade", "weight_usd", "aid_usd",
                    attention=j.attention.fill_null(0).cast("int64"))


def spearman(x: pd.Series, y: pd.Series, seed: int = 42) -> tuple[float, float, int]:
    """Spearman's rho, a two-sided permutation p-value and n (pairs with both values)."""
    both = pd.concat([x, y], axis=1).dropna()
    n = len(both)
    if n < 4:
        return float("nan"), float("nan"), n
    rx = both.iloc[:, 0].rank().to_numpy()
    ry = both.iloc[:, 1].rank().to_numpy()
    rho = float(np.corrcoef(rx, ry)[0, 1])
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.tile(ry, (PERMUTATIONS, 1)), axis=1)
    cx = rx - rx.mean()
    cy = shuffled - shuffled.mean(axis=1, keepdims=True)
    perms = (cy @ cx) / (np.sqrt((cy ** 2).sum(axis=1)) * np.sqrt((cx ** 2).sum()))
    return rho, float((np.abs(perms) >= abs(rho) - 1e-12).mean()), n


def coherence(panel: pd.DataFrame, outliers: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per decade: rank correlation of attention and aid with economic weight; and per country
    the rank gap (attention rank minus weight rank: positive = more attention than weight)."""
    summary, gaps = [], []
    for decade, d in panel.groupby("decade"):
        d = d.set_index("country_iso3")
        for what in ("attention", "aid_usd"):
            rho, p, n = spearman(d[what], d["weight_usd"])
            summary.append({"decade": int(decade), "measure": what, "rho": rho,
                            "p_value": p, "countries": n})
        rank_w = d["weight_usd"].rank(ascending=False)
        rank_a = d["attention"].rank(ascending=False)
        gap = (rank_w - rank_a).sort_values()
        for iso3, g in gap.items():
            label = ("over-attended" if g >= gap.iloc[-outliers] and g > 0 else
                     "under-attended" if g <= gap.iloc[outliers - 1] and g < 0 else "")
            gaps.append({"decade": int(decade), "country_iso3": iso3, "weight_rank": rank_w[iso3],
                         "attention_rank": rank_a[iso3], "rank_gap": g, "label": label})
    return pd.DataFrame(summary), pd.DataFrame(gaps)


