"""Train the shipped toxicity model (thresher/models/toxicity).

Data: <data>/toxicity/davidson.jsonl.gz and hatexplain_train.jsonl.gz
(Jigsaw is kept for evaluation only). Split: 10 % of each source held out
for validation by crc32 of the record id; the model is fitted on the other
90 %, and the default thresholds are read off the validation part:

* comment threshold: the one that maximises F1 (toxic = offensive or hate);
* document threshold: the score above which 2 % of validation texts labelled
  "neither" would be removed.

    .venv/bin/python train/toxicity.py [--data ../shared/data] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresher.toxicity.features import HashedFeaturizer  # noqa: E402
from thresher.toxicity.linear import DEFAULT_MODEL_DIR, load_lexicon  # noqa: E402
from thresher.toxicity.training import (  # noqa: E402
    Examples,
    best_f1_threshold,
    f1_at,
    fit,
    load_source,
    roc_auc,
    validation_mask,
)

TRAIN_SOURCES = ("davidson", "hatexplain")
LEXICON_FILE = "lexicon.json"
#: Co-occurrence slots: an identity term in the same text as a slur, a
#: profanity or a negative word (see thresher.toxicity.features).
COOCCUR = [["identity", ["hate", "negative", "offensive"]]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--bits", type=int, default=18, help="hash buckets = 2**bits")
    ap.add_argument(
        "--char-max",
        type=int,
        default=0,
        help="longest character n-gram (2..N); 0 = words only, which transferred "
        "as well across sources in eval and is 3x faster",
    )
    ap.add_argument("--lexicon-scale", type=float, default=4.0)
    ap.add_argument("--c", type=float, default=0.05, help="inverse L2 strength")
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--weighting", choices=("none", "source", "balanced"), default="balanced")
    ap.add_argument("--no-lexicon", action="store_true")
    ap.add_argument("--no-cooccur", action="store_true", help="no identity co-occurrence slot")
    args = ap.parse_args(argv)

    if not (args.data / "toxicity").is_dir():
        print(f"error: no toxicity data under {args.data} (pass --data)", file=sys.stderr)
        return 2
    lexicon = None if args.no_lexicon else load_lexicon(args.out / LEXICON_FILE)
    featurizer = HashedFeaturizer(
        bits=args.bits,
        char_min=2,
        char_max=args.char_max,
        lexicon=lexicon,
        lexicon_scale=args.lexicon_scale,
        cooccur=[] if args.no_lexicon or args.no_cooccur else COOCCUR,
    )
    data = Examples.concat([load_source(args.data, s) for s in TRAIN_SOURCES])
    val = validation_mask(data.ids)
    train, valid = data.subset(~val), data.subset(val)
    print(f"train {len(train)}  validation {len(valid)}", flush=True)

    t0 = time.time()
    model = fit(train, featurizer, c=args.c, weighting=args.weighting, max_iter=args.max_iter)
    print(f"fitted in {time.time() - t0:.0f} s", flush=True)

    s = model.scores(valid.texts)
    y = valid.toxic
    comment_t, comment_f1 = best_f1_threshold(y, s.toxicity)
    neither = s.toxicity[valid.labels == 0]
    doc_t = float(np.ceil(np.quantile(neither, 0.98) * 100) / 100)
    metrics: dict[str, dict[str, float]] = {}
    for src in ("all", *TRAIN_SOURCES):
        m = np.ones(len(valid), bool) if src == "all" else np.asarray(valid.sources) == src
        metrics[src] = {
            "n": int(m.sum()),
            "roc_auc": round(roc_auc(y[m], s.toxicity[m]), 4),
            "hate_roc_auc": round(roc_auc(valid.labels[m] == 2, s.hate[m]), 4),  # type: ignore[index]
            "f1_at_comment_threshold": round(f1_at(y[m], s.toxicity[m], comment_t), 4),
        }
    model.meta.update(
        {
            "name": "thresher toxicity linear v2",
            "train": {
                "sources": list(TRAIN_SOURCES),
                "n": len(train),
                "split": "validation = crc32(id) < 10% of range, per record",
                "c": args.c,
                "max_iter": args.max_iter,
                "weighting": args.weighting,
            },
            "thresholds": {"comment": comment_t, "document": doc_t},
            "validation": metrics,
        }
    )
    model.save(args.out, lexicon_file=None if args.no_lexicon else LEXICON_FILE)
    print(f"comment threshold {comment_t} (validation F1 {comment_f1:.3f})")
    print(f"document threshold {doc_t} (removes 2 % of validation 'neither' texts)")
    for src, m in metrics.items():
        print(f"  {src}: {m}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
