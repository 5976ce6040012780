"""C4's heuristic cleaning and bad-word filter (Raffel et al. 2020, "Exploring the
Limits of Transfer Learning with a Unified Text-to-Text Transformer", section
2.2), with the rules, defaults and reason names of DataTrove 0.10.1
(``C4QualityFilter``, ``C4BadWordsFilter``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any, ClassVar

import numpy as np
import xxhash

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter
from thresher.steps.quality.text import BatchAnalyzed, ratio
from thresher.steps.quality.tokenizer import vocab

CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
END_PUNCTUATION = (".", "?", "!", '"', "'")
POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)

# ODD_SPACE, newlines aside: a precheck on the whole text.
_ODD_INLINE = re.compile(r"[^\S \n]| {2}")
_ENDS_PUNCT = methodcaller("endswith", END_PUNCTUATION)
_ENDS_ELLIPSIS = methodcaller("endswith", "...")
_HAS_BRACKET = methodcaller("__contains__", "[")
_POLICY = re.compile("|".join(map(re.escape, POLICY_SUBSTRINGS)))
# Every policy phrase contains one of these (a cheap substring precheck).
POLICY_HINTS = ("cookie", "privacy policy", "terms of use")
# Whitespace (str.isspace, which is re's \s) other than space and newline:
# ASCII, then the rest (tests/steps/test_quality_c4.py checks the list).
_ASCII_ODD_SPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"
_ODD_SPACE_CHARS = _ASCII_ODD_SPACE + (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ODD_SPACE_CLASS = re.compile(f"[{re.escape(_ODD_SPACE_CHARS)}]")


def _odd_space(text: str, *, newline: bool) -> bool:
    """Whether ``text`` holds two spaces in a row or whitespace other than a space
    (or a newline, unless ``newline``): ``ODD_SPACE.search`` (``_ODD_INLINE`` with
    ``newline``) as a few substring scans, or one character class on non-ASCII text."""
    if "  " in text or (not newline and "\n" in text):
        return True
    if not text.isascii():
        return _ODD_SPACE_CLASS.search(text) is not None
    return (
        "\t" in text
        or "\r" in text
        or "\x0b" in text
        or "\x0c" in text
        or "\x1c" in text
        or "\x1d" in text
        or "\x1e" in text
        or "\x1f" in text
    )


class C4(BatchAnalyzed, Filter):
    """C4's line cleaning and page rules (Raffel et al. 2020, 2.2 "C4").

    Each line (``str.splitlines``, stripped) is dropped, in this order, when a
    whitespace-separated word is longer than ``max_word_length`` characters
    (``too_long_word``); after removing Wikipedia citation marks (``[1]``,
    ``[edit]``, ``[citation needed]``) it does not end in ``. ? ! " '`` or ends
    in ``...`` (``no_terminal_punct``); it has fewer than ``min_words_per_line``
    words (``too_few_words``); it mentions "javascript" (``javascript``); it
    mentions a terms-of-use / privacy / cookie phrase (``policy``). The page is
    removed when a surviving line contains "lorem ipsum" (``lorem_ipsum``) or a
    curly bracket (``curly_bracket``; tested after the javascript rule), or when
    the kept lines hold fewer than ``min_sentences`` sentences (spaCy's
    sentencizer, ``too_few_sentences``). A kept page's text becomes its kept
    lines joined with newlines; every dropped non-empty line and citation mark
    is recorded with ``doc.record_edit("c4", reason, text)``.
    """

    name = "c4"
    version = 1
    transient: ClassVar[dict[str, Any]] = {"_pending": None}

    def __init__(
        self,
        *,
        min_sentences: int | None = 5,
        min_words_per_line: int | None = 3,
        max_word_length: int | None = 1000,
        remove_citations: bool = True,
        filter_no_terminal_punct: bool = True,
        filter_javascript: bool = True,
        filter_policy: bool = True,
        filter_lorem_ipsum: bool = True,
        filter_curly_bracket: bool = True,
    ) -> None:
        for key, value in (
            ("min_sentences", min_sentences),
            ("min_words_per_line", min_words_per_line),
            ("max_word_length", max_word_length),
        ):
            if value is not None and value < 0:
                raise ConfigError(f"c4: {key} must be >= 0 or null, got {value}")
        self.min_sentences = min_sentences
        self.min_words_per_line = min_words_per_line
        self.max_word_length = max_word_length
        self.remove_citations = remove_citations
        self.filter_no_terminal_punct = filter_no_terminal_punct
        self.filter_javascript = filter_javascript
        self.filter_policy = filter_policy
        self.filter_lorem_ipsum = filter_lorem_ipsum
        self.filter_curly_bracket = filter_curly_bracket
        # (doc, page reason) of the last annotate(), read back by decide().
        self._pending: tuple[Document, str | None] | None = None

    def annotate(self, doc: Document) -> None:
        max_len = self.max_word_length
        min_words = self.min_words_per_line
        v = vocab()
        tokens = v.analyze(doc.text)
        kept: list[str] = []
        kept_idx: list[int] = []
        # Sentences are counted from the analyzed tokens of "plain" kept lines;
        # lines changed by citation removal, or holding whitespace runs (which
        # the sentencizer sees as tokens), are tokenized again.
        plain: list[int] = []
        odd: list[str] = []
        changed = False
        edits: list[tuple[int, str, str]] = []
        page_reason: str | None = None
        lorem = curly = 0
        # Whitespace runs inside lines (not at their ends) matter to sentences.
        odd_doc = _odd_space(doc.text, newline=True)
        lines = list(map(str.strip, tokens.lines))
        count = len(lines)
        nonempty = np.fromiter(map(bool, lines), np.bool_, count)
        n_lines = int(np.count_nonzero(nonempty))
        todo = nonempty
        if self.filter_no_terminal_punct and n_lines:
            # Most lines fail terminal punctuation; those with no citation mark
            # to strip first, and no over-long word to report first, are
            # removed here without the per-line rules below.
            ends = np.fromiter(map(_ENDS_PUNCT, lines), np.bool_, count)
            ends &= ~np.fromiter(map(_ENDS_ELLIPSIS, lines), np.bool_, count)
            fails = nonempty & ~ends & ~np.fromiter(map(_HAS_BRACKET, lines), np.bool_, count)
            if max_len is not None:
                fails &= np.fromiter(map(len, lines), np.int64, count) <= max_len
            failed = np.flatnonzero(fails).tolist()
            reasons = repeat("no_terminal_punct", len(failed))
            edits.extend(zip(failed, reasons, map(lines.__getitem__, failed), strict=True))
            todo = nonempty & ~fails
        for i in np.flatnonzero(todo).tolist():
            line = stripped = lines[i]
            if (
                max_len is not None
                and len(line) > max_len
                and max(map(len, line.split())) > max_len
            ):
                edits.append((i, "too_long_word", line))
                continue
            cited = False
            if self.remove_citations and "[" in line:
                before = line
                line = CITATION.sub("", line)
                if line != before:
                    cited = True
                    edits.extend((i, "citation", m) for m in CITATION.findall(before))
            if self.filter_no_terminal_punct and (
                not line.endswith(END_PUNCTUATION) or line.endswith("...")
            ):
                edits.append((i, "no_terminal_punct", line))
                continue
            # Words are counted before citation removal, as in DataTrove;
            # splitting stops once there are enough.
            if min_words is not None and len(stripped.split(None, min_words - 1)) < min_words:
                edits.append((i, "too_few_words", line))
                continue
            low = line.lower()
            if "lorem ipsum" in low:
                lorem += 1
                if self.filter_lorem_ipsum:
                    page_reason = page_reason or "lorem_ipsum"
                    continue
            if self.filter_javascript and "javascript" in low:
                edits.append((i, "javascript", line))
                continue
            if "{" in line:
                curly += 1
                if self.filter_curly_bracket:
                    page_reason = page_reason or "curly_bracket"
                    continue
            if (
                self.filter_policy
                and ("cookie" in low or "privacy policy" in low or "terms of use" in low)
                and _POLICY.search(low) is not None
            ):
                edits.append((i, "policy", line))
                continue
            kept.append(line)
            kept_idx.append(i)
            if cited:
                changed = True
                odd.append(line)
            elif odd_doc and _odd_space(line, newline=False):
                odd.append(line)
            else:
                plain.append(i)
        sentences = v.line_sentences(tokens, np.asarray(plain, np.int64)) + v.sentence_total(odd)
        sig = doc.signals
        sig["c4_lines"] = n_lines
        sig["c4_lines_removed_frac"] = ratio(n_lines - len(kept), n_lines)
        sig["c4_sentences"] = sentences
        sig["c4_lorem_ipsum_lines"] = lorem
        sig["c4_curly_bracket_lines"] = curly
        if (
            page_reason is None
            and self.min_sentences is not None
            and sentences < self.min_sentences
        ):
            page_reason = "too_few_sentences"
        self._pending = (doc, page_reason)
        if page_reason is None:
            # Only a kept page is rewritten: a removed one keeps its text for review.
            doc.text = "\n".join(kept).strip()
            edits.sort(key=itemgetter(0))  # stable: a line's citations stay first
            step = self.name
            doc.edits.extend([{"step": step, "reason": r, "text": t} for _, r, t in edits])
            if not changed:
                # FineWeb, next in the chain, counts the words of this text.
                v.remember(tokens.subset(doc.text, kept, np.asarray(kept_idx, np.int64)))

    def decide(self, doc: Document) -> str | None:
        pending = self._pending
        if pending is not None and pending[0] is doc:
            return pending[1]
        s = doc.signals
        if self.filter_lorem_ipsum and s.get("c4_lorem_ipsum_lines", 0):
            return "lorem_ipsum"
        if self.filter_curly_bracket and s.get("c4_curly_bracket_lines", 0):
            return "curly_bracket"
        if self.min_sentences is not None and s.get("c4_sentences", 0) < self.min_sentences:
            return "too_few_sentences"
        return None


#: Languages whose bad words are matched anywhere, not only between non-word characters.
_NO_SPACE_LANGS = frozenset({"ja", "th", "zh"})
#: Common subwords that would remove >10% of documents (DataTrove _BADWORDS_ALLOWLIST).
_ALLOWLIST = frozenset({"sm", "グロ", "女の子", "性"})


@lru_cache(None)
def badwords_regex(lang: str) -> re.Pattern[str] | None:
    """The compiled bad-word pattern of a language, or None when no list ships."""
    path = resources.files("thresher.steps.quality").joinpath(f"data/badwords/{lang}")
    if not path.is_file():
        return None
    words = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    # DataTrove keeps the empty entry a blank line in a list makes (ar has
    # one), which then matches any two non-word characters; we drop it.
    words -= _ALLOWLIST | {""}
    alternation = _trie_pattern(words)
    if lang in _NO_SPACE_LANGS:
        return re.compile(alternation)
    # ``(?<!\w)`` / ``(?!\w)`` match where DataTrove's ``(?:\W|^)`` / ``(?:\W|$)``
    # do; only whether there is a match is used, so the two agree exactly.
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _trie_pattern(words: set[str]) -> str:
    """An alternation of ``words`` written as a prefix tree.

    It matches the same strings as ``"|".join(words)`` but the regex engine
    tries one branch per next character instead of every word in turn: about
    5x faster on English text with the LDNOOBW list.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if ends else group

    return emit(trie)


