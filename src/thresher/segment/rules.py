"""Rules applied after the model, where a rule is plainly better than a guess.

The comment rules are in ``comments``, ``authors`` and ``comment_fixes``, the
headline ranker in ``headline``.

* duplicate: a line whose text (casefolded, spaces collapsed) repeats an earlier
  content line of the page (title, main, caption; 20+ characters) or the
  title. Comment lines are never duplicates: threads repeat subjects, author
  lines and quotes, each part of its own comment.
* caption: short lines that read as image captions or credits ("Click to see
  full-size image", "Photo: ... / Reuters", "Image credit: ...").
* hard wraps: a main line that stops mid-sentence (no closing punctuation) and
  is followed by one starting in lower case is joined with it.
* stray blocks: small runs of main text below the article (teasers, a
  "read more" box, the footer) become boilerplate.
* bylines (optional): byline, date and reading-time lines just below the
  headline become boilerplate.
* gaps: a boilerplate line of a paragraph's length between two main lines is
  main (the model's doubt about one line inside the article); so is a line
  the model gives some main probability with main lines within 2 lines on
  both sides (``fill_doubts``: items of a listing).
* money pickers: two or more consecutive lines that are bare amounts ("$5",
  "$10", "$25") are a donation or price picker, boilerplate.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from thresher.segment.lexicon import (
    BY,
    FOREIGN_DATE,
    FOREIGN_DAY_DATE,
    FOREIGN_TODAY,
    NOISE_WORDS,
    VOTES,
)

_WS = re.compile(r"\s+")


CAPTION_RE = re.compile(
    r"^(?:photo(?:graph)?|image|picture|pic|credit|caption|illustration|video|source)s?"
    r"(?:\s+(?:credit|by|courtesy|source))?\s*[:|/]"
    r"|^(?:click|tap) (?:here )?to (?:see|view|enlarge|expand|zoom)"
    r"|\b(?:full[- ]size|larger) (?:image|photo|picture|version)\b"
    r"|\((?:photo|image|picture)s?\b[^)]*\)\s*$"
    r"|(?:^|[\s(/|])(?:getty images|reuters|afp|ap photo|shutterstock|istock(?:photo)?|"
    r"alamy|epa|dpa)\b[^a-z]*$"
    r"|^(?:photo|image|picture)s? (?:by|courtesy of|via)\b",
    re.IGNORECASE,
)


# An English month, its name or its abbreviation ("Mar", "Sept."), not any word
# that begins like one ("Marathon 2012", "Mario 3", "Decimal 14").
_EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


# A numeric date ("07/12/2012"), a time ("10:15") or a relative one ("3 hours
# ago"): a day's, in DATE_RE and DAY_DATE alike.
_EN_DAY_TIME = (
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d\d"
    r"|\b\d+\s*(?:second|minute|min|hour|hr|day|week|month|year|yr)s?\s+ago\b"
)


# A date or a time, in English or in one of ``lexicon``'s languages (those
# first: "12 de marzo de 2021" is one date, not "12 marzo" and a "de").
DATE_RE = re.compile(
    FOREIGN_DATE
    + r"|\b(?:on\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    + _EN_MONTH
    + r"\.?\s+\d|\b(?:on\s+)?\d{1,2}(?:st|nd|rd|th)?\s+"
    + _EN_MONTH
    + r"\b|"
    + _EN_DAY_TIME
    + r"|\b(?:yesterday|today|just now)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


# The dates of DATE_RE that hold no digit.
_WORD_DATE = re.compile(r"\b(?:yesterday|today|just now)\b|" + FOREIGN_TODAY, re.IGNORECASE)


def has_date(line: str) -> bool:
    """Whether ``line`` holds a date or a time (``DATE_RE``). In a line
    without a digit only "today", "yesterday" and the like are looked for:
    the others all hold one (and the word lists are slow to try)."""
    if DIGIT_RE.search(line) is None:
        return _WORD_DATE.search(line) is not None
    return DATE_RE.search(line) is not None


AUTHOR_NOISE = re.compile(
    r"\b(?:says|said|wrote|writes|posted|reply|replied|responded|commented|report|permalink|edited)\b\s*:?"
    r"|(?<!\w)[+\-−]?\d[\d,.]*(?!\w)\s*(?:points?|votes?|likes?|" + VOTES + r")?"
    r"|\b(?:points?|votes?|likes?)\b"
    r"|^\s*(?:by|from|posted by)\s+"
    # In ``lexicon``'s languages: "posté par ", "schrieb:", "a écrit :", "Antworten", "Melden".
    r"|^\s*" + BY + r"\s+|\b" + NOISE_WORDS + r"\b\s*:?",
    re.IGNORECASE,
)


EDGE = " \t|/•·:-–—,;@()[]#*"


_ENDS_OPEN = re.compile(r"[\w,]$")


CLOSED = set(".!?:;…\"'”’)]}»")


#: Caption/credit line starts that carry no caption word of the features' list.
CAPTION_PREFIXES = ("source", "tap ", "pic", "istock", "alamy", "epa", "dpa", "(")


_CAPTION_HINTS = (
    "photo",
    "image",
    "picture",
    "pic",
    "credit",
    "caption",
    "illustration",
    "video",
    "source",
    "click",
    "tap",
    "size",
    "larger",
    "getty",
    "reuters",
    "afp",
    "shutterstock",
    "istock",
    "alamy",
    "epa",
    "dpa",
    "©",
)


_CAPTION_HINT = re.compile("|".join(map(re.escape, _CAPTION_HINTS)))


def norm_key(line: str) -> str:
    return " ".join(line.casefold().split())


def norm_keys(
    texts: list[str], odd_spaces: Sequence[int] | None = None, lowered: str | None = None
) -> list[str]:
    """``norm_key`` of each of ``texts`` (stripped lines without newlines), in
    one pass over the page. ``odd_spaces``: the lines whose white space is
    anything but single plain spaces, when known (the features count them);
    ``lowered``: the lines joined by "\\n" and casefolded, when at hand (the
    features' lowered text where casefolding changes none of its characters:
    casefold(text) is casefold(lower(text)) for every code point)."""
    if not texts:
        return []
    if odd_spaces is not None:
        folded = "\n".join(texts).casefold() if lowered is None else lowered
        keys = folded.split("\n")
        for i in odd_spaces:
            keys[i] = " ".join(keys[i].split())
        return keys
    # Printable lines without double spaces need no re-joining (no tabs, no
    # no-break spaces: those are not printable).
    return [
        k if "  " not in k and k.isprintable() else " ".join(k.split())
        for k in "\n".join(texts).casefold().split("\n")
    ]


def is_caption(line: str) -> bool:
    if len(line) > 300:
        return False
    low = line.lower()
    # Cheap substring screen before the regex (most lines have none of these).
    return _CAPTION_HINT.search(low) is not None and CAPTION_RE.search(line) is not None


COMMENTISH = ("comment", "comment_meta")


BYLINE = re.compile(r"^(?:by|von|par|por|di|door)\s", re.IGNORECASE)


_MONEY_START = frozenset("$€£¥0123456789")


_MONEY_LINE = re.compile(
    r"^[$€£¥]\s?\d[\d.,]*$|^\d[\d.,]*\s?(?:[$€£¥]|usd|eur|gbp)$", re.IGNORECASE
)


TITLE_WINDOW = 12


TITLE_BELOW = 4


MIN_PARAGRAPH_WORDS = 10


def money_pickers(texts: list[str], labels: list[str], candidates: list[int] | None = None) -> None:
    """Runs of >= 2 bare amounts become boilerplate (in place). ``candidates``:
    the lines that may be amounts (all when None), in order."""
    # A bare amount starts with a currency sign or a digit: screen on that first.
    found = [
        i
        for i in (range(len(texts)) if candidates is None else candidates)
        if texts[i][0] in _MONEY_START and _MONEY_LINE.match(texts[i]) is not None
    ]
    hits = set(found)
    for i in found:
        if i - 1 in hits or i + 1 in hits:
            labels[i] = "boilerplate"


# Menus and breadcrumbs: three or more short items between separators
# ("Home | World | Politics", "NEWS · SPORT · LIFE", "News > Environment > Local").
_NAV_CHAR = re.compile(r"[|·•>»/]")


_NAV_SPLIT = re.compile(r"\s+[|·•>»/]\s+|\s*[|·•»]\s*")


def navigation_lines(
    texts: list[str], labels: list[str], candidates: list[int] | None = None
) -> None:
    """Menu and breadcrumb lines the model kept become boilerplate (in place).
    ``candidates``: the lines that may be (all when None)."""
    for i in range(len(texts)) if candidates is None else candidates:
        text = texts[i]
        if labels[i] != "main" or len(text) > 160:
            continue
        if _NAV_CHAR.search(text) is None:
            continue
        items = [p for p in _NAV_SPLIT.split(text) if p.strip()]
        if len(items) >= 3 and all(
            len(p.split()) <= 3 and not p.rstrip().endswith((".", "!", "?")) for p in items
        ):
            labels[i] = "boilerplate"


def fill_gaps(texts: list[str], labels: list[str], min_words: int) -> None:
    """A boilerplate line of ``min_words`` words or more between two main lines
    is main (in place): a paragraph inside the article that the model doubted.
    (Such a line sits between two main lines two apart; filling one never
    makes another such line.)"""
    for a, b in itertools.pairwise(main_lines(labels)):
        if b - a == 2 and labels[a + 1] == "boilerplate" and len(texts[a + 1].split()) >= min_words:
            labels[a + 1] = "main"


def fill_doubts(labels: list[str], doubtful: list[int], window: int = 2) -> None:
    """The ``doubtful`` lines (the model gives them some main probability)
    that are boilerplate with a main line at most ``window`` lines above and
    below become main (in place): items of a listing between items the model
    kept."""
    n = len(labels)
    is_main = list(map("main".__eq__, labels))
    for i in doubtful:
        if (
            labels[i] == "boilerplate"
            and any(is_main[max(0, i - window) : i])
            and any(is_main[i + 1 : min(n, i + window + 1)])
        ):
            labels[i] = "main"


def rejoin(lines: list[str], adjacent: list[bool]) -> list[str]:
    """Join hard-wrapped lines. ``adjacent[i]``: line i+1 directly followed line i
    in the original (no other zone between them)."""
    # A run of joined lines is a list of parts until the end (joining as it
    # went made a long run cost its square); ``tail``: the run's last 2
    # characters, all the test reads.
    runs: list[list[str]] = []
    tail = ""
    for i, line in enumerate(lines):
        if runs and adjacent[i - 1] and line[0].islower() and tail[-1] not in CLOSED:
            if tail.endswith("-") and len(tail) > 1 and tail[-2].isalpha():
                runs[-1][-1] = runs[-1][-1][:-1]  # (it ends with the hyphen)
                tail = tail[:-1]
            else:
                line = " " + line
            runs[-1].append(line)
            tail = (tail + line)[-2:]
            continue
        runs.append([line])
        tail = line[-2:]
    return ["".join(run) for run in runs]


DIGIT_RE = re.compile(r"\d")


# A day's date or a time of day (a year alone is not enough), in English or
# in one of ``lexicon``'s languages.
DAY_DATE = re.compile(
    r"\b"
    + _EN_MONTH
    + r"\.?\s+\d|\b\d{1,2}(?:st|nd|rd|th)?\s+"
    + _EN_MONTH
    + r"\b|"
    + _EN_DAY_TIME
    + "|"
    + FOREIGN_DAY_DATE,
    re.IGNORECASE,
)


POST_FOOTER = re.compile(r"\btags?:|\bcategor(?:y|ies)\b|\bfiled under\b", re.IGNORECASE)


def lines_starts(texts: list[str]) -> list[int]:
    """Offsets of the lines in ``"\\n".join(texts)``."""
    return list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))


def joined_keys(keys: list[str]) -> tuple[str, list[int]]:
    """The keys joined by "\\n", and where each one's newline is (one past it:
    ``bisect_right(ends, at)`` is the line of character ``at``)."""
    return "\n".join(keys), list(itertools.accumulate(map((1).__add__, map(len, keys))))


def word_lines(text: str, starts: Sequence[int], words: Sequence[str]) -> list[int]:
    """Lines of ``text`` (first characters at ``starts``) holding one of
    ``words`` (case-sensitive substrings), in order."""
    hits: list[int] = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            hits.append(at)
            at = text.find(word, at + 1)
    return sorted({max(bisect.bisect_right(starts, h) - 1, 0) for h in hits})


_BYLINE_ANY = re.compile(r"^(?:by|von|par|por|di|door|written by|posted by|words by)\s\S", re.I)


_READ_TIME = re.compile(r"\b\d+\s*(?:min(?:ute)?s?)\.?\s+read\b", re.IGNORECASE)


NAME_LIKE = re.compile(r"^[A-Z][a-z'’.-]+(?: [A-Z][a-z'’.-]*\.?){1,2}$")


def meta_line(line: str) -> bool:
    """A byline, a date line or a reading-time line: short, and ``By NAME``,
    a date, or "N min read"."""
    words = line.split()
    if not words or len(words) > 16:
        return False
    if _BYLINE_ANY.match(line):
        return True
    # (A reading time and a date both need a digit: most lines have none.)
    if DIGIT_RE.search(line) is None:
        return False
    if _READ_TIME.search(line):
        return True
    return len(words) <= 12 and DAY_DATE.search(line) is not None


def main_lines(labels: list[str]) -> list[int]:
    """Indices of the lines labelled main, in order."""
    return list(itertools.compress(range(len(labels)), map("main".__eq__, labels)))


def article_start(
    texts: list[str], labels: list[str], gap: int = 3, *, mains: list[int] | None = None
) -> int:
    """The first line of the page's longest run of main text (main lines at
    most ``gap`` lines apart, measured in characters); 0 when none.
    ``mains``: ``main_lines(labels)`` when at hand."""
    best, best_len = 0, 0
    start, run, last = -1, 0, -(gap + 1)
    for i in main_lines(labels) if mains is None else mains:
        if i - last > gap:
            start, run = i, 0
        run += len(texts[i])
        last = i
        if run > best_len:
            best, best_len = start, run
    return best


def stray_blocks(texts: list[str], labels: list[str], *, gap: int, share: float) -> None:
    """Small runs of main text below the article become boilerplate (in
    place): main lines are grouped into blocks (main lines at most ``gap``
    lines apart); a block after the largest one (in characters) with fewer
    than ``share`` of its characters is a teaser, a sidebar or a footer.
    Blocks above it are left alone (an intro, a standfirst)."""
    blocks: list[list[int]] = []
    for i in main_lines(labels):
        if blocks and i - blocks[-1][-1] <= gap:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    if len(blocks) < 2:
        return
    sizes = [sum(len(texts[i]) for i in b) for b in blocks]
    top = max(range(len(blocks)), key=sizes.__getitem__)
    for k, b in enumerate(blocks):
        if k <= top:
            continue
        if sizes[k] < share * sizes[top]:
            for i in b:
                labels[i] = "boilerplate"


def bylines(texts: list[str], labels: list[str], title: int | None, window: int) -> None:
    """Bylines, date lines and reading times (``meta_line``) among the first
    lines of the article become boilerplate (in place): main lines within
    ``window`` lines below the title, or above the first paragraph when no
    title was found."""
    mains = main_lines(labels)
    if not mains:
        return
    long = [i for i in mains if len(texts[i].split()) >= MIN_PARAGRAPH_WORDS]
    start = title + 1 if title is not None else max(0, (long[0] if long else mains[0]) - window)
    for i in range(start, min(len(texts), start + window)):
        if labels[i] == "main" and meta_line(texts[i]):
            labels[i] = "boilerplate"
