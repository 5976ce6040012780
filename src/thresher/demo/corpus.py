"""Plan the corpus (which kind goes where, who duplicates whom) and write it."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from thresher.demo import KIND_SHARES, news, noise, pages
from thresher.demo.grammar import load_json
from thresher.errors import ConfigError

#: Foreign-language news: language and relative weight.
LANG_WEIGHTS = {"de": 4, "fr": 4, "es": 4, "it": 1, "pt": 1, "nl": 1, "ru": 1}

#: Chance that a generated page (original or near-duplicate) gets each kind of
#: damage; mojibake hits only pages with non-ASCII text, at twice this rate.
NOISE_RATES = {
    "mojibake": 0.025,
    "hard_wrap": 0.06,
    "html_entities": 0.04,
    "control_chars": 0.04,
    "odd_whitespace": 0.08,
}

# Word swaps a syndication desk makes; each near-duplicate gets one to three.
_EDITS = (
    (" said ", " says "),
    (" per cent", " percent"),
    ("’", "'"),
    (" on Monday", ""),
    (" council ", " Council "),
    (" more than ", " over "),
    (" about ", " around "),
    (" told reporters", " said"),
    ("“", '"'),
    ("”", '"'),
    (" has ", " had "),
    (" will ", " would "),
)


def plan(n_docs: int, rng: random.Random) -> list[str]:
    """The kind of each slot: exact counts from :data:`KIND_SHARES`, duplicates
    only after the first tenth so each has an earlier original to copy."""
    if n_docs < 1:
        raise ConfigError(f"n_docs must be at least 1, got {n_docs}")
    kinds = list(KIND_SHARES)
    floor = 1 if n_docs >= 2 * len(kinds) else 0
    counts = {k: max(floor, round(KIND_SHARES[k] * n_docs)) for k in kinds}
    counts["news"] += n_docs - sum(counts.values())
    if counts["news"] < 1:
        counts = {k: 0 for k in kinds}
        counts["news"] = n_docs
    originals = [k for k in kinds if not k.endswith("_dup") for _ in range(counts[k])]
    dups = [k for k in kinds if k.endswith("_dup") for _ in range(counts[k])]
    rng.shuffle(originals)
    rng.shuffle(dups)
    lo = min(max(1, n_docs // 10), len(originals))
    slots = sorted(rng.sample(range(lo, n_docs), len(dups))) if dups else []
    out: list[str] = []
    it_o, it_d = iter(originals), iter(dups)
    dup_at = set(slots)
    for i in range(n_docs):
        out.append(next(it_d) if i in dup_at else next(it_o))
    return out


class Corpus:
    """Generates records one by one; remembers originals so duplicates can copy them."""

    def __init__(self, n_docs: int, seed: int) -> None:
        self.n_docs = n_docs
        self.seed = seed
        self._rng = random.Random(seed)
        self._records: list[dict[str, Any]] = []
        self._news: list[tuple[int, news.Article, str]] = []  # (index, article, outlet)
        self._forums: list[tuple[int, dict[str, Any]]] = []
        self._urls: set[str] = set()
        self._texts: dict[str, str] = {}  # whitespace-folded text -> first id

    def records(self) -> Iterator[dict[str, Any]]:
        kinds = plan(self.n_docs, self._rng)
        for i, slot in enumerate(kinds):
            # One child RNG per document: a change to one page's recipe does not
            # reshuffle every page after it.
            rng = random.Random(self._rng.getrandbits(64))
            rec = self._make(i, slot, rng)
            self._mark_chance_duplicate(rec)
            if rec["url"] in self._urls:  # two pages drew the same address
                rec["url"] += ("&" if "?" in rec["url"] else "?") + f"p={i}"
            self._urls.add(rec["url"])
            self._records.append(rec)
            yield rec

    def _mark_chance_duplicate(self, rec: dict[str, Any]) -> None:
        """Short pages ("Coming soon.") repeat by chance: label them like planned copies."""
        key = " ".join(rec["text"].split())
        first = self._texts.setdefault(key, rec["id"])
        if first != rec["id"] and rec["truth"]["dup_of"] is None:
            rec["truth"] = {**rec["truth"], "dup_of": first, "dup_kind": "exact"}

    def _make(self, i: int, slot: str, rng: random.Random) -> dict[str, Any]:
        if slot == "exact_dup":
            return self._exact_dup(i, rng)
        if slot == "near_dup" and (self._news or self._forums):
            return self._near_dup(i, rng)
        if slot == "near_dup":
            return self._exact_dup(i, rng)
        return self._original(i, slot, rng)

    def _original(self, i: int, slot: str, rng: random.Random) -> dict[str, Any]:
        outlets = load_json("chrome.json")["outlets"]
        lang = "en"
        if slot in ("news", "news_foreign"):
            if slot == "news":
                art = news.english_article(rng)
            else:
                lang = rng.choices(list(LANG_WEIGHTS), list(LANG_WEIGHTS.values()))[0]
                art = news.foreign_article(rng, lang)
            outlet = rng.choice(
                outlets if lang == "en" else load_json("langs.json")[lang]["outlets"]
            )
            n_comments = 0 if lang != "en" or rng.random() < 0.25 else rng.randint(1, 12)
            appended = None
            if rng.random() < 0.12:
                appended = (
                    news.english_article(rng) if lang == "en" else news.foreign_article(rng, lang)
                )
            page = news.render(rng, art, outlet, n_comments=n_comments, appended=appended)
            url = _news_url(rng, outlet, art)
            kind = "news"
            if lang == "en":  # syndication copies English stories only
                self._news.append((i, art, outlet["name"]))
        elif slot == "forum":
            page, spec = pages.forum(rng)
            self._forums.append((i, spec))
            url = (
                f"https://{page.domain}/threads/{_slug(spec['title'])}.{rng.randint(1000, 99999)}/"
            )
            kind = "forum"
        elif slot == "product":
            page = pages.product(rng)
            url = (
                f"https://{page.domain}/p/{_slug(page.truth['title'])}/{rng.randint(10**6, 10**7)}"
            )
            kind = "product"
        elif slot == "listing":
            page = pages.listing(rng)
            url = f"https://{page.domain}/c/{_slug(page.lines[0].split('|')[0])}?page={rng.randint(1, 9)}"
            kind = "listing"
        elif slot == "contact":
            page = pages.contact(rng)
            url = f"http://{page.domain}/contact"
            kind = "contact"
        else:
            page = pages.spam(rng)
            url = f"http://{page.domain}/{rng.randint(1, 99999)}.html"
            kind = "spam"
        text, applied = _damage("\n".join(page.lines), rng)
        truth = {"lang": lang, **page.truth, "dup_of": None, "dup_kind": None, "noise": applied}
        truth["line_labels"] = _labels(page, applied)
        return {"id": self._id(i), "url": url, "text": text, "kind": kind, "truth": truth}

    def _exact_dup(self, i: int, rng: random.Random) -> dict[str, Any]:
        """The same page at another URL (AMP, tracking parameters, mirror host)."""
        originals = [r for r in self._records if r["truth"]["dup_of"] is None]
        if not originals:
            originals = self._records
        src = rng.choice(originals)
        url = src["url"]
        variant = rng.randrange(4)
        if variant == 0:
            url = (
                url
                + ("&" if "?" in url else "?")
                + f"utm_source={rng.choice(('twitter', 'newsletter', 'facebook'))}"
            )
        elif variant == 1:
            url = (
                url.replace("https://", "http://", 1)
                if url.startswith("https://")
                else url.replace("http://", "https://", 1)
            )
        elif variant == 2:
            url = url.rstrip("/") + "/amp"
        else:
            url = re.sub(r"^(https?://)(www\.)?", r"\1mirror.", url)
        truth = {**src["truth"], "dup_of": src["id"], "dup_kind": "exact"}
        return {
            "id": self._id(i),
            "url": url,
            "text": src["text"],
            "kind": src["kind"],
            "truth": truth,
        }

    def _near_dup(self, i: int, rng: random.Random) -> dict[str, Any]:
        """A syndicated copy of a news story or a mirrored forum thread."""
        use_news = bool(self._news) and (not self._forums or rng.random() < 0.75)
        if use_news:
            j, art, home = rng.choice(self._news)
            edited = _edit(art, rng)
            outlets = load_json("chrome.json")["outlets"]
            outlet = rng.choice([o for o in outlets if o["name"] != home])
            n_comments = 0 if rng.random() < 0.5 else rng.randint(1, 4)
            page = news.render(rng, edited, outlet, n_comments=n_comments, syndicated_from=home)
            url = _news_url(rng, outlet, edited)
            kind = "news"
        else:
            j, spec = rng.choice(self._forums)
            page = pages.forum_mirror(rng, spec)
            url = f"https://{page.domain}/t/{_slug(spec['title'])}-{rng.randint(1000, 99999)}"
            kind = "forum"
        text, applied = _damage("\n".join(page.lines), rng)
        truth = {
            "lang": "en",
            **page.truth,
            "dup_of": self._id(j),
            "dup_kind": "near",
            "noise": applied,
            "line_labels": _labels(page, applied),
        }
        return {"id": self._id(i), "url": url, "text": text, "kind": kind, "truth": truth}

    @staticmethod
    def _id(i: int) -> str:
        return f"demo-{i:06d}"


def _edit(art: news.Article, rng: random.Random) -> news.Article:
    """Small copy-desk edits: swapped words, a dropped sentence or closing paragraph."""
    paras = list(art.paragraphs)
    for old, new in rng.sample(_EDITS, rng.randint(1, 3)):
        hits = [k for k, p in enumerate(paras) if old in p]
        if hits:
            k = rng.choice(hits)
            paras[k] = paras[k].replace(old, new, 1)
    # Cuts stay under a tenth of the text, so the copy remains a near-duplicate.
    total = sum(len(p) for p in paras)
    if len(paras) > 4 and rng.random() < 0.5 and len(paras[-1]) < total / 10:
        paras.pop()
    elif rng.random() < 0.5:
        k = rng.randrange(1, len(paras))
        sents = paras[k].split(". ")
        drop = rng.randrange(len(sents))
        if len(sents) > 1 and len(sents[drop]) < total / 10:
            sents.pop(drop)
            paras[k] = ". ".join(sents)
    if paras == art.paragraphs:
        paras.append(f"Additional reporting by {art.author}.")
    title = art.title if rng.random() < 0.7 else art.title.replace(" to ", " will ", 1)
    return news.Article(art.lang, art.topic, title, paras, art.env, art.date, art.author)


def _labels(page: news.Page, applied: list[str]) -> list[str] | None:
    """Zone label per line of ``text.split("\\n")``; None once damage moved the lines."""
    if "hard_wrap" in applied or "odd_whitespace" in applied:
        return None
    return page.labels


def _damage(text: str, rng: random.Random) -> tuple[str, list[str]]:
    applied: list[str] = []
    if not text.isascii() and rng.random() < NOISE_RATES["mojibake"] * 2:
        text = noise.mojibake(text, rng)
        applied.append("mojibake")
    if rng.random() < NOISE_RATES["hard_wrap"]:
        text = noise.hard_wrap(text, rng)
        applied.append("hard_wrap")
    if rng.random() < NOISE_RATES["html_entities"]:
        text = noise.html_entities(text, rng)
        applied.append("html_entities")
    if rng.random() < NOISE_RATES["control_chars"]:
        text = noise.control_chars(text, rng)
        applied.append("control_chars")
    if rng.random() < NOISE_RATES["odd_whitespace"]:
        text = noise.odd_whitespace(text, rng)
        applied.append("odd_whitespace")
    return text, applied


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:80] or "page"


def _news_url(rng: random.Random, outlet: dict[str, str], art: news.Article) -> str:
    section = load_json("chrome.json")["sections"].get(art.topic, "news")
    date = art.date
    path = outlet["section_path"].format(
        section=section,
        year=date.year if date else 2024,
        month_num=f"{date.month:02d}" if date else "01",
    )
    return f"https://{outlet['domain']}/{path}/{_slug(art.title)}-{rng.randint(10**5, 10**6)}"


def write_shards(out_dir: Path, *, n_docs: int, seed: int, shards: int | None) -> list[Path]:
    """Consecutive slices of the corpus, one gzip file each (see :func:`thresher.demo.generate`)."""
    if shards is None:
        shards = min(4, max(1, -(-n_docs // 1000)))
    if shards < 1:
        raise ConfigError(f"shards must be at least 1, got {shards}")
    out_dir.mkdir(parents=True, exist_ok=True)
    per = -(-n_docs // shards)
    paths: list[Path] = []
    records = Corpus(n_docs, seed).records()
    for s in range(shards):
        path = out_dir / f"demo-{s:05d}.jsonl.gz"
        tmp = path.with_name(path.name + ".tmp")
        with (
            open(tmp, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
        ):
            for _ in range(per):
                rec = next(records, None)
                if rec is None:
                    break
                gz.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        os.replace(tmp, path)
        paths.append(path)
    return paths
