"""Turn one text into countries, blocs, actors, dates, an event type and themes, with evidence.

Everything is rule-based and offline: gazetteers and cue lists in ``text/data``. Each item
carries the span of text that supports it (``evidence``), so a reader can check it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from kakehashi.text import encounter
from kakehashi.text import gazetteer as gz
from kakehashi.text.actors import Mention, find_officials, find_organisations
from kakehashi.text.dates import DateMention, find_dates
from kakehashi.text.encounter import DEEDS, at_summit, no_trip, resident_envoy, travelled
from kakehashi.text.language import detect
from kakehashi.text.patterns import trie_regex

LEAD_CHARS = 300  # the lead is the first line (a title) or at most this many characters
# When two event types score the same, the more specific one wins.
PRIORITY = ("agreement_in_force", "financing", "agreement_signed", "forum", "meeting", "visit",
            "other")
MIN_EVENT_SCORE = 2
# Whether talks are a visit or a meeting is for the reading of the opening to say.
ENCOUNTERS = {"visit", "meeting"}


@dataclass
class Extraction:
    language: str
    countries: list[str]
    blocs: list[str]
    actors: list[str]
    dates: list[DateMention]
    event_type: str | None
    themes: list[str]
    mentions: list[Mention] = field(default_factory=list)
    event_scores: dict[str, int] = field(default_factory=dict)

    def as_dict(self, evidence: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "language": self.language,
            "countries": self.countries,
            "blocs": self.blocs,
            "actors": self.actors,
            "dates": [d.as_dict() for d in self.dates],
            "event_type": self.event_type,
            "themes": self.themes,
        }
        if evidence:
            out["evidence"] = [m.as_dict() for m in self.mentions]
        return out


def _ordered(mentions: list[Mention], kind: str) -> list[str]:
    seen: dict[str, None] = {}
    for m in sorted(mentions, key=lambda x: x.start):
        if m.kind == kind and m.value:
            seen.setdefault(m.value, None)
    return list(seen)


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SENTENCE_END = re.compile(r"[.!?。]\s|\n")
HISTORY_YEARS = 5  # a sentence whose years are all this much older than the text's is history


def background(text: str, published: date | None) -> list[tuple[int, int]]:
    """Sentences about the past: every year they state is ``HISTORY_YEARS`` or more before the
    document's year (its date, else the latest year it states). "Relations were established in
    1895 with the signing of a treaty" tells history, not an event of the day."""
    years = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    if not years:
        return []
    now = published.year if published else max(y for _, y in years)
    if min(y for _, y in years) > now - HISTORY_YEARS:
        return []
    spans, start = [], 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for end in ends:
        inside = [y for pos, y in years if start <= pos < end]
        if inside and max(inside) <= now - HISTORY_YEARS:
            spans.append((start, end))
        start = end
    return spans


# The end of the first sentence: ". " (not after a one- to three-letter abbreviation such as
# "Sr." or "H.E."), "!", "?" or "。".
_LEAD_SENTENCE_END = re.compile(r"(?<!\b\w)(?<!\b\w\w)(?<!\b\w\w\w)[.!?]\s|。")
# An invitation to visit is not a visit: "la invitó a realizar una visita".
_INVITATION = r"\b(?:invit|convid)\w*\s+(?:\w+\s+){0,3}"
# A visit named as the setting of what the sentence reports ("during his visit to Japan, X
# signed...", "en el marco de su visita", "por ocasião da visita") frames the event, it is not it.
_SETTING = re.compile(r"(?:\bduring|\bdurante|\bamid|en el marco de|no marco d[aeo]s?|"
                      r"en el contexto de|no contexto d[aeo]s?|in the context of|"
                      r"on the occasion of|con motivo de|por ocasião d[aeo]s?|"
                      r"no âmbito d[aeo]s?|en ocasión de|seguimiento a|seguimiento de|"
                      r"seguimento à|seguimento d[aeo]s?|follow-up to|follow-up of)"
                      r"\s+(?:[\w'’]+\s+){0,2}$"
                      # "em visita oficial ao Brasil, realizou", "who is visiting Lima, held"
                      r"|\b(?:en|em|on a|is|was)\s+(?:su\s+|sua\s+|seu\s+|una\s+|uma\s+)?$"
                      rf"|{_INVITATION}$")
