"""The extractor's quality on the labelled set of real texts: the numbers docs/text.md reports.

These assert the measured counts (so the report cannot drift from the code), not that the
goals are met: on the held-out part event-type accuracy is below the 0.85 goal in es (0.71)
and pt (0.75). The second held-out part (labelled_unshipped.jsonl) ships labels without texts,
so only its form is tested here; docs/text.md reports its scores, measured with the texts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kakehashi.text import gazetteer as gz
from kakehashi.text import quality

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"
UNSHIPPED = LABELLED.with_name("labelled_unshipped.jsonl")

# (split, language, field): (true positives, false positives, false negatives)
EXPECTED = {
    ('dev', 'all', 'countries'): (40, 0, 0),
    ('dev', 'all', 'event_type'): (28, 0, 0),
    ('dev', 'all', 'themes'): (80, 4, 0),
    ('dev', 'en', 'countries'): (9, 0, 0),
    ('dev', 'en', 'event_type'): (7, 0, 0),
    ('dev', 'en', 'themes'): (23, 1, 0),
    ('dev', 'es', 'countries'): (12, 0, 0),
    ('dev', 'es', 'event_type'): (7, 0, 0),
    ('dev', 'es', 'themes'): (12, 1, 0),
    ('dev', 'ja', 'countries'): (8, 0, 0),
    ('dev', 'ja', 'event_type'): (7, 0, 0),
    ('dev', 'ja', 'themes'): (18, 1, 0),
    ('dev', 'pt', 'countries'): (11, 0, 0),
    ('dev', 'pt', 'event_type'): (7, 0, 0),
    ('dev', 'pt', 'themes'): (27, 1, 0),
    ('heldout', 'all', 'countries'): (37, 0, 0),
    ('heldout', 'all', 'event_type'): (27, 4, 4),
    ('heldout', 'all', 'themes'): (81, 4, 6),
    ('heldout', 'en', 'countries'): (6, 0, 0),
    ('heldout', 'en', 'event_type'): (8, 0, 0),
    ('heldout', 'en', 'themes'): (17, 2, 1),
    ('heldout', 'es', 'countries'): (9, 0, 0),
    ('heldout', 'es', 'event_type'): (5, 2, 2),
    ('heldout', 'es', 'themes'): (22, 0, 0),
    ('heldout', 'ja', 'countries'): (13, 0, 0),
    ('heldout', 'ja', 'event_type'): (8, 0, 0),
    ('heldout', 'ja', 'themes'): (21, 2, 2),
    ('heldout', 'pt', 'countries'): (9, 0, 0),
    ('heldout', 'pt', 'event_type'): (6, 2, 2),
    ('heldout', 'pt', 'themes'): (21, 0, 3),
}


@pytest.fixture(scope="module")
def items() -> list[dict[str, object]]:
    return quality.load(LABELLED)


def test_labelled_set_is_real_and_balanced(items: list[dict[str, object]]) -> None:
    for lang in ("en", "es", "pt", "ja"):
        mine = [i for i in items if i["lang"] == lang]
        assert len(mine) >= 14, lang
        assert {i["split"] for i in mine} == {"dev", "heldout"}
    for item in items:
        assert item["url"] and item["licence"], item["id"]


def test_scores_are_what_the_report_says(items: list[dict[str, object]]) -> None:
    scores = quality.evaluate(items)
    measured = {k: (s.tp, s.fp, s.fn) for k, s in scores.items()}
    assert measured == EXPECTED


def test_country_f1_is_perfect_on_both_parts(items: list[dict[str, object]]) -> None:
    scores = quality.evaluate(items)
    for split in ("dev", "heldout"):
        assert scores[(split, "all", "countries")].f1 == 1.0
    assert round(scores[("heldout", "all", "event_type")].f1, 2) == 0.87
    assert round(scores[("heldout", "all", "themes")].f1, 2) == 0.94


def test_unshipped_labels_are_well_formed() -> None:
    items = quality.load(UNSHIPPED)
    assert len(items) == 34
    for lang in ("es", "pt"):
        mine = [i for i in items if i["lang"] == lang]
        assert len(mine) == 17
        assert {i["split"] for i in mine} == {"dev", "heldout2"}
    ids = [i["id"] for i in items] + [i["id"] for i in quality.load(LABELLED)]
    assert len(ids) == len(set(ids))
    for item in items:
        assert "text" not in item and item["url"] and item["licence"], item["id"]
        assert len(item["sha256"]) == 64 and item["chars"] > 0
        labels = item["labels"]
        assert labels["event_type"] in gz.EVENT_TYPES
        assert set(labels["themes"]) <= set(gz.THEMES)
        assert all(len(c) == 3 and c.isupper() for c in labels["countries"])


def test_texts_are_attached_only_when_their_checksum_matches(tmp_path: Path) -> None:
    text = "Japón y Perú firmaron hoy un acuerdo."
    item = {"id": "x1", "lang": "es", "split": "heldout2", "published": None,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "chars": len(text),
            "labels": {"countries": ["PER"], "event_type": "agreement_signed", "themes": []}}
    other = {**item, "id": "x2"}
    shipped = json.loads(LABELLED.read_text(encoding="utf-8").splitlines()[0])
    (tmp_path / "x1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "x2.txt").write_text(text + " (edited)", encoding="utf-8")
    kept, missing = quality.attach_texts([shipped, item, other], tmp_path)
    assert [i["id"] for i in kept] == [shipped["id"], "x1"] and missing == ["x2"]
    assert kept[1]["text"] == text
    assert quality.attach_texts([item], None) == ([], ["x1"])
    scores = quality.evaluate(kept)
    both = quality.combine(scores, ("dev", "heldout2"), "both")
    assert both[("both", "all", "event_type")] == quality.Score(2, 0, 0)


@pytest.mark.parametrize("text, want", [
    # "afirmó" (said) holds "firmó" (signed): a signing cue starts a word
    ("El embajador afirmó que Japón y Bolivia afirman su amistad.", None),
    # naming an agreement is not signing one
    ("La comunidad espera un Acuerdo de Seguridad Social; el acuerdo protegería a miles.",
     "other"),
    # a visit named as the setting of the event of the sentence is not the event
    ("Durante visita de Estado ao Japão, o presidente firmou acordos com o governo.",
     "agreement_signed"),
    # a loan agreement is financing, not a signing
    ("Paraguay firmará en mayo un convenio de préstamo con Japón.", "financing"),
    # hosting a visitor is a visit
    ("El presidente recibió este jueves en el palacio al ministro de Japón.", "visit"),
])
def test_event_type_rules(text: str, want: str | None) -> None:
    from kakehashi.text.extract import classify_event

    assert classify_event(text)[0] == want


def test_lead_is_the_title_or_the_first_sentence() -> None:
    from kakehashi.text.extract import lead_end

    assert lead_end("Title\nBody. More.") == 5
    text = "Sr. Patriota fará uma visita ao Japão. Além do encontro com o ministro."
    assert text[:lead_end(text)] == "Sr. Patriota fará uma visita ao Japão. "
