"""The products section of a country brief: Japan's top products each way then vs now, the
notable new and lost products, and the change in product concentration, every number
footnoted to the product data's source (CEPII BACI, or the bundled Mexico extract with its
caveat). Written only where product data cover the country."""

from __future__ import annotations

from typing import Any

from kakehashi import product_questions as pq
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.reports.cite import Span, sentence
from kakehashi.reports.content import Writer
from kakehashi.reports.model import Section, Table
from kakehashi.store.reader import Store

Row = dict[str, Any]
TOP = 3
NOTABLE_SHARE_PCT = 1.0  # new and lost products worth naming: at least 1 % of the trade
NAME_CHARS = 60
CAVEATS = {
    "comtrade_mexico": "Product data: Mexico's own declarations to UN Comtrade at four-digit "
                       "headings. Small partner flows are missing from this extract, so it "
                       "shows the composition of the trade, not its totals, and a product can "
                       "look new or lost when it crosses the extract's threshold.",
    "baci": "Product data: CEPII BACI, the exporters' and importers' declarations to UN "
            "Comtrade reconciled by CEPII (exports valued FOB).",
}


def _periods(years: list[int]) -> tuple[str, str] | None:
    """The CLI's default periods when the data cover them, else the first and last two
    years (the dashboard chooses the same way)."""
    have = set(years)
    if len(have) < 2:
        return None
    if all(y in have for y in (2015, 2016, 2020, 2021)):
        return "2015-2016", "2020-2021"
    ys = sorted(have)
    if len(ys) >= 4 and ys[1] == ys[0] + 1 and ys[-1] == ys[-2] + 1:
        return f"{ys[0]}-{ys[1]}", f"{ys[-2]}-{ys[-1]}"
    return str(ys[0]), str(ys[-1])


def _short(row: Row) -> str:
    text = " ".join(str(row.get("description") or "").split()).rstrip(" .")
    return text if len(text) <= NAME_CHARS else text[:NAME_CHARS - 1].rstrip(" ,;") + "…"


def _name(row: Row) -> str:
    return f"{row['product']} {_short(row)}".strip()


def _cite(w: Writer, answer: Answer) -> str:
    """The product data's source id, registered for the footnotes."""
    for p in answer.provenance:
        w.notes.provenance.setdefault(str(p["source_id"]), p)
    return str(answer.provenance[0]["source_id"])


def _listing(w: Writer, rows: list[Row], key: str, label: str, src: str) -> list[str | Span]:
    parts: list[str | Span] = []
    for i, r in enumerate(rows):
        parts += [", " if i else "", Span(_short(r) or str(r["product"]), quoted=True), " (",
                  w.n(f"{label} {r['product']}", r[key], src), ")"]
    return parts


def products_section(w: Writer, store: Store, code: str, place: str) -> Section | None:
    """None where no product data cover Japan and the country."""
    try:
        with pq.product_data(store, ["JPN", code]) as data:
            years = sorted(int(y) for y in data.years)
    except NotFound:
        return None
    chosen = _periods(years)
    if chosen is None:
        return None
    then, now = chosen
    s = Section("What Japan sells and buys, product by product")
    rows: list[list[str | Span]] = []
    src = ""
    try:
        for direction, flow, who in (("exports", "Japan's exports", f"Japan's exports to "
                                                                   f"{place}"),
                                     ("imports", "Japan's imports", f"Japan's imports from "
                                                                    f"{place}")):
            top = pq.top(store, code, direction=direction, then=then, now=now, n=TOP)
            src = _cite(w, top)
            ranked = sorted((r for r in top.data if r["rank_now"] is not None
                             and r["rank_now"] <= TOP), key=lambda r: r["rank_now"])
            for r in ranked:
                rows.append([_name(r), flow,
                             "not traded" if r["status"] == "new" else
                             w.n(f"{direction} {r['product']} then", r["value_then"], src),
                             "not traded" if r["status"] == "lost" else
                             w.n(f"{direction} {r['product']} now", r["value_now"], src),
                             w.n(f"{direction} {r['product']} share now", r["share_now_pct"],
                                 src, "pct"), r["status"]])
            moves = pq.changes(store, code, direction=direction, then=then, now=now,
                               min_share_pct=NOTABLE_SHARE_PCT).data
            new = sorted((r for r in moves if r["status"] == "new"),
                         key=lambda r: -r["value_now"])[:2]
            lost = sorted((r for r in moves if r["status"] == "lost"),
                          key=lambda r: -r["value_then"])[:2]
            if new or lost:
                parts: list[str | Span] = [f"{who}, {then} to {now}: "]
                if new:
                    parts += ["new products include ",
                              *_listing(w, new, "value_now", f"{direction} new", src),
                              " a year now"]
                if lost:
                    parts += ["; " if new else "", "products no longer traded include ",
                              *_listing(w, lost, "value_then", f"{direction} lost", src),
                              " a year then"]
                s.paragraphs.append(sentence(*parts, "."))
            first, last = years[0], years[-1]
            hhi = {int(r["year"]): r["hhi"] for r in pq.concentration(
                store, code, direction=direction, years=f"{first}-{last}").data}
            if hhi.get(first) is not None and hhi.get(last) is not None:
                s.paragraphs.append(sentence(
                    f"The product concentration of {who} (Herfindahl-Hirschman index, from "
                    "zero to ten thousand for a single product) went from ",
                    w.n(f"{direction} HHI {first}", hhi[first] * 10_000, src, "count"),
                    f" in {first} to ",
                    w.n(f"{direction} HHI {last}", hhi[last] * 10_000, src, "count"),
                    f" in {last}."))
    except (NotFound, InvalidRequest):
        return None
    s.table = Table(["Product (HS code)", "Flow", f"{then}, a year", f"{now}, a year",
                     "Share now", "Status"], rows,
                    f"The top products each way, {then} vs {now}: mean value a year; new = not "
                    "traded then, lost = not traded now.")
    s.paragraphs.insert(0, sentence(CAVEATS.get(src, CAVEATS["baci"])))
    return s
