from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from thresher.dedup.fuzzy import FuzzyDedup, prose_lines
from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import run_corpus_step_in_memory

_VOCAB = [f"w{i}" for i in range(5000)]


def _text(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(n))


def _near(text: str, edits: int, seed: int = 0) -> str:
    words = text.split()
    rng = random.Random(seed)
    for i in rng.sample(range(len(words)), edits):
        words[i] = "changed"
    return " ".join(words)


def _corpus() -> list[Document]:
    a = _text(1)
    texts = [
        _text(10),
        a,
        _text(11),
        _near(a, 2) + " plus a longer tail",
        _near(a, 1, seed=5),
        _text(12),
    ]
    return [Document(id=f"d{i}", text=t, ordinal=i) for i, t in enumerate(texts)]


def test_near_duplicates_cluster_and_the_first_is_kept() -> None:
    docs = _corpus()
    run_corpus_step_in_memory(FuzzyDedup(), docs)
    assert [d.removed is None for d in docs] == [True, True, True, False, False, True]
    assert docs[3].removed == {"step": "fuzzy_dedup", "reason": "near_duplicate"}
    for i in (1, 3, 4):
        assert docs[i].signals["fuzzy_cluster_id"] == 1
        assert docs[i].signals["fuzzy_cluster_size"] == 3
    for i in (0, 2, 5):
        assert docs[i].signals == {"fuzzy_cluster_id": i, "fuzzy_cluster_size": 1}


def test_keep_longest_and_flag_mode() -> None:
    docs = _corpus()
    run_corpus_step_in_memory(FuzzyDedup(keep="longest"), docs)
    assert [i for i, d in enumerate(docs) if d.removed] == [1, 4]
    docs = _corpus()
    run_corpus_step_in_memory(FuzzyDedup(mode="flag"), docs)
    assert all(d.removed is None for d in docs)
    assert docs[4].signals["fuzzy_cluster_size"] == 3


def test_keep_signal_keeps_the_highest() -> None:
    docs = _corpus()
    for i, d in enumerate(docs):
        d.signals["quality"] = 1.0 if i == 4 else 0.0
    run_corpus_step_in_memory(FuzzyDedup(keep="signal", keep_signal="quality"), docs)
    assert [i for i, d in enumerate(docs) if d.removed] == [1, 3]


def test_band_match_verification_keeps_high_similarity_pairs() -> None:
    docs = _corpus()
    step = FuzzyDedup(
        num_perm=512, bands=128, rows=4, min_band_matches=40, resolve_memory_bytes=1 << 20
    )
    run_corpus_step_in_memory(step, docs)
    assert [i for i, d in enumerate(docs) if d.removed] == [3, 4]


def test_low_similarity_pair_is_not_a_duplicate() -> None:
    a = _text(3)
    docs = [Document(id="a", text=a, ordinal=0), Document(id="b", text=_near(a, 60), ordinal=1)]
    run_corpus_step_in_memory(FuzzyDedup(threshold=0.9), docs)
    assert all(d.removed is None for d in docs)


def test_short_documents_take_no_part_and_step_pickles_without_hasher() -> None:
    step = FuzzyDedup()
    assert len(step.signature(Document(id="s", text="too few words"))) == 0
    assert step._hasher is not None
    clone = pickle.loads(pickle.dumps(step))
    assert clone._hasher is None
    text = _text(4)
    assert np.array_equal(
        clone.signature(Document(id="x", text=text)), step.signature(Document(id="x", text=text))
    )


def test_bands_and_rows_follow_threshold() -> None:
    step = FuzzyDedup(threshold=0.8, num_perm=256, min_band_matches=1)
    assert step.bands * step.rows <= 256
    plain = {"num_perm": 256, "min_band_matches": 1}
    assert FuzzyDedup(threshold=0.9, **plain).rows > FuzzyDedup(threshold=0.7, **plain).rows  # type: ignore[arg-type]
    verified = FuzzyDedup(threshold=0.8)
    assert (verified.bands, verified.rows) == (128, 4)
    assert FuzzyDedup(threshold=0.9)._band_matches > verified._band_matches


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": 1.0},
        {"bands": 10},
        {"bands": 20, "rows": 20, "num_perm": 128},
        {"keep": "signal"},
        {"keep_signal": "x"},
        {"mode": "delete"},
        {"min_band_matches": 0},
        {"shingle_size": 0},
        {"lines": "some"},
        {"min_prose_share": 1.5},
    ],
)
def test_bad_settings_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        FuzzyDedup(**kwargs)  # type: ignore[arg-type]