SETTING_TYPES = ("visit",)
# What an anniversary commemorates is not the news: "el aniversario de la firma del convenio",
# "the 40th anniversary of the visit". Cues of every type right after one do not count.
_ANNIVERSARY = re.compile(r"(?:aniversario|aniversário|anniversary|centenario|centenário|"
                          r"centenary)\s+(?:\w+\s+){0,3}$")
# What may stand in the 40 characters before a cue and void it, by the cue's type.
_FRAMES = (_ANNIVERSARY,)
# Frames of a visit that is no trip of the people in the news: an invitation to visit, the
# visit of someone else ("during the latter's visit"), or an earlier visit followed up.
_NOT_A_TRIP = re.compile(rf"(?:{_INVITATION}"
                         r"|latter['’]s\s+|[uú]ltimo\s+"
                         r"|(?:seguimiento|seguimento|follow-up)\s+(?:[\w'’]+\s+){0,3})$")
_FRAMES_OF_SETTING_TYPES = (_SETTING, _ANNIVERSARY)


# Up to three opening lines of at most three words (and no kana or kanji, whose titles have
# no spaces): a dateline ("Tegucigalpa, Honduras."), a section's name ("NACIÓN") or a date.
# The lead starts after them.
_WORD = r"[^\s\u3000-\u9fff]+"
_DATELINE = re.compile(rf"(?:[ \t]*(?:{_WORD}[ \t]+){{0,2}}{_WORD}[ \t]*\n+){{1,3}}")


def lead_end(text: str) -> int:
    """The lead: the first line when it is a title (shorter than ``LEAD_CHARS``), else the first
    sentence, at most ``LEAD_CHARS`` characters, after any dateline. News put the event of the
    day there."""
    dateline = _DATELINE.match(text)
    start = dateline.end() if dateline and dateline.end() < len(text) else 0
    newline = text.find("\n", start)
    if start < newline < start + LEAD_CHARS:
        return newline
    m = _LEAD_SENTENCE_END.search(text, start, start + LEAD_CHARS)
    return m.end() if m else start + LEAD_CHARS


# A line that only dates the text ("8 de octubre de 2025", "Brasília, 12/03/2024"): short,
# with a year in it.
_DATE_LINE = re.compile(r"[^\n.]{0,30}\b(?:19|20)\d\d\b[^\n.]{0,12}\n")


def opening_end(text: str, end_of_lead: int) -> int:
    """The opening: the lead and the sentence after it (a title and the first sentence of the
    body, past a line that only dates the text), at most ``LEAD_CHARS`` characters more."""
    start = end_of_lead
    while start < len(text) and text[start].isspace():
        start += 1
    date_line = _DATE_LINE.match(text, start)
    if date_line:
        start = date_line.end()
    newline = text.find("\n", start)
    m = _LEAD_SENTENCE_END.search(text, start, start + LEAD_CHARS)
    ends = [e for e in (m.end() if m else -1, newline) if e > start]
    return min(ends) if ends else min(len(text), start + LEAD_CHARS)


# A cue right after a relative pronoun ("the third treaty that Japan signs", "el TLC, que
# entrará en vigor") tells of the thing named, not of what the sentence reports: it gets no
# lead bonus.
_RELATIVE = re.compile(r"(?:\bque|\bwhich|\bthat|\bcual|\bqual)\s+(?:\w+\s+)?$")
# A lender and an amount of money close together: what is being signed is a loan or a grant
# ("Brasil e Banco japonês firmarão contrato ... JBIC ... R$ 1,286 bilhão").
_LENDER = (r"(?:\bjbic|\bjica|\bnexi|\bbanco|\bbank|\bbid\b|\bidb\b|\bcaf\b|国際協力銀行|"
           r"国際協力機構|international cooperation agency|agencia de cooperación internacional|"
           r"agência de cooperação internacional)")
