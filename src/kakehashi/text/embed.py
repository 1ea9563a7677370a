"""Sentence embeddings from WordLlama, whose wheel ships its weights and tokenizer.

The model is loaded straight from the files inside the installed package (never from the
network: ``WordLlama.load`` would look for the tokenizer in the wrong folder and try to
download it). Without the package, semantic search is off and keyword search still works.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL = "wordllama l2_supercat 256"
DIM = 256


class EmbeddingsUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        import wordllama  # type: ignore[import-untyped]
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            f"semantic search needs the wordllama package ({exc}); install it with "
            "`pip install wordllama`. Keyword search works without it.") from None
    root = Path(wordllama.__file__).resolve().parent
    weights = root / "weights" / "l2_supercat_256.safetensors"
    tokenizer = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
    if not weights.is_file() or not tokenizer.is_file():
        raise EmbeddingsUnavailable(f"wordllama is installed without its bundled files in {root}; "
                                    "reinstall it with `pip install --force-reinstall wordllama`.")
    with safe_open(str(weights), framework="np") as fh:
        matrix = fh.get_tensor("embedding.weight")
    return WordLlamaInference(matrix, Tokenizer.from_file(str(tokenizer)))


def available() -> bool:
    try:
        _model()
    except EmbeddingsUnavailable:
        return False
    return True


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = np.asarray(_model().embed([t[:8000] for t in texts], norm=True), dtype=np.float32)
    return vectors
