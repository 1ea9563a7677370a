"""Vega-Lite specs written by hand: lines and bars with the data inline and tooltips on marks.

Every builder takes plain rows (from `kakehashi.catalog`) and returns a spec dict, or None
when there is nothing to draw, so the page can say "No data" instead of drawing zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kakehashi.web.i18n import _

Spec = dict[str, Any]
Row = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
HEIGHT = 260
# Colour-blind-safe, readable on white (WCAG contrast >= 3:1 against the background).
SERIES_COLOURS = {
    "Japan": "#c8102e",
    "China": "#b35c00",
    "United States": "#1f4e9c",
}
FLOW_COLOURS = {"Exports": "#1f4e9c", "Imports": "#b35c00", "Balance": "#4d4d4d"}
EVENT_COLOURS = ["#1f4e9c", "#c8102e", "#2e7d32", "#b35c00", "#6a3d9a", "#00838f", "#4d4d4d"]
CONFIG: Spec = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333",
             "titleColor": "#222", "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 320,
               "columns": 3},
    "title": {"fontSize": 14, "anchor": "start", "color": "#222"},
    "view": {"stroke": None},
}


def _base(description: str, values: list[Row]) -> Spec:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "config": CONFIG,
    }


def _mn(value: Any) -> float | None:
    return None if value is None else round(float(value) / 1e6, 3)


def _year_ticks(years: Iterable[int], step: int = 5) -> list[int]:
    ys = sorted(set(years))
    return [y for y in ys if y % step == 0] if len(ys) > 15 else ys


def _colour_scale(series: Sequence[str], palette: dict[str, str]) -> Spec:
    domain = [s for s in palette if s in series] + [s for s in series if s not in palette]
    fallback = list(EVENT_COLOURS)
    return {"domain": domain,
            "range": [palette.get(s) or fallback[i % len(fallback)] for i, s in
                      enumerate(domain)]}


def lines(values: list[Row], *, description: str, y_title: str, series_title: str,
          palette: dict[str, str] | None = None, y_format: str = ",.1f",
          extra_tooltip: Sequence[Spec] = (), zero: bool = True) -> Spec | None:
    """Lines with points: values have year, series, value.

    A year missing inside a series' span gets a null row, and nulls break the line, so a gap
    in the data is a gap in the chart: never a zero, never a line drawn across it.
    """
    present = [v for v in values if v.get("value") is not None]
    if not present:
        return None
    series = list(dict.fromkeys(str(v["series"]) for v in present))
    values = _with_gaps(values)
    spec = _base(description, values)
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 28}, "tooltip": True,
                    "strokeWidth": 2, "invalid": "break-paths-show-domains"}
    spec["encoding"] = {
        "x": {"field": "year", "type": "quantitative", "title": "Year",
              "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False}},
        "y": {"field": "value", "type": "quantitative", "title": y_title,
              "axis": {"format": ".0%" if "%" in y_format else ",~f"},
              "scale": {"zero": zero}},
        "color": {"field": "series", "type": "nominal", "title": series_title,
                  "scale": _colour_scale(series, palette or SERIES_COLOURS)},
        "tooltip": [
            {"field": "series", "type": "nominal", "title": series_title},
            {"field": "year", "type": "quantitative", "title": "Year", "format": "d"},
            {"field": "value", "type": "quantitative", "title": y_title, "format": y_format},
            *extra_tooltip,
        ],
    }
    return spec


def _with_gaps(values: list[Row]) -> list[Row]:
    years: dict[str, set[int]] = {}
    for v in values:
        if v.get("value") is not None:
            years.setdefault(str(v["series"]), set()).add(int(v["year"]))
    out = [v for v in values if str(v["series"]) in years]
    seen = {(str(v["series"]), int(v["year"])) for v in out}
    for s, ys in years.items():
        for y in range(min(ys), max(ys) + 1):
            if (s, y) not in seen:
                out.append({"year": y, "series": s, "value": None})
    return sorted(out, key=lambda v: (str(v["series"]), int(v["year"])))


def year_bars(values: list[Row], *, description: str, y_title: str, y_format: str = ",.1f",
              colour: str = "#1f4e9c", extra_tooltip: Sequence[Spec] = ()) -> Spec | None:
    """One bar per year (negative bars go below zero); values have year and value."""
    values = [v for v in values if v.get("value") is not None]
    if not values:
        return None
    years = [int(v["year"]) for v in values]
    # Every year in the span is on the axis, so a year without data shows as a gap.
    span = list(range(min(years), max(years) + 1))
    spec = _base(description, values)
    spec["mark"] = {"type": "bar", "tooltip": True, "color": colour}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": "Year",
              "scale": {"domain": span},
              "axis": {"values": _year_ticks(span), "labelAngle": 0}},
        "y": {"field": "value", "type": "quantitative", "title": y_title,
              "axis": {"format": ",~f"}},
        "tooltip": [
            {"field": "year", "type": "ordinal", "title": "Year"},
            {"field": "value", "type": "quantitative", "title": y_title, "format": y_format},
            *extra_tooltip,
        ],
    }
    return spec


def ranked_bars(values: list[Row], *, description: str, x_title: str) -> Spec | None:
    """Horizontal bars sorted by value; values have name, value and optional extras."""
    values = [v for v in values if v.get("value") is not None]
    if not values:
        return None
    spec = _base(description, values)
    spec["height"] = {"step": 18}
    spec["mark"] = {"type": "bar", "tooltip": True, "color": SERIES_COLOURS["Japan"]}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": "-x"},
        "x": {"field": "value", "type": "quantitative", "title": x_title,
              "axis": {"format": ",~f", "tickCount": 6}},
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Country"},
            {"field": "value", "type": "quantitative", "title": x_title, "format": ",.1f"},
            {"field": "exports", "type": "quantitative", "title": "Exports (USD mn)",
             "format": ",.1f"},
            {"field": "imports", "type": "quantitative", "title": "Imports (USD mn)",
             "format": ",.1f"},
        ],
    }
    return spec


def timeline(values: list[Row], *, description: str) -> Spec | None:
    """Events as points on a date axis, one row per event type."""
    if not values:
        return None
    types = sorted({str(v["type"]) for v in values})
    spec = _base(description, values)
    spec["height"] = max(80, 34 * len(types))
    spec["mark"] = {"type": "point", "filled": True, "size": 90, "tooltip": True,
                    "opacity": 0.85}
    spec["encoding"] = {
        "x": {"field": "start", "type": "temporal", "title": "Date",
              "axis": {"format": "%Y"}},
        "y": {"field": "type", "type": "nominal", "title": None},
        "color": {"field": "type", "type": "nominal", "legend": None,
                  "scale": {"domain": types,
                            "range": [EVENT_COLOURS[i % len(EVENT_COLOURS)]
                                      for i in range(len(types))]}},
        "shape": {"field": "precision", "type": "nominal", "title": "Date precision",
                  "scale": {"domain": ["day", "month", "year"],
                            "range": ["circle", "square", "diamond"]}},
        "tooltip": [
            {"field": "date", "type": "nominal", "title": "Date"},
            {"field": "type", "type": "nominal", "title": "Type"},
            {"field": "actor", "type": "nominal", "title": "Japanese actor"},
            {"field": "title", "type": "nominal", "title": "Event"},
        ],
    }
    return spec


# -- builders for the catalog's datasets -------------------------------------------------------

def region_trade_total(rows: list[Row]) -> Spec | None:
    values = [{"year": r["year"], "series": r["reporter"], "value": _mn(r["total_usd"]),
               "exports": _mn(r["exports_usd"]), "imports": _mn(r["imports_usd"])}
              for r in rows]
    return lines(values, y_title="Exports + imports (USD mn)", series_title="Reporter",
                 description=_("Line chart of total goods trade (exports plus imports) of "
                               "Japan, China and the United States with the 33 LAC countries, "
                               "by year, USD million, as each reports it to the IMF."),
                 extra_tooltip=_flow_tooltip())


def region_trade_japan(rows: list[Row]) -> Spec | None:
    values: list[Row] = []
    for r in rows:
        if r["reporter_iso3"] != "JPN":
            continue
        values.append({"year": r["year"], "series": "Exports", "value": _mn(r["exports_usd"])})
        values.append({"year": r["year"], "series": "Imports", "value": _mn(r["imports_usd"])})
    return lines(values, y_title="USD mn", series_title="Japan's", palette=FLOW_COLOURS,
                 description=_("Line chart of Japan's reported exports to and imports from "
                               "the 33 LAC countries, by year, USD million."))


def oda_bars(rows: list[Row], who: str) -> Spec | None:
    values = [{"year": r["year"], "value": _mn(r["value_usd"])} for r in rows]
    return year_bars(values, y_title="Net ODA (USD mn)", colour=SERIES_COLOURS["Japan"],
                     description=_("Bar chart of Japan's net bilateral ODA to {who} by year, "
                                   "USD million; bars below zero are net repayments.", who=who))


def top_partner_bars(rows: list[Row], year: int) -> Spec | None:
    values = [{"name": r["name"], "value": _mn(r["total_usd"]), "exports": _mn(r["exports_usd"]),
               "imports": _mn(r["imports_usd"])} for r in rows]
    return ranked_bars(values, x_title=_("Exports + imports {year} (USD mn)", year=year),
                       description=_("Horizontal bar chart of Japan's total goods trade with "
                                     "each LAC country in {year}, USD million, largest first.",
                                     year=year))


def country_trade_lines(rows: list[Row], name: str) -> Spec | None:
    values: list[Row] = []
    for r in rows:
        for series, key, basis in (("Exports", "exports_usd", "exports_basis"),
                                   ("Imports", "imports_usd", "imports_basis"),
                                   ("Balance", "balance_usd", None)):
            values.append({"year": r["year"], "series": series, "value": _mn(r[key]),
                           "basis": r[basis] if basis else "exports - imports"})
    return lines(values, y_title="USD mn", series_title="Japan's", palette=FLOW_COLOURS,
                 extra_tooltip=[{"field": "basis", "type": "nominal", "title": "Basis"}],
                 description=_("Line chart of Japan's reported exports to, imports from and "
                               "trade balance with {name}, by year, USD million.", name=name))


def comparator_lines(rows: list[Row], name: str) -> Spec | None:
    values = [{"year": r["year"], "series": r["reporter"], "value": _mn(r["total_usd"]),
               "exports": _mn(r["exports_usd"]), "imports": _mn(r["imports_usd"])}
              for r in rows]
    return lines(values, y_title="Exports + imports (USD mn)", series_title="Reporter",
                 extra_tooltip=_flow_tooltip(),
                 description=_("Line chart of the total goods trade of Japan, China and the "
                               "United States with {name}, by year, USD million.", name=name))


def official_flow_lines(rows: list[Row], name: str) -> Spec | None:
    values = [{"year": r["year"],
               "series": f"{r['instrument'].replace('_', ' ')}: {r['measure'].replace('_', ' ')}",
               "value": _mn(r["value_usd"])}
              for r in rows if r["source_id"] == "one_net_flows"]
    return lines(values, y_title="USD mn", series_title="Instrument: measure",
                 palette={}, zero=True,
                 description=_("Line chart of Japan's official grants and loans to {name} by "
                               "instrument: inflows positive, debt service negative, USD "
                               "million.", name=name))


def fdi_bars(rows: list[Row], name: str) -> Spec | None:
    values = [{"year": r["year"], "value": _mn(r["value_usd"]), "basis": r["data_basis"]}
              for r in rows]
    return year_bars(values, y_title="Net FDI inflow (USD mn)",
                     extra_tooltip=[{"field": "basis", "type": "nominal", "title": "Reported by"}],
                     description=_("Bar chart of net FDI inflows from Japan into {name} by "
                                   "year, USD million; negative bars are disinvestment.",
                                   name=name))


def growth_lines(rows: list[Row], name: str) -> Spec | None:
    values = [{"year": r["year"], "series": r["country"], "value": r["gdp_growth_pct"]}
              for r in rows]
    palette = {name: "#1f4e9c", _("Japan"): SERIES_COLOURS["Japan"]}
    return lines(values, y_title="GDP growth (%)", series_title="Country", palette=palette,
                 y_format=".1f", zero=False,
                 description=_("Line chart of annual real GDP growth of {name} and Japan, "
                               "percent.", name=name))


MIN_ROLL_CALLS = 5


def agreement_lines(rows: list[Row], name: str) -> Spec | None:
    """Yearly agreement; years with fewer than MIN_ROLL_CALLS shared votes are not drawn."""
    values = [{"year": r["year"], "series": r["with_country"], "value": r["agreement"],
               "both": r["roll_calls_both_voted"], "same": r["same_vote"]} for r in rows
              if r["roll_calls_both_voted"] >= MIN_ROLL_CALLS]
    return lines(values, y_title="Share of votes alike", series_title="Agreement with",
                 y_format=".0%",
                 extra_tooltip=[
                     {"field": "same", "type": "quantitative", "title": "Same vote"},
                     {"field": "both", "type": "quantitative", "title": "Both voted"}],
                 description=_("Line chart of the share of UN General Assembly roll calls on "
                               "which {name} voted as Japan, the United States and China did, "
                               "by year.", name=name))


def event_points(rows: list[Row], name: str) -> Spec | None:
    values = [{"start": r["date_start"], "date": r["date_text"], "precision": r["date_precision"],
               "type": r["event_type"].replace("_", " "), "actor": r["japanese_actor"],
               "title": r["title"]} for r in rows]
    return timeline(values, description=_("Timeline of curated Japan-{name} events, one row "
                                          "of points per event type.", name=name))


def _flow_tooltip() -> list[Spec]:
    return [{"field": "exports", "type": "quantitative", "title": "Exports (USD mn)",
             "format": ",.1f"},
            {"field": "imports", "type": "quantitative", "title": "Imports (USD mn)",
             "format": ",.1f"}]