_MONEY = (r"(?:us\$|usd|r\$|\$us|¥|\byen\b|\bienes\b|\biene|円|dólares|reais|\bmillones\b|"
          r"\bbilh|\bmilh|\bmillion|\bbillion)")
# ... in either order: "empréstimo de US$ 62,5 milhões com a Japan International Cooperation
# Agency"
_LENDER_AND_MONEY = re.compile(rf"{_LENDER}[^\n]{{0,160}}?{_MONEY}"
                               rf"|{_MONEY}[^\n]{{0,160}}?{_LENDER}")
LENDER_WINDOW = 400  # characters after the lead searched for a lender and an amount
# Financing cues of this weight name the instrument ("loan agreement", "grant aid", "no
# reembolsable"): signing one of them near the lead is financing too.
INSTRUMENT_WEIGHT = 4


def classify_event(text: str, published: date | None = None
                   ) -> tuple[str | None, dict[str, int], list[Mention]]:
    """Score each event type by weighted cue counts; a cue in the lead counts 2 more.

    Cues in sentences about the past (``background``) do not count, nor a visit named as the
    setting of another event ("during the visit, ..."), nor what an anniversary commemorates
    ("el aniversario de la firma"); a cue in a relative clause gets no lead
    bonus. A type found only by its weakest cues (weight 1: "agreement", "acuerdo") is not
    chosen: naming an agreement is not signing one. A signing with a lender and an amount of
    money, or with a loan or grant instrument, in or just after the lead is financing."""
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    cues: list[Mention] = []
    end_of_lead = lead_end(text)
    lowered = text.lower()
    history = background(text, published)
    instrument_at: dict[str, int] = {}  # type -> first hit of its weight-4 cues
    end_of_opening = opening_end(text, end_of_lead)
    in_lead: set[str] = set()  # types with a strong cue in the lead, not in a relative clause
    in_opening: set[str] = set()  # types with a strong cue in the opening
    trip = False  # a visit named in the opening as the setting of what happened
    for event_type, weight, cue in gz.event_cues():
        if not cue.could_match(lowered):
            continue
        found: Iterable[re.Match[str]] = cue.pattern.finditer(lowered)
        if history:
            found = (h for h in found if not any(s <= h.start() < e for s, e in history))
        framing = _FRAMES_OF_SETTING_TYPES if event_type in SETTING_TYPES else _FRAMES
        if event_type in SETTING_TYPES:
            found = list(found)
            trip = trip or any(_trip_as_setting(lowered, h.start(), end_of_opening)
                               for h in found)
        found = (h for h in found
                 if not any(f.search(lowered, max(0, h.start() - 40), h.start())
                            for f in framing))
        hits = list(islice(found, 3))  # more than 3 count as 3
        if not hits:
            continue
        lead = any(h.start() < end_of_lead
                   and not _RELATIVE.search(lowered, max(0, h.start() - 20), h.start())
                   for h in hits)
        scores[event_type] += weight * (len(hits) + 2 * lead)
        if weight > 1:
            strong.add(event_type)
            if lead:
                in_lead.add(event_type)
            if hits[0].start() < end_of_opening:
                in_opening.add(event_type)
        if weight >= INSTRUMENT_WEIGHT:
            instrument_at[event_type] = min(hits[0].start(),
                                            instrument_at.get(event_type, len(text)))
        h = hits[0]
        cues.append(Mention("event_cue", event_type, h.start(), h.end(),
                            text[h.start():h.end()]))
    if not scores:
        return None, {}, cues
    best = max((v for t, v in scores.items() if t in strong), default=0)
    if best < MIN_EVENT_SCORE:
        return "other", dict(scores), cues
    # a tie goes to a type the lead tells of, then to the more specific type
    tied = [t for t in PRIORITY if t in strong and scores.get(t) == best]
    winner = next((t for t in tied if t in in_lead), tied[0])
    winner = _who_travels_where(winner, text, lowered, scores, in_lead, in_opening,
                                end_of_opening, trip)
    told = next(iter(in_opening)) if len(in_opening) == 1 else winner
    if told != winner and not {told, winner} <= ENCOUNTERS:
        # the opening tells of one event, and it is not the one the whole text counts most
        # (whether talks are a visit or a meeting is the opening reader's call, above)
        winner = told
    near = end_of_lead + LENDER_WINDOW
    if winner == "agreement_signed" and (_LENDER_AND_MONEY.search(lowered, 0, near) or (
            instrument_at.get("financing", near) < near)
            or _sum_signed_for(lowered, end_of_opening)):
        winner = "financing"
    return winner, dict(scores), cues


