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
_TOKEN_RE = re.compile(r"\w+|\n")
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
    keep = [i for i, t in enumerate(stripped) if t]
    line_pos = np.zeros(len(raws), np.int64)
    if len(raws) > 1:
        np.cumsum(np.fromiter(map(len, raws[:-1]), np.int64, len(raws) - 1) + 1, out=line_pos[1:])
    lead = np.fromiter((len(raws[i]) - len(raws[i].lstrip()) for i in keep), np.int64, len(keep))
    texts = [stripped[i] for i in keep]
    starts = line_pos[keep] + lead
    ends = starts + np.fromiter(map(len, texts), np.int64, len(texts))
    return Lines(starts, ends, texts)


def _window_mean(x: np.ndarray, w: int) -> np.ndarray:
    """Mean of x over [i-w, i+w] (clipped at the edges), for each column of x."""
    n = x.shape[0]
    c = np.zeros((n + 1, *x.shape[1:]))
    np.cumsum(x, axis=0, out=c[1:])
    idx = np.arange(n)
    lo = np.maximum(idx - w, 0)
    hi = np.minimum(idx + (w + 1), n)
    cnt = (hi - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (c[hi] - c[lo]) / cnt


def directed_mean(x: np.ndarray, w: int, *, forward: bool) -> np.ndarray:
    """Mean of x over the next w lines (forward) or the previous w lines, the line
    itself excluded (0 where there are none)."""
    n = x.shape[0]
    c = np.zeros((n + 1, *x.shape[1:]))
    np.cumsum(x, axis=0, out=c[1:])
    idx = np.arange(n)
    if forward:
        lo, hi = np.minimum(idx + 1, n), np.minimum(idx + 1 + w, n)
    else:
        lo, hi = np.maximum(idx - w, 0), idx
    cnt = np.maximum(hi - lo, 1).reshape((-1,) + (1,) * (x.ndim - 1))
    return (c[hi] - c[lo]) / cnt


def shifted(x: np.ndarray, offsets: tuple[int, ...]) -> np.ndarray:
    """Columns of x for the lines at each offset (zeros past the edges)."""
    n = x.shape[0]
    out = np.zeros((n, len(offsets) * x.shape[1]), dtype=x.dtype)
    k = x.shape[1]
    for j, off in enumerate(offsets):
        if off < 0 and n + off > 0:
            out[-off:, j * k : (j + 1) * k] = x[: n + off]
        elif off > 0 and n - off > 0:
            out[: n - off, j * k : (j + 1) * k] = x[off:]
    return out


def base_features(text: str, lines: Lines) -> np.ndarray:
    """The per-line feature matrix before context (n_lines x N_BASE)."""
    n = len(lines.texts)
    if n == 0:
        return np.zeros((0, N_BASE))
    table = _char_table()
    # Only the lines' content: join them, so that char index -> line index is a cumsum.
    joined = "\n".join(lines.texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    cls = np.where(cp < 0x10000, table[np.minimum(cp, 0xFFFF)], SYMBOL).astype(np.int64)
    is_nl = cls == NEWLINE
    line_id = np.cumsum(is_nl) - is_nl
    counts = np.bincount(line_id * N_CLASSES + cls, minlength=n * N_CLASSES).reshape(n, N_CLASSES)
    lengths = np.fromiter((len(t) for t in lines.texts), dtype=np.int64, count=n)
    line_start = np.zeros(n, np.int64)
    np.cumsum(lengths[:-1] + 1, out=line_start[1:])
    line_last = line_start + lengths - 1
    nonspace = (cls != SPACE) & ~is_nl
    prev_space = np.ones_like(nonspace)
    prev_space[1:] = ~nonspace[:-1]
    word_start = nonspace & prev_space
    words = np.bincount(line_id[word_start], minlength=n).astype(np.float64)
    upper_words = np.bincount(line_id[word_start & (cls == UPPER)], minlength=n)
    first_cls = cls[line_start]
    last_cls = cls[line_last]
    last_cp = cp[line_last]
    # A closing quote or bracket after terminal punctuation still ends a sentence.
    before_last = cls[np.maximum(line_last - 1, 0)]
    ends_term = (last_cls == TERM) | ((last_cls == QUOTE) & (before_last == TERM) & (lengths > 1))

    letters = counts[:, LOWER] + counts[:, UPPER]
    chars = lengths.astype(np.float64)
    f = np.zeros((n, N_BASE))
    f[:, 0] = np.log1p(chars)
    f[:, 1] = np.log1p(words)
    f[:, 2] = (chars - counts[:, SPACE]) / np.maximum(words, 1) / 10.0
    f[:, 3] = counts[:, UPPER] / np.maximum(letters, 1)
    f[:, 4] = counts[:, DIGIT] / chars
    f[:, 5] = counts[:, TERM] / chars
    f[:, 6] = counts[:, PUNCT] / chars
    f[:, 7] = counts[:, QUOTE] / chars
    f[:, 8] = counts[:, SYMBOL] / chars
    f[:, 9] = counts[:, SPACE] / chars
    f[:, 10] = upper_words / np.maximum(words, 1)
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
    short = np.flatnonzero(lengths <= 24)
    for i in short.tolist():
        if _VOTE_RE.match(lines.texts[i]):
            f[i, 21] = 1.0
    # Repetition within the page (case-insensitive, exact line). Lowering the
    # joined lines lowers each line alike ("\n" is no cased letter).
    lowered = joined.lower()
    keys = lowered.split("\n")
    total = Counter(keys)
    f[:, 22] = np.log1p(np.fromiter(map(total.__getitem__, keys), np.float64, n) - 1)
    # Each key's first line (the earliest index wins, being set last).
    first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))
    f[:, 23] = np.fromiter(map(first.__getitem__, keys), np.int64, n) != np.arange(n)
    # Word lists: hits per line and group, from a dict lookup of words and word pairs.
    n_groups = len(_GROUP_NAMES)
    toks = _TOKEN_RE.findall(lowered)
    get = _KW1.get
    codes = np.fromiter(map(get, toks, itertools.repeat(0)), np.int64, len(toks))
    # Word pairs only where the first word starts one (flag bit _PAIR).
    pair_pos = np.flatnonzero(codes & _PAIR)
    ids = codes & ~_PAIR
    get2 = _KW2.get
    pair_ids = np.zeros(len(toks), dtype=np.int64)
    if len(pair_pos):
        last = len(toks) - 1
        pair_ids[pair_pos] = [
            get2(toks[i] + " " + toks[i + 1], 0) if i < last else 0 for i in pair_pos.tolist()
        ]
    tok_line = np.cumsum(ids == _NL_ID)
    hits = np.zeros((n, n_groups))
    for arr in (ids, pair_ids):
        m = (arr > 0) & (arr < _NL_ID)
        if m.any():
            hits += np.bincount(
                tok_line[m] * n_groups + arr[m] - 1, minlength=n * n_groups
            ).reshape(n, n_groups)
    # Character patterns: times (9:52), dates (12/03/2020), money ($5), ©.
    g_date, g_caption, g_money = (_GROUP_NAMES.index(g) for g in ("date", "caption", "money"))
    if len(cp) >= 4:
        dig = cls == DIGIT
        sep = (cp == ord(":")) | (cp == ord("/")) | (cp == ord(".")) | (cp == ord("-"))
        pat = dig[:-3] & sep[1:-2] & dig[2:-1] & dig[3:]
        cur = (cp == ord("$")) | (cp == 0x20AC) | (cp == 0xA3) | (cp == 0xA5)
        money = cur[:-1] & (dig[1:] | ((cp[1:] == 32) & np.append(dig[2:], False)))
        hits[:, g_date] += np.bincount(line_id[:-3][pat], minlength=n)
        hits[:, g_money] += np.bincount(line_id[:-1][money], minlength=n)
    hits[:, g_caption] += np.bincount(line_id[cp == 0xA9], minlength=n)
    covered = hits / np.maximum(words, 1)[:, None]
    k0 = 24
    f[:, k0 : k0 + n_groups] = np.log1p(hits)
    f[:, k0 + n_groups : k0 + 2 * n_groups] = covered / chars[:, None]
    return f


