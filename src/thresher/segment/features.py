"""Per-line features for zone segmentation, computed for a whole page at once.

Lines are the non-blank ``\\n``-separated lines of the text. Most features are
language-independent and computed with numpy over the page's code points:
length, word count, character classes, punctuation at the line's edges,
capitalisation, position in the page, repetition within the page, and the same
values for neighbouring lines. Small word lists (chrome words such as "share",
"subscribe", "Notify of", "reply"; dates; caption words) add a few more; they
are English-leaning and only ever used as extra evidence by the model.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

from thresher.segment.stack import Stack

try:
    from thresher import _segfeat
except ImportError:  # no C compiler at install time: the numpy path
    _segfeat = None

# Character classes (index into the per-line class counts).
SPACE, LOWER, UPPER, DIGIT, TERM, PUNCT, QUOTE, SYMBOL, NEWLINE = range(9)
N_CLASSES = 9

_TABLE: np.ndarray | None = None


def _char_table() -> np.ndarray:
    """Code point -> class for the Basic Multilingual Plane (built once, ~50 ms)."""
    global _TABLE
    if _TABLE is not None:
        return _TABLE
    table = np.full(0x10000, LOWER, dtype=np.uint8)
    for cp in range(0x10000):
        cat = unicodedata.category(chr(cp))
        if cat == "Lu" or cat == "Lt":
            table[cp] = UPPER
        elif cat[0] == "L" or cat[0] == "M":
            table[cp] = LOWER
        elif cat == "Nd":
            table[cp] = DIGIT
        elif cat[0] == "N":
            table[cp] = SYMBOL
        elif cat[0] == "Z" or chr(cp).isspace():
            table[cp] = SPACE
        elif cat in ("Pi", "Pf", "Ps", "Pe"):
            table[cp] = QUOTE
        elif cat[0] == "P":
            table[cp] = PUNCT
        elif cat[0] in "SC":
            table[cp] = SYMBOL
    for ch in "\t\r\x0b\x0c ":
        table[ord(ch)] = SPACE
    for ch in ".!?。！？…":
        table[ord(ch)] = TERM
    for ch in "\"'":
        table[ord(ch)] = QUOTE
    for ch in "|/\\#@&%*+=<>~^_$€£¥•·»«›‹→←":
        table[ord(ch)] = SYMBOL
    table[10] = NEWLINE
    _TABLE = table
    return table


# Word-list evidence: lowercased words (and word pairs) looked up in a dict.
_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december mon monday tue tuesday wed wednesday thu "
    "thursday fri friday sat saturday sun sunday yesterday today am pm ago"
)
_GROUPS: dict[str, str] = {
    "chrome": (
        "share shares tweet subscribe subscribed register cookie cookies privacy copyright "
        "newsletter advertisement advertise sponsored menu search home contact related tag tags "
        "category categories previous next print email e-mail donate donation donations "
        "membership sitemap facebook twitter instagram linkedin youtube whatsapp pinterest reddit "
        "rss download cart checkout shop login logout account trending popular latest "
        "recommended javascript browser powered|sign in|sign up|sign out|log in|log out|pin it|"
        "terms of|rights reserved|follow us|skip to|about us|read more|continue reading|"
        "posted in|filed under|back to|support us|click here|more info|learn more|most read|"
        "powered by|lorem ipsum|go to"
    ),
    "cwidget": (
        "comment comments reply replies newest oldest discussion response responses disqus "
        "guest commenting moderation moderated moderator|notify of|most voted|inline feedback|"
        "inline feedbacks|view all|leave a|post a|add a|thoughts on|load more|show more|sort by|"
        "cancel reply|be published|required fields|community guidelines"
    ),
    "meta": (
        "says said wrote permalink report flag upvote downvote point points vote votes like "
        "likes member joined posts edited|posted by"
    ),
    "date": _MONTHS + " " + " ".join(str(y) for y in range(1990, 2040)),
    "caption": (
        "photo photos photograph image images picture pictures credit credits getty reuters afp "
        "click caption illustration courtesy shutterstock video watch gallery enlarge|ap photo|"
        "full size|click to"
    ),
    "link": "http https www com org net html htm php uk",
}
_GROUP_NAMES = (*_GROUPS, "money")
_KW1: dict[str, int] = {}
_KW2: dict[str, int] = {}
for _g, (_name, _spec) in enumerate(_GROUPS.items(), start=1):
    _single, *_pairs = _spec.split("|")
    for _w in _single.split():
        _KW1.setdefault(_w, _g)
    for _p in _pairs:
        _KW2.setdefault(_p, _g)
_NL_ID = 100
_PAIR = 128
for _p in _KW2:
    _first = _p.split()[0]
    _KW1[_first] = _KW1.get(_first, 0) | _PAIR
_KW1["\n"] = _NL_ID
# Tokens are hashed (see keyword_scan) and only those hashing like a keyword looked up.
_HASH_BASE = 0x9E3779B97F4A7C15  # odd: invertible mod 2**64
_HASH_INV = pow(_HASH_BASE, -1, 1 << 64)
_WORD: np.ndarray | None = None
_POW: np.ndarray = np.ones(0, np.uint64)
_INV_POW: np.ndarray = np.ones(0, np.uint64)
# Whole-line patterns (evaluated on lines that are short, see features()).
_VOTE_RE = re.compile(r"^[+\-−–]?\s?\d[\d,.]*\s*(?:[kK]\b)?\s*(?:points?|votes?|likes?)?$")

BASE_NAMES: tuple[str, ...] = (
    "log_chars",
    "log_words",
    "mean_word_len",
    "frac_upper",
    "frac_digit",
    "frac_term",
    "frac_punct",
    "frac_quote",
    "frac_symbol",
    "frac_space",
    "titlecase_words",
    "log_inner_term",
    "ends_term",
    "ends_colon",
    "ends_comma",
    "ends_other",
    "starts_upper",
    "starts_lower",
    "starts_digit",
    "starts_symbol",
    "no_letters",
    "vote_like",
    "log_repeats",
    "is_repeat",
    *(f"kw_{g}" for g in _GROUP_NAMES),
    *(f"kwfrac_{g}" for g in _GROUP_NAMES),
)
DOC_NAMES: tuple[str, ...] = (
    "rel_line",
    "log_line_from_start",
    "log_line_from_end",
    "rel_char",
    "log_doc_lines",
    "log_doc_words",
    "words_over_max",
    "after_cwidget",
    "frac_cwidget_before",
    "log_since_cwidget",
    "next30_kw_date",
    "prev30_kw_date",
    "next30_log_words",
    *(
        f"win{w}_{n}"
        for w in (2, 6, 15)
        for n in ("log_words", "ends_term", "kw_chrome", "kw_date", "kw_cwidget", "vote_like")
    ),
)
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
N_BASE = len(BASE_NAMES)


@dataclass(slots=True)
class Lines:
    """The non-blank lines of a text: character spans and stripped strings."""

    starts: np.ndarray  # first non-space character of each line
    ends: np.ndarray  # one past the last non-space character
    texts: list[str]


def split_lines(text: str) -> Lines:
    """Non-blank lines with the span of their stripped content."""
    raws = text.split("\n")
    stripped = list(map(str.strip, raws))
    n_raw = len(raws)
    raw_len = np.fromiter(map(len, raws), np.int64, n_raw)
    strip_len = np.fromiter(map(len, stripped), np.int64, n_raw)
    keep = np.flatnonzero(strip_len)
    line_pos = np.zeros(n_raw, np.int64)
    if n_raw > 1:
        np.cumsum(raw_len[:-1] + 1, out=line_pos[1:])
    # Leading white space: what lstrip() removes (strip() removes the same characters).
    lead = raw_len[keep] - np.fromiter(
        map(len, map(str.lstrip, map(raws.__getitem__, keep.tolist()))), np.int64, len(keep)
    )
    texts = list(filter(None, stripped))
    starts = line_pos[keep] + lead
    ends = starts + strip_len[keep]
    return Lines(starts, ends, texts)


def _word_table() -> np.ndarray:
    """Code point -> whether ``\\w`` matches it, for the Basic Multilingual Plane
    (``\\w`` is ``str.isalnum()`` or ``_``; built once)."""
    global _WORD
    if _WORD is None:
        _WORD = np.fromiter(
            (c.isalnum() or c == "_" for c in map(chr, range(0x10000))), np.bool_, 0x10000
        )
    return _WORD


def warm_tables() -> None:
    """Build the code point tables now rather than on the first page."""
    _char_table()
    _scan_table()
    _powers(0)


_SCAN: np.ndarray | None = None


def _scan_table() -> np.ndarray:
    """Code point (Basic Multilingual Plane) -> bit 0: ``\\w`` matches it;
    bit 1: ``str.casefold()`` changes it (built once)."""
    global _SCAN
    if _SCAN is None:
        folds = np.fromiter(
            (chr(c).casefold() != chr(c) for c in range(0x10000)), np.bool_, 0x10000
        )
        _SCAN = _word_table().astype(np.uint8) | (folds.astype(np.uint8) << 1)
    return _SCAN


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``_HASH_BASE ** j`` and its inverse's powers mod 2**64, for j in [0, n]."""
    global _POW, _INV_POW
    if len(_POW) <= n:
        size = max(n + 1, 2 * len(_POW), 1 << 16)
        _POW = np.cumprod(np.full(size, _HASH_BASE, np.uint64))
        _POW[1:] = _POW[:-1].copy()
        _POW[0] = 1
        _INV_POW = np.cumprod(np.full(size, _HASH_INV, np.uint64))
        _INV_POW[1:] = _INV_POW[:-1].copy()
        _INV_POW[0] = 1
    return _POW, _INV_POW


