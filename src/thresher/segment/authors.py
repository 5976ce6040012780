"""Comment authors and meta lines: who wrote a comment, and which lines are its
author, date or vote line (the comment rules are in ``comments`` and
``comment_fixes``; see ``rules`` for the rest).

* comment meta: inside a comment section, a bare vote count ("12", "-4 points")
  is ``comment_meta``, and so is a short name-like line directly above a meta
  line that holds no name of its own (author above, date or votes below).
* comment authors: the name part of an author/date/vote line, found between
  the line's dates ("10. Jul, 2012 / Jessi says:" -> "Jessi"), without date
  words at its edges; an author line ("Dave said:", "anonymous responded:")
  is comment_meta.
* comment dates and author lines ("am 12. März 2021 um 10:15 Uhr", "hace 3
  horas", "Jean a écrit :"), reply buttons and vote counts ("12 Punkte") in
  the fifteen languages of ``lexicon`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from thresher.segment import lexicon
from thresher.segment.lexicon import DAY_WORDS, SAYS
from thresher.segment.rules import (
    AUTHOR_NOISE,
    CLOSED,
    COMMENTISH,
    DATE_RE,
    DAY_DATE,
    DIGIT_RE,
    EDGE,
    POST_FOOTER,
)

VOTE_RE = re.compile(
    r"^[+\-−–]?\s?\d[\d,.]*\s*[kK]?\s*(?:points?|votes?|likes?|" + lexicon.VOTES + ")?$"
    r"|^[↑▲]\s*[+\-−–]?\d[\d,.]*\s*[↓▼]$",  # a vote widget: "↑ 17 ↓"
    re.IGNORECASE,
)


_NOT_NAMES = frozenset(
    [
        "reply",
        "replies",
        "report",
        "share",
        "like",
        "likes",
        "quote",
        "permalink",
        "flag",
        "edit",
        "delete",
        "cancel",
        "more",
        "load",
        "comments",
        "comment",
        "loading",
    ]
)
# Reply and other buttons in ``lexicon``'s languages ("Antworten", "Melden").
_NOT_NAMES |= lexicon.BUTTON_WORDS


_INITIAL_END = re.compile(r"(?:^|\s)\w\.$")  # "Anna K."


def name_like(line: str) -> bool:
    words = line.split()
    return (
        1 <= len(words) <= 4
        and (line[-1] not in CLOSED or _INITIAL_END.search(line) is not None)
        and not any(w.lower().strip(".:!") in _NOT_NAMES for w in words)
    )


def fix_comment_meta(texts: list[str], labels: list[str]) -> None:
    """Relabel lines inside a comment section (in place). Once the section has
    begun (its first author/date line): a bare vote count is meta; a name line
    above a nameless date/vote line is meta; a "main" line right under a meta
    line is a comment's text, and so are the main lines directly following it."""
    n = len(labels)
    if "comment_meta" not in labels:
        return
    # The section begins a little above its first comment line (author, votes).
    start = max(0, next(i for i, lab in enumerate(labels) if lab in COMMENTISH) - 2)
    for i in range(start, n):
        if labels[i] in ("comment", "boilerplate", "main") and VOTE_RE.match(texts[i]):
            near = {labels[i - 1] if i else "", labels[i + 1] if i + 1 < n else ""}
            if near & {"comment", "comment_meta", "main"}:
                labels[i] = "comment_meta"
    for i in range(start, n - 1):
        if (
            labels[i] in ("comment", "boilerplate")
            and labels[i + 1] == "comment_meta"
            and name_like(texts[i])
            and author_of([texts[i + 1]]) is None
        ):
            labels[i] = "comment_meta"
    converted = False
    for i in range(start + 1, n):
        if labels[i] == "main" and (
            labels[i - 1] == "comment_meta" or (labels[i - 1] == "comment" and converted)
        ):
            labels[i] = "comment"
            converted = True
        else:
            converted = False


