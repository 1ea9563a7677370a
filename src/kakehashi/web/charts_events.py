"""Events drawn on the year-axis charts: a dotted vertical rule per event, hover for its title."""

from __future__ import annotations

from typing import Any

from kakehashi.web.charts import Row, Spec
from kakehashi.web.i18n import _

EVENT_RULE = "#6a3d9a"


def _fraction_year(date: Any) -> float | None:
    text = str(date or "")
    if len(text) < 4 or not text[:4].isdigit():
        return None
    year = int(text[:4])
    month = int(text[5:7]) if len(text) >= 7 and text[5:7].isdigit() else 7
    day = int(text[8:10]) if len(text) >= 10 and text[8:10].isdigit() else 1
    return round(year + ((month - 1) * 30.5 + day - 1) / 366, 3)


def with_events(spec: Spec | None, events: list[Row]) -> Spec | None:
    """A year-axis line chart with the events drawn as dotted vertical rules (hover shows the
    date, type and title). Events outside the chart's years are left out."""
    if spec is None or not events or "encoding" not in spec:
        return spec
    years = [int(v["year"]) for v in spec["data"]["values"] if v.get("value") is not None]
    if not years:
        return spec
    first, last = min(years), max(years) + 1
    marks = []
    for e in events:
        x = _fraction_year(e.get("date_start") or e.get("date_text"))
        if x is not None and first <= x < last:
            marks.append({"x": x, "title": e["title"], "date": e["date_text"],
                          "type": str(e["event_type"]).replace("_", " ")})
    if not marks:
        return spec
    main = {"mark": spec.pop("mark"), "encoding": spec.pop("encoding")}
    rules = {
        "data": {"values": marks},
        "mark": {"type": "rule", "color": EVENT_RULE, "strokeDash": [2, 3], "strokeWidth": 2,
                 "opacity": 0.6, "tooltip": True},
        "encoding": {"x": {"field": "x", "type": "quantitative"},
                     "tooltip": [{"field": "date", "type": "nominal", "title": "Date"},
                                 {"field": "type", "type": "nominal", "title": "Type"},
                                 {"field": "title", "type": "nominal", "title": "Event"}]},
    }
    spec["layer"] = [rules, main]
    spec["description"] = str(spec["description"]) + " " + _(
        "Dotted vertical rules mark {n} events.", n=len(marks))
    return spec
