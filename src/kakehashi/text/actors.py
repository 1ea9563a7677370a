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


@lru_cache(maxsize=1)
def _name_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """Per person: (full name en, full-name pattern, surname-after-title pattern)."""
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
        out.append((o.name_en, full, after_title))
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
    """Every surname, en or ja: one scan tells which people can be in a text at all."""
    names = {o.surname_en for o in gz.officials()} | {o.surname_ja for o in gz.officials()}
    return re.compile("|".join(sorted((re.escape(n.lower()) for n in names), key=len,
                                      reverse=True)))


def find_officials(text: str, when: date | None) -> list[Mention]:
    found: list[Mention] = []
    present = set(_surnames().findall(text.lower()))
    people = [(n, f, a) for n, f, a in _name_patterns()
              if n.split()[-1].lower() in present or _surname_ja(n) in present]
    named = {name_en.split()[-1] for name_en, full, _ in people if full.search(text)}
    for name_en, full, after_title in people:
        hits = list(full.finditer(text))
        if hits:
            hits += list(after_title.finditer(text))
        elif name_en.split()[-1] not in named:  # "Kono" after "Taro Kono" is Taro Kono
            hits = [m for m in after_title.finditer(text) if _plausible(name_en, when)]
        for m in hits:
            found.append(Mention("actor", _role_for(name_en, when), m.start(), m.end(),
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


def _surname_ja(name_en: str) -> str:
    return next(o.surname_ja for o in gz.officials() if o.name_en == name_en)


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
