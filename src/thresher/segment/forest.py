"""Gradient-boosted trees evaluated without their training library.

The segment model's last pass is a forest (trained with LightGBM by
``train/segment.py``), stored as plain arrays: per node a feature, a float32
threshold and two children, a leaf being its own child; per tree its root and
the class its leaf values add to. ``Forest.raw_scores`` sums the leaves a row
reaches, tree by tree, into float64 class scores (the forest's raw margins,
before the softmax) with ``thresher._segfeat.forest_sum`` where the C
extension was built, or with numpy, which gives the same numbers bit for bit
(the trees are added in the same order). Both walk the trees made complete
at load (``_complete``): every walk takes the same number of steps, and a
node's children are found by arithmetic rather than read, which is what
makes the walk fast (several rows go down a tree side by side).

A float32 feature goes left where it is ``<=`` the node's threshold. LightGBM
compares in float64, and reads a value within float32(1e-35) of zero as zero
(its ``kZeroThreshold``; it puts the thresholds of splits at zero there);
``float32_thresholds`` turns its thresholds into float32 ones that send every
float32 value the way LightGBM does, so the rows go in as they are.
"""

from __future__ import annotations

import numpy as np

try:
    from thresher import _segfeat
except ImportError:  # no C compiler at install time: the numpy path
    _segfeat = None

#: The arrays a forest is stored as (``Forest.arrays``), each under this name.
ARRAY_NAMES = ("feature", "threshold", "left", "right", "value", "roots", "tree_class")
_NUMPY_CHUNK = 2048  # rows per numpy step: bounds the rows x trees index arrays
#: LightGBM's ``kZeroThreshold``: it reads a value this close to zero as zero.
ZERO = np.float32(1e-35)
#: The deepest trees ``Forest`` takes (each is evaluated as a complete tree).
MAX_DEPTH = 12


def float32_thresholds(thresholds: np.ndarray) -> np.ndarray:
    """float32 thresholds ``t'`` for LightGBM's float64 ones ``t``: for every
    float32 ``x``, ``x <= t'`` exactly when LightGBM sends ``x`` left, that
    is when ``(0 if |x| <= ZERO else x) <= t``. Mostly ``t'`` is the largest
    float32 at or below ``t``; a ``t`` within ``ZERO`` of zero splits the
    values at ``ZERO`` or below ``-ZERO``, as the tiny values read as zero."""
    t = np.asarray(thresholds, dtype=np.float64)
    with np.errstate(over="ignore"):  # past float32's range: inf, then its largest
        t32 = t.astype(np.float32)
    above = t32.astype(np.float64) > t
    t32[above] = np.nextafter(t32[above], np.float32(-np.inf))
    zero = np.float64(ZERO)
    t32[(t >= 0) & (t < zero)] = ZERO
    t32[(t < 0) & (t >= -zero)] = np.nextafter(-ZERO, np.float32(-np.inf))
    return t32


