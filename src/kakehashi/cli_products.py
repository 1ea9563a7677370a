"""`kakehashi products …`: ingest product-level trade (BACI) and ask which products and
sectors matter."""

from __future__ import annotations

from pathlib import Path

import click

from kakehashi.terminal import (
    err,
    fmt_option,
    friendly,
    open_store_option,
    show,
    step_progress,
    store_option,
)

lake_option = click.option(
    "--lake", type=click.Path(path_type=Path), default=None,
    help="Product lake folder (default: products/ beside the store).")
engine_option = click.option("--engine", type=click.Choice(["duckdb", "spark"]),
                             default="duckdb", show_default=True,
                             help="Engine that runs the analytics (spark needs the spark "
                                  "extra and Java 17+).")
reporter_option = click.option("--reporter", type=click.Choice(["JPN", "CHN", "USA"]),
                               default="JPN", show_default=True)
direction_option = click.option("--direction", type=click.Choice(["exports", "imports"]),
                                default="exports", show_default=True,
                                help="The reporter's exports to the country, or its imports "
                                     "from it.")
then_option = click.option("--then", "then", default="2015-2016", show_default=True,
                           help="A year or a range.")
now_option = click.option("--now", "now", default="2020-2021", show_default=True)
digits_option = click.option("--digits", type=click.IntRange(2, 6), default=None,
                             help="Product level: 6 (HS6, the lake), 4 (heading) or 2 "
                                  "(chapter); default: the data's own.")
revision_option = click.option("--revision", default=None,
                               help="Re-code products to this HS revision (HS92 … HS22) "
                                    "through a correlation table loaded into the lake.")



@click.group()
def products() -> None:
    """Product-level trade: ingest CEPII BACI files; top products, sectors, RCA,
    complementarity, concentration and sector importance."""


@products.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--revision", default=None,
              help="HS revision of the files (HS92 … HS22); read from BACI's file names "
                   "when omitted.")
@click.option("--country-codes", "codes", type=click.Path(path_type=Path), default=None,
              help="BACI's country_codes_V….csv (default: found beside the files).")
@click.option("--product-codes", "names", type=click.Path(path_type=Path), default=None,
              help="BACI's product_codes_{HS}_V….csv for product names (default: found "
                   "beside the files).")
@click.option("--release", default=None, help="BACI release, e.g. 202401 (default: from the "
                                               "file names).")
@click.option("--years", default=None, help="From a release zip, only these years, e.g. "
                                             "1995-2023.")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True, help="Engine that writes the Parquet.")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master for --engine spark, e.g. spark://host:7077 (the lake folder "
                   "must then be on storage every worker can write).")
@click.option("--memory-limit", default="4GB", show_default=True,
              help="DuckDB memory limit for the ingest (it spills to disk beyond it).")
@lake_option
@store_option
@friendly
def ingest(files: tuple[Path, ...], revision: str | None, codes: Path | None,
           names: Path | None, release: str | None, years: str | None, engine: str,
           master: str, memory_limit: str, lake: Path | None, store: Path | None) -> None:
    """Stream BACI-format CSV files (t,i,j,k,v,q), or BACI release zips, into the product
    lake as Parquet."""
    from kakehashi.analytics.periods import parse_period
    from kakehashi.config import store_path
    from kakehashi.store import lake as product_lake

    span = parse_period(years) if years else None
    window = (span.start, span.end) if span else None
    target = lake or product_lake.lake_for(store or store_path())
    with step_progress("Ingesting", product_lake.count_inputs(files, window)) as advance:
        report = product_lake.ingest(list(files), target, revision=revision,
                                     country_codes_file=codes, engine=engine, master=master,
                                     release=release, progress=advance,
                                     memory_limit=memory_limit, product_codes_file=names,
                                     years=window)
    if report.unchanged:
        err.print(f"Unchanged: {len(files)} file(s) already in {target} (version "
                  f"{report.version}).", highlight=False)
        return
    err.print(f"Ingested {report.rows:,} rows ({', '.join(map(str, report.years))} now in "
              f"the lake) into {target} with {engine} in {report.seconds:.1f} s; version "
              f"{report.version}.", highlight=False)


@products.command()
@click.argument("country")
@reporter_option
@direction_option
@then_option
@now_option
@click.option("-n", "n", default=10, show_default=True, type=int)
@revision_option
@digits_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def top(country: str, reporter: str, direction: str, then: str, now: str, n: int,
        revision: str | None, digits: int | None, lake: Path | None, engine: str,
        store: Path | None, fmt: str) -> None:
    """Top products then vs now between the reporter and COUNTRY (new and lost flagged)."""
    from kakehashi import product_questions as pq

    show(pq.top(open_store_option(store), country, reporter=reporter, direction=direction,
                then=then, now=now, n=n, revision=revision, digits=digits, lake=lake,
                engine=engine), fmt,
         ["rank_now", "rank_then", "product", "description", "value_then", "value_now",
          "share_now_pct", "status"] if fmt == "table" else None)


@products.command()
@click.argument("country")
@reporter_option
@direction_option
@then_option
@now_option
@click.option("--min-share", default=0.1, show_default=True, type=float,
              help="Keep products with at least this % of the pair's trade.")
@revision_option
@digits_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def changes(country: str, reporter: str, direction: str, then: str, now: str,
            min_share: float, revision: str | None, digits: int | None, lake: Path | None,
            engine: str, store: Path | None, fmt: str) -> None:
    """Products new since THEN and products lost by NOW."""
    from kakehashi import product_questions as pq

    show(pq.changes(open_store_option(store), country, reporter=reporter,
                    direction=direction, then=then, now=now, min_share_pct=min_share,
                    revision=revision, digits=digits, lake=lake, engine=engine), fmt,
         ["status", "product", "description", "value_then", "value_now", "share_then_pct",
          "share_now_pct"] if fmt == "table" else None)


