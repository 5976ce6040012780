"""Precision and recall of MinHash-LSH near-duplicate pairs: thresher, DataTrove, datasketch.

Documents come from ``eval/neardup_gen.py`` (real pages and edited copies at
known similarity). Truth is the exact Jaccard similarity of word 5-gram
shingle sets; a pair is a duplicate when it reaches ``--threshold``.

For every method a pair is *predicted* when the two documents share at least
``--min-band-matches`` LSH band keys (1 = plain LSH): the pairwise quality of
the signature and banding, the same measure for all three libraries.

* thresher: ``thresher.dedup.minhash.MinHasher`` (one permutation hashing and,
  as ``thresher-kperm``, the classic ``num_perm`` hash functions);
* DataTrove 0.10: ``MinhashDedupSignature.get_shingles`` + ``get_signature``
  (its own text simplification and tokenizer);
* datasketch: ``MinHash`` over the reference shingles, ``MinHashLSH`` with
  ``params=(bands, rows)``.

    .venv/bin/python eval/neardup_gen.py --out /tmp/neardup.jsonl.gz
    .venv/bin/python eval/dedup_quality.py /tmp/neardup.jsonl.gz --bands 14 --rows 8 --threshold 0.75
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from neardup_gen import jaccard, shingles

from thresher.dedup.fuzzy import FuzzyDedup
from thresher.dedup.minhash import MinHasher, auto_band_matches
from thresher.document import Document
from thresher.steps.base import run_corpus_step_in_memory

BandKeys = list[list[object]]  # per document: its band keys (hashable)


def thresher_keys(texts: list[str], bands: int, rows: int, num_perm: int, oph: bool) -> BandKeys:
    h = MinHasher(shingle_size=5, num_perm=num_perm, bands=bands, rows=rows, one_permutation=oph)
    return [h.band_keys(h.signature(t)).tolist() for t in texts]


def datatrove_keys(texts: list[str], bands: int, rows: int) -> BandKeys:
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature

    cfg = MinhashConfig(n_grams=5, num_buckets=bands, hashes_per_bucket=rows)
    sig = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=cfg)
    out: BandKeys = []
    for t in texts:
        sh = sig.get_shingles(t)
        out.append([(i, tuple(b)) for i, b in enumerate(sig.get_signature(sh))] if sh.size else [])
    return out


def datasketch_pairs(texts: list[str], bands: int, rows: int) -> dict[tuple[int, int], int]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=bands * rows, params=(bands, rows))
    mhs = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=bands * rows, seed=1)
        sh = shingles(t)
        if sh:
            m.update_batch([" ".join(s).encode() for s in sh])
            lsh.insert(i, m)
        mhs.append(m if sh else None)
    pairs: dict[tuple[int, int], int] = {}
    for i, m in enumerate(mhs):
        if m is None:
            continue
        for j in lsh.query(m):
            if j > i:
                pairs[(i, j)] = 1  # datasketch reports candidates, not band counts
    return pairs


def pairs_from_keys(keys: BandKeys) -> dict[tuple[int, int], int]:
    """Pair -> number of bands shared."""
    groups: dict[object, list[int]] = defaultdict(list)
    for doc, ks in enumerate(keys):
        for k in set(ks):
            groups[k].append(doc)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for members in groups.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                count[(members[a], members[b])] += 1
    return dict(count)


def report(
    name: str,
    pairs: dict[tuple[int, int], int],
    truth: Callable[[int, int], float],
    positives: Iterable[tuple[int, int]],
    threshold: float,
    min_matches: int,
    seconds: float,
) -> dict[str, object]:
    predicted = {p for p, c in pairs.items() if c >= min_matches}
    pos = set(positives)
    tp = sum(1 for p in predicted if truth(*p) >= threshold)
    precision = tp / len(predicted) if predicted else 1.0
    # Precision ignoring a grey zone 0.05 wide below the threshold.
    grey_ok = sum(1 for p in predicted if truth(*p) >= threshold - 0.05)
    high = [p for p in pos if truth(*p) >= threshold + 0.05]
    recall_high = sum(1 for p in high if p in predicted) / max(1, len(high))
    recall = sum(1 for p in pos if p in predicted) / max(1, len(pos))
    # The same pairs closed transitively: what a clustering dedup acts on.
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in predicted:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    comps: dict[int, list[int]] = defaultdict(list)
    for x in {x for p in predicted for x in p}:
        comps[find(x)].append(x)
    closed = {(a, b) for m in comps.values() for a in m for b in m if a < b}
    cluster_precision = sum(1 for p in closed if truth(*p) >= threshold) / max(1, len(closed))
    # What removal does (keep the first of each cluster): removed doc vs the kept one.
    removals = [(min(m), x) for m in comps.values() for x in m if x != min(m)]
    removal_precision = sum(1 for p in removals if truth(*p) >= threshold) / max(1, len(removals))
    cluster_recall_high = sum(1 for p in high if p in closed) / max(1, len(high))
    bins = np.arange(0.0, 1.0001, 0.05)
    per_bin = {}
    for lo in bins[:-1]:
        in_bin = [
            p for p in pos if lo <= truth(*p) < lo + 0.05 or (lo >= 0.95 and truth(*p) == 1.0)
        ]
        if in_bin:
            per_bin[f"{lo:.2f}"] = (
                sum(1 for p in in_bin if p in predicted) / len(in_bin),
                len(in_bin),
            )
    return {
        "method": name,
        "predicted": len(predicted),
        "precision": precision,
        "precision_outside_grey": grey_ok / len(predicted) if predicted else 1.0,
        "recall": recall,
        "recall_at_t+0.05": recall_high,
        "per_bin": per_bin,
        "cluster_precision": cluster_precision,
        "cluster_recall_at_t+0.05": cluster_recall_high,
        "removal_precision": removal_precision,
        "removed": len(removals),
        "seconds": seconds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("corpus", type=Path, help="output of eval/neardup_gen.py")
    ap.add_argument("--threshold", type=float, default=0.75)
    ap.add_argument("--bands", type=int, default=14)
    ap.add_argument("--rows", type=int, default=8)
    ap.add_argument(
        "--num-perm", type=int, default=0, help="thresher signature size (default bands*rows)"
    )
    ap.add_argument("--min-band-matches", default="1", help="thresher only: a count or 'auto'")
    ap.add_argument(
        "--skip", default="", help="comma list of methods to skip: datatrove,datasketch,kperm"
    )
    args = ap.parse_args()
    if args.min_band_matches != "auto":
        args.min_band_matches = int(args.min_band_matches)
    if not args.corpus.exists():
        sys.exit(f"{args.corpus} not found: run eval/neardup_gen.py --out {args.corpus} first")
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    texts = [r["text"] for r in recs]
    sets = [shingles(t) for t in texts]
    cache: dict[tuple[int, int], float] = {}

    def truth(a: int, b: int) -> float:
        if (a, b) not in cache:
            cache[(a, b)] = jaccard(sets[a], sets[b])
        return cache[(a, b)]

    fam: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        fam[r["family"]].append(i)
    candidates = {(a, b) for m in fam.values() for i, a in enumerate(m) for b in m[i + 1 :]}
    skip = set(filter(None, args.skip.split(",")))
    num_perm = args.num_perm or args.bands * args.rows
    matches = (
        auto_band_matches(args.threshold, args.bands, args.rows)
        if args.min_band_matches == "auto"
        else args.min_band_matches
    )
    results: list[tuple[str, dict[tuple[int, int], int], int, float]] = []

    t = time.perf_counter()
    p = pairs_from_keys(thresher_keys(texts, args.bands, args.rows, num_perm, oph=True))
    results.append(("thresher", p, matches, time.perf_counter() - t))
    # End to end: FuzzyDedup's own resolve (star edges, union-find); predicted
    # pairs are the pairs inside each final cluster, transitive links included.
    t = time.perf_counter()
    step = FuzzyDedup(
        threshold=args.threshold,
        num_perm=num_perm,
        bands=args.bands,
        rows=args.rows,
        min_band_matches=args.min_band_matches,
        mode="flag",
        # Truth here is the Jaccard similarity of the whole texts; the default
        # (prose lines only) answers another question, measured by the demo.
        lines="all",
    )
    docs = [Document(id=str(i), text=x, ordinal=i) for i, x in enumerate(texts)]
    run_corpus_step_in_memory(step, docs)
    clusters: dict[int, list[int]] = defaultdict(list)
    for d in docs:
        clusters[d.signals["fuzzy_cluster_id"]].append(d.ordinal)
    p = {(a, b): 1 for m in clusters.values() for i, a in enumerate(m) for b in m[i + 1 :]}
    results.append(("thresher-resolve", p, 1, time.perf_counter() - t))
    if "kperm" not in skip:
        t = time.perf_counter()
        p = pairs_from_keys(thresher_keys(texts, args.bands, args.rows, num_perm, oph=False))
        results.append(("thresher-kperm", p, matches, time.perf_counter() - t))
    if "datatrove" not in skip:
        t = time.perf_counter()
        p = pairs_from_keys(datatrove_keys(texts, args.bands, args.rows))
        results.append(("datatrove", p, 1, time.perf_counter() - t))
    if "datasketch" not in skip:
        t = time.perf_counter()
        p = datasketch_pairs(texts, args.bands, args.rows)
        results.append(("datasketch", p, 1, time.perf_counter() - t))
    for _, p, m, _ in results:
        candidates |= {q for q, c in p.items() if c >= m}
    positives = [q for q in candidates if truth(*q) >= args.threshold]

    print(
        f"{len(texts)} docs, {len(positives)} duplicate pairs (J >= {args.threshold}), "
        f"bands x rows = {args.bands} x {args.rows}, thresher num_perm {num_perm}, "
        f"min_band_matches {args.min_band_matches} = {matches} (thresher)"
    )
    rows = [report(n, p, truth, positives, args.threshold, m, s) for n, p, m, s in results]
    print(
        f"{'method':16} {'pred':>6} {'prec':>6} {'prec*':>6} {'recall':>6} {'R@t+.05':>7} "
        f"{'cl.prec':>7} {'cl.R@t+.05':>10} {'removed':>7} {'rm.prec':>7} {'sec':>6}"
    )
    for r in rows:
        print(
            f"{r['method']:16} {r['predicted']:6d} {r['precision']:6.3f} {r['precision_outside_grey']:6.3f} "
            f"{r['recall']:6.3f} {r['recall_at_t+0.05']:7.3f} {r['cluster_precision']:7.3f} "
            f"{r['cluster_recall_at_t+0.05']:10.3f} {r['removed']:7d} {r['removal_precision']:7.3f} "
            f"{r['seconds']:6.1f}"
        )
    print("prec* = precision counting pairs within 0.05 below the threshold as correct")
    print(
        "cl.* = the predicted pairs closed transitively (connected components), as union-find acts\n"
        "rm.prec = share of removed documents (all but the first of a cluster) similar to the kept one\n"
        "thresher-resolve = FuzzyDedup end to end (its own clustering: star by default)"
    )
    print("recall per true-Jaccard bin (fraction found / pairs):")
    bins = sorted({b for r in rows for b in r["per_bin"]})  # type: ignore[attr-defined]
    print("bin     " + " ".join(f"{r['method']:>16}" for r in rows))
    for b in bins:
        cells = []
        for r in rows:
            v = r["per_bin"].get(b)  # type: ignore[attr-defined]
            cells.append(f"{v[0]:10.3f} ({v[1]:3d})" if v else " " * 16)
        print(f"{b}   " + " ".join(cells))
    # False-positive rate by true similarity below the threshold.
    print("predicted pairs below the threshold, by true-Jaccard bin:")
    for r, (_, p, m, _) in zip(rows, results, strict=True):
        below: dict[str, int] = defaultdict(int)
        for q, c in p.items():
            j = truth(*q)
            if c >= m and j < args.threshold:
                below[f"{int(j * 20) / 20:.2f}"] += 1
        print(f"  {r['method']:16} {dict(sorted(below.items()))}")


if __name__ == "__main__":
    main()
