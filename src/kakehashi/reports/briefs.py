"""Brief builders for a country, the region (or a sub-region) and an event."""

from __future__ import annotations

from kakehashi import catalog, questions
from kakehashi.analytics.periods import Period
from kakehashi.analytics.ranking import DRIVERS
from kakehashi.errors import InvalidRequest
from kakehashi.reports.cite import Span, sentence
from kakehashi.reports.content import (
    Writer,
    alignment_section,
    comparator_chart,
    finance_section,
    key_table,
    outlook_section,
    periods,
    role_section,
    thennow_index,
    trade_chart,
)
from kakehashi.reports.model import Brief, Section, Table
from kakehashi.reports.products import products_section
from kakehashi.store.reader import Store

ALL_SOURCES = ["imf_dots", "wdi_japan_oda", "one_net_flows", "unctad_fdi", "un_votes",
               "events", "wdi", "comtrade_mexico"]
INDEX_SOURCES = ("imf_dots", "unctad_fdi", "wdi_japan_oda", "one_net_flows", "wdi", "events",
                 "un_votes")
METHODS = [
    "Trade: IMF Direction of Trade Statistics, annual; exports and imports as each comparator "
    "reports them; shares and ranks from the LAC country's own reports.",
    "A period's value is the mean of the years with data; growth is the compound annual rate "
    "between the periods' midpoints; current US dollars.",
    "Official finance: Japan's net bilateral ODA (World Bank WDI, from OECD DAC2a) and "
    "bilateral loan disbursements (World Bank IDS via ONE). FDI: UNCTAD, 2001-2012 only.",
    "UN votes: share of roll calls on which both voted and voted alike (Voeten).",
    "Importance ranking: eight drivers as percentiles, equal weights (see docs/methods.md).",
    "Outlook: a log-linear trend on the last 15 years, a projection and not a forecast.",
    "Every number has a footnote to its source; the full method is in docs/methods.md.",
]


def _version(store: Store) -> str:
    info = catalog.build_info(store)
    return f"{info.get('built_from', '')} (store {info.get('fingerprint', '')})"


def country_brief(store: Store, iso3: str, then: str = "2000-2004", now: str = "2016-2020"
                  ) -> Brief:
    place, members = questions.resolve_target(store, iso3)
    if len(members) != 1:
        raise InvalidRequest(f"{iso3!r} is a group: use a region brief (--region).")
    code = members[0]
    p0, p1 = periods(then, now)
    w = Writer(store, ALL_SOURCES)
    idx = thennow_index(questions.thennow(store, code, p0, p1))
    brief = Brief("country", f"Japan and {place}: then and now",
                  f"{p0.label} compared with {p1.label}", w.notes, methods=list(METHODS),
                  data_version=_version(store))
    role = role_section(w, idx, place, p0, p1)
    role.chart = comparator_chart(store, code, place)
    flows = Section("Trade both ways")
    flows.chart = trade_chart(store, code, place)
    role.table = key_table(w, idx, p0, p1)
    products = products_section(w, store, code, place)
    brief.sections += [role, flows, finance_section(w, idx, place, p0, p1),
                       _matters(w, store, code, place, p1),
                       *([products] if products else []),
                       alignment_section(w, store, code, place, p0, p1),
                       _events(store, code, place, p1), _coherence(store, code, place, p1),
                       outlook_section(w, store, code, place)]
    return brief


def _matters(w: Writer, store: Store, code: str, place: str, p1: Period) -> Section:
    s = Section("How much it matters to Japan, and why")
    ranked = questions.rank(store, p1).data
    row = next(r for r in ranked if r["country_iso3"] == code)
    drivers = sorted(((k.removesuffix("_contribution"), v) for k, v in row.items()
                      if k.endswith("_contribution") and v), key=lambda kv: -kv[1])[:3]
    labels = {d.name: d.label if d.label[:2].isupper() else d.label[0].lower() + d.label[1:]
              for d in DRIVERS}
    s.paragraphs.append(sentence(
        f"On Kakehashi's importance index for {p1.label}, {place} ranks ",
        w.n("importance rank", row["rank"], INDEX_SOURCES, "rank"),
        " of the 33 LAC countries; its strongest drivers are "
        + ", ".join(labels[d] for d, _ in drivers) + "."))
    have = [r[0] for r in store.query("SELECT DISTINCT reporter_iso3 FROM product_trade").rows]
    if code in have:
        span = f"{max(p1.start, 2015)}-{min(p1.end, 2021)}"
        sec = questions.sectors(store, code, span, ("JPN",)).data
        for flow, word in (("import", "imports from"), ("export", "exports to")):
            top = [r for r in sec if r["flow"] == flow][:1]
            if top:
                s.paragraphs.append(sentence(
                    f"In {span}, the largest section of {place}'s {word} Japan was "
                    f"{top[0]['section']}, ",
                    w.n(f"sector share {flow}", top[0]["share_pct"], "comtrade_mexico", "pct"),
                    " of the total (UN Comtrade HS4, composition only)."))
    return s


def _events(store: Store, code: str, place: str, p1: Period) -> Section:
    s = Section("Visits, meetings and agreements")
    rows = [r for r in catalog.country_events(store, code).data
            if p1.start <= int(str(r["date_text"])[:4]) <= p1.end]
    if not rows:
        s.paragraphs.append(sentence(f"No curated events with {place} in {p1.label}."))
        return s
    s.table = Table(["Date", "Type", "Event"],
                    [[str(r["date_text"]), str(r["event_type"]).replace("_", " "),
                      Span(str(r["title"]), quoted=True)] for r in rows],
                    "Curated Kakehashi events table (sources listed in the dashboard).")
    return s


