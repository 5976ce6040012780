"""The headline: which line of the page is its title (see ``rules`` for the rest).

* headline: when the page's first line is "<headline> - <site>" (the HTML
  title) and the headline alone appears below, that line is the title;
  otherwise title-shaped lines (2-30 words, no full stop at the end, not a
  byline, date, caption, menu or pager) within TITLE_WINDOW lines above (or
  TITLE_BELOW below) the article's first paragraph, and those anywhere whose
  title probability is at least TITLE_PROB or (given the page's address)
  whose words the address holds, or that are the one word the address's
  last segment names ("Pods" for ".../pods/"), are scored by a linear ranker over clues
  (``HEADLINE_NAMES``) and the best is the title. Short
  "main" lines above a headline that no paragraph precedes (fewer than
  MIN_PARAGRAPH_WORDS words) are page chrome and become boilerplate.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import urllib.parse

import numpy as np

from thresher.segment.comment_fixes import COUNT_LINE, POST_COUNT
from thresher.segment.comments import is_comment_heading
from thresher.segment.rules import (
    BYLINE,
    COMMENTISH,
    MIN_PARAGRAPH_WORDS,
    NAME_LIKE,
    TITLE_BELOW,
    TITLE_WINDOW,
    article_start,
    is_caption,
    joined_keys,
    main_lines,
    meta_line,
)

# Headline picker. A candidate is a title-shaped line near the top of the
# article, or one the model takes for a title; it is scored by a linear function of the clues below, whose weights
# were fit by logistic regression on the training pages' titles (WCXB) and
# rounded (see MODEL_CARD.md).
_SITE_SEP = re.compile(r"\s+[|\-–—:·»]\s+")


_KEY_SEP = re.compile(r"(?<= )[|\-–—:·»] ")  # the same in a norm_key (single spaces)


HEADLINE_NAMES = (
    "near",  # 1 / (1 + lines between the candidate and the first paragraph)
    "within3",  # at most 3 lines from the first paragraph
    "words",  # words / 30
    "site_title",  # a line near it is this one plus a site name (" - Site", " | Site")
    "above_meta",  # a byline, date or reading-time line within 2 lines below
    "p_title",  # the model's title probability
    "p_main",  # the model's main probability
    "is_main",  # labelled main before the picker
    "lede_overlap",  # share of its long words found in the next paragraphs
    "question",  # ends in ? or !
    "closest",  # no other title-shaped line between it and the paragraph below
    "upper",  # starts with an upper-case letter or a digit
    "all_caps",  # all letters upper case
    "crumb_end",  # a longer line up to 15 lines above ends with it (a breadcrumb)
    "below",  # below the first paragraph (a headline under a long chrome line)
    "chrome_words",  # holds a chrome word ("subscribe", "sign up", "share", "menu")
    "name_like",  # 2-3 capitalised words and nothing else: a person's name (a byline)
    "main_words",  # share of its long words found in other main lines (the article's)
    "url_words",  # share of its words found in the page's address (its path and query)
)


# Words of a page's address: 3 or more letters or digits, casefolded. An
# article's slug names its headline ("/2025/09/04/top-nutrition-trends-for-fall"),
# a product's or a section's its name ("/products/ridge-wallet", "/docs/pods").
_URL_WORD = re.compile(r"[^\W_]{3,}")


# The scheme and host ("https://www.example.com"), left out: the site's name
# is no headline. (A regular expression, not urllib: it takes any string.)
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#]*", re.IGNORECASE)


# File endings and the like, which name no page.
_URL_SKIP = frozenset(("html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cgi", "www", "index"))


def _address_words(part: str) -> list[str]:
    """The words of a part of an address: percent-decoded, casefolded, of 3+
    letters or digits, file endings aside."""
    folded = urllib.parse.unquote(part, errors="replace").casefold()
    return [w for w in _URL_WORD.findall(folded) if w not in _URL_SKIP]


def url_words(url: str | None) -> frozenset[str]:
    """The words of ``url``'s path and query (``_address_words``); empty for
    None or ""."""
    if not url:
        return frozenset()
    return frozenset(_address_words(_URL_HOST.sub("", url, count=1)))


def url_name(url: str | None) -> str:
    """The one word of ``url``'s last path segment, as ``url_words`` reads
    it ("/docs/concepts/workloads/pods/" -> "pods", "/01_introduction.html" ->
    "introduction"); "" when that segment has none or several, or for None:
    a page named by one word (a documentation topic, a product, a section)."""
    if not url:
        return ""
    path = _URL_HOST.sub("", url, count=1).split("?", 1)[0].split("#", 1)[0]
    words = _address_words(next((seg for seg in reversed(path.split("/")) if seg), ""))
    # (Digits alone name a year or a page number, not the page.)
    return words[0] if len(words) == 1 and not words[0].isdigit() else ""


# Separators of menu items and breadcrumbs ("Log in | Register", "Home / Transport").
_ITEM_SPLIT = re.compile(r"\s+[|/>»·•›]\s+|\s*[|·•»›]\s*|\s{2,}")


_MENU_CHAR = re.compile(r"[|/>»·•›]")


_PAGER = re.compile(r"\bpage\s+\d+\s+of\s+\d+\b", re.IGNORECASE)


def _menu_like(line: str) -> bool:
    """Two or more short items between separators: a menu or a breadcrumb."""
    if "  " not in line and _MENU_CHAR.search(line) is None:
        return False
    items = [p for p in _ITEM_SPLIT.split(line) if p.strip()]
    return len(items) >= 2 and all(len(p.split()) <= 3 for p in items)


def site_title_head(key: str, keys: list[str]) -> str | None:
    """When ``key`` reads "<headline> - <site>" and the bare headline is also
    one of ``keys``, that headline; else None."""
    if not _SITE_SEP.search(key):
        return None
    parts = _SITE_SEP.split(key)
    found = set(keys)
    for head in (parts[0], key[: key.rfind(parts[-1])].rstrip(" |-–—:·»")):
        if head != key and head in found:
            return head
    return None


PAGE_TITLE_REACH = 60


def page_title_line(texts: list[str], keys: list[str], labels: list[str]) -> int | None:
    """The headline named by the page's first line when that line is the
    HTML title, "<headline> - <site>" (or "<site> | <headline>"), as in WET
    files: the first later line (within ``PAGE_TITLE_REACH`` lines, not a
    comment) that is the headline part alone; None when there is none."""
    if len(keys) < 2:
        return None
    return titled_line(keys[0], keys, labels, start=1)


def titled_line(title_key: str, keys: list[str], labels: list[str], start: int = 0) -> int | None:
    """The first line from ``start`` (within ``PAGE_TITLE_REACH`` lines of
    the top, not a comment) that is the headline part of the page title
    ``title_key`` (a ``norm_key``) when that reads "<headline> - <site>" or
    "<site> | <headline>"; None when it has no site separator (it may be the
    site's name alone) or no line is its headline part."""
    if not _SITE_SEP.search(title_key):
        return None
    parts = _SITE_SEP.split(title_key)
    heads = [parts[0], title_key[: title_key.rfind(parts[-1])].rstrip(" |-–—:·»"), parts[-1]]
    for head in heads:
        if len(head.split()) < 2:
            continue
        for j in range(start, min(len(keys), PAGE_TITLE_REACH)):
            if keys[j] == head and labels[j] not in COMMENTISH:
                return j
    return None


_LONG_WORD = re.compile(r"\w{4,}")


def _long_words(key: str) -> set[str]:
    """Words of 4+ characters of a casefolded text."""
    return set(_LONG_WORD.findall(key))


#: Lines whose title probability is at least this are headline candidates
#: wherever they are on the page (chosen on the dev slice: WCXB titles found
#: 0.563 -> 0.583; see MODEL_CARD.md).
TITLE_PROB = 0.3


#: Lines at least this share of whose words the page's address holds are
#: headline candidates wherever they are on the page.
URL_SHARE = 0.5


class _HeadlineScan:
    """One page's headline candidates and their clues, computed lazily: the
    cheap clues for every line of the windows that passes the cheap tests,
    the exclusion tests and the costly clues only where asked."""

    def __init__(
        self,
        texts: list[str],
        labels: list[str],
        probs: np.ndarray,
        keys: list[str],
        chrome: np.ndarray | None,
        url: frozenset[str] = frozenset(),
        url_name: str = "",
    ) -> None:
        self.texts, self.labels, self.keys, self.chrome = texts, labels, keys, chrome
        self.url = url
        self.pool: list[int] = []  # lines passing the cheap tests, in order
        self.anchor_of: dict[int, int] = {}
        self.n_words: dict[int, int] = {}
        self.window: list[int] = []
        self._meta: dict[int, bool] = {}
        self._out: dict[int, bool] = {}
        self._ledes: dict[int, set[str]] = {}
        self._main_text: str | None = None
        self._words: dict[int, set[str]] = {}
        self._named: set[str] | None = None
        self._url_share: dict[int, float] = {}
        self._above: tuple[str, list[int], int] | None = None
        self._joined: tuple[str, list[int]] | None = None
        n = len(texts)
        self.mains = mains = main_lines(labels)
        if not mains:
            return
        first_long = next(
            (i for i in mains if len(texts[i].split()) >= MIN_PARAGRAPH_WORDS), mains[0]
        )
        seen: set[int] = set()
        anchors = sorted({first_long, article_start(texts, labels, mains=mains)})
        for a in anchors:
            for i in range(max(0, a - TITLE_WINDOW), min(n, a + TITLE_BELOW + 1)):
                if i not in seen:
                    seen.add(i)
                    self._take(i, a)
        # Lines the model takes for a title, wherever they are (a headline
        # above a long run of chrome, or below a first paragraph that is
        # chrome): measured from the nearer anchor.
        for i in np.flatnonzero(probs[:, 0] >= TITLE_PROB).tolist():
            if i not in seen:
                self._take(i, min(anchors, key=lambda a: abs(a - i)))
        # And lines the page's address names, wherever they are (a product's
        # name above a long menu).
        for i in self._url_lines():
            # (The quick shape test first: the share costs a word split.)
            if (
                i not in seen
                and i not in self.anchor_of
                and self._shaped(i)
                and self.url_share(i) >= URL_SHARE
            ):
                self._take(i, min(anchors, key=lambda a: abs(a - i)))
        # And the one word that names the page ("Pods" for ".../pods/"): the
        # one case of a one-word headline.
        if url_name:
            for i in self._name_lines(url_name):
                if i not in self.anchor_of:
                    self._take(i, min(anchors, key=lambda a: abs(a - i)), one_word=True)
        self.pool.sort()
        self.window = sorted(seen)
        self.p_title = probs[self.pool, 0].tolist() if self.pool else []
        self.p_main = probs[self.pool, 1].tolist() if self.pool else []

    def _shaped(self, i: int) -> bool:
        """Line ``i`` is no comment and ends in no full stop or comma (the
        quick half of ``_take``'s test)."""
        return self.labels[i] not in COMMENTISH and self.texts[i][-1] not in ".,;:"

    def _take(self, i: int, anchor: int, one_word: bool = False) -> None:
        """Line ``i`` joins the pool, measured from ``anchor``, when it is
        title-shaped: 2-30 words (or, with ``one_word``, one), no comment, no
        full stop or comma at its end."""
        if not self._shaped(i):
            return
        nw = len(self.texts[i].split())
        if (1 if one_word else 2) <= nw <= 30:
            self.anchor_of[i] = anchor
            self.n_words[i] = nw
            self.pool.append(i)

    def is_meta(self, j: int) -> bool:
        if j not in self._meta:
            self._meta[j] = meta_line(self.texts[j])
        return self._meta[j]

    def excluded(self, i: int) -> bool:
        """A menu, byline, date, caption, comment heading, count or pager."""
        if i not in self._out:
            line = self.texts[i]
            self._out[i] = bool(
                _menu_like(line)
                or self.is_meta(i)
                or is_caption(line)
                or BYLINE.match(line)
                or COUNT_LINE.match(line)
                or POST_COUNT.match(line)
                or _PAGER.search(line)
                or is_comment_heading(line)
            )
        return self._out[i]

    def cheap(self, k: int) -> list[float]:
        """Clues of ``pool[k]`` that need no search (``CHEAP_CLUES`` order)."""
        i = self.pool[k]
        first = self.anchor_of[i]
        line = self.texts[i]
        return [
            1.0 / (1 + abs(first - i)),
            float(abs(first - i) <= 3),
            self.n_words[i] / 30,
            self.p_title[k],
            self.p_main[k],
            float(self.labels[i] == "main"),
            float(line[-1] in "?!"),
            float(line[0].isupper() or line[0].isdigit()),
            float(line.isupper()),
            float(self.crumb_end(i)),
            float(i > first),
            float(self.chrome is not None and bool(self.chrome[i])),
            # The last title-shaped line above the paragraph.
            float(i < first and (k + 1 == len(self.pool) or self.pool[k + 1] >= first)),
            float(NAME_LIKE.match(line) is not None),
            self.url_share(i),
        ]

    def _url_lines(self) -> list[int]:
        """Lines holding two or more of the address's words (its one word,
        when it has one), found by substring search of the joined lines."""
        if not self.url:
            return []
        joined, ends = self.joined()
        hits: dict[int, int] = {}
        for word in self.url:
            at = joined.find(word)
            while at >= 0:
                i = bisect.bisect_right(ends, at)
                hits[i] = hits.get(i, 0) + 1
                at = joined.find(word, ends[i])
        need = min(2, len(self.url))
        return sorted(i for i, k in hits.items() if k >= need)

    def joined(self) -> tuple[str, list[int]]:
        """``joined_keys`` of the page, once."""
        if self._joined is None:
            self._joined = joined_keys(self.keys)
        return self._joined

    def _name_lines(self, name: str) -> list[int]:
        """Lines that are ``name`` alone (a word of 3+ letters or digits, with
        any punctuation around it), found by substring search of the joined lines."""
        joined, ends = self.joined()
        out = []
        at = joined.find(name)
        while at >= 0:
            i = bisect.bisect_right(ends, at)
            if _URL_WORD.findall(self.keys[i]) == [name] and " " not in self.keys[i]:
                out.append(i)
            at = joined.find(name, ends[i])
        return out

    def url_share(self, i: int) -> float:
        """The share of line i's words (as ``url_words`` reads them) that the
        page's address holds (0 without one)."""
        if not self.url:
            return 0.0
        if i not in self._url_share:
            words = _URL_WORD.findall(self.keys[i])
            held = sum(map(self.url.__contains__, words))
            self._url_share[i] = held / len(words) if words else 0.0
        return self._url_share[i]

    def crumb_end(self, i: int, reach: int = 15) -> bool:
        """``crumb_end(keys, i, reach)`` for a line of the pool, counted in one
        joined copy of the lines above the pool."""
        if self._above is None:
            lo = max(0, self.pool[0] - reach)
            above = self.keys[lo : self.pool[-1]]
            # offs[j]: where the newline before line lo + j is.
            offs = list(itertools.accumulate((len(k) + 1 for k in above), initial=0))
            self._above = ("\n" + "\n".join(above) + "\n", offs, lo)
        joined, offs, lo = self._above
        a, b = offs[max(0, i - reach) - lo], offs[i - lo] + 1
        key = self.keys[i] + "\n"
        # (Most lines end no line above: one search says so.)
        if joined.find(key, a, b) < 0:
            return False
        return joined.count(key, a, b) > joined.count("\n" + key, a, b)

    def costly(self, k: int) -> list[float]:
        """The other clues of ``pool[k]`` (``COSTLY_CLUES`` order), each in [0, 1]."""
        return [*self.costly_quick(k), self.lede_overlap(k), self.main_overlap(k)]

    def costly_quick(self, k: int) -> list[float]:
        """The first two of ``costly``: site title, a meta line below."""
        i = self.pool[k]
        keys = self.keys
        if self._named is None:
            # Headlines named with a site ("<title> - <site>", "<site> | <title>")
            # in the windows: the text on either side of a separator.
            self._named = set()
            window = [keys[j] for j in self.window]
            joined, ends = joined_keys(window)
            for m in _KEY_SEP.finditer(joined):
                j = bisect.bisect_right(ends, m.start())
                key, at = window[j], ends[j - 1] if j else 0
                self._named.add(key[: m.start() - at - 1])
                self._named.add(key[m.end() - at :])
        n = len(keys)
        return [
            float(keys[i] in self._named),
            float((i + 1 < n and self.is_meta(i + 1)) or (i + 2 < n and self.is_meta(i + 2))),
        ]

    def lede_overlap(self, k: int) -> float:
        """The third of ``costly``: the share of the line's long words in the
        lines below it (the article's first lines)."""
        i = self.pool[k]
        keys = self.keys
        at = max(self.anchor_of[i], i + 1)
        if at not in self._ledes:
            self._ledes[at] = _long_words(" ".join(keys[at : at + 4]))
        words = self.long_words(i)
        return len(words & self._ledes[at]) / len(words) if words else 0.0

    def long_words(self, i: int) -> set[str]:
        """``_long_words`` of line i's key, once."""
        if i not in self._words:
            self._words[i] = _long_words(self.keys[i])
        return self._words[i]

    def main_overlap(self, k: int) -> float:
        """The last of ``costly``: the share of the line's long words that
        other main lines hold, as substrings (a headline names what the
        article is about; a button or a byline does not)."""
        i = self.pool[k]
        words = self.long_words(i)
        if not words:
            return 0.0
        if self._main_text is None:
            self._main_text = "\n".join([self.keys[j] for j in self.mains])
        text = self._main_text
        if self.labels[i] != "main":
            return sum(w in text for w in words) / len(words)
        # Its own line is in the text: a word counts when it occurs outside it.
        key = self.keys[i]
        return sum(text.count(w) > key.count(w) for w in words) / len(words)


_TITLE_OK = ("title", "main", "boilerplate")


#: Clue order of ``_HeadlineScan.cheap`` and ``.costly``, as ``HEADLINE_NAMES`` indices.
CHEAP_CLUES = (0, 1, 2, 5, 6, 7, 9, 11, 12, 13, 14, 15, 10, 16, 18)


COSTLY_CLUES = (3, 4, 8, 17)


def headline_candidates(
    texts: list[str],
    labels: list[str],
    probs: np.ndarray,
    keys: list[str],
    chrome: np.ndarray | None = None,
    url: frozenset[str] = frozenset(),
    url_name: str = "",
) -> tuple[list[int], np.ndarray]:
    """Candidate headline lines and their clues (``HEADLINE_NAMES``), one row
    each: title-shaped lines (2-30 words, no full stop at the end, not a menu,
    byline, date, caption, comment heading, count or pager) within
    ``TITLE_WINDOW`` lines above or ``TITLE_BELOW`` below the article's first
    paragraph or the start of its longest run of main text, or anywhere with
    a title probability of at least ``TITLE_PROB`` or with at least
    ``URL_SHARE`` of its words in ``url`` (``url_words`` of the page's
    address; empty: none), or one word that is ``url_name`` (``url_name`` of
    the address; "": none). ``probs``: the
    model's probabilities (title first, main second); ``chrome``: per line,
    whether it holds a chrome word (the features' ``kw_chrome``; None: no
    line does). ``pick_headline`` finds the best of them without computing
    every row."""
    scan = _HeadlineScan(texts, labels, probs, keys, chrome, url, url_name)
    cands, rows = [], []
    for k, i in enumerate(scan.pool):
        if scan.excluded(i):
            continue
        row = [0.0] * len(HEADLINE_NAMES)
        for j, v in zip(CHEAP_CLUES, scan.cheap(k), strict=True):
            row[j] = v
        for j, v in zip(COSTLY_CLUES, scan.costly(k), strict=True):
            row[j] = v
        cands.append(i)
        rows.append(row)
    return cands, np.asarray(rows, dtype=np.float64).reshape(len(rows), len(HEADLINE_NAMES))


def pick_headline(
    texts: list[str],
    labels: list[str],
    probs: np.ndarray,
    keys: list[str],
    chrome: np.ndarray | None = None,
    *,
    weights: np.ndarray,
    url: frozenset[str] = frozenset(),
    url_name: str = "",
    url_weights: np.ndarray | None = None,
) -> tuple[int, float] | None:
    """The best of ``headline_candidates`` by ``weights`` (one per
    ``HEADLINE_NAMES``; the segment model's ``headline_weights``) and its
    score, or None (``url_name``: as for ``headline_candidates``); by
    ``url_weights`` instead (``headline_weights_url``),
    when given, where a word of ``url`` is in a candidate (an address such
    as "/article/12345" names none). Branch and bound: lines are
    tried in order of their cheap clues' score, and the search stops when even
    the best possible costly clues could not overtake the best line found, so
    the exclusion tests and costly clues run on a few lines only (the result
    is the argmax over all candidates, the first line on ties)."""
    scan = _HeadlineScan(texts, labels, probs, keys, chrome, url, url_name)
    if not scan.pool:
        return None
    w = weights
    if url_weights is not None and any(
        scan.url_share(i) > 0 and not scan.excluded(i) for i in scan.pool
    ):
        w = url_weights
    # (Plain floats: a handful of products per line costs less in Python than
    # building arrays for them.)
    w_cheap = [float(w[j]) for j in CHEAP_CLUES]
    w_costly = [float(w[j]) for j in COSTLY_CLUES]
    bound = sum(max(v, 0.0) for v in w_costly)
    cheap = [sum(map(operator.mul, scan.cheap(k), w_cheap)) for k in range(len(scan.pool))]
    order = sorted(range(len(scan.pool)), key=lambda k: (-cheap[k], k))
    best_k, best = -1, -np.inf
    # (The word overlaps, the costliest clues, are skipped where even their
    # best values could not reach the best score: a margin keeps rounding out.)
    lede_max = max(w_costly[2], 0.0)
    main_max = max(w_costly[3], 0.0) + 1e-9
    # (The exclusion tests run only on a line that would become the best:
    # an excluded line can be best of nothing.)
    for k in order:
        if cheap[k] + bound < best:
            break
        quick = scan.costly_quick(k)
        known = cheap[k] + quick[0] * w_costly[0] + quick[1] * w_costly[1]
        if known + lede_max + main_max < best:
            continue
        lede = scan.lede_overlap(k)
        if known + lede * w_costly[2] + main_max < best:
            continue
        score = known + lede * w_costly[2] + scan.main_overlap(k) * w_costly[3]
        if (score > best or (score == best and k < best_k)) and not scan.excluded(scan.pool[k]):
            best_k, best = k, score
    if best_k < 0:
        return None
    line = scan.pool[best_k]
    # "<headline> - <site>" (the HTML title) when the bare headline is shown too.
    bare = site_title_head(keys[line], keys)
    if bare is not None:
        same = [j for j in scan.pool if keys[j] == bare and not scan.excluded(j)]
        same = same or [j for j, k in enumerate(keys) if k == bare and labels[j] in _TITLE_OK]
        line = same[0] if same else line
    # Of a headline shown twice, the first copy is the title, the second its duplicate.
    copies = [j for j in scan.pool if keys[j] == keys[line] and not scan.excluded(j)]
    return (copies[0] if copies else line), best


def title_copies(
    keys: list[str], title_key: str, joined: tuple[str, list[int]] | None = None
) -> set[int]:
    """Lines (indices into ``keys``) that are the title, alone or with a site
    name ("<title> - <site>", "<site> | <title>"): found by substring search
    of the joined page (``joined``: ``joined_keys(keys)`` when at hand)."""
    joined_text, ends = joined_keys(keys) if joined is None else joined
    out: set[int] = set()
    at = joined_text.find(title_key)
    while at >= 0:
        i = bisect.bisect_right(ends, at)
        key = keys[i]
        if key == title_key or site_title_head(key, [title_key]) == title_key:
            out.add(i)
        at = joined_text.find(title_key, ends[i])
    return out


def crumb_end(keys: list[str], i: int, reach: int = 15) -> bool:
    """A longer line at most ``reach`` lines above ``keys[i]`` ends with it
    (a breadcrumb, "Home > News > <headline>")."""
    above = "\n" + "\n".join(keys[max(0, i - reach) : i]) + "\n"
    key = keys[i] + "\n"
    return above.count(key) > above.count("\n" + key)
