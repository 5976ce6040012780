from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.dedup import minhash
from thresher.dedup.minhash import MinHasher, collision_probability, optimal_bands_rows, word_hashes
from thresher.dedup.unionfind import UnionFind


def test_word_hashes_ignore_case_and_punctuation_and_are_position_free() -> None:
    a = word_hashes("Hello, world! hello")
    assert len(a) == 3 and a[0] == a[2]
    assert np.array_equal(word_hashes("HELLO world"), word_hashes("...hello   world..."))
    assert len(word_hashes("  ,;  ")) == 0
    assert len(word_hashes("naïve café 東京")) == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ab", "Cd", " ", ",", "x" * 9, "é", "\U0001f600", "\n"]), max_size=40
    ).map("".join),
    st.integers(1, 12),
)
def test_word_hashes_of_long_texts_go_in_slices(text: str, size: int) -> None:
    # A text longer than _SLICE characters is hashed slice by slice, cut
    # between words (memory stays bounded): the same hashes as in one go,
    # words longer than a slice included.
    whole = word_hashes(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(minhash, "_SLICE", size)
        assert np.array_equal(word_hashes(text), whole)


def _sets(j: float, n: int = 2000) -> tuple[str, str]:
    # Two texts of unique words whose 1-gram Jaccard is about j.
    shared = int(n * 2 * j / (1 + j))
    rest = n - shared
    a = [f"s{i}" for i in range(shared)] + [f"a{i}" for i in range(rest)]
    b = [f"s{i}" for i in range(shared)] + [f"b{i}" for i in range(rest)]
    random.Random(0).shuffle(b)
    return " ".join(a), " ".join(b)


def test_signature_agreement_estimates_jaccard_for_both_schemes() -> None:
    for oph in (True, False):
        h = MinHasher(shingle_size=1, num_perm=512, bands=64, rows=8, one_permutation=oph)
        for j in (0.2, 0.5, 0.8):
            a, b = _sets(j)
            est = float(np.mean(h.signature(a) == h.signature(b)))
            assert abs(est - j) < 0.08, (oph, j, est)


def test_densification_fills_every_bin_for_tiny_texts() -> None:
    h = MinHasher(shingle_size=1, num_perm=256, bands=32, rows=8)
    s1 = h.signature("one two")
    assert len(s1) == 256 and set(s1.tolist()) <= set(
        h.signature_of_shingles(h.shingles("one two")).tolist()
    )
    assert len(np.unique(s1)) <= 2
    assert np.array_equal(h.signature("two one"), s1)


def test_band_keys_match_only_on_equal_bands() -> None:
    h = MinHasher(shingle_size=1, num_perm=16, bands=4, rows=4)
    sig = np.arange(16, dtype=np.uint32)
    other = sig.copy()
    other[5] = 99
    ka, kb = h.band_keys(sig), h.band_keys(other)
    assert (ka == kb).tolist() == [True, False, True, True]
    assert len(set(ka.tolist())) == 4  # bands are salted: equal values in two bands differ


def test_optimal_bands_rows_meets_recall_target() -> None:
    b, r = optimal_bands_rows(0.8, 256)
    assert b * r <= 256
    assert collision_probability(0.85, b, r) >= 0.95
    assert collision_probability(0.5, b, r) < 0.05


def test_union_find_roots_are_smallest_ordinals() -> None:
    uf = UnionFind(4)
    uf.union(np.array([5, 9, 7, 3]), np.array([9, 2, 5, 3]))
    roots = uf.roots(12)
    assert roots[[2, 5, 7, 9]].tolist() == [2, 2, 2, 2]
    assert roots[[0, 3, 11]].tolist() == [0, 3, 11]


def test_union_find_matches_naive_components() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 500, 400), rng.integers(0, 500, 400)
    uf = UnionFind()
    for i in range(0, 400, 37):
        uf.union(a[i : i + 37], b[i : i + 37])
    label = list(range(500))

    def find(x: int) -> int:
        while label[x] != x:
            x = label[x]
        return x

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = find(x), find(y)
        label[max(rx, ry)] = min(rx, ry)
    assert uf.roots(500).tolist() == [find(x) for x in range(500)]
