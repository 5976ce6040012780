"""Forum threads, shop pages, contact pages and spam: the rest of a web crawl."""

from __future__ import annotations

import random
from typing import Any

from thresher.demo.grammar import Grammar, load_grammar, load_json
from thresher.demo.news import Page
from thresher.demo.text import Date, email, phone

#: What a thread is about: drawn once so the title and every post agree.
_THREAD_CONSTANTS = (
    "plant", "pest", "lens", "photo_use", "bake", "ingredient", "car", "car_part", "car_symptom",
    "car_when", "pc_part", "pc_event", "bike_q", "diy_item",
)  # fmt: skip


def forum(rng: random.Random) -> tuple[Page, dict[str, Any]]:
    """A thread: opening question, replies with quotes, post counts and signatures.

    Returns the page and a spec from which :func:`forum_mirror` re-renders the
    same posts with another site's chrome (a scraper mirror: a near-duplicate).
    """
    data = load_json("forum.json")
    g = load_grammar("forum.json")
    site = rng.choice(data["sites"])
    hobby = rng.choice(site["hobbies"])
    env = {
        "board": data["board"][hobby],
        "site": site["name"],
        "date": Date.draw(rng).format(rng),
    }
    for sym in _THREAD_CONSTANTS:
        env[sym] = g.expand(sym, rng)
    title = g.expand(f"{hobby}_title", rng, env)
    cg = load_grammar("en_comments.json")
    users = list(dict.fromkeys(cg.expand("username", rng) for _ in range(rng.randint(4, 8))))
    env["place"] = g.expand("place", rng)
    opener = [g.expand(f"{hobby}_problem", rng, env)]
    # An opening post is several independent pieces, so two threads about the
    # same problem still read differently.
    if rng.random() < 0.7:
        opener.insert(0, g.expand("open_intro", rng))
    details = rng.sample(g.templates("open_detail"), rng.randint(1, 2))
    opener.extend(g.render(t, rng, env) for t in details)
    if rng.random() < 0.6:
        opener.append(g.expand("open_context", rng, env))
    if rng.random() < 0.8:
        opener.append(g.expand(f"{hobby}_tried", rng, env))
    opener.append(g.expand("open_close", rng))
    posts = [(users[0], " ".join(opener))]
    replies = g.templates(f"{hobby}_suggest")
    for tmpl in rng.sample(replies, min(len(replies), rng.randint(2, 5))):
        parts = [g.render(tmpl, rng, env)]
        if rng.random() < 0.6:
            parts.insert(0, g.expand("reply_intro", rng))
        if rng.random() < 0.6:
            parts.append(g.expand("reply_detail", rng))
        parts.append(g.expand("reply_outro", rng))
        posts.append((rng.choice(users[1:]), " ".join(p for p in parts if p)))
        if rng.random() < 0.4:
            posts.append((rng.choice(users), g.expand("reply_generic", rng)))
    spec = {"title": title, "posts": posts, "env": env, "users": users}
    return _render_forum(rng, site, spec), spec


def forum_mirror(rng: random.Random, spec: dict[str, Any]) -> Page:
    """The same thread on another forum site (different chrome, same posts)."""
    data = load_json("forum.json")
    site = rng.choice(data["sites"])
    return _render_forum(rng, site, spec)


