"""News articles: prose from the English grammar or the foreign sentence banks,
wrapped in the chrome a crawler picks up with them (navigation, donation and
share widgets, captions, comment sections, a second pasted article)."""

from __future__ import annotations

import random
import textwrap
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from thresher.demo.grammar import Grammar, load_grammar, load_json
from thresher.demo.text import Comment, Date, comments


@dataclass(slots=True)
class Article:
    """The content of a story, independent of the site that shows it."""

    lang: str
    topic: str
    title: str
    paragraphs: list[str]
    env: dict[str, str] = field(default_factory=dict)
    date: Date | None = None
    author: str = ""


#: Labels of ``truth["line_labels"]``, one per line of the page (the zone
#: labels of DESIGN.md): ``duplicate`` marks repeats of the headline, the
#: pasted second story counts as ``main`` (it is content, just not this page's).
LINE_LABELS = ("title", "main", "boilerplate", "caption", "comment", "comment_meta", "duplicate")


@dataclass(slots=True)
class Page:
    """Lines of a rendered page, a zone label per line, and ground truth."""

    lines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)
    domain: str = ""  # the site's host name, for the record's URL

    def add(self, label: str, *texts: str) -> None:
        """Append lines (a text with newlines becomes several) under one label."""
        for text in texts:
            for line in text.split("\n"):
                self.lines.append(line)
                self.labels.append(label)


#: Symbols that name what a story is about: drawn once per story so the
#: headline and the body talk about the same project, illness or crime.
_STORY_CONSTANTS = (
    "project", "health_issue", "habit", "outcome", "artifact", "artifact_long", "discovery",
    "place_sci", "invention", "startup_idea", "crime", "incident", "storm_name", "months_late",
    "health_target", "union_name", "stadium", "neighbourhood",
)  # fmt: skip


@cache
def _english() -> Grammar:
    """Word banks (en_news.json) and story lines (en_stories.json) in one grammar."""
    rules = {
        k: v
        for name in ("en_news.json", "en_stories.json")
        for k, v in load_json(name).items()
        if isinstance(v, list)
    }
    return Grammar(rules)


@cache
def stories() -> tuple[str, ...]:
    """Story lines, ``s_<topic>_<name>``: each has headlines, ledes, body sentences."""
    return tuple(
        k[: -len("_headline")] for k in load_json("en_stories.json") if k.endswith("_headline")
    )


def _topic(story: str) -> str:
    return story.split("_")[1]


def headline(rng: random.Random) -> str:
    """A headline of some other story (related links, "most read" lists)."""
    g = _english()
    story = rng.choice(stories())
    text = g.expand(f"{story}_headline", rng, _entities(rng, g, _topic(story)))
    return text[0].upper() + text[1:]


def english_article(rng: random.Random, story: str | None = None) -> Article:
    """A multi-paragraph English story with fixed people and places.

    Sentences come from the story line's own bank (so headline and body agree)
    plus a few topic-neutral ones; every sentence frame has inline variants, so
    two stories on the same line share few word 5-grams.
    """
    g = _english()
    story = story or rng.choice(stories())
    topic = _topic(story)
    env = _entities(rng, g, topic)
    title = g.expand(f"{story}_headline", rng, env)
    title = title[0].upper() + title[1:]
    lede = g.expand(f"{story}_lede", rng, env)
    body_t = g.templates(f"{story}_body")
    chosen = rng.sample(body_t, rng.randint(min(5, len(body_t)), len(body_t)))
    chosen += rng.sample(g.templates("generic_body"), rng.randint(2, 5))
    rng.shuffle(chosen)
    sentences = [g.render(t, rng, env) for t in chosen]
    paragraphs = [lede]
    i = 0
    while i < len(sentences):
        k = rng.choice((1, 2, 2, 3))
        paragraphs.append(" ".join(sentences[i : i + k]))
        i += k
    env["story"] = story
    return Article("en", topic, title, paragraphs, env, Date.draw(rng), g.expand("person", rng))


def _entities(rng: random.Random, g: Grammar, topic: str) -> dict[str, str]:
    cities = rng.sample(load_json("en_news.json")["city"], 2)
    env = {"city": cities[0], "city2": cities[1]}
    # person_a is referred to as "he", person_b as "she" in the story banks.
    env["person_a"] = g.expand("person_m", rng)
    env["person_b"] = g.expand("person_f", rng)
    role_sym = f"{topic}_role" if f"{topic}_role" in g else "role"
    env["role_a"] = g.expand(role_sym, rng)
    env["company"] = g.expand("company", rng)
    for sym in _STORY_CONSTANTS:
        env[sym] = g.expand(sym, rng, env)
    env["university"] = g.expand("university", rng, env)
    teams = load_json("en_news.json")["team"]
    t1, t2 = rng.sample(teams, 2)
    env["team_a"] = g.render(t1, rng, env)
    env["team_b"] = g.render(t2, rng, {**env, "city": env["city2"]})
    return env


