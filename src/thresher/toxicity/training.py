"""Training and evaluation helpers for the linear toxicity model.

Used by ``train/toxicity.py`` and ``eval/toxicity.py``; needs scikit-learn
(the ``train`` extra), imported only when a model is fitted.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from thresher.toxicity.features import HashedFeaturizer
from thresher.toxicity.linear import CLASSES, LinearToxicityModel
from thresher.toxicity.text import normalize

SOURCES = ("davidson", "hatexplain", "jigsaw")
_FILES = {
    "davidson": "davidson.jsonl.gz",
    "hatexplain": "hatexplain_train.jsonl.gz",
    "jigsaw": "jigsaw_sample.jsonl.gz",
}
# Source class name -> index into CLASSES (neither, offensive, hate).
_CLASS_INDEX = {
    "neither": 0,
    "normal": 0,
    "offensive_language": 1,
    "offensive": 1,
    "hate_speech": 2,
    "hatespeech": 2,
}

Weighting = Literal["none", "source", "balanced"]


@dataclass(slots=True)
class Examples:
    """Labelled texts of one or more sources; ``label`` indexes CLASSES."""

    ids: list[str]
    texts: list[str]
    labels: np.ndarray
    sources: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def toxic(self) -> np.ndarray:
        """Binary target: offensive or hate."""
        return (self.labels > 0).astype(np.int8)

    def subset(self, mask: np.ndarray) -> Examples:
        idx = np.flatnonzero(mask)
        return Examples(
            ids=[self.ids[i] for i in idx],
            texts=[self.texts[i] for i in idx],
            labels=self.labels[idx],
            sources=[self.sources[i] for i in idx],
        )

    @staticmethod
    def concat(parts: Sequence[Examples]) -> Examples:
        return Examples(
            ids=[i for p in parts for i in p.ids],
            texts=[t for p in parts for t in p.texts],
            labels=np.concatenate([p.labels for p in parts]),
            sources=[s for p in parts for s in p.sources],
        )


def load_source(data_dir: Path, source: str) -> Examples:
    """Read one source of ``<data>/toxicity``; Jigsaw's six labels become
    hate (``identity_hate``), offensive (any other label) or neither."""
    path = Path(data_dir) / "toxicity" / _FILES[source]
    ids, texts, labels = [], [], []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if source == "jigsaw":
                lab = rec["labels"]
                label = 2 if lab["identity_hate"] else (1 if any(lab.values()) else 0)
            else:
                label = _CLASS_INDEX[rec["label_detail"]["class"]]
            ids.append(rec["id"])
            texts.append(rec["text"])
            labels.append(label)
    return Examples(ids, texts, np.asarray(labels, dtype=np.int8), [source] * len(ids))


def validation_mask(ids: Sequence[str], fraction: float = 0.1) -> np.ndarray:
    """Stable split by id: an example is in validation when crc32(id) falls in
    the first ``fraction`` of the range."""
    cut = int(fraction * 2**32)
    return np.fromiter((zlib.crc32(i.encode()) < cut for i in ids), dtype=bool, count=len(ids))


def sample_weights(ex: Examples, weighting: Weighting) -> np.ndarray:
    """``source``: every source weighs the same in total; ``balanced``: also every
    class within a source (so Davidson's 77 % offensive doesn't set the prior)."""
    w = np.ones(len(ex), dtype=np.float64)
    if weighting == "none":
        return w
    src = np.asarray(ex.sources)
    names = sorted(set(ex.sources))
    for s in names:
        in_s = src == s
        if weighting == "balanced":
            present = [c for c in range(len(CLASSES)) if np.any(in_s & (ex.labels == c))]
            for c in present:
                cell = in_s & (ex.labels == c)
                w[cell] = 1.0 / (len(present) * cell.sum())
        else:
            w[in_s] = 1.0 / in_s.sum()
    return w * len(ex) / w.sum()


def feature_matrix(
    featurizer: HashedFeaturizer, normalized: Sequence[str], chunk: int = 4096
) -> Any:
    """scipy CSR matrix of already-normalised texts (duplicates summed)."""
    import scipy.sparse as sp

    blocks = []
    for start in range(0, len(normalized), chunk):
        b = featurizer.transform(normalized[start : start + chunk])
        blocks.append(
            sp.csr_matrix(
                (b.vals.astype(np.float64), (b.rows, b.cols)),
                shape=(b.n_docs, featurizer.n_features),
            )
        )
    return sp.vstack(blocks, format="csr")


def fit(
    ex: Examples,
    featurizer: HashedFeaturizer,
    *,
    c: float = 4.0,
    weighting: Weighting = "balanced",
    max_iter: int = 200,
) -> LinearToxicityModel:
    """Multinomial logistic regression on the three classes, L-BFGS on the
    weighted cross-entropy plus ``||W||^2 / (2 c)`` (scikit-learn's ``C``)."""
    from scipy.optimize import minimize

    x = feature_matrix(featurizer, [normalize(t) for t in ex.texts]).astype(np.float32)
    xt = x.T.tocsr()
    sw = sample_weights(ex, weighting)
    n_cls = len(CLASSES)
    if len(np.unique(ex.labels)) != n_cls:
        raise ValueError("training data must hold all three classes")
    y = np.zeros((len(ex), n_cls))
    y[np.arange(len(ex)), ex.labels] = 1.0
    n_feat = x.shape[1]

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: n_feat * n_cls].reshape(n_feat, n_cls)
        b = theta[n_feat * n_cls :]
        z = np.asarray(x @ w.astype(np.float32), dtype=np.float64) + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float((sw[:, None] * y * logp).sum()) + 0.5 * float((w * w).sum()) / c
        d = sw[:, None] * (np.exp(logp) - y)
        gw = np.asarray(xt @ d.astype(np.float32), dtype=np.float64) + w / c
        return loss, np.concatenate([gw.ravel(), d.sum(axis=0)])

    theta0 = np.zeros(n_feat * n_cls + n_cls)
    res = minimize(loss_grad, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    weights = res.x[: n_feat * n_cls].reshape(n_feat, n_cls).astype(np.float32)
    bias = res.x[n_feat * n_cls :].astype(np.float32)
    # Centre per feature: softmax is unchanged and float16 keeps more precision.
    weights -= weights.mean(axis=1, keepdims=True)
    bias -= bias.mean()
    return LinearToxicityModel(featurizer, weights, bias, {"train_iterations": int(res.nit)})


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (ties count half), via the rank-sum statistic."""
    from scipy.stats import rankdata

    y = np.asarray(y).astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def f1_at(y: np.ndarray, score: np.ndarray, threshold: float) -> float:
    y = np.asarray(y).astype(bool)
    pred = np.asarray(score) >= threshold
    tp = int((pred & y).sum())
    denom = int(pred.sum()) + int(y.sum())
    return 2 * tp / denom if denom else 0.0


def best_f1_threshold(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """The threshold (rounded to 0.01) that maximises F1 on ``(y, score)``."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    f1s = [f1_at(y, score, float(t)) for t in grid]
    k = int(np.argmax(f1s))
    return float(grid[k]), float(f1s[k])
