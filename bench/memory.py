"""Memory and core use of ``thresher clean`` as the input grows.

Runs ``thresher clean`` on the same kind of corpus at two sizes (default 50 and
100 MB of JSONL.gz), sampling the resident memory of the whole process tree
and its CPU time. Memory should not grow with input size, and CPU time over
wall time should approach the number of workers.

    python bench/memory.py --sizes 50 100 [--steps normalize,segment,...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from io_corpus import make_corpus


def tree_pids(root: int) -> list[int]:
    """The process and all its descendants (from each process's parent id in /proc)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    pids, frontier = [root], [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parent.items() if p == pid]
        pids += kids
        frontier += kids
    return pids


def sample(pids: list[int]) -> tuple[int, float]:
    rss, cpu = 0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                rss += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{pid}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
                cpu += (int(f[11]) + int(f[12])) / tick
        except OSError:
            continue
    return rss, cpu


def measure(inp: Path, out: Path, steps: str | None, workers: int) -> tuple[float, int, float]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "thresher.cli.main",
        "clean",
        str(inp),
        "-o",
        str(out),
        "--workers",
        str(workers),
        "--no-progress",
        "--chunk-mb",
        "8",
    ]
    if steps:
        cmd += ["--only", steps]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak, cpu_seen = 0, {}
    while proc.poll() is None:
        pids = tree_pids(proc.pid)
        rss, _ = sample(pids)
        peak = max(peak, rss)
        for pid in pids:
            cpu_seen[pid] = sample([pid])[1]
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"thresher clean failed with exit code {proc.returncode}")
    return wall, peak, sum(cpu_seen.values())


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100])
    ap.add_argument(
        "--steps", default="normalize", help="--only for thresher clean ('' = default pipeline)"
    )
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dir", type=Path, default=Path(__file__).parent / "_data")
    args = ap.parse_args()
    print(f"steps: {args.steps or 'default pipeline'}; workers: {args.workers}")
    print(f"{'input MB':>9}{'seconds':>9}{'MB/s':>8}{'peak RSS MB':>13}{'cores busy':>12}")
    for mb in args.sizes:
        jpath, _, size = make_corpus(args.dir, mb)
        wall, peak, cpu = measure(
            jpath, Path(__file__).parent / "_out" / "mem", args.steps or None, args.workers
        )
        print(
            f"{size / 1e6:>9.0f}{wall:>9.1f}{size / 1e6 / wall:>8.1f}{peak / 1e6:>13.0f}{cpu / wall:>12.2f}"
        )
    shutil.rmtree(Path(__file__).parent / "_out", ignore_errors=True)


if __name__ == "__main__":
    main()