def test_auto_band_matches_verifies_candidates() -> None:
    docs = _corpus()
    step = FuzzyDedup(num_perm=512, bands=128, rows=4, min_band_matches="auto")
    assert 1 < step._band_matches < 128
    run_corpus_step_in_memory(step, docs)
    assert [i for i, d in enumerate(docs) if d.removed] == [3, 4]
    # A pair at Jaccard ~0.72 shares some of 128 narrow bands, but too few for 0.8.
    a = _text(7)
    settings = {"threshold": 0.8, "num_perm": 512, "bands": 128, "rows": 4}

    def pair() -> list[Document]:
        return [Document(id="a", text=a, ordinal=0), Document(id="b", text=_near(a, 9), ordinal=1)]

    plain = pair()
    run_corpus_step_in_memory(FuzzyDedup(**settings, min_band_matches=1), plain)  # type: ignore[arg-type]
    assert plain[1].removed is not None
    verified = pair()
    run_corpus_step_in_memory(FuzzyDedup(**settings, min_band_matches="auto"), verified)  # type: ignore[arg-type]
    assert all(d.removed is None for d in verified)


def test_star_clustering_does_not_follow_chains_but_union_find_does() -> None:
    a = _text(8)
    b = _near(a, 4, seed=1)
    c = _near(b, 4, seed=2)  # close to b, further from a

    def chain() -> list[Document]:
        return [
            Document(id=x, text=t, ordinal=i)
            for i, (x, t) in enumerate(zip("abc", (a, b, c), strict=True))
        ]

    settings = {
        "threshold": 0.8,
        "num_perm": 512,
        "bands": 128,
        "rows": 4,
        "min_band_matches": "auto",
    }
    star = chain()
    run_corpus_step_in_memory(FuzzyDedup(**settings), star)  # type: ignore[arg-type]
    assert [d.removed is None for d in star] == [True, False, True]
    assert star[1].signals == {"fuzzy_cluster_id": 0, "fuzzy_cluster_size": 2}
    assert star[2].signals["fuzzy_cluster_size"] == 1
    linked = chain()
    run_corpus_step_in_memory(FuzzyDedup(**settings, cluster="union_find"), linked)  # type: ignore[arg-type]
    assert [d.removed is None for d in linked] == [True, False, False]
    assert {d.signals["fuzzy_cluster_size"] for d in linked} == {3}


def _sentences(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_VOCAB) for _ in range(12)).capitalize() + "." for _ in range(n)]


def test_copies_with_different_page_chrome_are_near_duplicates_on_their_prose() -> None:
    story = _sentences(7, 6)
    # The same short story on two sites: bylines, dates, buttons and a caption
    # differ, and no line of them ends a sentence.
    a = ["Give once", "Monthly One-off", "By Luis Shah", "Published 8 September 2022", *story]
    b = [
        "Subscribe",
        "Luis Shah, Health Reporter",
        "2022-09-08 19:02 · 3 min read",
        "Support us ->",
    ]
    b += [*story[:3], "Advertisement", *story[3:], "The headquarters | File photo"]
    texts = ["\n".join(a), "\n".join(b), "\n".join(_sentences(8, 6))]
    for lines, removed in (("prose", [False, True, False]), ("all", [False, False, False])):
        docs = [Document(id=str(i), text=t, ordinal=i) for i, t in enumerate(texts)]
        run_corpus_step_in_memory(FuzzyDedup(lines=lines), docs)  # type: ignore[arg-type]
        assert [d.removed is not None for d in docs] == removed, lines


def test_mostly_list_pages_keep_all_their_lines() -> None:
    blurb = _sentences(9, 1)[0]
    page = [blurb, *(f"item {w} price {i}" for i, w in enumerate(_VOCAB[:40]))]
    assert prose_lines("\n".join(page), 0.6) == "\n".join(page)
    other = [blurb, *(f"item {w} price {i}" for i, w in enumerate(_VOCAB[100:140]))]
    docs = [Document(id=str(i), text="\n".join(t), ordinal=i) for i, t in enumerate([page, other])]
    run_corpus_step_in_memory(FuzzyDedup(), docs)
    assert all(d.removed is None for d in docs)
    # A sentence end may sit before a closing bracket or quote.
    assert prose_lines("Menu\n(He left.)\nShe said “no.”", 0.5) == "(He left.)\nShe said “no.”"
