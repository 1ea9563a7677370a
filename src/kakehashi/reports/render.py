"""Render a brief as Markdown, HTML (charts as inline SVG) or PDF."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kakehashi.reports.cite import Span
from kakehashi.reports.model import Brief, Chart

FORMATS = ("html", "pdf", "md")


def _md_spans(spans: list[Span]) -> str:
    return "".join(s.text + "".join(f"[^{n}]" for n in s.notes) for s in spans)


def _md_cell(cell: str | Span) -> str:
    return _md_spans([cell]) if isinstance(cell, Span) else cell.replace("|", "/")


def markdown(brief: Brief) -> str:
    out = [f"# {brief.title}", "", f"*{brief.subtitle}*", ""]
    for sec in brief.sections:
        out += [f"## {sec.heading}", ""]
        for p in sec.paragraphs:
            out += [_md_spans(p), ""]
        if sec.chart:
            out += [f"*Chart: {sec.chart.alt}*", ""]
        if sec.table:
            out.append("| " + " | ".join(sec.table.columns) + " |")
            out.append("|" + "---|" * len(sec.table.columns))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in sec.table.rows]
            out += ["", f"*{sec.table.caption}*", ""] if sec.table.caption else [""]
    out += ["## Sources and methods", ""]
    out += [f"- {m}" for m in brief.methods]
    out += ["", f"Data version: {brief.data_version}.", ""]
    out += [f"[^{f['n']}]: {f['text']}" for f in brief.notes.footnotes()]
    return "\n".join(out) + "\n"


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("kakehashi.reports", "templates"),
                      autoescape=select_autoescape(["html"]))
    env.filters["spans"] = _html_spans
    env.filters["cell"] = lambda c: _html_spans([c]) if isinstance(c, Span) else c
    env.filters["svg"] = _svg
    return env


def _html_spans(spans: list[Span]) -> Markup:
    parts = []
    for s in spans:
        text = html.escape(s.text)
        if s.notes:
            text += "<sup>" + ",".join(f'<a href="#fn{n}">{n}</a>' for n in s.notes) + "</sup>"
        parts.append(text)
    return Markup("".join(parts))


def _svg(chart: Chart) -> Markup:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(chart.spec)
    return Markup(svg)


def render_html(brief: Brief) -> str:
    return _env().get_template("brief.html").render(
        brief=brief, footnotes=brief.notes.footnotes(),
        generated=datetime.now(UTC).strftime("%Y-%m-%d"))


def render_pdf(brief: Brief) -> bytes:
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=render_html(brief)).write_pdf()
    return pdf


RENDERERS: dict[str, Callable[[Brief], str | bytes]] = {
    "md": markdown, "html": render_html, "pdf": render_pdf,
}
