"""The spaCy twin: tokens and sentence counts as spacy.blank("en") gives them
(expected values recorded from spaCy 3.8)."""

from __future__ import annotations

import numpy as np
import pytest

from thresher.steps.quality.tokenizer import vocab

CASES = [
    (
        "Dr. Smith arrived in the U.S. on Monday at 5 p.m. with her colleagues.",
        ["Dr.", "Smith", "arrived", "in", "the", "U.S.", "on", "Monday", "at", "5", "p.m.",
         "with", "her", "colleagues", "."],
    ),
    (
        "They don't expect it; we can't (really) say.",
        ["They", "do", "n't", "expect", "it", ";", "we", "ca", "n't", "(", "really", ")",
         "say", "."],
    ),
    (
        "Visit https://example.com/news?id=42 or info@example.org now!",
        ["Visit", "https://example.com/news?id=42", "or", "info@example.org", "now", "!"],
    ),
    (
        "Rock'n'roll :) well-known -5°C 200g 1.2 \"quoted.\"",
        ["Rock'n'roll", ":)", "well", "-", "known", "-5", "°", "C", "200", "g", "1.2", '"',
         "quoted", ".", '"'],
    ),
    ("...and then?! #tag", ["...", "and", "then", "?", "!", "#", "tag"]),
    ("  spaced \n\n out\ttext  ", ["spaced", "out", "text"]),
    ("", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "tokens"), CASES)
def test_words_match_spacy(text: str, tokens: list[str]) -> None:
    assert vocab().words(text) == tokens


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        ("One. Two! Three? four", 4),
        ("The end.  Next one.", 2),
        ("Wait . . . what?", 2),
        ("A.\tB.", 1),
        ("Hello world.", 1),
        ("no final mark at all", 1),
    ],
)
def test_sentence_count_matches_spacy_sentencizer(line: str, sentences: int) -> None:
    v = vocab()
    assert v.sentence_total([line]) == sentences
    tokens = v.analyze(line)
    if "  " not in line and "\t" not in line:
        assert v.line_sentences(tokens, np.array([0])) == sentences


def test_sentences_add_up_over_lines() -> None:
    v = vocab()
    lines = ["One. Two.", "Three! Four? Five.", "six"]
    text = "\n".join(lines)
    total = v.line_sentences(v.analyze(text), np.arange(3))
    assert total == v.sentence_total(lines) == 2 + 3 + 1


def test_analysis_lines_and_offsets() -> None:
    v = vocab()
    tokens = v.analyze("a bc.\n\nc d e")
    assert tokens.lines == ["a bc.", "", "c d e"]
    assert tokens.line_start.tolist() == [0, 3, 3, 6]
    assert v.analyze("a bc.\n\nc d e") is tokens  # memoized


def test_range_concat_matches_ranges() -> None:
    import numpy as np

    from thresher.steps.quality.tokenizer import _range_concat, _ranges

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(0, 12))
        starts = rng.integers(0, 50, n)
        counts = rng.integers(0, 4, n)
        assert _range_concat(starts, counts).tolist() == _ranges(starts, counts)[0].tolist()
    assert _range_concat(np.array([5, 0]), np.array([2, 3])).tolist() == [5, 6, 0, 1, 2]


def test_batch_analysis_matches_one_by_one() -> None:
    # Two batches of many new chunks (past the arrays' first sizes), then the
    # same texts one at a time on a fresh vocabulary: the same words.
    import random

    from thresher.steps.quality.tokenizer import Vocab

    rng = random.Random(3)
    pieces = ["word", "(open", "end.", "U.S.", "don't", "x,y", "--", "née", "3.5%", ""]

    def text() -> str:
        lines = []
        for _ in range(rng.randint(0, 6)):
            words = [
                rng.choice(pieces) + str(rng.randint(0, 3000)) for _ in range(rng.randint(0, 9))
            ]
            lines.append(rng.choice([" ", "  ", "\t"]).join(words))
        return "\n".join(lines)

    texts = [text() for _ in range(300)]
    batched = Vocab()
    batched.analyze_batch(texts[:150])
    batched.analyze_batch(texts[150:])
    single = Vocab()
    for t in texts:
        got = batched.analyze(t)  # memoized by the batches
        want = single.analyze(t)
        assert [batched.strings[i] for i in got.ids] == [single.strings[i] for i in want.ids]
        assert got.line_start.tolist() == want.line_start.tolist()
        assert got.lines == want.lines


def test_token_properties_filled_on_read() -> None:
    from thresher.steps.quality.tokenizer import SENT_FINAL, SENT_SKIP, SENT_WORD, Vocab

    v = Vocab()
    filler = [v.add(f"w{i}") for i in range(1500)]  # past the first array size
    ids = [v.add("Hello"), v.add("."), v.add(","), v.add("2024"), v.add("née")]
    assert v.add("Hello") == ids[0]
    assert v.length[ids].tolist() == [5, 1, 1, 4, 3]
    assert v.alpha[ids].tolist() == [True, False, False, False, True]
    assert v.nonsymbol[ids].tolist() == [True, False, False, True, True]
    assert v.sent_class[ids].tolist() == [SENT_WORD, SENT_FINAL, SENT_SKIP, SENT_WORD, SENT_WORD]
    import xxhash

    assert int(v.hash[ids[4]]) == xxhash.xxh64_intdigest("née".encode())
    assert v.length[filler[-1]] == 5
    later = v.add("!")  # added after a read: filled on the next one
    assert v.sent_class[later] == SENT_FINAL


def test_token_properties_follow_their_definitions() -> None:
    # Bulk property arrays vs the per-character definitions (DataTrove's
    # punctuation set, str.isalpha, spaCy's is_punct and sentence-final marks).
    import unicodedata

    from thresher.steps.quality.text import PUNCTUATION_SET
    from thresher.steps.quality.tokenizer import SENT_FINAL, SENT_SKIP, SENT_WORD, Vocab

    v = Vocab()
    tokens = ["a1", "«", "-x-", "½", "##", "中文", "...", "?!", "word", "'s", "\x00", "。", "™"]
    ids = [v.add(t) for t in tokens]
    final = v.rules.punct_chars
    for token, tid in zip(tokens, ids, strict=True):
        assert v.nonsymbol[tid] == any(ch not in PUNCTUATION_SET for ch in token), token
        assert v.alpha[tid] == any(ch.isalpha() for ch in token), token
        punct = all(unicodedata.category(ch).startswith("P") for ch in token)
        want = SENT_FINAL if token in final else SENT_SKIP if punct else SENT_WORD
        assert v.sent_class[tid] == want, token