class Forest:
    """A forest's arrays, checked once; ``raw_scores(x)`` evaluates it."""

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_classes: int) -> None:
        missing = [k for k in ARRAY_NAMES if k not in arrays]
        if missing:
            raise ValueError(f"forest arrays lack {', '.join(missing)}")
        self.n_features = n_features
        self.n_classes = n_classes
        feature = np.ascontiguousarray(arrays["feature"], dtype=np.int32)
        threshold = np.ascontiguousarray(arrays["threshold"], dtype=np.float32)
        left = np.ascontiguousarray(arrays["left"], dtype=np.int32)
        right = np.ascontiguousarray(arrays["right"], dtype=np.int32)
        self.value = np.ascontiguousarray(arrays["value"], dtype=np.float64)
        self.roots = np.ascontiguousarray(arrays["roots"], dtype=np.int32)
        self.tree_class = np.ascontiguousarray(arrays["tree_class"], dtype=np.int32)
        n = len(feature)
        if not (len(threshold) == len(left) == len(right) == len(self.value) == n):
            raise ValueError("forest node arrays differ in length")
        if len(self.tree_class) != len(self.roots):
            raise ValueError("forest tree arrays differ in length")
        idx = np.arange(n)
        leaf = (left == idx) & (right == idx)
        inner_ok = (left > idx) & (right > idx) & (left < n) & (right < n)
        bad = ~(leaf | inner_ok) | (feature < 0) | (feature >= n_features)
        if bad.any():
            raise ValueError(f"forest node {int(np.flatnonzero(bad)[0])} is malformed")
        if ((self.roots < 0) | (self.roots >= n)).any() or (
            (self.tree_class < 0) | (self.tree_class >= n_classes)
        ).any():
            raise ValueError("forest tree roots or classes are out of range")
        self.arrays: dict[str, np.ndarray] = {
            "feature": feature,
            "threshold": threshold,
            "left": left,
            "right": right,
            "value": self.value,
            "roots": self.roots,
            "tree_class": self.tree_class,
        }
        self.depth, self._nodes, self._leaves = _complete(self.arrays)

    @property
    def n_trees(self) -> int:
        return len(self.roots)

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        """float64 scores (rows x n_classes) for the float32 rows of ``x``."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"forest wants rows of {self.n_features} features, got {x.shape}")
        out = np.zeros((x.shape[0], self.n_classes), dtype=np.float64)
        if x.shape[0] == 0 or self.n_trees == 0:
            return out
        if _segfeat is not None and hasattr(_segfeat, "forest_sum"):
            _segfeat.forest_sum(
                x, self.n_features, self.depth, self._nodes, self._leaves, self.tree_class, out
            )
            return out
        feature = self._nodes[:, :, 0]
        threshold = np.ascontiguousarray(self._nodes[:, :, 1]).view(np.float32)
        trees = np.arange(self.n_trees)
        first_leaf = self._nodes.shape[1]
        for s in range(0, x.shape[0], _NUMPY_CHUNK):
            rows = x[s : s + _NUMPY_CHUNK]
            r = np.arange(rows.shape[0])[:, None]
            at = np.zeros((rows.shape[0], self.n_trees), dtype=np.int64)
            for _ in range(self.depth):
                right = rows[r, feature[trees, at]] > threshold[trees, at]
                at = 2 * at + 1 + right
            leaves = self._leaves[trees, at - first_leaf]
            block = out[s : s + _NUMPY_CHUNK]
            for t, c in enumerate(self.tree_class):
                block[:, c] += leaves[:, t]
        return out


def _complete(a: dict[str, np.ndarray]) -> tuple[int, np.ndarray, np.ndarray]:
    """The trees made complete, for a walk without child pointers: a leaf
    above the bottom level becomes a subtree whose leaves all hold its value
    (its nodes test feature 0, either way). Returns the depth (at least 1),
    the nodes (trees x 2^depth - 1 x 2 int32: feature, threshold bits, in
    breadth-first order) and the leaves (trees x 2^depth float64)."""
    left, right = a["left"], a["right"]
    n_trees = len(a["roots"])
    # Level by level: the stored node each position of each tree stands for
    # (a leaf stands for itself all the way down).
    at = a["roots"][:, None].astype(np.int64)
    levels: list[np.ndarray] = []
    while True:
        inner = left[at] != at
        if levels and not inner.any():
            break
        if len(levels) == MAX_DEPTH:
            raise ValueError(f"forest trees are deeper than {MAX_DEPTH}; retrain shallower ones")
        feature = np.where(inner, a["feature"][at], 0).astype(np.int32)
        threshold = np.where(inner, a["threshold"][at], np.float32(0)).astype(np.float32)
        levels.append(np.stack([feature, threshold.view(np.int32)], axis=2))
        at = np.stack([left[at], right[at]], axis=2).reshape(n_trees, -1)
    nodes = np.ascontiguousarray(np.concatenate(levels, axis=1), dtype=np.int32)
    leaves = np.ascontiguousarray(a["value"][at], dtype=np.float64)
    return len(levels), nodes, leaves
