"""RedPajama-V2 signals."""

from __future__ import annotations

import math
import re
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps import build_step
from thresher.steps.quality.rp2 import SIGNALS, RedPajamaSignals, normalize


def signals(text: str) -> dict:
    doc = Document(id="d", text=text)
    RedPajamaSignals().process(doc)
    assert doc.removed is None
    return doc.signals


def test_normalize() -> None:
    assert normalize("  Héllo,   WORLD! ") == "hello world"


def test_word_signals() -> None:
    s = signals("The cat and THE dog. NASA 123 ... #tag")
    assert set(SIGNALS) <= set(s)
    # normalized words: the cat and the dog nasa 123 tag
    assert s["rps_doc_word_count"] == 8
    assert s["rps_doc_frac_unique_words"] == pytest.approx(7 / 8)
    expected = -(2 / 8 * math.log(2 / 8) + 6 * (1 / 8 * math.log(1 / 8)))
    assert s["rps_doc_unigram_entropy"] == pytest.approx(expected)
    # raw words: The cat and THE dog. NASA 123 ... #tag -> "123" and "..." have no letter
    assert s["rps_doc_frac_no_alph_words"] == pytest.approx(2 / 9)
    assert s["rps_doc_frac_all_caps_words"] == pytest.approx(2 / 9)
    assert s["rps_doc_symbol_to_word_ratio"] == pytest.approx(2 / 9)


def test_line_and_content_signals() -> None:
    text = "• first item\n• second item\nA sentence. Another one!\nLoading…\nlorem ipsum {x}"
    s = signals(text)
    assert s["rps_lines_start_with_bulletpoint"] == pytest.approx(2 / 5)
    assert s["rps_lines_ending_with_terminal_punctution_mark"] == pytest.approx(1 / 5)
    assert s["rps_doc_frac_lines_end_with_ellipsis"] == pytest.approx(1 / 5)
    assert s["rps_doc_curly_bracket"] == pytest.approx(2 / len(text))
    assert s["rps_doc_lorem_ipsum"] > 0
    assert s["rps_doc_num_sentences"] == 3  # newlines do not end a sentence
    assert signals("Use JavaScript, javascript!")["rps_lines_javascript_counts"] == 2


def test_thresholds() -> None:
    step = build_step("rp2_signals", {"thresholds": {"rps_doc_word_count": [3, None]}})
    doc = Document(id="d", text="too short")
    step.process(doc)
    assert doc.removed == {"step": "rp2_signals", "reason": "rps_doc_word_count_below_min"}
    with pytest.raises(ConfigError, match="unknown signal"):
        RedPajamaSignals(thresholds={"nope": [0, 1]})
    with pytest.raises(ConfigError, match=r"\[min, max\]"):
        RedPajamaSignals(thresholds={"rps_doc_word_count": [1]})


def test_empty_text() -> None:
    s = signals("")
    assert s["rps_doc_word_count"] == 0 and s["rps_doc_unigram_entropy"] == 0.0


# Digits beyond 0-9 (superscripts, Arabic-Indic), accents as combining marks,
# title-case letters, odd whitespace and a lone surrogate.
_TRICKY = st.text(
    alphabet="aZ9 \n\t.!?#\u00a0\u0301\u00e9\u00b2\u0663\x1c\u00c9\u01c5\u2026\ud800-"
)


@given(_TRICKY)
def test_fast_paths_equal_the_plain_definitions(text: str) -> None:
    # normalize() and the digit / uppercase / lettered-word counts skip Python
    # loops over characters; they must agree with RPv2's per-character code.
    nfd = unicodedata.normalize(
        "NFD",
        re.sub(
            r"\s+", " ", text.lower().translate(str.maketrans("", "", string.punctuation))
        ).strip(),
    )
    assert normalize(text) == "".join(ch for ch in nfd if not unicodedata.combining(ch))
    sig = signals(text)
    words = text.split()
    with_alpha = sum(1 for w in words if re.search("[a-zA-Z]", w))
    assert sig["rps_doc_frac_no_alph_words"] == (1.0 - with_alpha / len(words) if words else 0.0)
    upper = sum(ch.isupper() for ch in text)
    assert sig["rps_lines_uppercase_letter_fraction"] == (upper / len(text) if text else 0.0)
    non_space = len(text) - sum(text.count(c) for c in " \n\t\r")
    digits = sum(ch.isdigit() for ch in text)
    assert sig["rps_lines_numerical_chars_fraction"] == (
        min(1.0, digits / non_space) if non_space else 0.0
    )
