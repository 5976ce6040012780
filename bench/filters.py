"""Speed of the heuristic filter chain: thresher vs DataTrove 0.10.1, one core.

Both run Gopher repetition -> Gopher quality -> C4 -> FineWeb over the same
documents in this one process (single thread); a document a filter drops
skips the rest, as in a pipeline; thresher's steps take batches of 256
documents, as its executors call them. Prints documents/s, MB/s (CPU time of this process, so other load on the
machine does not count; UTF-8 input
bytes) and the ratio. The corpus is the ``main_text`` and ``page_text`` fields
of ``<data>/extraction/*.jsonl.gz`` (plus the demo corpus when
``thresher.demo`` is importable).

    .venv/bin/python bench/filters.py                      # both, 1,000 docs for DataTrove
    .venv/bin/python bench/filters.py --datatrove-docs 0   # thresher only, whole corpus
    .venv/bin/python bench/filters.py --profile            # cProfile of thresher's chain
    .venv/bin/python bench/filters.py --repeat 3           # best of 3 runs of each (noisy machine)
    .venv/bin/python bench/filters.py --numpy-ngrams       # without the C extension thresher._ngrams

With ``--repeat N`` every measurement is taken N times and the fastest kept
(as ``timeit`` does: other load only ever slows a run down); each thresher
"all" run starts from an empty vocabulary (cold), the 1,000-document runs
reuse it (warm), DataTrove runs N times too.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality_parity import REPO, load_corpus

CHAIN = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
BATCH = 256  # documents per step call, the executors' default


def cold_start() -> None:
    """Drop the per-process tokenizer vocabulary, so the next run starts cold."""
    import thresher.steps.quality.tokenizer as tokenizer

    tokenizer._VOCAB = None


def best_of(repeat: int, run: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """The fastest of ``repeat`` runs (seconds, documents kept)."""
    return min(run() for _ in range(max(repeat, 1)))


def run_thresher(texts: list[str]) -> tuple[float, int]:
    from thresher.document import Document
    from thresher.steps import build_step

    steps = [build_step(name) for name in CHAIN]
    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    start = time.process_time()
    for i in range(0, len(docs), BATCH):
        batch = docs[i : i + BATCH]
        for step in steps:
            step.process_batch(batch)
    seconds = time.process_time() - start
    return seconds, sum(d.removed is None for d in docs)


def run_datatrove(texts: list[str]) -> tuple[float, int]:
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    filters = [
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(),
        FineWebQualityFilter(),
    ]
    docs = [DTDocument(text=t, id=str(i)) for i, t in enumerate(texts)]
    # Warm spaCy up outside the timing, as thresher's vocabulary is built inside it.
    filters[1].filter(DTDocument(text="Warm up the tokenizer.", id="warm"))
    start = time.process_time()
    kept = 0
    for d in docs:
        for f in filters:
            res = f.filter(d)
            if not (res[0] if isinstance(res, tuple) else res):
                break
        else:
            kept += 1
    return time.process_time() - start, kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--demo-docs", type=int, default=2000)
    ap.add_argument(
        "--datatrove-docs",
        type=int,
        default=1000,
        help="random documents both run on for the ratio (0: thresher only)",
    )
    ap.add_argument("--profile", action="store_true", help="cProfile thresher's chain")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents")
    ap.add_argument("--repeat", type=int, default=1, help="keep the fastest of N runs of each")
    ap.add_argument(
        "--numpy-ngrams",
        action="store_true",
        help="count Gopher repetition's n-grams with numpy even when thresher._ngrams is built",
    )
    args = ap.parse_args(argv)
    import thresher.steps.quality.ngrams as ngrams

    if args.numpy_ngrams:
        ngrams.compiled = None
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    texts = [t for _, t in load_corpus(args.data, args.demo_docs)]
    if args.limit:
        texts = texts[: args.limit]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} documents, {mb:.1f} MB")
    print(f"n-gram counts: {'C (thresher._ngrams)' if ngrams.compiled else 'numpy'}")

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile(time.process_time)
        prof.enable()
        run_thresher(texts)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0

    def cold() -> tuple[float, int]:
        cold_start()
        return run_thresher(texts)

    seconds, kept = best_of(args.repeat, cold)
    print(
        f"thresher  all : {len(texts) / seconds:9.0f} docs/s {mb / seconds:7.2f} MB/s "
        f"({seconds:.1f} s, {kept} kept)"
    )
    if args.datatrove_docs:
        sample = random.Random(0).sample(texts, min(args.datatrove_docs, len(texts)))
        smb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
        t_ours, k_ours = best_of(args.repeat, lambda: run_thresher(sample))
        t_dt, k_dt = best_of(args.repeat, lambda: run_datatrove(sample))
        for label, secs, kept in (("thresher", t_ours, k_ours), ("datatrove", t_dt, k_dt)):
            print(
                f"{label:<9} {len(sample):>4}: {len(sample) / secs:9.0f} docs/s "
                f"{smb / secs:7.2f} MB/s ({secs:.1f} s, {kept} kept)"
            )
        print(f"speed-up on the same {len(sample)} documents: {t_dt / t_ours:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
