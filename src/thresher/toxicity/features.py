"""Hashed word and character n-gram features, computed for a whole batch with numpy.

The feature vector of a normalised text (see :mod:`.text`) has three hashed
blocks sharing ``2**bits`` buckets, plus a few dense lexicon slots after them:

* character n-grams (``char_min``..``char_max``) of the text padded with one
  space at each end, crossing word boundaries (so they carry some word-pair
  information and survive misspellings);
* word unigrams and word bigrams (words = runs of non-space characters);
* lexicon slots: ``lexicon_scale * log1p`` of how many words of the text are in each lexicon
  list (e.g. slurs, profanity), so a word the training data saw rarely still
  counts through its list. A larger scale makes the slot cheaper under L2
  regularisation, so the model leans on it more.
* co-occurrence slots, one per ``(list, [other lists])`` pair of ``cooccur``:
  ``lexicon_scale * log1p(min(hits of list, hits of the others))``, e.g. an
  identity term in the same text as a slur or a negative word -- the shape of
  hate speech about a group that a bag of words learns only per word.

Each hashed block of a document is scaled by ``1/sqrt(number of n-grams in
the block)``, so long and short texts score alike. Hashes are polynomial
rolling hashes over Unicode code points finished with MurmurHash3's 64-bit
mixer: computed for every position of the batch at once, stable across
processes and platforms (no Python ``hash``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_P = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_P_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_SEP = 0  # code point that separates documents in a batch
_SPACE = 32
# Salts that keep the n-gram families apart in the shared buckets.
_SALT_CHAR = 0x9E3779B97F4A7C15
_SALT_WORD = np.uint64(0xD6E8FEB86659FD93)
_SALT_BIGRAM = np.uint64(0xA0761D6478BD642F)


def _fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place on a uint64 array."""
    x ^= x >> _S33
    x *= _M1
    x ^= x >> _S33
    x *= _M2
    x ^= x >> _S33
    return x


