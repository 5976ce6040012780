"""Signals never crash on arbitrary text, and fractions stay in [0, 1]."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.document import Document
from thresher.steps import build_step

STEPS = ["gopher_repetition", "gopher_quality", "c4", "c4_badwords", "fineweb", "rp2_signals"]
# Ratios that are not fractions of a whole: per-word counts of symbols or
# newlines, and the top n-gram share, which counts overlapping occurrences.
UNBOUNDED = (
    "gopher_word_count",
    "gopher_mean_word_length",
    "gopher_hash_word_ratio",
    "gopher_ellipsis_word_ratio",
    "gopher_stop_words",
    "gopher_top_",
    "c4_lines",
    "c4_sentences",
    "c4_lorem_ipsum_lines",
    "c4_curly_bracket_lines",
    "fineweb_lines",
    "fineweb_newline_ratio",
    "rps_doc_word_count",
    "rps_doc_mean_word_length",
    "rps_doc_num_sentences",
    "rps_doc_symbol_to_word_ratio",
    "rps_doc_unigram_entropy",
    "rps_lines_javascript_counts",
)
PIECES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from([*" \n\t.!?…#-•{}[]'\"", "...", "\r\n", "n't", "U.S.", "the ", "lorem ipsum"]),
)
TEXT = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_signals_total_and_bounded(text: str) -> None:
    steps = [build_step(name) for name in STEPS]
    doc = Document(id="h", text=text)
    for step in steps:
        step.process(doc)
        if doc.removed is not None:
            assert isinstance(doc.removed["reason"], str)
    for name, value in doc.signals.items():
        assert value == value, name  # not NaN
        assert value >= 0, name
        if not name.startswith(UNBOUNDED):
            assert value <= 1.0 + 1e-12, (name, value)


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_c4_keeps_or_rewrites_lines(text: str) -> None:
    doc = Document(id="h", text=text)
    build_step("c4").process(doc)
    if doc.removed is None:
        kept = doc.text.split("\n") if doc.text else []
        assert all(line.strip() for line in kept)


def test_steps_pickle_after_use_and_decide_the_same() -> None:
    import pickle

    text = "The cat sat with the dog. " * 30
    for name in STEPS:
        step = build_step(name)
        first = Document(id="p", text=text)
        step.process(first)
        clone = pickle.loads(pickle.dumps(step))
        second = Document(id="p", text=text)
        clone.process(second)
        assert clone.settings() == step.settings()
        assert (second.removed, second.signals, second.text) == (
            first.removed,
            first.signals,
            first.text,
        )
