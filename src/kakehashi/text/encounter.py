"""Who travels where: read a text's opening to settle what cue counts cannot.

Counting cues tells which kinds of event a text talks about; three questions need a reading of
its opening (the title and the sentence after it):

- **Is the visit only the setting?** A tour during which a loan was obtained or an agreement
  signed is reported for the deed: when the lead tells of a deed (financing, a signing, an
  agreement in force), the deed wins over the visit.
- **Is the Japanese party a resident envoy?** An ambassador or consul calling on a minister,
  a governor or a mayor of the country where they serve is a meeting, even when the text calls
  it a "visit", unless a minister, a prince or a delegation of Japan comes too.
- **Did somebody travel?** Talks with a Japanese minister held in Montevideo, or a president's
  talks "in Tokyo", are a visit: the official travelled abroad to hold them. A phone call, or
  talks on the sidelines of a multilateral summit (the G20, APEC, a summit with CARICOM),
  stay a meeting, even when a visit is named.

The patterns work on lower-cased text; the language rules are in the labelling guide
(docs/text-labelling.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kakehashi.text import gazetteer as gz

_JAPAN = r"(?:jap[oóã]n?|japan|nip[oó]n|tokio|tóquio|tokyo)"
# "... de Japón" after at most 40 characters that name no other official ("el canciller Juan
# Ramón de la Fuente y el embajador de Japón" names an envoy of Japan, not a Japanese canciller).
_GAP = r"(?:(?!embaj|embaix|ambassad|c[oóô]nsul|ministr|minister|canciller|chanceler)[^.,;\n])"
_OF_JAPAN = (rf"(?:{_GAP}{{0,40}}?\b(?:de|del|do|da|of)\s+(?:o\s+|el\s+)?{_JAPAN}"
             r"|\s+(?:japon[eéê]sa?|nipona?|japanese))")
# A resident envoy of Japan, or an envoy of the region serving in Japan.
_ENVOY = re.compile(
    r"\b(?:embajador(?:a)?|embaixador(?:a)?|ambassador|c[oóô]nsul(?:-geral| general| geral)?|"
    r"encargad[oa] de negocios|encarregad[oa] de negócios|chargé d'affaires)\b"
    rf"(?:{_OF_JAPAN}|{_GAP}{{0,40}}?\b(?:en|em|no|in)\s+{_JAPAN})"
    r"|\bjapanese (?:ambassador|consul)")
# A Japanese official who travels (not a resident envoy), or a delegation.
_PRINCIPAL = re.compile(
    r"\b(?:primer(?:a)? ministr[oa]|primeir[oa]-ministr[oa]|prime minister|canciller|"
    r"chanceler|ministr[oa]|minister|vice-?ministr[oa]|viceminist\w*|vice-?canciller|"
    r"secretari[oa] de estado|state minister|príncipe|princesa|prince|princess|emperador|"
    r"imperador|emperor|emperatriz|imperatriz|empress|delegaci[oó]n|delegaç[ãa]o|delegation|"
    r"misi[oó]n|miss[ãa]o|mission|comitiva)\b"
    rf"{_OF_JAPAN}"
    r"|\bjapanese (?:prime minister|foreign minister|minister|delegation|mission|prince|princess)"
    r"|\bpresident[ea]? d[aeo]l? (?:la |a )?(?:jica|agencia de cooperación internacional del "
    r"japón|agência de cooperação internacional do japão)|\bjica president")
# Talks that need no trip: a call, or the sidelines of a multilateral summit (G20, APEC, the
# UN, a summit with a bloc). A bilateral summit in Tokyo is a visit.
_CALL = r"tel[eé]fon|telephone|phone call|videoconfer|\bvirtual|電話"
_SUMMIT_BODIES = r"\bg ?7\b|\bg ?20\b|\bapec\b"  # their meetings are summits by name
_MULTILATERAL = (rf"{_SUMMIT_BODIES}|\bbrics\b|asamblea general|assembleia geral|"
                 r"general assembly|\bonu\b|naciones unidas|nações unidas|united nations|"
                 r"\boecd\b|\bocde\b|\bcaricom\b|\bcelac\b|\bsica\b|mercosu[rl]|"
                 r"alianza del pacífico|aliança do pacífico|pacific alliance|iberoamericana|"
                 r"de las américas|das américas|of the americas|"
                 r"サミット|首脳会議|閣僚理事会|国連|出席")
_SUMMIT = r"\bcumbre|\bcúpula|\bsummit|reunión ministerial|reunião ministerial|ministerial meeting"
_CALLED = re.compile(_CALL)
# A summit or ministerial meeting named with a multilateral body, or the G7, G20, APEC alone.
_AT_SUMMIT = re.compile(rf"(?:{_SUMMIT})[^\n]{{0,200}}?(?:{_MULTILATERAL})"
                        rf"|(?:{_MULTILATERAL})[^\n]{{0,200}}?(?:{_SUMMIT})"
                        rf"|{_SUMMIT_BODIES}|サミット|閣僚理事会")
# Where talks are held: "en Tokio", "em Brasília", "in Lima".
_IN_JAPAN = re.compile(rf"\b(?:en|em|in|no|na)\s+(?:la ciudad de\s+|a cidade de\s+|the city of\s+)?"
                       rf"(?:el\s+|o\s+)?{_JAPAN}\b")
_AT = re.compile(r"\b(?:en|em|in|na|no)\s+$")
# A dateline in Japan at a line's start: "(TOKIO) El primer ministro", "Tóquio – Japão e
# Brasil", "TOKYO, March 3 (Reuters)".
_JAPAN_DATELINE = re.compile(rf"(?:^|\n)[ \t]*\(?{_JAPAN}\)?[ \t]*(?:[,–—(-]|\)|\.-)")

# The deeds that a visit gives way to when the lead tells of them.
DEEDS = ("agreement_in_force", "financing", "agreement_signed")


@lru_cache(maxsize=1)
def _leaders() -> re.Pattern[str]:
    """Japan's prime ministers and foreign ministers by surname ("Kishida", "岸田"): named
    without their title they are still officials who travel."""
    latin = sorted({o.surname_en.lower() for o in gz.officials() if o.surname_en}, key=len,
                   reverse=True)
    kanji = sorted({o.surname_ja for o in gz.officials() if o.surname_ja}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, latin)) + r")\b|"
                      + "|".join(map(re.escape, kanji)))


def _principal(lowered: str, start: int, end: int) -> bool:
    return bool(_PRINCIPAL.search(lowered, start, end) or _leaders().search(lowered, start, end))


def resident_envoy(lowered: str, start: int, end: int) -> bool:
    """The opening names an envoy of Japan (or an envoy serving in Japan) and no Japanese
    official who would travel."""
    return bool(_ENVOY.search(lowered, start, end)) and not _principal(lowered, start, end)


# Any ambassador or consul, of whatever country: under a dateline in Japan, or beside a trip
# named as a setting, the talks may be a resident envoy's ("Tokio.- El ministro recibió al
# embajador cubano").
_ANY_ENVOY = re.compile(r"\b(?:embajador(?:a|es)?|embaixador(?:a|es)?|ambassadors?|"
                        r"c[oóô]nsul(?:es)?|encargad[oa] de negocios|encarregad[oa] de negócios)\b")


def any_envoy(lowered: str, start: int, end: int) -> bool:
    return bool(_ANY_ENVOY.search(lowered, start, end))


def no_trip(lowered: str, start: int, end: int) -> bool:
    """The opening tells of a call, or of talks at a multilateral summit or meeting."""
    return bool(_CALLED.search(lowered, start, end)) or at_summit(lowered, start, end)


def at_summit(lowered: str, start: int, end: int) -> bool:
    """The opening tells of a multilateral summit or ministerial meeting (the G20, APEC, a
    summit with CARICOM): talks there are on its sidelines, a meeting."""
    return bool(_AT_SUMMIT.search(lowered, start, end))


def travelled(text: str, lowered: str, start: int, end: int) -> bool:
    """The opening shows talks held abroad: in Japan (or under a dateline there, when no
    ambassador or consul is named), or in the region with a Japanese minister, prince or
    delegation."""
    if _IN_JAPAN.search(lowered, start, end) or (
            _JAPAN_DATELINE.search(lowered, start, end) and not any_envoy(lowered, start, end)):
        return True
    if not _principal(lowered, start, end):
        return False
    return any(_at_place(text, lowered, start + s)
               for _iso3, s, _e, _ev in gz.countries().finditer(text[start:end]))


def _at_place(text: str, lowered: str, pos: int) -> bool:
    """A place of the region named as where things happen: after "en", "em", "in", or as a
    dateline at a line's start ("Montevideo, 9 ene")."""
    if _AT.search(lowered, max(0, pos - 6), pos):
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    if text[line_start:pos].strip():
        return False
    comma = text.find(",", pos)
    return text[pos:comma if comma >= 0 else len(text)].count(" ") < 3
