"""MinHash signatures and LSH band keys, vectorised in numpy.

Pipeline for one text (Broder 1997; LSH banding as in Leskovec, Rajaraman and
Ullman, *Mining of Massive Datasets*, ch. 3):

1. words: maximal runs of alphanumeric code points (``str.isalnum``),
   lower-cased code point by code point (punctuation and spaces separate
   words; every script counts);
2. each word gets a 64-bit polynomial hash of its code points, read off one
   prefix-hash ``cumsum`` over the whole text (no Python loop per word);
3. shingles: every run of ``shingle_size`` consecutive words, hashed by a
   random linear combination of its word hashes, finalised with MurmurHash3's
   64-bit mixer;
4. signature: by default one permutation hashing with optimal densification
   (see ``MinHasher._oph``): one hash per shingle instead of ``num_perm``, so
   the cost does not grow with ``num_perm``. The classic form
   (``one_permutation=False``) maps a shingle ``x`` to ``(a_p * x + b_p) mod 2**64``
   for each permutation ``p`` (multiply-shift universal hashing, Dietzfelbinger
   et al. 1997) and keeps the top 32 bits of each minimum;
5. band ``i`` of ``rows`` values becomes one uint64 key (a random linear
   combination of its values and ``i``, mixed), so documents that agree on a
   whole band share a key.

All arithmetic is uint64 with wrap-around, so results are identical on every
machine and worker (the seeds are fixed).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

_U64 = np.uint64
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_WORD_BASE = 0x100000001B3  # odd: invertible mod 2**64
_TABLE_LIMIT = 0x30000  # code points above this (rare scripts, emoji) count as word characters


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, elementwise on uint64 (a bijection)."""
    x = x ^ (x >> _U64(33))
    x = x * _M1
    x = x ^ (x >> _U64(33))
    x = x * _M2
    return x ^ (x >> _U64(33))


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """``table[cp]``: the lower-case code point of word character ``cp``
    (``str.isalnum``), 0 for separators. One lookup both folds case and splits words."""
    cps = range(_TABLE_LIMIT)
    return np.fromiter(
        (
            (ord(low) if len(low := chr(i).lower()) == 1 else i) if chr(i).isalnum() else 0
            for i in cps
        ),
        dtype=np.uint32,
        count=_TABLE_LIMIT,
    )


class _Powers:
    """Powers of the word base and of its inverse mod 2**64, grown on demand."""

    def __init__(self) -> None:
        self.pow = np.ones(1, _U64)
        self.inv = np.ones(1, _U64)

    def ensure(self, n: int) -> None:
        if len(self.pow) > n:
            return
        size = max(n + 1, 2 * len(self.pow), 4096)
        inv_base = pow(_WORD_BASE, -1, 1 << 64)
        p = np.empty(size, _U64)
        q = np.empty(size, _U64)
        p[0] = q[0] = 1
        # Doubling: p[k:2k] = p[0:k] * base**k, all in wrapping uint64.
        k = 1
        while k < size:
            m = min(k, size - k)
            p[k : k + m] = p[:m] * _U64(pow(_WORD_BASE, k, 1 << 64))
            q[k : k + m] = q[:m] * _U64(pow(inv_base, k, 1 << 64))
            k += m
        self.pow, self.inv = p, q


_POWERS = _Powers()


#: Characters hashed at once: a longer text goes in slices cut between words
#: (a word's hash does not depend on where it stands), so the powers and the
#: prefix sums stay this size; a 16 MB document had needed 0.6 GB, and the
#: powers, kept for the next documents, 0.25 GB of it.
_SLICE = 1 << 20


