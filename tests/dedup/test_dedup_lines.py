from __future__ import annotations

import pytest

from thresher.dedup.lines import LineDedup
from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import run_corpus_step_in_memory

CHROME = "Share this\nSupport us\nNotify of"


def _page(i: int) -> str:
    return f"Article {i} explains how topic number {i} works in detail.\n{CHROME}\nA common closing line here"


def test_chrome_in_enough_documents_is_cut_from_every_one() -> None:
    docs = [Document(id=str(i), text=_page(i), ordinal=i) for i in range(3)]
    # "A common closing line here" appears in only two documents.
    docs[2].text = docs[2].text.replace("A common closing line here", "Something else entirely")
    run_corpus_step_in_memory(LineDedup(min_docs=3), docs)
    for i, d in enumerate(docs):
        assert "Share this" not in d.text and "Notify of" not in d.text
        assert d.text.startswith(f"Article {i} explains")
        assert d.signals["line_dedup_removed_lines"] == 3
        assert d.signals["line_dedup_removed_chars"] == len("Share this") + len("Support us") + len(
            "Notify of"
        )
        assert {e["text"] for e in d.edits} == {"Share this", "Support us", "Notify of"}
        assert all(e["step"] == "line_dedup" and e["reason"] == "repeated_line" for e in d.edits)
        assert d.removed is None
    assert "A common closing line here" in docs[0].text


def test_below_min_docs_nothing_is_cut() -> None:
    docs = [Document(id=str(i), text=_page(i), ordinal=i) for i in range(2)]
    run_corpus_step_in_memory(LineDedup(min_docs=3), docs)
    assert all(CHROME in d.text for d in docs)


def test_counts_distinct_documents_not_occurrences() -> None:
    repeated = "Share this\n" * 5
    docs = [
        Document(id="a", text=repeated + "unique a text", ordinal=0),
        Document(id="b", text="Share this\nunique b text", ordinal=1),
    ]
    run_corpus_step_in_memory(LineDedup(min_docs=3), docs)
    assert docs[0].text.count("Share this") == 5


def test_short_lines_are_never_cut() -> None:
    docs = [Document(id=str(i), text=f"* \nReal content {i}", ordinal=i) for i in range(4)]
    run_corpus_step_in_memory(LineDedup(min_docs=2, min_chars=3), docs)
    assert all(d.text.startswith("* \n") for d in docs)


def test_mostly_chrome_document_is_removed_and_threshold_none_only_cuts() -> None:
    chrome = "Cookie settings and privacy preferences\nSubscribe to our newsletter today"
    docs = [Document(id=str(i), text=chrome + f"\nok {i}", ordinal=i) for i in range(3)]
    run_corpus_step_in_memory(LineDedup(min_docs=3), docs)
    assert all(d.removed == {"step": "line_dedup", "reason": "mostly_repeated_lines"} for d in docs)
    docs = [Document(id=str(i), text=chrome + f"\nok {i}", ordinal=i) for i in range(3)]
    run_corpus_step_in_memory(LineDedup(min_docs=3, max_removed_fraction=None), docs)
    assert all(d.removed is None and d.text == f"ok {i}" for i, d in enumerate(docs))


def test_paragraph_unit_and_keep_first() -> None:
    para = "Our newsletter brings you\nthe best stories every week."
    docs = [
        Document(id=str(i), text=f"Story {i} body text.\n\n{para}\n\nEnd {i}.", ordinal=i)
        for i in range(2)
    ]
    run_corpus_step_in_memory(LineDedup(unit="paragraph", min_docs=2, keep_first=True), docs)
    assert para in docs[0].text
    assert docs[1].text == "Story 1 body text.\n\nEnd 1."
    assert docs[1].edits[0]["reason"] == "repeated_paragraph"


def test_sentence_spans_c4_style() -> None:
    spam = "Click here to subscribe. We value your privacy. All rights reserved."
    docs = [
        Document(
            id=str(i), text=f"Unique opening number {i}. {spam} Closing thought {i}.", ordinal=i
        )
        for i in range(2)
    ]
    run_corpus_step_in_memory(LineDedup(unit="sentence_span", min_docs=2, keep_first=True), docs)
    assert spam in docs[0].text
    assert docs[1].text == "Unique opening number 1. Closing thought 1."


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_docs": 1},
        {"min_chars": 0},
        {"unit": "word"},
        {"max_removed_fraction": 1.5},
        {"span_sentences": 0},
    ],
)
def test_bad_settings_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        LineDedup(**kwargs)  # type: ignore[arg-type]