def foreign_article(rng: random.Random, lang: str) -> Article:
    """A local news round-up recombined from real sentences in ``lang`` (data/langs.json)."""
    spec = load_json("langs.json")[lang]
    g = Grammar(
        {
            k: v
            for k, v in spec.items()
            if k != "nav" and isinstance(v, list) and all(isinstance(x, str) for x in v)
        }
    )
    env = {
        "city": rng.choice(spec["city"]),
        "name": g.expand("name", rng),
        "name2": g.expand("name", rng),
    }
    title = g.expand("headline", rng, env)
    # Few sentences per story from a bank of 15-30: two stories rarely share many.
    bank = g.templates("sentence")
    sents = [g.render(t, rng, env) for t in rng.sample(bank, rng.randint(4, 4 + len(bank) // 8))]
    paragraphs = []
    i = 0
    while i < len(sents):
        k = rng.choice((1, 2, 2, 3))
        paragraphs.append(" ".join(sents[i : i + k]))
        i += k
    return Article(lang, "general", title, paragraphs, env, Date.draw(rng), env["name2"])


def render(
    rng: random.Random,
    art: Article,
    outlet: dict[str, str],
    *,
    n_comments: int,
    appended: Article | None = None,
    syndicated_from: str | None = None,
) -> Page:
    """The page text of ``art`` on ``outlet``'s site, one block per line."""
    if art.lang != "en":
        return _render_foreign(rng, art, outlet, appended)
    c = load_json("chrome.json")
    g = Grammar({})
    section = c["sections"].get(art.topic, "news")
    env = {
        "outlet": outlet["name"],
        "title": art.title,
        "section_title": section.title(),
        "year": str(art.date.year if art.date else 2024),
    }
    page = Page(domain=outlet["domain"])
    B = "boilerplate"
    # The headline shows 2-3 times: page title, the h1, a "now reading" bar.
    top_title, end_title = rng.choice(((True, False), (False, True), (True, True)))
    if top_title:
        page.add("duplicate", f"{art.title} - {outlet['name']}")
    page.add(B, *rng.choice(c["nav"]))
    if rng.random() < 0.6:
        page.add(B, *rng.choice(c["donate"]))
    if rng.random() < 0.5:
        page.add(B, g.render(rng.choice(c["breadcrumb"]), rng, env))
    page.add("title", art.title)
    author_env = {
        "author": art.author,
        "author2": _english().expand("person", rng),
        "author_role": rng.choice(c["author_role"]),
    }
    page.add(B, g.render(rng.choice(c["byline"]), rng, author_env))
    date = art.date or Date.draw(rng)
    page.add(B, g.render(rng.choice(c["dateline"]), rng, {"date": date.format(rng)}))
    if rng.random() < 0.5:
        page.add(B, rng.choice(c["support"]))

    caption_at = rng.randint(1, max(1, len(art.paragraphs) - 1))
    ad_at = rng.randint(2, max(2, len(art.paragraphs)))
    for i, para in enumerate(art.paragraphs):
        if i == caption_at:
            page.add("caption", _photo(rng, art, c))
        if i == ad_at and rng.random() < 0.6:
            page.add(B, rng.choice(c["ad"]))
        if i == ad_at + 1 and rng.random() < 0.4:
            page.add(B, g.render(rng.choice(c["readmore"]), rng, {"other": headline(rng)}))
        page.add("main", para)
    if syndicated_from:
        page.add(B, g.render(rng.choice(c["syndicated"]), rng, {"outlet": syndicated_from}))
    pii: dict[str, int] = {}
    if rng.random() < 0.15:
        # A reporter's contact line: personal data in the article's own chrome.
        user = art.author.lower().replace(" ", ".").replace("’", "")
        user = unicodedata.normalize("NFKD", user).encode("ascii", "ignore").decode()
        page.add(B, f"Contact the reporter: {user}@{outlet['domain']}")
        pii["email"] = 1
    page.add(B, *rng.choice(c["share"]))
    if rng.random() < 0.5:
        tags = dict(
            zip(("tag1", "tag2", "tag3"), (art.env["city"], section, art.topic), strict=True)
        )
        page.add(B, g.render(rng.choice(c["tags"]), rng, tags))
    if end_title:
        page.add("duplicate", g.render(rng.choice(c["repeat_title"]), rng, env))

    cms: list[Comment] = comments(rng, art.env, date, n_comments) if n_comments else []
    if cms:
        head = rng.choice(c["comment_head"])
        page.add(B, *(g.render(h, rng, {**env, "n": str(len(cms))}) for h in head))
        reply = rng.choice(c["comment_after"])
        for cm in cms:
            page.add("comment_meta", *cm.head)
            page.add("comment", cm.text)
            if reply:
                page.add("comment_meta", g.render(reply, rng))
        if rng.random() < 0.6:
            page.add(B, rng.choice(c["comment_tail"]))

    if appended is not None:
        other = rng.choice([o for o in c["outlets"] if o["name"] != outlet["name"]])
        page.add(B, g.render(rng.choice(c["appended_head"]), rng, {"outlet": other["name"]}))
        page.add("main", *_pasted(rng, appended))
        page.truth["appended"] = {"title": appended.title, "main": "\n".join(appended.paragraphs)}
    if rng.random() < 0.5:
        page.add(B, g.render(rng.choice(c["most_read"]), rng, env))
        page.add(B, *(headline(rng) for _ in range(rng.randint(3, 5))))
    page.add(B, *(g.render(f, rng, env) for f in rng.choice(c["footer"])))

    for cm in cms:
        for k, v in cm.pii.items():
            pii[k] = pii.get(k, 0) + v
    page.truth.update(
        {
            "title": art.title,
            "main": "\n".join(art.paragraphs),
            "comments": [cm.truth() for cm in cms],
            "pii": pii,
        }
    )
    return page


def _photo(rng: random.Random, art: Article, c: dict[str, Any]) -> str:
    g = _english()
    caption = g.expand(f"{art.env['story']}_caption", rng, art.env)
    credit = g.expand("photo_credit", rng, art.env)
    return Grammar({}).render(rng.choice(c["photo"]), rng, {"caption": caption, "credit": credit})


def _pasted(rng: random.Random, art: Article) -> list[str]:
    """A second story pasted below, one paragraph hard-wrapped mid-sentence."""
    lines = [art.title]
    paras = art.paragraphs[: rng.randint(2, len(art.paragraphs))]
    long = [i for i, p in enumerate(paras) if len(p) > 60]
    j = rng.choice(long) if long else -1
    for i, p in enumerate(paras):
        if i == j:
            lines.extend(textwrap.wrap(p, width=rng.randint(50, max(51, min(90, len(p) - 10)))))
        else:
            lines.append(p)
    return lines


def _render_foreign(
    rng: random.Random, art: Article, outlet: dict[str, str], appended: Article | None
) -> Page:
    spec = load_json("langs.json")[art.lang]
    page = Page(domain=outlet["domain"])
    if rng.random() < 0.5:
        page.add("duplicate", f"{art.title} | {outlet['name']}")
    page.add("boilerplate", *spec["nav"])
    page.add("title", art.title)
    date = art.date or Date.draw(rng)
    page.add(
        "boilerplate", f"{spec['by']} {art.author} · {date.day:02d}.{date.month:02d}.{date.year}"
    )
    page.add("main", *art.paragraphs)
    page.add("boilerplate", spec["share"])
    found: list[dict[str, Any]] = []
    if "comment" in spec and rng.random() < 0.5:
        users = load_grammar("en_comments.json")
        n = rng.randint(1, 5)
        page.add("boilerplate", spec["comment_head"][0].replace("{n}", str(n)))
        for _ in range(n):
            toxic = rng.random() < 0.15
            text = Grammar({}).render(
                rng.choice(spec["comment_toxic" if toxic else "comment"]), rng, art.env
            )
            author = users.expand("username", rng)
            page.add("comment_meta", f"{author} · {date.day:02d}.{date.month:02d}.{date.year}")
            page.add("comment", text)
            page.add("comment_meta", spec["comment_head"][2])
            found.append({"author": author, "text": text, "toxic": toxic})
    if appended is not None:
        page.add("main", *_pasted(rng, appended))
        page.truth["appended"] = {"title": appended.title, "main": "\n".join(appended.paragraphs)}
    page.add("boilerplate", spec["footer"])
    page.truth.update(
        {"title": art.title, "main": "\n".join(art.paragraphs), "comments": found, "pii": {}}
    )
    return page
