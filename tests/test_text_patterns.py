"""The fast keyword patterns find exactly what the plain ones find, on the real labelled texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kakehashi.text import gazetteer as gz
from kakehashi.text import quality, verbs
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
    plain = [verbs.expand(r["pattern"]) for r in gz.read_csv("event_cues.csv")]
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


@pytest.mark.parametrize("lang, verb, some, never", [
    ("es", "donar", {"donó", "donará", "donar", "donados", "donaron", "donando"}, {"donación"}),
    ("pt", "doar", {"doou", "doará", "doar", "doado", "doaram", "doarão"}, {"doação"}),
    ("es", "conceder", {"concedió", "concedieron", "concederá", "concedido"}, {"concedió-se"}),
    ("pt", "reunir", {"reuniu", "reuniram", "reunirá", "reunindo"}, {"reuniu-se"}),
])
def test_verb_forms_of_reporting(lang: str, verb: str, some: set[str], never: set[str]) -> None:
    got = set(verbs.forms(lang, verb))
    assert some <= got and not never & got
    assert len(got) == 18


def test_finite_forms_leave_out_infinitive_gerund_and_participles() -> None:
    finite = set(verbs.forms("es", "dialogar", finite=True))
    assert {"dialogó", "dialogaron", "dialogará", "dialogarían", "dialoga"} <= finite
    assert not {"dialogar", "dialogando", "dialogado", "dialogadas"} & finite
    assert len(finite) == 12


def test_a_verb_in_a_cue_matches_its_forms_as_whole_words() -> None:
    cue = Cue.compile(verbs.expand(r"{es:donar}|{pt:doar} (ao|à)"))
    text = "japón donó equipos; la donación llegó; o japão vai doar ao brasil; doou à cidade"
    assert [m.group(0) for m in cue.pattern.finditer(text)] == ["donó", "doar ao", "doou à"]
    assert cue.needles == ("do",)  # the stems stay literals for the quick pre-check


@pytest.mark.parametrize("macro", ["{es:ir}", "{pt:pôr}", "{es:dialogo}"])
def test_a_verb_that_cannot_be_conjugated_is_named(macro: str) -> None:
    with pytest.raises(verbs.UnknownVerb, match=macro.strip("{}")):
        verbs.expand(macro)


def test_a_cue_file_with_a_verb_that_cannot_be_conjugated_names_its_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows = (gz.DATA_DIR / "event_cues.csv").read_text(encoding="utf-8").splitlines()
    rows.insert(3, "visit,2,{es:ir}")
    (tmp_path / "event_cues.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(gz, "DATA_DIR", tmp_path)
    gz.event_cues.cache_clear()
    try:
        with pytest.raises(verbs.UnknownVerb, match=r"event_cues.csv line 4: .* es:ir"):
            gz.event_cues()
    finally:
        gz.event_cues.cache_clear()
