"""Vega-Lite specs for the analytics: then vs now, ranking, shift-share, events, HHI, outlook.

Like `charts`, each builder takes plain rows (from `kakehashi.questions`) and returns a spec
or None when there is nothing to draw; values in USD are shown in millions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kakehashi.web.charts import EVENT_COLOURS, SERIES_COLOURS, Row, Spec, _base, _mn, lines
from kakehashi.web.i18n import _

PERIOD_COLOURS = ["#9e9e9e", "#c8102e"]
DRIVER_COLOURS = ["#c8102e", "#1f4e9c", "#2e7d32", "#b35c00", "#6a3d9a", "#00838f", "#4d4d4d",
                  "#ad1457"]
EFFECT_COLOURS = {"Market effect": "#1f4e9c", "Share effect": "#b35c00"}
PROJECTION = "Projection, not a forecast"


def thennow_bars(rows: Sequence[Row], names: dict[str, str], target: str) -> Spec | None:
    """Grouped bars: total trade then and now per comparator (USD mn, period means)."""
    values: list[Row] = []
    for r in rows:
        if r["measure"] != "total_trade_usd":
            continue
        for key, label in (("then_value", _("Then {p}", p=r["then"])),
                           ("now_value", _("Now {p}", p=r["now"]))):
            if r[key] is not None:
                values.append({"comparator": names.get(r["comparator"], r["comparator"]),
                               "period": label, "value": _mn(r[key]), "unit": r["unit"]})
    if not values:
        return None
    order = list(dict.fromkeys(v["comparator"] for v in values))
    periods = list(dict.fromkeys(v["period"] for v in values))
    spec = _base(_("Grouped bar chart of the mean annual goods trade (exports plus imports) "
                   "of {partners} with {target}, then and now, USD million.",
                   partners=", ".join(_(o) for o in order), target=target), values)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": {"field": "comparator", "type": "nominal", "title": None, "sort": order,
              "axis": {"labelAngle": 0}},
        "xOffset": {"field": "period", "type": "nominal", "sort": periods},
        "y": {"field": "value", "type": "quantitative", "title": "Trade per year (USD mn)",
              "axis": {"format": ",~f"}},
        "color": {"field": "period", "type": "nominal", "title": "Period",
                  "scale": {"domain": periods, "range": PERIOD_COLOURS[:len(periods)]}},
        "tooltip": [
            {"field": "comparator", "type": "nominal", "title": "Partner"},
            {"field": "period", "type": "nominal", "title": "Period"},
            {"field": "value", "type": "quantitative", "title": "USD mn per year",
             "format": ",.1f"},
            {"field": "unit", "type": "nominal", "title": "Unit"},
        ],
    }
    return spec


def rank_contributions(rows: Sequence[Row], drivers: Sequence[tuple[str, str]]) -> Spec | None:
    """Stacked horizontal bars: each driver's contribution to each country's score."""
    values: list[Row] = []
    for r in rows:
        for name, label in drivers:
            c = r.get(f"{name}_contribution")
            if c:
                values.append({"name": r["name"], "driver": label, "value": round(c, 4),
                               "score": round(r["score"], 4), "rank": r["rank"],
                               "raw": r.get(f"{name}_value"),
                               "percentile": r.get(f"{name}_percentile")})
    if not values:
        return None
    order = [r["name"] for r in rows]
    labels = [label for _, label in drivers]
    spec = _base("Stacked horizontal bar chart of each LAC country's importance score to "
                 "Japan, split into the contribution of each driver, highest score first.",
                 values)
    spec["height"] = {"step": 18}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": order},
        "x": {"field": "value", "type": "quantitative", "title": "Score (0-1), by driver",
              "stack": "zero", "scale": {"domain": [0, 1]}},
        "color": {"field": "driver", "type": "nominal", "title": "Driver",
                  "scale": {"domain": labels, "range": DRIVER_COLOURS[:len(labels)]}},
        "order": {"field": "driver_order", "type": "quantitative"},
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Country"},
            {"field": "rank", "type": "quantitative", "title": "Rank"},
            {"field": "score", "type": "quantitative", "title": "Score", "format": ".3f"},
            {"field": "driver", "type": "nominal", "title": "Driver"},
            {"field": "value", "type": "quantitative", "title": "Contribution", "format": ".3f"},
            {"field": "percentile", "type": "quantitative", "title": "Percentile",
             "format": ".2f"},
            {"field": "raw", "type": "quantitative", "title": "Value", "format": ",.3~s"},
        ],
    }
    for v in values:
        v["driver_order"] = labels.index(v["driver"])
    return spec


def shift_share_bars(rows: Sequence[Row], names: dict[str, str]) -> Spec | None:
    """Diverging stacked bars: market and share effect per country, USD mn."""
    values: list[Row] = []
    for r in rows:
        name = names.get(r["country_iso3"], r["country_iso3"])
        for key, label in (("market_effect", "Market effect"), ("share_effect", "Share effect")):
            if r[key] is not None:
                values.append({"name": name, "effect": label, "value": _mn(r[key]),
                               "change": _mn(r["change"])})
    if not values:
        return None
    order = list(dict.fromkeys(v["name"] for v in values))
    spec = _base("Diverging bar chart of the change in Japan's exports to each LAC country "
                 "split into a market effect and a share effect, USD million, largest change "
                 "first.", values)
    spec["height"] = {"step": 18}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": order},
        "x": {"field": "value", "type": "quantitative", "title": "USD mn per year",
              "axis": {"format": ",~f"}},
        "color": {"field": "effect", "type": "nominal", "title": "Effect",
                  "scale": {"domain": list(EFFECT_COLOURS),
                            "range": list(EFFECT_COLOURS.values())}},
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Country"},
            {"field": "effect", "type": "nominal", "title": "Effect"},
            {"field": "value", "type": "quantitative", "title": "USD mn", "format": ",.1f"},
            {"field": "change", "type": "quantitative", "title": "Total change (USD mn)",
             "format": ",.1f"},
        ],
    }
    return spec


def events_by_year(rows: Sequence[Row]) -> Spec | None:
    """Stacked bars: number of curated events per year, by type."""
    if not rows:
        return None
    values = [{"year": int(r["year"]), "type": str(r["event_type"]).replace("_", " ")}
              for r in rows]
    types = sorted({str(v["type"]) for v in values})
    years = [int(r["year"]) for r in rows]
    spec = _base("Stacked bar chart of the number of curated Japan-LAC events per year, "
                 "coloured by event type.", values)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": "Year",
              "scale": {"domain": list(range(min(years), max(years) + 1))},
              "axis": {"labelAngle": -90,
                       "values": [y for y in range(min(years), max(years) + 1) if y % 5 == 0]}},
        "y": {"aggregate": "count", "type": "quantitative", "title": "Events",
              "axis": {"tickMinStep": 1, "format": "d"}},
        "color": {"field": "type", "type": "nominal", "title": "Type",
                  "scale": {"domain": types,
                            "range": [EVENT_COLOURS[i % len(EVENT_COLOURS)]
                                      for i in range(len(types))]}},
        "tooltip": [
            {"field": "year", "type": "ordinal", "title": "Year"},
            {"field": "type", "type": "nominal", "title": "Type"},
            {"aggregate": "count", "type": "quantitative", "title": "Events"},
        ],
    }
    return spec


def hhi_lines(rows: Sequence[Row]) -> Spec | None:
    values = [{"year": r["year"], "series": "HHI", "value": r["hhi"],
               "partners": r["partners"], "top": r["top_partner_share"]} for r in rows]
    return lines(values, y_title="HHI (0-1)", series_title="Index", palette={"HHI": "#c8102e"},
                 y_format=".3f",
                 extra_tooltip=[
                     {"field": "partners", "type": "quantitative", "title": "Partners"},
                     {"field": "top", "type": "quantitative", "title": "Largest partner's share",
                      "format": ".1%"}],
                 description="Line chart of the Herfindahl-Hirschman index of Japan's trade "
                             "with the 33 LAC countries across partners, by year (1 = a "
                             "single partner).")


def outlook_chart(rows: Sequence[Row], who: str, title: str) -> Spec | None:
    """Observed line, projected line and its 80 % and 95 % prediction bands (USD mn)."""
    if not any(r["kind"] == "observed" for r in rows):
        return None
    values: list[Row] = []
    last_observed: Row | None = None
    for r in rows:
        v: dict[str, Any] = {"year": r["year"], "value": _mn(r["value"]),
                             "kind": "Observed" if r["kind"] == "observed" else PROJECTION}
        for k in ("lower_80", "upper_80", "lower_95", "upper_95"):
            v[k] = _mn(r[k])
        if r["kind"] == "observed":
            last_observed = v
        values.append(v)
    if last_observed is not None:  # join the projection to the last observed point
        values.append({**last_observed, "kind": PROJECTION,
                       **{k: last_observed["value"] for k in
                          ("lower_80", "upper_80", "lower_95", "upper_95")}})
    spec = _base(_("Line chart of {title} with {who}, observed by year and projected as a "
                   "straight-line trend with 80 % and 95 % prediction bands, USD million. "
                   "Projection, not a forecast.", title=_(title), who=who), values)
    tooltip = [
        {"field": "year", "type": "quantitative", "title": "Year", "format": "d"},
        {"field": "kind", "type": "nominal", "title": "Kind"},
        {"field": "value", "type": "quantitative", "title": "USD mn", "format": ",.1f"},
        {"field": "lower_80", "type": "quantitative", "title": "80 % low", "format": ",.1f"},
        {"field": "upper_80", "type": "quantitative", "title": "80 % high", "format": ",.1f"},
        {"field": "lower_95", "type": "quantitative", "title": "95 % low", "format": ",.1f"},
        {"field": "upper_95", "type": "quantitative", "title": "95 % high", "format": ",.1f"},
    ]
    x = {"field": "year", "type": "quantitative", "title": "Year",
         "axis": {"format": "d", "tickMinStep": 1}, "scale": {"zero": False}}
    band = {"filter": {"field": "kind", "equal": PROJECTION}}
    spec["encoding"] = {"x": x, "tooltip": tooltip}
    spec["layer"] = [
        {"transform": [band], "mark": {"type": "area", "color": "#c8102e", "opacity": 0.12,
                                       "tooltip": True},
         "encoding": {"y": {"field": "lower_95", "type": "quantitative",
                            "title": "USD mn", "axis": {"format": ",~f"}},
                      "y2": {"field": "upper_95"}}},
        {"transform": [band], "mark": {"type": "area", "color": "#c8102e", "opacity": 0.22,
                                       "tooltip": True},
         "encoding": {"y": {"field": "lower_80", "type": "quantitative"},
                      "y2": {"field": "upper_80"}}},
        {"mark": {"type": "line", "point": {"filled": True, "size": 28}, "tooltip": True,
                  "strokeWidth": 2},
         "encoding": {"y": {"field": "value", "type": "quantitative"},
                      "strokeDash": {"field": "kind", "type": "nominal", "title": None,
                                     "scale": {"domain": ["Observed", PROJECTION],
                                               "range": [[1, 0], [5, 3]]}},
                      "color": {"field": "kind", "type": "nominal", "title": None,
                                "scale": {"domain": ["Observed", PROJECTION],
                                          "range": [SERIES_COLOURS["Japan"], "#7a0a1c"]}}}},
    ]
    return spec
