"""FineWeb's quality filter (Penedo et al. 2024, "The FineWeb Datasets:
Decanting the Web for the Finest Text Data at Scale", section 3.5), with the
rules, defaults and reason names of DataTrove 0.10.1 (``FineWebQualityFilter``).
"""

from __future__ import annotations

from operator import methodcaller

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter
from thresher.steps.quality.text import TERMINAL_PUNCTUATION, BatchAnalyzed, ratio
from thresher.steps.quality.tokenizer import vocab


class FineWeb(BatchAnalyzed, Filter):
    """FineWeb's three custom rules plus a list-likeness rule.

    Over the non-blank lines (``text.split("\\n")``), remove a document, in this
    order, when it has none (``empty``); when the share of lines ending in
    terminal punctuation (DataTrove's TERMINAL_PUNCTUATION, many scripts) is
    below ``min_line_punct_ratio`` (``line_punct_ratio``; with
    ``line_punct_exclude_zero`` a ratio of exactly 0 passes); when the share of
    lines of at most ``short_line_length`` characters exceeds
    ``max_short_line_ratio`` (``short_line_ratio``); when characters in lines
    repeating an earlier line exceed ``max_char_dup_ratio`` of the non-newline
    characters (``char_dup_ratio``); when newlines per spaCy word exceed
    ``max_newline_ratio`` (``list_ratio``).
    """

    name = "fineweb"
    version = 1

    def __init__(
        self,
        *,
        min_line_punct_ratio: float | None = 0.12,
        line_punct_exclude_zero: bool = False,
        max_short_line_ratio: float | None = 0.67,
        short_line_length: int = 30,
        max_char_dup_ratio: float | None = 0.01,
        max_newline_ratio: float | None = 0.3,
    ) -> None:
        for key, value in (
            ("min_line_punct_ratio", min_line_punct_ratio),
            ("max_short_line_ratio", max_short_line_ratio),
            ("short_line_length", short_line_length),
            ("max_char_dup_ratio", max_char_dup_ratio),
            ("max_newline_ratio", max_newline_ratio),
        ):
            if value is not None and value < 0:
                raise ConfigError(f"fineweb: {key} must be >= 0 or null, got {value}")
        self.min_line_punct_ratio = min_line_punct_ratio
        self.line_punct_exclude_zero = line_punct_exclude_zero
        self.max_short_line_ratio = max_short_line_ratio
        self.short_line_length = short_line_length
        self.max_char_dup_ratio = max_char_dup_ratio
        self.max_newline_ratio = max_newline_ratio

    def annotate(self, doc: Document) -> None:
        text = doc.text
        # Non-blank lines; the counts below map C-level predicates over them.
        lines = list(filter(str.strip, text.split("\n")))
        sig = doc.signals
        sig["fineweb_lines"] = len(lines)
        n = len(lines)
        short = self.short_line_length
        punct = sum(map(methodcaller("endswith", TERMINAL_PUNCTUATION), lines))
        sig["fineweb_line_punct_ratio"] = ratio(punct, n)
        sig["fineweb_short_line_ratio"] = ratio(sum(map(short.__ge__, map(len, lines))), n)
        unique = set(lines)
        dup_chars = sum(map(len, lines)) - sum(map(len, unique))
        sig["fineweb_char_dup_ratio"] = ratio(dup_chars, len(text) - text.count("\n"))
        sig["fineweb_newline_ratio"] = ratio(text.count("\n"), len(vocab().tokenize(text)))

    def decide(self, doc: Document) -> str | None:
        s = doc.signals
        if not s["fineweb_lines"]:
            return "empty"
        limit = self.min_line_punct_ratio
        value = s["fineweb_line_punct_ratio"]
        if (
            limit is not None
            and value < limit
            and not (value == 0 and self.line_punct_exclude_zero)
        ):
            return "line_punct_ratio"
        limit = self.max_short_line_ratio
        if limit is not None and s["fineweb_short_line_ratio"] > limit:
            return "short_line_ratio"
        limit = self.max_char_dup_ratio
        if limit is not None and s["fineweb_char_dup_ratio"] > limit:
            return "char_dup_ratio"
        limit = self.max_newline_ratio
        if limit is not None and s["fineweb_newline_ratio"] > limit:
            return "list_ratio"
        return None
