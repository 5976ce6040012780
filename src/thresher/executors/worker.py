"""The per-process side of an executor: one task through one stage."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from thresher.executors.options import RunOptions
from thresher.executors.stages import (
    Stage,
    dump_spool,
    plan_stages,
    read_docs,
    resume_docs,
    run_map_steps,
    signatures,
    write_final,
)
from thresher.io.inputs import Task
from thresher.io.output import OutputDir
from thresher.io.writers import atomic_write_bytes
from thresher.steps.base import Step


class WorkerContext:
    """Steps (set up once per process), options and the output folder."""

    def __init__(self, steps: list[Step], opts: RunOptions, out_root: str) -> None:
        self.stages: list[Stage] = plan_stages(steps)
        self.opts = opts
        self.out = OutputDir(out_root)
        self._ready: set[int] = set()
        self._decisions: dict[int, Any] = {}

    @classmethod
    def from_bytes(cls, payload: bytes) -> WorkerContext:
        steps, opts, out_root = pickle.loads(payload)
        return cls(steps, opts, out_root)

    def _setup(self, stage: Stage) -> None:
        if stage.index in self._ready:
            return
        for step in [stage.corpus_in, *stage.maps, stage.corpus_out]:
            if step is not None:
                step.setup()
        self._ready.add(stage.index)

    def decision(self, stage_index: int) -> Any:
        if stage_index not in self._decisions:
            path = self.out.stage_dir(stage_index - 1) / "decision.pkl"
            self._decisions = {stage_index: pickle.loads(path.read_bytes())}
        return self._decisions[stage_index]

    def spool_path(self, stage_index: int, part: str) -> Path:
        return self.out.stage_dir(stage_index) / f"{part}.spool"

    def keys_path(self, stage_index: int, part: str) -> Path:
        return self.out.stage_dir(stage_index) / f"{part}.keys.npz"

    def stage_done(self, stage_index: int, part: str) -> bool:
        if stage_index == len(self.stages) - 1:
            return self.out.done_path(part).exists()
        return self.spool_path(stage_index, part).exists()

    def run(self, stage_index: int, task: Task) -> tuple[int, int, int]:
        """Process one task in one stage; returns (task index, documents, input bytes)."""
        stage = self.stages[stage_index]
        opts = self.opts
        self._setup(stage)
        if stage_index == 0:
            docs, stats, errors = read_docs(task, opts)
        else:
            spool = self.spool_path(stage_index - 1, task.name).read_bytes()
            docs, stats, errors = resume_docs(stage, spool, self.decision(stage_index))
        docs = run_map_steps(
            stage.maps, docs, stats, errors, batch_size=opts.batch_size, strict=opts.strict
        )
        stats.errors = len(errors)
        if stage.corpus_out is not None:
            sig = signatures(stage.corpus_out, docs, stats)
            buf = io.BytesIO()
            np.savez(buf, **sig)  # type: ignore[arg-type]
            atomic_write_bytes(self.keys_path(stage_index, task.name), buf.getvalue())
            atomic_write_bytes(
                self.spool_path(stage_index, task.name), dump_spool(docs, stats, errors)
            )
        else:
            write_final(self.out, task.name, docs, stats, errors, opts)
        return task.index, stats.input, stats.bytes


_CONTEXT: WorkerContext | None = None


def init_process(payload: bytes) -> None:
    global _CONTEXT
    _CONTEXT = WorkerContext.from_bytes(payload)


def run_in_process(stage_index: int, task: Task) -> tuple[int, int, int]:
    assert _CONTEXT is not None, "init_process was not called"
    return _CONTEXT.run(stage_index, task)
