"""Gopher quality and repetition rules, each on both sides of its threshold."""

from __future__ import annotations

import pickle

import pytest

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps import build_step
from thresher.steps.quality import ngrams
from thresher.steps.quality.gopher import GopherQuality, GopherRepetition

SENTENCE = "The cat sat with the dog and they looked at the garden of the house."


def run(step, text: str) -> Document:
    doc = Document(id="d", text=text)
    step.process(doc)
    return doc


def reason(step, text: str) -> str | None:
    doc = run(step, text)
    return doc.removed["reason"] if doc.removed else None


def prose(n_sentences: int) -> str:
    return " ".join([SENTENCE] * n_sentences)


# ---- gopher_quality ---------------------------------------------------------


def test_word_count_bounds() -> None:
    q = GopherQuality(min_words=10, max_words=20)
    assert reason(q, "one two three") == "gopher_short_doc"
    assert reason(q, " ".join(["word"] * 21)) == "gopher_long_doc"
    assert run(q, SENTENCE).signals["gopher_word_count"] == 15  # the final "." is a symbol
    assert reason(q, SENTENCE) is None


def test_mean_word_length() -> None:
    q = GopherQuality(min_words=1, min_stop_words=None)
    assert reason(q, "a b c d e f g") == "gopher_below_avg_threshold"
    assert reason(q, "incomprehensibilities " * 5) == "gopher_above_avg_threshold"
    assert reason(q, "house garden window") is None


def test_symbol_ratios() -> None:
    q = GopherQuality(min_words=1, min_stop_words=None, max_bullet_lines_ratio=None)
    assert reason(q, SENTENCE + " #a #b #c") == "gopher_too_many_hashes"  # 3 / 22 tokens
    assert run(q, SENTENCE + " #a").signals["gopher_hash_word_ratio"] == pytest.approx(1 / 18)
    assert reason(q, SENTENCE + " and... so… then...") == "gopher_too_many_ellipsis"
    assert reason(q, "\n".join([SENTENCE + " and...", SENTENCE, SENTENCE, SENTENCE])) is None


def test_line_ratios() -> None:
    q = GopherQuality(min_words=1, min_stop_words=None)
    bullets = "\n".join(f"- the {w}garden item of the house" for w in "abcdefghij")
    assert reason(q, bullets) == "gopher_too_many_bullets"
    nine = "\n".join(bullets.splitlines()[:9])
    assert reason(q, nine + "\nThe last line is prose.") is None  # 9/10 is not > 0.9
    ends = "\n".join(["The garden of the house and then...", SENTENCE, SENTENCE])
    assert reason(q, ends) == "gopher_too_many_end_ellipsis"  # 1/3 > 0.3
    assert reason(q, ends + "\n" + SENTENCE) is None  # 1/4


def test_alpha_words_and_stop_words() -> None:
    q = GopherQuality(min_words=1, max_mean_word_length=None, min_mean_word_length=None)
    assert reason(q, "the and 12 34 56 78 90 11") == "gopher_below_alpha_threshold"
    assert reason(q, "cat dog house garden") == "gopher_enough_stop_words"
    assert reason(q, "the cat and dog") is None
    assert run(q, "The cat and dog").signals["gopher_stop_words"] == 1  # case-sensitive


def test_none_threshold_keeps_signal_only() -> None:
    off = {k: None for k in GopherQuality().settings() if k != "stop_words"}
    doc = run(GopherQuality(**off), "x")
    assert doc.removed is None
    assert doc.signals["gopher_word_count"] == 1


def test_defaults_are_datatrove_and_validated() -> None:
    q = GopherQuality()
    assert (q.min_words, q.max_words, q.min_stop_words) == (50, 100_000, 2)
    assert reason(q, prose(5)) is None
    with pytest.raises(ConfigError, match="min_words"):
        GopherQuality(min_words=-1)
    with pytest.raises(ConfigError, match="stop_words"):
        GopherQuality(stop_words=[""])
    assert pickle.loads(pickle.dumps(q)).settings() == q.settings()


# ---- gopher_repetition ------------------------------------------------------