# Words that are a date's or a byline's, never a commenter's name on their own.
# Month and weekday names are first names too ("April Smith", "Jan de Vries",
# "Sun Li"): they are set aside only where they touch a date (``_between_dates``)
# or on a line that has no digit, whose weekday is its date ("Anna on Thursday").
_WEEKDAY_TEXT = (
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday"
)
_MONTH_TEXT = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february "
    "march april june july august september october november december"
)
_BYLINE_TEXT = (
    "am pm at on by in and the of posted st nd rd th utc gmt bst cet cest est edt cst cdt "
    "mst mdt pst pdt today yesterday just now ago"
)
_WEEKDAY_WORDS = frozenset(_WEEKDAY_TEXT.split())
_MONTH_WORDS = frozenset(_MONTH_TEXT.split())
_CALENDAR_WORDS = _WEEKDAY_WORDS | _MONTH_WORDS
_BYLINE_WORDS = frozenset(_BYLINE_TEXT.split()) | DAY_WORDS
_DATE_WORDS = _CALENDAR_WORDS | _BYLINE_WORDS


def _date_word(word: str, *, calendar: bool = True, weekday: bool = False) -> bool:
    """A word of a date or byline ("Thu,", "on", "12th", "EDT"), or
    punctuation; a month or weekday name only when ``calendar``, a weekday
    name also when ``weekday``."""
    word = word.strip(EDGE + ".").lstrip("0123456789").casefold()
    return (
        not word
        or word in _BYLINE_WORDS
        or (calendar and word in _CALENDAR_WORDS)
        or (weekday and word in _WEEKDAY_WORDS)
    )


# Separators between a date and a name ("Dec 4, 2012 | Jan"): a month name
# beyond one is the name ("Jan", "April"), not the date's.
_NAME_SEPARATORS = "|•·–—/"


def _apart(piece: str) -> bool:
    """``piece`` has a separator of its own, a word apart ("April | ")."""
    return any(w.strip(_NAME_SEPARATORS) == "" for w in piece.split())


def _between_dates(line: str) -> Iterator[tuple[str, bool, bool]]:
    """The stretches of ``line`` before, between and after its dates, found
    one at a time (the first usually holds the name), each with whether a
    date (or, on a line without a digit, the line's edge) is at its start and
    at its end. A line without a digit is one stretch: its "today" or
    "Thursday" is a date word at the name's edge, or it is a sentence ("Would
    I pick him up today in ...")."""
    if DIGIT_RE.search(line) is None:
        yield line, True, True
        return
    at = 0
    for m in DATE_RE.finditer(line):
        yield line[at : m.start()], at > 0, True
        at = m.end()
    yield line[at:], at > 0, False


BY_WITHIN = 5  # words from a piece's start that a byline's "by" may stand at
_BY_LEADS = frozenset(("comment", "comments", "posted", "written", "submitted", "reply", "answer"))


def author_of(meta_lines: list[str]) -> str | None:
    """The commenter's name from their author/date/vote lines, or None: the
    first stretch of a line between its dates that holds a name once the
    "says:", vote counts and date words are set aside ("10. Jul, 2012 / Jessi
    says:" -> "Jessi")."""
    for line in meta_lines:
        if SCORE_SUBJECT.search(line):
            continue  # a thread's subject line, not its author's
        for piece, dated_start, dated_end in _between_dates(line):
            core = piece.strip(EDGE + ".")
            if not core or (
                core.casefold() in _DATE_WORDS
                and not (core.casefold() in _MONTH_WORDS and _apart(piece))
            ):
                continue  # ", " or " at " between a date's parts
            words = AUTHOR_NOISE.sub(" ", piece).split()
            # A byline's "by" near the start, after "Comment #1 -" and the like:
            # the name follows it ("Comment #1 - Posted by: Anna" -> "Anna"; a
            # user "Stand by me" keeps the name).
            by = next(
                (k for k, w in enumerate(words[:BY_WITHIN]) if w.rstrip(":").casefold() == "by"),
                None,
            )
            if (
                by is not None
                and by + 1 < len(words)
                and all(
                    w.casefold() in _BY_LEADS or not any(c.isalpha() for c in w) for w in words[:by]
                )
            ):
                words = words[by + 1 :]
            # Date words at either end ("by", "on", "Thu,") are not the name's.
            # (A month name past a separator is a name: "Dec 4, 2012 | Jan".)
            apart = False
            while words and _date_word(
                words[0], calendar=dated_start and not apart, weekday=dated_start
            ):
                apart = words.pop(0).strip(_NAME_SEPARATORS) == "" or apart
            apart = False
            while words and _date_word(
                words[-1], calendar=dated_end and not apart, weekday=dated_end
            ):
                apart = words.pop().strip(_NAME_SEPARATORS) == "" or apart
            # A reply button after the name ("12 marzo 2021 Carmen Ruiz
            # Responder"), an English word too ("First Responder") where no
            # date comes first.
            if (
                dated_start
                and len(words) > 1
                and words[-1].casefold() in lexicon.BUTTON_WORDS
                and DIGIT_RE.search(line) is not None
            ):
                words.pop()
            name = " ".join(words).strip(EDGE).strip()
            if 1 <= len(name.split()) <= 6 and any(c.isalpha() for c in name):
                return name
    return None