def features(text: str, lines: Lines) -> np.ndarray:
    """Full feature matrix: base features, document context and neighbours."""
    base = base_features(text, lines)
    n = base.shape[0]
    if n == 0:
        return np.zeros((0, N_BASE * (1 + len(NEIGHBOURS)) + len(DOC_NAMES)), np.float32)
    idx = np.arange(n, dtype=np.float64)
    words = np.expm1(base[:, 1])
    chars = np.expm1(base[:, 0])
    doc = np.zeros((n, len(DOC_NAMES)))
    doc[:, 0] = idx / max(n - 1, 1)
    doc[:, 1] = np.log1p(idx)
    doc[:, 2] = np.log1p(n - 1 - idx)
    cum = np.cumsum(chars) - chars
    doc[:, 3] = cum / max(chars.sum(), 1.0)
    doc[:, 4] = np.log1p(n)
    doc[:, 5] = np.log1p(words.sum())
    doc[:, 6] = words / max(words.max(), 1.0)
    cw = base[:, BASE_NAMES.index("kw_cwidget")] > 0
    cw_before: np.ndarray = np.cumsum(cw) - cw
    doc[:, 7] = np.log1p(cw_before)
    doc[:, 8] = cw_before / max(cw.sum(), 1)
    # Lines since the last comment-widget line above (n when none).
    cw_idx = np.flatnonzero(cw)
    pos = np.searchsorted(cw_idx, np.arange(n), side="right") - 1
    if len(cw_idx):
        since = np.where(pos >= 0, np.arange(n) - cw_idx[np.maximum(pos, 0)], n)
    else:
        since = np.full(n, n)
    doc[:, 9] = np.log1p(since)
    date = base[:, BASE_NAMES.index("kw_date")] > 0
    doc[:, 10] = directed_mean(date.astype(np.float64), 30, forward=True)
    doc[:, 11] = directed_mean(date.astype(np.float64), 30, forward=False)
    doc[:, 12] = directed_mean(base[:, 1], 30, forward=True)
    cols = [
        1,
        12,
        *(BASE_NAMES.index(c) for c in ("kw_chrome", "kw_date", "kw_cwidget", "vote_like")),
    ]
    j = 13
    for w in (2, 6, 15):
        doc[:, j : j + len(cols)] = _window_mean(base[:, cols], w)
        j += len(cols)
    return np.hstack([base, shifted(base, NEIGHBOURS), doc]).astype(np.float32)


def feature_names() -> list[str]:
    names = list(BASE_NAMES)
    for off in NEIGHBOURS:
        names += [f"{n}@{off:+d}" for n in BASE_NAMES]
    return names + list(DOC_NAMES)