# A loan or grant with its amount: "un préstamo por 2.486 mil millones", "loan of ¥30 billion"
_SUM = re.compile(r"\b(?:préstamo|empréstimo|crédito|loan|donación|doação|grant)s?\b"
                  r"[^.\n]{0,60}?\b(?:por|de|of|for)\s+(?:us\$|usd|r\$|\$|¥)?\s?\d")
_CLAUSE = re.compile(r"\b(?:que|which|that)\b")


def _sum_signed_for(lowered: str, end_of_opening: int) -> bool:
    """The opening states a loan or grant with its amount, and not in a clause about something
    else ("firmaron un acuerdo de inversiones que fue la llave para un crédito por ...")."""
    m = _SUM.search(lowered, 0, end_of_opening)
    if not m:
        return False
    sentence = max(lowered.rfind(". ", 0, m.start()), lowered.rfind("\n", 0, m.start())) + 1
    return not _CLAUSE.search(lowered, sentence, m.start())


def _trip_as_setting(lowered: str, pos: int, end_of_opening: int) -> bool:
    """A visit cue at ``pos`` that the opening names as the setting ("durante la visita del
    canciller a Tokio, ...", "quien llegó en una gira"): the visit is not the event, but talks
    held on it were held abroad."""
    return (pos < end_of_opening and bool(_SETTING.search(lowered, max(0, pos - 40), pos))
            and not _NOT_A_TRIP.search(lowered, max(0, pos - 40), pos))


def _who_travels_where(winner: str, text: str, lowered: str, scores: Counter[str],
                       in_lead: set[str], in_opening: set[str], end_of_opening: int,
                       trip: bool = False) -> str:
    """Revise a visit or a meeting by reading the opening (see ``encounter``): a deed in the
    lead wins over the visit it happened on; a resident envoy's call, or talks at a
    multilateral summit, are a meeting; talks held abroad, or on a trip the opening names as
    their setting (``trip``), are a visit."""
    if winner == "visit":
        deeds = [t for t in DEEDS if t in in_lead]
        if deeds:
            return max(deeds, key=lambda t: (scores[t], -PRIORITY.index(t)))
        if resident_envoy(lowered, 0, end_of_opening) or (
                "meeting" in scores and at_summit(lowered, 0, end_of_opening)):
            return "meeting"
    elif (winner == "meeting" and not resident_envoy(lowered, 0, end_of_opening)
          and not no_trip(lowered, 0, end_of_opening)
          and ("visit" in in_opening
               or (trip and not encounter.any_envoy(lowered, 0, end_of_opening))
               or travelled(text, lowered, 0, end_of_opening))):
        return "visit"
    return winner


_CAP = r"[A-ZÁÉÍÓÚÂÊÔÃÕÇÑ][\w-]*"
_LINK = (r"(?:,?\s+(?:(?:de|del|la|las|los|y|e|da|do|das|dos|of|and|the|for|para|en|em|a|o|"
         r"el|al)\s+)+|,?\s+)")