@products.command()
@click.argument("country")
@reporter_option
@direction_option
@then_option
@now_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def sections(country: str, reporter: str, direction: str, then: str, now: str,
             lake: Path | None, engine: str, store: Path | None, fmt: str) -> None:
    """HS section shares then vs now between the reporter and COUNTRY."""
    from kakehashi import product_questions as pq

    show(pq.sections(open_store_option(store), country, reporter=reporter,
                     direction=direction, then=then, now=now, lake=lake, engine=engine), fmt)


@products.command()
@click.argument("country")
@reporter_option
@direction_option
@click.option("--years", default="2015-2021", show_default=True)
@digits_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def concentration(country: str, reporter: str, direction: str, years: str,
                  digits: int | None, lake: Path | None, engine: str, store: Path | None,
                  fmt: str) -> None:
    """Product concentration (HHI, top-5 share) of the pair's trade, year by year."""
    from kakehashi import product_questions as pq

    show(pq.concentration(open_store_option(store), country, reporter=reporter,
                          direction=direction, years=years, digits=digits, lake=lake,
                          engine=engine), fmt)


@products.command()
@click.argument("exporter")
@click.option("--years", default="2019-2021", show_default=True)
@click.option("-n", "n", default=20, show_default=True, type=int)
@digits_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def rca(exporter: str, years: str, n: int, digits: int | None, lake: Path | None, engine: str,
        store: Path | None, fmt: str) -> None:
    """EXPORTER's products with the highest revealed comparative advantage (needs BACI)."""
    from kakehashi import product_questions as pq

    show(pq.rca(open_store_option(store), exporter, years=years, n=n, digits=digits,
                lake=lake,
                engine=engine), fmt)


@products.command()
@click.argument("target", default="LAC")
@click.option("--years", default="2019-2021", show_default=True)
@digits_option
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def complementarity(target: str, years: str, digits: int | None, lake: Path | None, engine: str,
                    store: Path | None, fmt: str) -> None:
    """Trade complementarity of Japan, China and the USA with TARGET's countries (needs
    BACI)."""
    from kakehashi import product_questions as pq

    show(pq.complementarity(open_store_option(store), target, years=years, digits=digits,
                            lake=lake,
                            engine=engine), fmt)


@products.command()
@click.argument("target", default="LAC")
@reporter_option
@then_option
@now_option
@click.option("--weight", "weights", multiple=True, metavar="DRIVER=W",
              help="Re-weight a driver: weight, growth, reliance, market, partner_rca.")
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def importance(target: str, reporter: str, then: str, now: str, weights: tuple[str, ...],
               lake: Path | None, engine: str, store: Path | None, fmt: str) -> None:
    """Which HS sections of trade with TARGET matter most to the reporter, and why (needs
    BACI)."""
    from kakehashi import product_questions as pq
    from kakehashi.errors import InvalidRequest

    parsed: dict[str, float] = {}
    for w in weights:
        name, _, value = w.partition("=")
        try:
            parsed[name.strip()] = float(value)
        except ValueError:
            raise InvalidRequest(f"--weight {w!r}: write DRIVER=NUMBER, e.g. "
                                 "reliance=2.") from None
    show(pq.importance(open_store_option(store), target, reporter=reporter, then=then,
                       now=now, weights=parsed, lake=lake, engine=engine), fmt,
         ["rank", "section", "score", "trade_now", "weight_value", "growth_value",
          "reliance_value", "market_value", "partner_rca_value"] if fmt == "table" else None)


@products.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--from", "from_revision", required=True, help="Revision of the lake's codes, "
                                                               "e.g. HS17.")
@click.option("--to", "to_revision", required=True, help="Revision to re-code to, e.g. HS22.")
@lake_option
@store_option
@friendly
def concordance(file: Path, from_revision: str, to_revision: str, lake: Path | None,
                store: Path | None) -> None:
    """Load an HS correlation table (UNSD or WITS, saved as CSV) into the lake."""
    from kakehashi.config import store_path
    from kakehashi.store import lake as product_lake

    target = lake or product_lake.lake_for(store or store_path())
    entry = product_lake.load_concordance(target, file, from_revision, to_revision)
    rel = ", ".join(f"{k} {v:,}" for k, v in sorted(entry["relationships"].items()))
    err.print(f"Loaded {entry['pairs']:,} pairs {entry['from_revision']} -> "
              f"{entry['to_revision']} ({rel}) into {target}. Codes that split (1:n, n:n) "
              "share their value equally over their new codes when re-coded: see "
              "`kakehashi products splits`.", highlight=False)


@products.command()
@click.argument("country")
@click.option("--to", "to_revision", required=True, help="Target revision, e.g. HS22.")
@reporter_option
@direction_option
@click.option("--years", default="2019-2021", show_default=True)
@lake_option
@engine_option
@store_option
@fmt_option
@friendly
def splits(country: str, to_revision: str, reporter: str, direction: str, years: str,
           lake: Path | None, engine: str, store: Path | None, fmt: str) -> None:
    """Which of the pair's product codes split going to another HS revision (warnings)."""
    from kakehashi import product_questions as pq

    show(pq.splits(open_store_option(store), country, to_revision=to_revision,
                   reporter=reporter, direction=direction, years=years, lake=lake,
                   engine=engine), fmt)


COMMANDS = (products,)
