"""The forms of a Spanish or Portuguese verb that news uses, from its infinitive.

Event cues name a verb once (``{es:donar}``, ``{pt:doar}``) instead of listing its forms by
hand: each list used to miss a tense ("vai doar", "Aprueban", "embarcou") that the next text
used. A regular verb is conjugated in the persons and tenses of reporting: the third persons
of the present, preterite, imperfect, future and conditional, the first person plural of the
present and future ("firmamos", "firmaremos"), the infinitive ("vai doar", "para firmar"), the
gerund and the four forms of the participle. The subjunctive is left out: its forms are also
nouns and adjectives ("firme", "done") and news rarely reports an event with it.

Spelling changes inside a stem (``reunir`` → "reúne") are not derived; a cue lists such forms
itself.
"""

from __future__ import annotations

import os
import re

from kakehashi.text.patterns import trie_regex

# ending of the infinitive -> the endings that replace it
_ENDINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("es", "ar"): ("ar", "a", "an", "amos", "ó", "aron", "aba", "aban", "ará", "arán",
                   "aremos", "aría", "arían", "ando", "ado", "ada", "ados", "adas"),
    ("es", "er"): ("er", "e", "en", "emos", "ió", "ieron", "ía", "ían", "erá", "erán",
                   "eremos", "ería", "erían", "iendo", "ido", "ida", "idos", "idas"),
    ("es", "ir"): ("ir", "e", "en", "imos", "ió", "ieron", "ía", "ían", "irá", "irán",
                   "iremos", "iría", "irían", "iendo", "ido", "ida", "idos", "idas"),
    ("pt", "ar"): ("ar", "a", "am", "amos", "ou", "aram", "ava", "avam", "ará", "arão",
                   "aremos", "aria", "ariam", "ando", "ado", "ada", "ados", "adas"),
    ("pt", "er"): ("er", "e", "em", "emos", "eu", "eram", "ia", "iam", "erá", "erão",
                   "eremos", "eria", "eriam", "endo", "ido", "ida", "idos", "idas"),
    ("pt", "ir"): ("ir", "e", "em", "imos", "iu", "iram", "ia", "iam", "irá", "irão",
                   "iremos", "iria", "iriam", "indo", "ido", "ida", "idos", "idas"),
}
_MACRO = re.compile(r"\{(es|pt):([a-záéíóúâêôãõç]+)(:finite)?\}")
# each list starts with the infinitive and ends with the gerund and the four participles
_NON_FINITE_TAIL = 5


class UnknownVerb(ValueError):
    pass


def forms(lang: str, infinitive: str, finite: bool = False) -> list[str]:
    """The reporting forms of a regular ``-ar``, ``-er`` or ``-ir`` verb, sorted; with
    ``finite``, without the infinitive, gerund and participles."""
    key = (lang, infinitive[-2:])
    if key not in _ENDINGS or len(infinitive) < 4:
        raise UnknownVerb(f"cannot conjugate {lang}:{infinitive}: give the infinitive of a "
                          "Spanish (es) or Portuguese (pt) verb ending in -ar, -er or -ir")
    stem = infinitive[:-2]
    endings = _ENDINGS[key]
    if finite:
        endings = endings[1:-_NON_FINITE_TAIL]
    return sorted({stem + ending for ending in endings})


def expand(pattern: str) -> str:
    """Replace each ``{es:verb}`` / ``{pt:verb}`` in a cue pattern by a group matching the
    verb's forms as whole words (the stem stays a literal, so the cue's quick pre-check still
    finds it). ``{es:verb:finite}`` leaves out the infinitive, gerund and participles: "para
    dialogar" is a purpose, not talks held, and "carga embarcada" is freight, not a traveller."""
    def group(m: re.Match[str]) -> str:
        words = forms(m.group(1), m.group(2), finite=bool(m.group(3)))
        stem = os.path.commonprefix(words)
        endings = trie_regex([w[len(stem):] for w in words])
        return rf"\b{re.escape(stem)}(?:{endings})\b"
    return _MACRO.sub(group, pattern)
