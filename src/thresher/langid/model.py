"""The shipped language identifier: n-gram naive Bayes plus pair rerankers.

Scoring one batch of texts, all in numpy:

1. **Naive Bayes over letter n-grams (orders 1-4).** ``w{n}[bucket, lang]`` is a
   quantized log-probability bonus ``log p_lang(ngram | prefix) - log floor_n``
   (clipped at 0), distilled from lingua's n-gram tables (train/langid.py). A
   text's score for a language is the sum over its n-grams.
2. **Rerankers for close languages** (e.g. ms/id, bs/hr/sr, nb/nn/da): when the
   best language is in such a group, a logistic regression on hashed n-grams and
   whole words (trained on held-in sentences) redistributes the group's
   probability among its members.
3. **Mixed scripts** (applied before step 1). A text with Latin letters of
   which at least a quarter of its letters are in another script (English page
   chrome around an Urdu sentence, a Gujarati sentence with English glosses) is
   scored on its non-Latin letters only: Latin letters in a non-Latin text are
   usually names, glosses or boilerplate, while a Latin-script language's text
   rarely carries that much of another script.
4. **Calibration.** Probabilities are ``softmax(score / T)`` with a temperature
   that grows with the number of letters, ``T = t0 * letters**alpha``; the top
   probability is then mapped through an isotonic regression fitted (cross-fitted
   on held-in sentences, full and cut to 10, 5 and 2 words) to the chance that
   the top language is right. That confidence is what :meth:`predict` returns.

A text with no letters gets no language (``None``) and confidence 0.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thresher.langid.features import Batch, hash_windows, letter_table, word_hashes

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "langid" / "langid.npz"


def model_languages(path: str | Path = DEFAULT_MODEL) -> frozenset[str]:
    """The ISO 639-1 codes a model knows (reads only that array of the file)."""
    with np.load(path, allow_pickle=False) as z:
        return frozenset(str(x) for x in z["langs"])


@dataclass
class _Group:
    members: np.ndarray  # language indices
    coef: np.ndarray  # (2**bits, len(members)) float32
    nb_coef: np.ndarray  # (len(members), len(members)) weight of relative NB scores
    intercept: np.ndarray  # (len(members),)


class LangIdModel:
    """Load with :meth:`load`; call :meth:`predict` on a list of texts."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.langs: list[str] = [str(x) for x in arrays["langs"]]
        self._letters = letter_table(arrays["letters"])
        self.orders = [int(n) for n in arrays["orders"]]
        self.bits = {int(n): int(b) for n, b in zip(arrays["orders"], arrays["bits"], strict=True)}
        self._tables = {n: arrays[f"w{n}"] for n in self.orders}
        self._scale = float(arrays["scale"])
        self._t0, self._alpha = (float(x) for x in arrays["temperature"])
        self._calib = (arrays["calib_x"], arrays["calib_y"]) if "calib_x" in arrays else None
        #: Texts whose non-Latin letters are at least this share are scored without
        #: their Latin letters (see :meth:`Batch.drop_minor_latin`); absent: off.
        self.minor_latin = float(arrays["minor_latin"]) if "minor_latin" in arrays else None
        self.group_bits = int(arrays["group_bits"])
        self._groups: list[_Group] = []
        for k in range(int(arrays["n_groups"])):
            members = arrays[f"g{k}_members"].astype(np.int64)
            coef = np.zeros((1 << self.group_bits, len(members)), dtype=np.float32)
            coef[arrays[f"g{k}_index"]] = arrays[f"g{k}_coef"].astype(np.float32)
            self._groups.append(
                _Group(
                    members,
                    coef,
                    arrays[f"g{k}_nb_coef"].astype(np.float32),
                    arrays[f"g{k}_intercept"].astype(np.float32),
                )
            )

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL) -> LangIdModel:
        with np.load(path, allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files})

    def batch(self, texts: list[str]) -> Batch:
        """The :class:`Batch` of ``texts`` as this model reads them (mixed scripts handled)."""
        batch = Batch(texts, self._letters)
        if self.minor_latin is not None:
            batch.drop_minor_latin(self.minor_latin)
        return batch

    def nb_scores(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Naive Bayes scores ``(docs, langs)`` and the letter count of each text.

        Each text's distinct n-gram buckets are counted first (``np.unique`` on
        ``doc << bits | bucket``), so an n-gram repeated in a long document costs
        one table row, weighted by its count; see :func:`_weighted_row_sums`.
        """
        n_docs = batch.n_docs
        scores = np.zeros((n_docs, len(self.langs)), dtype=np.float32)
        letters = np.zeros(n_docs, dtype=np.int64)
        for n in self.orders:
            starts, buckets = batch.hashes(n, self.bits[n])
            if len(starts) == 0:
                continue
            docs = batch.doc[starts]
            if n == 1:
                letters = np.bincount(docs, minlength=n_docs)
            bits = self.bits[n]
            kind = np.uint32 if n_docs <= 1 << (32 - bits) else np.uint64
            key = docs.astype(kind) << kind(bits) | buckets.astype(kind)
            uniq, counts = _unique_counts(key)
            scores += _weighted_row_sums(
                self._tables[n], uniq >> kind(bits), uniq & kind((1 << bits) - 1), counts, n_docs
            )
        scores *= self._scale
        return scores, letters

    def group_features(
        self, batch: Batch, keep: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Hashed n-gram and word features of the texts in ``keep``: (doc, bucket, value)."""
        bits = self.group_bits
        idx: list[np.ndarray] = []
        doc: list[np.ndarray] = []
        for n in (1, 2, 3, 4, 5):
            starts = batch.windows(n)
            d = batch.doc[starts]
            m = keep[d]
            idx.append(hash_windows(batch.cps, starts[m], n, bits))
            doc.append(d[m])
        wh, ws = word_hashes(batch, bits)
        d = batch.doc[ws]
        m = keep[d]
        idx.append(wh[m])
        doc.append(d[m])
        key = np.concatenate(doc) << np.int64(bits) | np.concatenate(idx)
        uniq, counts = np.unique(key, return_counts=True)
        return uniq >> np.int64(bits), uniq & np.int64((1 << bits) - 1), np.log1p(counts)

    def temperature(self, letters: np.ndarray) -> np.ndarray:
        return self._t0 * np.maximum(letters, 1).astype(np.float64) ** self._alpha

    def predict_proba(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities ``(docs, langs)`` and letter counts."""
        batch = self.batch(texts)
        scores, letters = self.nb_scores(batch)
        logits = scores.astype(np.float64) / self.temperature(letters)[:, None]
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        proba /= proba.sum(axis=1, keepdims=True)
        if self._groups:
            top = scores.argmax(axis=1)
            for g in self._groups:
                inside = np.isin(top, g.members) & (letters > 0)
                if not inside.any():
                    continue
                rel = scores[inside][:, g.members]
                rel = rel - rel.max(axis=1, keepdims=True)
                z = rel @ g.nb_coef.T + g.intercept
                d, b, v = self.group_features(batch, inside)
                contrib = g.coef[b] * v[:, None].astype(np.float32)
                full = np.zeros((len(texts), len(g.members)), dtype=np.float32)
                np.add.at(full, d, contrib)
                z = z + full[inside]
                z -= z.max(axis=1, keepdims=True)
                pz = np.exp(z)
                pz /= pz.sum(axis=1, keepdims=True)
                mass = proba[inside][:, g.members].sum(axis=1, keepdims=True)
                sub = proba[inside]
                sub[:, g.members] = mass * pz
                proba[inside] = sub
        return proba, letters

    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]:
        """``(iso_code, confidence)`` per text; ``(None, 0.0)`` for a text without letters."""
        if not texts:
            return []
        proba, letters = self.predict_proba(texts)
        best = proba.argmax(axis=1)
        conf = proba[np.arange(len(texts)), best]
        if self._calib is not None:
            conf = np.interp(conf, *self._calib)
        return [
            (self.langs[b], float(c)) if n > 0 else (None, 0.0)
            for b, c, n in zip(best.tolist(), conf.tolist(), letters.tolist(), strict=True)
        ]


def _unique_counts(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of ``key`` and how often each occurs (``np.unique``, leaner)."""
    key = np.sort(key)
    if len(key) == 0:
        return key, np.zeros(0, dtype=np.int64)
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    first = np.flatnonzero(new)
    return key[first], np.diff(first, append=len(key))


#: Rows gathered and cast at a time by :func:`_weighted_row_sums` (x langs x 4 bytes).
_CHUNK_ROWS = 1 << 17


def _weighted_row_sums(
    table: np.ndarray,
    doc: np.ndarray,
    bucket: np.ndarray,
    weight: np.ndarray,
    n_docs: int,
    width: int = 32,
) -> np.ndarray:
    """``out[d] = sum(weight[i] * table[bucket[i]] for i where doc[i] == d)``, float32.

    ``doc`` must be non-decreasing. Summing gathered int8 rows with
    ``np.add.reduceat`` (a strided, casting reduction) is slow; instead each
    text's entries are laid out in pieces of ``width`` slots (padding has weight
    0), the gathered rows are cast to float32 once, and each piece is reduced by
    one batched matrix product ``(1, width) @ (width, langs)`` (BLAS), a chunk of
    ``_CHUNK_ROWS`` rows at a time (about 40 MB of float32). Sums of
    integers stay exact in float32 below 2**24.
    """
    counts = np.bincount(doc, minlength=n_docs)
    first = np.cumsum(counts) - counts
    pos = np.arange(len(doc), dtype=np.int64) - first[doc]
    pieces = -(-counts // width)
    piece_first = np.cumsum(pieces) - pieces
    piece = piece_first[doc] + pos // width
    slot = pos % width
    n_pieces = int(pieces.sum())
    idx = np.zeros((n_pieces, width), dtype=np.int64)
    w = np.zeros((n_pieces, 1, width), dtype=np.float32)
    idx[piece, slot] = bucket
    w[piece, 0, slot] = weight
    sums = np.empty((n_pieces, table.shape[1]), dtype=np.float32)
    step = max(1, _CHUNK_ROWS // width)  # bounds the float32 copy of the gathered rows
    for lo in range(0, n_pieces, step):
        hi = min(lo + step, n_pieces)
        sums[lo:hi] = np.matmul(w[lo:hi], table[idx[lo:hi]].astype(np.float32))[:, 0, :]
    out = np.zeros((n_docs, table.shape[1]), dtype=np.float32)
    has = pieces > 0
    if has.any():
        out[has] = np.add.reduceat(sums, piece_first[has], axis=0)
    return out
