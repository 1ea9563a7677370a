"""Which products and sectors matter: product-level answers with their provenance.

Two kinds of product data answer these questions: the product lake (CEPII BACI at HS6 for
every country pair, ingested by the user: `kakehashi products ingest`) and, without a lake,
the bundled Mexico HS4 declarations to UN Comtrade (the store's `product_trade`). Each answer
says which one it used. Analytics that need every exporter's trade (revealed comparative
advantage, complementarity, sector drivers) need the lake.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from kakehashi.analytics import products, ranking
from kakehashi.analytics.periods import Period
from kakehashi.catalog import PROVENANCE_FIELDS, Answer, Row, provenance
from kakehashi.errors import InvalidRequest, NotFound, StoreError
from kakehashi.questions import _records, period, resolve_target
from kakehashi.schema.products import NAMES_REVISION
from kakehashi.sources.baci_products import SOURCE as BACI
from kakehashi.store import lake as product_lake
from kakehashi.store.engines import duckdb_tables
from kakehashi.store.reader import Store

REPORTERS = ("JPN", "CHN", "USA")
DIRECTIONS = ("exports", "imports")
REPORTED = "MEX"  # the one reporter of the bundled product data
IMPORTANCE_DRIVERS = tuple(name for name, _, _ in products.SECTOR_DRIVERS)


@dataclass(frozen=True)
class ProductData:
    """The product flows chosen for a question, and how to cite them."""

    flows: ir.Table
    sections: ir.Table
    kind: str  # "lake" | "reported"
    years: tuple[int, ...]
    digits: int
    label: str
    provenance: list[Row]
    revision: str = ""
    concordance: ir.Table | None = None

    def at(self, digits: int | None) -> ir.Table:
        """The flows at 6 (lake only), 4 or 2 HS digits (default: the data's own)."""
        if digits is None or digits == self.digits:
            return self.flows
        if digits not in (2, 4, 6) or digits > self.digits:
            raise InvalidRequest(f"{digits} digits: these product data go to {self.digits} "
                                 "digits (choose 2, 4" + (", 6" if self.digits == 6 else "")
                                 + ").")
        return products.coarsen(self.flows, digits)

    def recoded(self, revision: str | None, digits: int | None = None
                ) -> tuple[ir.Table, str]:
        """The flows in another HS revision (through the lake's correlation table), and a
        note saying how much of their value sits in codes that split."""
        if not revision or revision.upper() == self.revision:
            return self.at(digits), ""
        target = revision.upper()
        if self.kind != "lake":
            raise InvalidRequest("Re-coding to another HS revision needs the product lake "
                                 "(CEPII BACI); the bundled Mexico data are HS4 as reported.")
        if self.concordance is None:
            raise InvalidRequest(f"No correlation table from {self.revision} to {target} in "
                                 "the lake: load one with `kakehashi products concordance "
                                 f"FILE --from {self.revision} --to {target}`.")
        pairs = self.concordance.filter((self.concordance.from_revision == self.revision)
                                        & (self.concordance.to_revision == target))
        if int(pairs.count().to_pyarrow().as_py()) == 0:
            raise InvalidRequest(f"The lake has no {self.revision} -> {target} correlation "
                                 "table: load it with `kakehashi products concordance`.")
        flows = products.convert(self.flows, self.concordance, self.revision, target)
        if digits and digits < 6:
            flows = products.coarsen(flows, digits)
        note = (f" Codes re-coded from {self.revision} to {target} with the correlation "
                "table in the lake; where a code splits, its value is shared equally over its "
                "new codes (an estimate: the split codes are listed by `kakehashi products "
                "splits`).")
        return flows, note


def _lake_provenance(lake: Path) -> list[Row]:
    mf = product_lake.manifest(lake)
    releases = sorted({f.get("release", "") for f in mf.get("files", []) if f.get("release")})
    row: Row = {k: "" for k in PROVENANCE_FIELDS}
    row.update(source_id=BACI.id, title=BACI.title, publisher=BACI.publisher,
               version=f"{mf.get('revision')} release {', '.join(releases) or 'unknown'}",
               license=BACI.license.name, license_url=BACI.license.url,
               citation=BACI.citation, retrieved=str(mf.get("created", ""))[:10])
    return [row]


def _sections(store: Store) -> ir.Table:
    with duckdb_tables(store) as t:
        arrow = products.chapter_sections(t["hs_products"], t["hs_sections"]).to_pyarrow()
    return ibis.memtable(arrow)


def _check_years(data_years: Sequence[int], *periods: Period, what: str) -> None:
    have = set(data_years)
    for p in periods:
        missing = [y for y in range(p.start, p.end + 1) if y not in have]
        if missing:
            span = f"{min(have)}-{max(have)}" if have else "no years"
            raise InvalidRequest(f"{what} cover {span}; {p.label} is outside it (missing "
                                 f"{', '.join(map(str, missing[:5]))}). Choose periods inside "
                                 "the data, or ingest more BACI years.")


@contextmanager
def product_data(store: Store, countries: Sequence[str], *, lake: Path | None = None,
                 engine: str = "duckdb", need_world: bool = False) -> Iterator[ProductData]:
    """The lake if it has data, else the bundled Mexico declarations when Mexico is one of
    the countries (and the question does not need every exporter)."""
    lake = lake or product_lake.lake_for(store.path)
    if (lake / "current").exists():
        mf = product_lake.manifest(lake)
        prov = _lake_provenance(lake) + provenance(store, ["hs_codes"])
        label = (f"CEPII BACI {mf.get('revision')} (HS6, all reporters, exports FOB as "
                 "reconciled by CEPII)")
        sections = _sections(store)
        years = tuple(int(y) for y in mf.get("years", []))
        if engine == "spark":
            t = product_lake.spark_flows(lake)
            yield ProductData(products.from_lake(t["product_flows"]), sections, "lake",
                              years, 6, label, prov, str(mf.get("revision")),
                              t.get("hs_concordance"))
            return
        with product_lake.duckdb_flows(lake) as t:
            yield ProductData(products.from_lake(t["product_flows"]), sections, "lake",
                              years, 6, label, prov, str(mf.get("revision")),
                              t.get("hs_concordance"))
        return
    if need_world:
        raise NotFound("This needs every exporter's trade by product (CEPII BACI): ingest "
                       "BACI files with `kakehashi products ingest BACI_HS17_Y….csv` (or the "
                       "release zip). The bundled product data cover Mexico's own "
                       "declarations only.")
    source, label = _reported_source(store, countries)
    sections = _sections(store)
    years = tuple(int(r[0]) for r in store.query(
        "SELECT DISTINCT year FROM product_trade WHERE source_id = ? ORDER BY 1",
        [source]).rows)
    with duckdb_tables(store) as core:
        yield ProductData(products.from_reported(core["product_trade"], source), sections,
                          "reported", years, 4, label,
                          provenance(store, [source, "hs_codes"]))


REPORTED_LABELS = {
    "baci": "CEPII BACI HS4 rows added by `kakehashi update --source baci` (Japan, China, the "
            "USA and Korea with the LAC33; exports FOB as reconciled by CEPII)",
    "comtrade_mexico": "Mexico's declarations to UN Comtrade (HS4; small partner flows are "
                       "missing from this extract: read it for composition, not totals; a "
                       "product can leave it when the partner's share falls)",
}


def _reported_source(store: Store, countries: Sequence[str]) -> tuple[str, str]:
    """The store's product_trade source that covers the countries: BACI rows from an update
    first, else the bundled Mexico declarations."""
    codes = list(countries)
    if len(codes) == 2:
        hit = store.query("SELECT count(*) FROM product_trade WHERE source_id = 'baci' AND "
                          "list_contains(?, reporter_iso3) AND list_contains(?, partner_iso3)",
                          [codes, codes]).rows
        if hit and hit[0][0]:
            return "baci", REPORTED_LABELS["baci"]
    if REPORTED in codes:
        return "comtrade_mexico", REPORTED_LABELS["comtrade_mexico"]
    raise NotFound(f"No product data for {', '.join(codes)}: the bundled product data cover "
                   "Mexico only (its HS4 declarations to UN Comtrade). Ingest CEPII BACI "
                   "(`kakehashi products ingest BACI_HS17_V….zip`) for every country.")


def _pair(store: Store, country: str, reporter: str, direction: str) -> tuple[str, str]:
    from kakehashi.catalog import normalise_iso3

    code = normalise_iso3(store, country)
    rep = reporter.strip().upper()
    if rep not in REPORTERS:
        raise InvalidRequest(f"Reporter {reporter!r}: choose {', '.join(REPORTERS)}.")
    if direction not in DIRECTIONS:
        raise InvalidRequest(f"Direction {direction!r}: choose exports or imports (of "
                             f"{rep}).")
    return (rep, code) if direction == "exports" else (code, rep)


def _names(store: Store, df: pd.DataFrame, lake: Path | None,
           column: str = "product") -> pd.DataFrame:
    """Product descriptions: the lake's own names (BACI's product codes file, in the data's
    revision) where ingested, else HS2022 names from the store."""
    if df.empty:
        return df.assign(description=pd.Series(dtype="object"))
    names: dict[str, str] = dict(store.query("SELECT hs_code, description FROM hs_products").rows)
    lake = lake or product_lake.lake_for(store.path)
    if (lake / "current").exists():
        names.update(product_lake.product_names(lake))
    out = df.copy()
    out.insert(out.columns.get_loc(column) + 1, "description",
               [names.get(str(c)) for c in out[column]])
    return out


def _direction_text(exporter: str, importer: str, store: Store) -> str:
    from kakehashi.catalog import _name

    return f"{_name(store, exporter)}'s exports to {_name(store, importer)}"


def _answer(data: ProductData, df: pd.DataFrame, unit: str, notes: str) -> Answer:
    names_note = (" Product names are BACI's for the data's revision where its product codes "
                  f"file was ingested, else {NAMES_REVISION} descriptions (null where the code "
                  "is not in HS2022)." if data.kind == "lake" else "")
    return Answer(_records(df), data.provenance, unit,
                  f"{notes} Data: {data.label}.{names_note}")


def top(store: Store, country: str, *, reporter: str = "JPN", direction: str = "exports",
        then: str | Period = "2015-2016", now: str | Period = "2020-2021", n: int = 10,
        revision: str | None = None, digits: int | None = None, lake: Path | None = None,
        engine: str = "duckdb") -> Answer:
    """The top products then vs now in one direction of the reporter's trade with a country,
    with new and lost products flagged."""
    p0, p1 = period(then), period(now)
    if not 1 <= n <= 100:
        raise InvalidRequest("n must be between 1 and 100.")
    ex, im = _pair(store, country, reporter, direction)
    with product_data(store, [ex, im], lake=lake, engine=engine) as data:
        _check_years(data.years, p0, p1, what="The product data")
        flows, recode = data.recoded(revision, digits)
        df = products.top_products(flows, ex, im, p0, p1, n=n).to_pandas()
    return _answer(data, _names(store, df, lake), "USD (current), mean per year",
                   f"Top {n} products of {_direction_text(ex, im, store)}, {p0.label} vs "
                   f"{p1.label}: status new = not traded then, lost = not traded now."
                   + recode)


def changes(store: Store, country: str, *, reporter: str = "JPN", direction: str = "exports",
            then: str | Period = "2015-2016", now: str | Period = "2020-2021",
            min_share_pct: float = 0.1, revision: str | None = None,
            digits: int | None = None, lake: Path | None = None,
            engine: str = "duckdb") -> Answer:
    """Products new since then and products lost, above a share of the pair's trade."""
    p0, p1 = period(then), period(now)
    ex, im = _pair(store, country, reporter, direction)
    with product_data(store, [ex, im], lake=lake, engine=engine) as data:
        _check_years(data.years, p0, p1, what="The product data")
        flows, recode = data.recoded(revision, digits)
        df = products.new_and_lost(flows, ex, im, p0, p1, min_share_pct).to_pandas()
    return _answer(data, _names(store, df, lake), "USD (current), mean per year",
                   f"New and lost products of {_direction_text(ex, im, store)}, {p0.label} "
                   f"vs {p1.label}, each at least {min_share_pct:g} % of the pair's trade. A "
                   "product can look new or lost only because its code changed between HS "
                   "revisions: compare within one revision, or re-code with a correlation "
                   "table." + recode)


def sections(store: Store, country: str, *, reporter: str = "JPN",
             direction: str = "exports", then: str | Period = "2015-2016",
             now: str | Period = "2020-2021", lake: Path | None = None,
             engine: str = "duckdb") -> Answer:
    """HS section shares then vs now in one direction of the pair's trade."""
    p0, p1 = period(then), period(now)
    ex, im = _pair(store, country, reporter, direction)
    with product_data(store, [ex, im], lake=lake, engine=engine) as data:
        _check_years(data.years, p0, p1, what="The product data")
        df = products.section_shares(data.flows, data.sections, ex, im, p0, p1).to_pandas()
    return _answer(data, df, "USD (current), mean per year; shares in %",
                   f"{_direction_text(ex, im, store)} by HS section, {p0.label} vs "
                   f"{p1.label}.")


def concentration(store: Store, country: str, *, reporter: str = "JPN",
                  direction: str = "exports", years: str | Period = "2015-2021",
                  digits: int | None = None, lake: Path | None = None,
                  engine: str = "duckdb") -> Answer:
    """How concentrated the pair's trade is over products, year by year."""
    p = period(years)
    ex, im = _pair(store, country, reporter, direction)
    with product_data(store, [ex, im], lake=lake, engine=engine) as data:
        _check_years(data.years, p, what="The product data")
        df = products.product_concentration(data.at(digits), ex, im, p).to_pandas()
    return _answer(data, df, "HHI 0-1; shares in %; USD (current)",
                   f"Product concentration of {_direction_text(ex, im, store)}: HHI of "
                   f"product shares (1 = one product) and the top five products' share.")


def rca(store: Store, exporter: str, *, years: str | Period = "2019-2021", n: int = 20,
        digits: int | None = None, lake: Path | None = None,
        engine: str = "duckdb") -> Answer:
    """The exporter's products with the highest revealed comparative advantage."""
    p = period(years)
    code = exporter.strip().upper()
    with product_data(store, [code], lake=lake, engine=engine, need_world=True) as data:
        _check_years(data.years, p, what="The product data")
        df = products.rca(data.at(digits), [code], p).to_pandas()
    if df.empty:
        raise NotFound(f"No exports by {code!r} in the product data for {p.label}.")
    df = df.head(n)
    return _answer(data, _names(store, df, lake), "ratio; USD (current), mean per year",
                   f"Balassa revealed comparative advantage of {code}, {p.label}: the "
                   "product's share of its exports over its share of world exports (RCA > 1: "
                   "specialised).")


def complementarity(store: Store, target: str = "LAC", *, years: str | Period = "2019-2021",
                    digits: int | None = None, lake: Path | None = None,
                    engine: str = "duckdb") -> Answer:
    """Trade complementarity of Japan, China and the USA with each country, both ways."""
    p = period(years)
    _, members = resolve_target(store, target)
    with product_data(store, list(members), lake=lake, engine=engine,
                      need_world=True) as data:
        _check_years(data.years, p, what="The product data")
        flows = data.at(digits)
        out = products.complementarity(flows, REPORTERS, members, p).to_pandas()
        back = products.complementarity(flows, members, REPORTERS, p).to_pandas()
    out = out.assign(direction="comparator exports vs country imports").rename(
        columns={"exporter_iso3": "comparator", "importer_iso3": "country_iso3"})
    back = back.assign(direction="country exports vs comparator imports").rename(
        columns={"importer_iso3": "comparator", "exporter_iso3": "country_iso3"})
    df = pd.concat([out, back], ignore_index=True)[
        ["comparator", "country_iso3", "direction", "tci", "shared_products"]]
    df = df.sort_values(["direction", "comparator", "tci"], ascending=[True, True, False])
    return _answer(data, df, "index 0-100",
                   f"Trade complementarity index (Michaely), {p.label}: 100 x sum over "
                   "products of min(export share, import share); 100 = one side exports "
                   "exactly what the other imports.")


def importance(store: Store, target: str = "LAC", *, reporter: str = "JPN",
               then: str | Period = "2015-2016", now: str | Period = "2020-2021",
               weights: Mapping[str, float] | None = None, lake: Path | None = None,
               engine: str = "duckdb") -> Answer:
    """Which HS sections of trade with the target matter most to the reporter, and why:
    five drivers, percentile-ranked and weighted (re-weightable)."""
    p0, p1 = period(then), period(now)
    rep = reporter.strip().upper()
    if rep not in REPORTERS:
        raise InvalidRequest(f"Reporter {reporter!r}: choose {', '.join(REPORTERS)}.")
    label, members = resolve_target(store, target)
    with product_data(store, list(members), lake=lake, engine=engine,
                      need_world=True) as data:
        _check_years(data.years, p0, p1, what="The product data")
        drv = products.sector_drivers(data.flows, data.sections, rep, members, p0,
                                      p1).to_pandas()
    long = drv.melt(id_vars=["section_number"], value_vars=list(IMPORTANCE_DRIVERS),
                    var_name="driver", value_name="value").dropna()
    scored = ranking.score(long, list(drv.section_number), weights,
                           drivers=IMPORTANCE_DRIVERS, key="section_number")
    df = drv[["section_number", "section", "trade_then", "trade_now", "imports_now",
              "exports_now"]].merge(scored, on="section_number")
    df = df.sort_values(["rank", "section_number"])
    drivers = "; ".join(f"{n} = {text} ({unit})" for n, text, unit in products.SECTOR_DRIVERS)
    return _answer(data, df, "score 0-1; USD (current), mean per year",
                   f"HS sections of {rep}'s trade with {label}, {p0.label} vs {p1.label}, "
                   f"ranked by importance to {rep}. Drivers: {drivers}. Each driver is a "
                   "percentile rank across the sections; the score is their weighted mean "
                   "(contributions add up to it).")


def splits(store: Store, country: str, *, to_revision: str, reporter: str = "JPN",
           direction: str = "exports", years: str | Period = "2019-2021",
           lake: Path | None = None, engine: str = "duckdb") -> Answer:
    """The pair's traded codes that split going to another HS revision, with their value."""
    p = period(years)
    ex, im = _pair(store, country, reporter, direction)
    with product_data(store, [ex, im], lake=lake, engine=engine, need_world=True) as data:
        _check_years(data.years, p, what="The product data")
        data.recoded(to_revision)  # checks that the correlation table is there
        assert data.concordance is not None
        pair = data.flows.filter(p.contains(data.flows.year)
                                 & (data.flows.exporter_iso3 == ex)
                                 & (data.flows.importer_iso3 == im))
        df = products.split_codes(pair, data.concordance, data.revision,
                                  to_revision.upper()).to_pandas()
    return _answer(data, _names(store, df, lake), "USD (current), whole period; share in %",
                   f"Codes of {_direction_text(ex, im, store)}, {p.label}, that split from "
                   f"{data.revision} to {to_revision.upper()}: their value is shared over "
                   "their new codes when re-coded.")


def coverage(store: Store, lake: Path | None = None) -> dict[str, Any]:
    """What product data there is: the lake's manifest summary, and the bundled extract."""
    lake = lake or product_lake.lake_for(store.path)
    out: dict[str, Any] = {"lake": str(lake), "lake_years": [], "lake_rows": 0}
    try:
        mf = product_lake.manifest(lake)
        out.update(lake_years=mf.get("years", []), lake_rows=mf.get("rows", 0),
                   lake_revision=mf.get("revision"), lake_engine=mf.get("engine"),
                   lake_files=[{k: f.get(k) for k in ("name", "sha256", "rows", "release")}
                               for f in mf.get("files", [])])
    except StoreError:
        pass
    out["bundled"] = [{"reporter_iso3": r[0], "first_year": r[1], "last_year": r[2],
                       "rows": r[3]} for r in store.query(
        "SELECT reporter_iso3, min(year), max(year), count(*) FROM product_trade "
        "GROUP BY 1 ORDER BY 1").rows]
    return out
