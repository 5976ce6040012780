"""Whole-page fixes to the model's comment labels, outside a comment section's
walk (``comments``): furniture, look-alikes and threads (see ``rules`` for the
rest).

* scored threads (Slashdot): subject lines carrying "(Score:N)" and "by NAME
  writes:" lines are comment_meta, the lines up to the next subject the
  comment; comment lines above the thread are the story's.
* comments inside the article: a run of comment lines between article
  paragraphs, above the first comment_meta line, is main.
* comment furniture: comment lines that are a row of widget buttons ("Like
  Reply Flag as Offensive") or a loading note are boilerplate, short date
  lines comment_meta; comments among teasers' differing counts ("27
  comments", "49 comments") are a listing, not comments. Section furniture
  (``section_chrome``: widget controls, moderation notes, sign-in links)
  is no comment, also in ``lexicon``'s languages ("Trier par", "Antworten ·
  Melden").
* specification tables: a product's key-value rows ("Battery Capacity : 1700
  mAh") are no authors and comments (``spec_table_lines``).
* forum threads: a page with three or more member post counts ("4931 posts")
  is a thread; its posts are main text (WCXB's convention).
* a blog post whose byline sits right under its headline is the post, not
  the first comment (``post_under_title``).
"""

from __future__ import annotations

import itertools
import re

from thresher.segment import lexicon
from thresher.segment.authors import SCORE_SUBJECT
from thresher.segment.rules import COMMENTISH, has_date


def comments_inside_article(texts: list[str], labels: list[str]) -> None:
    """Comment lines inside the article are the article's (in place): a run of
    lines the model calls comments (boilerplate and captions may sit between
    them), above the page's first comment_meta line, with main text at most
    ``ARTICLE_GAP`` lines above it and a paragraph (``ARTICLE_NEXT_WORDS``
    words or more) of main text at most ``ARTICLE_GAP`` lines below, becomes
    main."""
    if "comment" not in labels:
        return
    n = len(labels)
    first_meta = labels.index("comment_meta") if "comment_meta" in labels else n
    i = labels.index("comment")
    while i < first_meta:
        if labels[i] != "comment":
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < first_meta and j - run[-1] <= ARTICLE_GAP and labels[j] != "main":
            if labels[j] == "comment":
                run.append(j)
            elif labels[j] not in ("boilerplate", "caption"):
                break
            j += 1
        k = i - 1
        while k >= 0 and i - k <= ARTICLE_GAP and labels[k] in ("boilerplate", "caption"):
            k -= 1
        if (
            k >= 0
            and labels[k] in ("main", "title")
            and j < n
            and labels[j] == "main"
            and j - run[-1] <= ARTICLE_GAP
            and len(texts[j].split()) >= ARTICLE_NEXT_WORDS
        ):
            for m in run:
                labels[m] = "main"
        i = j


POST_MAX_MAIN_CHARS = 200


POST_PARAGRAPH_WORDS = 8


_BYLINE_START = re.compile(r"^(?:by|posted by|written by|posted on|published)\s", re.IGNORECASE)


def post_under_title(texts: list[str], labels: list[str], title_line: int | None) -> None:
    """A blog post whose byline and date sit right under its headline ("by
    John on July 13, 2012", "Posted by Anna - Friday, October 26, 2012") reads
    like the page's first comment. When the page's main text is under
    ``POST_MAX_MAIN_CHARS`` characters, no comment line is above the title,
    and the first comment line below it is such a byline, that comment (its
    byline and date lines, then its text up to the next author or date line)
    is the post when it holds a paragraph (``POST_PARAGRAPH_WORDS`` words or
    more): main (in place). The comments below it stay."""
    if title_line is None or "comment" not in labels:
        return
    n = len(labels)
    if any(lab in COMMENTISH for lab in labels[:title_line]):
        return
    if sum(len(t) for t, lab in zip(texts, labels, strict=True) if lab == "main") >= (
        POST_MAX_MAIN_CHARS
    ):
        return
    first = next((i for i in range(title_line + 1, n) if labels[i] in COMMENTISH), None)
    if first is None:
        return
    if not _BYLINE_START.match(texts[first]):
        return  # a comment's "Jean" / "November 8, 2012" is no byline
    # The post: its byline and date lines, then its text up to the next
    # author or date line (where the comments begin).
    end = first
    while end < n and labels[end] == "comment_meta":
        end += 1
    while end < n and labels[end] == "comment":
        end += 1
    if any(
        labels[i] == "comment" and len(texts[i].split()) >= POST_PARAGRAPH_WORDS
        for i in range(first, end)
    ):
        for i in range(first, end):
            labels[i] = "main"


