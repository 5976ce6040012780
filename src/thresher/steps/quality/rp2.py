"""RedPajama-V2 natural-language quality signals (Together AI 2023, "RedPajama-Data-v2:
an Open Dataset with 30 Trillion Tokens for Training Large Language Models";
``app/src/core/quality_signals/{natural_language,lines,content}.py``).

Only the signals the Gopher, C4 and FineWeb steps do not already compute;
RPv2's per-line signals are reported as one number per document (a fraction of
lines, or a total). Signal only: no thresholds by default.
"""

from __future__ import annotations

import math
import re
import string
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter
from thresher.steps.quality.text import ratio

_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
# A word (a run of non-whitespace, as str.split() cuts) with an ASCII letter:
# anchored at the word's start, so each word is tried once.
_WORD_WITH_ALPHA = re.compile(r"(?<!\S)\S*?[a-zA-Z]")
_PUNCT = str.maketrans("", "", string.punctuation)
# RPv2 lines.py RPS_Lines_Start_With_Bulletpoint
_BULLETS = (
    "\u2022",
    "\u2023",
    "\u25b6",
    "\u25c0",
    "\u25e6",
    "\u25a0",
    "\u25a1",
    "\u25aa",
    "\u25ab",
    "\u2013",
)
_TERMINAL = (".", "!", "?", '"')

#: The signals this step writes, with RPv2's names.
SIGNALS = (
    "rps_doc_word_count",
    "rps_doc_mean_word_length",
    "rps_doc_num_sentences",
    "rps_doc_symbol_to_word_ratio",
    "rps_doc_frac_lines_end_with_ellipsis",
    "rps_doc_frac_no_alph_words",
    "rps_doc_frac_unique_words",
    "rps_doc_unigram_entropy",
    "rps_doc_frac_all_caps_words",
    "rps_doc_lorem_ipsum",
    "rps_doc_curly_bracket",
    "rps_lines_ending_with_terminal_punctution_mark",
    "rps_lines_start_with_bulletpoint",
    "rps_lines_javascript_counts",
    "rps_lines_numerical_chars_fraction",
    "rps_lines_uppercase_letter_fraction",
)


def normalize(text: str) -> str:
    """RPv2's normalization: lowercase, ASCII punctuation removed, whitespace
    collapsed, accents stripped (NFD without combining marks)."""
    text = " ".join(text.lower().translate(_PUNCT).split())
    if text.isascii():
        return text  # NFD leaves ASCII alone and it has no combining marks
    points = _code_points(unicodedata.normalize("NFD", text))
    combining = _char_tables()[2]
    return str(points[~combining[points]].tobytes().decode("utf-32-le", "surrogatepass"))


@lru_cache(1)
def _char_tables() -> tuple[Any, Any, Any]:
    """Boolean tables over all code points: str.isdigit, str.isupper, and
    unicodedata.combining() != 0 (built once per process, about 0.3 s)."""
    chars = [chr(i) for i in range(sys.maxunicode + 1)]
    n = len(chars)
    digit = np.fromiter((c.isdigit() for c in chars), bool, n)
    upper = np.fromiter((c.isupper() for c in chars), bool, n)
    combining = np.fromiter((unicodedata.combining(c) != 0 for c in chars), bool, n)
    return digit, upper, combining


def _code_points(text: str) -> Any:
    # surrogatepass: a lone surrogate (possible in decoded JSON) is kept as itself
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _count_digits_upper(text: str) -> tuple[int, int]:
    """How many characters of ``text`` are digits (str.isdigit) and uppercase."""
    if text.isascii():
        raw = text.encode("ascii")
        return (
            len(raw.translate(None, _NOT_ASCII_DIGIT)),
            len(raw.translate(None, _NOT_ASCII_UPPER)),
        )
    digit, upper, _ = _char_tables()
    points = _code_points(text)
    return int(digit[points].sum()), int(upper[points].sum())


_NOT_ASCII_DIGIT = bytes(b for b in range(128) if not chr(b).isdigit())
_NOT_ASCII_UPPER = bytes(b for b in range(128) if not chr(b).isupper())


