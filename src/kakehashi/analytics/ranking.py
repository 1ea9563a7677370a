"""What matters to Japan, and why: a transparent, re-weightable ranking of the LAC33, and a
shift-share split of the change in Japan's exports to each country."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd

from kakehashi.analytics.periods import Period
from kakehashi.analytics.trade import WORLD, annual_flows
from kakehashi.errors import InvalidRequest


@dataclass(frozen=True)
class Driver:
    name: str
    label: str
    unit: str
    source: str
    method: str


DRIVERS = (
    Driver("trade", "Trade with Japan", "USD", "imf_dots",
           "Japan's exports plus imports with the country, as Japan reports, mean per year."),
    Driver("investment", "FDI from Japan", "USD", "unctad_fdi",
           "Net FDI inflows from Japan, mean of the years 2001-2012 inside the window "
           "(UNCTAD ends in 2012: later periods use 2008-2012)."),
    Driver("finance", "ODA and official loans", "USD", "wdi_japan_oda,one_net_flows",
           "Japan's net bilateral ODA plus bilateral loan disbursements (IDS), mean per year."),
    Driver("market_size", "Market size", "USD", "wdi", "GDP, current US$, mean per year."),
    Driver("growth", "Growth", "%", "wdi", "Real GDP growth, mean per year."),
    Driver("attention", "Diplomatic attention", "events", "events",
           "Curated Japan-LAC events concerning the country in the period."),
    Driver("alignment", "UN-vote alignment", "share", "un_votes",
           "Share of UNGA roll calls on which the country voted as Japan did."),
    Driver("strategic_goods", "Strategic goods", "% of exports", "wdi",
           "Ores, metals and fuels as % of the country's merchandise exports (WDI)."),
)
DEFAULT_WEIGHTS = {d.name: 1.0 for d in DRIVERS}


def driver_values(t: Mapping[str, ir.Table], members: Sequence[str], period: Period,
                  partner: str = "JPN") -> ir.Table:
    """(country_iso3, driver, value): the raw value of each driver over the period."""
    m = list(members)
    f = annual_flows(t["trade_flows"], reporters=[partner], partners=m, years=period)
    trade = f.group_by(country_iso3=f.partner_iso3).agg(
        value=f.value_usd.sum() / period.years)
    fdi = t["fdi_flows"]
    start = max(min(period.start, 2008), 2001)
    end = max(min(period.end, 2012), start)
    fd = fdi.filter((fdi.origin_iso3 == partner) & fdi.host_iso3.isin(m)
                    & fdi.year.between(start, end) & fdi.value_usd.notnull())
    invest = fd.group_by(country_iso3=fd.host_iso3).agg(value=fd.value_usd.mean())
    fin = t["official_finance"]
    fi = fin.filter((fin.creditor_iso3 == partner) & fin.recipient_iso3.isin(m)
                    & period.contains(fin.year) & (
                        (fin.source_id == "wdi_japan_oda")
                        | ((fin.source_id == "one_net_flows") & (fin.measure == "inflow")
                           & fin.instrument.isin(["concessional_loan",
                                                  "non_concessional_loan"]))))
    finance = fi.group_by(country_iso3=fi.recipient_iso3).agg(
        value=fi.value_usd.sum() / period.years)
    mac = t["macro_indicators"]
    mac = mac.filter(mac.country_iso3.isin(m) & period.contains(mac.year))

    def indicator(codes: Sequence[str]) -> ir.Table:
        x = mac.filter(mac.indicator_code.isin(list(codes)))
        per_year = x.group_by(["country_iso3", "year"]).agg(v=x.value.sum(),
                                                            n=x.indicator_code.nunique())
        per_year = per_year.filter(per_year.n == len(codes))
        return per_year.group_by("country_iso3").agg(value=per_year.v.mean())

    ev = t["event_countries"].join(t["events"].select("event_id", "year"), "event_id")
    ev = ev.filter(ev.country_iso3.isin(m) & period.contains(ev.year))
    attention = ev.group_by("country_iso3").agg(value=ev.event_id.nunique().cast("float64"))
    v = t["un_votes"]
    rc = t["un_roll_calls"].filter(period.contains(t["un_roll_calls"].year)).select("rcid")
    jp = v.filter(v.country_iso3 == partner).select(rcid_j=v.rcid, vote_j=v.vote)
    pairs = v.filter(v.country_iso3.isin(m)).join(rc, "rcid")
    pairs = pairs.join(jp, pairs.rcid == jp.rcid_j)
    alignment = pairs.group_by("country_iso3").agg(
        value=(pairs.vote == pairs.vote_j).cast("float64").mean())
    parts = {
        "trade": trade, "investment": invest, "finance": finance,
        "market_size": indicator(["NY.GDP.MKTP.CD"]),
        "growth": indicator(["NY.GDP.MKTP.KD.ZG"]),
        "attention": attention, "alignment": alignment,
        "strategic_goods": indicator(["TX.VAL.MMTL.ZS.UN", "TX.VAL.FUEL.ZS.UN"]),
    }
    out = None
    for name, p in parts.items():
        piece = p.select("country_iso3", driver=ibis.literal(name),
                         value=p.value.cast("float64"))
        out = piece if out is None else out.union(piece)
    assert out is not None
    return out


def score(values: pd.DataFrame, members: Sequence[str],
          weights: Mapping[str, float] | None = None, *,
          drivers: Sequence[str] = tuple(DEFAULT_WEIGHTS),
          key: str = "country_iso3") -> pd.DataFrame:
    """Rank the members from driver values (long frame: ``key``, driver, value); by default
    the countries by the DRIVERS, or any items by the named ``drivers``.

    Each driver becomes a percentile rank across the countries with data (0 = lowest,
    1 = highest); the score is the weighted mean over the drivers a country has data for, so a
    missing driver neither helps nor hurts. Returns one row per country with score, rank,
    and per driver its value, percentile and contribution (weight x percentile / total weight).
    """
    w = {**dict.fromkeys(drivers, 1.0), **(weights or {})}
    unknown = set(w) - set(drivers)
    if unknown:
        raise InvalidRequest(f"Unknown driver(s) {', '.join(sorted(unknown))}; drivers are "
                             + ", ".join(drivers))
    negative = sorted(k for k, v in w.items() if v < 0)
    if negative:
        raise InvalidRequest(f"Weights cannot be negative ({', '.join(negative)}).")
    if not any(w.values()):
        raise InvalidRequest("At least one weight must be above 0.")
    wide = values.pivot_table(index=key, columns="driver", values="value",
                              aggfunc="first").reindex(index=list(members))
    wide = wide.reindex(columns=list(drivers))
    pct = wide.rank(pct=True, method="average")
    # percentile ranks of n items run 1/n..1; rescale to 0..1 across the countries with data
    counts = wide.notna().sum()
    pct = (pct * counts - 1).div((counts - 1).where(counts > 1), axis=1)
    weight = pd.Series(w).reindex(pct.columns).fillna(0.0)
    avail = pct.notna().mul(weight, axis=1)
    total = avail.sum(axis=1)
    contrib = pct.fillna(0.0).mul(weight, axis=1).div(total.where(total > 0), axis=0)
    out = pd.DataFrame({key: wide.index, "score": contrib.sum(axis=1).values})
    for d in pct.columns:
        out[f"{d}_value"] = wide[d].values
        out[f"{d}_percentile"] = pct[d].values
        out[f"{d}_contribution"] = contrib[d].values
    out["rank"] = out["score"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", key]).reset_index(drop=True)


def shift_share(flows: ir.Table, members: Sequence[str], then: Period, now: Period,
                exporter: str = "JPN") -> ir.Table:
    """(country_iso3, exports_then, exports_now, imports_then, imports_now, change,
    market_effect, share_effect): the change in the exporter's exports to each country,
    split into the country's import growth at the exporter's initial share (market effect)
    and the change in that share at the final market size (share effect); they add up to the
    change. Exports as the exporter reports them, markets (imports from the World) as each
    country reports them; period means."""
    # one annual_flows per branch, each reading only its own keys and years
    x = annual_flows(flows, reporters=[exporter], partners=members, flow="export",
                     years=[then, now])
    x = x.select("year", country_iso3=x.partner_iso3, x=x.value_usd)
    mm = annual_flows(flows, reporters=members, partners=[WORLD], flow="import",
                      years=[then, now])
    mm = mm.select("year", country_iso3=mm.reporter_iso3, m=mm.value_usd)
    both = x.join(mm, ["year", "country_iso3"])

    def mean(p: Period, tag: str) -> ir.Table:
        b = both.filter(p.contains(both.year))
        return b.group_by("country_iso3").agg(**{f"exports_{tag}": b.x.mean(),
                                                 f"imports_{tag}": b.m.mean()})

    j = mean(then, "then").join(mean(now, "now"), "country_iso3")
    s0 = j.exports_then / j.imports_then
    s1 = j.exports_now / j.imports_now
    return j.mutate(
        change=j.exports_now - j.exports_then,
        market_effect=s0 * (j.imports_now - j.imports_then),
        share_effect=(s1 - s0) * j.imports_now,
        share_then_pct=s0 * 100, share_now_pct=s1 * 100,
    )
