"""Gopher quality and repetition filters (Rae et al. 2021, "Scaling Language
Models: Methods, Analysis & Insights from Training Gopher", appendix A1.1 and
Table A1), with the rules, thresholds and reason names of DataTrove 0.10.1
(``GopherQualityFilter``, ``GopherRepetitionFilter``).

Words are spaCy English tokens (see :mod:`thresher.steps.quality.tokenizer`),
as in DataTrove; every quantity a rule tests is stored as a signal.
"""

from __future__ import annotations

import re
from operator import methodcaller
from typing import Any, ClassVar

import numpy as np

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter
from thresher.steps.quality.ngrams import repetition_chars
from thresher.steps.quality.text import BatchAnalyzed, ratio
from thresher.steps.quality.tokenizer import Vocab, vocab

_STARTS_BULLET = methodcaller("startswith", ("•", "-"))
_ENDS_ELLIPSIS = methodcaller("endswith", ("...", "…"))

#: Gopher's stop words (DataTrove STOP_WORDS); a document needs two of them.
STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


def _check(step: str, **values: float | None) -> None:
    for key, value in values.items():
        if value is not None and value < 0:
            raise ConfigError(f"{step}: {key} must be >= 0 or null, got {value}")


class GopherQuality(BatchAnalyzed, Filter):
    """Gopher's document-quality rules (Rae et al. 2021, A1.1 "Quality filtering").

    Remove a document when, in this order (first failing rule gives the reason):
    its non-symbol words (spaCy tokens with a character outside DataTrove's
    punctuation set) are fewer than ``min_words`` (``gopher_short_doc``) or more
    than ``max_words`` (``gopher_long_doc``); their mean length in characters
    is below ``min_mean_word_length`` or above ``max_mean_word_length``; ``#``
    or ellipses (``...``, ``…``) per token exceed ``max_symbol_word_ratio``; the
    share of lines starting with a bullet (``•``, ``-``) exceeds
    ``max_bullet_lines_ratio`` or ending with an ellipsis exceeds
    ``max_ellipsis_lines_ratio``; tokens with a letter are under
    ``min_alpha_words_ratio``; fewer than ``min_stop_words`` distinct
    ``stop_words`` occur.

    The stop words are English (DataTrove's list), so that last rule is applied
    only to documents whose ``lang`` is in ``stop_words_languages`` or unknown
    (``None`` applies it to every document, as DataTrove does); otherwise a
    German or Spanish page would always fail it.
    """

    name = "gopher_quality"
    version = 1
    transient: ClassVar[dict[str, Any]] = {"_stop_mask": None, "_stop_gen": -1}

    def __init__(
        self,
        *,
        min_words: int | None = 50,
        max_words: int | None = 100_000,
        min_mean_word_length: float | None = 3,
        max_mean_word_length: float | None = 10,
        max_symbol_word_ratio: float | None = 0.1,
        max_bullet_lines_ratio: float | None = 0.9,
        max_ellipsis_lines_ratio: float | None = 0.3,
        min_alpha_words_ratio: float | None = 0.8,
        min_stop_words: int | None = 2,
        stop_words: list[str] | None = None,
        stop_words_languages: list[str] | None = ["en"],  # noqa: B006 - never mutated
    ) -> None:
        _check(
            self.name,
            min_words=min_words,
            max_words=max_words,
            min_mean_word_length=min_mean_word_length,
            max_mean_word_length=max_mean_word_length,
            max_symbol_word_ratio=max_symbol_word_ratio,
            max_bullet_lines_ratio=max_bullet_lines_ratio,
            max_ellipsis_lines_ratio=max_ellipsis_lines_ratio,
            min_alpha_words_ratio=min_alpha_words_ratio,
            min_stop_words=min_stop_words,
        )
        if stop_words is not None and not all(isinstance(w, str) and w for w in stop_words):
            raise ConfigError(f"{self.name}: stop_words must be a list of non-empty strings")
        self.min_words = min_words
        self.max_words = max_words
        self.min_mean_word_length = min_mean_word_length
        self.max_mean_word_length = max_mean_word_length
        self.max_symbol_word_ratio = max_symbol_word_ratio
        self.max_bullet_lines_ratio = max_bullet_lines_ratio
        self.max_ellipsis_lines_ratio = max_ellipsis_lines_ratio
        self.min_alpha_words_ratio = min_alpha_words_ratio
        self.min_stop_words = min_stop_words
        self.stop_words = list(STOP_WORDS) if stop_words is None else list(stop_words)
        self.stop_words_languages = (
            None if stop_words_languages is None else list(stop_words_languages)
        )
        self._stop_mask: np.ndarray | None = None
        self._stop_gen = -1

    def _stop_word_mask(self, v: Vocab) -> np.ndarray:
        """A boolean per vocabulary id: is it one of the stop words?"""
        mask = self._stop_mask
        if self._stop_gen != v.generation or mask is None or len(mask) < len(v.length):
            ids = [v.add(w) for w in self.stop_words]
            mask = np.zeros(len(v.length), np.bool_)
            mask[ids] = True
            self._stop_mask = mask
            self._stop_gen = v.generation
        return mask

    def annotate(self, doc: Document) -> None:
        text = doc.text
        v = vocab()
        tokens = v.analyze(text)
        ids = tokens.ids
        n_tokens = len(ids)
        nonsym = v.nonsymbol[ids]
        n_words = int(np.count_nonzero(nonsym))
        mean_len = float(v.length[ids[nonsym]].mean()) if n_words else 0.0
        lines = tokens.lines
        bullets = sum(map(_STARTS_BULLET, map(str.lstrip, lines)))
        ellipsis_end = sum(map(_ENDS_ELLIPSIS, map(str.rstrip, lines)))
        # Distinct stop words present (the mask is built after the text's words
        # are in the vocabulary, so it covers every id of ``ids``).
        stop = len(set(ids[self._stop_word_mask(v)[ids]].tolist()))
        sig = doc.signals
        sig["gopher_word_count"] = n_words
        sig["gopher_mean_word_length"] = mean_len
        sig["gopher_hash_word_ratio"] = ratio(text.count("#"), n_tokens)
        sig["gopher_ellipsis_word_ratio"] = ratio(text.count("...") + text.count("…"), n_tokens)
        sig["gopher_bullet_lines_frac"] = ratio(bullets, len(lines))
        sig["gopher_ellipsis_lines_frac"] = ratio(ellipsis_end, len(lines))
        sig["gopher_alpha_words_frac"] = ratio(int(np.count_nonzero(v.alpha[ids])), n_tokens)
        sig["gopher_stop_words"] = stop

    def decide(self, doc: Document) -> str | None:
        s = doc.signals
        n = s["gopher_word_count"]
        if self.min_words is not None and n < self.min_words:
            return "gopher_short_doc"
        if self.max_words is not None and n > self.max_words:
            return "gopher_long_doc"
        mean = s["gopher_mean_word_length"]
        # DataTrove: the mean of no words is NaN, which passes both bounds.
        if n and self.min_mean_word_length is not None and mean < self.min_mean_word_length:
            return "gopher_below_avg_threshold"
        if n and self.max_mean_word_length is not None and mean > self.max_mean_word_length:
            return "gopher_above_avg_threshold"
        limit = self.max_symbol_word_ratio
        if limit is not None and s["gopher_hash_word_ratio"] > limit:
            return "gopher_too_many_hashes"
        if limit is not None and s["gopher_ellipsis_word_ratio"] > limit:
            return "gopher_too_many_ellipsis"
        limit = self.max_bullet_lines_ratio
        if limit is not None and s["gopher_bullet_lines_frac"] > limit:
            return "gopher_too_many_bullets"
        limit = self.max_ellipsis_lines_ratio
        if limit is not None and s["gopher_ellipsis_lines_frac"] > limit:
            return "gopher_too_many_end_ellipsis"
        limit = self.min_alpha_words_ratio
        if limit is not None and s["gopher_alpha_words_frac"] < limit:
            return "gopher_below_alpha_threshold"
        langs = self.stop_words_languages
        applies = langs is None or doc.lang is None or doc.lang in langs
        if (
            applies
            and self.min_stop_words is not None
            and s["gopher_stop_words"] < self.min_stop_words
        ):
            # DataTrove's name for "too few stop words".
            return "gopher_enough_stop_words"
        return None


