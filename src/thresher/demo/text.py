"""Shared pieces of page text: dates, personal data, user comments."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from thresher.demo.grammar import load_grammar, load_json

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_EMAIL_DOMAINS = (
    "example.com",
    "example.org",
    "example.net",
    "mail.example.co.uk",
    "inbox.example.de",
)
_PHONE_FORMATS = (
    "(555) 555-01{a:02d}",
    "555-01{a:02d}",
    "+1 202 555 01{a:02d}",
    "020 7946 0{b:03d}",
    "+44 20 7946 0{b:03d}",
    "0161 496 0{b:03d}",
    "+49 30 5550 {c:04d}",
)


@dataclass(slots=True)
class Date:
    """A publication time, drawn from the seed (never from the clock)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int

    @classmethod
    def draw(cls, rng: random.Random) -> Date:
        return cls(
            rng.randint(2019, 2024),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(6, 22),
            rng.randint(0, 59),
        )

    def format(self, rng: random.Random, style: int | None = None) -> str:
        """The date in one of the styles news sites use (``style`` picks one, 0-5)."""
        m = MONTHS[self.month - 1]
        ampm = "am" if self.hour < 12 else "pm"
        h12 = (self.hour - 1) % 12 + 1
        styles = (
            f"{m} {self.day}, {self.year}",
            f"{self.day} {m} {self.year}",
            f"{self.year}-{self.month:02d}-{self.day:02d} {self.hour:02d}:{self.minute:02d}",
            f"{m[:3]} {self.day}, {self.year} at {h12}:{self.minute:02d} {ampm} ET",
            f"{self.hour:02d}:{self.minute:02d} GMT, {self.day} {m} {self.year}",
            f"{self.day:02d}/{self.month:02d}/{self.year}",
        )
        return styles[rng.randrange(len(styles)) if style is None else style]


def email(rng: random.Random) -> str:
    """A made-up address on a reserved example domain."""
    names = load_json("en_news.json")
    first = rng.choice(names["first_name"]).lower()
    last = rng.choice(names["last_name"]).lower().replace("’", "")
    # Müller -> muller, Sørensen -> srensen: addresses are ASCII.
    last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode() or "smith"
    style = rng.randrange(4)
    local = (
        f"{first}.{last}",
        f"{first[0]}{last}{rng.randint(1, 99)}",
        f"{first}_{last}",
        f"{first}{rng.randint(1960, 2005)}",
    )[style]
    return f"{local}@{rng.choice(_EMAIL_DOMAINS)}"


def phone(rng: random.Random) -> str:
    """A number from the ranges reserved for fiction (555-01xx, Ofcom drama numbers)."""
    fmt = rng.choice(_PHONE_FORMATS)
    return fmt.format(a=rng.randint(0, 99), b=rng.randint(0, 999), c=rng.randint(0, 9999))


def time_ago(rng: random.Random, date: Date) -> str:
    n = rng.randint(1, 23)
    unit = rng.choice(("minutes", "hours", "days", "weeks", "months"))
    if rng.random() < 0.3:
        later = Date(date.year, date.month, min(28, date.day + rng.randint(0, 3)), 0, 0)
        h = rng.randint(1, 12)
        return f"{MONTHS[later.month - 1]} {later.day}, {later.year} at {h}:{rng.randint(0, 59):02d} {rng.choice(('am', 'pm'))}"
    return f"{n} {unit} ago" if n > 1 else f"1 {unit[:-1]} ago"


@dataclass(slots=True)
class Comment:
    """One user comment as it appears on the page, plus its ground truth."""

    author: str
    text: str
    toxic: bool
    head: list[str] = field(default_factory=list)  # author line(s) as printed
    tail: str = ""  # "Reply" and vote widgets after the body
    pii: dict[str, int] = field(default_factory=dict)

    def truth(self) -> dict[str, object]:
        return {"author": self.author, "text": self.text, "toxic": self.toxic}


#: Comment moods and their weights; insults and hate are the toxic ones.
_MOODS = (
    ("agree", 18),
    ("disagree", 18),
    ("question", 10),
    ("anecdote", 14),
    ("off_topic", 6),
    ("insult", 9),
    ("hateful", 4),
    ("pii_email", 3),
    ("pii_phone", 3),
)
_TOXIC = frozenset({"insult", "hateful"})


def comments(rng: random.Random, env: dict[str, str], date: Date, n: int) -> list[Comment]:
    """``n`` English comments for an article whose entities are in ``env``."""
    g = load_grammar("en_comments.json")
    moods = [m for m, _ in _MOODS]
    weights = [w for _, w in _MOODS]
    out: list[Comment] = []
    for _ in range(n):
        mood = rng.choices(moods, weights)[0]
        cenv: dict[str, str] = {k: env[k] for k in ("city", "person_a", "person_b") if k in env}
        pii: dict[str, int] = {}
        if mood == "pii_email":
            cenv["email"] = email(rng)
            pii["email"] = 1
        elif mood == "pii_phone":
            cenv["phone"] = phone(rng)
            pii["phone"] = 1
        body = g.expand(mood, rng, cenv).strip()
        if len(out) > 0 and rng.random() < 0.15:
            body = f"@{out[rng.randrange(len(out))].author} {body}"
        author = g.expand("username", rng)
        out.append(Comment(author, body, mood in _TOXIC, _author_lines(rng, author, date), "", pii))
    return out


def _author_lines(rng: random.Random, author: str, date: Date) -> list[str]:
    votes = rng.randint(0, 60)
    when = time_ago(rng, date)
    style = rng.randrange(7)
    if style == 0:
        return [author]
    if style == 1:
        return [f"{author}  {votes} votes"]
    if style == 2:
        return [f"{author} {rng.choice('+-')}{votes}"]
    if style == 3:
        return [f"{author} · {when}"]
    if style == 4:
        return [author, when]
    if style == 5:
        return [f"{author} ({votes} likes)", when]
    return [f"{author} says:", when]
