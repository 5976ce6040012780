"""Generate near-duplicates of real pages at known Jaccard similarity.

Originals are the ``main_text`` of the extraction sets in
``/work/shared/data/extraction/*.jsonl.gz`` (pages with at least ``min_words``
words). Each original gets ``variants`` copies edited at a random intensity:
word substitutions, insertions and deletions, reordered paragraphs, and added
boilerplate lines (a footer or header taken from another page). The exact
Jaccard similarity of word 5-gram shingle sets (words: maximal runs of
alphanumeric characters of the case-folded text, as thresher tokenises) between
a variant and its original is recorded, so quality can be measured per band.

    .venv/bin/python eval/neardup_gen.py --out /tmp/neardup.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_WORD = re.compile(r"[^\W_]+")
_BOILERPLATE = [
    "Share this article on Facebook Twitter and LinkedIn",
    "Subscribe to our newsletter for the latest updates and offers",
    "Copyright 2024 All rights reserved Privacy Policy Terms of Use",
    "Leave a comment below and let us know what you think",
    "This post may contain affiliate links read our disclosure policy",
    "Related posts you might also like from our editors",
]


def words(text: str) -> list[str]:
    """The reference tokenisation (approximately ``str.isalnum`` runs)."""
    return _WORD.findall(text.casefold())


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def load_originals(data: Path, min_words: int, limit: int) -> list[str]:
    files = sorted((data / "extraction").glob("*.jsonl.gz"))
    if not files:
        sys.exit(
            f"no extraction data under {data}/extraction: pass --data (default ../shared/data)"
        )
    seen: set[str] = set()
    out: list[str] = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = (json.loads(line).get("main_text") or "").strip()
                key = " ".join(words(text))
                if len(text.split()) >= min_words and key not in seen:
                    seen.add(key)
                    out.append(text)
    random.Random(0).shuffle(out)
    return out[:limit]


def edit(text: str, rate: float, rng: random.Random, donors: list[str]) -> str:
    """One variant: each kind of edit applied at a strength drawn around ``rate``."""
    paras = [p for p in text.split("\n") if p.strip()]
    if len(paras) > 2 and rng.random() < 0.3:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    out_paras: list[str] = []
    vocab = text.split()
    for p in paras:
        toks = p.split(" ")
        new: list[str] = []
        for t in toks:
            r = rng.random()
            if r < rate / 3:  # substitute
                new.append(rng.choice(vocab))
            elif r < 2 * rate / 3:  # delete
                continue
            elif r < rate:  # insert after
                new.extend((t, rng.choice(vocab)))
            else:
                new.append(t)
        out_paras.append(" ".join(new))
    if rng.random() < 0.5:
        extra = rng.sample(_BOILERPLATE, rng.randint(1, 3))
        if donors and rng.random() < 0.5:
            donor = rng.choice(donors).split("\n")
            extra.append(donor[0][:200])
        if rng.random() < 0.5:
            out_paras = extra + out_paras
        else:
            out_paras += extra
    return "\n".join(out_paras)


def generate(
    data: Path, originals: int, variants: int, min_words: int, seed: int
) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    texts = load_originals(data, min_words, originals)
    for i, text in enumerate(texts):
        base = shingles(text)
        yield {"id": f"o{i}", "family": i, "text": text, "jaccard_to_original": 1.0}
        for v in range(variants):
            # Edit rates spread the similarities over roughly 0.2..1.0.
            rate = rng.choice([0.0, 0.005, 0.01, 0.02, 0.03, 0.04, 0.06, 0.08, 0.12, 0.2])
            rate *= rng.uniform(0.6, 1.4)
            var = edit(text, rate, rng, texts)
            yield {
                "id": f"o{i}v{v}",
                "family": i,
                "text": var,
                "jaccard_to_original": round(jaccard(base, shingles(var)), 6),
            }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    )
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--originals", type=int, default=1500)
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("--min-words", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    n = 0
    with gzip.open(args.out, "wt", encoding="utf-8") as out:
        for rec in generate(args.data, args.originals, args.variants, args.min_words, args.seed):
            out.write(json.dumps(rec) + "\n")
            n += 1
    print(f"wrote {n} documents to {args.out}")


if __name__ == "__main__":
    main()