def _render_forum(rng: random.Random, site: dict[str, Any], spec: dict[str, Any]) -> Page:
    """Opening post labelled ``main``, replies ``comment``, the rest chrome."""
    data = load_json("forum.json")
    g = load_grammar("forum.json")
    env = {**spec["env"], "site": site["name"]}
    page = Page(domain=site["domain"])
    B = "boilerplate"
    page.add("duplicate", f"{spec['title']} - {site['name']}")
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 2)))
    page.add(B, g.expand("nav", rng, env))
    page.add("title", spec["title"])
    page.add(B, g.expand("pagination", rng, env))
    actions = g.expand("post_actions", rng)
    meta_t = rng.choice(g.templates("post_meta"))
    sigs = {u: g.expand("signature", rng) for u in spec["users"] if rng.random() < 0.5}
    counts = {u: f"{rng.randint(1, 25000):,}" for u in spec["users"]}
    joined = {
        u: f"{rng.choice(('Jan', 'Mar', 'Jun', 'Sep', 'Nov'))} {rng.randint(2005, 2023)}"
        for u in spec["users"]
    }
    quoted_ok = False
    start = Date.draw(rng)
    style = rng.randrange(6)
    for i, (user, body) in enumerate(spec["posts"]):
        page.add("comment_meta", user)
        page.add(
            "comment_meta", g.render(meta_t, rng, {"posts": counts[user], "joined": joined[user]})
        )
        day = min(28, start.day + i // 3)
        when = Date(start.year, start.month, day, rng.randint(6, 23), rng.randint(0, 59))
        page.add("comment_meta", f"#{i + 1} · {when.format(rng, style)}")
        prev_user = spec["posts"][i - 1][0]
        if i >= 2 and rng.random() < 0.3 and not quoted_ok and prev_user != user:
            quser, qbody = spec["posts"][i - 1]
            page.add("comment_meta", f"{quser} wrote:")
            page.add("duplicate", qbody)
            quoted_ok = True
        page.add("main" if i == 0 else "comment", body)
        if user in sigs:
            page.add(B, sigs[user])
        page.add(B, actions)
    page.add(B, g.expand("pagination", rng, env))
    page.add(B, *rng.sample(data["footer"], 2))
    (_, opener), *replies = spec["posts"]
    page.truth = {
        "title": spec["title"],
        "main": opener,
        "comments": [{"author": u, "text": t, "toxic": False} for u, t in replies],
        "pii": {},
    }
    return page


def _product_name(rng: random.Random, cat: dict[str, Any]) -> tuple[str, str]:
    brand = rng.choice(cat["brands"])
    return (
        brand,
        f"{brand} {rng.choice(cat['names'])} {rng.choice('ABCDEFGHKMPRSX')}{rng.randint(10, 990)}",
    )


def _price(rng: random.Random, cat: dict[str, Any]) -> str:
    lo, hi = cat["price"]
    return f"{rng.randint(lo, hi)}.{rng.choice(('99', '49', '95', '00', '89'))}"


def product(rng: random.Random) -> Page:
    """A product page: price, buy box, specs, description, reviews, also-bought."""
    data = load_json("shop.json")
    g = load_grammar("shop.json")
    shop = rng.choice(data["shops"])
    cat_key = rng.choice(sorted(data["categories"]))
    cat = data["categories"][cat_key]
    brand, name = _product_name(rng, cat)
    cur = shop["currency"]
    env = {
        "brand": brand,
        "name": name,
        "cur": cur,
        "cat_title": cat_key.title(),
        "shop": shop["name"],
        "year": str(rng.randint(2019, 2024)),
    }
    page = Page(domain=shop["domain"])
    B = "boilerplate"
    page.add("duplicate", f"{name} | {shop['name']}")
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 3)))
    page.add("title", name)
    rating = rng.randint(25, 50) / 10
    page.add(B, f"{rating} out of 5 stars ({rng.randint(0, 4000):,} reviews)")
    price = _price(rng, cat)
    page.add(B, f"{cur}{price}")
    if rng.random() < 0.4:
        page.add(B, f"Was {cur}{float(price) * 1.25:.2f}  Save 20%")
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["buy_box"], rng.randint(3, 6))))
    desc = [g.render(t, rng, env) for t in rng.sample(g.templates("desc"), rng.randint(3, 6))]
    page.add(B, rng.choice(("Description", "Product details", "About this item")))
    page.add("main", *desc)
    page.add(B, rng.choice(("Specifications", "Technical details", "Specs")))
    sg = Grammar({"colour": data["colour"], "material": data["material"], "yesno": data["yesno"]})
    specs = [sg.render(s, rng) for s in cat["specs"]]
    page.add("main", *specs)
    page.add(B, rng.choice(("Customer reviews", "Reviews", "What customers say")))
    reviews = []
    for _ in range(rng.randint(0, 4)):
        stars = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
        mood = "pos" if stars >= 4 else "neg"
        user = load_grammar("en_comments.json").expand("username", rng)
        body = g.expand("review_body_" + mood, rng, env)
        page.add(
            "comment_meta",
            f"{'★' * stars}{'☆' * (5 - stars)} {g.expand('review_title_' + mood, rng)}",
        )
        page.add("comment_meta", f"{user} · Verified purchase")
        page.add("comment", body)
        page.add(
            "comment_meta", f"{rng.randint(0, 80)} people found this helpful  Helpful | Report"
        )
        reviews.append({"author": user, "text": body, "toxic": False})
    page.add(B, g.expand("also", rng))
    for _ in range(rng.randint(3, 6)):
        other = data["categories"][rng.choice(sorted(data["categories"]))]
        page.add(B, f"{_product_name(rng, other)[1]}  {cur}{_price(rng, other)}")
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["footer"], 2)))
    page.truth = {"title": name, "main": "\n".join(desc + specs), "comments": reviews, "pii": {}}
    return page


