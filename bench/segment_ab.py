"""The segment step's speed against an earlier revision, timed alternately.

A single speed figure on a shared VM swings by 10-20 % within minutes, so a
before/after comparison runs the two trees back to back, alternating, on the
same pages: the current tree's ``src`` and a git worktree of ``--rev``, each
in its own process (``Segment.process_batch`` in batches of 64 over the held-out
test pages of ``shared/data/extraction``, after one untimed batch, CPU time,
one BLAS thread). It prints each pair's MB/s and their ratio, and the median.

The worktree's C extensions, if it has any, are built in place first (with
setuptools' ``build_ext``), so both trees run their compiled paths; a
revision from before ``thresher._segfeat`` (58d4ec0, segment v5, and older)
has none for this step.

    OMP_NUM_THREADS=1 taskset -c 1 .venv/bin/python bench/segment_ab.py --rev 58d4ec0
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# Builds a tree's C extensions (src/thresher/_*.c) in place, with setuptools'
# build_ext alone: the tree's pyproject.toml may need a newer setuptools than
# this environment's (pip builds it in an isolated one).
_BUILD = """
from pathlib import Path
from setuptools import Distribution, Extension
from setuptools.command.build_ext import build_ext
exts = [Extension("thresher." + c.stem, [str(c)]) for c in sorted(Path("src/thresher").glob("_*.c"))]
dist = Distribution({"ext_modules": exts, "package_dir": {"": "src"}})
cmd = build_ext(dist)
cmd.inplace = True
cmd.ensure_finalized()
cmd.run()
"""


def _must(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    """Run ``cmd``; on failure exit with ``what`` and the end of its stderr."""
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{what}: {done.stderr.strip()[-500:]}")


def child(src: Path, data: Path) -> None:
    """Time one tree's step (run in a fresh process, ``src`` first on the path)."""
    sys.path.insert(0, str(src))
    import thresher
    from thresher.document import Document
    from thresher.steps.segment import Segment

    if not Path(thresher.__file__).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"imported {thresher.__file__}, not the tree under {src}")
    # The tree's own train/segment.py (pages and the split): this tree's may
    # import modules the other tree does not have.
    sys.path.insert(0, str(src.parent / "train"))
    from segment import load

    pages = [p["page_text"] for p in load(data) if p["split"] == "test"]
    step = Segment(remove_empty=False)
    step.setup()
    step.process_batch([Document(id="warm-up", text=t) for t in pages[:64]])
    docs = [Document(id=str(i), text=t) for i, t in enumerate(pages)]
    t = time.process_time()
    for b in range(0, len(docs), 64):
        step.process_batch(docs[b : b + 64])
    cpu = time.process_time() - t
    print(sum(len(t.encode("utf-8")) for t in pages) / cpu / 1e6)


def run(src: Path, data: Path) -> float:
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(src), "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{src}: {out.stderr.strip().splitlines()[-1]}")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rev", default="58d4ec0", help="the earlier revision (segment v5)")
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.child, args.data)
        return
    if not (args.data / "extraction").is_dir():
        raise SystemExit(f"{args.data / 'extraction'} not found: pass --data DIR")
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "rev"
        _must(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), args.rev],
            f"--rev {args.rev}",
        )
        try:
            if list((tree / "src" / "thresher").glob("_*.c")):
                _must([sys.executable, "-c", _BUILD], f"--rev {args.rev}: build_ext", cwd=tree)
                print(f"built {args.rev}'s C extensions in its worktree")
            ratios = []
            for k in range(args.pairs):
                old = run(tree / "src", args.data)
                new = run(REPO / "src", args.data)
                ratios.append(new / old)
                print(
                    f"pair {k + 1}: {args.rev} {old:.2f} MB/s, this tree {new:.2f} MB/s, {new / old:.2f}x"
                )
            print(f"median {statistics.median(ratios):.2f}x over {args.pairs} pairs")
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False
            )


if __name__ == "__main__":
    main()