# Slashdot-style threads: each comment opens with a subject line that carries
# its score ("Re: Wow (Score:2, Insightful)"), then "by NAME (12345) writes:".
SCORE_SUBJECT = re.compile(r"\(Score:\s*-?\d[^)]{0,40}\)\s*$")


_SCORE = re.compile(
    r"\b\d+\s*(?:pts|points?|votes?|likes?|" + lexicon.VOTES + r")\)?$|\s[+\-−–]\d+$", re.IGNORECASE
)


META_MAX_WORDS = 16


# The English verbs of author lines.
_EN_SAYS = ("says", "said", "wrote", "writes", "replied", "responded", "commented")
_EN_SAYS_RE = r"\b(?:" + "|".join(_EN_SAYS) + ")"


# A comment's author line: "Dave P said:", "2. Carrie says:", "Progress Trap said,",
# "7 months ago anonymous responded:"; in ``lexicon``'s languages with its colon
# ("Hans schrieb:", "Jean a écrit :"; a line ending in "dice" is no author line).
_SAYS_LINE = re.compile(
    _EN_SAYS_RE + r"\s*(?:[:,]|\.\.\.|…)?\s*$"
    r"|\b" + SAYS + r"\s*(?::|\.\.\.|…)\s*$",
    re.IGNORECASE,
)


AUTHOR_MAX_WORDS = 6


# An author's verb anywhere in a line ("Marie Lefèvre a écrit le 4 février ...").
_SAYS_WORD = re.compile(
    _EN_SAYS_RE + r"\b|\b" + SAYS + r"(?!\w)",
    re.IGNORECASE,
)


# Words before the verb of a dated author line: the name's, after a date's.
SAYS_WITHIN = 4


# The words an author line may end in, before its colon.
_SAYS_ENDS = frozenset(_EN_SAYS) | lexicon.SAYS_LAST_WORDS


def author_line(line: str) -> bool:
    """A short line that ends in "said:", "says", "wrote,", "responded:" and
    the like; or, up to ``META_MAX_WORDS`` words, one that also carries the
    comment's date: before the name ("Le 4 févr. 2020 à 9 h 12 min, Marie
    Lefèvre a écrit :") or after the verb, to a closing colon ("Marie Lefèvre
    a écrit le 4 février 2020 à 9 h 12 min :")."""
    words = line.split()
    if len(words) <= AUTHOR_MAX_WORDS:
        return _SAYS_LINE.search(line) is not None
    # (Most longer lines are sentences: their end rules them out first.)
    if len(words) > META_MAX_WORDS or not (
        words[-1][-1] == ":" or words[-1].strip(":,.…").casefold() in _SAYS_ENDS
    ):
        return False
    if DIGIT_RE.search(line) is None or DAY_DATE.search(line) is None:
        return False
    if _SAYS_LINE.search(line) is not None:
        return True
    if words[-1][-1] != ":":
        return False
    verb = _SAYS_WORD.search(line)
    return (
        verb is not None
        and len(line[: verb.start()].split()) <= SAYS_WITHIN
        and DAY_DATE.search(line, verb.end()) is not None
    )


def meta_like(line: str) -> bool:
    """A comment's date or vote line: short, with a day's date, a time or a
    score, not a question or an exclamation ("So Sept 10th is New Years
    day?": a comment's text), and not the post's own footer ("Posted by ...
    in News. Tags: ...")."""
    return (
        len(line.split()) <= META_MAX_WORDS
        and line.rstrip()[-1:] not in ("?", "!")
        # (A date, a vote count and a score all need a digit.)
        and DIGIT_RE.search(line) is not None
        and (
            DAY_DATE.search(line) is not None
            or VOTE_RE.match(line) is not None
            or _SCORE.search(line) is not None
        )
        and POST_FOOTER.search(line) is None
    )