ARTICLE_GAP = 2


ARTICLE_NEXT_WORDS = 8


# A teaser's comment count ("27 comments", "83 comments | 3 recs", "1,204
# comments"; "12 Kommentare", "1.234 Kommentare", "5 Antworten" in
# ``lexicon``'s languages).
COUNT_LINE = re.compile(
    r"^(?:"
    + lexicon.THOUSANDS
    + r"|\d+)\s+(?:(?:comments?|replies|responses)\b|"
    + lexicon.COMMENTS
    + "|"
    + lexicon.REPLIES
    + ")",
    re.IGNORECASE,
)


# Comment widget furniture: a row of buttons, a loading note (also in
# ``lexicon``'s languages: "Gefällt mir · Antworten · Melden", "Chargement…").
_WIDGET_WORDS = re.compile(
    r"\b(?:like|likes|reply|replies|report|share|flag(?: as (?:offensive|inappropriate))?|edit|delete"
    r"|permalink|quote|upvote|downvote|" + lexicon.BUTTONS + r")\b",
    re.IGNORECASE,
)


_WIDGET_REST = re.compile(r"^[\W\d_]*$")


_FIRST_LETTER = re.compile(r"[^\W\d_]")


_LOADING = re.compile(r"^(?:(?:loading|please wait)\b|" + lexicon.LOADING + r")\W*$", re.IGNORECASE)


WIDGET_DATE_WORDS = 6


def comment_furniture(texts: list[str], labels: list[str]) -> None:
    """Comment lines that are a widget's furniture (in place): a row of two or
    more buttons ("0 : Like Reply Flag as Offensive Edit Delete") or a loading
    note is boilerplate; a short line with a date or time ("just now posted
    just now") is comment_meta."""
    if "comment" not in labels:
        return
    for i in [i for i, lab in enumerate(labels) if lab == "comment"]:
        line = texts[i]
        if _LOADING.match(line):
            labels[i] = "boilerplate"
            continue
        words = line.split()
        if len(words) <= 12:
            if _widget_row(line):
                labels[i] = "boilerplate"
            elif (
                len(words) <= WIDGET_DATE_WORDS
                and has_date(line)
                and not line.endswith((".", "!", "?"))
            ):
                labels[i] = "comment_meta"


def _widget_row(line: str) -> bool:
    """A row of two or more widget buttons with nothing but digits and
    punctuation between them. Its first letter opens a button: a cheap test
    that spares most lines the search for the buttons."""
    first = _FIRST_LETTER.search(line)
    if first is None or not _WIDGET_WORDS.match(line, first.start()):
        return False
    hits = _WIDGET_WORDS.findall(line)
    return len(hits) >= 2 and _WIDGET_REST.match(_WIDGET_WORDS.sub("", line)) is not None


# A row of a specification table: "Battery Capacity : 1700 mAh", "Talk Time : NA",
# "Audio Playback:" (a label of at most 4 words, a colon, a short value or none).
_SPEC_ROW = re.compile(r"^[^\W\d_][^:]{0,40}?\s?:(?:\s*\S.*)?$")


SPEC_WINDOW = 3


