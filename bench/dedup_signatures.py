"""MinHash signature speed on one core: thresher vs DataTrove, on the same pages.

Times are CPU seconds of this single-threaded process (``time.process_time``),
so other load on the machine does not count. Both turn a text into its LSH band keys / bucket signatures: shingling (word
5-grams), hashing and the MinHash itself. DataTrove is timed on its
``MinhashDedupSignature.get_shingles`` + ``get_signature`` (the work of its
stage 1 without file writes), thresher on ``FuzzyDedup.signature``.

    .venv/bin/python bench/dedup_signatures.py [--data ../shared/data] [--datatrove-docs 300]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def load(data: Path) -> list[str]:
    files = sorted((data / "extraction").glob("*.jsonl.gz"))
    if not files:
        sys.exit(
            f"no extraction data under {data}/extraction: pass --data (default ../shared/data)"
        )
    texts = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                t = json.loads(line).get("main_text") or ""
                if t.strip():
                    texts.append(t)
    return texts


def timed(fn: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    fn(texts[0])  # warm up (lazy tables, imports)
    best = float("inf")
    for _ in range(repeat):
        # CPU time of this (single-threaded) process: fair on a shared machine.
        t = time.process_time()
        for text in texts:
            fn(text)
        best = min(best, time.process_time() - t)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return len(texts) / best, mb / best


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    )
    ap.add_argument(
        "--datatrove-docs", type=int, default=300, help="DataTrove is slow: time it on this many"
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    texts = load(args.data)

    from thresher.dedup.fuzzy import FuzzyDedup
    from thresher.document import Document

    rows = []
    for label, kwargs in [
        ("thresher 14x8 (112 values)", {"num_perm": 112, "bands": 14, "rows": 8}),
        ("thresher plain LSH 20x12", {"num_perm": 256, "min_band_matches": 1}),
        ("thresher default 128x4", {}),
        ("thresher k-perm 14x8", {"num_perm": 112, "bands": 14, "rows": 8}),
    ]:
        step = FuzzyDedup(**kwargs)  # type: ignore[arg-type]
        if "k-perm" in label:
            step.hasher.one_permutation = False
        rows.append(
            (
                label,
                *timed(lambda t, s=step: s.signature(Document(id="", text=t)), texts, args.repeat),
            )
        )

    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature

    dt = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=MinhashConfig())

    def datatrove(text: str) -> object:
        sh = dt.get_shingles(text)
        return dt.get_signature(sh) if sh.size else None

    sample = texts[:: max(1, len(texts) // args.datatrove_docs)]  # spread over every set
    dt_docs, dt_mb = timed(datatrove, sample, 1)
    print(
        f"{len(texts)} pages ({sum(len(t.encode()) for t in texts) / len(texts) / 1e3:.1f} kB mean), one core"
    )
    print(f"{'method':28} {'docs/s':>9} {'MB/s':>7} {'x DataTrove (MB/s)':>19}")
    print(
        f"{'DataTrove 14x8 (' + str(len(sample)) + ' docs)':28} {dt_docs:9.1f} {dt_mb:7.2f} {1.0:19.1f}"
    )
    for label, d, mb in rows:
        print(f"{label:28} {d:9.1f} {mb:7.2f} {mb / dt_mb:19.1f}")


if __name__ == "__main__":
    main()
