"""Cross-source evaluation of the toxicity model, beside alt-profanity-check.

Every figure is on texts from a source the model did not train on:

* davidson -> hatexplain: a model fitted here on all of Davidson, scored on
  all of HateXplain; hatexplain -> davidson the other way round (same
  settings as the shipped model: train/toxicity.py defaults);
* shipped -> jigsaw: the shipped model (Davidson + HateXplain) on the Jigsaw
  sample. It has only 30 toxic comments, so its ROC-AUC comes with a
  bootstrap 95 % interval (2,000 resamples of the 308 rows, percentiles).

``--cv`` adds the in-source ceiling: 5-fold cross-validated ROC-AUC of the
same model on each training source alone (folds by crc32 of the id), i.e.
what these features reach when train and test labels come from the same
annotators.

Baseline: alt-profanity-check's ``predict_prob`` (its own training data
included Davidson and Jigsaw, so its figures on those two are not held out).
Target: toxic = offensive or hate. F1 is at the default comment threshold for
our model (thresher.steps.toxicity) and 0.5 for the baseline (its
``predict``). Speed: texts per CPU-second on one core (``process_time``,
batches of 1024, HateXplain texts), so other load on the machine does not
count.

    .venv/bin/python eval/toxicity.py [--data ../shared/data] [--skip-cross] [--cv]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresher.steps.toxicity import DEFAULT_COMMENT_THRESHOLD  # noqa: E402
from thresher.toxicity.features import HashedFeaturizer  # noqa: E402
from thresher.toxicity.linear import DEFAULT_MODEL_DIR, LinearToxicityModel, load_lexicon  # noqa: E402
from thresher.toxicity.text import normalize  # noqa: E402
from thresher.toxicity.training import Examples, f1_at, fit, load_source, roc_auc  # noqa: E402


def speed(score: Callable[[list[str]], object], texts: Sequence[str], batch: int = 1024) -> float:
    """Texts per CPU-second of this process."""
    t0 = time.process_time()
    for start in range(0, len(texts), batch):
        score(list(texts[start : start + batch]))
    return len(texts) / max(time.process_time() - t0, 1e-9)


def bootstrap_auc(
    y: np.ndarray, score: np.ndarray, n: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """Percentile 95 % interval of ROC-AUC over ``n`` resamples of the rows."""
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(idx):
            aucs.append(roc_auc(y[idx], score[idx]))
    lo, hi = np.percentile(aucs, [2.5, 97.5])
    return float(lo), float(hi)


def in_source_cv(
    ex: Examples, make: Callable[[], HashedFeaturizer], c: float, max_iter: int, k: int = 5
) -> list[float]:
    """ROC-AUC of each of ``k`` folds (by crc32 of the id), trained on the others."""
    fold = np.fromiter((zlib.crc32(i.encode()) % k for i in ex.ids), dtype=np.int64)
    out = []
    for f in range(k):
        model = fit(ex.subset(fold != f), make(), c=c, max_iter=max_iter)
        test = ex.subset(fold == f)
        out.append(roc_auc(test.toxic, model.scores(test.texts).toxicity))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--c", type=float, help="default: the shipped model's (model.json)")
    ap.add_argument("--max-iter", type=int, help="default: the shipped model's")
    ap.add_argument("--skip-cross", action="store_true", help="only the shipped model")
    ap.add_argument("--cv", action="store_true", help="also 5-fold in-source ROC-AUC")
    args = ap.parse_args(argv)
    if not (args.data / "toxicity").is_dir():
        print(f"error: no toxicity data under {args.data} (pass --data)", file=sys.stderr)
        return 2
    try:
        from profanity_check import predict_prob
    except ImportError:
        print("error: the baseline needs alt-profanity-check installed", file=sys.stderr)
        return 2

    src = {s: load_source(args.data, s) for s in ("davidson", "hatexplain", "jigsaw")}
    shipped = LinearToxicityModel.load()
    threshold = DEFAULT_COMMENT_THRESHOLD
    c = args.c if args.c is not None else shipped.meta["train"]["c"]
    max_iter = args.max_iter if args.max_iter is not None else shipped.meta["train"]["max_iter"]
    lexicon = load_lexicon(DEFAULT_MODEL_DIR / "lexicon.json")
    # The lexicon-only reference counts slurs and profanity (not the sentiment
    # or identity lists, which are not toxic on their own).
    toxic_lists = {k: v for k, v in lexicon.items() if k in ("hate", "offensive")}
    lex = HashedFeaturizer(bits=8, char_max=0, word_bigrams=False, lexicon=toxic_lists)

    def featurizer() -> HashedFeaturizer:
        return HashedFeaturizer(**shipped.featurizer.config(), lexicon=lexicon)  # type: ignore[arg-type]

    def lexicon_score(texts: Sequence[str]) -> np.ndarray:
        b = lex.transform([normalize(t) for t in texts])
        hit = b.cols >= lex.n_hashed
        return np.bincount(b.rows[hit], weights=b.vals[hit], minlength=b.n_docs)

    runs: list[tuple[str, str, LinearToxicityModel | None]] = []
    if not args.skip_cross:
        for train, test in (("davidson", "hatexplain"), ("hatexplain", "davidson")):
            t0 = time.time()
            model = fit(src[train], featurizer(), c=c, max_iter=max_iter)
            print(f"fitted on {train} in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
            runs.append((train, test, model))
    runs.append(("davidson+hatexplain (shipped)", "jigsaw", shipped))

    rows = []
    jigsaw_ci = (float("nan"), float("nan"))
    for train, test, model in runs:
        ex: Examples = src[test]
        y = ex.toxic
        assert model is not None
        s = model.scores(ex.texts)
        base = np.asarray(predict_prob(ex.texts))
        lex_s = lexicon_score(ex.texts)
        if test == "jigsaw":
            jigsaw_ci = bootstrap_auc(y, s.toxicity)
        rows.append(
            (
                train,
                test,
                len(ex),
                roc_auc(y, s.toxicity),
                f1_at(y, s.toxicity, threshold),
                roc_auc(ex.labels == 2, s.hate) if s.hate is not None else float("nan"),
                roc_auc(y, base),
                f1_at(y, base, 0.5),
                roc_auc(y, lex_s),
            )
        )

    print(
        "| train | test | n | ROC-AUC | F1 @ default | hate ROC-AUC | baseline ROC-AUC "
        "| baseline F1 @ 0.5 | lexicon-only ROC-AUC |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | " + " | ".join(f"{v:.3f}" for v in r[3:]) + " |")
    print(
        f"\nDefault threshold {threshold}; toxic = offensive or hate; hate ROC-AUC scores "
        "P(hate) against the hate class alone."
    )
    print(
        f"Jigsaw ({int(src['jigsaw'].toxic.sum())} toxic of {len(src['jigsaw'])}): "
        f"ROC-AUC bootstrap 95 % interval {jigsaw_ci[0]:.3f}-{jigsaw_ci[1]:.3f}"
    )
    if args.cv:
        print("\n| source | 5-fold in-source ROC-AUC (mean) | folds |\n|---|---:|---|")
        for name in ("hatexplain", "davidson"):
            aucs = in_source_cv(src[name], featurizer, c, max_iter)
            folds = ", ".join(f"{a:.3f}" for a in aucs)
            print(f"| {name} | {np.mean(aucs):.3f} | {folds} |", flush=True)

    texts = src["hatexplain"].texts
    ours = speed(shipped.scores, texts)
    theirs = speed(predict_prob, texts)
    print("\n| model | texts / CPU-second (one core) |\n|---|---:|")
    print(f"| thresher linear (shipped) | {ours:,.0f} |")
    print(f"| alt-profanity-check | {theirs:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
