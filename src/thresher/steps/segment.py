"""Zone segmentation of plain web text: title, article, chrome, captions, comments.

Most web text arrives without its HTML (Common Crawl WET, scraped dumps) but
with the page chrome still in it: menus, donation widgets, the headline two or
three times, captions, a comment widget and the comments. Line filters such as
C4's (Raffel et al. 2020) judge each line alone and get such pages wrong both
ways. This step labels every line from the line and its surroundings, the way
boilerplate detectors do for HTML (Kohlschütter et al. 2010, "Boilerplate
detection using shallow text features"; Peters & Lecocq 2013, "Content
extraction using diverse feature sets" -- the Dragnet data set), with a small
two-pass MLP and, for the lines it is unsure of, a gradient-boosted forest,
shipped in ``thresher/models/segment`` (see its MODEL_CARD.md), then a small
linear ranker for the headline (its clues in the spirit of
Kohlschütter et al.'s shallow text features) and rules for exact repeats
(``duplicate``), image captions, teaser blocks below the article and hard
wraps.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any, ClassVar

import numpy as np

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.segment.features import BASE_NAMES
from thresher.steps.base import MapStep

# Lines whose exact repeats are duplicates. Comments are left alone: a thread
# repeats subjects, author lines and quotes, each part of its own comment.
_CONTENT = frozenset(("title", "main", "caption"))
_KW_CAPTION = BASE_NAMES.index("kw_caption")
_KW_CHROME = BASE_NAMES.index("kw_chrome")
_STARTS_DIGIT = BASE_NAMES.index("starts_digit")
_STARTS_SYMBOL = BASE_NAMES.index("starts_symbol")
_FRAC_SYMBOL = BASE_NAMES.index("frac_symbol")
_COMMENTISH = frozenset(("comment", "comment_meta"))
_MIN_DUPLICATE_CHARS = 20


_LOWER_FIRST: np.ndarray | None = None
_PREFIX_TABLES: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}


def _lower_first() -> np.ndarray:
    """Code point (Basic Multilingual Plane) -> the first code point of its
    ``str.lower()`` (built once)."""
    global _LOWER_FIRST
    if _LOWER_FIRST is None:
        _LOWER_FIRST = np.fromiter(
            (ord(chr(c).lower()[0]) for c in range(0x10000)), np.uint32, 0x10000
        )
    return _LOWER_FIRST


def _may_start_with(cp: np.ndarray, starts: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    """Per line (first characters at ``starts`` in the code points ``cp``):
    whether it can start, lowered, with one of ``prefixes`` (non-empty), judged
    by its first two characters: a cheap screen that every line passing
    ``line[:k].lower().startswith(prefixes)`` passes. (Only U+0130 lowers to
    two characters, the second a combining dot that starts no prefix's
    second character; a line with a character past the Basic Multilingual
    Plane in its first two passes.)"""
    head_of, second = _prefix_tables(prefixes)
    c1 = cp[starts]
    # (A one-character line's second character is the next line's newline or
    # the text's end: no prefix of two characters matches there.)
    c2 = cp[np.minimum(starts + 1, len(cp) - 1)]
    may = second[head_of[np.minimum(c1, 0xFFFF)], np.minimum(c2, 0xFFFF)]
    return may | (c1 > 0xFFFF) | (c2 > 0xFFFF)


def _prefix_tables(prefixes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``_may_start_with``'s tables for ``prefixes`` (built once per tuple)."""
    if prefixes not in _PREFIX_TABLES:
        low = _lower_first()
        heads = sorted({p[0] for p in prefixes})
        # Code point -> 1 + the index in heads of its lowered first character (0: none);
        # then, per head, code point -> whether it can be the second character.
        head_of = np.zeros(0x10000, np.uint8)
        second = np.zeros((len(heads) + 1, 0x10000), np.bool_)
        for j, h in enumerate(heads, start=1):
            head_of[low == ord(h)] = j
            for p in prefixes:
                if p[0] == h:
                    second[j] |= True if len(p) == 1 else low == ord(p[1])
        _PREFIX_TABLES[prefixes] = (head_of, second)
    return _PREFIX_TABLES[prefixes]


def _zone_runs(bounds: list[int], labels: list[str]) -> list[list[Any]]:
    """Zones from per-line labels, each run of lines with one label one zone
    (``bounds``: line i spans [bounds[i], bounds[i + 1]))."""
    if not labels:
        return []
    cuts = list(itertools.compress(range(1, len(labels)), map(operator.ne, labels, labels[1:])))
    firsts = [0, *cuts]
    ends = [*cuts, len(labels)]
    return [[bounds[a], bounds[b], labels[a]] for a, b in zip(firsts, ends, strict=True)]


