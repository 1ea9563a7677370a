"""Briefs: golden files on the real data, footnotes on every number, numbers equal to the store,
and the PDF's text carries them."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from kakehashi.cli import main
from kakehashi.reports import briefs, render
from kakehashi.reports.cite import Span, fmt
from kakehashi.reports.model import Brief
from kakehashi.store import Store

GOLDEN = Path(__file__).parent / "golden"
KONO = "2018-08-12-kono-tours-ecuador-peru-colombia-and-mexico"
UPDATE = os.environ.get("KAKEHASHI_UPDATE_GOLDEN") == "1"
# numbers that plain text may hold: years, periods, the method's fixed constants and the
# names of classifications (HS4)
ALLOWED_PLAIN = re.compile(
    r"\b(1[89]\d\d|20\d\d)(-(1[89]\d\d|20\d\d)|s)?\b|\b(the last 15 years|80 % probability|"
    r"33 LAC|LAC33|\d+ / \d+|HS\d+)\b")


def _build(store: Store, kind: str) -> Brief:
    if kind == "PER":
        return briefs.country_brief(store, "PER", "2000-2004", "2016-2020")
    if kind == "LAC":
        return briefs.region_brief(store, "LAC", "2000-2004", "2016-2020")
    if kind == "MEX":
        return briefs.country_brief(store, "MEX", "2000-2004", "2016-2020")
    return briefs.event_brief(store, KONO)


def _stable(markdown: str) -> str:
    return re.sub(r"^Data version: .*$", "Data version: (varies)", markdown, flags=re.M)


@pytest.mark.parametrize("kind", ["PER", "LAC", "event"])
def test_markdown_matches_golden_file(store: Store, kind: str) -> None:
    text = _stable(render.markdown(_build(store, kind)))
    path = GOLDEN / f"brief_{kind}.md"
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text(), "brief changed: review, then KAKEHASHI_UPDATE_GOLDEN=1"


def _spans(brief: Brief) -> list[Span]:
    out: list[Span] = []
    for sec in brief.sections:
        for p in sec.paragraphs:
            out += p
        if sec.table:
            for row in sec.table.rows:
                out += [c if isinstance(c, Span) else Span(c) for c in row[1:]]
    return out


@pytest.mark.parametrize("kind", ["PER", "LAC", "event", "MEX"])
def test_every_number_has_a_footnote(store: Store, kind: str) -> None:
    brief = _build(store, kind)
    facts = {f.text for f in brief.notes.facts}
    for span in _spans(brief):
        if span.notes:
            assert span.text in facts
            continue
        if span.quoted:  # an event's curated title or description, not a data statement
            continue
        stripped = ALLOWED_PLAIN.sub("", span.text)
        assert not re.search(r"\d", stripped), f"unfootnoted number in {span.text!r}"
    for fact in brief.notes.facts:
        assert fmt(fact.value, _kind(fact.text)) == fact.text
        assert all(1 <= n <= len(brief.notes.order) for n in fact.notes)


def _kind(text: str) -> str:
    if text.startswith(("USD", "-USD")):
        return "usd"
    if text.endswith("%"):
        return "growth" if text[0] in "+-" else "pct"
    return "share" if "." in text else "rank"


def test_peru_numbers_equal_the_store(store: Store) -> None:
    brief = _build(store, "PER")
    facts = {f.label: f.value for f in brief.notes.facts}

    def mean(sql: str, *params: object) -> float:
        return float(store.query(sql, params).rows[0][0])

    trade_now = mean("SELECT sum(value_usd) / 5 FROM trade_flows WHERE source_id = 'imf_dots' "
                     "AND reporter_iso3 = 'JPN' AND partner_iso3 = 'PER' AND year BETWEEN "
                     "2016 AND 2020")
    assert facts["JPN total trade 2016-2020"] == pytest.approx(trade_now, rel=1e-12)
    oda_then = mean("SELECT avg(value_usd) FROM official_finance WHERE source_id = "
                    "'wdi_japan_oda' AND recipient_iso3 = 'PER' AND year BETWEEN 2000 AND 2004")
    assert facts["net_oda_usd then"] == pytest.approx(oda_then, rel=1e-12)
    china_share = mean(
        "SELECT sum(value_usd) FILTER (WHERE partner_iso3 = 'CHN') / sum(value_usd) FILTER "
        "(WHERE partner_iso3 = 'WLD') * 100 FROM trade_flows WHERE source_id = 'imf_dots' "
        "AND reporter_iso3 = 'PER' AND year BETWEEN 2016 AND 2020")
    assert facts["CHN share now"] == pytest.approx(china_share, rel=1e-9)
    agreement = mean("""
        SELECT avg((a.vote = b.vote)::INT) * 100 FROM un_votes a JOIN un_votes b USING (rcid)
        JOIN un_roll_calls r USING (rcid) WHERE a.country_iso3 = 'PER'
        AND b.country_iso3 = 'JPN' AND r.year BETWEEN 2016 AND 2020""")
    assert facts["UN agreement now"] == pytest.approx(agreement, rel=1e-9)


def test_mexico_products_section_equals_the_store(store: Store) -> None:
    brief = _build(store, "MEX")
    section = next(s for s in brief.sections if s.heading.startswith("What Japan sells"))
    assert "composition of the trade, not its totals" in "".join(
        sp.text for sp in section.paragraphs[0])
    facts = {f.label: f for f in brief.notes.facts}
    # Japan's exports to Mexico = Mexico's declared imports from Japan (HS4), 2020-2021 mean
    top = store.query("""
        SELECT hs4, sum(value_usd) / 2 AS v FROM product_trade WHERE reporter_iso3 = 'MEX'
          AND partner_iso3 = 'JPN' AND flow = 'import' AND year BETWEEN 2020 AND 2021
        GROUP BY hs4 ORDER BY v DESC LIMIT 1""").rows[0]
    fact = facts[f"exports {top[0]} now"]
    assert fact.value == pytest.approx(top[1], rel=1e-12)
    assert brief.notes.order[fact.notes[0] - 1] == "comtrade_mexico"
    assert section.table is not None and str(section.table.rows[0][0]).startswith(top[0])
    assert "exports HHI 2015" in facts and "imports HHI 2021" in facts
    assert not any(s.heading.startswith("What Japan sells")
                   for s in _build(store, "PER").sections)  # no product data for Peru


def test_pdf_text_carries_numbers_and_footnotes(store: Store) -> None:
    brief = _build(store, "PER")
    pdf = render.render_pdf(brief)
    text = " ".join("".join(page.extract_text() for page in
                            pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Japan and Peru: then and now" in text
    for fact in brief.notes.facts[:12]:
        assert fact.text in text, fact.text
    assert "Sources and methods" in text
    assert "International Monetary Fund" in text and "Licence: CC BY 4.0" in text


def test_html_has_vector_charts_and_footnote_links(store: Store) -> None:
    html = render.render_html(_build(store, "PER"))
    assert html.count("<svg") >= 2 and 'href="#fn1"' in html and 'id="fn1"' in html


def test_brief_command(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "per.pdf"
    result = CliRunner().invoke(main, ["brief", "--country", "PER", "--format", "pdf", "--out",
                                       str(out), "--store", str(store_path)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    md = CliRunner().invoke(main, ["brief", "--event", KONO, "--format", "md", "--store",
                                   str(store_path)])
    assert md.stdout.startswith("# Kono tours Ecuador, Peru, Colombia and Mexico")
    bad = CliRunner().invoke(main, ["brief", "--country", "MEX", "--region", "LAC", "--store",
                                    str(store_path)])
    assert bad.exit_code == 1 and "exactly one" in bad.stderr


def test_dashboard_serves_the_brief(store_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kakehashi.web import create_app

    with TestClient(create_app(store_path)) as client:
        page = client.get("/country/PER")
        assert "/brief?country=PER&amp;format=pdf" in page.text
        pdf = client.get("/brief?country=PER&format=pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert "attachment" in pdf.headers["content-disposition"]
        md = client.get("/brief?region=LAC&format=md")
        assert md.text.startswith("# Japan and Latin America")
        assert client.get("/brief?country=PER&region=LAC").status_code == 400
        assert client.get("/brief?country=XXX").status_code == 404
