"""The region map: one square tile per LAC33 country, coloured by a chosen measure.

No shapes can be downloaded here, so the map is a tile grid: each country's (column, row) is
authored by hand to follow the geography roughly (Mexico top left, the Caribbean islands to the
right, South America below). The layout is authored, not data. The values come from the store
(Japan's own reports for trade and ODA, the country's own reports for Japan's share).
"""

from __future__ import annotations

import math
from typing import Any

from kakehashi.analytics.periods import Period
from kakehashi.catalog import Answer, _answer, _rows
from kakehashi.errors import InvalidRequest
from kakehashi.store.reader import Store
from kakehashi.web.charts import CONFIG, SCHEMA, Spec
from kakehashi.web.i18n import _

TILES: dict[str, tuple[int, int]] = {
    "MEX": (0, 0), "BHS": (4, 0),
    "BLZ": (1, 1), "CUB": (3, 1), "HTI": (5, 1), "DOM": (6, 1), "KNA": (8, 1), "ATG": (9, 1),
    "GTM": (0, 2), "HND": (1, 2), "JAM": (4, 2), "DMA": (9, 2),
    "SLV": (0, 3), "NIC": (1, 3), "VCT": (8, 3), "LCA": (9, 3),
    "CRI": (1, 4), "PAN": (2, 4), "TTO": (6, 4), "GRD": (8, 4), "BRB": (9, 4),
    "COL": (3, 5), "VEN": (4, 5), "GUY": (5, 5), "SUR": (6, 5),
    "ECU": (3, 6), "PER": (4, 6), "BRA": (5, 6),
    "CHL": (3, 7), "BOL": (4, 7), "PRY": (5, 7),
    "ARG": (4, 8), "URY": (5, 8),
}
# measure: (label, unit, format, sources)
MEASURES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "japan_trade": ("Japan's trade with the country (USD mn per year)", "USD mn", ",.0f",
                    ("imf_dots",)),
    "japan_share": ("Japan's share of the country's trade (%)", "%", ".2f", ("imf_dots",)),
    "japan_oda": ("Japan's net ODA (USD mn per year)", "USD mn", ",.1f", ("wdi_japan_oda",)),
    "un_agreement": ("UN votes alike with Japan (%)", "%", ".1f", ("un_votes",)),
}
VIEWS = ("now", "then", "change")
DEFAULT_MEASURE, DEFAULT_VIEW = "japan_trade", "now"

_SQL = """
WITH years AS (SELECT unnest(range(?, ? + 1)) AS year, 'then' AS period
               UNION ALL SELECT unnest(range(?, ? + 1)), 'now'),
jt AS (  -- Japan's reported exports + imports, years with both flows
    SELECT t.partner_iso3 AS iso3, y.period, t.year,
           sum(t.value_usd) AS total, count(DISTINCT t.flow) AS n
    FROM trade_flows t JOIN years y ON y.year = t.year
    WHERE t.source_id = 'imf_dots' AND t.reporter_iso3 = 'JPN' AND t.month IS NULL
    GROUP BY t.partner_iso3, y.period, t.year),
trade AS (SELECT iso3, period, avg(total) / 1e6 AS value FROM jt WHERE n = 2
          GROUP BY ALL),
own AS (  -- the country's reports: with Japan and with the world
    SELECT t.reporter_iso3 AS iso3, y.period, t.year,
           sum(t.value_usd) FILTER (WHERE t.partner_iso3 = 'JPN') AS jpn,
           sum(t.value_usd) FILTER (WHERE t.partner_iso3 = 'WLD') AS wld
    FROM trade_flows t JOIN years y ON y.year = t.year
    WHERE t.source_id = 'imf_dots' AND t.month IS NULL AND t.partner_iso3 IN ('JPN', 'WLD')
    GROUP BY ALL),
share AS (SELECT iso3, period, 100 * sum(jpn) / sum(wld) AS value FROM own
          WHERE jpn IS NOT NULL AND wld > 0 GROUP BY ALL),
oda AS (SELECT f.recipient_iso3 AS iso3, y.period, avg(f.value_usd) / 1e6 AS value
        FROM official_finance f JOIN years y ON y.year = f.year
        WHERE f.source_id = 'wdi_japan_oda' AND f.creditor_iso3 = 'JPN' GROUP BY ALL),
votes AS (SELECT v.country_iso3 AS iso3, y.period,
                 100 * count(*) FILTER (WHERE j.vote = v.vote) / count(*) AS value
          FROM un_votes v JOIN un_votes j ON j.rcid = v.rcid AND j.country_iso3 = 'JPN'
          JOIN un_roll_calls r ON r.rcid = v.rcid JOIN years y ON y.year = r.year
          GROUP BY ALL),
measures AS (SELECT 'japan_trade' AS measure, * FROM trade
             UNION ALL SELECT 'japan_share', * FROM share
             UNION ALL SELECT 'japan_oda', * FROM oda
             UNION ALL SELECT 'un_agreement', * FROM votes)
SELECT c.iso3, c.name_en, c.name_es, c.name_ja, c.lac_subregion, m.measure,
       max(m.value) FILTER (WHERE m.period = 'then') AS then_value,
       max(m.value) FILTER (WHERE m.period = 'now') AS now_value
FROM countries c JOIN measures m ON m.iso3 = c.iso3
WHERE c.is_lac33 AND m.measure = ?
GROUP BY ALL ORDER BY c.iso3
"""


