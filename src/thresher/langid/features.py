"""Character n-grams of a batch of texts, hashed into buckets, all in numpy.

The texts of a batch are lower-cased, joined with a newline and turned into one
array of code points. A *word* is a run of Unicode letters (categories L*, as
lingua counts them: combining marks end a word). For each order ``n`` the
n-grams are the windows of ``n`` letters inside one word; each is hashed with a
per-order seed (FNV-style multiply/xor on the code points) and mapped to one of
``2**bits`` buckets by multiplicative hashing. The same function hashes the
n-gram strings of the training tables, so training and inference agree.
"""

from __future__ import annotations

import numpy as np

_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
#: Per-order seeds; order n uses _SEEDS[n].
_SEEDS = tuple(np.uint64(0xCBF29CE484222325 + 0x1F3D5B79 * n) for n in range(16))


def letter_table(ranges: np.ndarray) -> np.ndarray:
    """A bool table over all code points from ``[[start, end), ...]`` letter ranges."""
    table = np.zeros(0x110000 + 1, dtype=bool)
    for start, end in ranges.tolist():
        table[start:end] = True
    return table


def letter_ranges() -> np.ndarray:
    """The code point ranges of Unicode letters (category L*), from ``unicodedata``."""
    import unicodedata

    cps = np.array(
        [cp for cp in range(0x110000) if unicodedata.category(chr(cp))[0] == "L"],
        dtype=np.int64,
    )
    breaks = np.flatnonzero(np.diff(cps) != 1) + 1
    starts = cps[np.concatenate(([0], breaks))]
    ends = cps[np.concatenate((breaks - 1, [len(cps) - 1]))] + 1
    return np.stack([starts, ends], axis=1)


def hash_windows(cps: np.ndarray, starts: np.ndarray, n: int, bits: int) -> np.ndarray:
    """Bucket of the ``n`` code points beginning at each of ``starts`` in ``cps``."""
    h = np.full(len(starts), _SEEDS[n], dtype=np.uint64)
    for k in range(n):
        h ^= cps[starts + k]
        h *= _PRIME
    h *= _MIX
    return (h >> np.uint64(64 - bits)).astype(np.int64)


def hash_grams(grams: np.ndarray, bits: int) -> np.ndarray:
    """Bucket of each row of an ``(N, n)`` array of code points (training tables)."""
    n = grams.shape[1]
    flat = np.ascontiguousarray(grams, dtype=np.uint64).ravel()
    return hash_windows(flat, np.arange(len(grams), dtype=np.int64) * n, n, bits)


#: Code point ranges of the Latin script's letters: Basic Latin to Latin Extended-B,
#: IPA Extensions (Azerbaijani ``ə``), Latin Extended Additional (Vietnamese),
#: Extended-C/-D/-E and the fullwidth forms.
LATIN_RANGES = (
    (0x0000, 0x02B0),
    (0x1D00, 0x1DC0),
    (0x1E00, 0x1F00),
    (0x2C60, 0x2C80),
    (0xA720, 0xA800),
    (0xAB30, 0xAB70),
    (0xFF21, 0xFF5B),
)
_LATIN_END = np.uint64(LATIN_RANGES[0][1])