class C4Badwords(Filter):
    """C4's bad-word rule (Raffel et al. 2020, 2.2): remove a page containing a
    word of the LDNOOBW list of its language.

    The language is ``doc.lang`` (set by the language step) or
    ``default_language``. Words match case-insensitively between non-word
    characters (anywhere for ja, th, zh). Signal ``c4_badwords`` is 1.0 when a
    word is found, 0.0 when none, and absent when no list ships for the
    language (then the page is kept). ``keep_fraction`` keeps that share of
    pages with bad words, chosen by a hash of the document id, so reruns agree.
    Lists: ``data/badwords/`` (CC BY 4.0, see SOURCES.md there).
    """

    name = "c4_badwords"
    version = 1

    def __init__(self, *, keep_fraction: float = 0.0, default_language: str = "en") -> None:
        if not 0.0 <= keep_fraction <= 1.0:
            raise ConfigError(f"c4_badwords: keep_fraction must be in [0, 1], got {keep_fraction}")
        self.keep_fraction = keep_fraction
        self.default_language = default_language

    def annotate(self, doc: Document) -> None:
        regex = badwords_regex(doc.lang or self.default_language)
        if regex is None:
            return
        doc.signals["c4_badwords"] = 0.0 if regex.search(doc.text.lower()) is None else 1.0

    def decide(self, doc: Document) -> str | None:
        if not doc.signals.get("c4_badwords"):
            return None
        if self.keep_fraction > 0.0:
            draw = xxhash.xxh64_intdigest(doc.id.encode("utf-8", "surrogatepass")) / 2.0**64
            if draw < self.keep_fraction:
                return None
        return "document_removed_with_badwords"