def measure_data(store: Store, measure: str, then: Period, now: Period) -> Answer:
    """Per country: the measure's mean over `then` and over `now`, and the change."""
    if measure not in MEASURES:
        raise InvalidRequest(f"measure={measure!r}: use one of {', '.join(MEASURES)}.")
    rows = {r["iso3"]: r for r in _rows(store, _SQL, [then.start, then.end, now.start,
                                                      now.end, measure])}
    names = {r["iso3"]: r for r in _rows(store, "SELECT iso3, name_en, name_es, name_ja, "
                                                "lac_subregion FROM countries WHERE is_lac33")}
    data = []
    for code in sorted(names):
        r = rows.get(code, {})
        t, n = r.get("then_value"), r.get("now_value")
        data.append({**names[code], "measure": measure, "then": then.label, "now": now.label,
                     "then_value": t, "now_value": n,
                     "change": None if t is None or n is None else n - t})
    label, unit, _f, sources = MEASURES[measure]
    return _answer(store, data, sources, unit,
                   f"{label}: mean over the years of each period with data; change = now - "
                   "then. A country without data in a period has null there (a grey tile), "
                   "never 0. Trade: Japan's report (exports + imports, years with both flows). "
                   "Share: the country's own report of its trade with Japan over its trade "
                   "with the world. ODA: net disbursements (WDI). UN votes: roll calls on which "
                   "both voted.")


def spec(rows: list[dict[str, Any]], measure: str, view: str, names: dict[str, str]) -> Spec:
    """Tile map: rect + text marks; null values drawn grey and labelled 'no data'."""
    label, unit, fmt, _s = MEASURES[measure]
    key = {"now": "now_value", "then": "then_value", "change": "change"}[view]
    values = []
    for r in rows:
        col, row = TILES.get(r["iso3"], (10, 8))
        v = r[key]
        values.append({"iso3": r["iso3"], "name": names.get(r["iso3"], r["iso3"]), "col": col,
                       "row": row, "value": None if v is None else round(float(v), 3),
                       "then_value": r["then_value"], "now_value": r["now_value"],
                       "shown": _("no data") if v is None else format_value(v, fmt),
                       "url": f"/country/{r['iso3']}"})
    present = [v["value"] for v in values if v["value"] is not None]
    top = max((abs(x) for x in present), default=1.0) or 1.0
    if view == "change":
        colour: dict[str, Any] = {"scheme": "blueorange", "domainMid": 0}
        dark = f"abs(datum.value) > {top * 0.6:.6g}"
    elif measure == "japan_trade" and min(present, default=0) >= 0:
        # trade is very skewed (Mexico, Brazil, Chile): a log-like scale spreads the colours
        colour = {"scheme": "blues", "type": "symlog"}
        dark = f"datum.value > {math.expm1(0.55 * math.log1p(top)):.6g}"
    else:
        colour = {"scheme": "blues"}
        dark = f"datum.value > {top * 0.55:.6g}"
    title = _(label) + " · " + {"now": _("now"), "then": _("then"),
                                "change": _("change (now − then)")}[view]
    tip = [{"field": "name", "type": "nominal", "title": _("Country")},
           {"field": "shown", "type": "nominal", "title": title},
           {"field": "then_value", "type": "quantitative", "title": _("then"), "format": fmt},
           {"field": "now_value", "type": "quantitative", "title": _("now"), "format": fmt}]
    enc_xy = {"x": {"field": "col", "type": "ordinal", "axis": None,
                    "scale": {"domain": list(range(10)), "paddingInner": 0.08}},
              "y": {"field": "row", "type": "ordinal", "axis": None,
                    "scale": {"domain": list(range(9)), "paddingInner": 0.08}}}
    return {
        "$schema": SCHEMA,
        "description": _("Tile map of the 33 LAC countries, one square each placed roughly by "
                          "geography, coloured by {label} ({view}); grey tiles have no data.",
                          label=_(label), view=title),
        "width": "container", "height": 9 * 44,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "config": {**CONFIG, "view": {"stroke": None}},
        "encoding": {**enc_xy, "tooltip": tip, "href": {"field": "url"}},
        "layer": [
            {"transform": [{"filter": "datum.value === null"}],
             "mark": {"type": "rect", "fill": "#eeeeee", "stroke": "#8a8a8a",
                      "strokeDash": [3, 2], "cursor": "pointer", "tooltip": True}},
            {"transform": [{"filter": "datum.value !== null"}],
             "mark": {"type": "rect", "stroke": "#ffffff", "cursor": "pointer",
                      "tooltip": True},
             "encoding": {"color": {"field": "value", "type": "quantitative",
                                    "title": _(unit) if view != "change" else "Δ " + _(unit),
                                    "scale": colour,
                                    "legend": {"orient": "bottom", "direction": "horizontal",
                                               "format": fmt, "gradientLength": 240,
                                               "columns": 1}}}},
            {"mark": {"type": "text", "baseline": "bottom", "dy": -1, "fontSize": 12,
                      "fontWeight": "bold", "cursor": "pointer"},
             "encoding": {"text": {"field": "iso3"},
                          "color": {"condition": {"test": dark, "value": "#ffffff"},
                                    "value": "#1b1b1b"}}},
            {"mark": {"type": "text", "baseline": "top", "dy": 2, "fontSize": 9,
                      "cursor": "pointer"},
             "encoding": {"text": {"field": "shown"},
                          "color": {"condition": {"test": dark, "value": "#ffffff"},
                                    "value": "#1b1b1b"}}},
        ],
    }


def format_value(value: float, fmt: str) -> str:
    if fmt == ",.0f":
        return f"{value:,.0f}"
    if fmt == ",.1f":
        return f"{value:,.1f}"
    if fmt == ".2f":
        return f"{value:.2f}"
    return f"{value:.1f}"
