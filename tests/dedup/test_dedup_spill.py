from __future__ import annotations

from itertools import groupby
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.dedup.spill import KeySpill


def _expected(keys: np.ndarray, ords: np.ndarray) -> list[tuple[int, list[int]]]:
    order = np.lexsort((ords, keys))
    pairs = zip(keys[order].tolist(), ords[order].tolist(), strict=True)
    return [(k, [o for _, o in grp]) for k, grp in groupby(pairs, key=lambda t: t[0])]


def _spilled(
    tmp: Path, keys: np.ndarray, ords: np.ndarray, batch: int, limit: int
) -> tuple[KeySpill, list[tuple[int, list[int]]]]:
    spill = KeySpill(tmp, memory_limit_bytes=limit)
    for i in range(0, len(keys), batch):
        spill.add(keys[i : i + batch], ords[i : i + batch])
    got = [(k, o.tolist()) for k, o in spill.groups()]
    return spill, got


def test_tiny_memory_limit_gives_same_groups_as_in_memory_sort(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 300, size=50_000).astype(np.uint64)
    ords = rng.integers(0, 10**9, size=50_000)
    spill, got = _spilled(tmp_path, keys, ords, batch=997, limit=1 << 14)
    assert spill.runs > 10
    assert got == _expected(keys, ords)
    spill.close()
    assert not spill.dir.exists()


def test_a_key_never_spans_two_chunks_even_when_larger_than_a_block(tmp_path: Path) -> None:
    u64 = np.uint64
    keys = np.concatenate(
        [np.full(5000, 7, u64), np.arange(100, 3000, dtype=u64), np.full(4000, 2**64 - 1, u64)]
    )
    ords = np.arange(len(keys))
    with KeySpill(tmp_path, memory_limit_bytes=1 << 14) as spill:
        rng = np.random.default_rng(2)
        perm = rng.permutation(len(keys))
        for i in range(0, len(keys), 500):
            spill.add(keys[perm[i : i + 500]], ords[perm[i : i + 500]])
        seen: set[int] = set()
        for k, _ in spill.groups().chunks():
            chunk_keys = set(np.unique(k).tolist())
            assert not (chunk_keys & seen)
            seen |= chunk_keys
        groups = dict((k, o) for k, o in spill.groups())
        assert len(groups[7]) == 5000 and len(groups[2**64 - 1]) == 4000
        # The merge can be read twice.
        assert len(list(spill.groups())) == len(groups)


def test_values_are_spilled_and_looked_up_by_ordinal(tmp_path: Path) -> None:
    with KeySpill(tmp_path, memory_limit_bytes=1 << 14) as spill:
        ords = np.random.default_rng(3).permutation(5000)
        for i in range(0, 5000, 300):
            spill.add_values(ords[i : i + 300], ords[i : i + 300] * 0.5)
        spill.add(np.array([1], np.uint64), 4)
        vals = spill.groups().values(np.array([0, 4, 4999, 6000]))
    assert vals[:3].tolist() == [0.0, 2.0, 2499.5]
    assert np.isnan(vals[3])


def test_empty_spill_has_no_groups(tmp_path: Path) -> None:
    with KeySpill(tmp_path) as spill:
        assert list(spill.groups()) == []


@settings(max_examples=25, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 2**64 - 1) | st.integers(0, 20), st.integers(0, 2**40)),
        max_size=3000,
    ),
    batch=st.integers(1, 700),
)
def test_property_spilled_groups_equal_sorted_groups(tmp_path_factory, pairs, batch) -> None:  # type: ignore[no-untyped-def]
    keys = np.array([k for k, _ in pairs], dtype=np.uint64)
    ords = np.array([o for _, o in pairs], dtype=np.int64)
    spill, got = _spilled(tmp_path_factory.mktemp("spill"), keys, ords, batch=batch, limit=1 << 14)
    spill.close()
    assert got == _expected(keys, ords)


def test_resolve_over_spilled_groups_equals_in_memory_run(tmp_path: Path) -> None:
    # The local executor's flow: signatures and values into KeySpill, resolve once.
    import random

    from thresher.dedup.fuzzy import FuzzyDedup
    from thresher.document import Document
    from thresher.steps.base import run_corpus_step_in_memory

    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(3000)]
    bases = [" ".join(rng.choice(vocab) for _ in range(200)) for _ in range(30)]
    texts = [
        b if rng.random() < 0.5 else b + " extra words at the end" for b in bases for _ in range(3)
    ]
    step = FuzzyDedup(keep="longest")
    docs = [Document(id=str(i), text=t, ordinal=i) for i, t in enumerate(texts)]
    expected = run_corpus_step_in_memory(step, docs)
    with KeySpill(tmp_path, memory_limit_bytes=1 << 14) as spill:
        for i, t in enumerate(texts):
            doc = Document(id=str(i), text=t, ordinal=i)
            spill.add(step.signature(doc), i)
            spill.add_values(np.array([i]), np.array([step.value(doc)]))
        assert spill.runs > 1
        got = step.resolve(spill.groups())
    for field in ("ordinals", "cluster", "sizes", "keep"):
        assert np.array_equal(getattr(got, field), getattr(expected, field))
    assert int((~got.keep).sum()) == 60
