"""C4 line cleaning, page rules and the bad-word filter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.quality.c4 import C4, C4Badwords, _trie_pattern, badwords_regex

GOOD = [
    "The river rose quickly after three days of rain.",
    "Farmers said the harvest would be late this year.",
    "The committee will meet again on Thursday.",
    "It was the first time the team had won away.",
    "Most visitors came by train to the old town.",
]


def run(step, text: str, lang: str | None = None) -> Document:
    doc = Document(id="d", text=text, lang=lang)
    step.process(doc)
    return doc


def test_keeps_clean_page_unchanged() -> None:
    doc = run(C4(), "\n".join(GOOD))
    assert doc.removed is None
    assert doc.text == "\n".join(GOOD)
    assert doc.signals["c4_sentences"] == 5
    assert doc.edits == []


def test_line_rules_remove_lines_and_record_them() -> None:
    text = "\n".join(
        [
            "Home",  # no terminal punctuation
            "Too few.",  # fewer than 3 words
            "Please enable JavaScript to see this.",
            "This site uses cookies to work well.",
            "Loading the page...",  # ends in an ellipsis
            "x" * 1001 + " is long.",
            *GOOD,
            "The castle was built in 1204.[1]",
        ]
    )
    doc = run(C4(), text)
    assert doc.removed is None
    assert doc.text == "\n".join([*GOOD, "The castle was built in 1204."])
    reasons = [e["reason"] for e in doc.edits]
    assert reasons == [
        "no_terminal_punct",
        "too_few_words",
        "javascript",
        "policy",
        "no_terminal_punct",
        "too_long_word",
        "citation",
    ]
    assert all(e["step"] == "c4" for e in doc.edits)
    assert doc.signals["c4_lines_removed_frac"] == pytest.approx(6 / 12)


def test_page_rules() -> None:
    assert run(C4(), "\n".join([*GOOD, "Lorem ipsum dolor sit amet."])).removed == {
        "step": "c4",
        "reason": "lorem_ipsum",
    }
    curly = run(C4(), "\n".join(["Set x = {a: 1} in the code.", *GOOD]))
    assert curly.removed == {"step": "c4", "reason": "curly_bracket"}
    assert curly.text.startswith("Set x")  # a removed page keeps its text
    # A JavaScript line is dropped before the bracket rule sees it.
    assert run(C4(), "\n".join(["The javascript code {x} runs.", *GOOD])).removed is None
    few = run(C4(), "\n".join(GOOD[:4]))
    assert few.removed == {"step": "c4", "reason": "too_few_sentences"}
    assert few.signals["c4_sentences"] == 4


def test_first_page_rule_gives_the_reason() -> None:
    text = "\n".join(["Here {is} a bracket.", "Lorem ipsum dolor sit amet.", *GOOD])
    assert run(C4(), text).removed["reason"] == "curly_bracket"


def test_switches_and_none_thresholds() -> None:
    step = C4(
        min_sentences=None,
        min_words_per_line=None,
        filter_no_terminal_punct=False,
        filter_lorem_ipsum=False,
        filter_curly_bracket=False,
    )
    doc = run(step, "Home\nLorem ipsum {x}")
    assert doc.removed is None
    assert doc.text == "Home\nLorem ipsum {x}"
    assert doc.signals["c4_lorem_ipsum_lines"] == 1
    assert doc.signals["c4_curly_bracket_lines"] == 1
    with pytest.raises(ConfigError, match="min_sentences"):
        C4(min_sentences=-1)


def test_sentences_count_spacy_style() -> None:
    doc = run(C4(min_sentences=None), "One two three. Four five six! Seven eight nine?")
    assert doc.signals["c4_sentences"] == 3
    doc = run(C4(min_sentences=None), "Mr. Smith went to Washington D.C. on Monday.")
    assert doc.signals["c4_sentences"] == 1


def test_badwords() -> None:
    step = C4Badwords()
    assert run(step, "A perfectly clean sentence.").signals["c4_badwords"] == 0.0
    doc = run(step, "That was pure Bullshit, he said.")
    assert doc.removed == {"step": "c4_badwords", "reason": "document_removed_with_badwords"}
    # Whole words only, except in languages written without spaces.
    assert run(step, "A classic assessment.").removed is None
    assert run(step, "Das ist Scheiße.", lang="de").removed is not None
    assert run(step, "Das ist Scheiße.", lang="en").removed is None
    # No list for the language: kept, no signal.
    unknown = run(step, "bullshit", lang="xx")
    assert unknown.removed is None and "c4_badwords" not in unknown.signals
    assert badwords_regex("zh") is not None and badwords_regex("xx") is None


def test_badwords_keep_fraction_is_deterministic() -> None:
    step = C4Badwords(keep_fraction=0.5)
    kept = [run_id(step, f"doc{i}", "This is bullshit.").removed is None for i in range(200)]
    assert 60 < sum(kept) < 140
    assert kept == [
        run_id(step, f"doc{i}", "This is bullshit.").removed is None for i in range(200)
    ]
    with pytest.raises(ConfigError):
        C4Badwords(keep_fraction=1.5)


def run_id(step, doc_id: str, text: str) -> Document:
    doc = Document(id=doc_id, text=text)
    step.process(doc)
    return doc


def test_prechecks_agree_with_the_regexes() -> None:
    from thresher.steps.quality.c4 import (
        _ODD_INLINE,
        _ODD_SPACE_CHARS,
        POLICY_HINTS,
        POLICY_SUBSTRINGS,
        _odd_space,
    )
    from thresher.steps.quality.tokenizer import ODD_SPACE

    assert all(any(h in p for h in POLICY_HINTS) for p in POLICY_SUBSTRINGS)
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(_ODD_SPACE_CHARS) == spaces - {" ", "\n"}
    for text in ("a b", "a  b", "a\tb", "a\nb", "a\rb", "a\x1fb", "é b", "é\u2003b", "é\nb", ""):
        assert _odd_space(text, newline=True) == (_ODD_INLINE.search(text) is not None)
        assert _odd_space(text, newline=False) == (ODD_SPACE.search(text) is not None)


@given(
    words=st.sets(st.text(alphabet="ab c-", min_size=1, max_size=5), min_size=1, max_size=12),
    text=st.text(alphabet="ab c-.\n", max_size=40),
)
def test_badwords_trie_matches_a_plain_alternation(words: set[str], text: str) -> None:
    # The prefix-tree pattern must find a match exactly where DataTrove's
    # ``(?:\W|^)(w1|w2|...)(?:\W|$)`` does.
    plain = re.compile(r"(?:\W|^)(" + "|".join(re.escape(w) for w in sorted(words)) + r")(?:\W|$)")
    trie = re.compile(rf"(?<!\w)(?:{_trie_pattern(words)})(?!\w)")
    assert (plain.search(text) is None) == (trie.search(text) is None)
