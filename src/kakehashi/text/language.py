"""Offline language detection for en, es, pt and ja.

Japanese is recognised by script (kana, or kanji with kana); the Latin-script languages by
counting frequent function words and a few letters only one of them uses. Anything else, or
too little text to tell, is "und" (undetermined).
"""

from __future__ import annotations

import re
from collections import Counter

SUPPORTED = ("en", "es", "pt", "ja")
_WORD_LOWER = re.compile(r"[a-záéíóúâêôãõàçñü]+")  # for lower-cased text: faster
_STOP = {
    "en": set(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "as",
            "by",
            "was",
            "are",
            "from",
            "this",
            "it",
            "at",
            "be",
            "has",
            "have",
            "an",
            "which",
            "were",
            "its",
            "will",
            "their",
            "his",
            "been",
            "would",
        ]
    ),
    "es": set(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "que",
            "y",
            "en",
            "un",
            "una",
            "por",
            "con",
            "para",
            "es",
            "se",
            "al",
            "lo",
            "su",
            "sus",
            "como",
            "más",
            "fue",
            "este",
            "esta",
            "también",
            "entre",
            "sobre",
            "ha",
            "han",
        ]
    ),
    "pt": set(
        [
            "o",
            "a",
            "os",
            "as",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "que",
            "e",
            "em",
            "um",
            "uma",
            "por",
            "com",
            "para",
            "é",
            "se",
            "ao",
            "no",
            "na",
            "nos",
            "nas",
            "foi",
            "como",
            "mais",
            "seu",
            "sua",
            "também",
            "entre",
            "sobre",
            "tem",
            "são",
            "pelo",
            "pela",
        ]
    ),
}
# Words that exist in only one of es/pt (and so tip the balance between them).
_ONLY = {
    "es": set(
        [
            "el",
            "los",
            "las",
            "del",
            "y",
            "un",
            "una",
            "es",
            "lo",
            "su",
            "sus",
            "fue",
            "este",
            "esta",
            "ha",
            "han",
            "muy",
            "pero",
        ]
    ),
    "pt": set(
        [
            "o",
            "os",
            "do",
            "da",
            "dos",
            "das",
            "e",
            "em",
            "um",
            "uma",
            "é",
            "ao",
            "no",
            "na",
            "nos",
            "nas",
            "foi",
            "seu",
            "sua",
            "são",
            "pelo",
            "pela",
            "não",
            "mas",
            "muito",
        ]
    ),
}
_SPECIAL = {"pt": re.compile(r"[ãõç]|ção|ções"), "es": re.compile(r"[ñ¿¡]|ción\b")}


_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9d]")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def script_counts(text: str) -> tuple[int, int, int]:
    """Counts of kana, CJK ideographs and Latin letters."""
    return len(_KANA.findall(text)), len(_KANJI.findall(text)), len(_LATIN.findall(text))


def detect(text: str) -> str:
    sample = text[:20_000]
    if _KANA.search(sample):  # no kana, not Japanese: skip counting scripts
        kana, kanji, latin = script_counts(sample)
        if (kana + kanji) > 0.3 * (kana + kanji + latin):
            return "ja"
    lowered = sample.lower()
    words = _WORD_LOWER.findall(lowered)
    if len(words) < 3:
        return "und"
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in _STOP.items()}
    for lang, only in _ONLY.items():
        scores[lang] += sum(counts[w] for w in only)
    for lang, pattern in _SPECIAL.items():
        scores[lang] += 2 * len(pattern.findall(lowered))
    best = max(scores, key=lambda k: scores[k])
    # Too few function words for the text's length: not one of the supported languages.
    if scores[best] < max(2, 0.12 * len(words)):
        return "und"
    return best
