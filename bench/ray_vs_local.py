"""The Ray executor against the local one: same corpus, same pipeline, 1 and 2 CPUs.

Generates the demo corpus (``thresher.demo``, deterministic) at the size asked,
then runs the pipeline with the local executor (1 and 2 worker processes) and
with the Ray executor on a local Ray of 1 and 2 CPUs. Ray is started before
each Ray run and its start-up is reported apart ("ray start"): on a cluster it
is paid once, not per run. Every run's output is compared with the first
local run's, record for record, so the table only holds runs that agree.

    python bench/ray_vs_local.py --docs 1200
    python bench/ray_vs_local.py --docs 3000 --steps normalize,exact_dedup,line_dedup,gopher_quality

"overhead" is Ray's run time over the local executor's with as many CPUs, in %.
The runs use a copy of the thresher package taken at the start (its folder on
PYTHONPATH, for the worker processes too), so edits to the working tree while
the bench runs can't make the outputs differ.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from thresher import Pipeline
from thresher.pipeline import DEFAULT_STEPS
from thresher.steps.base import Step
from thresher.steps.registry import build_step

DEFAULT = list(DEFAULT_STEPS)


def build(names: list[str]) -> list[Step]:
    steps: list[Step] = []
    for name in names:
        try:
            step = build_step(name)
            step.setup()
        except (ImportError, OSError, ValueError) as exc:
            print(f"  (skipping {name}: {type(exc).__name__}: {exc})")
            continue
        steps.append(step)
    return steps


def records(out: Path) -> list[Any]:
    recs = []
    for sub in ("kept", "removed"):
        for path in sorted((out / sub).glob("part-*.jsonl.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                recs += [json.loads(line) for line in fh]
    return sorted(recs, key=lambda r: r["id"])


def describe(want: list[Any], got: list[Any]) -> str:
    """Which records and fields differ (the steps or their data changed under the run?)."""
    a = {r["id"]: r for r in want}
    b = {r["id"]: r for r in got}
    ids = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    fields = sorted({f for k in ids if k in a and k in b for f in a[k] if a[k][f] != b[k].get(f)})
    return f"{len(ids)} records, fields {', '.join(fields) or '-'}, e.g. {', '.join(ids[:3])}"


def run(
    steps: list[Step], inputs: list[str], out: Path, executor: str, cpus: int, chunk: int
) -> tuple[float, float, dict[str, Any]]:
    """(Ray start seconds, run seconds, stats)."""
    shutil.rmtree(out, ignore_errors=True)
    start = 0.0
    if executor == "ray":
        import ray

        t = time.perf_counter()
        ray.init(num_cpus=cpus, include_dashboard=False, logging_level="ERROR")
        start = time.perf_counter() - t
    try:
        t = time.perf_counter()
        stats = Pipeline(steps).run(
            inputs, out, executor=executor, workers=cpus, chunk_bytes=chunk, progress=False
        )
        return start, time.perf_counter() - t, stats
    finally:
        if executor == "ray":
            import ray

            ray.shutdown()


def snapshot_and_rerun() -> None:
    """Copy the thresher package into a temporary folder and run this script again
    with that folder first on PYTHONPATH (inherited by local and Ray workers)."""
    import thresher

    snap = Path(tempfile.mkdtemp(prefix="thresher-bench-src-"))
    shutil.copytree(Path(thresher.__file__).parent, snap / "thresher")
    env = dict(os.environ, _THRESHER_BENCH_SNAPSHOT=str(snap))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snap), env.get("PYTHONPATH")]))
    try:
        rc = subprocess.call([sys.executable, __file__, *sys.argv[1:]], env=env)
    finally:
        shutil.rmtree(snap, ignore_errors=True)
    sys.exit(rc)


def main() -> None:
    if "_THRESHER_BENCH_SNAPSHOT" not in os.environ:
        snapshot_and_rerun()
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=1200, help="demo corpus documents")
    ap.add_argument("--chunk-kb", type=int, default=256, help="input KB per task (shard)")
    ap.add_argument(
        "--steps", default=",".join(DEFAULT), help="comma-separated step names (default pipeline)"
    )
    args = ap.parse_args()

    from thresher.demo import generate

    work = Path(tempfile.mkdtemp(prefix="thresher-bench-ray-"))
    try:
        inputs = [str(p) for p in generate(work / "in", n_docs=args.docs)]
        size = sum(Path(p).stat().st_size for p in inputs)
        steps = build([s.strip() for s in args.steps.split(",") if s.strip()])
        print(f"corpus: {args.docs} demo documents, {size / 1e6:.1f} MB gzip, {len(inputs)} files")
        print(f"steps: {', '.join(s.name for s in steps)}")
        print(f"code: a copy of thresher in {os.environ['_THRESHER_BENCH_SNAPSHOT']}\n")
        chunk = args.chunk_kb << 10
        rows = []
        reference = None
        local_secs: dict[int, float] = {}
        for executor, cpus in (("local", 1), ("ray", 1), ("local", 2), ("ray", 2)):
            out = work / f"{executor}-{cpus}"
            start, secs, stats = run(steps, inputs, out, executor, cpus, chunk)
            recs = records(out)
            if reference is None:
                reference = recs
            same = recs == reference
            if not same:
                print(f"  {executor} ({cpus}): output differs: {describe(reference, recs)}")
            if executor == "local":
                local_secs[cpus] = secs
            over = f"{100 * (secs / local_secs[cpus] - 1):+.0f}%" if executor == "ray" else "-"
            rows.append(
                (
                    f"{executor} ({cpus} CPU{'s' if cpus > 1 else ''})",
                    f"{start:.1f}" if executor == "ray" else "-",
                    f"{secs:.1f}",
                    f"{stats['input'] / secs:,.0f}",
                    over,
                    "yes" if same else "NO",
                    str(stats["shards"]),
                )
            )
            print(f"  {rows[-1][0]}: {secs:.1f} s", flush=True)
        head = ("executor", "ray start s", "run s", "docs/s", "overhead", "same output", "shards")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        print()
        print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
