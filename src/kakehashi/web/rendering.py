"""Rendering helpers shared by the pages: the Jinja2 environment, panels, columns, formats."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from kakehashi import catalog
from kakehashi.catalog import Answer
from kakehashi.store.reader import Store
from kakehashi.web import links
from kakehashi.web.i18n import _, cname

TEMPLATES = Path(__file__).resolve().parent / "templates"
NO_DATA = "No data for this country"
API = "/api/v1"
# data fields whose (English) values are labels to translate in the chart specs
LABEL_FIELDS = ("series", "kind", "effect", "comparator", "type_label")

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | int | year | mn | pct | share | num | num3 | p | move | idx


@dataclass
class Panel:
    """One chart (or table) with its sources, data links and a text alternative."""

    id: str
    title: str
    answer: Answer
    api: str
    intro: str = ""
    spec: dict[str, Any] | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[dict[str, Any]] | None = None
    empty: str = NO_DATA
    chart: bool = True
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.api.startswith("/api/") and not self.api.startswith(API + "/"):
            self.api = API + self.api[4:]

    @property
    def description(self) -> str:
        return _(str(self.spec["description"])) if self.spec else _(self.empty)

    @property
    def spec_json(self) -> str:
        return spec_json(localize(self.spec)) if self.spec else ""

    @property
    def table_rows(self) -> list[dict[str, Any]]:
        return self.answer.data if self.rows is None else self.rows

    @property
    def provenance(self) -> list[dict[str, Any]]:
        """The answer's sources, narrowed to this panel's when it names them."""
        if not self.sources:
            return self.answer.provenance
        return [p for p in self.answer.provenance if p["source_id"] in self.sources]

    @property
    def has_data(self) -> bool:
        return self.spec is not None if self.chart else bool(self.table_rows)

    @property
    def csv(self) -> str:
        sep = "&" if "?" in self.api else "?"
        return f"{self.api}{sep}format=csv"


def spec_json(spec: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/json"> element."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def localize(obj: Any) -> Any:
    """A chart spec with its titles, scale domains and label values in the request's language
    (the builders write English; `_` returns unknown strings unchanged)."""
    if isinstance(obj, list):
        return [localize(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for k, v in obj.items():
        if k in ("title", "description", "equal") and isinstance(v, str):
            out[k] = _(v)
        elif k in ("domain", "sort") and isinstance(v, list):
            out[k] = [_(x) if isinstance(x, str) else x for x in v]
        elif k == "data" and isinstance(v, dict) and isinstance(v.get("values"), list):
            out[k] = {**v, "values": [
                {f: _(x) if f in LABEL_FIELDS and isinstance(x, str) else x
                 for f, x in row.items()} for row in v["values"]]}
        else:
            out[k] = localize(v)
    return out


def fmt(value: Any, kind: str) -> str:
    """Format a cell; a missing value is shown as such, never as zero."""
    if value is None or (isinstance(value, float) and value != value):
        return _("n/a")
    if kind == "mn":
        return f"{float(value) / 1e6:,.1f}"
    if kind == "pct":
        return f"{float(value):,.1f}"
    if kind == "share":
        return f"{float(value):.1%}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "num":
        return f"{float(value):,.2f}"
    if kind == "num3":
        return f"{float(value):,.3f}"
    if kind == "idx":
        return f"{float(value):.4f}"
    if kind == "p":
        return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"
    if kind == "move":
        v = int(value)
        return f"▲ {v}" if v > 0 else f"▼ {-v}" if v < 0 else "="
    return str(value)


env.filters["fmt"] = fmt
env.globals["_"] = _
env.globals["cname"] = cname


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    store: Store | None = getattr(request.app.state, "store", None)
    base: dict[str, Any] = {"nav_countries": [], "build": {}, "path": request.url.path,
                            **links.context(request)}
    if store is not None:
        try:
            base["nav_countries"] = grouped(catalog.lac_countries(store).data)
            base["build"] = catalog.build_info(store)
        except Exception:  # noqa: BLE001 - the error page must render even without a store
            pass
    base.update(context)
    return HTMLResponse(env.get_template(template).render(**base), status_code=status_code)


def grouped(countries: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Countries by sub-region (names translated), each group sorted by the shown name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in countries:
        groups.setdefault(str(c["lac_subregion"]), []).append(c)
    return [(_(g), sorted(members, key=lambda c: cname(c)))
            for g, members in sorted(groups.items())]
