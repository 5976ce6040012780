"""What a worker does with one task in one stage; shared by every executor.

A pipeline is cut at its corpus steps into stages::

    stage 0: read -> map steps ... -> signature(C1)       -> spool
    stage 1: spool -> apply(C1) -> map steps ... -> signature(C2) -> spool
    ...
    last:    spool -> apply(Cn) -> map steps ...          -> kept/ removed/

Between stages the executor resolves the corpus step from every task's keys.
Documents travel between stages in a spool file (pickle + zstd, our own
temporary format); removed documents travel too, so the last stage writes
every record of a task to ``kept/`` or ``removed/`` and its accounting adds up.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thresher.document import Document
from thresher.errors import InputError, StepError
from thresher.steps.base import CorpusStep, MapStep, Step


@dataclass(slots=True)
class Stage:
    index: int
    corpus_in: CorpusStep | None  # applied first (its decision was resolved before)
    maps: list[MapStep]
    corpus_out: CorpusStep | None  # its signature is computed last


def plan_stages(steps: list[Step]) -> list[Stage]:
    stages: list[Stage] = []
    current = Stage(0, None, [], None)
    for step in steps:
        if isinstance(step, CorpusStep):
            current.corpus_out = step
            stages.append(current)
            current = Stage(len(stages), step, [], None)
        elif isinstance(step, MapStep):
            current.maps.append(step)
        else:
            raise TypeError(f"{step!r} is neither a MapStep nor a CorpusStep")
    stages.append(current)
    return stages


@dataclass(slots=True)
class TaskStats:
    """Counts of one task; summed over tasks into ``stats.json``."""

    input: int = 0
    bytes: int = 0
    kept: int = 0
    errors: int = 0
    removed: dict[str, dict[str, int]] = field(default_factory=dict)
    steps: dict[str, dict[str, float]] = field(default_factory=dict)

    def step(self, name: str, seconds: float, n_in: int, n_out: int) -> None:
        s = self.steps.setdefault(name, {"seconds": 0.0, "in": 0, "out": 0})
        s["seconds"] += seconds
        s["in"] += n_in
        s["out"] += n_out

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "bytes": self.bytes,
            "kept": self.kept,
            "removed": self.removed,
            "errors": self.errors,
            "steps": self.steps,
        }


def _alive(docs: list[Document]) -> int:
    return sum(1 for d in docs if d.removed is None)


def _error_of(doc: Document, step: str, exc: BaseException) -> dict[str, Any]:
    rec: dict[str, Any] = {"source": doc.source}
    if doc.line is not None:
        rec["line"] = doc.line
    else:
        rec["offset"] = doc.ordinal & 0xFFFFFFFF
    rec["id"] = doc.id
    rec["error"] = f"step {step!r} failed: {type(exc).__name__}: {exc}"
    return rec


def run_map_steps(
    maps: list[MapStep],
    docs: list[Document],
    stats: TaskStats,
    errors: list[dict[str, Any]],
    *,
    batch_size: int,
    strict: bool,
) -> list[Document]:
    """Run map steps over ``docs`` in batches; documents a step crashes on go to errors."""
    failed: set[int] = set()
    for step in maps:
        t0 = time.perf_counter()
        n_in = _alive(docs)
        for i in range(0, len(docs), batch_size):
            batch = [d for d in docs[i : i + batch_size] if id(d) not in failed]
            try:
                step.process_batch(batch)
            except Exception as exc:
                if strict:
                    bad = batch[0] if len(batch) == 1 else None
                    raise StepError(step.name, bad.id if bad else "(batch)", str(exc)) from exc
                # Find the culprits one document at a time; the rest carry on.
                for doc in batch:
                    if doc.removed is not None:
                        continue
                    try:
                        step.process_batch([doc])
                    except Exception as exc1:
                        failed.add(id(doc))
                        errors.append(_error_of(doc, step.name, exc1))
        stats.step(
            step.name,
            time.perf_counter() - t0,
            n_in,
            _alive([d for d in docs if id(d) not in failed]),
        )
    if failed:
        docs = [d for d in docs if id(d) not in failed]
    return docs


def apply_corpus(step: CorpusStep, decision: Any, docs: list[Document], stats: TaskStats) -> None:
    t0 = time.perf_counter()
    n_in = _alive(docs)
    for doc in docs:
        if doc.removed is None:
            step.apply(doc, decision)
    stats.step(step.name, time.perf_counter() - t0, n_in, _alive(docs))


def signatures(step: CorpusStep, docs: list[Document], stats: TaskStats) -> dict[str, np.ndarray]:
    """Every (key, ordinal) pair and (ordinal, value) pair of the live documents."""
    t0 = time.perf_counter()
    keys: list[np.ndarray] = []
    ords: list[np.ndarray] = []
    vord: list[int] = []
    vals: list[float] = []
    for doc in docs:
        if doc.removed is not None:
            continue
        k = np.asarray(step.signature(doc), dtype=np.uint64)
        if len(k):
            keys.append(k)
            ords.append(np.full(len(k), doc.ordinal, dtype=np.int64))
        # Every live document is listed (NaN when the step has no value), so
        # resolve can see the documents that emitted no key too.
        v = step.value(doc)
        vord.append(doc.ordinal)
        vals.append(float("nan") if v is None else float(v))
    stats.step(step.name, time.perf_counter() - t0, 0, 0)
    return {
        "keys": np.concatenate(keys) if keys else np.zeros(0, np.uint64),
        "ordinals": np.concatenate(ords) if ords else np.zeros(0, np.int64),
        "value_ordinals": np.asarray(vord, dtype=np.int64),
        "values": np.asarray(vals, dtype=np.float64),
    }


def finish(
    docs: list[Document], stats: TaskStats, *, keep_zones: bool, keep_edits: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    kept: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for doc in docs:
        rec = doc.to_record(keep_zones=keep_zones, keep_edits=keep_edits)
        if doc.removed is None:
            kept.append(rec)
        else:
            removed.append(rec)
            by_step = stats.removed.setdefault(doc.removed["step"], {})
            by_step[doc.removed["reason"]] = by_step.get(doc.removed["reason"], 0) + 1
    stats.kept = len(kept)
    return kept, removed


def read_docs(task: Any, opts: Any) -> tuple[list[Document], TaskStats, list[dict[str, Any]]]:
    """Stage 0's input: the task's documents, its stats and its unreadable records."""
    from thresher.io.readers import ReadOptions, RecordSink, read_task

    stats = TaskStats(bytes=task.nbytes)
    sink = RecordSink(opts.strict)
    docs = list(read_task(task, ReadOptions(opts.text_field, opts.id_field, opts.strict), sink))
    stats.input = len(docs) + len(sink.errors)
    return docs, stats, sink.errors


def resume_docs(
    stage: Stage, spool: bytes, decision: Any
) -> tuple[list[Document], TaskStats, list[dict[str, Any]]]:
    """A later stage's input: the previous stage's spool, with the corpus decision applied."""
    docs, stats, errors = load_spool(spool)
    assert stage.corpus_in is not None
    apply_corpus(stage.corpus_in, decision, docs, stats)
    return docs, stats, errors


def write_final(
    out: Any,
    part: str,
    docs: list[Document],
    stats: TaskStats,
    errors: list[dict[str, Any]],
    opts: Any,
) -> None:
    """The last stage's output: kept and removed shards, then the done record."""
    from thresher.io.writers import write_shard

    kept, removed = finish(docs, stats, keep_zones=opts.keep_zones, keep_edits=opts.keep_edits)
    kept_path, removed_path = out.shard_paths(part, opts.format)
    write_shard(kept_path, kept, opts.format)
    write_shard(removed_path, removed, opts.format)
    out.write_done(part, stats.to_dict(), errors)


