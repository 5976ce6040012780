"""Vectorised union-find over document ordinals.

The parent array is dense over ordinals ``0..max`` (8 bytes a document) and
grows on demand. Unions always link the larger root under the smaller, so a
component's root is its smallest ordinal: the first occurrence in input order.
"""

from __future__ import annotations

import numpy as np


class UnionFind:
    def __init__(self, size: int = 1024) -> None:
        self.parent = np.arange(max(1, size), dtype=np.int64)

    def _grow(self, top: int) -> None:
        if top < len(self.parent):
            return
        size = max(top + 1, len(self.parent) + len(self.parent) // 4)
        grown = np.arange(size, dtype=np.int64)
        grown[: len(self.parent)] = self.parent
        self.parent = grown

    def find(self, x: np.ndarray) -> np.ndarray:
        """Roots of ``x`` (int64 array); compresses the paths it walks."""
        x = np.asarray(x, dtype=np.int64)
        if len(x) == 0:
            return x
        self._grow(int(x.max()))
        r = self.parent[x]
        while True:
            up = self.parent[r]
            if np.array_equal(up, r):
                break
            r = up
        self.parent[x] = r
        return r

    def union(self, a: np.ndarray, b: np.ndarray) -> None:
        """Merge the components of ``a[i]`` and ``b[i]`` for every i."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        while len(a):
            ra, rb = self.find(a), self.find(b)
            diff = ra != rb
            if not diff.any():
                return
            a, b, ra, rb = a[diff], b[diff], ra[diff], rb[diff]
            # Several pairs may point one root at different places: min wins, the
            # others are retried with their new roots.
            np.minimum.at(self.parent, np.maximum(ra, rb), np.minimum(ra, rb))

    def roots(self, upto: int) -> np.ndarray:
        """Root of every ordinal ``0..upto-1``."""
        self._grow(upto - 1)
        return self.find(np.arange(upto, dtype=np.int64))
