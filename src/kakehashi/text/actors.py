"""Japanese actors and other organisations: named bodies, embassies, and officials by date.

A prime minister or foreign minister is found by full name (either order, any case, or in
Japanese), by surname after a title ("Minister Kono", "河野大臣"), or by title alone when the
document's date says who held the office. The role is resolved from the dated table of
office holders, so "Kishida" in 2015 is the foreign minister and in 2023 the prime minister.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kakehashi.text import gazetteer as gz
from kakehashi.text.patterns import trie_regex


@dataclass(frozen=True)
class Mention:
    kind: str  # country | bloc | actor | organisation | date | theme | event_cue
    value: str
    start: int
    end: int
    evidence: str

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "start": self.start, "end": self.end,
                "evidence": self.evidence}


_EMBASSY = re.compile(
    r"(?:Embassy of Japan|Japanese Embassy|Embajada (?:del |de )?Japón|Embaixada do Japão)"
    r"(?:\s+(?:in|en|em|no|na)\s+(?:the\s+)?(?P<place>[A-ZÁÉÍÓÚ][\w\s&.]{2,30}?))?"
    r"(?=[,.;:)\s]|$)"
    r"|在(?P<jplace>[\u30A0-\u30FF・]+)日本国?大使館"
)
_TITLE_EN = (r"(?:Prime Minister|PM|Premier|Foreign Minister|Minister|Mr\.|Ms\.|Mrs\.|"
             r"canciller|chanceler|primer ministro|primeiro-ministro|premi[eê]r?|ministro)")
_FM_GENERIC = re.compile(
    r"Japan(?:'s|ese) (?:Foreign Minister|Minister for Foreign Affairs)|Foreign Minister of "
    r"Japan|canciller (?:japonés|nipón|de Japón)|ministro (?:japonés|nipón) de (?:Asuntos|"
    r"Relaciones) Exteriores|chanceler japonês|ministro das Relações Exteriores do Japão|"
    r"外務大臣|外相", re.IGNORECASE)
_PM_GENERIC = re.compile(
    r"Prime Minister of Japan|Japan(?:'s|ese) Prime Minister|primer ministro (?:de Japón|"
    r"japonés|nipón)|primeiro-ministro (?:do Japão|japonês)|premiê japonês|総理大臣|首相|総理",
    re.IGNORECASE)


@dataclass(frozen=True)
class _Person:
    """One office holder's patterns, and the plain strings each pattern needs to match."""

    name_en: str
    full: re.Pattern[str]  # full name, either order, any case; or the Japanese name
    after_title: re.Pattern[str]  # surname after a title, or before a visit/meeting word
    full_needles: tuple[str, ...]  # lower-cased given name, Japanese full name
    title_needles: tuple[str, ...]  # "Kono", "KONO", "河野" (case as the pattern wants it)

    def could_be_named(self, text: str, lowered: str) -> bool:
        return self.full_needles[0] in lowered or self.full_needles[1] in text

    def could_follow_title(self, text: str) -> bool:
        return any(n in text for n in self.title_needles)


@lru_cache(maxsize=1)
def _name_patterns() -> list[_Person]:
    out = []
    seen: set[str] = set()
    for o in gz.officials():
        if o.name_en in seen:
            continue
        seen.add(o.name_en)
        given = o.name_en.split()[0]
        full = re.compile(
            rf"\b(?:{given}\s+{o.surname_en}|{o.surname_en}\s+{given})\b|{o.name_ja}",
            re.IGNORECASE)
        after_title = re.compile(
            rf"{_TITLE_EN}\s+(?:{o.surname_en.upper()}|{o.surname_en})\b(?!-)"
            rf"|\b{o.surname_en}(?:'s|’s)?\b(?=[^.]{{0,60}}(?:visit|tour|gira|visita|"
            rf"viagem|met|meeting|reuni))"
            rf"|{o.surname_ja}(?:大臣|外相|総理|首相|外務大臣)")
        out.append(_Person(o.name_en, full, after_title, (given.lower(), o.name_ja),
                           (o.surname_en, o.surname_en.upper(), o.surname_ja)))
    return out


def _role_for(name_en: str, when: date | None) -> str:
    terms = [o for o in gz.officials() if o.name_en == name_en]
    if when is not None:
        for o in terms:
            if o.in_office(when):
                return f"{o.role} {name_en}"
    roles = sorted({o.role for o in terms})
    return f"{roles[0]} {name_en}" if len(roles) == 1 else name_en


@lru_cache(maxsize=1)
def _surnames() -> re.Pattern[str]:
    """Every surname, lower-cased or Japanese: one scan tells who can be in a text at all."""
    return re.compile(trie_regex({o.surname_en.lower() for o in gz.officials()}
                                 | {o.surname_ja for o in gz.officials()}))


def _people_in(lowered: str) -> list[_Person]:
    present = set(_surnames().findall(lowered))
    return [p for p in _name_patterns()
            if p.title_needles[0].lower() in present or p.title_needles[2] in present]


def find_officials(text: str, when: date | None) -> list[Mention]:
    found: list[Mention] = []
    lowered = text.lower()
    # A pattern runs only when the plain text it needs is there (same matches, much faster).
    people = _people_in(lowered)
    named_people = [p for p in people if p.could_be_named(text, lowered)]
    named = {p.name_en.split()[-1] for p in named_people if p.full.search(text)}
    for person in people:
        hits = list(person.full.finditer(text)) if person in named_people else []
        titled = person.could_follow_title(text)
        if hits:
            hits += list(person.after_title.finditer(text)) if titled else []
        elif titled and person.name_en.split()[-1] not in named:  # "Kono" after "Taro Kono"
            hits = [m for m in person.after_title.finditer(text)
                    if _plausible(person.name_en, when)]
        for m in hits:
            found.append(Mention("actor", _role_for(person.name_en, when), m.start(), m.end(),
                                 m.group(0)))
    if when is not None:
        for role, pattern in (("FM", _FM_GENERIC), ("PM", _PM_GENERIC)):
            holder = gz.office_holder(role, when)
            if holder and not any(x.value.startswith(role + " ") for x in found):
                g = pattern.search(text)
                if g:
                    found.append(Mention("actor", f"{role} {holder.name_en}", g.start(),
                                         g.end(), g.group(0)))
    return found


def _plausible(name_en: str, when: date | None) -> bool:
    """A surname alone counts only if that person held office at the document's date."""
    if when is None:
        return True
    return any(o.name_en == name_en and o.overlaps(date(when.year - 1, 1, 1),
                                                   date(when.year + 1, 12, 31))
               for o in gz.officials())


def find_organisations(text: str) -> list[Mention]:
    japanese = gz.japanese_organisations()
    names = gz.display_names()
    found = [Mention("actor" if key in japanese else "organisation", names[key], s, e, ev)
             for key, s, e, ev in gz.organisations().finditer(text)]
    for m in _EMBASSY.finditer(text):
        place = (m.group("place") or m.group("jplace") or "").strip()
        iso = next((k for k, *_ in gz.countries().finditer(place) if k), "") if place else ""
        value = f"Embassy of Japan in {names[iso]}" if iso else "Embassy of Japan"
        found.append(Mention("actor", value, m.start(), m.end(), m.group(0)))
    return found
