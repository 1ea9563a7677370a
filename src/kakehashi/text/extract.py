"""Turn one text into countries, blocs, actors, dates, an event type and themes, with evidence.

Everything is rule-based and offline: gazetteers and cue lists in ``text/data``. Each item
carries the span of text that supports it (``evidence``), so a reader can check it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from kakehashi.text import gazetteer as gz
from kakehashi.text.actors import Mention, find_officials, find_organisations
from kakehashi.text.dates import DateMention, find_dates
from kakehashi.text.language import detect

LEAD_CHARS = 300  # the lead is the first line (a title) or at most this many characters
# When two event types score the same, the more specific one wins.
PRIORITY = ("agreement_in_force", "financing", "agreement_signed", "forum", "meeting", "visit",
            "other")
MIN_EVENT_SCORE = 2


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
# A visit named as the setting of what the sentence reports ("during his visit to Japan, X
# signed...", "en el marco de su visita", "por ocasião da visita") frames the event, it is not it.
_SETTING = re.compile(r"(?:\bduring|\bdurante|\bamid|en el marco de|no marco d[aeo]s?|"
                      r"en el contexto de|no contexto d[aeo]s?|in the context of|"
                      r"on the occasion of|con motivo de|por ocasião d[aeo]s?|"
                      r"no âmbito d[aeo]s?|en ocasión de)\s+(?:\w+\s+){0,2}$")
SETTING_TYPES = ("visit",)


def lead_end(text: str) -> int:
    """The lead: the first line when it is a title (shorter than ``LEAD_CHARS``), else the first
    sentence, at most ``LEAD_CHARS`` characters. News put the event of the day there."""
    newline = text.find("\n")
    if 0 < newline < LEAD_CHARS:
        return newline
    m = _LEAD_SENTENCE_END.search(text, 0, LEAD_CHARS)
    return m.end() if m else LEAD_CHARS


def classify_event(text: str, published: date | None = None
                   ) -> tuple[str | None, dict[str, int], list[Mention]]:
    """Score each event type by weighted cue counts; a cue in the lead counts 2 more.

    Cues in sentences about the past (``background``) do not count, nor a visit named as the
    setting of another event ("during the visit, ..."). A type found only by its weakest cues
    (weight 1: "agreement", "acuerdo") is not chosen: naming an agreement is not signing one."""
    scores: Counter[str] = Counter()
    strong: set[str] = set()
    cues: list[Mention] = []
    end_of_lead = lead_end(text)
    lowered = text.lower()
    history = background(text, published)
    for event_type, weight, cue in gz.event_cues():
        if not cue.could_match(lowered):
            continue
        found = cue.pattern.finditer(lowered)
        if history:
            found = (h for h in found if not any(s <= h.start() < e for s, e in history))
        if event_type in SETTING_TYPES:
            found = (h for h in found
                     if not _SETTING.search(lowered, max(0, h.start() - 40), h.start()))
        hits = list(islice(found, 3))  # more than 3 count as 3
        if not hits:
            continue
        lead = hits[0].start() < end_of_lead  # hits come in order: the first tells
        scores[event_type] += weight * (len(hits) + 2 * lead)
        if weight > 1:
            strong.add(event_type)
        h = hits[0]
        cues.append(Mention("event_cue", event_type, h.start(), h.end(),
                            text[h.start():h.end()]))
    if not scores:
        return None, {}, cues
    best = max((v for t, v in scores.items() if t in strong), default=0)
    if best < MIN_EVENT_SCORE:
        return "other", dict(scores), cues
    winner = next(t for t in PRIORITY if t in strong and scores.get(t) == best)
    return winner, dict(scores), cues


def find_themes(text: str) -> tuple[list[str], list[Mention]]:
    lowered = text.lower()
    found: list[str] = []
    evidence: list[Mention] = []
    for theme, cue in gz.themes().items():
        m = cue.pattern.search(lowered) if cue.could_match(lowered) else None
        if m:
            found.append(theme)
            evidence.append(Mention("theme", theme, m.start(), m.end(),
                                    text[m.start():m.end()]))
    return found, evidence


def extract(text: str, published: date | None = None, language: str | None = None
            ) -> Extraction:
    """Extract everything from ``text``; ``published`` resolves years and office holders."""
    mentions: list[Mention] = []
    mentions += [Mention("country", k, s, e, ev) for k, s, e, ev in gz.countries().finditer(text)
                 if k]
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