@dataclass(frozen=True, slots=True)
class Batch:
    """Sparse features of a batch: feature ``cols[k]`` of document ``rows[k]`` has
    value ``vals[k]`` (duplicates add up). ``n_docs`` rows in all."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    n_docs: int


class HashedFeaturizer:
    """Turns normalised texts into :class:`Batch` features (see the module docstring)."""

    def __init__(
        self,
        *,
        bits: int = 18,
        char_min: int = 2,
        char_max: int = 5,
        word_bigrams: bool = True,
        lexicon: Mapping[str, Sequence[str]] | None = None,
        lexicon_scale: float = 1.0,
        cooccur: Sequence[Sequence[Any]] = (),
    ) -> None:
        if not 8 <= bits <= 28:
            raise ValueError(f"bits must be in 8..28, got {bits}")
        if char_max and not 1 <= char_min <= char_max <= 8:
            raise ValueError(f"need 1 <= char_min <= char_max <= 8, got {char_min}, {char_max}")
        self.bits = bits
        self.char_min = char_min
        self.char_max = char_max
        self.word_bigrams = word_bigrams
        self.lexicon_scale = lexicon_scale
        self.lexicon_names = sorted(lexicon or {})
        self.cooccur = [(str(a), tuple(str(b) for b in bs)) for a, bs in cooccur]
        for a, bs in self.cooccur:
            missing = [n for n in (a, *bs) if n not in self.lexicon_names]
            if missing or not bs:
                raise ValueError(f"cooccur ({a!r}, {list(bs)!r}) names lists not in the lexicon")
        self._shift = np.uint64(64 - bits)
        self._lex_hashes = [
            np.unique(self.word_hashes(list((lexicon or {})[name]))) for name in self.lexicon_names
        ]

    @property
    def n_hashed(self) -> int:
        return 1 << self.bits

    @property
    def n_features(self) -> int:
        return self.n_hashed + len(self.lexicon_names) + len(self.cooccur)

    @property
    def slot_names(self) -> list[str]:
        """Names of the dense slots after the hashed buckets, in column order."""
        pairs = [f"{a}&({'|'.join(bs)})" for a, bs in self.cooccur]
        return [*self.lexicon_names, *pairs]

    def config(self) -> dict[str, object]:
        return {
            "bits": self.bits,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "word_bigrams": self.word_bigrams,
            "lexicon_scale": self.lexicon_scale,
            "cooccur": [[a, list(bs)] for a, bs in self.cooccur],
        }

    # -- hashing -------------------------------------------------------------

    @staticmethod
    def _codes(texts: Sequence[str]) -> np.ndarray:
        """Code points of ``" t " SEP`` for every text, concatenated."""
        joined = "".join(f" {t} \x00" for t in texts)
        return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
            np.uint64
        )

    @staticmethod
    def _words(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and end (exclusive) positions of every word in ``codes``."""
        inside = (codes != _SPACE) & (codes != _SEP)
        edges = np.diff(np.concatenate(([False], inside, [False])).astype(np.int8))
        return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)

    @staticmethod
    def _span_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Polynomial hash of ``codes[s:e]`` for every span, all at once.

        ``sum c[j] P^(e-1-j)`` = ``P^(e-1) * (G[e] - G[s])`` with
        ``G[k] = sum_{j<k} c[j] P^-j``; uint64 arithmetic wraps modulo 2**64.
        """
        n = len(codes)
        inv_pows = np.empty(n, dtype=np.uint64)
        pows = np.empty(n + 1, dtype=np.uint64)
        if n:
            inv_pows[0] = 1
            inv_pows[1:] = _P_INV
            np.multiply.accumulate(inv_pows, out=inv_pows)
        pows[0] = 1
        pows[1:] = _P
        np.multiply.accumulate(pows, out=pows)
        g = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes * inv_pows, out=g[1:])
        return pows[ends - 1] * (g[ends] - g[starts])

    def word_hashes(self, words: Sequence[str]) -> np.ndarray:
        """The word hash of each word (used for lexicon look-ups)."""
        if not words:
            return np.zeros(0, dtype=np.uint64)
        codes = self._codes(words)
        starts, ends = self._words(codes)
        return self._span_hashes(codes, starts, ends)

    # -- features --------------------------------------------------------------

    def transform(self, texts: Sequence[str]) -> Batch:
        """Features of already-normalised texts; an empty text gets no features."""
        n_docs = len(texts)
        codes = self._codes(texts)
        n = len(codes)
        seps = np.concatenate(([0], np.cumsum(codes == _SEP)))  # seps[i]: separators before i
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []

        def add_block(doc: np.ndarray, bucket: np.ndarray) -> None:
            counts = np.bincount(doc, minlength=n_docs)
            scale = np.zeros(n_docs, dtype=np.float32)
            nz = counts > 0
            scale[nz] = 1.0 / np.sqrt(counts[nz])
            rows.append(doc)
            cols.append(bucket)
            vals.append(scale[doc])

        # Character n-grams: h_n[i] = h_{n-1}[i] * P + c[i+n-1], for all i at once.
        if self.char_max:
            c_doc: list[np.ndarray] = []
            c_bucket: list[np.ndarray] = []
            h = codes.copy()
            for size in range(1, self.char_max + 1):
                if size > 1:
                    h = h[:-1] * _P + codes[size - 1 :]
                if size < self.char_min:
                    continue
                start = np.arange(n - size + 1)
                ok = seps[start + size] == seps[start]
                # Skip the n-gram of only padding that an empty text leaves.
                ok &= ~((codes[: n - size + 1] == _SPACE) & (codes[size - 1 :] == _SPACE))
                mixed = _fmix64(h[ok] ^ np.uint64(_SALT_CHAR + size))
                c_doc.append(seps[start[ok]])
                c_bucket.append((mixed >> self._shift).astype(np.int64))
            if c_doc:
                add_block(np.concatenate(c_doc), np.concatenate(c_bucket))

        starts, ends = self._words(codes)
        w_hash = self._span_hashes(codes, starts, ends)
        w_doc = seps[starts]
        mixed = _fmix64(w_hash ^ _SALT_WORD)
        add_block(w_doc, (mixed >> self._shift).astype(np.int64))
        if self.word_bigrams and len(w_hash) > 1:
            same = w_doc[1:] == w_doc[:-1]
            pair = _fmix64(w_hash[:-1][same] ^ _SALT_BIGRAM) * _P + w_hash[1:][same]
            add_block(w_doc[1:][same], (_fmix64(pair) >> self._shift).astype(np.int64))

        def add_slot(col: int, counts: np.ndarray) -> None:
            docs = np.flatnonzero(counts)
            rows.append(docs)
            cols.append(np.full(len(docs), col, dtype=np.int64))
            vals.append((self.lexicon_scale * np.log1p(counts[docs])).astype(np.float32))

        hits: dict[str, np.ndarray] = {}
        for k, (name, lex) in enumerate(zip(self.lexicon_names, self._lex_hashes, strict=True)):
            hit = np.isin(w_hash, lex, assume_unique=False)
            hits[name] = np.bincount(w_doc[hit], minlength=n_docs)
            add_slot(self.n_hashed + k, hits[name])
        for k, (a, bs) in enumerate(self.cooccur):
            others = np.sum([hits[b] for b in bs], axis=0)
            add_slot(self.n_hashed + len(self.lexicon_names) + k, np.minimum(hits[a], others))

        return Batch(
            rows=np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64),
            cols=np.concatenate(cols).astype(np.int64) if cols else np.zeros(0, np.int64),
            vals=np.concatenate(vals).astype(np.float32) if vals else np.zeros(0, np.float32),
            n_docs=n_docs,
        )
