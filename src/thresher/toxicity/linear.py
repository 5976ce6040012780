"""The shipped toxicity model: a 3-class linear model over hashed n-grams.

Classes are ``neither``, ``offensive`` and ``hate`` (Davidson et al. 2017's
scheme, which HateXplain shares). The toxicity score is
``P(offensive) + P(hate)`` = ``1 - P(neither)``. Inference is numpy only: the
batch's hashed features gather rows of the weight matrix and ``bincount``
sums them per text, then a softmax.

Files (in ``thresher/models/toxicity/`` by default), all loaded without
running code: ``model.json`` (featuriser settings, classes, thresholds chosen
on validation data, metrics), ``weights.npz`` (``weights`` float16
``[n_features, 3]``, ``bias`` float32 ``[3]``; ``np.load(allow_pickle=False)``)
and ``lexicon.json`` (word lists behind the lexicon features).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thresher.toxicity.features import HashedFeaturizer
from thresher.toxicity.text import normalize

#: Where the default model lives.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "toxicity"
CLASSES = ("neither", "offensive", "hate")


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores of a batch of texts, each an array of floats in 0..1.

    ``toxicity`` is what thresholds apply to; ``hate`` and ``offensive`` tell
    the two kinds apart (``None`` when a backend can't).
    """

    toxicity: np.ndarray
    hate: np.ndarray | None = None
    offensive: np.ndarray | None = None


def load_lexicon(path: Path) -> dict[str, list[str]]:
    """Word lists ``{name: [word, ...]}``; words are normalised like model input."""
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    return {
        name: sorted({normalize(w) for w in words if normalize(w)})
        for name, words in raw.items()
        if not name.startswith("_")
    }


class LinearToxicityModel:
    """Featuriser + softmax weights; :meth:`scores` is the backend interface."""

    def __init__(
        self,
        featurizer: HashedFeaturizer,
        weights: np.ndarray,
        bias: np.ndarray,
        meta: dict[str, Any] | None = None,
    ) -> None:
        if weights.shape != (featurizer.n_features, len(CLASSES)):
            raise ValueError(
                f"weights have shape {weights.shape}, the featuriser needs "
                f"({featurizer.n_features}, {len(CLASSES)})"
            )
        self.featurizer = featurizer
        self.weights = weights
        # One contiguous float32 row per class: gathers stay in cache, no casts.
        self._columns = np.ascontiguousarray(weights.T, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.meta = meta or {}

    @classmethod
    def load(cls, directory: str | Path = DEFAULT_MODEL_DIR) -> LinearToxicityModel:
        directory = Path(directory)
        with open(directory / "model.json", encoding="utf-8") as f:
            meta = json.load(f)
        lexicon = load_lexicon(directory / meta["lexicon"]) if meta.get("lexicon") else None
        featurizer = HashedFeaturizer(**meta["features"], lexicon=lexicon)
        with np.load(directory / "weights.npz", allow_pickle=False) as npz:
            weights = npz["weights"]
            bias = npz["bias"]
        return cls(featurizer, weights, bias, meta)

    def save(self, directory: str | Path, lexicon_file: str | None = None) -> None:
        """Write ``weights.npz`` (float16) and ``model.json``; the lexicon file is
        expected in ``directory`` already, named by ``lexicon_file``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / "weights.npz",
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
        )
        meta = dict(self.meta)
        meta["features"] = self.featurizer.config()
        meta["classes"] = list(CLASSES)
        meta["lexicon"] = lexicon_file
        with open(directory / "model.json", "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, sort_keys=True)
            f.write("\n")

    def logits(self, normalized: Sequence[str]) -> np.ndarray:
        """``[n, 3]`` class logits of already-normalised texts."""
        n = len(normalized)
        batch = self.featurizer.transform(normalized)
        out = np.empty((n, len(CLASSES)), dtype=np.float64)
        for c in range(len(CLASSES)):
            contrib = self._columns[c][batch.cols] * batch.vals
            out[:, c] = np.bincount(batch.rows, weights=contrib, minlength=n)
        out += self.bias
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """``[n, 3]`` probabilities of (neither, offensive, hate); an empty text
        (nothing left after normalisation) is ``neither`` with probability 1."""
        normalized = [normalize(t) for t in texts]
        logits = self.logits(normalized)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        empty = np.fromiter((not t for t in normalized), dtype=bool, count=len(normalized))
        probs[empty] = (1.0, 0.0, 0.0)
        return probs

    def scores(self, texts: Sequence[str]) -> Scores:
        probs = self.predict_proba(texts)
        return Scores(
            toxicity=np.clip(1.0 - probs[:, 0], 0.0, 1.0),
            hate=probs[:, 2],
            offensive=probs[:, 1],
        )
