"""Comment sections: the lines under a comment heading, found and walked
(authors and meta lines are in ``authors``, whole-page fixes and section
furniture in ``comment_fixes``; see ``rules`` for the rest).

* comment sections: under a heading that counts comments ("12 Comments",
  "3 Responses to ...", "Comments (4)") below at least 30 % of the main text,
  up to the reply form or the sidebar (``COMMENTS_END``), main lines and long
  boilerplate lines are comments, name/date/vote lines their meta; a page
  whose headings carry different counts is a listing of teasers. The heading
  may repeat a long post title ("45 users responded in <title>"), sit in
  braces ("{ 131 comments }"), or give no count ("Comments", a widget's
  "Sort: Newest | Oldest") when a comment date or vote line follows within
  4 lines and the heading is not one of a row of tabs.
* sections the model lost: a counted heading with author or date lines below
  it (or a bare "Comments" heading with a comment's author or date line right
  below it) starts a section even when the model took the comments for
  article text; a reply form right under the heading does not end it; an open
  section runs on over further comments that open with an author, date or
  vote line (``_more_comments``); a short line right under such a line is
  that comment's text.
* counted headings, reply forms and sidebars ("Schreibe einen Kommentar",
  "Articoli correlati") in the fifteen languages of ``lexicon`` too.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence

from thresher.segment import lexicon
from thresher.segment.authors import (
    AUTHOR_MAX_WORDS,
    META_MAX_WORDS,
    VOTE_RE,
    author_line,
    author_of,
    meta_like,
    name_like,
)
from thresher.segment.comment_fixes import COUNT_LINE, section_chrome
from thresher.segment.rules import (
    has_date,
    joined_keys,
    lines_starts,
    word_lines,
)

# A comment section's heading ("12 Comments", "3 Responses to ...", "Reader
# comments (4)", "45 users responded in ...") and the lines that end it (the
# reply form, the sidebar).
_NUMBER = (
    r"(?:" + lexicon.THOUSANDS + r"|[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)"
)
# "Comments (4)", "Comments: 4", "Comments (1,234)" after the heading word.
_BRACKETED_NUMBER = r"(?:" + lexicon.THOUSANDS + r"|[1-9]\d*)"
_BRACKETED_COUNT = r"\s*(?:\(\s*" + _BRACKETED_NUMBER + r"\s*\)|:\s*" + _BRACKETED_NUMBER + r")\s*$"
# The counts in other languages: alone ("12 Kommentare", "1.234 Kommentare",
# "Comentarios (3)") or before the post's title ("12 Kommentare zu „...“").
_FOREIGN_NUMBER = r"(?:" + lexicon.THOUSANDS + r"|[1-9]\d*)\s+"
_ON_TITLE = r"\s+" + lexicon.COUNT_JOINERS + r"\s+\S"
# What follows the count's word: the line's end, or the post's title.
_COUNT_END = r"(?:\s*[:.]?\s*$|" + _ON_TITLE + ")"
_FOREIGN_COUNTED = (
    r"|^"
    + _FOREIGN_NUMBER
    + lexicon.COMMENTS
    + _COUNT_END
    + r"|^"
    + lexicon.COMMENTS
    + _BRACKETED_COUNT
)
# Their reply counts ("12 Antworten", "3 réponses à « ... »"): a heading, but
# not one that counts comments (a forum thread's replies have one too).
_FOREIGN_REPLIES = r"|^" + _FOREIGN_NUMBER + lexicon.REPLIES + _COUNT_END


COMMENTS_START = re.compile(
    r"^(?:[{(\[]\s*)?" + _NUMBER + r"\s+"
    r"(?:comments?|responses?|replies|thoughts)(?:\s*(?:so far|[:.»])?\s*[})\]]?\s*$|\s+(?:on|to|in)\s+\S"
    r"|\s*[–—-]\s*permalink|\s*(?:…|\.\.\.)\s*read\b|,\s*(?:comment|leave|add|post)\b)"
    r"|^(?:reader |user |visitor )?(?:comments?|responses|discussion)"
    + _BRACKETED_COUNT
    + r"|\busers? responded\b|^comments filter\b"
    # Comment widgets (wpDiscuz, Disqus...): their controls sit right above the comments.
    r"|^notify of$|^(?:oldest\s*/?\s*)?newest\s*/?\s*most voted$|^inline feedbacks$"
    r"|^view all comments$|^join the discussion$|^\d+\s+comments?\s*[|·]\s*(?:sort|newest|oldest)"
    + _FOREIGN_COUNTED
    + _FOREIGN_REPLIES,
    re.IGNORECASE,
)


COMMENTS_END = re.compile(
    r"^(?:leave|post|add|write|submit|make)\s+(?:a\s+|your\s+|new\s+)?(?:comment|reply|response)\b"
    r"|^(?:your|post)\s+(?:comment|reply)\b|^click here to cancel reply|^comment help\b"
    r"|^related\s+(?:links|posts|articles|stories)\b|^recent\s+(?:entries|posts|comments)\b"
    r"|^(?:name|email|website)\s*(?:\(required\)|\*|:)"
    r"|^(?:load|show|view|see)\s+(?:more|older|newer|previous)\s+(?:comments|replies)\b"
    r"|^blog comments powered by\b|^(?:the )?comments (?:to this entry |on this post )?(?:are|have been) closed\b"
    r"|^verify your comment$|^previewing your comment$"
    # In ``lexicon``'s languages: "Schreibe einen Kommentar", "Articoli correlati", "Имя *".
    r"|" + lexicon.COMMENTS_END,
    re.IGNORECASE,
)


# A heading that counts comments (not a forum thread's replies).
COMMENTS_COUNTED = re.compile(
    "^" + _NUMBER + r"\s+(?:comments?|responses?|thoughts)\b"
    r"|^(?:reader |user |visitor )?(?:comments?|responses)"
    + _BRACKETED_COUNT
    + r"|\busers? responded\b"
    + _FOREIGN_COUNTED,
    re.IGNORECASE,
)


SECTION_MAX_WORDS = 10


# Headings that give no count ("Comments", "Comments»", a comment widget's sort control):
# their section must hold a comment_meta-like line (a date, a vote count) or an
# author line ("Dave said:") within ``BARE_META_WITHIN`` lines.
COMMENTS_START_BARE = re.compile(
    r"^comments(?::|\s*»)?$|^sort:\s*(?:newest\s*\|\s*oldest|oldest\s*\|\s*newest)\b|^post comment as\b"
    r"|^you can follow this conversation by subscribing\b",
    re.IGNORECASE,
)


_HEAD_MAX_CHARS = 120


HEAD_ON_TITLE_MAX_CHARS = 250


# Heading words without their first letter (either case), and in capitals.
_HEAD_WORDS = (
    "omment",
    "espon",
    "eplies",
    "houghts",
    "iscussion",
    "OMMENT",
    "ESPON",
    "EPLIES",
    "otify of",
    "ost Voted",
    "ost voted",
    "nline Feedback",
    "nline feedback",
    "Sort:",
    "omentar",  # comentarios
    "OMENTAR",
    "omentár",  # comentários
    "OMENTÁR",
    "eacties",
    "EACTIES",
    "омментари",
    "ОММЕНТАРИ",
)


_COUNT = re.compile(lexicon.THOUSANDS + r"|\d+")  # "1.203 réponses" holds one count


NEAR = 2


# "12 Responses to <the post's title>": the title may be long.
_HEAD_ON_TITLE = re.compile(
    "^" + _NUMBER + r"\s+"
    r"(?:comments?|responses?|replies|thoughts|users? responded)\s+(?:on|to|in)\s+\S"
    r"|^" + _FOREIGN_NUMBER + "(?:" + lexicon.COMMENTS + "|" + lexicon.REPLIES + ")" + _ON_TITLE,
    re.IGNORECASE,
)


def is_comment_heading(line: str) -> bool:
    if len(line) <= _HEAD_MAX_CHARS and len(line.split()) <= SECTION_MAX_WORDS:
        return (
            COMMENTS_START.search(line) is not None or COMMENTS_START_BARE.search(line) is not None
        )
    return len(line) <= HEAD_ON_TITLE_MAX_CHARS and _HEAD_ON_TITLE.match(line) is not None


BARE_META_WITHIN = 4


def _tab_row(texts: list[str], i: int) -> bool:
    """Line ``i`` is one of a row of tabs ("Latest", "Popular", "Comments"):
    the lines on both sides are single words."""
    return 0 < i < len(texts) - 1 and all(
        len(texts[j].split()) == 1 and texts[j][-1].isalnum() for j in (i - 1, i + 1)
    )


def _opens_at(texts: list[str], j: int) -> int | None:
    """Where a comment opens at line ``j``, after at most two lines of
    furniture ("Reply · Report"): its author, date or vote line (or a name
    line right above one), else None."""
    n = len(texts)
    start = j
    while j < n and j - start < 2 and section_chrome(texts[j]):
        j += 1
    if j + 1 < n and name_like(texts[j]) and _comment_head(texts[j + 1]):
        return j  # "Anna" above "12 days ago"
    return j if j < n and _comment_head(texts[j]) else None


MAX_BODY_LINES = 8
HEAD_BLOCK_LINES = 8


def _named_first(texts: list[str], j: int) -> bool:
    """Line ``j`` is a name over a comment's text, and the next comment opens
    with an author, date or vote line within ``MAX_BODY_LINES`` lines below."""
    n = len(texts)
    if not (j + 2 < n and name_like(texts[j]) and not _heads_comment(texts[j + 1])):
        return False
    if COMMENTS_END.search(texts[j + 1]) or section_chrome(texts[j + 1]):
        return False
    return any(
        _opens_at(texts, m) is not None for m in range(j + 2, min(n, j + 2 + MAX_BODY_LINES))
    )


def _more_comments(texts: list[str], end: int, *, by_name: bool = False) -> int:
    """Where a comment section ends, given that it runs at least to ``end``:
    on past each further comment (``_opens_at``) with its text right below its
    author and date lines. The text is one line, or the lines up to the next
    comment when one opens within ``MAX_BODY_LINES`` lines. ``by_name``: the
    first comment may open with a bare name line ("jsmith") where the one
    after it opens with an author, date or vote line (right below a comment
    widget's controls, where nothing else is)."""
    n = len(texts)
    j = _opens_at(texts, end)
    if j is None and by_name and _named_first(texts, end):
        j = end
    while j is not None:
        k = j + 1
        while k < n and k - j < BARE_META_WITHIN and _heads_comment(texts[k]):
            k += 1
        if k >= n or COMMENTS_END.search(texts[k]) or section_chrome(texts[k]):
            break
        end, j = k + 1, None
        for m in range(k + 1, min(n, k + 1 + MAX_BODY_LINES)):
            if COMMENTS_END.search(texts[m]):
                break
            j = _opens_at(texts, m)
            if j is not None:
                end = m
                break
    return end


def _sentence(line: str) -> bool:
    """A sentence of more than 6 words ("We moved here in 2018 and ..."), which
    a comment's date line is not."""
    return line.rstrip()[-1:] in (".", "!", "?") and len(line.split()) > AUTHOR_MAX_WORDS


def _heads_comment(line: str) -> bool:
    """A comment's author, date or vote line (which its text follows; a bare
    vote count, "↑ 17 ↓", sits under a comment's text instead)."""
    return (name_like(line) or meta_like(line) or author_line(line)) and not VOTE_RE.match(line)


SHORT_META_WORDS = 8


def _comment_head(line: str) -> bool:
    """A comment's author line, or a date or vote line of at most
    ``SHORT_META_WORDS`` words (a dated teaser's headline is longer), not a
    bare vote count (it sits under a comment's text)."""
    return author_line(line) or (
        len(line.split()) <= SHORT_META_WORDS and meta_like(line) and not VOTE_RE.match(line)
    )


def _under_head(above: str, line: str) -> bool:
    """``line`` is a comment's text right under its author, date or vote line
    (``above``), however short ("Well said."): it has a letter, is no such line
    itself and does not speak of comments."""
    return (
        any(c.isalpha() for c in line)
        and "omment" not in line
        and _heads_meta(above)
        and not (_heads_comment(line) or VOTE_RE.match(line))
    )


def _heads_meta(line: str) -> bool:
    """A comment's date, vote or author line."""
    return meta_like(line) or author_line(line)


def _authored(texts: list[str], first: int, end: int | None = None, *, short: bool = False) -> bool:
    """One of the ``BARE_META_WITHIN`` lines from ``first`` (and before ``end``)
    is a comment's date, vote or author line (``short``: a ``_comment_head``)."""
    stop = min(len(texts) if end is None else end, first + BARE_META_WITHIN)
    test = _comment_head if short else _heads_meta
    return any(test(texts[i]) for i in range(first, stop))


def heading_candidates(text: str, starts: Sequence[int]) -> list[int]:
    """Lines of ``text`` (first characters at ``starts``) holding a heading
    word: plain substring scans of the page, no per-line work; and the lines
    that open with a count of comments or replies ("12 Antworten", "5 yorum")."""
    found = word_lines(text, starts, _HEAD_WORDS)
    texts = text.split("\n") if text else []
    digits = [i for i, t in enumerate(texts) if t[:1].isdigit()]
    return sorted(set(found).union(count_lines(texts, digits)))


def count_lines(texts: list[str], digit_lines: Iterable[int]) -> list[int]:
    """Of ``digit_lines`` (lines that open with a digit), those that open with
    a count of comments or replies (``comment_fixes.COUNT_LINE``: "12
    Antworten", "3 réponses", "5 yorum"): such a heading needs its number
    first, so the page needs no scan for the words of ``lexicon``'s languages
    (some are parts of English words, and each scan costs a pass over the
    page)."""
    match = COUNT_LINE.match
    return [i for i in digit_lines if match(texts[i]) is not None]


_HEAD_FOLDED = tuple(sorted({w.casefold() for w in _HEAD_WORDS}))


def heading_lines(
    texts: list[str],
    keys: list[str],
    joined: tuple[str, list[int]] | None = None,
    digit_lines: Iterable[int] | None = None,
) -> list[int]:
    """``heading_candidates`` from the lines and their ``norm_keys``: a scan of
    the joined keys for the casefolded heading words (fewer words, a shorter
    text; a line holding a heading word holds it casefolded in its key), then
    the case-sensitive test on the lines found. ``joined``: ``joined_keys(keys)``
    when at hand; ``digit_lines``: the lines that open with a digit, when
    known (found here when None)."""
    if digit_lines is None:
        digit_lines = [i for i, t in enumerate(texts) if t[:1].isdigit()]
    joined_text, ends = joined_keys(keys) if joined is None else joined
    found: set[int] = set()
    for word in _HEAD_FOLDED:
        at = joined_text.find(word)
        while at >= 0:
            i = bisect.bisect_right(ends, at)
            found.add(i)
            at = joined_text.find(word, ends[i])
    found = {i for i in found if any(w in texts[i] for w in _HEAD_WORDS)}
    return sorted(found.union(count_lines(texts, digit_lines)))


def comment_section(
    texts: list[str],
    labels: list[str],
    *,
    min_words: int = 5,
    min_main_share: float = 0.3,
    min_main_chars: int = 200,
    candidates: list[int] | None = None,
) -> bool:
    """Relabel the lines under a comment-section heading (in place).

    The heading is a short line matching ``COMMENTS_START`` below at least
    ``min_main_share`` of the page's main text (or, when it counts comments and
    an author or date line follows it, or is a bare "Comments" heading over a
    comment's author or date line, below ``min_main_chars`` of it: the model
    may have taken the comments for article text). The section runs to
    the first ``COMMENTS_END`` line (the reply form, the sidebar; a reply form
    within 2 lines of the heading with comments below it does not count, and
    when no other end follows, the section is the comments below that form
    one after another, ``_more_comments``) or, when there is none, to the last
    line the model calls main or comment and on over any further comments
    that open with an author, date or vote line (``_more_comments``).
    In it, main lines and boilerplate lines of ``min_words`` words or more
    (in an open-ended section, only those within ``NEAR`` lines of a line the
    model calls content or of a comment's author, date or vote line) are
    comments, except section furniture (sign-in, moderation notes); a short
    name-like line above a comment, an author line ("Anna says:"), or a line
    with a date or a vote count, is ``comment_meta``. A page whose headings
    carry different counts is a listing of teasers: no section. ``candidates``:
    the lines that may be headings (``heading_candidates``; computed when None).
    Returns whether a section was found."""
    n = len(texts)
    if candidates is None:
        candidates = heading_candidates("\n".join(texts), lines_starts(texts))
    heads = [i for i in candidates if is_comment_heading(texts[i])]
    if not heads:
        return False
    main_len = [len(t) if lab == "main" else 0 for t, lab in zip(texts, labels, strict=True)]
    total = sum(main_len)
    if total == 0:
        return False
    cum = list(itertools.accumulate(main_len))
    # A counted comments heading ("45 users responded", "12 Comments", not a
    # forum's "76 Replies") with author or date lines right below it starts a
    # section even when the model took the comments under it for article text
    # (which makes the main text above it a small share); so does a bare
    # "Comments" over a comment's author or date line ("1. Ann - May 3, 2012").
    start = next(
        (
            i
            for i in heads
            if cum[i] >= min_main_chars
            and (
                cum[i] >= min_main_share * total
                or (COMMENTS_COUNTED.search(texts[i]) is not None and _authored(texts, i + 1))
                or (
                    COMMENTS_START_BARE.search(texts[i]) is not None
                    and _authored(texts, i + 1, short=True)
                )
            )
        ),
        None,
    )
    if start is None:
        return False
    # Headings with different counts ("3 comments", "10 comments") are the
    # comment counts of teasers in a listing, not a section.
    if len({m.group() for i in heads for m in _COUNT.finditer(texts[i])}) > 1:
        return False
    end = start + 1
    last = start
    form = None  # a reply form right under the heading, the comments below it
    while end < n:
        if COMMENTS_END.search(texts[end]):
            if form is not None or end - start > 2 or not _authored(texts, end + 1, short=True):
                break
            form = end
        elif labels[end] in ("main", "comment", "comment_meta"):
            last = end
        end += 1
    if form is not None and end == n:
        # No other end closes the section: it is the comments right below the
        # form, one after another (sidebars further down are not).
        end = max(_more_comments(texts, form + 1), form + 1)
    bounded = end < n
    if not bounded:
        end = last + 1
        # Nor does it end on an author or date line: the comment it heads
        # follows, below any more such lines ("Anna says:", "June 4, 2019").
        if _heads_comment(texts[last]):
            while end < n and end - last < BARE_META_WITHIN and _heads_comment(texts[end]):
                end += 1
            end = min(end + 1, n)
        # The comments begin below the widget's last control ("1 Comments",
        # "Newest Most Voted", "View all comments") when the model kept none.
        top = max((h for h in heads if last < h <= start + HEAD_BLOCK_LINES), default=start)
        end = _more_comments(texts, max(end, top + 1), by_name=end <= top + 1)
    if COMMENTS_START_BARE.search(texts[start]) and (
        _tab_row(texts, start) or not _authored(texts, start + 1, end)
    ):
        return False
    body = []
    # Lines a comment may be near: the model's content, and in an open section
    # also a comment's date, vote or author line.
    anchor = [lab in ("main", "comment", "comment_meta") for lab in labels]
    if not bounded:
        for i in range(start + 1, end):
            anchor[i] = anchor[i] or meta_like(texts[i]) or author_line(texts[i])
    for i in range(start + 1, end):
        lab = labels[i]
        # A boilerplate line is a comment when it is long enough and near a
        # line the model calls content or a comment's author or date line
        # (sidebars below a section are not); a short one ("Well said.") too,
        # right under an author or date line. Section furniture is not.
        if lab == "boilerplate":
            near = bounded or any(anchor[max(start + 1, i - NEAR) : min(end, i + NEAR + 1)])
            if not (
                (near and len(texts[i].split()) >= min_words) or _under_head(texts[i - 1], texts[i])
            ):
                continue
        elif lab not in ("main", "comment"):
            continue
        if section_chrome(texts[i]):
            if lab == "main":
                labels[i] = "boilerplate"  # a reply button the model kept
            continue
        labels[i] = "comment"
        body.append(i)
    if not body:
        return False
    labels[start] = "boilerplate"
    if bounded:
        # The reply form or sidebar heading that ends the section ("Leave a
        # Reply", "Related stories"), and the form's lines right under it
        # ("Name *", the e-mail note), whatever the model called them.
        k = end
        while k < n and (k == end or COMMENTS_END.search(texts[k])):
            labels[k] = "boilerplate"
            k += 1
    for i in range(start + 1, end):
        if labels[i] == "boilerplate" or (
            labels[i] == "comment"
            and (
                (nw := len(texts[i].split())) <= 12
                or (nw <= META_MAX_WORDS and author_line(texts[i]))
            )
        ):
            line = texts[i]
            nxt = labels[i + 1] if i + 1 < n else ""
            if (
                (name_like(line) and nxt == "comment")
                or author_line(line)
                or meta_like(line)
                or (
                    len(line.split()) <= 12
                    and (
                        VOTE_RE.match(line)
                        or (
                            has_date(line) and author_of([line]) is not None and not _sentence(line)
                        )
                    )
                )
            ):
                labels[i] = "comment_meta"
    return True
