"""The shipped line classifier: two MLP passes and a forest, in numpy and C.

Pass 1 maps each line's features (its own, its neighbours', page context) to
class probabilities; pass 2 sees the same features plus pass 1's
probabilities of the surrounding lines (a stacked sequence layer), which
lets a line borrow the verdict of its block. Where pass 2 is unsure (its top
probability under ``unsure_below``), a gradient-boosted forest over the same
inputs decides instead: it is the better classifier, but too slow to run on
every line, and most lines are easy. Weights and trees are plain arrays in
``model.npz`` (loaded with ``allow_pickle=False``) and names in ``model.json``;
``train/segment.py`` writes both.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from thresher.segment import features as F
from thresher.segment.forest import ARRAY_NAMES, Forest
from thresher.segment.stack import Stack

#: Classes the model predicts; ``caption`` and ``duplicate`` come from rules.
CLASSES = ("title", "main", "boilerplate", "comment", "comment_meta")
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "segment"
_PROB_OFFSETS = (-3, -2, -1, 0, 1, 2, 3)
#: The ``format`` this version reads and ``train/segment.py`` writes.
FORMAT = "thresher-segment-v2"


def softmax_(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of scores ``z``, in place (``z`` is returned)."""
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def context_probs(p: np.ndarray) -> np.ndarray:
    """Pass-2 inputs from one page's pass-1 probabilities ``p`` (n_lines x
    n_classes): ``context_probs_stacked`` of that page alone."""
    return context_probs_stacked(p, [p.shape[0]])


def context_probs_stacked(
    p: np.ndarray, sizes: list[int], dtype: type[np.floating] = np.float64
) -> np.ndarray:
    """Pass-2 inputs from pass-1 probabilities ``p`` (float32, n_lines x
    n_classes) of several pages stacked in order (``sizes``: lines per page):
    for each line, the probabilities of the lines at ``_PROB_OFFSETS`` (0 at
    offset 0), their means over 5 and 15 lines either side and over the next
    and previous 20 lines, the page's probability mass before and after it,
    and where it stands against the page's likely article lines. Sums are
    taken page by page, so a page's rows are exactly those it gets alone;
    the rest is a few array operations per batch rather than per page. The
    result is in ``dtype`` (the model reads float32)."""
    total, k = p.shape
    if total == 0:
        return np.zeros((0, k * (len(_PROB_OFFSETS) + 6) + 4), dtype=dtype)
    stack = Stack(sizes)
    n = np.maximum(stack.n, 1).astype(p.dtype)[:, None]
    near = np.empty((total, k * len(_PROB_OFFSETS)), dtype=p.dtype)
    for j, off in enumerate(_PROB_OFFSETS):
        # (A line's own probabilities are not repeated: 0, as the model was trained.)
        block = near[:, j * k : (j + 1) * k]
        if off:
            stack.shift_into(block, p, off)
        else:
            block[:] = 0.0
    pc = stack.prefix_sums(p)
    w5 = stack.window_mean(pc, 5)
    w15 = stack.window_mean(pc, 15)
    # Share of the page's main/comment mass before this line: is the article over yet?
    csum = stack.prefix_sums(p, dtype=p.dtype)[stack.cbase + stack.local + 1] - p
    before = csum / n
    after = (stack.page_values(p, "sum") - csum - p) / n
    main_i, com_i = CLASSES.index("main"), CLASSES.index("comment")
    main_mass = stack.page_values(p[:, main_i], "sum")
    # The running maximum of the comment probability in each page: the bits of
    # non-negative float32 numbers order like the numbers, so a page number
    # above them keeps the pages apart in one running maximum.
    page_no = stack.page << 32
    bits = np.ascontiguousarray(p[:, com_i], dtype=np.float32).view(np.int32).astype(np.int64)
    com_max = (np.maximum.accumulate(bits + page_no) - page_no).astype(np.int32).view(np.float32)
    # Where the likely article lines are: inside their span, and how far away.
    idx = np.arange(total)
    end = stack.start + stack.n
    likely = np.flatnonzero(p[:, main_i] >= 0.5)
    if len(likely):
        pos = np.searchsorted(likely, idx)
        nxt = likely[np.minimum(pos, len(likely) - 1)]
        has_next = (pos < len(likely)) & (nxt < end)
        prv = likely[np.maximum(pos - 1, 0)]
        has_prev = (pos > 0) & (prv >= stack.start)
        prev_d = np.where(has_prev, idx - prv, stack.n)
        next_d = np.where(has_next, nxt - idx, stack.n)
        inside = has_next & (has_prev | (nxt == idx))
        dist = np.minimum(prev_d, next_d)
    else:
        inside = np.zeros(total, dtype=bool)
        dist = stack.n
    extra = np.stack(
        [
            csum[:, main_i] / np.maximum(main_mass, np.float32(1e-6)),
            com_max,
            inside,
            np.log1p(dist),
        ],
        axis=1,
    )
    fwd = stack.directed_mean(pc, 20, forward=True)
    bwd = stack.directed_mean(pc, 20, forward=False)
    # The columns of np.hstack([near, w5, w15, before, after, extra, fwd, bwd]),
    # cast to dtype as they are written.
    parts = (near, w5, w15, before, after, extra, fwd, bwd)
    out = np.empty((total, sum(a.shape[1] for a in parts)), dtype=dtype)
    col = 0
    for a in parts:
        out[:, col : col + a.shape[1]] = a
        col += a.shape[1]
    return out


