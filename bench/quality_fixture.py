"""Write the quality filters' test fixture: short documents built to sit on
both sides of every Gopher / C4 / FineWeb threshold.

    .venv/bin/python bench/quality_fixture.py          # -> tests/data/quality/docs.jsonl.gz
    .venv/bin/python bench/quality_parity.py --fixture tests/data/quality/docs.jsonl.gz
        # -> tests/data/quality/golden/*.jsonl.gz, DataTrove's decisions on them

Documents are random mixtures (fixed seed) of prose, navigation lines, bullets,
ellipses, hashtags, repeated lines and paragraphs, citations, code, JavaScript
and cookie notices, "lorem ipsum", bad words, odd whitespace and tokenizer
traps (contractions, abbreviations, URLs, emoticons).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests/data/quality/docs.jsonl.gz"

PROSE = [
    "The river rose quickly after three days of heavy rain in the valley.",
    "Local farmers said that the harvest would be late this year.",
    "She has worked with the museum to restore the old paintings.",
    "The committee will meet again on Thursday to discuss the budget.",
    "It was the first time that the team had won away from home.",
    "Researchers found traces of a rare mineral in the abandoned quarry.",
    "Most of the visitors came by train, and the station was crowded.",
    "He said the plan would have to be approved by the council first.",
    "The bakery on the corner opens at six and closes when the bread runs out.",
    "Prices of fresh vegetables rose sharply during the summer drought!",
    "Why would anyone leave a bicycle in the middle of the bridge?",
    "The school's new library was built with money raised by parents.",
    "They don't expect the road to reopen before the end of the month.",
    "Dr. Smith arrived in the U.S. on Monday at 5 p.m. with her colleagues.",
    "Visit https://example.com/news?id=42 or write to info@example.org for details.",
    "The band's third album, released in 2019, sold 1.2 million copies.",
    'The mayor called the decision "a victory for common sense."',
    "Temperatures fell to -5°C overnight; roads were icy by 6am.",
    "The recipe needs 200g of flour, 2 eggs and a pinch of salt.",
    "We can't say for sure, but it's likely that the bridge will be repaired.",
    "Mr. and Mrs. Jones have lived in the village for forty years.",
    "The U.K. and the E.U. signed the agreement after long talks.",
    "Rock'n'roll never died in this town :) and the old club is still open.",
    "A well-known author (born 1950) signed copies at the bookshop.",
    "Shares of the company rose 3% after the results were published.",
]
NAV = ["Home", "Menu", "Share this", "Contact us", "Login", "Next page", "Sports", "Weather"]
BULLETS = ["- fresh bread", "- cheese and ham", "• opening hours", "• free parking", "-item"]
ELLIPSIS = ["Read more...", "Continue reading…", "and then...", "Loading..."]
HASH = ["#news #local #today", "#1 #2 #3 #4", "Follow us #travel"]
CODE = ["function init() { return 1; }.", "var x = {a: 1};", "if (ok) { run(); }"]
JS = [
    "Please enable JavaScript to view the comments powered by Disqus.",
    "This page needs javascript to work properly.",
]
POLICY = [
    "This site uses cookies to improve your experience.",
    "By continuing you agree to our terms of use and privacy policy.",
]
LOREM = ["Lorem ipsum dolor sit amet, consectetur adipiscing elit."]
CITED = [
    "The castle was built in 1204 and rebuilt in 1510.[1]",
    "The town has 4,000 inhabitants.[citation needed]",
    "[edit] The population grew quickly after the railway arrived.",
]
BAD = ["The film was rated xxx by the board.", "That was pure bullshit, he said."]
ODD = ["The end.  Next chapter begins here.", "One.\tTwo. Three.", "Wait . . . what happened here?"]
SYMBOLS = ["*** ### !!! ???", "12 34 56 78 90", "-- == ++ ..", "$ € £ ¥"]
NON_EN = [
    "Der Fluss stieg nach drei Tagen Regen schnell an.",
    "La rivière a monté rapidement après trois jours de pluie.",
]
KINDS = [
    (PROSE, 10),
    (NAV, 3),
    (BULLETS, 2),
    (ELLIPSIS, 1),
    (HASH, 1),
    (CODE, 0.5),
    (JS, 0.7),
    (POLICY, 0.7),
    (LOREM, 0.3),
    (CITED, 1),
    (BAD, 0.5),
    (ODD, 1),
    (SYMBOLS, 0.7),
    (NON_EN, 0.7),
]


def make_doc(rng: random.Random) -> str:
    style = rng.random()
    n = rng.choice([1, 2, 4, 6, 9, 14, 20, 30])
    pools = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    if style < 0.15:  # mostly navigation / list pages
        weights = [1, 6, 5, 2, 2, 0.2, 0.5, 0.5, 0.1, 0.2, 0.2, 0.2, 1, 0.2]
    lines: list[str] = []
    for _ in range(n):
        pool = rng.choices(pools, weights)[0]
        line = rng.choice(pool)
        if pool is PROSE and rng.random() < 0.5:
            line = line + " " + rng.choice(PROSE)
        lines.append(line)
    if rng.random() < 0.2 and lines:  # repeated lines
        for _ in range(rng.randint(1, 6)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
    if rng.random() < 0.05:
        lines.append("x" * rng.choice([999, 1001, 1500]) + " is a very long token.")
    sep = rng.choice(["\n", "\n", "\n\n", "\n \n", "\r\n"])
    text = sep.join(lines)
    if rng.random() < 0.1:  # a repeated paragraph block
        text = text + "\n\n" + text
    if rng.random() < 0.05:
        text = "  " + text + "\n\n"
    return text


def main() -> int:
    rng = random.Random(20241)
    docs = [{"id": f"q{i:04d}", "text": make_doc(rng)} for i in range(400)]
    docs.append({"id": "empty", "text": ""})
    docs.append({"id": "spaces", "text": "   \n\n  "})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)
    print(f"wrote {len(docs)} documents to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