def listing(rng: random.Random) -> Page:
    """A category page: mostly names, prices and filter controls, little prose."""
    data = load_json("shop.json")
    g = load_grammar("shop.json")
    shop = rng.choice(data["shops"])
    cat_key = rng.choice(sorted(data["categories"]))
    cat = data["categories"][cat_key]
    cur = shop["currency"]
    env = {
        "cur": cur,
        "cat_title": cat_key.title(),
        "shop": shop["name"],
        "brand": cat["brands"][0],
        "year": str(rng.randint(2019, 2024)),
    }
    title = g.expand("listing_head", rng, env)
    page = Page(domain=shop["domain"])
    B = "boilerplate"
    page.add(B, f"{cat_key.title()} | {shop['name']}")
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 2)))
    page.add("title", title)
    page.add(B, *rng.sample(data["listing_controls"], rng.randint(3, 6)))
    for _ in range(rng.randint(8, 24)):
        price = _price(rng, cat)
        item = {
            **env,
            "name": _product_name(rng, cat)[1],
            "price": price,
            "was": f"{float(price) * 1.3:.2f}",
        }
        page.add(B, g.expand("listing_item", rng, item))
    page.add(B, g.expand("pagination", rng, env))
    page.add(B, *(g.render(x, rng, env) for x in rng.sample(data["footer"], 2)))
    page.truth = {"title": title, "main": None, "comments": [], "pii": {}}
    return page


def contact(rng: random.Random) -> Page:
    """An about/contact page of a small organisation: address, phone, email."""
    data = load_json("contact.json")
    g = load_grammar("contact.json")
    env = {"city": g.expand("city", rng)}
    env["org"] = g.expand("org", rng, env)
    env["year"] = g.expand("year", rng)
    title = f"{g.expand('title', rng)} – {env['org']}"
    page = Page(domain=f"www.{_slug(env['org'])}.example.org")
    page.add("title", title)
    page.add("boilerplate", g.expand("nav", rng))
    main = [g.render(t, rng, env) for t in rng.sample(g.templates("about"), rng.randint(2, 4))]
    main += [env["org"], f"{g.expand('street', rng)}, {env['city']}"]
    n_phone = rng.randint(1, 2)
    main.append(f"{rng.choice(('Phone', 'Tel', 'Mobile', 'Call us'))}: {phone(rng)}")
    if n_phone == 2:
        main.append(f"Fax: {phone(rng)}")
    n_email = rng.randint(1, 2)
    main += [
        f"{rng.choice(('Email', 'E-mail', 'Write to us'))}: {email(rng)}" for _ in range(n_email)
    ]
    main.append(g.expand("hours", rng))
    page.add("main", *main)
    page.add("boilerplate", *data["form"][: rng.randint(3, len(data["form"]))])
    page.add("boilerplate", *(g.render(x, rng, env) for x in rng.sample(data["footer"], 2)))
    page.truth = {
        "title": title,
        "main": "\n".join(main),
        "comments": [],
        "pii": {"phone": n_phone, "email": n_email},
    }
    return page


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:40]


def spam(rng: random.Random) -> Page:
    """Keyword stuffing, shouting sales pitches, lorem ipsum, or near-empty pages."""
    g = load_grammar("spam.json")
    data = load_json("spam.json")
    style = rng.choices(("stuffing", "shout", "lorem", "short"), (3, 3, 2, 2))[0]
    kw, kw2 = rng.sample(data["keyword"], 2)
    env = {"kw": kw, "kw2": kw2, "kw_upper": kw.upper()}
    page = Page(domain=rng.choice(data["spamdomain"]))
    title: str | None = None
    if style == "stuffing":
        title = f"Best {kw.title()} - Cheap {kw.title()} Online"
        page.add("title", title)
        for _ in range(rng.randint(3, 12)):
            page.add("main", g.expand(rng.choice(("stuffing", "stuffing", "pitch")), rng, env))
    elif style == "shout":
        for _ in range(rng.randint(2, 8)):
            page.add("main", g.expand(rng.choice(("shout", "pitch")), rng, env))
    elif style == "lorem":
        title = g.expand("lorem_titles", rng)
        page.add("title", title)
        page.add("main", *_lorem(rng, data["lorem"]))
    else:
        page.add("main", g.expand("short", rng))
    page.truth = {"title": title, "main": None, "comments": [], "pii": {}, "spam_style": style}
    return page


def _lorem(rng: random.Random, canon: list[str]) -> list[str]:
    """Placeholder paragraphs the way generators make them: the canonical
    opening, then sentences of random lorem words (so two pages differ)."""
    words = sorted({w.strip(".,").lower() for line in canon for w in line.split()})
    paras = []
    for p in range(rng.randint(2, 5)):
        sents = [canon[0]] if p == 0 and rng.random() < 0.7 else []
        for _ in range(rng.randint(2, 6)):
            sent = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16)))
            sents.append(sent[0].upper() + sent[1:] + ".")
        paras.append(" ".join(sents))
    return paras
