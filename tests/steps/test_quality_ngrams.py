"""Hashed n-gram statistics against DataTrove's plain-string definitions."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from thresher.steps.quality.ngrams import dup_ngram_chars, ngram_hashes, top_ngram_chars

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
