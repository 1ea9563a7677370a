"""Vega-Lite specs for product trade: top products then vs now (a dumbbell), HS-section
shares then vs now, and product concentration by year.

Like `charts`, each builder takes plain rows (from `kakehashi.product_questions`) and returns
a spec or None when there is nothing to draw; values in USD are shown in millions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kakehashi.web.charts import Row, Spec, _base, _mn, lines
from kakehashi.web.charts_analytics import PERIOD_COLOURS
from kakehashi.web.i18n import _

STATUS = {"continuing": "Continuing", "new": "New", "lost": "Lost"}
STATUS_SHAPES = {"Continuing": "circle", "New": "triangle-up", "Lost": "cross"}
LABEL_CHARS = 48


def short(text: Any, limit: int = LABEL_CHARS) -> str:
    """A product or section name cut for an axis label (the tooltip has it in full)."""
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[:limit - 1].rstrip(" ,;") + "…"


def product_label(row: Row) -> str:
    return f"{row['product']} {short(row.get('description') or '')}".strip()


def top_products(rows: Sequence[Row], then: str, now: str, who: str) -> Spec | None:
    """A dumbbell per product: its mean annual value then (grey) and now (red), joined by a
    rule; the point's shape says whether the product is new or lost."""
    values: list[Row] = []
    for r in rows:
        label, status = product_label(r), STATUS.get(str(r["status"]), str(r["status"]))
        for key, series in (("value_then", _("Then {p}", p=then)),
                            ("value_now", _("Now {p}", p=now))):
            values.append({
                "product": label, "series": series, "kind": status,
                "value": _mn(r[key]) or 0.0, "then": _mn(r["value_then"]) or 0.0,
                "now": _mn(r["value_now"]) or 0.0, "first": key == "value_then",
                "share_then": r.get("share_then_pct"), "share_now": r.get("share_now_pct"),
                "description": r.get("description") or ""})
    if not values:
        return None
    order = [product_label(r) for r in rows]
    periods = list(dict.fromkeys(v["series"] for v in values))
    kinds = [k for k in STATUS_SHAPES if any(v["kind"] == k for v in values)]
    spec = _base(_("Dumbbell chart of the top products of {who}: mean annual value then "
                   "({then}) and now ({now}), USD million; new and lost products marked.",
                   who=who, then=then, now=now), values)
    spec["height"] = {"step": 22}
    y = {"field": "product", "type": "nominal", "title": None, "sort": order,
         "axis": {"labelLimit": 320}}
    tooltip = [
        {"field": "product", "type": "nominal", "title": "Product"},
        {"field": "description", "type": "nominal", "title": "Description"},
        {"field": "kind", "type": "nominal", "title": "Status"},
        {"field": "then", "type": "quantitative", "title": "Then (USD mn a year)",
         "format": ",.1f"},
        {"field": "now", "type": "quantitative", "title": "Now (USD mn a year)",
         "format": ",.1f"},
        {"field": "share_now", "type": "quantitative", "title": "Share now (%)",
         "format": ",.1f"},
    ]
    spec["layer"] = [
        {"transform": [{"filter": "datum.first"}],
         "mark": {"type": "rule", "color": "#9e9e9e", "strokeWidth": 2, "tooltip": True},
         "encoding": {"y": y, "x": {"field": "then", "type": "quantitative"},
                      "x2": {"field": "now"}, "tooltip": tooltip}},
        {"mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "tooltip": True},
         "encoding": {
             "y": y,
             "x": {"field": "value", "type": "quantitative", "title": "USD mn a year",
                   "axis": {"format": ",~f"}},
             "color": {"field": "series", "type": "nominal", "title": "Period",
                       "scale": {"domain": periods,
                                 "range": PERIOD_COLOURS[:len(periods)]}},
             "shape": {"field": "kind", "type": "nominal", "title": "Status",
                       "scale": {"domain": kinds,
                                 "range": [STATUS_SHAPES[k] for k in kinds]}},
             "tooltip": tooltip}},
    ]
    return spec


