"""Comment rules: sections under a comment heading, their authors, dates and
votes, and the furniture of comment widgets (see ``rules`` for the rest).

* comment meta: inside a comment section, a bare vote count ("12", "-4 points")
  is ``comment_meta``, and so is a short name-like line directly above a meta
  line that holds no name of its own (author above, date or votes below).
* comment sections: under a heading that counts comments ("12 Comments",
  "3 Responses to ...", "Comments (4)") below at least 30 % of the main text,
  up to the reply form or the sidebar (``COMMENTS_END``), main lines and long
  boilerplate lines are comments, name/date/vote lines their meta; a page
  whose headings carry different counts is a listing of teasers. The heading
  may repeat a long post title ("45 users responded in <title>"), sit in
  braces ("{ 131 comments }"), or give no count ("Comments", a widget's
  "Sort: Newest | Oldest") when a comment date or vote line follows within
  4 lines and the heading is not one of a row of tabs.
* scored threads (Slashdot): subject lines carrying "(Score:N)" and "by NAME
  writes:" lines are comment_meta, the lines up to the next subject the
  comment; comment lines above the thread are the story's.
* comments inside the article: a run of comment lines between article
  paragraphs, above the first comment_meta line, is main.
* comment furniture: comment lines that are a row of widget buttons ("Like
  Reply Flag as Offensive") or a loading note are boilerplate, short date
  lines comment_meta; comments among teasers' differing counts ("27
  comments", "49 comments") are a listing, not comments.
* forum threads: a page with three or more member post counts ("4931 posts")
  is a thread; its posts are main text (WCXB's convention).
* comment authors: the name part of an author/date/vote line, found between
  the line's dates ("10. Jul, 2012 / Jessi says:" -> "Jessi"), without date
  words at its edges; an author line ("Dave said:", "anonymous responded:")
  is comment_meta.
* sections the model lost: a counted heading with author or date lines below
  it starts a section even when the model took the comments for article
  text; a reply form right under the heading does not end it; an open
  section runs on over further comments that open with an author, date or
  vote line (``_more_comments``); a short line right under such a line is
  that comment's text.
* a blog post whose byline sits right under its headline is the post, not
  the first comment (``post_under_title``).
* counted headings, reply buttons, comment dates and author lines ("am 12.
  März 2021 um 10:15 Uhr", "hace 3 horas", "Jean a écrit :"), reply forms
  and sidebars ("Schreibe einen Kommentar", "Articoli correlati"), section
  furniture ("Trier par", "Antworten · Melden") and vote counts ("12 Punkte")
  in German, French, Spanish, Italian, Dutch, Portuguese and Russian too (the
  words in ``lexicon``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence

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
    has_date,
    joined_keys,
    lines_starts,
    word_lines,
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


def _name_like(line: str) -> bool:
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
            and _name_like(texts[i])
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


# A teaser's comment count ("27 comments", "83 comments | 3 recs").
COUNT_LINE = re.compile(r"^\d[\d,]*\s+(?:comments?|replies|responses)\b", re.IGNORECASE)


# Comment widget furniture: a row of buttons, a loading note.
_WIDGET_WORDS = re.compile(
    r"\b(?:like|likes|reply|replies|report|share|flag(?: as (?:offensive|inappropriate))?|edit|delete"
    r"|permalink|quote|upvote|downvote)\b",
    re.IGNORECASE,
)


_WIDGET_REST = re.compile(r"^[\W\d_]*$")


_LOADING = re.compile(r"^(?:loading|please wait)\b\W*$", re.IGNORECASE)


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
            hits = _WIDGET_WORDS.findall(line)
            if len(hits) >= 2 and _WIDGET_REST.match(_WIDGET_WORDS.sub("", line)):
                labels[i] = "boilerplate"
            elif (
                len(words) <= WIDGET_DATE_WORDS
                and has_date(line)
                and not line.endswith((".", "!", "?"))
            ):
                labels[i] = "comment_meta"


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


# Words that are a date's or a byline's, never a commenter's name on their own.
_DATE_WORDS_TEXT = (
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february "
    "march april june july august september october november december am pm at on by in "
    "and the of posted st nd rd th utc gmt bst cet cest est edt cst cdt mst mdt pst pdt "
    "today yesterday just now ago"
)


_DATE_WORDS = frozenset(_DATE_WORDS_TEXT.split()) | DAY_WORDS


def _date_word(word: str) -> bool:
    """A word of a date or byline ("Thu,", "on", "12th", "EDT"), or punctuation."""
    word = word.strip(EDGE + ".").lstrip("0123456789").casefold()
    return not word or word in _DATE_WORDS


def _between_dates(line: str) -> Iterator[str]:
    """The stretches of ``line`` before, between and after its dates, found
    one at a time (the first usually holds the name). A line without a digit
    is one stretch: its "today" or "yesterday" is a date word at the name's
    edge, or it is a sentence ("Would I pick him up today in ...")."""
    if DIGIT_RE.search(line) is None:
        yield line
        return
    at = 0
    for m in DATE_RE.finditer(line):
        yield line[at : m.start()]
        at = m.end()
    yield line[at:]


def author_of(meta_lines: list[str]) -> str | None:
    """The commenter's name from their author/date/vote lines, or None: the
    first stretch of a line between its dates that holds a name once the
    "says:", vote counts and date words are set aside ("10. Jul, 2012 / Jessi
    says:" -> "Jessi")."""
    for line in meta_lines:
        if _SCORE_SUBJECT.search(line):
            continue  # a thread's subject line, not its author's
        for piece in _between_dates(line):
            core = piece.strip(EDGE + ".")
            if not core or core.casefold() in _DATE_WORDS:
                continue  # ", " or " at " between a date's parts
            words = AUTHOR_NOISE.sub(" ", piece).split()
            # Date words at either end ("by", "on", "Thu,") are not the name's.
            while words and _date_word(words[0]):
                words.pop(0)
            while words and _date_word(words[-1]):
                words.pop()
            name = " ".join(words).strip(EDGE).strip()
            if 1 <= len(name.split()) <= 6 and any(c.isalpha() for c in name):
                return name
    return None


# A comment section's heading ("12 Comments", "3 Responses to ...", "Reader
# comments (4)", "45 users responded in ...") and the lines that end it (the
# reply form, the sidebar).
# "Comments" in German, French, Spanish, Italian, Dutch, Portuguese and Russian.
_FOREIGN_COMMENTS = (
    r"(?:kommentare?|commentaires?|comentarios?|comentários?|commenti|commento|reacties|reactie"
    r"|комментари(?:й|я|ев|и))"
)
_NUMBER = r"(?:[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)"
# "Comments (4)", "Comments: 4" after the heading word.
_BRACKETED_COUNT = r"\s*(?:\(\s*[1-9]\d*\s*\)|:\s*[1-9]\d*)\s*$"
# The counts in other languages ("12 Kommentare", "Comentarios (3)").
_FOREIGN_COUNTED = (
    r"|^[1-9]\d*\s+" + _FOREIGN_COMMENTS + r"\s*[:.]?\s*$|^" + _FOREIGN_COMMENTS + _BRACKETED_COUNT
)


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
    + _FOREIGN_COUNTED,
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


# Headings that give no count ("Comments", a comment widget's sort control):
# their section must hold a comment_meta-like line (a date, a vote count) or an
# author line ("Dave said:") within ``BARE_META_WITHIN`` lines.
COMMENTS_START_BARE = re.compile(
    r"^comments:?$|^sort:\s*(?:newest\s*\|\s*oldest|oldest\s*\|\s*newest)\b|^post comment as\b"
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


_COUNT = re.compile(r"\d+")


NEAR = 2


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
# "comment" ("Why do I have to log in again every single day?" is a comment).
_SIGN_IN_WORDS = ("sign in", "log in", "register", "rss")


_SIGN_IN = re.compile(r"\b(?:" + "|".join(_SIGN_IN_WORDS) + r")\b", re.IGNORECASE)


SIGN_IN_MAX_WORDS = 10


def _section_chrome(line: str) -> bool:
    """A line of a comment section's furniture: a widget's control or reply
    button, a moderation or e-mail note, a sign-in link."""
    if len(line) <= CHROME_LINE_MAX_CHARS and _CHROME_LINE.match(line):
        return True
    low = line.casefold()
    if any(h in low for h in _CHROME_HINTS) and _CHROME_PHRASES.search(line):
        return True
    if any(h in low for h in lexicon.NOTE_HINTS) and _NOTES.search(line):
        return True
    return (
        any(w in low for w in _SIGN_IN_WORDS)
        and _SIGN_IN.search(line) is not None
        and (len(line.split()) <= SIGN_IN_MAX_WORDS or "comment" in low)
    )


# "12 Responses to <the post's title>": the title may be long.
_HEAD_ON_TITLE = re.compile(
    r"^(?:[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:comments?|responses?|replies|thoughts|users? responded)\s+(?:on|to|in)\s+\S",
    re.IGNORECASE,
)


def is_comment_heading(line: str) -> bool:
    if len(line) <= _HEAD_MAX_CHARS and len(line.split()) <= SECTION_MAX_WORDS:
        return (
            COMMENTS_START.search(line) is not None or COMMENTS_START_BARE.search(line) is not None
        )
    return len(line) <= HEAD_ON_TITLE_MAX_CHARS and _HEAD_ON_TITLE.match(line) is not None


# Slashdot-style threads: each comment opens with a subject line that carries
# its score ("Re: Wow (Score:2, Insightful)"), then "by NAME (12345) writes:".
_SCORE_SUBJECT = re.compile(r"\(Score:\s*-?\d[^)]{0,40}\)\s*$")


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
    subjects = [i for i in candidates if len(texts[i]) <= 200 and _SCORE_SUBJECT.search(texts[i])]
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
            if _THREAD_CHROME.match(texts[m]) or _section_chrome(texts[m]):
                if last:
                    break
                labels[m] = "boilerplate"
            elif last and m > j and labels[m] == "boilerplate":
                break
            else:
                labels[m] = "comment"
    return True


_SCORE = re.compile(
    r"\b\d+\s*(?:pts|points?|votes?|likes?|" + lexicon.VOTES + r")\)?$|\s[+\-−–]\d+$", re.IGNORECASE
)


BARE_META_WITHIN = 4


META_MAX_WORDS = 16


def _tab_row(texts: list[str], i: int) -> bool:
    """Line ``i`` is one of a row of tabs ("Latest", "Popular", "Comments"):
    the lines on both sides are single words."""
    return 0 < i < len(texts) - 1 and all(
        len(texts[j].split()) == 1 and texts[j][-1].isalnum() for j in (i - 1, i + 1)
    )


# A comment's author line: "Dave P said:", "2. Carrie says:", "Progress Trap said,",
# "7 months ago anonymous responded:"; in ``lexicon``'s languages with its colon
# ("Hans schrieb:", "Jean a écrit :"; a line ending in "dice" is no author line).
_SAYS_LINE = re.compile(
    r"\b(?:says|said|wrote|writes|replied|responded|commented)\s*(?:[:,]|\.\.\.|…)?\s*$"
    r"|\b" + SAYS + r"\s*(?::|\.\.\.|…)\s*$",
    re.IGNORECASE,
)


AUTHOR_MAX_WORDS = 6


def _author_line(line: str) -> bool:
    """A short line that ends in "said:", "says", "wrote,", "responded:" and the like."""
    return len(line.split()) <= AUTHOR_MAX_WORDS and _SAYS_LINE.search(line) is not None


def _meta_like(line: str) -> bool:
    """A comment's date or vote line: short, with a day's date, a time or a
    score, and not the post's own footer ("Posted by ... in News. Tags: ...")."""
    return (
        len(line.split()) <= META_MAX_WORDS
        # (A date, a vote count and a score all need a digit.)
        and DIGIT_RE.search(line) is not None
        and (
            DAY_DATE.search(line) is not None
            or VOTE_RE.match(line) is not None
            or _SCORE.search(line) is not None
        )
        and POST_FOOTER.search(line) is None
    )


def _opens_at(texts: list[str], j: int) -> int | None:
    """Where a comment opens at line ``j``, after at most two lines of
    furniture ("Reply · Report"): its author, date or vote line (or a name
    line right above one), else None."""
    n = len(texts)
    start = j
    while j < n and j - start < 2 and _section_chrome(texts[j]):
        j += 1
    if j + 1 < n and _name_like(texts[j]) and _comment_head(texts[j + 1]):
        return j  # "Anna" above "12 days ago"
    return j if j < n and _comment_head(texts[j]) else None


MAX_BODY_LINES = 8
HEAD_BLOCK_LINES = 8


def _more_comments(texts: list[str], end: int) -> int:
    """Where a comment section ends, given that it runs at least to ``end``:
    on past each further comment (``_opens_at``) with its text right below its
    author and date lines. The text is one line, or the lines up to the next
    comment when one opens within ``MAX_BODY_LINES`` lines."""
    n = len(texts)
    j = _opens_at(texts, end)
    while j is not None:
        k = j + 1
        while k < n and k - j < BARE_META_WITHIN and _heads_comment(texts[k]):
            k += 1
        if k >= n or COMMENTS_END.search(texts[k]) or _section_chrome(texts[k]):
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
    return (_name_like(line) or _meta_like(line) or _author_line(line)) and not VOTE_RE.match(line)


SHORT_META_WORDS = 8


def _comment_head(line: str) -> bool:
    """A comment's author line, or a date or vote line of at most
    ``SHORT_META_WORDS`` words (a dated teaser's headline is longer), not a
    bare vote count (it sits under a comment's text)."""
    return _author_line(line) or (
        len(line.split()) <= SHORT_META_WORDS and _meta_like(line) and not VOTE_RE.match(line)
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
    return _meta_like(line) or _author_line(line)


def _authored(texts: list[str], first: int, end: int | None = None, *, short: bool = False) -> bool:
    """One of the ``BARE_META_WITHIN`` lines from ``first`` (and before ``end``)
    is a comment's date, vote or author line (``short``: a ``_comment_head``)."""
    stop = min(len(texts) if end is None else end, first + BARE_META_WITHIN)
    test = _comment_head if short else _heads_meta
    return any(test(texts[i]) for i in range(first, stop))


def heading_candidates(text: str, starts: Sequence[int]) -> list[int]:
    """Lines of ``text`` (first characters at ``starts``) holding a heading
    word: plain substring scans of the page, no per-line work."""
    return word_lines(text, starts, _HEAD_WORDS)


_HEAD_FOLDED = tuple(sorted({w.casefold() for w in _HEAD_WORDS}))


def heading_lines(
    texts: list[str], keys: list[str], joined: tuple[str, list[int]] | None = None
) -> list[int]:
    """``heading_candidates`` from the lines and their ``norm_keys``: a scan of
    the joined keys for the casefolded heading words (fewer words, a shorter
    text; a line holding a heading word holds it casefolded in its key), then
    the case-sensitive test on the lines found. ``joined``: ``joined_keys(keys)``
    when at hand."""
    joined_text, ends = joined_keys(keys) if joined is None else joined
    found: set[int] = set()
    for word in _HEAD_FOLDED:
        at = joined_text.find(word)
        while at >= 0:
            i = bisect.bisect_right(ends, at)
            found.add(i)
            at = joined_text.find(word, ends[i])
    return sorted(i for i in found if any(w in texts[i] for w in _HEAD_WORDS))


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
    an author or date line follows it, below ``min_main_chars`` of it: the
    model may have taken the comments for article text). The section runs to
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
    # (which makes the main text above it a small share).
    start = next(
        (
            i
            for i in heads
            if cum[i] >= min_main_chars
            and (
                cum[i] >= min_main_share * total
                or (COMMENTS_COUNTED.search(texts[i]) is not None and _authored(texts, i + 1))
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
        end = _more_comments(texts, max(end, top + 1))
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
            anchor[i] = anchor[i] or _meta_like(texts[i]) or _author_line(texts[i])
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
        if _section_chrome(texts[i]):
            if lab == "main":
                labels[i] = "boilerplate"  # a reply button the model kept
            continue
        labels[i] = "comment"
        body.append(i)
    if not body:
        return False
    labels[start] = "boilerplate"
    if bounded and labels[end] in COMMENTISH:
        labels[end] = "boilerplate"  # the reply form, "Related stories"
    for i in range(start + 1, end):
        if labels[i] == "boilerplate" or (labels[i] == "comment" and len(texts[i].split()) <= 12):
            line = texts[i]
            nxt = labels[i + 1] if i + 1 < n else ""
            if (
                (_name_like(line) and nxt == "comment")
                or _author_line(line)
                or _meta_like(line)
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
