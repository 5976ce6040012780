"""Forum threads, shop pages, contact pages and spam: the rest of a web crawl."""

from __future__ import annotations

import random
from typing import Any

from thresher.demo.grammar import Grammar, load_grammar, load_json
from thresher.demo.news import Page
from thresher.demo.text import Date, email, phone


def _lines(text: str) -> list[str]:
    return text.split("\n")


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
    if rng.random() < 0.6:
        opener.insert(0, g.expand("open_intro", rng))
    if rng.random() < 0.5:
        opener.append(g.expand("open_context", rng, env))
    if rng.random() < 0.7:
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
    data = load_json("forum.json")
    g = load_grammar("forum.json")
    env = {**spec["env"], "site": site["name"]}
    out: list[str] = [f"{spec['title']} - {site['name']}"]
    out.extend(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 2))
    out.append(g.expand("nav", rng, env))
    out.append(spec["title"])
    out.append(g.expand("pagination", rng, env))
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
        out.append(user)
        meta = g.render(meta_t, rng, {"posts": counts[user], "joined": joined[user]})
        out.extend(_lines(meta))
        day = min(28, start.day + i // 3)
        when = Date(start.year, start.month, day, rng.randint(6, 23), rng.randint(0, 59))
        out.append(f"#{i + 1} · {when.format(rng, style)}")
        prev_user = spec["posts"][i - 1][0]
        if i >= 2 and rng.random() < 0.3 and not quoted_ok and prev_user != user:
            quser, qbody = spec["posts"][i - 1]
            out.append(f"{quser} wrote:")
            out.append(qbody)
            quoted_ok = True
        out.append(body)
        if user in sigs:
            out.extend(_lines(sigs[user]))
        out.append(actions)
    out.append(g.expand("pagination", rng, env))
    out.extend(rng.sample(data["footer"], 2))
    truth = {
        "title": spec["title"],
        "main": "\n".join(body for _, body in spec["posts"]),
        "comments": [],
        "pii": {},
    }
    return Page(out, truth, site["domain"])


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
    out = [f"{name} | {shop['name']}"]
    out.extend(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 3))
    out.append(name)
    rating = rng.randint(25, 50) / 10
    n_reviews = rng.randint(0, 4000)
    out.append(f"{rating} out of 5 stars ({n_reviews:,} reviews)")
    price = _price(rng, cat)
    out.append(f"{cur}{price}")
    if rng.random() < 0.4:
        out.append(f"Was {cur}{float(price) * 1.25:.2f}  Save 20%")
    out.extend(g.render(x, rng, env) for x in rng.sample(data["buy_box"], rng.randint(3, 6)))
    desc = [g.render(t, rng, env) for t in rng.sample(g.templates("desc"), rng.randint(3, 6))]
    out.append(rng.choice(("Description", "Product details", "About this item")))
    out.extend(desc)
    out.append(rng.choice(("Specifications", "Technical details", "Specs")))
    sg = Grammar({"colour": data["colour"], "material": data["material"], "yesno": data["yesno"]})
    out.extend(sg.render(s, rng) for s in cat["specs"])
    out.append(rng.choice(("Customer reviews", "Reviews", "What customers say")))
    for _ in range(rng.randint(0, 4)):
        stars = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
        mood = "pos" if stars >= 4 else "neg"
        out.append(f"{'★' * stars}{'☆' * (5 - stars)} {g.expand('review_title_' + mood, rng)}")
        user = load_grammar("en_comments.json").expand("username", rng)
        out.append(f"{user} · Verified purchase")
        out.append(g.expand("review_body_" + mood, rng, env))
        out.append(f"{rng.randint(0, 80)} people found this helpful  Helpful | Report")
    out.append(g.expand("also", rng))
    for _ in range(rng.randint(3, 6)):
        other = data["categories"][rng.choice(sorted(data["categories"]))]
        out.append(f"{_product_name(rng, other)[1]}  {cur}{_price(rng, other)}")
    out.extend(g.render(x, rng, env) for x in rng.sample(data["footer"], 2))
    truth = {"title": name, "main": "\n".join(desc), "comments": [], "pii": {}}
    return Page(out, truth, shop["domain"])


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
    out = [f"{cat_key.title()} | {shop['name']}"]
    out.extend(g.render(x, rng, env) for x in rng.sample(data["chrome_top"], 2))
    out.append(title)
    out.extend(rng.sample(data["listing_controls"], rng.randint(3, 6)))
    for _ in range(rng.randint(8, 24)):
        price = _price(rng, cat)
        item = {
            **env,
            "name": _product_name(rng, cat)[1],
            "price": price,
            "was": f"{float(price) * 1.3:.2f}",
        }
        out.extend(_lines(g.expand("listing_item", rng, item)))
    out.append(g.expand("pagination", rng, env))
    out.extend(g.render(x, rng, env) for x in rng.sample(data["footer"], 2))
    return Page(out, {"title": title, "main": None, "comments": [], "pii": {}}, shop["domain"])


