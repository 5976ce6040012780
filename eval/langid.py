"""Side-by-side language identification: accuracy, speed, calibration.

Held-out set: the lines of ``langid/lingua_dev.jsonl.gz`` with an *odd* line
number (the ``NNNN`` of ``lingua-<lang>-NNNN``; 18,535 sentences, 75 languages).
train/langid.py reads only the even lines. Every system is scored on the same
sentences, full and cut to their first 10 words; speed is sentences per second
of CPU time of this process on one core (``time.process_time``, so a busy
machine does not skew it), texts given one at a time to lingua and py3langid
(their per-text API) and in batches of 1,000 to ours.

    .venv/bin/python eval/langid.py [--data ../shared/data] [--limit N] [--fasttext lid.176.ftz]
    .venv/bin/python eval/langid.py --max-chars   # accuracy of documents vs characters read

Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

Predict = Callable[[list[str]], list[str | None]]


def held_out(path: Path, limit: int | None) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    per_lang: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if int(r["id"].rsplit("-", 1)[1]) % 2 == 1:
                if limit is not None and per_lang.get(r["lang"], 0) >= limit:
                    continue
                per_lang[r["lang"]] = per_lang.get(r["lang"], 0) + 1
                texts.append(r["text"])
                labels.append(r["lang"])
    return texts, labels


def ours() -> tuple[Predict, Callable[[list[str]], list[tuple[str | None, float]]]]:
    from thresher.langid.model import LangIdModel

    model = LangIdModel.load()

    def scored(texts: list[str]) -> list[tuple[str | None, float]]:
        out: list[tuple[str | None, float]] = []
        for i in range(0, len(texts), 1000):
            out.extend(model.predict(texts[i : i + 1000]))
        return out

    return (lambda texts: [lang for lang, _ in scored(texts)]), scored


def py3langid() -> Predict:
    import py3langid as langid

    return lambda texts: [langid.classify(t)[0] for t in texts]


def lingua(low: bool) -> Predict:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages()
    if low:
        builder = builder.with_low_accuracy_mode()
    det = builder.with_preloaded_language_models().build()

    def predict(texts: list[str]) -> list[str | None]:
        out: list[str | None] = []
        for t in texts:
            lang = det.detect_language_of(t)
            out.append(None if lang is None else lang.iso_code_639_1.name.lower())
        return out

    return predict


def fasttext_model(path: str) -> Predict:
    from thresher.langid.backends import FastTextIdentifier

    ident = FastTextIdentifier(path)
    return lambda texts: [lang for lang, _ in ident.predict(texts)]


def first_words(texts: list[str], k: int) -> list[str]:
    return [" ".join(t.split()[:k]) for t in texts]


def accuracy(pred: list[str | None], gold: list[str]) -> float:
    return float(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))


def calibration(scored: list[tuple[str | None, float]], gold: list[str]) -> tuple[list[str], float]:
    conf = np.array([s for _, s in scored])
    ok = np.array([lang == g for (lang, _), g in zip(scored, gold, strict=True)])
    edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]
    rows, ece = [], 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (conf >= lo) & (conf < hi)
        if m.any():
            ece += m.sum() / len(conf) * abs(conf[m].mean() - ok[m].mean())
            rows.append(
                f"| {lo:.2f}-{min(hi, 1.0):.2f} | {m.sum()} | {conf[m].mean():.3f} | {ok[m].mean():.3f} |"
            )
    return rows, float(ece)


def max_chars_study(data: Path) -> None:
    """Accuracy when only the first N characters of a document are read.

    Documents: 40 consecutive held-out sentences of one language joined (cut to
    8,000 characters); and wcxb ``main_text`` pages, compared with 5,000 chars.
    """
    from thresher.langid.model import LangIdModel

    model = LangIdModel.load()
    texts, gold = held_out(data / "langid" / "lingua_dev.jsonl.gz", None)
    by_lang: dict[str, list[str]] = {}
    for t, g in zip(texts, gold, strict=True):
        by_lang.setdefault(g, []).append(t)
    docs, labels = [], []
    for lang, sents in by_lang.items():
        for i in range(0, len(sents), 40):
            docs.append(" ".join(sents[i : i + 40])[:8000])
            labels.append(lang)
    wcxb = data / "extraction" / "wcxb_dev.jsonl.gz"
    pages: list[str] = []
    if wcxb.exists():
        with gzip.open(wcxb, "rt", encoding="utf-8") as fh:
            pages = [json.loads(line).get("main_text") or "" for line in fh]

    def langs(items: list[str], cap: int) -> list[str | None]:
        out: list[str | None] = []
        for i in range(0, len(items), 256):
            out.extend(lang for lang, _ in model.predict([t[:cap] for t in items[i : i + 256]]))
        return out

    ref = langs(pages, 5000)
    print(f"| max_chars | accuracy ({len(docs)} held-out docs) | wcxb pages agreeing with 5,000 |")
    print("| ---: | ---: | ---: |")
    for cap in (5000, 3000, 2000, 1000, 500, 250):
        agree = float(np.mean([a == b for a, b in zip(langs(pages, cap), ref, strict=True)]))
        print(f"| {cap} | {accuracy(langs(docs, cap), labels):.4f} | {agree:.4f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, help="at most this many held-out sentences per language")
    ap.add_argument("--fasttext", help="also score this fastText model (.bin/.ftz)")
    ap.add_argument("--skip", default="", help="comma-separated systems to leave out")
    ap.add_argument(
        "--max-chars", action="store_true", help="only: document accuracy vs characters read"
    )
    args = ap.parse_args(argv)
    dev = args.data / "langid" / "lingua_dev.jsonl.gz"
    if not dev.exists():
        sys.exit(f"{dev} not found: pass --data DIR holding langid/lingua_dev.jsonl.gz")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if args.max_chars:
        max_chars_study(args.data)
        return 0
    texts, gold = held_out(dev, args.limit)
    short = first_words(texts, 10)
    predict_ours, scored_ours = ours()
    systems: dict[str, Callable[[], Predict]] = {
        "thresher (shipped)": lambda: predict_ours,
        "py3langid 0.3": py3langid,
        "lingua 2.1 low accuracy": lambda: lingua(True),
        "lingua 2.1 high accuracy": lambda: lingua(False),
    }
    if args.fasttext:
        systems[f"fastText {Path(args.fasttext).name}"] = lambda: fasttext_model(args.fasttext)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    print(f"held-out: {len(texts)} sentences (odd lines), {len(set(gold))} languages\n")
    print("| system | accuracy | accuracy, first 10 words | sentences/s (1 core, CPU time) |")
    print("| --- | ---: | ---: | ---: |")
    for name, make in systems.items():
        if any(s in name for s in skip):
            continue
        predict = make()
        predict(texts[:50])  # warm up (lazy model loading)
        t = time.process_time()
        pred = predict(texts)
        dt = time.process_time() - t
        acc_short = accuracy(predict(short), gold)
        print(
            f"| {name} | {accuracy(pred, gold):.4f} | {acc_short:.4f} | {len(texts) / dt:,.0f} |",
            flush=True,
        )
    print("\nCalibration of thresher's confidence (reliability: accuracy per confidence bucket)\n")
    for label, variant in (
        ("full sentences", texts),
        ("first 10 words", short),
        ("first 2 words", first_words(texts, 2)),
    ):
        rows, ece = calibration(scored_ours(variant), gold)
        print(f"{label} (expected calibration error {ece:.3f}):\n")
        print("| confidence | texts | mean confidence | accuracy |\n| --- | ---: | ---: | ---: |")
        print("\n".join(rows) + "\n")
    pred = predict_ours(texts)
    errors: dict[tuple[str, str | None], int] = {}
    for p, g in zip(pred, gold, strict=True):
        if p != g:
            errors[(g, p)] = errors.get((g, p), 0) + 1
    top = sorted(errors.items(), key=lambda kv: -kv[1])[:10]
    print(
        "thresher's most frequent confusions (gold -> predicted): "
        + ", ".join(f"{g}->{p} {n}" for (g, p), n in top)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