#: Lines of pages that go to the model together (about 4 KB of memory a line).
BATCH_LINES = 50_000


class Segment(MapStep):
    """Label each line with a zone and keep the article as ``doc.text``.

    Sets ``doc.original`` (the text as received), ``doc.zones`` (``[start, end,
    label]`` spans into it, one per run of non-blank lines with one label,
    together covering it; consecutive comment lines are one comment),
    ``doc.text`` (main zones, one paragraph per line, hard wraps rejoined, the
    title not repeated), ``doc.title`` and ``doc.comments``. A document with
    no main text left is removed with reason ``no_main_text`` when
    ``remove_empty`` is set (its ``text`` stays the original, for ``removed/``).
    ``min_main_prob`` (0..1, or None for the model's argmax; 0.2 chosen on dev
    pages) keeps a line as main when the model's main probability reaches it.
    ``chrome_above_title`` drops short lines above the headline (menus,
    widgets) when no paragraph of the article sits above it.
    The headline (``doc.title``) is the line that repeats the head of the
    page's first line when that line reads "<headline> - <site>" (the HTML
    title, as WET files start) or of ``meta["html_title"]`` (where the WARC
    reader keeps a page's ``<title>``); else the best of the title-shaped
    lines near the article's first paragraph and of those the model gives a
    title probability of 0.3 or more anywhere, scored by a linear ranker
    (weights in the model's ``model.json``, fit by ``train/segment.py``:
    the model's title probability, words shared with the first paragraphs
    and with the rest of the article, a byline or date below, a breadcrumb
    ending in it, length, closeness). Where ``meta["url"]`` holds the page's
    address (as the WARC and JSONL readers keep it), lines half of whose
    words its path and query hold are candidates too, wherever they are, as
    is a line that is the one word naming its last segment ("Pods" for
    ".../pods/"), and the ranker reads that share with a second set of
    weights, fit with the addresses (an article's slug names its headline, a
    product's address its name); ``min_title_score`` (None: take the best)
    leaves the title empty below that score. Copies of the headline,
    with or without a site suffix, are ``duplicate``: it is never repeated
    in ``text``.
    ``stray_gap`` / ``stray_share``: main lines are grouped into blocks (at
    most ``stray_gap`` lines apart); a block below the largest one with less
    than ``stray_share`` of its characters (a teaser, a "read more" box, a
    footer) is boilerplate (None: off).
    ``byline_window``: bylines, date lines and reading times within this many
    lines below the headline are boilerplate (None, the default: kept; Dragnet's
    ground truth counts them as article text, so removing them costs recall).
    ``thread_ratio``: when the main text is shorter than this share of the
    comment text, the page is a thread and its posts are its main text (None:
    comments stay comments).
    ``comment_sections``: under a comment-section heading ("12 Comments",
    "3 Responses to ...") below the article, up to the reply form, main lines and
    boilerplate lines of ``section_min_words`` words or more are comments, even
    when the section has no author/date lines.
    ``gap_words``: a boilerplate line of at least this many words between two
    main lines is main (a paragraph the model doubted inside the article; None:
    off).
    ``span_prob``: a boilerplate line whose main probability reaches this
    (0.1 chosen on dev pages) with main lines within 2 lines on both sides is
    main (an item of a listing between items the model kept; None: off).
    ``forum_threads``: on a forum thread (three or more member post counts,
    "4931 posts") the posts the model calls comments are main text, as in
    WCXB's ground truth.
    ``article_comments``: a run of lines the model calls comments between
    paragraphs of the article, above any comment author/date line, is main.
    ``comment_furniture``: comment lines that are a widget's buttons or a
    loading note are boilerplate, short date lines comment_meta; comment lines
    among teasers' comment counts ("27 comments", "49 comments") and rows of a
    specification table ("Battery Capacity : 1700 mAh") are no comments.
    Slashdot-style threads (subject lines carrying "(Score:N)") are comments
    whenever ``comment_sections`` is set.
    ``max_lines``: a document of more lines than this (counting blank ones) is
    no web page (a book, a log, a dump): it is not segmented, and passes on
    whole as main text with the signal ``segment_skipped`` (None: no limit;
    the model's memory grows with a document's lines, about 4 KB each, and
    the largest of the 3,415 pages here has 2,640). A batch's documents go to
    the model at most ``BATCH_LINES`` lines at a time, so memory is bounded
    whatever the batch size.
    """

    name: ClassVar[str] = "segment"
    version: ClassVar[int] = 15
    transient: ClassVar[dict[str, Any]] = {"_model": None, "_warm": False}

    def __init__(
        self,
        *,
        remove_empty: bool = True,
        rejoin_wrapped: bool = True,
        min_main_prob: float | None = 0.2,
        chrome_above_title: bool = True,
        min_title_score: float | None = None,
        stray_gap: int | None = 3,
        stray_share: float = 0.1,
        byline_window: int | None = None,
        thread_ratio: float | None = None,
        comment_sections: bool = True,
        section_min_words: int = 4,
        gap_words: int | None = 8,
        article_comments: bool = True,
        comment_furniture: bool = True,
        span_prob: float | None = 0.1,
        forum_threads: bool = True,
        max_lines: int | None = 20_000,
    ) -> None:
        if thread_ratio is not None and thread_ratio < 0:
            raise ConfigError(f"segment: thread_ratio must be >= 0 or null, got {thread_ratio}")
        if min_main_prob is not None and not 0.0 < min_main_prob < 1.0:
            raise ConfigError(
                f"segment: min_main_prob must be between 0 and 1 (exclusive) or null, got {min_main_prob}"
            )
        if section_min_words < 1:
            raise ConfigError(f"segment: section_min_words must be >= 1, got {section_min_words}")
        if span_prob is not None and not 0.0 < span_prob < 1.0:
            raise ConfigError(
                f"segment: span_prob must be between 0 and 1 (exclusive) or null, got {span_prob}"
            )
        if gap_words is not None and gap_words < 1:
            raise ConfigError(f"segment: gap_words must be >= 1 or null, got {gap_words}")
        if stray_gap is not None and stray_gap < 1:
            raise ConfigError(f"segment: stray_gap must be >= 1 or null, got {stray_gap}")
        if not 0.0 <= stray_share <= 1.0:
            raise ConfigError(f"segment: stray_share must be between 0 and 1, got {stray_share}")
        if byline_window is not None and byline_window < 1:
            raise ConfigError(f"segment: byline_window must be >= 1 or null, got {byline_window}")
        if max_lines is not None and max_lines < 1:
            raise ConfigError(f"segment: max_lines must be >= 1 or null, got {max_lines}")
        self.max_lines = max_lines
        self.remove_empty = remove_empty
        self.rejoin_wrapped = rejoin_wrapped
        self.min_main_prob = min_main_prob
        self.chrome_above_title = chrome_above_title
        self.min_title_score = min_title_score
        self.stray_gap = stray_gap
        self.stray_share = stray_share
        self.byline_window = byline_window
        self.thread_ratio = thread_ratio
        self.comment_sections = comment_sections
        self.section_min_words = section_min_words
        self.gap_words = gap_words
        self.article_comments = article_comments
        self.comment_furniture = comment_furniture
        self.span_prob = span_prob
        self.forum_threads = forum_threads
        self._model: Any = None
        self._warm = False

    def setup(self) -> None:
        if self._model is None:
            from thresher.segment.model import SegmentModel

            self._model = SegmentModel()
        if not self._warm:
            # The rules' regular expressions and the code point tables, once
            # per process rather than on the first pages.
            from thresher.segment import comments, headline
            from thresher.segment import features as F
            from thresher.segment import rules as R

            F.warm_tables()
            _prefix_tables(R.CAPTION_PREFIXES)
            del comments, headline  # imported for their patterns, compiled on import
            self._warm = True

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        """Features per page, then one model call per ``BATCH_LINES`` lines
        of pages; pages over ``max_lines`` pass through unsegmented."""
        self.setup()
        group: list[Document] = []
        lines = 0
        for doc in docs:
            if doc.removed is not None:
                continue
            n = doc.text.count("\n") + 1
            if self.max_lines is not None and n > self.max_lines:
                self._pass_through(doc, n)
                continue
            if group and lines + n > BATCH_LINES:
                self._segment(group)
                group, lines = [], 0
            group.append(doc)
            lines += n
        if group:
            self._segment(group)

    def _pass_through(self, doc: Document, n: int) -> None:
        """A document over ``max_lines``: its text, whole, is its main zone."""
        text = doc.text
        doc.original = text
        doc.zones = [[0, len(text), "main"]] if text else []
        doc.title = None
        doc.comments = []
        s = doc.signals
        s["segment_skipped"] = 1
        s["segment_lines"] = n
        s["segment_main_chars"] = len(text)
        s["segment_comments"] = 0

    def _segment(self, todo: list[Document]) -> None:
        """Features per page, then one model call for these pages."""
        from thresher.segment import features as F

        pages = [F.split_lines(d.text) for d in todo]
        # One float32 matrix for the batch, the pages' rows in order: the
        # model reads it without stacking copies.
        sizes = [len(p.texts) for p in pages]
        odd = np.zeros(sum(sizes), np.bool_)
        lowered: list[str | None] = []
        stacked = F.features_stacked([d.text for d in todo], pages, odd_spaces=odd, lowered=lowered)
        ends = list(itertools.accumulate(sizes))
        xs = [stacked[end - size : end] for size, end in zip(sizes, ends, strict=True)]
        odds = [
            np.flatnonzero(odd[end - size : end]).tolist()
            for size, end in zip(sizes, ends, strict=True)
        ]
        probs = self._model.predict_stacked(stacked, sizes)
        for doc, lines, x, p, o, low in zip(todo, pages, xs, probs, odds, lowered, strict=True):
            self._label(doc, lines, x, p, o, low)

    def _label(
        self,
        doc: Document,
        lines: Any,
        x: np.ndarray,
        probs: np.ndarray,
        odd_spaces: list[int],
        lowered: str | None,
    ) -> None:
        from thresher.segment import authors as A
        from thresher.segment import comment_fixes as X
        from thresher.segment import comments as C
        from thresher.segment import headline as H
        from thresher.segment import rules as R
        from thresher.segment.model import CLASSES

        text = doc.text
        doc.original = text
        n = len(lines.texts)
        if n == 0:
            doc.zones = [[0, len(text), "boilerplate"]] if text else []
            self._finish(doc, [], [], None, [], 0)
            return
        labels = self._model_labels(lines.texts, probs, x)
        main_i = CLASSES.index("main")
        boiler_i = CLASSES.index("boilerplate")

        # Normalised lines (for the title's repeats and the duplicate rule).
        keys = R.norm_keys(lines.texts, odd_spaces, lowered)
        # The keys joined once (the features' lowered text, when it is that).
        if lowered is not None and not odd_spaces:
            joined = (lowered, list(itertools.accumulate(map((1).__add__, map(len, keys)))))
        else:
            joined = R.joined_keys(keys)

        # Title: the best-scoring headline candidate near the article's top;
        # the other lines the model calls titles go back to main or boilerplate.
        html_title = doc.meta.get("html_title")
        url = doc.meta.get("url")
        title_line = self._headline(
            lines.texts,
            labels,
            probs,
            keys,
            x[:, _KW_CHROME] > 0,
            html_title if isinstance(html_title, str) else None,
            url if isinstance(url, str) else None,
        )
        for i in [i for i, lab in enumerate(labels) if lab == "title"] if "title" in labels else ():
            if i != title_line:
                labels[i] = "main" if probs[i, main_i] >= probs[i, boiler_i] else "boilerplate"
        if title_line is not None:
            labels[title_line] = "title"

        if (
            title_line is not None
            and self.chrome_above_title
            and not any(
                labels[i] == "main" and len(lines.texts[i].split()) >= R.MIN_PARAGRAPH_WORDS
                for i in range(title_line)
            )
        ):
            # A headline above the first paragraph: short lines above it are chrome.
            for i in range(title_line):
                if labels[i] == "main" and len(lines.texts[i].split()) < R.MIN_PARAGRAPH_WORDS:
                    labels[i] = "boilerplate"

        if self.byline_window is not None:
            R.bylines(lines.texts, labels, title_line, self.byline_window)

        section = False
        if self.comment_sections:
            starts = lines.starts.tolist()
            section = X.scored_thread(
                lines.texts, labels, R.word_lines(text, starts, ("Score:",))
            ) or C.comment_section(
                lines.texts,
                labels,
                min_words=self.section_min_words,
                candidates=C.heading_lines(
                    lines.texts, keys, joined, np.flatnonzero(x[:, _STARTS_DIGIT] > 0).tolist()
                ),
            )
        A.fix_comment_meta(lines.texts, labels)
        if self.article_comments:
            X.comments_inside_article(lines.texts, labels)
            X.post_under_title(lines.texts, labels, title_line)
        if self.comment_furniture:
            X.comment_furniture(lines.texts, labels)
            # A product's key-value rows are not authors and comments.
            for i in X.spec_table_lines(lines.texts, labels):
                labels[i] = "main" if probs[i, main_i] >= probs[i, boiler_i] else "boilerplate"
            if not section and X.teaser_listing(lines.texts, labels):
                # Teasers, not comments: with no meta line left, the rule
                # below gives their lines back to main or boilerplate.
                for i, lab in enumerate(labels):
                    if lab == "comment_meta":
                        labels[i] = "boilerplate"
        if "comment_meta" not in labels and not section:
            # A comment section has author, date or vote lines; text that the
            # model calls a comment without any is an article's or the chrome's.
            for i in [i for i, lab in enumerate(labels) if lab == "comment"]:
                labels[i] = "main" if probs[i, main_i] >= probs[i, boiler_i] else "boilerplate"

        if self.forum_threads and "comment" in labels and X.forum_thread(lines.texts):
            # A forum thread's posts are its main text (WCXB's convention).
            labels = [
                "main" if lab == "comment" else "boilerplate" if lab == "comment_meta" else lab
                for lab in labels
            ]
        if self.thread_ratio is not None and "comment" in labels:
            # A page that is nothing but posts (a forum thread, a guestbook) has
            # them as its main text, not as comments on an article.
            main_chars = sum(
                len(t) for t, lab in zip(lines.texts, labels, strict=True) if lab == "main"
            )
            com_chars = sum(
                len(t) for t, lab in zip(lines.texts, labels, strict=True) if lab == "comment"
            )
            if main_chars < self.thread_ratio * com_chars:
                labels = ["main" if lab == "comment" else lab for lab in labels]

        if self.stray_gap is not None:
            R.stray_blocks(lines.texts, labels, gap=self.stray_gap, share=self.stray_share)

        # Rules: captions, then exact repeats of earlier content.
        # Caption candidates: caption words found by the features, or a credit prefix.
        # (Lines are screened by their first two characters, which a prefix needs.)
        hint = x[:, _KW_CAPTION] > 0
        cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        may = _may_start_with(cp, lines.starts, R.CAPTION_PREFIXES)
        for i in np.flatnonzero(may & ~hint).tolist():
            if lines.texts[i][:6].lower().startswith(R.CAPTION_PREFIXES):
                hint[i] = True
        # (A line's caption test reads its own label only: captions first. A
        # comment line above the first author line, before any thread, may be
        # one too: "Photo: ... Click to see full-size image" under the article.)
        first_meta = labels.index("comment_meta") if "comment_meta" in labels else n
        for i in np.flatnonzero(hint).tolist():
            lab = labels[i]
            if (
                lab in ("main", "boilerplate") or (lab == "comment" and i < first_meta)
            ) and R.is_caption(lines.texts[i]):
                labels[i] = "caption"
        seen: set[str] = set()
        title_key = keys[title_line] if title_line is not None else None
        copies = H.title_copies(keys, title_key, joined) if title_key is not None else set()
        # Only content lines and copies of the title can be duplicates or be
        # seen; the other lines are left as they are.
        for i in sorted(copies.union([i for i, lab in enumerate(labels) if lab in _CONTENT])):
            lab = labels[i]
            key = keys[i]
            # Short lines ("Example:", "Yes") repeat legitimately; paragraphs don't.
            title_copy = i in copies
            repeat = i != title_line and (
                title_copy or (key in seen and len(key) >= _MIN_DUPLICATE_CHARS)
            )
            if repeat and lab not in _COMMENTISH and (lab in _CONTENT or title_copy):
                labels[i] = "duplicate"
                continue
            if lab in _CONTENT:
                seen.add(key)

        # Zones: line i spans from its first character to the next line's
        # first; a run of lines with one label is one zone.
        bounds = lines.starts.tolist()
        bounds[0] = 0
        bounds.append(len(text))
        doc.zones = _zone_runs(bounds, labels)

        main_lines = R.main_lines(labels)
        title = lines.texts[title_line] if title_line is not None else None
        comments = self._comments(lines.texts, labels, R)
        self._finish(doc, lines.texts, main_lines, title, comments, n, labels)

    def _headline(
        self,
        texts: list[str],
        labels: list[str],
        probs: np.ndarray,
        keys: list[str],
        chrome: np.ndarray | None = None,
        html_title: str | None = None,
        url: str | None = None,
    ) -> int | None:
        """The headline's line: the one the page's first line names
        (``headline.page_title_line``) or, failing that, the one ``html_title``
        (the page's ``<title>``, which the WARC reader keeps out of the text)
        names; else the best candidate by ``headline.pick_headline``, or None
        when none scores ``min_title_score``."""
        from thresher.segment import headline as H
        from thresher.segment import rules as R

        named = H.page_title_line(texts, keys, labels)
        if named is None and html_title:
            named = H.titled_line(R.norm_key(html_title), keys, labels)
        if named is not None:
            return named
        picked = H.pick_headline(
            texts,
            labels,
            probs,
            keys,
            chrome,
            weights=self._model.headline_weights,
            url=H.url_words(url),
            url_name=H.url_name(url),
            url_weights=self._model.headline_weights_url,
        )
        if picked is None:
            return None
        best, score = picked
        if self.min_title_score is not None and score < self.min_title_score:
            return None
        return best

    def _model_labels(self, texts: list[str], probs: np.ndarray, x: np.ndarray) -> list[str]:
        """The model's labels, main kept from ``min_main_prob``, then the rules
        that need no title (money pickers, menus, gaps inside the article);
        ``x``: the lines' features, to screen lines for those rules."""
        from thresher.segment import rules as R
        from thresher.segment.model import CLASSES

        code = np.argmax(probs, axis=1)
        main_i = CLASSES.index("main")
        if self.min_main_prob is not None:
            code[probs[:, main_i] >= self.min_main_prob] = main_i
        labels: list[str] = np.array(CLASSES, dtype=object)[code].tolist()
        if self.gap_words is not None:
            R.fill_gaps(texts, labels, self.gap_words)
        if self.span_prob is not None:
            R.fill_doubts(labels, np.flatnonzero(probs[:, main_i] >= self.span_prob).tolist())
        # Chrome known by its shape has the last word over the gap filling above.
        # (An amount starts with a digit or a currency sign, a SYMBOL; a menu
        # has a separator, a SYMBOL too.)
        R.money_pickers(
            texts,
            labels,
            np.flatnonzero((x[:, _STARTS_DIGIT] > 0) | (x[:, _STARTS_SYMBOL] > 0)).tolist(),
        )
        R.navigation_lines(texts, labels, np.flatnonzero(x[:, _FRAC_SYMBOL] > 0).tolist())
        return labels

    def _comments(self, texts: list[str], labels: list[str], R: Any) -> list[dict[str, Any]]:
        from thresher.segment import authors as A

        out: list[dict[str, Any]] = []
        if "comment" not in labels:
            return out  # (a comment is its body lines; meta lines alone make none)
        meta: list[str] = []
        body: list[int] = []

        def flush() -> None:
            if body:
                parts = [texts[j] for j in body]
                if self.rejoin_wrapped:
                    adj = [b - a == 1 for a, b in itertools.pairwise(body)] + [False]
                    parts = R.rejoin(parts, adj)
                out.append(
                    {"author": A.author_of(meta), "text": "\n".join(parts), "toxicity": None}
                )
            meta.clear()
            body.clear()

        for i, lab in enumerate(labels):
            if lab == "comment_meta":
                if body:
                    flush()
                meta.append(texts[i])
            elif lab == "comment":
                body.append(i)
            elif body and lab != "duplicate":
                flush()
        flush()
        return out

    def _finish(
        self,
        doc: Document,
        texts: list[str],
        main_lines: list[int],
        title: str | None,
        comments: list[dict[str, Any]],
        n: int,
        labels: list[str] | None = None,
    ) -> None:
        from thresher.segment import rules as R

        parts = [texts[i] for i in main_lines]
        if self.rejoin_wrapped and parts:
            adj = [b - a == 1 for a, b in itertools.pairwise(main_lines)] + [False]
            parts = R.rejoin(parts, adj)
        doc.text = "\n".join(parts)
        doc.title = title
        doc.comments = comments
        labels = labels or []
        s = doc.signals
        s["segment_lines"] = n
        s["segment_main_lines"] = len(main_lines)
        s["segment_main_chars"] = len(doc.text)
        s["segment_boilerplate_lines"] = labels.count("boilerplate")
        s["segment_caption_lines"] = labels.count("caption")
        s["segment_duplicate_lines"] = labels.count("duplicate")
        s["segment_comments"] = len(comments)
        total = sum(map(len, texts))
        s["segment_main_frac"] = (
            round(sum(map(len, map(texts.__getitem__, main_lines))) / total, 4) if total else 0.0
        )
        if self.remove_empty and not doc.text:
            doc.remove(self.name, "no_main_text")
            # A removed record shows what was dropped: the text as it came in.
            doc.text = doc.original or ""