# An institution's name: its theme words name it, they are not what the text is about
# ("Ministra de Comercio, Industria y Turismo" is no trade, "Banco Japonês para a Cooperação
# Internacional" no ODA). A programme's name does tell its subject, and is read.
_INSTITUTION_HEADS = re.compile(trie_regex([
    "ministerio", "ministério", "ministry", "ministro", "ministra", "minister", "secretaría",
    "secretaria", "secretary", "instituto", "institute", "banco", "bank", "agencia", "agência",
    "agency", "comisión", "comision", "comissão", "commission", "comité", "comite", "comitê",
    "committee", "consejo", "conselho", "council", "departamento", "department", "universidad",
    "universidade", "university", "fondo", "fundo", "fund", "cámara", "camara", "câmara",
    "chamber", "federación", "federacion", "federação", "confederação", "confederación",
    "asociación", "asociacion", "associação", "association"]))
_NAME_TAIL = re.compile(rf"(?:{_LINK}{_CAP}){{1,8}}")


def institution_names(text: str, lowered: str) -> list[tuple[int, int]]:
    """Spans of institutions' names: a head word ("Ministerio", "Bank") and the capitalised
    words that follow it, joined by "de", "y", "of"..."""
    spans = []
    for head in _INSTITUTION_HEADS.finditer(lowered):
        tail = _NAME_TAIL.match(text, head.end())
        if tail:
            spans.append((head.start(), tail.end()))
    return spans


def find_themes(text: str) -> tuple[list[str], list[Mention]]:
    """Themes, each with its first cue; a cue inside an institution's name does not count."""
    lowered = text.lower()
    found: list[str] = []
    evidence: list[Mention] = []
    names: list[tuple[int, int]] | None = None
    for theme, cue in gz.themes().items():
        if not cue.could_match(lowered):
            continue
        for m in cue.pattern.finditer(lowered):
            if names is None:
                names = institution_names(text, lowered)
            # a cue after the head word, inside the name, does not count
            if not any(s < m.start() < e for s, e in names):
                found.append(theme)
                evidence.append(Mention("theme", theme, m.start(), m.end(),
                                        text[m.start():m.end()]))
                break
    return found, evidence


# A capital or city right after a capitalised word is part of a person's or a body's name
# ("Fundación Mario Santo Domingo", "Ministro Almir Lima Nascimento"), not the place.
_GIVEN_NAME = re.compile(r"\b[A-ZÁÉÍÓÚ][a-záéíóúãõç]+ $")


def extract(text: str, published: date | None = None, language: str | None = None
            ) -> Extraction:
    """Extract everything from ``text``; ``published`` resolves years and office holders."""
    mentions: list[Mention] = []
    mentions += [Mention("country", k, s, e, ev) for k, s, e, ev in gz.countries().finditer(text)
                 if k and not (ev in gz.places() and _GIVEN_NAME.search(text, max(0, s - 20), s))]
    mentions += [Mention("bloc", k, s, e, ev) for k, s, e, ev in gz.blocs().finditer(text)]
    dates = find_dates(text, published)
    when = published or _first_stated(dates)
    mentions += find_officials(text, when)
    mentions += find_organisations(text)
    event_type, scores, cues = classify_event(text, published)
    themes, theme_evidence = find_themes(text)
    mentions += cues + theme_evidence
    mentions += [Mention("date", d.first.isoformat() if d.first else f"--{d.month:02d}",
                         d.start, d.end, d.text) for d in dates]
    mentions.sort(key=lambda m: (m.start, m.kind))
    actors = _ordered(mentions, "actor") + _ordered(mentions, "organisation")
    return Extraction(
        language=language or detect(text),
        countries=_ordered(mentions, "country"),
        blocs=_ordered(mentions, "bloc"),
        actors=actors,
        dates=dates,
        event_type=event_type,
        themes=themes,
        mentions=mentions,
        event_scores=scores,
    )


def _first_stated(dates: list[DateMention]) -> date | None:
    return next((d.first for d in dates if d.year == "stated" and d.first), None)