_PARAGRAPH = re.compile(r"\n{2,}")
TOP_NGRAMS = (2, 3, 4)
DUP_NGRAMS = (5, 6, 7, 8, 9, 10)
_NGRAM_SIGNALS = tuple(
    [f"gopher_top_{n}gram_char_frac" for n in TOP_NGRAMS]
    + [f"gopher_dup_{n}gram_char_frac" for n in DUP_NGRAMS]
)


def _duplicates(parts: list[str]) -> tuple[int, int]:
    """(elements, characters) that repeat an earlier element (DataTrove ``find_duplicates``)."""
    unique = set(parts)
    return len(parts) - len(unique), sum(map(len, parts)) - sum(map(len, unique))


class GopherRepetition(BatchAnalyzed, Filter):
    """Gopher's repetition rules (Rae et al. 2021, Table A1).

    Remove a document whose repeated paragraphs (split on blank lines) or lines
    make up too large a share of its paragraphs / lines (``max_dup_para_frac``,
    ``max_dup_line_frac``, 0.30) or of its characters (``max_dup_para_char_frac``,
    ``max_dup_line_char_frac``, 0.20); whose most frequent word 2-, 3-, 4-gram
    covers more than 0.20 / 0.18 / 0.16 of the characters (its length with
    spaces times its count, over the text length); or whose repeated 5- to
    10-grams (counted greedily left to right, a repeat skipping its n words)
    cover more than 0.15 ... 0.10 of the characters. Rules are tested in that
    order; the reason names are DataTrove's (``dup_para_frac``, ``top_2_gram``,
    ``duplicated_5_n_grams``...). The top n-gram fraction counts overlapping
    occurrences, so it can exceed 1 on a text such as ``"a a a a"``.
    """

    name = "gopher_repetition"
    version = 1

    def __init__(
        self,
        *,
        max_dup_para_frac: float | None = 0.3,
        max_dup_para_char_frac: float | None = 0.2,
        max_dup_line_frac: float | None = 0.3,
        max_dup_line_char_frac: float | None = 0.2,
        max_top_2gram_char_frac: float | None = 0.20,
        max_top_3gram_char_frac: float | None = 0.18,
        max_top_4gram_char_frac: float | None = 0.16,
        max_dup_5gram_char_frac: float | None = 0.15,
        max_dup_6gram_char_frac: float | None = 0.14,
        max_dup_7gram_char_frac: float | None = 0.13,
        max_dup_8gram_char_frac: float | None = 0.12,
        max_dup_9gram_char_frac: float | None = 0.11,
        max_dup_10gram_char_frac: float | None = 0.10,
    ) -> None:
        settings = {k: v for k, v in locals().items() if k.startswith("max_")}
        _check(self.name, **settings)
        self.max_dup_para_frac = max_dup_para_frac
        self.max_dup_para_char_frac = max_dup_para_char_frac
        self.max_dup_line_frac = max_dup_line_frac
        self.max_dup_line_char_frac = max_dup_line_char_frac
        self.max_top_2gram_char_frac = max_top_2gram_char_frac
        self.max_top_3gram_char_frac = max_top_3gram_char_frac
        self.max_top_4gram_char_frac = max_top_4gram_char_frac
        self.max_dup_5gram_char_frac = max_dup_5gram_char_frac
        self.max_dup_6gram_char_frac = max_dup_6gram_char_frac
        self.max_dup_7gram_char_frac = max_dup_7gram_char_frac
        self.max_dup_8gram_char_frac = max_dup_8gram_char_frac
        self.max_dup_9gram_char_frac = max_dup_9gram_char_frac
        self.max_dup_10gram_char_frac = max_dup_10gram_char_frac

    def annotate(self, doc: Document) -> None:
        text = doc.text
        sig = doc.signals
        n_chars = len(text)
        stripped = text.strip()
        paragraphs = _PARAGRAPH.split(stripped) if "\n\n" in stripped else [stripped]
        dup, dup_chars = _duplicates(paragraphs)
        sig["gopher_dup_para_frac"] = ratio(dup, len(paragraphs))
        sig["gopher_dup_para_char_frac"] = ratio(dup_chars, n_chars)
        # re.split("\n+", text), without the regex: inner empty parts dropped.
        parts = text.split("\n")
        if len(parts) > 2:
            lines = [parts[0], *filter(None, parts[1:-1]), parts[-1]]
        else:
            lines = parts
        dup, dup_chars = _duplicates(lines)
        sig["gopher_dup_line_frac"] = ratio(dup, len(lines))
        sig["gopher_dup_line_char_frac"] = ratio(dup_chars, n_chars)
        v = vocab()
        top, dups = repetition_chars(v.tokenize(text), v.hash, v.length, TOP_NGRAMS, DUP_NGRAMS)
        for key, chars in zip(_NGRAM_SIGNALS, (*top, *dups), strict=True):
            sig[key] = ratio(chars, n_chars)

    def decide(self, doc: Document) -> str | None:
        if not doc.text:
            return "empty"
        s = doc.signals
        for key, limit, reason in (
            ("gopher_dup_para_frac", self.max_dup_para_frac, "dup_para_frac"),
            ("gopher_dup_para_char_frac", self.max_dup_para_char_frac, "dup_para_char_frac"),
            ("gopher_dup_line_frac", self.max_dup_line_frac, "dup_line_frac"),
            ("gopher_dup_line_char_frac", self.max_dup_line_char_frac, "dup_line_char_frac"),
        ):
            if limit is not None and s[key] > limit:
                return reason
        for n in TOP_NGRAMS:
            limit = getattr(self, f"max_top_{n}gram_char_frac")
            if limit is not None and s[f"gopher_top_{n}gram_char_frac"] > limit:
                return f"top_{n}_gram"
        for n in DUP_NGRAMS:
            limit = getattr(self, f"max_dup_{n}gram_char_frac")
            if limit is not None and s[f"gopher_dup_{n}gram_char_frac"] > limit:
                return f"duplicated_{n}_n_grams"
        return None