class RedPajamaSignals(Filter):
    """RedPajama-V2 natural-language signals of ``doc.text``.

    Words are whitespace-separated (``rps_doc_word_count``, mean length,
    unique fraction and unigram entropy use the normalized text); sentences
    match ``\\b[^.!?]+[.!?]*``; lines are ``text.split("\\n")``. Fractions of
    lines end with ``. ! ? "`` or start with a bullet (``• ‣ ▶ ◀ ◦ ■ □ ▪ ▫ –``);
    ``rps_lines_numerical_chars_fraction`` and ``rps_lines_uppercase_letter_fraction``
    are digits and uppercase letters per non-whitespace / all characters.
    ``thresholds`` maps a signal name to ``[min, max]`` (either may be null) to
    remove documents outside that range; empty by default.
    """

    name = "rp2_signals"
    version = 1

    def __init__(self, *, thresholds: dict[str, list[float | None]] | None = None) -> None:
        thresholds = dict(thresholds or {})
        for key, bounds in thresholds.items():
            if key not in SIGNALS:
                raise ConfigError(
                    f"rp2_signals: unknown signal {key!r} in thresholds; choose from: "
                    + ", ".join(SIGNALS)
                )
            if not isinstance(bounds, list | tuple) or len(bounds) != 2:
                raise ConfigError(f"rp2_signals: thresholds[{key!r}] must be [min, max]")
        self.thresholds = {k: list(v) for k, v in thresholds.items()}

    def annotate(self, doc: Document) -> None:
        text = doc.text
        sig = doc.signals
        raw_words = text.split()
        n_raw = len(raw_words)
        norm = normalize(text)
        words = norm.split()
        n = len(words)
        counts = Counter(words)
        sig["rps_doc_word_count"] = n
        sig["rps_doc_mean_word_length"] = ratio(sum(map(len, words)), n)
        sig["rps_doc_num_sentences"] = len(_SENTENCE.findall(text))
        symbols = text.count("#") + text.count("...") + text.count("…")
        sig["rps_doc_symbol_to_word_ratio"] = ratio(symbols, n_raw)
        lines = text.split("\n")
        ellipsis = sum(1 for line in lines if line.rstrip().endswith(("...", "…")))
        sig["rps_doc_frac_lines_end_with_ellipsis"] = ratio(ellipsis, len(lines))
        with_alpha = len(_WORD_WITH_ALPHA.findall(text))
        sig["rps_doc_frac_no_alph_words"] = 1.0 - ratio(with_alpha, n_raw) if n_raw else 0.0
        sig["rps_doc_frac_unique_words"] = ratio(len(counts), n)
        sig["rps_doc_unigram_entropy"] = (
            -sum(c / n * math.log(c / n) for c in counts.values()) if n else 0.0
        )
        sig["rps_doc_frac_all_caps_words"] = ratio(sum(map(str.isupper, raw_words)), n_raw)
        sig["rps_doc_lorem_ipsum"] = ratio(norm.count("lorem ipsum"), len(norm))
        sig["rps_doc_curly_bracket"] = ratio(text.count("{") + text.count("}"), len(text))
        ends = sum(1 for line in lines if line.rstrip().endswith(_TERMINAL))
        sig["rps_lines_ending_with_terminal_punctution_mark"] = ratio(ends, len(lines))
        bullets = sum(1 for line in lines if line.lstrip().startswith(_BULLETS))
        sig["rps_lines_start_with_bulletpoint"] = ratio(bullets, len(lines))
        sig["rps_lines_javascript_counts"] = text.lower().count("javascript")
        non_space = len(text) - sum(text.count(c) for c in (" ", "\n", "\t", "\r"))
        digits, upper = _count_digits_upper(text)
        sig["rps_lines_numerical_chars_fraction"] = min(1.0, ratio(digits, non_space))
        sig["rps_lines_uppercase_letter_fraction"] = ratio(upper, len(text))

    def decide(self, doc: Document) -> str | None:
        for key, (low, high) in self.thresholds.items():
            value = doc.signals[key]
            if low is not None and value < low:
                return f"{key}_below_min"
            if high is not None and value > high:
                return f"{key}_above_max"
        return None