class SegmentModel:
    """Weights of both passes; ``predict(x)`` gives per-line class probabilities."""

    def __init__(self, folder: Path = MODEL_DIR, *, headline: bool = True) -> None:
        """The model in ``folder``; ``headline=False`` loads one without (or
        with outdated) headline weights, to fit them (``train/segment.py
        --headline-weights``): its ``headline_weights`` are then zeros."""
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or tuple(meta["classes"]) != CLASSES:
            raise ValueError(
                f"{folder}: not a thresher segment model this version can read "
                f"(format {meta.get('format')!r}, wants {FORMAT!r}); retrain it with train/segment.py"
            )
        if meta["features"] != F.feature_names():
            raise ValueError(f"{folder}: model was trained on other features; retrain it")
        from thresher.segment.headline import HEADLINE_NAMES

        fitted = (
            meta.get("headline_clues") == list(HEADLINE_NAMES) and "headline_weights_url" in meta
        )
        if headline and not fitted:
            raise ValueError(
                f"{folder}: model.json has no headline weights for this version's clues; "
                f"run train/segment.py --headline-weights {folder}"
            )
        #: The headline ranker's weights, one per ``headline.HEADLINE_NAMES``:
        #: for pages without an address (its ``url_words`` weight is 0), and
        #: for pages with one (fit with the address's words).
        zeros = [0.0] * len(HEADLINE_NAMES)
        self.headline_weights = np.asarray(
            meta["headline_weights"] if fitted else zeros, dtype=np.float64
        )
        self.headline_weights_url = np.asarray(
            meta["headline_weights_url"] if fitted else zeros, dtype=np.float64
        )
        with np.load(folder / "model.npz", allow_pickle=False) as z:
            a = {k: z[k].astype(np.float64) for k in z.files if not k.startswith("forest_")}
            trees = {k: z[f"forest_{k}"] for k in ARRAY_NAMES}
        #: Lines whose pass-2 top probability is below this go to the forest.
        self.unsure_below = float(meta["forest"]["unsure_below"])
        # Fold the feature scaling into the first layers: x @ W' + b' equals
        # ((x - mean) / std) @ W + b, without the per-call normalisation.
        scale, scale2 = 1.0 / a["std"], 1.0 / a["std2"]
        nf = len(scale)
        w1, w2 = a["p1_w1"], a["p2_w1"]
        self.p1 = [
            (w1 * scale[:, None]).astype(np.float32),
            (a["p1_b1"] - (a["mean"] * scale) @ w1).astype(np.float32),
            a["p1_w2"].astype(np.float32),
            a["p1_b2"].astype(np.float32),
        ]
        w2x, w2c = w2[:nf], w2[nf:]
        self.p2x = (w2x * scale[:, None]).astype(np.float32)
        self.p2c = (w2c * scale2[:, None]).astype(np.float32)
        self.p2 = [
            np.zeros(0, np.float32),
            (a["p2_b1"] - (a["mean"] * scale) @ w2x - (a["mean2"] * scale2) @ w2c).astype(
                np.float32
            ),
            a["p2_w2"].astype(np.float32),
            a["p2_b2"].astype(np.float32),
        ]
        self.forest = Forest(trees, nf + w2c.shape[0], len(CLASSES))

    @staticmethod
    def _head(h: np.ndarray, w: list[np.ndarray]) -> np.ndarray:
        """Hidden pre-activations ``h`` (bias added) -> softmax probabilities."""
        np.maximum(h, 0, out=h)
        z = h @ w[2]
        z += w[3]
        return softmax_(z)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (n_lines x len(CLASSES)) from raw features."""
        return self.predict_many([x])[0]

    def predict_many(self, xs: list[np.ndarray]) -> list[np.ndarray]:
        """``predict`` for several pages at once: a few matrix products per batch
        rather than per page (small products cost more in call overhead and
        BLAS threading than in arithmetic)."""
        sizes = [x.shape[0] for x in xs]
        if sum(sizes) == 0:
            return [np.zeros((0, len(CLASSES)), dtype=np.float32) for _ in xs]
        return self.predict_stacked(np.vstack(xs).astype(np.float32, copy=False), sizes)

    def predict_stacked(self, x: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
        """``predict_many`` for pages whose rows are stacked, in order, in the
        float32 matrix ``x`` (``sizes``: rows per page), without copying them."""
        if sum(sizes) == 0:
            return [np.zeros((0, len(CLASSES)), dtype=np.float32) for _ in sizes]
        cuts = np.cumsum(sizes)[:-1]
        h = x @ self.p1[0]
        h += self.p1[1]
        p1 = self._head(h, self.p1)
        ctx = context_probs_stacked(p1, sizes, np.float32)
        h = x @ self.p2x
        h += ctx @ self.p2c
        h += self.p2[1]
        p2 = self._head(h, self.p2)
        unsure = np.flatnonzero(p2.max(axis=1) < self.unsure_below)
        if len(unsure):
            # The forest's rows: features and context side by side (np.take
            # into place: a tenth of np.hstack's time on fancy-indexed rows).
            rows = np.empty((len(unsure), x.shape[1] + ctx.shape[1]), dtype=np.float32)
            np.take(x, unsure, axis=0, out=rows[:, : x.shape[1]])
            np.take(ctx, unsure, axis=0, out=rows[:, x.shape[1] :])
            p2[unsure] = softmax_(self.forest.raw_scores(rows))
        return np.split(p2, cuts)