def finish_run(
    out: Any,
    parts: list[str],
    *,
    executor: str,
    workers: int,
    seconds: float,
    resolve_seconds: dict[str, float],
    stage_seconds: list[float] | None = None,
) -> dict[str, Any]:
    """Sum the tasks' stats, check ``input == kept + removed + errors``, write
    ``errors.jsonl`` and ``stats.json``, drop the spools; returns the stats."""
    from thresher._version import __version__
    from thresher.report.stats import check_invariant, merge_stats

    task_stats, errors = out.collect(parts)
    stats = merge_stats(task_stats)
    for name, secs in resolve_seconds.items():
        stats["steps"].setdefault(name, {"seconds": 0.0, "in": 0, "out": 0})["seconds"] += round(
            secs, 4
        )
    if stage_seconds is not None:
        # Wall time of each stage (the map work between two corpus steps) and of
        # each resolve (one process): where a run waits.
        stats["stages"] = [round(x, 3) for x in stage_seconds]
    stats["resolve"] = {k: round(v, 3) for k, v in resolve_seconds.items()}
    stats.update(
        {
            "seconds": round(seconds, 3),
            "workers": workers,
            "executor": executor,
            "shards": len(parts),
            "thresher": __version__,
        }
    )
    check_invariant(stats)
    out.write_errors(errors)
    out.write_stats(stats)
    out.clean_work()
    return stats


def dump_spool(docs: list[Document], stats: TaskStats, errors: list[dict[str, Any]]) -> bytes:
    import zstandard

    raw = pickle.dumps((docs, stats, errors), protocol=pickle.HIGHEST_PROTOCOL)
    return zstandard.ZstdCompressor(level=1).compress(raw)


def load_spool(data: bytes) -> tuple[list[Document], TaskStats, list[dict[str, Any]]]:
    import zstandard

    docs, stats, errors = pickle.loads(zstandard.ZstdDecompressor().decompress(data))
    return docs, stats, errors


__all__ = [
    "InputError",
    "Stage",
    "TaskStats",
    "apply_corpus",
    "dump_spool",
    "finish",
    "load_spool",
    "plan_stages",
    "run_map_steps",
    "signatures",
]
