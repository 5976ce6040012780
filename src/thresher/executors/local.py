"""The local executor: N worker processes over input tasks, stage by stage.

Memory is bounded by the task size (``chunk_bytes``) times the tasks in flight
(two per worker), not by the corpus. The main process reads compressed inputs
(they can't be split), resolves corpus steps with a sorter that spills to disk,
and keeps only task descriptors.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

import numpy as np

from thresher._version import __version__
from thresher.executors.options import RunOptions
from thresher.executors.stages import finish_run
from thresher.executors.worker import WorkerContext, init_process, run_in_process
from thresher.io.inputs import InputFile, Task, expand_inputs, iter_tasks
from thresher.io.output import OutputDir
from thresher.io.writers import atomic_write_bytes
from thresher.report.progress import Progress
from thresher.steps.base import CorpusStep, Step

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def manifest_of(steps: list[Step], files: list[InputFile], opts: RunOptions) -> dict[str, Any]:
    return {
        "thresher": __version__,
        "steps": [[s.versioned_name(), s.settings()] for s in steps],
        "inputs": [[f.path, f.size] for f in files],
        "options": opts.output_identity(),
    }


def resolve_stage(
    step: CorpusStep, key_files: Iterable[Any], workdir: Any, memory_limit: int
) -> Any:
    """Group every task's keys (spilling sorted runs to disk) and let the step decide."""
    from thresher.dedup.spill import KeySpill

    with KeySpill(workdir, memory_limit) as spill:
        for path in key_files:
            with np.load(path, allow_pickle=False) as z:
                spill.add(z["keys"], z["ordinals"])
                spill.add_values(z["value_ordinals"], z["values"])
        step.setup()
        groups = spill.groups()
        groups.workdir = str(workdir)
        return step.resolve(groups)


class LocalExecutor:
    def __init__(self, steps: list[Step], opts: RunOptions) -> None:
        self.steps = steps
        self.opts = opts

    def run(self, inputs: list[str], out_root: str) -> dict[str, Any]:
        opts = self.opts
        files = expand_inputs(inputs)
        out = OutputDir(out_root)
        out.prepare(manifest_of(self.steps, files, opts), overwrite=opts.overwrite)
        payload = pickle.dumps((self.steps, opts, str(out.root)))
        ctx = WorkerContext.from_bytes(payload)
        n_stages = len(ctx.stages)
        progress = Progress(enabled=opts.progress)
        t0 = time.perf_counter()
        resolve_seconds: dict[str, float] = {}
        stage_seconds: list[float] = []

        pool: ProcessPoolExecutor | None = None
        if opts.n_workers > 1:
            # One process per core already: threaded BLAS inside each worker only
            # oversubscribes the cores (small matrix products get ~40x costlier).
            for var in _THREAD_VARS:
                os.environ.setdefault(var, "1")
            pool = ProcessPoolExecutor(
                opts.n_workers,
                mp_context=mp.get_context("spawn"),
                initializer=init_process,
                initargs=(payload,),
            )
        else:
            init_process(payload)
        try:
            finished = out.finished_parts()
            # Stage 0 streams the inputs; compressed ones are read here, in order.
            skip0 = set(finished)
            if n_stages > 1:
                skip0 |= {
                    int(p.name.split("-")[1].split(".")[0])
                    for p in out.stage_dir(0).glob("part-*.spool")
                }
            tasks: list[Task] = []

            def stage0_tasks() -> Iterable[Task]:
                for task in iter_tasks(files, chunk_bytes=opts.chunk_bytes, skip=skip0):
                    stub = Task(task.index, task.kind, task.source, task.rel, nbytes=task.nbytes)
                    tasks.append(stub)
                    if task.index not in skip0:
                        yield task

            progress.stage("read" if n_stages == 1 else "stage 1", None)
            s0 = time.perf_counter()
            self._run_tasks(pool, 0, stage0_tasks(), progress)
            stage_seconds.append(time.perf_counter() - s0)
            for k in range(1, n_stages):
                step = ctx.stages[k].corpus_in
                assert step is not None
                decision_path = out.stage_dir(k - 1) / "decision.pkl"
                todo = [
                    t for t in tasks if not ctx.stage_done(k, t.name) and t.index not in finished
                ]
                if todo and not decision_path.exists():
                    r0 = time.perf_counter()
                    keys = [ctx.keys_path(k - 1, t.name) for t in tasks if t.index not in finished]
                    decision = resolve_stage(
                        step, keys, out.stage_dir(k - 1) / "spill", opts.memory_limit
                    )
                    atomic_write_bytes(
                        decision_path, pickle.dumps(decision, protocol=pickle.HIGHEST_PROTOCOL)
                    )
                    resolve_seconds[step.name] = time.perf_counter() - r0
                progress.stage(f"stage {k + 1}", len(todo))
                s0 = time.perf_counter()
                self._run_tasks(pool, k, todo, progress)
                stage_seconds.append(time.perf_counter() - s0)
        finally:
            progress.close()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

        parts = [t.name for t in sorted(tasks, key=lambda t: t.index)]
        return finish_run(
            out,
            parts,
            executor="local",
            workers=opts.n_workers,
            seconds=time.perf_counter() - t0,
            resolve_seconds=resolve_seconds,
            stage_seconds=stage_seconds,
        )

    def _run_tasks(
        self,
        pool: ProcessPoolExecutor | None,
        stage: int,
        tasks: Iterable[Task],
        progress: Progress,
    ) -> None:
        if pool is None:
            for task in tasks:
                _, docs, nbytes = run_in_process(stage, task)
                progress.update(docs, nbytes)
            return
        window = 2 * self.opts.n_workers
        pending: set[Future[tuple[int, int, int]]] = set()

        def drain(block_until: Callable[[int], bool]) -> None:
            nonlocal pending
            while pending and block_until(len(pending)):
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    _, docs, nbytes = fut.result()  # re-raises a worker's error here
                    progress.update(docs, nbytes)

        for task in tasks:
            drain(lambda n: n >= window)
            pending.add(pool.submit(run_in_process, stage, task))
        drain(lambda n: n > 0)