def spec_table_lines(texts: list[str], labels: list[str]) -> list[int]:
    """Comment and comment_meta lines that sit in a specification table: short
    lines (at most 2 words, or a row "Label : value") whose window of
    ``SPEC_WINDOW`` lines either side has no line of more than 12 words and is
    at least half rows. A product's key-value rows look like author and date
    lines to the model; a comment section has longer lines near every meta line."""
    if "comment" not in labels and "comment_meta" not in labels:
        return []
    n = len(texts)
    rows: dict[int, bool] = {}

    def row(j: int) -> bool:
        if j not in rows:
            t = texts[j]
            head = t.split(":", 1)[0]
            rows[j] = (
                len(t.split()) <= 8
                and len(head.split()) <= 4
                and _SPEC_ROW.match(t) is not None
                and not t.endswith((".", "!", "?"))
            )
        return rows[j]

    out = []
    for i in itertools.compress(range(n), map(COMMENTISH.__contains__, labels)):
        if not (row(i) or len(texts[i].split()) <= 2):
            continue
        win = range(max(0, i - SPEC_WINDOW), min(n, i + SPEC_WINDOW + 1))
        if all(len(texts[j].split()) <= 12 for j in win) and 2 * sum(map(row, win)) >= len(win):
            out.append(i)
    return out


def teaser_listing(texts: list[str], labels: list[str]) -> bool:
    """Whether the page's comment lines are teasers in a listing: comment-count
    lines ("27 comments") next to them (within 2 lines), with at least two
    different counts, and at least half as many as the comment_meta lines."""
    if "comment" not in labels and "comment_meta" not in labels:
        return False
    com = [i for i, lab in enumerate(labels) if lab in COMMENTISH]
    n = len(labels)
    near: set[int] = set()
    for i in com:
        near.update(range(max(0, i - 2), min(n, i + 3)))
    counts = [
        m.group()
        for i in near
        if labels[i] not in COMMENTISH and (m := COUNT_LINE.match(texts[i])) is not None
    ]
    return len(set(counts)) >= 2 and 2 * len(counts) >= labels.count("comment_meta")


# A forum member's post count under their name ("4931 posts", "Posts: 12").
POST_COUNT = re.compile(
    r"^(?:posts?:?\s*)?\d[\d,.]*k?\s+posts?$|^posts?:\s*\d[\d,.]*k?$", re.IGNORECASE | re.MULTILINE
)


FORUM_MIN_POST_COUNTS = 3


def forum_thread(texts: list[str]) -> bool:
    """Whether the page is a forum thread: ``FORUM_MIN_POST_COUNTS`` or more
    lines give a member's post count."""
    hits = 0
    for line in texts:
        if len(line) <= 20 and POST_COUNT.match(line):
            hits += 1
            if hits >= FORUM_MIN_POST_COUNTS:
                return True
    return False


# Lines in a comment section that are its furniture, not comments.
# Phrases of a comment section's furniture, anywhere in a line (each holds one
# of the hints, which are cheaper to look for in a long line than the regex).
_CHROME_PHRASES = re.compile(
    r"\b(?:awaiting moderation|"
    r"comments? (?:will|are|must|may) be|your email|powered by|leave (?:a|your) (?:comment|reply))\b",
    re.IGNORECASE,
)


_CHROME_HINTS = ("moderation", "comment", "email", "powered", "leave")


# Moderation notes in ``lexicon``'s languages ("en attente de modération").
_NOTES = re.compile(lexicon.NOTES, re.IGNORECASE)


# Furniture that is the whole line: widget controls, a row of buttons (also
# in ``lexicon``'s languages: "Sortieren nach", "Antworten · Melden").
_BUTTON = "(?:like|reply|report|share|flag|" + lexicon.BUTTONS + ")"
_CHROME_LINE = re.compile(
    r"(?:notify of|(?:oldest\s*/?\s*)?newest\s*/?\s*most voted|inline feedbacks|view all comments"
    r"|join the discussion|sort by\b.{0,40}|reply to(?: this)? comment"
    r"|" + _BUTTON + r"(?:\s*[·|/]?\s*" + _BUTTON + r")*)$|" + lexicon.CHROME_LINE,
    re.IGNORECASE,
)


CHROME_LINE_MAX_CHARS = 120