def contact(rng: random.Random) -> Page:
    """An about/contact page of a small organisation: address, phone, email."""
    data = load_json("contact.json")
    g = load_grammar("contact.json")
    env = {"city": g.expand("city", rng)}
    env["org"] = g.expand("org", rng, env)
    env["year"] = g.expand("year", rng)
    title = f"{g.expand('title', rng)} – {env['org']}"
    out = [title, g.expand("nav", rng)]
    about = [g.render(t, rng, env) for t in rng.sample(g.templates("about"), rng.randint(2, 4))]
    out.extend(about)
    out.append(env["org"])
    out.append(f"{g.expand('street', rng)}, {env['city']}")
    n_phone = rng.randint(1, 2)
    for i in range(n_phone):
        out.append(
            f"{('Phone', 'Tel', 'Mobile', 'Call us')[rng.randrange(4)]}: {phone(rng)}"
            if i == 0
            else f"Fax: {phone(rng)}"
        )
    n_email = rng.randint(1, 2)
    for _ in range(n_email):
        out.append(f"{rng.choice(('Email', 'E-mail', 'Write to us'))}: {email(rng)}")
    out.append(g.expand("hours", rng))
    out.extend(data["form"][: rng.randint(3, len(data["form"]))])
    out.extend(g.render(x, rng, env) for x in rng.sample(data["footer"], 2))
    truth = {
        "title": title,
        "main": "\n".join(about),
        "comments": [],
        "pii": {"phone": n_phone, "email": n_email},
    }
    return Page(out, truth)


def spam(rng: random.Random) -> Page:
    """Keyword stuffing, shouting sales pitches, lorem ipsum, or near-empty pages."""
    g = load_grammar("spam.json")
    data = load_json("spam.json")
    style = rng.choices(("stuffing", "shout", "lorem", "short"), (3, 3, 2, 2))[0]
    kw, kw2 = rng.sample(data["keyword"], 2)
    env = {"kw": kw, "kw2": kw2, "kw_upper": kw.upper()}
    out: list[str] = []
    title: str | None = None
    if style == "stuffing":
        title = f"Best {kw.title()} - Cheap {kw.title()} Online"
        out.append(title)
        for _ in range(rng.randint(3, 12)):
            out.append(g.expand(rng.choice(("stuffing", "stuffing", "pitch")), rng, env))
    elif style == "shout":
        for _ in range(rng.randint(2, 8)):
            out.append(g.expand(rng.choice(("shout", "pitch")), rng, env))
    elif style == "lorem":
        title = g.expand("lorem_titles", rng)
        out.append(title)
        lorem = data["lorem"]
        for _ in range(rng.randint(1, 5)):
            out.append(" ".join(rng.sample(lorem, rng.randint(1, len(lorem)))))
    else:
        out.extend(_lines(g.expand("short", rng)))
    return Page(out, {"title": title, "main": None, "comments": [], "pii": {}, "spam_style": style})
