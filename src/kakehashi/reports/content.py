"""What a brief says: sentences written from the analytics, only where the data support them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kakehashi import catalog, questions
from kakehashi.analytics.periods import Period, parse_period
from kakehashi.reports.cite import Notes, Span, sentence
from kakehashi.reports.model import Chart, Section, Table
from kakehashi.store.reader import Store
from kakehashi.web import charts

Row = dict[str, Any]
MEASURE_SOURCE = {
    "exports_usd": "imf_dots", "imports_usd": "imf_dots", "balance_usd": "imf_dots",
    "total_trade_usd": "imf_dots", "share_of_partner_exports_pct": "imf_dots",
    "share_of_partner_imports_pct": "imf_dots", "share_of_partner_trade_pct": "imf_dots",
    "rank_among_partners": "imf_dots", "net_oda_usd": "wdi_japan_oda",
    "official_loans_usd": "one_net_flows", "official_grants_usd": "one_net_flows",
    "fdi_inflow_usd": "unctad_fdi",
}
KIND = {"share_of_partner_exports_pct": "pct", "share_of_partner_imports_pct": "pct",
        "share_of_partner_trade_pct": "pct", "rank_among_partners": "rank"}
NAMES = {"JPN": "Japan", "CHN": "China", "USA": "the United States", "KOR": "Korea",
         "EUU": "the EU"}
TABLE_MEASURES = (
    ("total_trade_usd", "Trade (exports + imports), a year"),
    ("exports_usd", "Exports to it, a year"),
    ("imports_usd", "Imports from it, a year"),
    ("share_of_partner_trade_pct", "Share of its trade"),
    ("rank_among_partners", "Rank among its partners"),
    ("net_oda_usd", "Net bilateral ODA, a year"),
    ("official_loans_usd", "Official loan disbursements, a year"),
    ("fdi_inflow_usd", "FDI inflows, a year"),
)


class Writer:
    """Writes numbers into sentences through the footnote registry."""

    def __init__(self, store: Store, source_ids: Sequence[str]) -> None:
        prov = catalog.provenance(store, list(source_ids))
        self.notes = Notes({p["source_id"]: p for p in prov})

    def n(self, label: str, value: float, source_id: str | Sequence[str],
          kind: str = "usd") -> Span:
        return self.notes.number(label, value, source_id, kind)


def thennow_index(answer: catalog.Answer) -> dict[tuple[str, str], Row]:
    return {(r["comparator"], r["measure"]): r for r in answer.data}


def _value(idx: dict[tuple[str, str], Row], who: str, measure: str, when: str) -> Any:
    row = idx.get((who, measure))
    return None if row is None else row[f"{when}_value"]


def role_section(w: Writer, idx: dict[tuple[str, str], Row], place: str, p0: Period,
                 p1: Period) -> Section:
    s = Section("Japan's role, then and now")
    t0, t1 = (_value(idx, "JPN", "total_trade_usd", x) for x in ("then", "now"))
    if t0 is not None and t1 is not None:
        row = idx[("JPN", "total_trade_usd")]
        parts: list[str | Span] = [
            f"Japan's trade with {place} averaged ",
            w.n(f"JPN total trade {p1.label}", t1, "imf_dots"),
            f" a year in {p1.label}, against ",
            w.n(f"JPN total trade {p0.label}", t0, "imf_dots"), f" in {p0.label}"]
        if row["cagr_pct"] is not None:
            parts += [" (", w.n("JPN trade CAGR", row["cagr_pct"], "imf_dots", "growth"),
                      " a year)"]
        s.paragraphs.append(sentence(*parts, "."))
    else:
        s.paragraphs.append(sentence(f"No trade data for Japan and {place} in both periods."))
    sh0, sh1 = (_value(idx, "JPN", "share_of_partner_trade_pct", x) for x in ("then", "now"))
    r0, r1 = (_value(idx, "JPN", "rank_among_partners", x) for x in ("then", "now"))
    if sh0 is not None and sh1 is not None:
        parts = [f"Japan's share of {place}'s trade went from ",
                 w.n("JPN share then", sh0, "imf_dots", "pct"), " to ",
                 w.n("JPN share now", sh1, "imf_dots", "pct")]
        if r0 is not None and r1 is not None:
            parts += ["; among its partners Japan ranked ",
                      w.n("JPN rank then", r0, "imf_dots", "rank"), " then and ",
                      w.n("JPN rank now", r1, "imf_dots", "rank"), " now"]
        s.paragraphs.append(sentence(*parts, "."))
    c0, c1 = (_value(idx, "CHN", "share_of_partner_trade_pct", x) for x in ("then", "now"))
    u1 = _value(idx, "USA", "share_of_partner_trade_pct", "now")
    if None not in (c0, c1, sh0, sh1):
        verb = ("overtook Japan" if c0 < sh0 and c1 > sh1 else
                "stayed ahead of Japan" if c0 >= sh0 and c1 > sh1 else
                "stayed behind Japan" if c1 <= sh1 else "moved")
        parts = [f"China {verb}: its share went from ", w.n("CHN share then", c0, "imf_dots",
                                                           "pct"),
                 " to ", w.n("CHN share now", c1, "imf_dots", "pct")]
        if u1 is not None:
            parts += ["; the United States held ", w.n("USA share now", u1, "imf_dots", "pct")]
        s.paragraphs.append(sentence(*parts, f" in {p1.label}."))
    return s


def finance_section(w: Writer, idx: dict[tuple[str, str], Row], place: str, p0: Period,
                    p1: Period) -> Section:
    s = Section("Lender, investor and donor")
    for measure, what in (("net_oda_usd", "Japan's net bilateral ODA"),
                          ("official_loans_usd", "Japan's official loan disbursements"),
                          ("fdi_inflow_usd", "FDI from Japan")):
        src = MEASURE_SOURCE[measure]
        v0, v1 = (_value(idx, "JPN", measure, x) for x in ("then", "now"))
        if v0 is None and v1 is None:
            s.paragraphs.append(sentence(f"No data on {what.lower()} to {place} in either "
                                         "period."))
        elif v1 is None:
            s.paragraphs.append(sentence(f"{what} to {place} averaged ",
                                         w.n(f"{measure} then", v0, src), f" a year in "
                                         f"{p0.label}; there are no data for {p1.label}."))
        elif v0 is None:
            s.paragraphs.append(sentence(f"{what} to {place} averaged ",
                                         w.n(f"{measure} now", v1, src), f" a year in "
                                         f"{p1.label}; there are no data for {p0.label}."))
        else:
            s.paragraphs.append(sentence(f"{what} to {place} averaged ",
                                         w.n(f"{measure} now", v1, src),
                                         f" a year in {p1.label}, against ",
                                         w.n(f"{measure} then", v0, src),
                                         f" in {p0.label}."))
    return s


def key_table(w: Writer, idx: dict[tuple[str, str], Row], p0: Period, p1: Period) -> Table:
    cols = ["Measure", f"Japan {p0.label}", f"Japan {p1.label}", f"China {p1.label}",
            f"USA {p1.label}"]
    rows: list[list[str | Span]] = []
    for measure, label in TABLE_MEASURES:
        src, kind = MEASURE_SOURCE[measure], KIND.get(measure, "usd")
        cells: list[str | Span] = [label]
        for who, when in (("JPN", "then"), ("JPN", "now"), ("CHN", "now"), ("USA", "now")):
            v = _value(idx, who, measure, when)
            cells.append("no data" if v is None else
                         w.n(f"{who} {measure} {when}", v, src, kind))
        rows.append(cells)
    return Table(cols, rows, "Means per year over each period; no data is shown as such.")


def _pooled(rows: list[Row], who: str, p: Period) -> tuple[float, int] | None:
    sel = [r for r in rows if r["with_iso3"] == who and p.start <= r["year"] <= p.end]
    votes = sum(r["votes"] for r in sel)
    if votes == 0:
        return None
    return sum(r["agreement"] * r["votes"] for r in sel) / votes, votes


def alignment_section(w: Writer, store: Store, target: str, place: str, p0: Period,
                      p1: Period) -> Section:
    s = Section("Diplomatic alignment")
    rows = questions.diplomatic_support(store, target).data
    a0, a1 = _pooled(rows, "JPN", p0), _pooled(rows, "JPN", p1)
    if a0 is None and a1 is None:
        s.paragraphs.append(sentence(f"No UN General Assembly votes for {place} in either "
                                     "period."))
        return s
    parts: list[str | Span] = [f"In the UN General Assembly, {place} voted as Japan did on "]
    if a1 is not None:
        parts += [w.n("UN agreement now", a1[0] * 100, "un_votes", "pct"),
                  f" of roll calls in {p1.label}"]
    else:
        parts += [f"no recorded roll calls in {p1.label} (the data end in January 2020)"]
    if a0 is not None:
        parts += [", against ", w.n("UN agreement then", a0[0] * 100, "un_votes", "pct"),
                  f" in {p0.label}"]
    s.paragraphs.append(sentence(*parts, "."))
    for who, name in (("USA", "the United States"), ("CHN", "China")):
        a = _pooled(rows, who, p1)
        if a is not None:
            s.paragraphs.append(sentence(f"With {name}: ", w.n(f"UN agreement {who} now",
                                                               a[0] * 100, "un_votes", "pct"),
                                         f" in {p1.label}."))
    return s


def outlook_section(w: Writer, store: Store, target: str, place: str) -> Section:
    s = Section("Where the series are heading")
    try:
        ans = questions.outlook_answer(store, target, "trade", 5)
    except Exception:  # noqa: BLE001 - too few years: say so instead of failing the brief
        s.paragraphs.append(sentence(f"Too few years of trade data with {place} for a trend."))
        return s
    proj = [r for r in ans.data if r["kind"] == "projection"]
    last = proj[-1]
    s.paragraphs.append(sentence(
        f"Projection, not a forecast: if the trend of the last 15 years held, Japan's trade "
        f"with {place} would be about ", w.n("outlook value", last["value"], "imf_dots"),
        f" in {last['year']}, within ", w.n("outlook low", last["lower_80"], "imf_dots"),
        " to ", w.n("outlook high", last["upper_80"], "imf_dots"),
        " with 80 % probability under the trend model."))
    return s


def comparator_chart(store: Store, iso3: str, name: str) -> Chart | None:
    rows = catalog.country_comparators(store, iso3).data
    spec = charts.comparator_lines(rows, name)
    if spec is None:
        return None
    return Chart(_fixed(spec), f"Line chart: Japan's, China's and the USA's trade with {name} "
                 "by year (IMF DOTS).", ["imf_dots"])


def trade_chart(store: Store, iso3: str, name: str) -> Chart | None:
    rows = catalog.country_trade(store, iso3).data
    spec = charts.country_trade_lines(rows, name)
    if spec is None:
        return None
    return Chart(_fixed(spec), f"Line chart: Japan's exports to and imports from {name}, and "
                 "the balance, by year, as Japan reports (IMF DOTS).", ["imf_dots"])


def _fixed(spec: dict[str, Any]) -> dict[str, Any]:
    """Fixed size for print: a page is about 640 px wide."""
    config = dict(spec.get("config", {}))
    config["axis"] = {**config.get("axis", {}), "labelFontSize": 10, "labelOverlap": True}
    return dict(spec, width=620, autosize={"type": "fit", "contains": "padding"},
                config=config)


def periods(then: str, now: str) -> tuple[Period, Period]:
    return parse_period(then), parse_period(now)