def test_duplicate_paragraphs_and_lines() -> None:
    r = GopherRepetition()
    assert reason(r, "") == "empty"
    para = "\n\n".join([SENTENCE, SENTENCE, "Another paragraph here."])
    assert reason(r, para) == "dup_para_frac"  # 1/3 > 0.3
    lines = "\n".join(["Short line one.", "Short line one.", "x " * 200, "y " * 200])
    assert run(r, lines).signals["gopher_dup_line_frac"] == 0.25
    assert reason(GopherRepetition(max_dup_line_frac=0.2, max_dup_para_frac=None), lines) == (
        "dup_line_frac"
    )
    chars = "\n".join(["A long line that repeats itself." * 3] * 2 + ["Other text here."] * 1)
    r2 = GopherRepetition(max_dup_line_frac=None, max_dup_para_frac=None)
    assert reason(r2, chars) == "dup_line_char_frac"


def test_top_ngram_fraction() -> None:
    r = GopherRepetition(max_dup_line_frac=None, max_dup_para_frac=None)
    text = "red fox " * 10 + " ".join(f"w{i}" for i in range(60))
    doc = run(r, text)
    # "red fox" (7 characters) occurs 10 times.
    assert doc.signals["gopher_top_2gram_char_frac"] == pytest.approx(70 / len(text))
    assert doc.removed == {"step": "gopher_repetition", "reason": "top_2_gram"}
    doc = run(r, " ".join(f"w{i}" for i in range(100)))
    assert doc.removed is None


def test_duplicated_ngram_fraction_is_greedy() -> None:
    r = GopherRepetition(**{f"max_top_{n}gram_char_frac": None for n in (2, 3, 4)})
    block = "alpha beta gamma delta epsilon zeta"
    text = block + " " + block + " " + " ".join(f"u{i}" for i in range(20))
    doc = run(r, text)
    # The walk meets the first repeated 5-gram at the second "alpha" and jumps 5 words.
    assert doc.signals["gopher_dup_5gram_char_frac"] == pytest.approx(
        len("alphabetagammadeltaepsilon") / len(text)
    )
    assert doc.signals["gopher_dup_6gram_char_frac"] == pytest.approx(
        len("alphabetagammadeltaepsilonzeta") / len(text)
    )
    assert doc.removed is not None and doc.removed["reason"] == "duplicated_5_n_grams"
    assert doc.signals["gopher_dup_10gram_char_frac"] == 0


def test_repetition_settings_via_registry() -> None:
    step = build_step("gopher_repetition", {"max_dup_10gram_char_frac": None})
    assert step.settings()["max_dup_10gram_char_frac"] is None
    with pytest.raises(ConfigError):
        build_step("gopher_repetition", {"max_dup_line_frac": -0.1})


def test_english_stop_word_rule_skips_other_languages() -> None:
    from thresher.document import Document
    from thresher.steps.quality.gopher import GopherQuality

    text = " ".join(["Unas personas participaron en la manifestación del centro"] * 8)
    es = Document(id="es", text=text, lang="es")
    unknown = Document(id="x", text=text)
    step = GopherQuality()
    step.process(es)
    step.process(unknown)
    assert es.removed is None
    assert unknown.removed == {"step": "gopher_quality", "reason": "gopher_enough_stop_words"}
    strict = Document(id="s", text=text, lang="es")
    GopherQuality(stop_words_languages=None).process(strict)
    assert strict.removed is not None


def test_repetition_signals_are_the_same_without_the_c_extension(monkeypatch) -> None:
    # thresher._ngrams (when built) and the numpy fallback give identical signals.
    texts = [
        "",
        "word",
        prose(12),
        "buy now buy now buy now cheap cheap cheap deals deals " * 20,
        "\n\n".join(f"Item {i}: the best of the best of the best, {i % 3}." for i in range(40)),
        "one two three four five six seven eight nine ten " * 3 + "eleven twelve",
    ]
    step = GopherRepetition()
    ours = [run(step, t).signals for t in texts]
    monkeypatch.setattr(ngrams, "compiled", None)
    fallback = [run(step, t).signals for t in texts]
    assert ours == fallback
    assert any(s["gopher_dup_5gram_char_frac"] > 0 for s in fallback)
    assert any(s["gopher_top_2gram_char_frac"] > 0.2 for s in fallback)