def _coherence(store: Store, code: str, place: str, p1: Period) -> Section:
    s = Section("Does Japan's attention match its interests?")
    decade = int(p1.midpoint) // 10 * 10
    rows = [r for r in questions.coherence(store).data
            if r.get("kind") == "outlier" and r.get("decade") == decade
            and r.get("country_iso3") == code]
    if rows:
        s.paragraphs.append(sentence(
            f"In the {decade}s, {place} is {rows[0]['label']}: its rank by Japan's attention "
            "(curated events) differs most from its rank by trade with Japan."))
    else:
        s.paragraphs.append(sentence(
            f"In the {decade}s, Japan's attention to {place} is not among the largest gaps "
            "between attention and economic weight in the region."))
    return s


def region_brief(store: Store, region: str = "LAC", then: str = "2000-2004",
                 now: str = "2016-2020") -> Brief:
    place, members = questions.resolve_target(store, region)
    p0, p1 = periods(then, now)
    w = Writer(store, ALL_SOURCES)
    idx = thennow_index(questions.thennow(store, region, p0, p1))
    brief = Brief("region", f"Japan and {place}: then and now",
                  f"{p0.label} compared with {p1.label}", w.notes, methods=list(METHODS),
                  data_version=_version(store))
    role = role_section(w, idx, place, p0, p1)
    role.table = key_table(w, idx, p0, p1)
    top = questions.rank(store, p1).data
    top = [r for r in top if r["country_iso3"] in members][:5]
    matters = Section("Which countries matter most to Japan")
    matters.table = Table(["Rank", "Country", "Score (0-1)"],
                          [[w.n(f"rank {r['country_iso3']}", r["rank"], INDEX_SOURCES, "rank"),
                            str(r["name"]),
                            w.n(f"score {r['country_iso3']}", r["score"], INDEX_SOURCES,
                                "share")]
                           for r in top], f"Importance index, {p1.label}, equal weights.")
    brief.sections += [role, finance_section(w, idx, place, p0, p1), matters,
                       alignment_section(w, store, region, place, p0, p1),
                       outlook_section(w, store, region, place)]
    return brief


def event_brief(store: Store, event_id: str, window: int = 3) -> Brief:
    ans = questions.event(store, event_id, window)
    ev = store.query("SELECT title, date_text, year, lac_countries FROM events "
                     "WHERE event_id = ?", [event_id]).records()[0]
    w = Writer(store, ALL_SOURCES)
    brief = Brief("event", str(ev["title"]), f"{ev['date_text']}: what followed", w.notes,
                  methods=list(METHODS), data_version=_version(store))
    what = Section("What happened")
    what.paragraphs.append([Span(ans.notes.split(" Before:")[0], quoted=True)])
    related = ans.notes.split("Related agreements and financing within a year: ")
    if len(related) > 1:
        what.paragraphs.append([Span("Related agreements and financing within a year: "
                                     + related[1], quoted=True)])
    brief.sections.append(what)
    after = Section("What followed, against the other LAC countries")
    year = int(ev["year"])
    labels = {"log_trade": "Japan's trade (log points)",
              "net_oda_usd_mn": "Japan's net ODA (USD million)",
              "official_loans_usd_mn": "Japan's loan disbursements (USD million)",
              "un_agreement": "UN-vote agreement with Japan (share)"}
    src = {"log_trade": "imf_dots", "net_oda_usd_mn": "wdi_japan_oda",
           "official_loans_usd_mn": "one_net_flows", "un_agreement": "un_votes"}
    rows: list[list[str | Span]] = []
    for r in ans.data:
        if r["did"] is None:
            after.paragraphs.append(sentence(f"{labels[r['outcome']]}: {r['note']}."))
            continue
        rows.append([labels[r["outcome"]],
                     w.n(f"{r['outcome']} treated", r["treated_change"], src[r["outcome"]],
                         "share"),
                     w.n(f"{r['outcome']} control", r["control_change"], src[r["outcome"]],
                         "share"),
                     w.n(f"{r['outcome']} did", r["did"], src[r["outcome"]], "share"),
                     w.n(f"{r['outcome']} p", r["p_value"], src[r["outcome"]], "share"),
                     f"{r['n_treated']} / {r['n_control']}"])
    after.table = Table(["Outcome", "Change, countries visited", "Change, other LAC",
                         "Difference", "p-value", "Countries (visited / other)"], rows,
                        f"Mean of {year + 1}-{year + window} minus mean of {year - window}-"
                        f"{year - 1}; the event year is left out.")
    sig = [r for r in ans.data if r["p_value"] is not None and r["p_value"] < 0.05]
    after.paragraphs.append(sentence(
        "Differences this large are rare among random sets of LAC countries for: "
        + ", ".join(labels[r["outcome"]] for r in sig) + "." if sig else
        "None of the differences stands out from those of random sets of LAC countries "
        "(all p-values at least 0.05): the data do not show an effect."))
    brief.sections.append(after)
    return brief


def brief_for(store: Store, *, country: str | None, region: str | None, event: str | None,
              then: str, now: str, choose: str) -> Brief:
    """The brief for exactly one of country, region or event (``choose`` says how to name
    them in the error, e.g. "--country, --region or --event")."""
    if len([x for x in (country, region, event) if x]) != 1:
        raise InvalidRequest(f"Give exactly one of {choose}.")
    if country:
        return country_brief(store, country, then, now)
    if region:
        return region_brief(store, region, then, now)
    return event_brief(store, str(event))
