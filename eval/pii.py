"""PII detection: precision/recall per kind on the hand-labelled cases, and speed.

    .venv/bin/python eval/pii.py [--data ../shared/data] [--cases tests/data/pii] [--errors]

Quality comes from ``tests/data/pii/*.txt`` (hand-written positives with marked
spans and negatives; exact-span matching; see tests/data/pii/README.md for how
they were made and for the first-run results of the two blind batches, the less
biased figure). Speed is single-core throughput of
``thresher.pii.redact`` over every ``page_text`` of the extraction sets in
``<data>/extraction`` (whole web pages: navigation, footers, comments).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from thresher.pii import KINDS, find_pii, redact
from thresher.pii.cases import load_cases, score

REPO = Path(__file__).resolve().parent.parent


def quality(cases_dir: Path, show_errors: bool) -> None:
    cases = {k: load_cases(cases_dir / f"{k}.txt", k) for k in KINDS}
    extra = cases_dir / "negatives.txt"
    if extra.exists():
        cases["negatives"] = load_cases(extra, "negatives")
    scores = score(cases, lambda t: find_pii(t))
    print(
        f"{'kind':22s} {'pos':>5s} {'neg':>5s} {'TP':>5s} {'FP':>4s} {'FN':>4s} {'precision':>9s} {'recall':>7s}"
    )
    for kind in KINDS:
        sc = scores[kind]
        pos = sum(c.positive for c in cases[kind])
        neg = sum(not c.positive for c in cases[kind])
        print(
            f"{kind:22s} {pos:5d} {neg:5d} {sc.tp:5d} {sc.fp:4d} {sc.fn:4d} {sc.precision:9.3f} {sc.recall:7.3f}"
        )
    if "negatives" in cases:
        print(
            f"shared negatives: {len(cases['negatives'])} lines (false positives counted under the kind found)"
        )
    if show_errors:
        for sc in scores.values():
            for err in sc.errors:
                print(err)


def speed(data: Path) -> None:
    files = sorted((data / "extraction").glob("*.jsonl.gz"))
    if not files:
        sys.exit(
            f"no extraction data under {data}; pass --data PATH (see /work/shared/data/README.md)"
        )
    texts = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            texts += [json.loads(line)["page_text"] for line in fh]
    size = sum(len(t.encode("utf-8")) for t in texts)
    redact(texts[0])  # warm up regex compilation
    # CPU time of this process: the machine is shared, wall time measures the neighbours
    best = float("inf")
    counts: Counter[str] = Counter()
    for _ in range(3):
        counts.clear()
        t0 = time.process_time()
        for t in texts:
            counts.update(redact(t)[1])
        best = min(best, time.process_time() - t0)
    per_doc = best / len(texts) * 1e6
    print(
        f"speed: {len(texts)} pages, {size / 1e6:.1f} MB, best of 3: {best:.2f} s CPU = "
        f"{size / 1e6 / best:.1f} MB/s on one core, {per_doc:.0f} us/page "
        f"(mean page {size / len(texts) / 1e3:.1f} kB)"
    )
    print("found:", dict(counts.most_common()))
    # the per-call floor, on paragraphs of a few hundred characters
    paragraphs = [line for t in texts for line in t.splitlines() if len(line) > 200][:20000]
    clean = [p for p in paragraphs if not find_pii(p)]
    for name, sample in (("paragraphs", paragraphs), ("paragraphs without PII", clean)):
        t0 = time.process_time()
        for p in sample:
            redact(p)
        dt = time.process_time() - t0
        mean = sum(map(len, sample)) / len(sample)
        print(
            f"{name}: {len(sample)} of mean {mean:.0f} chars, {dt / len(sample) * 1e6:.1f} us CPU each"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--cases", type=Path, default=REPO / "tests" / "data" / "pii")
    ap.add_argument("--errors", action="store_true", help="list every false positive/negative")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    quality(args.cases, args.errors)
    if not args.no_speed:
        speed(args.data)


if __name__ == "__main__":
    main()
