from __future__ import annotations

from thresher.dedup.exact import ExactDedup, normalize_for_exact
from thresher.document import Document
from thresher.steps.base import run_corpus_step_in_memory


def _docs(texts: list[str]) -> list[Document]:
    return [Document(id=f"d{i}", text=t, ordinal=i) for i, t in enumerate(texts)]


def test_first_copy_is_kept_and_later_copies_point_at_it() -> None:
    docs = _docs(["Other page.", "Hello  World\n", "hello world", "HELLO\tworld", "Another page."])
    run_corpus_step_in_memory(ExactDedup(), docs)
    assert [d.removed is None for d in docs] == [True, True, False, False, True]
    assert docs[2].removed == {"step": "exact_dedup", "reason": "exact_duplicate"}
    assert docs[2].signals["exact_dup_of"] == 1 and docs[3].signals["exact_dup_of"] == 1
    assert "exact_dup_of" not in docs[1].signals
    assert [d.signals["exact_dup_cluster_size"] for d in docs] == [1, 3, 3, 3, 1]


def test_normalisation_is_nfc_casefold_and_whitespace() -> None:
    assert normalize_for_exact("Stra\u00dfe  cafe\u0301\n") == normalize_for_exact(
        "STRASSE caf\u00e9"
    )


def test_near_copies_and_empty_texts_are_not_exact_duplicates() -> None:
    docs = _docs(["Hello world.", "Hello world!", "", "  "])
    run_corpus_step_in_memory(ExactDedup(), docs)
    assert all(d.removed is None for d in docs)


def test_removed_documents_take_no_part() -> None:
    docs = _docs(["same text", "same text"])
    docs[0].remove("c4", "too_short")
    run_corpus_step_in_memory(ExactDedup(), docs)
    assert docs[1].removed is None
