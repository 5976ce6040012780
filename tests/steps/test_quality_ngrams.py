"""Hashed n-gram statistics against DataTrove's plain-string definitions."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.steps.quality.ngrams import (
    compiled,
    dup_ngram_chars,
    ngram_hashes,
    repetition_chars,
    repetition_numpy,
    top_ngram_chars,
)

TOP = (2, 3, 4)
NS = (5, 6, 7, 8, 9, 10)


def find_all_duplicate(words: list[str], n: int) -> int:
    """DataTrove's greedy walk, on strings."""
    seen: set[tuple[str, ...]] = set()
    chars = idx = 0
    while idx < len(words) - n + 1:
        gram = tuple(words[idx : idx + n])
        if gram in seen:
            chars += sum(map(len, gram))
            idx += n
        else:
            seen.add(gram)
            idx += 1
    return chars


def top_ngram(words: list[str], n: int) -> int:
    """DataTrove's top n-gram characters: the most common n-gram's text times its count."""
    grams = Counter(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return len(gram) * count


def hashed(words: list[str]) -> dict[int, int]:
    rng = random.Random(1)
    ids = {w: rng.getrandbits(64) for w in sorted(set(words))}
    word_h = np.array([ids[w] for w in words], np.uint64)
    lengths = np.array([len(w) for w in words], np.int64)
    hashes = ngram_hashes(word_h, NS[0])
    top = {n: top_ngram_chars(hashes[n], lengths, n) for n in TOP}
    assert top == {n: top_ngram(words, n) for n in TOP}, words
    return dup_ngram_chars(hashes, lengths, NS)


def test_dense_repeats_match_the_string_walk() -> None:
    rng = random.Random(0)
    for trial in range(40):
        alphabet = [f"w{i}" for i in range(rng.randint(2, 6))]
        period = [rng.choice(alphabet) for _ in range(rng.randint(1, 12))]
        words = (period * rng.randint(1, 30))[: rng.randint(0, 300)]
        words += [rng.choice(alphabet) for _ in range(rng.randint(0, 50))]
        got = hashed(words)
        assert got == {n: find_all_duplicate(words, n) for n in NS}, trial


def test_sparse_repeats_match_the_string_walk() -> None:
    # A few repeated n-grams far apart among unique words: the binary-search path.
    rng = random.Random(2)
    for trial in range(20):
        words = [f"u{i}" for i in range(rng.randint(200, 2000))]
        block = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"][: rng.randint(5, 11)]
        for _ in range(rng.randint(2, 4)):
            at = rng.randint(0, len(words))
            words[at:at] = block
        got = hashed(words)
        want = {n: find_all_duplicate(words, n) for n in NS}
        assert got == want, trial
        assert want[5] > 0


def test_short_and_unique_texts() -> None:
    # No n-gram repeats, or too few words for some sizes: the top n-gram is the first, once.
    for words in ([], ["a"], ["a", "b"], ["a", "b", "c", "d", "e"], list("abcdefghijkl")):
        assert hashed(words) == {n: find_all_duplicate(words, n) for n in NS}


# ---- the C extension (thresher._ngrams) against the numpy path ---------------

needs_c = pytest.mark.skipif(compiled is None, reason="thresher._ngrams is not built")


def both(ids: np.ndarray, vh: np.ndarray, vl: np.ndarray, top_ns=TOP, dup_ns=NS):
    """The compiled and the numpy counts of one document, asserted equal."""
    assert compiled is not None
    got = compiled(ids, vh, vl, top_ns, dup_ns)
    want = repetition_numpy(ids, vh, vl, top_ns, dup_ns)
    assert got == want
    return got


@st.composite
def documents(draw):
    """Word ids over a small vocabulary, often periodic (so n-grams repeat), with
    hashes that sometimes share their top 44 bits (the packed keys' identity)."""
    size = draw(st.integers(1, 30))
    vh = np.array(
        draw(st.lists(st.integers(0, 2**64 - 1), min_size=size, max_size=size)), np.uint64
    )
    if draw(st.booleans()):
        vh &= np.uint64(0xFFFF0000000FFFFF)
    vl = np.array(draw(st.lists(st.integers(0, 20), min_size=size, max_size=size)), np.int64)
    word = st.integers(0, size - 1)
    if draw(st.booleans()):
        period = draw(st.lists(word, min_size=1, max_size=12))
        ids = period * draw(st.integers(0, 40)) + draw(st.lists(word, max_size=30))
    else:
        ids = draw(st.lists(word, max_size=400))
    return np.array(ids, np.int64), vh, vl


@needs_c
@settings(max_examples=300, deadline=None)
@given(documents())
def test_compiled_matches_numpy(doc) -> None:
    both(*doc)


@needs_c
@settings(max_examples=100, deadline=None)
@given(
    documents(),
    st.lists(st.integers(1, 8), max_size=4).map(tuple),
    st.integers(1, 8),
    st.integers(1, 6),
)
def test_compiled_matches_numpy_for_any_sizes(doc, top_ns, first, count) -> None:
    both(*doc, top_ns=top_ns, dup_ns=tuple(range(first, first + count)))


def test_repetition_chars_matches_the_string_definitions() -> None:
    # Both paths (whichever repetition_chars runs, and numpy) against DataTrove's definitions.
    rng = random.Random(3)
    for trial in range(30):
        alphabet = [f"w{i}" * rng.randint(1, 3) for i in range(rng.randint(1, 8))]
        period = [rng.choice(alphabet) for _ in range(rng.randint(1, 10))]
        words = (period * rng.randint(0, 20)) + [rng.choice(alphabet) for _ in range(20)]
        vocab_ = sorted(set(words))
        ids = np.array([vocab_.index(w) for w in words], np.int64)
        vh = np.array([rng.getrandbits(64) for _ in vocab_], np.uint64)
        vl = np.array([len(w) for w in vocab_], np.int64)
        want = (
            tuple(top_ngram(words, n) for n in TOP),
            tuple(find_all_duplicate(words, n) for n in NS),
        )
        assert repetition_chars(ids, vh, vl, TOP, NS) == want, trial
        assert repetition_numpy(ids, vh, vl, TOP, NS) == want, trial


@needs_c
def test_compiled_matches_numpy_past_2_20_words() -> None:
    # From 2^20 n-grams on, the whole 64-bit hash names an n-gram (the numpy
    # path's argsort / unique branch); around the boundary both must agree.
    rng = np.random.default_rng(0)
    vh = rng.integers(0, 2**63, 50_000, dtype=np.uint64) * np.uint64(2)
    vl = rng.integers(1, 12, 50_000).astype(np.int64)
    for words in ((1 << 20) + 1, (1 << 20) + 6):
        ids = rng.integers(0, len(vh), words).astype(np.int64)
        for at in rng.integers(0, words - 20, 30):
            ids[at : at + 12] = ids[:12]
        _, dup = both(ids, vh, vl)
        assert dup[0] > 0


@needs_c
def test_compiled_rejects_misuse() -> None:
    assert compiled is not None
    ids = np.array([0, 1, 0, 1], np.int64)
    vh = np.array([5, 7], np.uint64)
    vl = np.array([1, 2], np.int64)
    bad = [
        (ids.astype(np.int32), vh, vl, TOP, NS),  # ids not int64
        (ids, vh.astype(np.int64), vl, TOP, NS),  # hashes not uint64
        (ids, vh, vl.astype(np.float64), TOP, NS),  # lengths not int64
        (ids.reshape(2, 2), vh, vl, TOP, NS),  # not 1-d
        (ids[::2], vh, vl, TOP, NS),  # not contiguous
        (np.array([0, 2], np.int64), vh, vl, TOP, NS),  # id outside the vocabulary
        (np.array([-1], np.int64), vh, vl, TOP, NS),
        (ids, vh, vl[:1], TOP, NS),  # lengths shorter than the ids need
        (ids, vh, vl, [2, 3], NS),  # not a tuple
        (ids, vh, vl, (0,), NS),  # n < 1
        (ids, vh, vl, TOP, (5, 7)),  # not consecutive
        (ids, vh, vl, TOP, ("5",)),
        ("text", vh, vl, TOP, NS),
    ]
    for args in bad:
        with pytest.raises(ValueError):
            compiled(*args)
    assert compiled(ids, vh, vl, (2,), (2, 3)) == ((8,), (3, 0))  # "a bb" twice