def _hash(word: str) -> int:
    """The polynomial hash of ``keyword_scan``'s tokens, for one word."""
    return sum(ord(c) * pow(_HASH_BASE, j, 1 << 64) for j, c in enumerate(word)) % (1 << 64)


# Low bits of the keywords' hashes: a token whose hash has none of them is no keyword.
_KW_MASK = 0xFFFF
_KW_FILTER = np.zeros(_KW_MASK + 1, np.bool_)
_KW_FILTER[[_hash(w) & _KW_MASK for w in _KW1 if w != "\n"]] = True


def _keyword_ids(lowered: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word-list codes of the ``\\w+`` tokens of ``lowered`` (lines joined by
    "\\n") that may be keywords: each such token's line, its ``_KW1`` group
    (0: none; the ``_PAIR`` bit cleared) and the ``_KW2`` group of it and the
    next token on its line (0: none). Other tokens have no group."""
    return keyword_scan(lowered)[:3]


def keyword_scan(lowered: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``_keyword_ids`` of ``lowered`` and whether ``str.casefold()`` would
    change it (a character that casefolding changes, or one past the Basic
    Multilingual Plane). The tokens come from the C extension's scan when it
    was built, else from ``_keyword_tokens_numpy``; only they are looked up,
    so the codes are exactly those of a dict lookup of every token."""
    if _segfeat is None:
        rows, folds = _keyword_tokens_numpy(lowered)
    else:
        packed, folds = _segfeat.keyword_tokens(lowered, _scan_table(), _KW_FILTER)
        rows = np.frombuffer(packed, np.int64).reshape(-1, 5)
    spans = map(slice, rows[:, 0].tolist(), rows[:, 1].tolist())
    codes = np.fromiter(
        map(_KW1.get, map(lowered.__getitem__, spans), itertools.repeat(0)), np.int64, len(rows)
    )
    pair_ids = np.zeros(len(rows), np.int64)
    pair_at = np.flatnonzero(((codes & _PAIR) > 0) & (rows[:, 3] >= 0))
    if len(pair_at):
        at = rows[pair_at]
        pairs = map(
            " ".join,
            zip(
                map(lowered.__getitem__, map(slice, at[:, 0].tolist(), at[:, 1].tolist())),
                map(lowered.__getitem__, map(slice, at[:, 3].tolist(), at[:, 4].tolist())),
                strict=True,
            ),
        )
        pair_ids[pair_at] = np.fromiter(
            map(_KW2.get, pairs, itertools.repeat(0)), np.int64, len(pair_at)
        )
    return rows[:, 2], codes & ~_PAIR, pair_ids, bool(folds)


def _keyword_tokens_numpy(lowered: str) -> tuple[np.ndarray, bool]:
    """The C extension's ``keyword_tokens`` with numpy: the ``\\w+`` tokens of
    ``lowered`` whose hash's low bits are a keyword's, as int64 rows of
    (start, end, line, next_start, next_end), the next token's span -1 when
    it is not on the same line; and whether casefolding would change the
    text. Tokens are found and hashed with numpy (a polynomial hash mod 2**64
    from a prefix sum)."""
    cp = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folds = bool((_scan_table()[np.minimum(cp, 0xFFFF)] & 2).any() or (cp > 0xFFFF).any())
    if not len(cp) or int(cp.max()) <= 0xFFFF:
        word = _word_table()[cp]
    else:
        word = _word_table()[np.minimum(cp, 0xFFFF)]
        astral = np.flatnonzero(cp > 0xFFFF)
        word[astral] = [chr(c).isalnum() for c in cp[astral].tolist()]
    edge = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    pw, inv = _powers(len(cp))
    c = np.zeros(len(cp) + 1, np.uint64)
    np.cumsum(cp * pw[: len(cp)], out=c[1:])
    h = (c[ends] - c[starts]) * inv[starts]
    cand = np.flatnonzero(_KW_FILTER[(h & np.uint64(_KW_MASK)).astype(np.intp)])
    nl = np.flatnonzero(cp == 10)
    rows = np.full((len(cand), 5), -1, np.int64)
    rows[:, 0], rows[:, 1] = starts[cand], ends[cand]
    rows[:, 2] = np.searchsorted(nl, starts[cand])
    # The next token, when it is on the same line.
    nxt = np.minimum(cand + 1, len(starts) - 1)
    same = (cand + 1 < len(starts)) & (np.searchsorted(nl, starts[nxt]) == rows[:, 2])
    rows[same, 3], rows[same, 4] = starts[nxt[same]], ends[nxt[same]]
    return rows, folds


# Columns of ``line_stats``' rows (the C extension's order).
(_ST_WORDS, _ST_UPPER_WORDS, _ST_FIRST, _ST_LAST, _ST_LAST_CP, _ST_BEFORE_LAST) = range(
    N_CLASSES, N_CLASSES + 6
)
_ST_DATE, _ST_MONEY, _ST_COPYRIGHT, _ST_PLAIN_SPACES = range(N_CLASSES + 6, N_CLASSES + 10)
STAT_COLS = N_CLASSES + 10
if _segfeat is not None and _segfeat.STAT_COLS != STAT_COLS:  # a stale build
    _segfeat = None


def line_stats(joined: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """Per-line integer counts of ``joined`` (n non-blank lines joined by
    "\\n"), one int64 row each: the number of characters of each class
    (``SPACE`` .. ``NEWLINE``, a line's newline counted on it), words (runs
    of non-space), words starting with an upper-case letter, the class of
    the first, last and second-to-last character, the last code point, and
    hits of three character patterns: a digit, a separator and two digits
    (9:52, 12/03), a currency sign before a digit (or a space and a digit),
    and the copyright sign; and the number of plain spaces (U+0020). From
    the C extension when it was built, else
    ``line_stats_numpy`` (the same integers). ``out``: an int64 array
    (n x STAT_COLS) to fill and return."""
    out = np.empty((n, STAT_COLS), np.int64) if out is None else out
    if _segfeat is None:
        out[:] = line_stats_numpy(joined, n)
    else:
        _segfeat.line_stats(joined, _char_table(), out)
    return out


def line_stats_numpy(joined: str, n: int) -> np.ndarray:
    """``line_stats`` with numpy only."""
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _char_table()
    if int(cp.max()) < 0x10000:
        cls = table[cp]
    else:
        cls = np.where(cp < 0x10000, table[np.minimum(cp, 0xFFFF)], np.uint8(SYMBOL))
    out = np.zeros((n, STAT_COLS), np.int64)
    is_nl = cls == NEWLINE
    line_id = np.cumsum(is_nl) - is_nl
    out[:, :N_CLASSES] = np.bincount(line_id * N_CLASSES + cls, minlength=n * N_CLASSES).reshape(
        n, N_CLASSES
    )
    nl = np.flatnonzero(is_nl)
    line_start = np.concatenate([[0], nl + 1])
    line_last = np.append(nl - 1, len(cp) - 1)
    # Word starts: a character that is no space after a space, a newline or
    # the start (newlines are classed apart from spaces).
    nonspace = cls != SPACE
    nonspace &= ~is_nl
    word_start = nonspace.copy()
    word_start[1:] &= ~nonspace[:-1]
    starts = np.flatnonzero(word_start)
    start_line = line_id[starts]
    out[:, _ST_WORDS] = np.bincount(start_line, minlength=n)
    out[:, _ST_UPPER_WORDS] = np.bincount(start_line[cls[starts] == UPPER], minlength=n)
    out[:, _ST_FIRST] = cls[line_start]
    out[:, _ST_LAST] = cls[line_last]
    out[:, _ST_LAST_CP] = cp[line_last]
    out[:, _ST_BEFORE_LAST] = cls[np.maximum(line_last - 1, 0)]
    size = len(cp)
    if size >= 4:
        # A digit, a separator, two digits.
        j = np.flatnonzero(cls[:-3] == DIGIT)
        sep = cp[j + 1]
        j = j[
            ((sep == ord(":")) | (sep == ord("/")) | (sep == ord(".")) | (sep == ord("-")))
            & (cls[j + 2] == DIGIT)
            & (cls[j + 3] == DIGIT)
        ]
        out[:, _ST_DATE] = np.bincount(line_id[j], minlength=n)
    sym = np.flatnonzero(cls == SYMBOL)
    sym_cp = cp[sym]
    if size >= 4:
        # A currency sign before a digit, or before a space and a digit.
        j = sym[
            ((sym_cp == ord("$")) | (sym_cp == 0x20AC) | (sym_cp == 0xA3) | (sym_cp == 0xA5))
            & (sym < size - 1)
        ]
        after = cls[j + 1] == DIGIT
        spaced = ~after & (cp[j + 1] == 32) & (j + 2 < size)
        spaced[spaced] = cls[j[spaced] + 2] == DIGIT
        out[:, _ST_MONEY] = np.bincount(line_id[j[after | spaced]], minlength=n)
    out[:, _ST_COPYRIGHT] = np.bincount(line_id[sym[sym_cp == 0xA9]], minlength=n)
    out[:, _ST_PLAIN_SPACES] = np.bincount(line_id[cp == 32], minlength=n)
    return out


def line_repeats(lowered: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """For each of the n lines of ``lowered`` (joined by "\\n"), one int64 row:
    how many of the lines equal it, and the index of the first of them. From
    the C extension when it was built, else ``line_repeats_python``.
    ``out``: an int64 array (n x 2) to fill and return."""
    out = np.empty((n, 2), np.int64) if out is None else out
    if _segfeat is None:
        out[:] = line_repeats_python(lowered, n)
    else:
        _segfeat.line_repeats(lowered, out)
    return out


def line_repeats_python(lowered: str, n: int) -> np.ndarray:
    """``line_repeats`` with a Counter and a dict."""
    keys = lowered.split("\n")
    total = Counter(keys)
    # Each key's first line (the earliest index wins, being set last).
    first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))
    out = np.empty((n, 2), np.int64)
    out[:, 0] = np.fromiter(map(total.__getitem__, keys), np.int64, n)
    out[:, 1] = np.fromiter(map(first.__getitem__, keys), np.int64, n)
    return out


def base_features(text: str, lines: Lines) -> np.ndarray:
    """The per-line feature matrix before context (n_lines x N_BASE)."""
    return base_features_stacked([lines])


def base_features_stacked(
    pages: list[Lines],
    odd_spaces: np.ndarray | None = None,
    lowered: list[str | None] | None = None,
) -> np.ndarray:
    """``base_features`` of several pages, their rows stacked in order: the
    string work page by page, the arithmetic for all of them at once (each
    row is the same as the page's alone: nothing here mixes rows).
    ``odd_spaces``: a bool array (one per row) to set where the line's white
    space is anything but single plain spaces between words (where
    ``" ".join(line.split())`` differs from the line). ``lowered``: a list to
    append each page's lines to, joined by "\\n" and lowered, where that is
    also their casefolding (else None; "" for a page without lines)."""
    sizes = [len(p.texts) for p in pages]
    total = sum(sizes)
    if total == 0:
        if lowered is not None:
            lowered.extend("" for _ in pages)
        return np.zeros((0, N_BASE))
    st = np.empty((total, STAT_COLS), np.int64)
    rep = np.empty((total, 2), np.int64)
    local = np.empty(total, np.int64)  # each row's index in its page
    tok_lines, tok_ids, tok_pairs = [], [], []
    a = 0
    for lines, n in zip(pages, sizes, strict=True):
        if not n:
            if lowered is not None:
                lowered.append("")
            continue
        # Only the lines' content: join them, so that char index -> line index is a cumsum.
        joined = "\n".join(lines.texts)
        line_stats(joined, n, out=st[a : a + n])
        # Repetition within the page (case-insensitive, exact line). Lowering the
        # joined lines lowers each line alike ("\\n" is no cased letter).
        low = joined.lower()
        line_repeats(low, n, out=rep[a : a + n])
        local[a : a + n] = np.arange(n)
        # Word lists: a dict lookup of words and word pairs.
        tok_line, ids, pair_ids, folds = keyword_scan(low)
        if lowered is not None:
            lowered.append(None if folds else low)
        tok_lines.append(tok_line + a)
        tok_ids.append(ids)
        tok_pairs.append(pair_ids)
        a += n
    texts = list(itertools.chain.from_iterable(p.texts for p in pages))
    counts = st[:, :N_CLASSES]
    if odd_spaces is not None:
        plain = st[:, _ST_PLAIN_SPACES]
        # (Lines are stripped: words - 1 single spaces between words, or more.)
        odd_spaces[:] = (counts[:, SPACE] != plain) | (plain != st[:, _ST_WORDS] - 1)
    lengths = counts[:, :NEWLINE].sum(axis=1)
    words = st[:, _ST_WORDS].astype(np.float64)
    first_cls = st[:, _ST_FIRST]
    last_cls = st[:, _ST_LAST]
    last_cp = st[:, _ST_LAST_CP]
    # A closing quote or bracket after terminal punctuation still ends a sentence.
    ends_term = (last_cls == TERM) | (
        (last_cls == QUOTE) & (st[:, _ST_BEFORE_LAST] == TERM) & (lengths > 1)
    )

    letters = counts[:, LOWER] + counts[:, UPPER]
    chars = lengths.astype(np.float64)
    f = np.zeros((total, N_BASE))
    f[:, 0] = np.log1p(chars)
    f[:, 1] = np.log1p(words)
    f[:, 2] = (chars - counts[:, SPACE]) / np.maximum(words, 1) / 10.0
    f[:, 3] = counts[:, UPPER] / np.maximum(letters, 1)
    f[:, 4:10] = counts[:, [DIGIT, TERM, PUNCT, QUOTE, SYMBOL, SPACE]] / chars[:, None]
    f[:, 10] = st[:, _ST_UPPER_WORDS] / np.maximum(words, 1)
    f[:, 11] = np.log1p(counts[:, TERM] - ends_term)
    f[:, 12] = ends_term
    f[:, 13] = last_cp == ord(":")
    f[:, 14] = last_cp == ord(",")
    f[:, 15] = ~ends_term & (last_cls != LOWER) & (last_cls != UPPER)
    f[:, 16] = first_cls == UPPER
    f[:, 17] = first_cls == LOWER
    f[:, 18] = first_cls == DIGIT
    f[:, 19] = (first_cls == SYMBOL) | (first_cls == PUNCT)
    f[:, 20] = letters == 0
    # (_VOTE_RE needs a decimal digit: DIGIT, or past the Basic Multilingual
    # Plane, where every code point is classed SYMBOL.)
    may_vote = (lengths <= 24) & ((counts[:, DIGIT] > 0) | (counts[:, SYMBOL] > 0))
    for i in np.flatnonzero(may_vote).tolist():
        if _VOTE_RE.match(texts[i]):
            f[i, 21] = 1.0
    f[:, 22] = np.log1p(rep[:, 0] - 1)
    f[:, 23] = rep[:, 1] != local
    n_groups = len(_GROUP_NAMES)
    hits = np.zeros((total, n_groups))
    tok_line, ids, pair_ids = (np.concatenate(t) for t in (tok_lines, tok_ids, tok_pairs))
    for arr in (ids, pair_ids):
        m = (arr > 0) & (arr < _NL_ID)
        if m.any():
            hits += np.bincount(
                tok_line[m] * n_groups + arr[m] - 1, minlength=total * n_groups
            ).reshape(total, n_groups)
    # Character patterns: times (9:52), dates (12/03/2020), money ($5), ©.
    g_date, g_caption, g_money = (_GROUP_NAMES.index(g) for g in ("date", "caption", "money"))
    hits[:, g_date] += st[:, _ST_DATE]
    hits[:, g_money] += st[:, _ST_MONEY]
    hits[:, g_caption] += st[:, _ST_COPYRIGHT]
    covered = hits / np.maximum(words, 1)[:, None]
    k0 = 24
    f[:, k0 : k0 + n_groups] = np.log1p(hits)
    f[:, k0 + n_groups : k0 + 2 * n_groups] = covered / chars[:, None]
    return f


N_FEATURES = N_BASE * (1 + len(NEIGHBOURS)) + len(DOC_NAMES)


def features(text: str, lines: Lines, out: np.ndarray | None = None) -> np.ndarray:
    """Full feature matrix (float32): base features, neighbours and document
    context. ``out``: a float32 array (n_lines x N_FEATURES) to fill and return."""
    return features_stacked([text], [lines], out)


def features_stacked(
    texts: list[str],
    pages: list[Lines],
    out: np.ndarray | None = None,
    odd_spaces: np.ndarray | None = None,
    lowered: list[str | None] | None = None,
) -> np.ndarray:
    """``features`` of several pages, their rows stacked in order in ``out``
    (a float32 array, total lines x N_FEATURES; made when None): the base
    features page by page, the context of all pages in one pass. Each page's
    rows are exactly those ``features`` gives it alone. ``odd_spaces``,
    ``lowered``: see ``base_features_stacked``."""
    sizes = [len(p.texts) for p in pages]
    stack = Stack(sizes)
    if out is None:
        out = np.empty((stack.total, N_FEATURES), np.float32)
    base = base_features_stacked(pages, odd_spaces, lowered)
    if stack.total == 0:
        return out
    idx = stack.local.astype(np.float64)
    n_lines = stack.n
    words = np.expm1(base[:, 1])
    chars = np.expm1(base[:, 0])
    doc = np.zeros((stack.total, len(DOC_NAMES)))
    doc[:, 0] = idx / np.maximum(n_lines - 1, 1)
    doc[:, 1] = np.log1p(idx)
    doc[:, 2] = np.log1p(n_lines - 1 - idx)
    chars_c = stack.prefix_sums(chars)
    cum = chars_c[stack.cbase + stack.local + 1] - chars
    doc[:, 3] = cum / np.maximum(stack.page_values(chars, "sum"), 1.0)
    doc[:, 4] = np.log1p(n_lines.astype(np.float64))
    doc[:, 5] = np.log1p(stack.page_values(words, "sum"))
    doc[:, 6] = words / np.maximum(stack.page_values(words, "max"), 1.0)
    cw = base[:, BASE_NAMES.index("kw_cwidget")] > 0
    cw_c = stack.prefix_sums(cw.astype(np.float64))
    cw_before = cw_c[stack.cbase + stack.local]
    doc[:, 7] = np.log1p(cw_before)
    doc[:, 8] = cw_before / np.maximum(cw_c[stack.cbase + n_lines], 1)
    # Lines since the last comment-widget line above, in the page (n when none).
    rows = np.arange(stack.total)
    last = np.maximum.accumulate(np.where(cw, rows, -1))
    doc[:, 9] = np.log1p(np.where(last >= stack.start, rows - last, n_lines))
    date = base[:, BASE_NAMES.index("kw_date")] > 0
    # Date lines and words: one prefix sum (columns are summed independently).
    near = np.stack([date.astype(np.float64), base[:, 1]], axis=1)
    near_c = stack.prefix_sums(near)
    fwd = stack.directed_mean(near_c, 30, forward=True)
    doc[:, 10] = fwd[:, 0]
    doc[:, 11] = stack.directed_mean(near_c, 30, forward=False)[:, 0]
    doc[:, 12] = fwd[:, 1]
    cols = [
        1,
        12,
        *(BASE_NAMES.index(c) for c in ("kw_chrome", "kw_date", "kw_cwidget", "vote_like")),
    ]
    j = 13
    win_c = stack.prefix_sums(base[:, cols])
    for w in (2, 6, 15):
        doc[:, j : j + len(cols)] = stack.window_mean(win_c, w)
        j += len(cols)
    # The columns of np.hstack([base, shifted(base, NEIGHBOURS), doc]), cast
    # to float32 as they are written.
    out[:, :N_BASE] = base
    for j, off in enumerate(NEIGHBOURS, start=1):
        # (From the float32 copy just written: the same values, half the bytes.)
        stack.shift_into(out[:, j * N_BASE : (j + 1) * N_BASE], out[:, :N_BASE], off)
    out[:, N_BASE * (1 + len(NEIGHBOURS)) :] = doc
    return out


def feature_names() -> list[str]:
    names = list(BASE_NAMES)
    for off in NEIGHBOURS:
        names += [f"{n}@{off:+d}" for n in BASE_NAMES]
    return names + list(DOC_NAMES)