# Sign-in links, furniture on a line of at most 10 words or beside the word
# "comment" ("Why do I have to log in again every single day?" is a comment);
# in ``lexicon``'s languages ("Anmelden", "Войти") beside its word for it
# ("Kommentar", "комментарий").
_SIGN_IN_WORDS = ("sign in", "log in", "register", "rss")


_SIGN_IN = re.compile(r"\b(?:" + "|".join(_SIGN_IN_WORDS) + r")\b", re.IGNORECASE)


_FOREIGN_SIGN_IN = re.compile(r"\b" + lexicon.SIGN_IN, re.IGNORECASE)


_FOREIGN_COMMENT = re.compile(r"\b" + lexicon.COMMENTS, re.IGNORECASE)


SIGN_IN_MAX_WORDS = 10


def section_chrome(line: str) -> bool:
    """A line of a comment section's furniture: a widget's control or reply
    button, a moderation or e-mail note, a sign-in link."""
    if len(line) <= CHROME_LINE_MAX_CHARS and _CHROME_LINE.match(line):
        return True
    low = line.casefold()
    if any(h in low for h in _CHROME_HINTS) and _CHROME_PHRASES.search(line):
        return True
    if any(h in low for h in lexicon.NOTE_HINTS) and _NOTES.search(line):
        return True
    if any(w in low for w in _SIGN_IN_WORDS) and _SIGN_IN.search(line):
        return len(line.split()) <= SIGN_IN_MAX_WORDS or "comment" in low
    return _foreign_sign_in(line, low)


def _foreign_sign_in(line: str, low: str) -> bool:
    """A sign-in link in ``lexicon``'s languages, on a short line or beside
    its word for "comment" (``low``: the line casefolded). The hints come
    first: most lines are long, and hold no such word."""
    short = len(line.split(None, SIGN_IN_MAX_WORDS)) <= SIGN_IN_MAX_WORDS
    return (
        (short or any(h in low for h in lexicon.COMMENTS_HINTS))
        and any(h in low for h in lexicon.SIGN_IN_HINTS)
        and _FOREIGN_SIGN_IN.search(line) is not None
        and (short or _FOREIGN_COMMENT.search(line) is not None)
    )


# A Slashdot-style comment's author line: "by NAME (12345) writes:" (its
# subject line is ``authors.SCORE_SUBJECT``).
_WRITES = re.compile(r"^by\s.{1,80}\bwrites:", re.IGNORECASE)


_THREAD_CHROME = re.compile(
    r"^(?:reply to this(?: parent)?(?: share)?|flag as inappropriate|twitter facebook|parent|share)$",
    re.IGNORECASE,
)


def scored_thread(texts: list[str], labels: list[str], candidates: list[int]) -> bool:
    """Relabel a Slashdot-style thread (in place): two or more subject lines
    with a score ("Re: Wow (Score:2)") among ``candidates`` (lines holding
    "Score:"). Subject and "by NAME writes:" lines are ``comment_meta``, the
    lines up to the next subject are the comment (reply/flag furniture aside);
    the last comment ends at the first line the model calls boilerplate.
    Comment lines above the thread are the story's (main). Returns whether a thread was found."""
    subjects = [i for i in candidates if len(texts[i]) <= 200 and SCORE_SUBJECT.search(texts[i])]
    if len(subjects) < 2:
        return False
    n = len(texts)
    for i in range(subjects[0]):
        # Above the thread: the story, which the model may take for a comment.
        if labels[i] in COMMENTISH:
            labels[i] = "main" if labels[i] == "comment" else "boilerplate"
    for k, i in enumerate(subjects):
        labels[i] = "comment_meta"
        nxt = subjects[k + 1] if k + 1 < len(subjects) else n
        j = i + 1
        if j < nxt and _WRITES.match(texts[j]):
            labels[j] = "comment_meta"
            j += 1
        last = nxt == n
        for m in range(j, nxt):
            if _THREAD_CHROME.match(texts[m]) or section_chrome(texts[m]):
                if last:
                    break
                labels[m] = "boilerplate"
            elif last and m > j and labels[m] == "boilerplate":
                break
            else:
                labels[m] = "comment"
    return True
