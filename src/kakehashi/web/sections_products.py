"""The product panels of the country and region pages: top products then vs now each way,
HS-section shares, product concentration; on the region page (with the BACI lake) the
sectors that matter to Japan and the complementarity table.

Each builder takes answers from `asks_products` (that is, from
`kakehashi.product_questions`) and arranges them for display; no analytic is computed here.
Where there are no product data the section is a one-line note on how to add them, never an
empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kakehashi.analytics import products as product_analytics
from kakehashi.catalog import Answer
from kakehashi.errors import InvalidRequest, NotFound
from kakehashi.store.reader import Store
from kakehashi.web import asks_products as ap
from kakehashi.web import charts_products
from kakehashi.web.i18n import _
from kakehashi.web.rendering import Column, Panel

API = "/api/v1/products"


@dataclass
class ProductSection:
    """The products section of a page: its panels, or the note saying why there are none."""

    panels: dict[str, Panel] = field(default_factory=dict)
    note: str = ""
    then: str = ""
    now: str = ""
    label: str = ""
    caveat: str = ""


def _label(answer: Answer) -> str:
    source = answer.provenance[0]["source_id"] if answer.provenance else ""
    return _("Bundled Mexico extract (HS4)") if source == "comtrade_mexico" else \
        _("CEPII BACI (HS6)") if "HS6" in answer.notes else _("CEPII BACI (HS4)")


def _top_panel(store: Store, code: str, name: str, direction: str, then: str,
               now: str) -> Panel:
    answer = ap.top(store, code, "JPN", direction, then, now, "10")
    who = (_("Japan's exports to {name}", name=name) if direction == "exports"
           else _("Japan's imports from {name}", name=name))
    query = urlencode({"country": code, "reporter": "JPN", "direction": direction,
                       "then": then, "now": now, "n": 10})
    rows = [{**r, "status_label": _(charts_products.STATUS.get(str(r["status"]),
                                                               str(r["status"])))}
            for r in answer.data]
    return Panel(
        f"products-{direction}", _("Top products: {who}, {then} vs {now}", who=who, then=then,
                                   now=now),
        answer, f"{API}/top?{query}",
        spec=charts_products.top_products(answer.data, then, now, who), rows=rows,
        intro=_("The ten largest products now (and any in the top ten then), mean value a "
                "year, USD million: grey then, red now. A triangle marks a product not traded "
                "then (new), a cross one not traded now (lost)."),
        empty=_("No product trade recorded in these periods."),
        columns=[Column("rank_now", _("Rank now"), "int"),
                 Column("rank_then", _("Rank then"), "int"),
                 Column("product", _("HS code")), Column("description", _("Product")),
                 Column("value_then", _("Then (USD mn a year)"), "mn"),
                 Column("value_now", _("Now (USD mn a year)"), "mn"),
                 Column("share_now_pct", _("Share now (%)"), "pct"),
                 Column("status_label", _("Status"))])


def _sections_panel(store: Store, code: str, name: str, direction: str, then: str,
                    now: str) -> Panel:
    answer = ap.sections(store, code, "JPN", direction, then, now)
    who = (_("Japan's exports to {name}", name=name) if direction == "exports"
           else _("Japan's imports from {name}", name=name))
    query = urlencode({"country": code, "reporter": "JPN", "direction": direction,
                       "then": then, "now": now})
    return Panel(
        f"products-sections-{direction}",
        _("HS sections: {who}, {then} vs {now}", who=who, then=then, now=now), answer,
        f"{API}/sections?{query}",
        spec=charts_products.section_shares(answer.data, then, now, who),
        intro=_("Share of each HS section in the pair's trade, then and now (sections under "
                "0.5 % in both periods are in the table only)."),
        empty=_("No product trade recorded in these periods."),
        columns=[Column("section_number", _("Section"), "int"),
                 Column("section", _("HS section")),
                 Column("value_then", _("Then (USD mn a year)"), "mn"),
                 Column("value_now", _("Now (USD mn a year)"), "mn"),
                 Column("share_then_pct", _("Share then (%)"), "pct"),
                 Column("share_now_pct", _("Share now (%)"), "pct"),
                 Column("change_pp", _("Change (points)"), "pct")])


def _concentration_panel(store: Store, code: str, name: str, years: str) -> Panel:
    series: list[tuple[str, list[dict[str, Any]]]] = []
    rows: list[dict[str, Any]] = []
    answer = Answer([], [], "", "")
    for direction, who in (("exports", _("Japan's exports to {name}", name=name)),
                           ("imports", _("Japan's imports from {name}", name=name))):
        a = ap.concentration(store, code, "JPN", direction, years)
        answer = Answer(answer.data + a.data, a.provenance, a.unit, a.notes)
        series.append((who, a.data))
        rows += [{**r, "trade": who} for r in a.data]
    query = urlencode({"country": code, "reporter": "JPN", "direction": "exports",
                       "years": years})
    return Panel(
        "products-hhi", _("Product concentration (HHI): Japan and {name}, {years}", name=name,
                          years=years), answer, f"{API}/concentration?{query}",
        spec=charts_products.concentration_lines(series), rows=rows,
        intro=_("Sum of the squared shares of the products in each direction of trade: "
                "higher means fewer products carry more of it (1 = a single product). The "
                "CSV link gives Japan's exports; add direction=imports for its imports."),
        empty=_("No product trade recorded in these years."),
        columns=[Column("trade", _("Trade")), Column("year", _("Year"), "year"),
                 Column("products", _("Products"), "int"), Column("hhi", "HHI", "idx"),
                 Column("top5_share_pct", _("Top five products (%)"), "pct"),
                 Column("value_usd", _("USD mn"), "mn")])


def country_products(store: Store, code: str, name: str) -> ProductSection:
    """The products section of a country page (Japan's exports to and imports from it)."""
    try:
        chosen = ap.page_periods(ap.pair_years(store, code))
    except NotFound:
        return ProductSection(note=_("No product-level data for {name}: the bundled product "
                                     "data cover Mexico only. Add CEPII BACI files with "
                                     "kakehashi products ingest for every country.", name=name))
    if chosen is None:
        return ProductSection(note=_("Too few years of product data for a then-vs-now "
                                     "comparison."))
    then, now, years = chosen
    try:
        panels = {
            "exports": _top_panel(store, code, name, "exports", then, now),
            "imports": _top_panel(store, code, name, "imports", then, now),
            "sections_exports": _sections_panel(store, code, name, "exports", then, now),
            "sections_imports": _sections_panel(store, code, name, "imports", then, now),
            "hhi": _concentration_panel(store, code, name, years),
        }
    except (NotFound, InvalidRequest) as exc:
        return ProductSection(note=str(exc))
    label = _label(panels["exports"].answer)
    caveat = _("Mexico's declarations to UN Comtrade at HS4: small partner flows are missing "
               "from this extract, so a product can look new or lost when it crosses the "
               "extract's threshold; read it for composition, not totals.") \
        if label == _("Bundled Mexico extract (HS4)") else ""
    return ProductSection(panels, "", then, now, label, caveat)


def region_products(store: Store) -> ProductSection:
    """The region page's sectors that matter to Japan and complementarity (the lake only)."""
    if not ap.has_lake(store):
        return ProductSection(note=_("Sectors that matter to Japan and trade complementarity "
                                     "need every country's trade by product: add CEPII BACI "
                                     "files with kakehashi products ingest."))
    chosen = ap.page_periods(ap.lake_years(store))
    if chosen is None:
        return ProductSection(note=_("Too few years of product data for a then-vs-now "
                                     "comparison."))
    then, now, _years = chosen
    try:
        imp = ap.importance(store, "LAC", "JPN", then, now)
        comp = ap.complementarity(store, "LAC", now)
    except (NotFound, InvalidRequest) as exc:
        return ProductSection(note=str(exc))
    drivers = [(n, _(text)) for n, text, _unit in product_analytics.SECTOR_DRIVERS]
    importance = Panel(
        "region-sectors", _("Sectors that matter to Japan in LAC, {then} vs {now}", then=then,
                            now=now), imp,
        f"{API}/importance?{urlencode({'target': 'LAC', 'then': then, 'now': now})}",
        spec=charts_products.sector_contributions(imp.data, drivers),
        intro=_("HS sections of Japan's trade with the LAC33 ranked by five drivers, each a "
                "percentile across the sections; the bar shows each driver's share of the "
                "score (equal weights; set them with w_<driver> in the API)."),
        columns=[Column("rank", _("Rank"), "int"), Column("section", _("HS section")),
                 Column("score", _("Score (0-1)"), "num3"),
                 Column("trade_now", _("Trade now (USD mn a year)"), "mn"),
                 *[Column(f"{n}_contribution", label, "num3") for n, label in drivers]])
    names = {"JPN": _("Japan"), "CHN": _("China"), "USA": _("United States")}
    rows = [{**r, "comparator_name": names.get(r["comparator"], r["comparator"]),
             "direction_label": _("Comparator's exports vs the country's imports")
             if str(r["direction"]).startswith("comparator")
             else _("The country's exports vs the comparator's imports")} for r in comp.data]
    complementarity = Panel(
        "region-complementarity", _("Trade complementarity with Japan, China and the USA, "
                                    "{years}", years=now), comp,
        f"{API}/complementarity?{urlencode({'target': 'LAC', 'years': now})}", chart=False,
        rows=rows,
        intro=_("Trade complementarity index (0-100): how well one side's exports match the "
                "other's imports, product by product (100 = a perfect match)."),
        empty=_("No product trade recorded in these years."),
        columns=[Column("country_iso3", _("Country")),
                 Column("comparator_name", _("Partner")),
                 Column("direction_label", _("Direction")),
                 Column("tci", _("Complementarity (0-100)"), "num"),
                 Column("shared_products", _("Products"), "int")])
    return ProductSection({"importance": importance, "complementarity": complementarity}, "",
                          then, now, _label(imp))

