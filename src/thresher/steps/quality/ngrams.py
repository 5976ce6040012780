"""Word n-gram statistics on hashed tokens, vectorized with numpy.

A word's 64-bit hash comes from the vocabulary; an n-gram's hash is the
polynomial ``h(w0) * M^(n-1) + ... + h(w_{n-1})`` modulo 2^64, built for every
n in one pass each. Counting then sorts hashes instead of building Python
strings. Two different n-grams collide with probability about 2^-64.

:func:`repetition_chars` gives all of Gopher repetition's n-gram counts of one
document; it runs the C extension ``thresher._ngrams`` (hash tables, one call
per document) when it was built, and the numpy functions below otherwise,
with the same results.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import numpy as np

_M = np.uint64(0x9E3779B97F4A7C15)

_Counts = tuple[tuple[int, ...], tuple[int, ...]]

try:
    from thresher._ngrams import repetition as _c_repetition
except ImportError:  # no C compiler at install time: the numpy path
    _c_repetition = None

#: The compiled n-gram counter, or None when the extension is not built.
compiled: (
    Callable[[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...], tuple[int, ...]], _Counts] | None
) = _c_repetition


def repetition_numpy(
    ids: np.ndarray,
    vocab_hash: np.ndarray,
    vocab_length: np.ndarray,
    top_ns: tuple[int, ...],
    dup_ns: tuple[int, ...],
) -> _Counts:
    """:func:`repetition_chars` with numpy only."""
    lengths = vocab_length[ids]
    hashes = ngram_hashes(vocab_hash[ids], max(*top_ns, dup_ns[0], 1))
    top = tuple(top_ngram_chars(hashes[n], lengths, n) for n in top_ns)
    dups = dup_ngram_chars(hashes, lengths, dup_ns)
    return top, tuple(dups[n] for n in dup_ns)


def repetition_chars(
    ids: np.ndarray,
    vocab_hash: np.ndarray,
    vocab_length: np.ndarray,
    top_ns: tuple[int, ...],
    dup_ns: tuple[int, ...],
) -> _Counts:
    """``(top, dup)`` of the document whose int64 word ids are ``ids``.

    ``top``: for each n of ``top_ns``, :func:`top_ngram_chars` (the most
    frequent n-gram's characters with spaces, times its count); ``dup``: for
    each n of ``dup_ns`` (ascending, consecutive), :func:`dup_ngram_chars`.
    ``vocab_hash`` (uint64) and ``vocab_length`` (int64) hold each id's word
    hash and length.
    """
    if compiled is not None:
        return compiled(ids, vocab_hash, vocab_length, top_ns, dup_ns)
    return repetition_numpy(ids, vocab_hash, vocab_length, top_ns, dup_ns)


def ngram_hashes(word_hashes: np.ndarray, max_n: int) -> dict[int, np.ndarray]:
    """``{n: hashes of the n-grams starting at 0, 1, ...}`` for n = 1 .. max_n."""
    out = {1: word_hashes}
    cur = word_hashes
    for n in range(2, max_n + 1):
        if len(cur) <= 1:
            cur = cur[:0]
        else:
            cur = cur[:-1] * _M + word_hashes[n - 1 :]
        out[n] = cur
    return out


# Sorting (hash, position) pairs packed in one uint64 -- the top 44 bits of the
# hash over a 20-bit position -- orders occurrences of an n-gram by position
# with a plain sort. Two n-grams of a document of m words share 44 bits with
# probability about m^2 / 2^45; documents over 2^20 words take the argsort path.
_POS_BITS = 20
_POS_MASK = np.uint64((1 << _POS_BITS) - 1)
_HASH_MASK = ~_POS_MASK


_POS_SHIFT = np.uint64(_POS_BITS)
_POSITIONS = np.zeros(0, np.uint64)


def _positions(m: int) -> np.ndarray:
    """``np.arange(m, dtype=np.uint64)``, sliced from a cached array."""
    global _POSITIONS
    if len(_POSITIONS) < m:
        _POSITIONS = np.arange(max(m, 2 * len(_POSITIONS), 4096), dtype=np.uint64)
    return _POSITIONS[:m]


def _packed(hashes: np.ndarray, pos: np.ndarray) -> np.ndarray:
    keys = hashes & _HASH_MASK
    keys |= pos
    keys.sort()
    return keys


def top_ngram_chars(hashes: np.ndarray, lengths: np.ndarray, n: int) -> int:
    """Characters of the most frequent n-gram, joined with spaces, times its count.

    Ties go to the n-gram seen first (``Counter.most_common(1)``, as DataTrove).
    """
    m = len(hashes)
    if m == 0:
        return 0
    if m < 1 << _POS_BITS:
        keys = _packed(hashes, _positions(m))
        high = keys >> _POS_SHIFT
        # Group boundaries, then each group's size.
        edges = np.empty(m + 1, np.int64)
        inner = np.flatnonzero(high[1:] != high[:-1])
        k = len(inner)
        if k == m - 1:
            # Every n-gram occurs once: the first one wins.
            return int(lengths[:n].sum()) + n - 1
        edges[0] = 0
        edges[1 : k + 1] = inner + 1
        edges[k + 1] = m
        starts = edges[: k + 1]
        counts = np.diff(edges[: k + 2])
        top = int(counts.max())
        pos = int((keys[starts[counts == top]] & _POS_MASK).min())
        return (int(lengths[pos : pos + n].sum()) + n - 1) * top
    _, first, counts = np.unique(hashes, return_index=True, return_counts=True)
    top = int(counts.max())
    pos = int(first[counts == top].min())
    return (int(lengths[pos : pos + n].sum()) + n - 1) * top


def dup_ngram_chars(
    hashes: dict[int, np.ndarray], lengths: np.ndarray, ns: tuple[int, ...]
) -> dict[int, int]:
    """Characters in repeated n-grams for each n in ``ns`` (ascending, consecutive).

    ``hashes`` holds the word hashes (``1``) and the ``ns[0]``-gram hashes (as
    :func:`ngram_hashes` makes them); longer n-grams are hashed here, only
    where they can repeat.

    DataTrove's ``find_all_duplicate``: walk the words left to right; an n-gram
    seen before adds its characters (no spaces) and the walk jumps n words, so
    the n-grams it jumps over are neither counted nor remembered.
    """
    cum = np.concatenate(([0], np.cumsum(lengths)))
    out: dict[int, int] = {}
    # Positions whose n-gram occurs twice or more; an (n+1)-gram can only repeat
    # where its n-gram prefix does, so each n looks at fewer positions.
    words = hashes[1]
    active: np.ndarray | None = None
    active_h = words[:0]  # the (n-1)-gram hashes at the active positions
    for i, n in enumerate(ns):
        if active is not None and len(active) < 2:
            # No n-gram repeats, so no longer one does.
            out.update(dict.fromkeys(ns[i:], 0))
            break
        n_grams = max(len(words) - n + 1, 0)
        if active is None:
            hv = hashes[n]
            pos = np.arange(len(hv))
        else:
            # Active positions ascend: those with an n-gram are a prefix.
            cut = int(np.searchsorted(active, n_grams))
            pos = active[:cut]
            hv = active_h[:cut] * _M + words[pos + n - 1]
        if len(hv) < 2:
            out[n], active, active_h = 0, pos[:0], hv[:0]
            continue
        if n_grams < 1 << _POS_BITS:
            keys = _packed(hv, _positions(len(hv)))
            high = keys >> _POS_SHIFT
            same = high[1:] == high[:-1]
            if not same.any():
                out[n], active, active_h = 0, pos[:0], hv[:0]
                continue
            order = (keys & _POS_MASK).astype(np.int64)
            packed = True
        else:
            order = np.argsort(hv, kind="stable")
            sh = hv[order]
            same = sh[1:] == sh[:-1]
            if not same.any():
                out[n], active, active_h = 0, pos[:0], hv[:0]
                continue
            packed = False
        # in_group: in sort order, the n-gram's key equals a neighbour's.
        in_group = np.zeros(len(hv), np.bool_)
        in_group[1:] |= same
        in_group[:-1] |= same
        group = np.sort(order[in_group])
        active = pos[group]
        active_h = hv[group]
        # What the sort compared names the n-gram: the packed keys' hash bits.
        ident = active_h >> _POS_SHIFT if packed else active_h
        dups = _greedy_walk(active, ident, n)
        out[n] = int((cum[dups + n] - cum[dups]).sum()) if len(dups) else 0
    return out


def _greedy_walk(pos: np.ndarray, ident: np.ndarray, n: int) -> np.ndarray:
    """Start positions of the n-grams the left-to-right walk counts as repeats.

    ``pos``: the ascending positions of the n-grams that occur twice or more,
    ``ident``: which n-gram each is (equal values, the same n-gram). Only those can be repeats or be remembered
    for one. The walk lands on every position not inside a jump; it counts a
    landing as a repeat when an earlier landing had the same n-gram (it was
    remembered), and then jumps over the next ``n - 1`` positions.
    """
    posl = pos.tolist()
    gidl = ident.tolist()
    remembered: set[int] = set()
    remember = remembered.add
    found: list[int] = []
    end = len(posl)
    first = posl[0]
    span = posl[-1] - first + n + 1
    if span > 4 * end + 64:
        # Sparse positions: find where a jump lands with a binary search.
        idx = 0
        k = 0
        while k < end:
            c = posl[k]
            if c < idx:
                # Inside the last jump: go on at the first position past it.
                k = bisect_left(posl, idx, k + 1, end)
                continue
            g = gidl[k]
            if g in remembered:
                found.append(c)
                idx = c + n
            else:
                remember(g)
            k += 1
        return np.asarray(found, np.int64)
    # land[x - first]: the index of the first position >= x, so a jump from c
    # goes straight on at land[c + n - first].
    land = np.searchsorted(pos, np.arange(first, first + span, dtype=pos.dtype)).tolist()
    k = 0
    while k < end:
        g = gidl[k]
        if g in remembered:
            c = posl[k]
            found.append(c)
            k = land[c + n - first]
        else:
            remember(g)
            k += 1
    return np.asarray(found, np.int64)
