"""The fast keyword patterns find exactly what the plain ones find, on the real labelled texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kakehashi.text import gazetteer as gz
from kakehashi.text import quality
from kakehashi.text.patterns import Cue, required_literal, trie_regex

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    items = quality.load(LABELLED)
    whole = [str(i["text"]) for i in items]
    # and cut ones: matches at the very start and end of a text
    return whole + [t[k:k + 120] for t in whole for k in (0, 37, len(t) - 120) if k >= 0]


@pytest.mark.parametrize("branch, literal", [
    (r"\bc?ptpp\b", "ptpp"), (r"u\.?s\.?[-– ]+japan", "japan"), (r"\btrad(e|ing)\b", "trad"),
    (r"co-?financ", "financ"), (r"entr(ó|a) en vigor", " en vigor"), (r"ab+c", "ab"),
    (r"x{2}yz", "yz"), (r"[ãõç]", ""), (r"premi[eê]r?", "premi"), (r"a\.b", "a.b"),
    (r"ab*?c", "a"), (r"(?<![\w-])abc", "abc"),
    # a quantifier after a class escape is no literal: "\w*" requires nothing
    (r"(a|b)\w*\b[^x]", ""), (r"ab\s+cd", "ab"), (r"x\d{2}yz", "yz"),
])
def test_required_literal(branch: str, literal: str) -> None:
    assert required_literal(branch) == literal


def test_trie_prefers_the_longest_word_like_a_sorted_alternation(texts: list[str]) -> None:
    words = sorted({w for t in texts for w in re.findall(r"\w{3,}", t)})[:400]
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    trie = re.compile(trie_regex(words))
    guarded = re.compile("(?:" + trie_regex(words, not_after=r"[\w-]") + r")(?!\w)")
    flat_guarded = re.compile(r"(?<![\w-])(?:" + flat.pattern + r")(?!\w)")
    for t in texts:
        assert [m.span() for m in trie.finditer(t)] == [m.span() for m in flat.finditer(t)]
        assert ([m.span() for m in guarded.finditer(t)]
                == [m.span() for m in flat_guarded.finditer(t)])


def test_cues_and_themes_match_as_their_plain_patterns(texts: list[str]) -> None:
    plain = [r["pattern"] for r in gz.read_csv("event_cues.csv")]
    plain += [r["pattern"] for r in gz.read_csv("themes.csv")]
    for pattern in plain:
        slow = re.compile(pattern, re.IGNORECASE)
        cue = Cue.compile(pattern)
        for t in texts:
            lowered = t.lower()
            want = [m.span() for m in slow.finditer(t)]
            got = [m.span() for m in cue.pattern.finditer(lowered)] if cue.could_match(
                lowered) else []
            assert got == want, (pattern, t[:80])