def word_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the words of ``text`` (see module docstring), in order."""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    if n == 0:
        return np.zeros(0, _U64)
    folded = np.take(_word_table(), cp, mode="clip")
    if cp.max() >= _TABLE_LIMIT:
        folded = np.where(cp >= _TABLE_LIMIT, cp, folded)
    if n <= _SLICE:
        return _slice_hashes(folded)
    parts = []
    a = 0
    while a < n:
        b = min(a + _SLICE, n)
        # Cut at the next separator, so that no word spans two slices.
        while b < n and folded[b] != 0:
            ahead = np.flatnonzero(folded[b : b + _SLICE] == 0)
            b = b + int(ahead[0]) if len(ahead) else min(b + _SLICE, n)
        parts.append(_slice_hashes(folded[a:b]))
        a = b
    return np.concatenate(parts)


def _slice_hashes(folded: np.ndarray) -> np.ndarray:
    """``word_hashes`` of the folded code points of whole words and separators."""
    n = len(folded)
    isword = np.zeros(n + 2, bool)
    np.not_equal(folded, 0, out=isword[1:-1])
    # Word boundaries alternate: start, end, start, end, ...
    flips = np.flatnonzero(isword[1:] != isword[:-1])
    if len(flips) == 0:
        return np.zeros(0, _U64)
    starts, ends = flips[0::2], flips[1::2]
    _POWERS.ensure(n)
    # prefix[i] = sum_{j < i} folded[j] * base**j  (mod 2**64)
    prefix = np.empty(n + 1, _U64)
    prefix[0] = 0
    prefix[1:] = np.cumsum(folded * _POWERS.pow[:n])
    # Not mixed here: shingle_hashes mixes the combination of its words.
    return (prefix[ends] - prefix[starts]) * _POWERS.inv[starts]


def shingle_hashes(words: np.ndarray, size: int, coeffs: np.ndarray) -> np.ndarray:
    """Hashes of every window of ``size`` consecutive word hashes (empty if fewer words)."""
    m = len(words) - size + 1
    if m <= 0:
        return np.zeros(0, _U64)
    acc = words[:m] * coeffs[0]
    for t in range(1, size):
        acc += words[t : t + m] * coeffs[t]
    return fmix64(acc)


class MinHasher:
    """MinHash signatures of ``num_perm`` values and their LSH band keys.

    ``bands * rows`` values are used for banding (``rows`` consecutive values
    per band). The parameters depend only on ``seed``, so every worker computes
    the same signature for the same text.
    """

    def __init__(
        self,
        *,
        shingle_size: int,
        num_perm: int,
        bands: int,
        rows: int,
        seed: int = 1,
        one_permutation: bool = True,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError(f"bands x rows ({bands} x {rows}) exceeds num_perm ({num_perm})")
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        rng = np.random.default_rng(seed)
        self.a = rng.integers(0, 1 << 63, size=num_perm, dtype=np.int64).astype(_U64) * _U64(
            2
        ) + _U64(1)
        self.b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.int64).astype(_U64)
        self.coeffs = rng.integers(0, 1 << 63, size=shingle_size, dtype=np.int64).astype(
            _U64
        ) * _U64(2) + _U64(1)
        self.band_coeffs = rng.integers(0, 1 << 63, size=(1, rows), dtype=np.int64).astype(
            _U64
        ) * _U64(2) + _U64(1)
        self.band_salt = fmix64(np.arange(1, bands + 1, dtype=_U64) * _U64(0x9E3779B97F4A7C15))
        self.one_permutation = one_permutation
        self._bin_ids = np.arange(num_perm, dtype=_U64)
        self._bin_starts = self._bin_ids << _U64(32)
        self._probes = rng.integers(0, num_perm, size=(num_perm, 32), dtype=np.int64)

    def shingles(self, text: str) -> np.ndarray:
        return shingle_hashes(word_hashes(text), self.shingle_size, self.coeffs)

    def signature(self, text: str) -> np.ndarray:
        """uint32[num_perm] MinHash signature, or an empty array for texts with too few words."""
        sh = self.shingles(text)
        if len(sh) == 0:
            return np.zeros(0, np.uint32)
        return self.signature_of_shingles(sh)

    def signature_of_shingles(self, sh: np.ndarray) -> np.ndarray:
        if self.one_permutation:
            return self._oph(sh)
        return self._kperm(sh)

    def _oph(self, sh: np.ndarray) -> np.ndarray:
        """One permutation hashing (Li, Owen and Zhang 2012): the top 32 bits of a
        shingle hash pick its bin, the low 32 bits are its value, each bin keeps its
        minimum. Empty bins borrow the value of the first non-empty bin on a fixed
        pseudo-random probe sequence (optimal densification, Shrivastava 2017), so
        every value still collides with probability equal to the Jaccard similarity."""
        p = self.num_perm
        bins = ((sh >> _U64(32)) * _U64(p)) >> _U64(32)
        packed = np.sort((bins << _U64(32)) | (sh & _U64(0xFFFFFFFF)))
        at = np.searchsorted(packed, self._bin_starts)
        first = packed[np.minimum(at, len(packed) - 1)]
        nonempty = (at < len(packed)) & ((first >> _U64(32)) == self._bin_ids)
        sig = (first & _U64(0xFFFFFFFF)).astype(np.uint32)
        if nonempty.all():
            return sig
        empty = np.flatnonzero(~nonempty)
        cand = self._probes[empty]
        ok = nonempty[cand]
        src = cand[np.arange(len(empty)), ok.argmax(axis=1)]
        lost = ~ok.any(axis=1)
        if lost.any():
            # Probe sequence exhausted (very short texts): the next non-empty bin, circularly.
            full = np.flatnonzero(nonempty)
            src[lost] = full[np.searchsorted(full, empty[lost]) % len(full)]
        sig[empty] = sig[src]
        return sig

    def _kperm(self, sh: np.ndarray) -> np.ndarray:
        sig = np.full(self.num_perm, np.iinfo(np.uint64).max, _U64)
        # Blocks keep the (shingles x num_perm) product in cache for long texts.
        step = max(1, 32768 // self.num_perm)
        for i in range(0, len(sh), step):
            block = sh[i : i + step, None] * self.a[None, :]
            block += self.b[None, :]
            np.minimum(sig, block.min(axis=0), out=sig)
        return (sig >> _U64(32)).astype(np.uint32)

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """uint64[bands]: one key per band of ``rows`` signature values."""
        if len(sig) == 0:
            return np.zeros(0, _U64)
        used = sig[: self.bands * self.rows].astype(_U64).reshape(self.bands, self.rows)
        return fmix64((used * self.band_coeffs).sum(axis=1, dtype=_U64) + self.band_salt)


def collision_probability(jaccard: np.ndarray | float, bands: int, rows: int) -> np.ndarray:
    """P(two documents share at least one band) at the given Jaccard similarity."""
    s = np.asarray(jaccard, dtype=np.float64)
    return 1.0 - (1.0 - s**rows) ** bands


def optimal_bands_rows(
    threshold: float, num_perm: int, min_recall: float = 0.95
) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` for a Jaccard ``threshold``.

    Among the choices that find a pair at ``threshold + 0.05`` with probability at
    least ``min_recall``, the one with the least false-positive area (collision
    probability integrated over ``[0, threshold]``). When none qualifies, the one
    minimising the sum of false-positive and false-negative areas, as
    datasketch's ``MinHashLSH`` does.
    """
    grid_lo = np.linspace(0.0, threshold, 201)
    grid_hi = np.linspace(threshold, 1.0, 201)
    target = min(1.0, threshold + 0.05)
    best: tuple[float, int, int] = (math.inf, 1, 1)
    fallback: tuple[float, int, int] = (math.inf, 1, 1)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = float(np.trapezoid(collision_probability(grid_lo, b, r), grid_lo))
            fn = float(np.trapezoid(1.0 - collision_probability(grid_hi, b, r), grid_hi))
            if fp + fn < fallback[0]:
                fallback = (fp + fn, b, r)
            if collision_probability(target, b, r) >= min_recall and fp < best[0]:
                best = (fp, b, r)
    chosen = best if best[0] < math.inf else fallback
    return chosen[1], chosen[2]


def band_match_probability(jaccard: float, bands: int, rows: int, matches: int) -> float:
    """P(two documents share at least ``matches`` of ``bands`` bands) at the given
    Jaccard similarity, treating bands as independent (binomial)."""
    p = jaccard**rows
    return float(
        sum(math.comb(bands, k) * p**k * (1 - p) ** (bands - k) for k in range(matches, bands + 1))
    )


def auto_band_matches(threshold: float, bands: int, rows: int, min_recall: float = 0.95) -> int:
    """The largest ``min_band_matches`` that still finds a pair at ``threshold + 0.05``
    with probability ``min_recall``: the most precision that recall target allows."""
    target = min(1.0, threshold + 0.05)
    best = 1
    for m in range(1, bands + 1):
        if band_match_probability(target, bands, rows, m) >= min_recall:
            best = m
        else:
            break
    return best
