"""Pages stacked in one matrix, and window statistics that stay inside each page.

The segment step computes its features and the model's pass-2 inputs for a
whole batch of pages at once: their lines are rows of one matrix, in order.
``Stack`` knows each row's page, takes prefix sums page by page (so a page's
values are exactly those it gets alone, whatever it is stacked with) and
gives window means and shifted copies that never cross a page's edge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike


class Stack:
    """Pages whose lines are stacked, in order, in one matrix (``sizes``:
    lines per page): each row's page and place in it, and per-page prefix
    sums, so that window statistics can be taken for the whole stack in a few
    array operations without crossing a page's edge. The prefix sums are
    taken page by page, so every page's values are exactly those of the page
    alone, whatever it is stacked with."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes = sizes
        size = np.asarray(sizes, dtype=np.int64)
        first = np.cumsum(size) - size
        #: First row and rows of the non-empty pages (a page without lines has no rows).
        self.spans = [(int(a), int(k)) for a, k in zip(first, size, strict=True) if k]
        self._pages = [j for j, k in enumerate(sizes) if k]  # their page numbers
        self.total = int(size.sum())
        self.start = np.repeat(first, size)  # each row's page: its first row
        self.n = np.repeat(size, size)  # and its number of rows
        self.local = np.arange(self.total) - self.start  # the row's index in its page
        self.page = np.repeat(np.arange(len(size)), size)  # the row's page number
        # Prefix-sum rows: a page of n rows owns n + 1 of them, its first at cbase.
        self.cbase = self.start + self.page

    def prefix_sums(self, x: np.ndarray, dtype: DTypeLike = np.float64) -> np.ndarray:
        """Each page's prefix sums of its rows of x (the sums of its first
        0..n rows, n + 1 of them, from ``np.cumsum``), one block after another
        (summed into ``dtype``)."""
        c = np.zeros((self.total + len(self.sizes), *x.shape[1:]), dtype=dtype)
        for k, (a, n) in zip(self._pages, self.spans, strict=True):
            np.cumsum(x[a : a + n], axis=0, out=c[a + k + 1 : a + k + n + 1])
        return c

    def span_mean(self, c: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, floor: int) -> np.ndarray:
        """Mean over each row's page lines [lo, hi) (local indices) from the page's
        prefix sums ``c``; the count is at least ``floor``."""
        cnt = np.maximum(hi - lo, floor).reshape((-1,) + (1,) * (c.ndim - 1))
        return (c[self.cbase + hi] - c[self.cbase + lo]) / cnt

    def window_mean(self, c: np.ndarray, w: int) -> np.ndarray:
        """Mean over each row's lines [i - w, i + w] of its page (clipped at the
        page's edges), from ``prefix_sums`` ``c``."""
        lo = np.maximum(self.local - w, 0)
        hi = np.minimum(self.local + (w + 1), self.n)
        return self.span_mean(c, lo, hi, floor=0)

    def directed_mean(self, c: np.ndarray, w: int, *, forward: bool) -> np.ndarray:
        """Mean over the next w lines of each row's page (``forward``) or the
        previous w, the line itself excluded (0 where there are none), from
        ``prefix_sums`` ``c``."""
        if forward:
            lo = np.minimum(self.local + 1, self.n)
            hi = np.minimum(self.local + 1 + w, self.n)
        else:
            lo, hi = np.maximum(self.local - w, 0), self.local
        return self.span_mean(c, lo, hi, floor=1)

    def shift_into(self, block: np.ndarray, x: np.ndarray, off: int) -> None:
        """Write into ``block`` the rows of x ``off`` lines away in the same
        page (zeros past its edges)."""
        if abs(off) >= self.total:
            block[:] = 0.0
        elif off < 0:
            block[:-off] = 0.0
            block[-off:] = x[:off]
            block[self.local < -off] = 0.0
        elif off > 0:
            block[-off:] = 0.0
            block[:-off] = x[off:]
            block[self.n - 1 - self.local < off] = 0.0
        else:
            block[:] = x

    def page_values(self, x: np.ndarray, reduce: str) -> np.ndarray:
        """``getattr(page_rows, reduce)(axis=0)`` of each page's rows of x,
        repeated on its rows (in x's dtype)."""
        vals = np.zeros((len(self.sizes), *x.shape[1:]), dtype=x.dtype)
        for k, (a, n) in zip(self._pages, self.spans, strict=True):
            vals[k] = getattr(x[a : a + n], reduce)(axis=0)
        return np.repeat(vals, self.sizes, axis=0)
