"""Fuzzy dedup resolve at scale on bounded memory: 10 million documents of band keys.

Synthetic signatures stand in for ``FuzzyDedup.signature``: each document has
``--bands`` random 64-bit band keys, except planted near-duplicates, which copy
a random subset (1..all) of the band keys of an earlier original. The keys go
through :class:`thresher.dedup.spill.KeySpill` (sorted runs on disk under a
memory limit), then ``FuzzyDedup.resolve`` streams the merged groups. The
result is checked against the planted clusters; peak RSS and times are printed.

    .venv/bin/python bench/dedup_scale.py --docs 10000000 --memory-mb 256
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from thresher.dedup.fuzzy import FuzzyDedup
from thresher.dedup.minhash import fmix64
from thresher.dedup.spill import KeySpill


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_step(bands: int, matches: str) -> FuzzyDedup:
    m: int | str = matches if matches == "auto" else int(matches)
    return FuzzyDedup(num_perm=bands * 4, bands=bands, rows=4, min_band_matches=m)  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=10_000_000)
    ap.add_argument("--bands", type=int, default=20)
    ap.add_argument("--dup-fraction", type=float, default=0.1)
    ap.add_argument(
        "--min-band-matches",
        default="1",
        help="FuzzyDedup setting: 1 (plain LSH) or a count or 'auto' (with rows=4, threshold 0.8)",
    )
    ap.add_argument("--memory-mb", type=int, default=256, help="KeySpill memory limit")
    ap.add_argument("--batch", type=int, default=20_000, help="documents per add() call")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args()

    n, nb = args.docs, args.bands
    rng = np.random.default_rng(0)
    band_ids = np.arange(nb, dtype=np.uint64)
    is_dup = np.zeros(n, bool)
    source = np.full(n, -1, np.int64)  # original of each planted duplicate
    shared = np.zeros(n, np.int16)  # bands a duplicate shares with its original
    need = make_step(nb, args.min_band_matches)._band_matches
    print(f"min_band_matches: {need}")
    print(
        f"{n:,} docs x {nb} bands = {n * nb:,} keys, {args.dup_fraction:.0%} planted near-duplicates"
    )
    print(f"start (generator's bookkeeping allocated): peak RSS {rss_mb():.0f} MB")

    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="dedup-scale-", dir=args.workdir))
    disk = 0
    try:
        with KeySpill(work, memory_limit_bytes=args.memory_mb << 20) as spill:
            for start in range(0, n, args.batch):
                ords = np.arange(start, min(n, start + args.batch), dtype=np.int64)
                # Every (document, band) has its own key unless copied from a source.
                own = fmix64(ords.astype(np.uint64)[:, None] * np.uint64(nb) + band_ids[None, :])
                if start:
                    dup = rng.random(len(ords)) < args.dup_fraction
                    src = rng.integers(0, start, size=int(dup.sum()))
                    src = np.where(is_dup[src], source[src], src)  # always an original
                    is_dup[ords[dup]] = True
                    source[ords[dup]] = src
                    # Share a random non-empty subset of bands with the source.
                    share = rng.random((len(src), nb)) < rng.uniform(0.05, 1.0, size=(len(src), 1))
                    share[np.arange(len(src)), rng.integers(0, nb, len(src))] = True
                    src_keys = fmix64(
                        src.astype(np.uint64)[:, None] * np.uint64(nb) + band_ids[None, :]
                    )
                    own[dup] = np.where(share, src_keys, own[dup])
                    shared[ords[dup]] = share.sum(axis=1)
                spill.add(own.ravel(), np.repeat(ords, nb))
            t_add = time.perf_counter() - t0
            c_add = cpu_s()
            groups = spill.groups()
            disk = sum(f.stat().st_size for f in spill.dir.iterdir())
            print(
                f"add + spill: {t_add:.1f} s ({c_add:.1f} s CPU), {spill.runs} sorted runs, {disk / 1e9:.2f} GB on disk, "
                f"peak RSS {rss_mb():.0f} MB"
            )
            t1, c1 = time.perf_counter(), cpu_s()
            step = make_step(nb, args.min_band_matches)
            decision = step.resolve(groups)
            t_resolve, c_resolve = time.perf_counter() - t1, cpu_s() - c1
        removed = int((~decision.keep).sum())
        print(
            f"merge + resolve: {t_resolve:.1f} s ({c_resolve:.1f} s CPU), {len(decision.ordinals):,} docs in "
            f"{int(decision.keep.sum()):,} clusters, {removed:,} removed, peak RSS {rss_mb():.0f} MB"
        )
        # Check against the plant: clusters are exactly {original} + its duplicates
        # that share at least min_band_matches bands with it.
        dups = np.flatnonzero(is_dup & (shared >= need))
        expect_members = np.union1d(dups, source[dups])
        ok = (
            np.array_equal(decision.ordinals, expect_members)
            and removed == len(dups)
            and np.array_equal(
                decision.cluster[np.searchsorted(decision.ordinals, dups)], source[dups]
            )
        )
        print(f"clusters match the planted duplicates: {ok}")
        print(
            f"total {time.perf_counter() - t0:.1f} s; KeySpill memory limit {args.memory_mb} MB (clustering holds the verified pairs besides)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