def section_shares(rows: Sequence[Row], then: str, now: str, who: str,
                   min_pct: float = 0.5) -> Spec | None:
    """Grouped horizontal bars: each HS section's share then and now (sections under
    ``min_pct`` in both periods are left to the table)."""
    values: list[Row] = []
    kept = [r for r in rows if max(r.get("share_then_pct") or 0,
                                   r.get("share_now_pct") or 0) >= min_pct]
    for r in kept:
        name = f"{r['section_number']}. {short(r['section'], 40)}"
        for key, series in (("share_then_pct", _("Then {p}", p=then)),
                            ("share_now_pct", _("Now {p}", p=now))):
            values.append({"section": name, "series": series,
                           "value": round(float(r[key] or 0), 3),
                           "change": r.get("change_pp"), "full": r["section"]})
    if not values:
        return None
    periods = list(dict.fromkeys(v["series"] for v in values))
    order = [f"{r['section_number']}. {short(r['section'], 40)}"
             for r in sorted(kept, key=lambda r: -(r.get("share_now_pct") or 0))]
    spec = _base(_("Grouped bar chart of the HS sections' shares of {who}, then ({then}) and "
                   "now ({now}), per cent.", who=who, then=then, now=now), values)
    spec["height"] = {"step": 12}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "section", "type": "nominal", "title": None, "sort": order,
              "axis": {"labelLimit": 300}},
        "yOffset": {"field": "series", "type": "nominal", "sort": periods},
        "x": {"field": "value", "type": "quantitative", "title": "Share (%)",
              "axis": {"format": ",~f"}},
        "color": {"field": "series", "type": "nominal", "title": "Period",
                  "scale": {"domain": periods, "range": PERIOD_COLOURS[:len(periods)]}},
        "tooltip": [
            {"field": "full", "type": "nominal", "title": "HS section"},
            {"field": "series", "type": "nominal", "title": "Period"},
            {"field": "value", "type": "quantitative", "title": "Share (%)",
             "format": ",.1f"},
            {"field": "change", "type": "quantitative", "title": "Change (points)",
             "format": "+,.1f"},
        ],
    }
    return spec


def concentration_lines(series: Sequence[tuple[str, Sequence[Row]]]) -> Spec | None:
    """The product HHI by year, one line per direction of trade."""
    values = [{"year": r["year"], "series": name, "value": r["hhi"],
               "products": r["products"], "top5": r["top5_share_pct"]}
              for name, rows in series for r in rows]
    names = [name for name, _rows in series]
    return lines(values, y_title="HHI (0-1)", series_title="Trade",
                 palette=dict(zip(names, ["#1f4e9c", "#b35c00"], strict=False)),
                 y_format=".3f",
                 extra_tooltip=[
                     {"field": "products", "type": "quantitative", "title": "Products"},
                     {"field": "top5", "type": "quantitative", "title": "Top five (%)",
                      "format": ".1f"}],
                 description=_("Line chart of the product concentration (Herfindahl-"
                               "Hirschman index over products, 1 = a single product) of "
                               "{what}, by year.", what=" / ".join(names)))


def sector_contributions(rows: Sequence[Row], drivers: Sequence[tuple[str, str]]
                         ) -> Spec | None:
    """Stacked horizontal bars: each driver's contribution to each HS section's importance
    score (as the /rank page shows the countries')."""
    values: list[Row] = []
    for r in rows:
        for name, label in drivers:
            c = r.get(f"{name}_contribution")
            if c:
                values.append({"name": f"{r['section_number']}. {short(r['section'], 40)}",
                               "driver": label, "value": round(float(c), 4),
                               "score": round(float(r["score"]), 4), "rank": r["rank"],
                               "raw": r.get(f"{name}_value")})
    if not values:
        return None
    order = list(dict.fromkeys(v["name"] for v in values))
    labels = [label for _n, label in drivers]
    spec = _base(_("Stacked horizontal bar chart of each HS section's importance score to "
                   "Japan, split into the contribution of each driver, highest score "
                   "first."), values)
    spec["height"] = {"step": 18}
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": order,
              "axis": {"labelLimit": 300}},
        "x": {"field": "value", "type": "quantitative", "title": "Score (0-1)",
              "stack": "zero"},
        "color": {"field": "driver", "type": "nominal", "title": "Driver",
                  "scale": {"domain": labels,
                            "range": ["#c8102e", "#1f4e9c", "#2e7d32", "#b35c00",
                                      "#6a3d9a"][:len(labels)]}},
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "HS section"},
            {"field": "rank", "type": "quantitative", "title": "Rank"},
            {"field": "score", "type": "quantitative", "title": "Score", "format": ".3f"},
            {"field": "driver", "type": "nominal", "title": "Driver"},
            {"field": "value", "type": "quantitative", "title": "Contribution",
             "format": ".3f"},
            {"field": "raw", "type": "quantitative", "title": "Value", "format": ",.2f"},
        ],
    }
    return spec