class Batch:
    """The code points of a batch of texts and, per position, the text it belongs to."""

    __slots__ = ("_ends", "_run", "cps", "doc", "is_letter", "n_docs")

    def __init__(self, texts: list[str], letters: np.ndarray) -> None:
        # Lower-case each text on its own: lower() may change a text's length.
        lowered = [t.lower() for t in texts]
        joined = "\n".join(lowered) + "\n"
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
            np.uint64
        )
        self.cps = cps
        self.n_docs = len(texts)
        self.is_letter = letters[cps]
        lengths = np.fromiter((len(t) + 1 for t in lowered), dtype=np.int64, count=len(texts))
        self.doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        self._ends = np.cumsum(lengths) - 1  # the newline after each text
        self._run: np.ndarray | None = None

    def drop_minor_latin(self, share: float) -> np.ndarray:
        """Blank the Latin letters of each text whose other letters are at least ``share``.

        A line of English page chrome around a short Urdu or Hindi sentence is
        then scored on its Urdu or Hindi letters alone (Latin letters become
        spaces, so words are split there). Texts all in one script are left as
        they are. Returns the mask of texts changed. Call before any n-gram is
        read (``run`` is recomputed).
        """
        cps, letter = self.cps, self.is_letter
        changed = np.zeros(self.n_docs, dtype=bool)
        # Letters past the Latin-1/Extended-A/B/IPA blocks are few in most text:
        # test the other Latin ranges on those only.
        (other,) = np.nonzero((cps >= _LATIN_END) & letter)
        if len(other) == 0:
            return changed
        c = cps[other]
        for lo, hi in LATIN_RANGES[1:]:
            other = other[(c < lo) | (c >= hi)]
            c = cps[other]
        if len(other) == 0:
            return changed
        n_other = np.bincount(self.doc[other], minlength=self.n_docs)
        through = np.cumsum(letter, dtype=np.int64)[self._ends]
        n_letters = np.diff(through, prepend=0)
        changed = (n_other < n_letters) & (n_other >= share * n_letters)
        if changed.any():
            blank = letter & changed[self.doc]
            blank[other] = False
            self.cps = np.where(blank, np.uint64(0x20), cps)
            self.is_letter = letter & ~blank
            self._run = None
        return changed

    @property
    def run(self) -> np.ndarray:
        """``run[i]``: letters from ``i`` to the end of its word (0 at a non-letter)."""
        if self._run is None:
            cps, is_letter = self.cps, self.is_letter
            pos = np.arange(len(cps), dtype=np.int64)
            nxt = np.where(is_letter, len(cps), pos)
            nxt = np.minimum.accumulate(nxt[::-1])[::-1]
            self._run = nxt - pos
        return self._run

    def windows(self, n: int) -> np.ndarray:
        """Start positions of the n-letter windows inside words."""
        m = max(len(self.cps) - n + 1, 0)
        inside = self.is_letter[:m].copy()
        for k in range(1, n):
            inside &= self.is_letter[k : k + m]
        return np.flatnonzero(inside)

    def hashes(self, n: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
        """Start positions of the n-letter windows and their buckets.

        The same buckets as ``hash_windows(cps, windows(n), n, bits)``, computed
        on contiguous slices of all positions (no gathers) when windows are dense.
        """
        starts = self.windows(n)
        m = max(len(self.cps) - n + 1, 0)
        if len(starts) * 4 < m:
            return starts, hash_windows(self.cps, starts, n, bits)
        h = self.cps[:m] ^ _SEEDS[n]
        h *= _PRIME
        for k in range(1, n):
            h ^= self.cps[k : k + m]
            h *= _PRIME
        h = h[starts]
        h *= _MIX
        h >>= np.uint64(64 - bits)
        return starts, h.view(np.int64)  # below 2**bits: the same values as int64


def word_hashes(batch: Batch, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Bucket and start position of every whole word (letter run) of a batch.

    Words are folded one letter position at a time over all words still that
    long; letters past the 24th are ignored.
    """
    run = batch.run
    is_start = run > 0
    is_start[1:] &= run[:-1] == 0
    starts = np.flatnonzero(is_start)
    lengths = run[starts]
    cps = batch.cps
    h = np.full(len(starts), _SEEDS[0], dtype=np.uint64)
    maxlen = int(lengths.max()) if len(lengths) else 0
    live = np.arange(len(starts))
    for k in range(min(maxlen, 24)):
        live = live[lengths[live] > k]
        if len(live) == 0:
            break
        h[live] = (h[live] ^ cps[starts[live] + k]) * _PRIME
    h *= _MIX
    return (h >> np.uint64(64 - bits)).astype(np.int64), starts
