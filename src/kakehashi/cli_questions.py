"""Commands that answer questions: then vs now, indicators, ranking, sectors, events, votes,
coherence, outlook and briefs."""

from __future__ import annotations

from pathlib import Path

import click

from kakehashi.terminal import err, fmt_option, friendly, open_store_option, show, store_option


@click.command()
@click.argument("target")
@click.option("--then", "then", default="2000-2004", show_default=True,
              help="A year or a range, e.g. 2000-2004.")
@click.option("--now", "now", default="2016-2020", show_default=True)
@click.option("--constant", is_flag=True, help="Constant US dollars (US GDP deflator, WDI).")
@click.option("--base-year", default=2015, show_default=True, type=int)
@store_option
@fmt_option
@friendly
def thennow(target: str, then: str, now: str, constant: bool, base_year: int,
            store: Path | None, fmt: str) -> None:
    """Japan then vs now with TARGET (ISO3, a sub-region or LAC), beside China, the USA,
    Korea and the EU."""
    from kakehashi import questions

    answer = questions.thennow(open_store_option(store), target, then, now,
                               constant_prices=constant, base_year=base_year)
    show(answer, fmt, ["comparator", "measure", "unit", "then_value", "now_value", "change_pct",
                        "cagr_pct"] if fmt == "table" else None)


@click.command()
@click.argument("target", default="LAC")
@click.option("--years", default="2016-2020", show_default=True)
@click.option("--concentration", is_flag=True,
              help="Show the HHI of Japan's LAC trade by year instead.")
@store_option
@fmt_option
@friendly
def indicators(target: str, years: str, concentration: bool, store: Path | None,
               fmt: str) -> None:
    """Trade intensity, dependence on Japan and mirror gaps for TARGET (default LAC)."""
    from kakehashi import questions

    s = open_store_option(store)
    show(questions.concentration(s) if concentration
          else questions.trade_indicators(s, target, years), fmt)


def _weights(items: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item!r}: write driver=weight, e.g. trade=2") from None
    return out


@click.command()
@click.option("--year", "--years", "years", default="2015-2019", show_default=True,
              help="A year or a range.")
@click.option("--compare", default=None, help="Show how ranks moved since this period.")
@click.option("--weight", "weights", multiple=True, help="driver=weight (repeatable).")
@click.option("--shift-share", "shift", is_flag=True,
              help="Split the change in Japan's exports (--compare to --year) instead.")
@store_option
@fmt_option
@friendly
def rank(years: str, compare: str | None, weights: tuple[str, ...], shift: bool,
         store: Path | None, fmt: str) -> None:
    """Rank the LAC33 by importance to Japan, with each driver's contribution."""
    from kakehashi import questions

    s = open_store_option(store)
    if shift:
        show(questions.shift_share(s, compare or "2000-2004", years), fmt)
        return
    answer = questions.rank(s, years, _weights(weights), compare)
    cols = ["rank", "country_iso3", "name", "score"] + [
        c for c in answer.columns if c.endswith("_contribution")]
    if compare:
        cols.insert(1, "rank_move")
    show(answer, fmt, cols if fmt == "table" else None)


@click.command()
@click.argument("reporter", default="MEX")
@click.option("--years", default="2019", show_default=True)
@store_option
@fmt_option
@friendly
def sectors(reporter: str, years: str, store: Path | None, fmt: str) -> None:
    """Which HS sections dominate REPORTER's trade with Japan, China and the USA."""
    from kakehashi import questions

    show(questions.sectors(open_store_option(store), reporter, years), fmt)


@click.command()
@click.argument("event_id")
@click.option("--window", default=3, show_default=True, type=int,
              help="Years before and after.")
@store_option
@fmt_option
@friendly
def event(event_id: str, window: int, store: Path | None, fmt: str) -> None:
    """What an event accomplished: before/after against the other LAC countries."""
    from kakehashi import questions

    show(questions.event(open_store_option(store), event_id, window), fmt,
          ["outcome", "n_treated", "n_control", "treated_change", "control_change", "did",
           "p_value", "permutations", "note"] if fmt == "table" else None)


@click.command()
@click.argument("target")
@click.option("--by-issue", is_flag=True, help="Split by UNGA issue category.")
@store_option
@fmt_option
@friendly
def votes(target: str, by_issue: bool, store: Path | None, fmt: str) -> None:
    """UN General Assembly voting agreement of TARGET with Japan, the USA and China."""
    from kakehashi import questions

    show(questions.diplomatic_support(open_store_option(store), target, by_issue), fmt)


@click.command()
@store_option
@fmt_option
@friendly
def coherence(store: Path | None, fmt: str) -> None:
    """Does Japan's attention and aid go where its economic weight is? By decade."""
    from kakehashi import questions

    show(questions.coherence(open_store_option(store)), fmt)


@click.command()
@click.argument("target", default="LAC")
@click.option("--series", type=click.Choice(["trade", "exports", "imports"]), default="trade",
              show_default=True)
@click.option("--horizon", default=5, show_default=True, type=int)
@store_option
@fmt_option
@friendly
def outlook(target: str, series: str, horizon: int, store: Path | None, fmt: str) -> None:
    """A trend projection (labelled as such) of Japan's trade with TARGET."""
    from kakehashi import questions

    show(questions.outlook_answer(open_store_option(store), target, series, horizon), fmt)


@click.command()
@click.option("--country", default=None, help="A LAC33 ISO3 code, e.g. PER.")
@click.option("--region", default=None, help="LAC or a sub-region, e.g. 'South America'.")
@click.option("--event", "event_id", default=None, help="An event id (see the events table).")
@click.option("--then", "then", default="2000-2004", show_default=True)
@click.option("--now", "now", default="2016-2020", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "md"]), default="html",
              show_default=True)
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Write here (default: stdout; PDF: brief-<subject>.pdf).")
@store_option
@friendly
def brief(country: str | None, region: str | None, event_id: str | None, then: str, now: str,
          fmt: str, out_path: Path | None, store: Path | None) -> None:
    """Write a "Then & Now" brief for a country, the region or an event, with footnotes."""
    from kakehashi.reports import briefs, render

    doc = briefs.brief_for(open_store_option(store), country=country, region=region,
                           event=event_id, then=then, now=now,
                           choose="--country, --region or --event")
    chosen = [x for x in (country, region, event_id) if x]
    content = render.RENDERERS[fmt](doc)
    if fmt == "pdf" and out_path is None:
        out_path = Path(f"brief-{chosen[0].replace(' ', '-')}.pdf")
    if out_path is None:
        click.echo(content, nl=False)
        return
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        out_path.write_bytes(content)
    else:
        out_path.write_text(content)
    err.print(f"Wrote {out_path} ({out_path.stat().st_size / 1e3:.0f} kB).", highlight=False)


COMMANDS = (thennow, indicators, rank, sectors, event, votes, coherence, outlook, brief)
