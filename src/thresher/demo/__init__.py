"""The sample corpus behind ``thresher demo``: a small, messy, deterministic web crawl.

    >>> from thresher.demo import generate, iter_records
    >>> paths = generate(Path("demo-in"))          # demo-00000.jsonl.gz, ...
    >>> next(iter_records(10, seed=0))["kind"]

Documents look like text extracted from HTML, one block per line: news
articles wrapped in navigation, donation and share widgets, with captions,
comment sections (some comments toxic, some with e-mail addresses or phone
numbers) and sometimes a second story pasted below; forum threads; product
and listing pages; contact pages; spam. A known share are exact duplicates
(the same page at another URL) or near-duplicates (syndicated copies with
small edits and other chrome, mirrored forum threads). Some articles are in
German, French, Spanish, Italian, Portuguese, Dutch or Russian, and some text
is damaged: mojibake, hard wraps, control characters, odd whitespace.

Each record is ``{"id", "url", "text", "kind", "truth"}`` (kind: news, forum,
product, listing, contact, spam); ``truth`` holds what an evaluation needs:

* ``title``, ``lang`` (ISO 639-1);
* ``main``: the clean content, paragraphs joined by newlines (the article; a
  thread's opening post; a product's description and specs; None for
  listings and spam); ``appended``: ``{"title", "main"}`` of a second story
  pasted below, when there is one;
* ``comments``: ``[{"author", "text", "toxic"}]`` (news comments, forum
  replies, product reviews);
* ``pii``: ``{"email": n, "phone": n}`` planted in the page;
* ``dup_of``, ``dup_kind``: the id of the first occurrence and ``"exact"``
  (same text up to whitespace) or ``"near"`` (a syndicated or mirrored copy);
  None for first occurrences;
* ``noise``: the damage applied (mojibake, hard_wrap, html_entities,
  control_chars, odd_whitespace);
* ``line_labels``: a zone label per line of ``text.split("\\n")`` (title, main,
  boilerplate, caption, comment, comment_meta, duplicate), or None when
  hard wraps or blank-line noise moved the lines.

:func:`thresher.demo.score.score` compares a ``thresher clean`` output folder
with this truth. The text is drawn from templates and word banks in
``thresher/demo/data/`` by one ``random.Random(seed)``: the same seed gives
byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["KIND_SHARES", "generate", "iter_records"]

#: Share of each slot kind in the corpus; counts are rounded from these, so a
#: corpus of n documents has exactly ``round(share * n)`` of each (news absorbs
#: the rounding).
KIND_SHARES: dict[str, float] = {
    "news": 0.40,
    "news_foreign": 0.10,
    "forum": 0.12,
    "product": 0.08,
    "listing": 0.05,
    "contact": 0.03,
    "spam": 0.08,
    "exact_dup": 0.06,
    "near_dup": 0.08,
}


def iter_records(n_docs: int = 3000, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield the corpus records in order; deterministic in ``(n_docs, seed)``."""
    from thresher.demo.corpus import Corpus

    return Corpus(n_docs, seed).records()


def generate(
    out_dir: Path, *, n_docs: int = 3000, seed: int = 0, shards: int | None = None
) -> list[Path]:
    """Write the corpus as ``demo-00000.jsonl.gz``... in ``out_dir``; return the paths.

    ``shards`` defaults to one per 1,000 documents, between 1 and 4. Files are
    written under a temporary name and renamed when complete; the gzip header
    carries no timestamp, so equal seeds give byte-identical files.
    """
    from thresher.demo.corpus import write_shards

    return write_shards(Path(out_dir), n_docs=n_docs, seed=seed, shards=shards)
