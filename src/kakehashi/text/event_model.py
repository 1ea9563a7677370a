"""The event type, decided by a small trained model that reads the rules' verdict and the
opening's words.

The cue rules (``extract.classify_event``) score each type; on texts they had not seen they
were right about two times in three, and each round of new rules carried little to the next
unseen part. The model takes the rules' scores as evidence next to the words of the opening
(the title and the sentence after it), and learns from the labelled texts how far to trust
each: a multinomial logistic regression over

- the rules' winner (one-hot), each type's score (log), and whether each type has a cue in
  the lead and in the opening;
- the opening's words, each cut to its first ``PREFIX`` letters ("firmaron" and "firmará"
  are one feature, "préstamo" and "préstamos" another), for the prefixes found in the openings
  of at least two training texts;
- the whole text's words, cut the same way, for the prefixes found in at least eight training
  texts: they tell a report of the day from an analysis, a decree or a notice.

The weights live in ``data/event_model.json`` with what they were trained on;
``event_training`` writes them. Without that file the rules decide alone.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kakehashi.text import gazetteer as gz

MODEL_FILE = Path(__file__).resolve().parent / "data" / "event_model.json"
TYPES = gz.EVENT_TYPES
PREFIX = 5
_WORD = re.compile(r"\w{3,}")
_TRAINER = "kakehashi.text.event_training"


@dataclass(frozen=True)
class RuleReading:
    """What the rules saw in one text: their winner, each type's score, and the types with a
    cue in the lead and in the opening; plus the opening's text."""

    winner: str | None
    scores: dict[str, int]
    in_lead: frozenset[str]
    in_opening: frozenset[str]
    opening: str
    text: str = ""


def rule_features(r: RuleReading) -> list[float]:
    out = [1.0 if r.winner == t else 0.0 for t in TYPES] + [1.0 if r.winner is None else 0.0]
    out += [math.log1p(r.scores.get(t, 0)) for t in TYPES]
    out += [1.0 if t in r.in_lead else 0.0 for t in TYPES]
    out += [1.0 if t in r.in_opening else 0.0 for t in TYPES]
    return out


def prefixes(opening: str) -> set[str]:
    return {w[:PREFIX] for w in _WORD.findall(opening.lower())}


@dataclass(frozen=True)
class EventModel:
    vocabulary: dict[str, int]  # word prefix of the opening -> column after the rule features
    text_vocabulary: dict[str, int]  # word prefix of the whole text -> column after those
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # features x types
    bias: np.ndarray
    about: dict[str, Any]

    def matrix(self, readings: list[RuleReading]) -> np.ndarray:
        n_rules = len(rule_features(_EMPTY))
        n_opening = len(self.vocabulary)
        x = np.zeros((len(readings), n_rules + n_opening + len(self.text_vocabulary)),
                     dtype=np.float64)
        for row, r in enumerate(readings):
            x[row, :n_rules] = rule_features(r)
            for p in prefixes(r.opening):
                col = self.vocabulary.get(p)
                if col is not None:
                    x[row, n_rules + col] = 1.0
            for p in prefixes(r.text):
                col = self.text_vocabulary.get(p)
                if col is not None:
                    x[row, n_rules + n_opening + col] = 1.0
        return x

    def probabilities(self, readings: list[RuleReading]) -> np.ndarray:
        z = ((self.matrix(readings) - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def decide(self, reading: RuleReading) -> str:
        return TYPES[int(self.probabilities([reading])[0].argmax())]

    def as_json(self) -> dict[str, Any]:
        def rounded(a: np.ndarray) -> Any:
            return np.round(a, 5).tolist()
        return {"about": self.about, "types": list(TYPES), "prefix": PREFIX,
                "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
                "text_vocabulary": sorted(self.text_vocabulary,
                                          key=self.text_vocabulary.__getitem__),
                "mean": rounded(self.mean), "scale": rounded(self.scale),
                "weights": rounded(self.weights), "bias": rounded(self.bias)}

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "event model") -> EventModel:
        if data.get("types") != list(TYPES) or data.get("prefix") != PREFIX:
            raise ValueError(f"{source}: trained for other event types or word prefixes; "
                             f"retrain it with `python -m {_TRAINER}`")
        vocabulary = {p: i for i, p in enumerate(data["vocabulary"])}
        text_vocabulary = {p: i for i, p in enumerate(data.get("text_vocabulary", []))}
        weights = np.asarray(data["weights"], dtype=np.float64)
        width = len(rule_features(_EMPTY)) + len(vocabulary) + len(text_vocabulary)
        if weights.shape != (width, len(TYPES)):
            raise ValueError(f"{source}: weights of shape {weights.shape} do not fit its "
                             f"vocabulary; retrain it with `python -m {_TRAINER}`")
        return cls(vocabulary, text_vocabulary, np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64), weights,
                   np.asarray(data["bias"], dtype=np.float64), dict(data.get("about", {})))


_EMPTY = RuleReading(None, {}, frozenset(), frozenset(), "")


@lru_cache(maxsize=1)
def shipped() -> EventModel | None:
    """The model that ships with the package, or None when its file is absent."""
    if not MODEL_FILE.is_file():
        return None
    return EventModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")),
                                str(MODEL_FILE))


def _vocabulary(texts: list[str], min_texts: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in texts:
        for p in prefixes(t):
            counts[p] = counts.get(p, 0) + 1
    return {p: i for i, p in enumerate(sorted(p for p, n in counts.items() if n >= min_texts))}


def fit(readings: list[RuleReading], labels: list[str], about: dict[str, Any],
        l2: float = 10.0, min_texts: int = 2, min_texts_whole: int = 8, steps: int = 600,
        rate: float = 0.5) -> EventModel:
    """Fit the model by gradient descent from zero weights (the same data give the same
    model)."""
    vocabulary = _vocabulary([r.opening for r in readings], min_texts)
    text_vocabulary = _vocabulary([r.text for r in readings], min_texts_whole)
    blank = EventModel(vocabulary, text_vocabulary, np.zeros(1), np.ones(1), np.zeros((1, 1)),
                       np.zeros(1), {})
    x = blank.matrix(readings)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale
    y = np.eye(len(TYPES))[[TYPES.index(label) for label in labels]]
    w = np.zeros((x.shape[1], len(TYPES)))
    b = np.zeros(len(TYPES))
    n = len(readings)
    for _ in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / n
        w -= rate * (x.T @ g + l2 * w / n)
        b -= rate * g.sum(axis=0)
    about = {**about, "l2": l2, "min_texts": min_texts, "min_texts_whole": min_texts_whole,
             "steps": steps, "texts": n}
    return EventModel(vocabulary, text_vocabulary, mean, scale, w, b, about)
