"""Read + write throughput of the runner with no steps: the ceiling of every step.

Generates a synthetic web-text corpus (JSONL.gz and Parquet), then runs thresher
with an empty pipeline over it, one worker and all workers, and the same
read -> write with DataTrove's JsonlReader -> JsonlWriter when it is installed.

    python bench/io.py --mb 100
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from thresher.pipeline import Pipeline

sys.path.insert(0, str(Path(__file__).parent))
from io_corpus import make_corpus


def run_thresher(inp: Path, out: Path, fmt: str, workers: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    # 8 MB tasks, so every worker has work even on a small corpus.
    Pipeline([]).run(
        [str(inp)], out, workers=workers, format=fmt, progress=False, chunk_bytes=8 << 20
    )
    return time.perf_counter() - t0


def run_datatrove(inp: Path, out: Path) -> float | None:
    try:
        from datatrove.executor import LocalPipelineExecutor
        from datatrove.pipeline.readers import JsonlReader
        from datatrove.pipeline.writers import JsonlWriter
    except ImportError:
        return None
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(inp.parent), glob_pattern=inp.name),
            JsonlWriter(str(out / "data")),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(out / "logs"),
    ).run()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=int, default=100, help="corpus size in MB of text")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dir", type=Path, default=Path(__file__).parent / "_data")
    args = ap.parse_args()
    jpath, ppath, size = make_corpus(args.dir, args.mb)
    mb = size / 1e6
    outdir = Path(__file__).parent / "_out"
    print(
        f"corpus: {mb:.0f} MB of text; machine: {os.cpu_count()} cores; python {sys.version.split()[0]}"
    )
    print(f"{'input -> output':<26}{'workers':>8}{'seconds':>9}{'MB/s':>9}{'MB/s/core':>11}")
    results = {}
    for name, inp in (("jsonl.gz", jpath), ("parquet", ppath)):
        for fmt in ("jsonl", "parquet"):
            for w in sorted({1, args.workers}):
                secs = run_thresher(inp, outdir / "io", fmt, w)
                results[(name, fmt, w)] = mb / secs
                print(
                    f"{name + ' -> ' + fmt:<26}{w:>8}{secs:>9.2f}{mb / secs:>9.1f}{mb / secs / w:>11.1f}"
                )
    dt = run_datatrove(jpath, outdir / "dt")
    if dt is not None:
        ours = results[("jsonl.gz", "jsonl", 1)]
        print(f"{'datatrove jsonl.gz -> jsonl':<26}{1:>8}{dt:>9.2f}{mb / dt:>9.1f}{mb / dt:>11.1f}")
        print(f"ratio thresher / datatrove (1 core, jsonl.gz -> jsonl.gz): {ours / (mb / dt):.2f}x")
    shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    main()
