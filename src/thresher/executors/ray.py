"""The Ray executor: the local executor's stages on a Ray cluster, with Ray Data.

The work is cut exactly as the local executor cuts it: tasks from
:func:`~thresher.io.inputs.iter_tasks` (one output shard each, numbered the
same way) and stages from :func:`~thresher.executors.stages.plan_stages`. Per
stage::

    tasks (object store) --map_batches(_run_stage, one task row per call)
        last stage:  write kept/ removed/ shards + the task's done record
        otherwise:   a row per task: the spool (documents, stats, errors) and the
                     corpus step's (key, ordinal) and (ordinal, value) lists
                     -> materialize (the object store spills to disk when full)
    keys  --map_batches(explode)--> (key, ordinal) rows --sort("key")--> the driver
          streams the sorted batches into KeyGroups chunks (a key never spans two),
          calls resolve, and puts the decision in the object store
    next stage applies it (map_batches again) to the spools

Document ordinals (task index << 32 | record index) decide "first occurrence
wins", so the output equals the local executor's record for record. Every
task is one Ray Data row processed in one call of a Ray task: when a worker
process dies Ray runs the task again elsewhere, and a retried task rewrites the
same files (atomically), so nothing is lost or written twice. The stages run
as Ray tasks, not actor pools: a worker process keeps its stage's set-up steps
between calls (``setup()`` once per process, as locally) and Ray reuses the
processes from stage to stage, where a new actor pool per stage costs seconds.

The driver (the process that calls ``run``) enumerates the tasks, as the local
main process does (compressed inputs are streamed and their chunks put into
the object store), resolves the corpus steps and writes ``stats.json``. Input
and output paths must mean the same on every node (shared storage): workers
read inputs and write shards themselves; see docs/ray.md.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thresher.errors import ConfigError, ThresherError
from thresher.executors.local import manifest_of
from thresher.executors.options import RunOptions
from thresher.executors.stages import (
    Stage,
    TaskStats,
    dump_spool,
    finish_run,
    plan_stages,
    read_docs,
    resume_docs,
    run_map_steps,
    signatures,
    write_final,
)
from thresher.io.inputs import Task, expand_inputs, iter_tasks
from thresher.io.output import OutputDir
from thresher.io.writers import atomic_write_bytes
from thresher.report.progress import Progress
from thresher.steps.base import CorpusStep, KeyGroups, Step

log = logging.getLogger(__name__)

INSTALL_HINT = "the Ray executor needs Ray: pip install 'thresher[ray]'"
#: Seconds to wait for a TCP connection to ``--ray-address`` before giving up.
CONNECT_TIMEOUT = 10.0
_DEFAULT_PORT = 6379  # ray start --head's GCS port


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # the Data library is the [data] extra
    except ImportError as exc:
        raise ConfigError(INSTALL_HINT) from exc
    return ray


# -- connecting ------------------------------------------------------------------------


def _host_port(address: str) -> tuple[str, int] | None:
    """``(host, port)`` to probe for ``address``; None for ``auto`` (Ray finds it)."""
    addr = address.strip()
    if addr in ("auto", "local", ""):
        return None
    if "://" in addr:
        addr = addr.split("://", 1)[1]
    addr = addr.split("/", 1)[0]
    host, sep, port = addr.rpartition(":")
    if not sep:
        return addr, _DEFAULT_PORT
    if not port.isdigit():
        raise ConfigError(f"--ray-address {address!r} is not HOST:PORT (e.g. 10.0.0.1:6379)")
    return host.strip("[]"), int(port)


def _unreachable(address: str, why: str) -> ConfigError:
    return ConfigError(
        f"can't reach a Ray cluster at {address} ({why}); start one with `ray start --head` "
        "on the head node (and `ray start --address HEAD:6379` on the others), or leave out "
        "--ray-address to start a local Ray"
    )


def check_address(address: str) -> None:
    """Fail in seconds, with the fix, when nothing listens at ``address``
    (``ray.init`` itself retries for about a minute)."""
    hp = _host_port(address)
    if hp is None:
        return
    try:
        socket.create_connection(hp, timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise _unreachable(address, exc.strerror or str(exc)) from exc


def connect(opts: RunOptions) -> bool:
    """Connect to ``opts.ray_address``, or start a local Ray; True when we did either
    (and so must ``ray.shutdown()``), False when this process was already connected."""
    ray = _import_ray()
    if ray.is_initialized():
        return False
    quiet = {"logging_level": logging.WARNING, "configure_logging": True}
    if opts.ray_address:
        check_address(opts.ray_address)
        try:
            ray.init(address=opts.ray_address, **quiet)
        except (ConnectionError, TimeoutError, RuntimeError, ValueError) as exc:
            raise _unreachable(opts.ray_address, str(exc).splitlines()[0]) from exc
        return True
    ray.init(
        num_cpus=opts.n_workers,
        include_dashboard=False,
        object_store_memory=opts.ray_object_store_memory,
        **quiet,
    )
    return True


# -- the worker side ---------------------------------------------------------------------


def _enter(cwd: str) -> None:
    # Input paths are as the user gave them (relative ones too: they appear in
    # errors.jsonl exactly as the local executor writes them).
    if os.path.isdir(cwd) and os.getcwd() != cwd:
        os.chdir(cwd)


def _scan_warc(cwd: str, path: str, chunk_bytes: int) -> list[Any]:
    """``warc_ranges`` of one file, run as a Ray task: reading every record of
    a crawl to find where to cut it would otherwise keep the driver's one core
    busy while the cluster waits."""
    from thresher.io.warc import warc_ranges

    _enter(cwd)
    return list(warc_ranges(path, chunk_bytes))


def _list_array(arrays: list[np.ndarray], dtype: Any) -> Any:
    """A pyarrow large_list column with one list per numpy array."""
    import pyarrow as pa

    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(a) for a in arrays])
    flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype)
    return pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(flat.astype(dtype)))


class _StageWorker:
    """A stage in one worker process: steps set up once, then task rows in, rows out."""

    def __init__(
        self, payload: bytes, stage_index: int, decision: Any, want_keys: bool, cwd: str
    ) -> None:
        import ray

        _enter(cwd)
        steps, self.opts, out_root = pickle.loads(payload)
        stages = plan_stages(steps)
        self.stage: Stage = stages[stage_index]
        self.last = stage_index == len(stages) - 1
        self.want_keys = want_keys
        self.out = OutputDir(out_root)
        for step in (self.stage.corpus_in, *self.stage.maps, self.stage.corpus_out):
            if step is not None:
                step.setup()
        if isinstance(decision, ray.ObjectRef):
            decision = ray.get(decision)
        self.decision = decision

    def _load(self, batch: Any, i: int) -> tuple[list[Any], TaskStats, list[dict[str, Any]]]:
        if self.stage.index == 0:
            return read_docs(pickle.loads(batch["task"][i].as_py()), self.opts)
        return resume_docs(self.stage, batch["spool"][i].as_py(), self.decision)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        opts = self.opts
        cols: dict[str, list[Any]] = {
            k: [] for k in ("index", "input", "bytes", "spool", "keys", "ords", "vords", "vals")
        }
        for i in range(batch.num_rows):
            index = batch["index"][i].as_py()
            docs, stats, errors = self._load(batch, i)
            docs = run_map_steps(
                self.stage.maps, docs, stats, errors, batch_size=opts.batch_size, strict=opts.strict
            )
            stats.errors = len(errors)
            cols["index"].append(index)
            cols["input"].append(stats.input)
            cols["bytes"].append(stats.bytes)
            if self.last:
                write_final(self.out, f"part-{index:05d}", docs, stats, errors, opts)
                continue
            if self.want_keys:
                assert self.stage.corpus_out is not None
                sig = signatures(self.stage.corpus_out, docs, stats)
                cols["keys"].append(sig["keys"])
                cols["ords"].append(sig["ordinals"])
                cols["vords"].append(sig["value_ordinals"])
                cols["vals"].append(sig["values"])
            cols["spool"].append(dump_spool(docs, stats, errors))
        table: dict[str, Any] = {
            "index": pa.array(cols["index"], pa.int64()),
            "input": pa.array(cols["input"], pa.int64()),
            "bytes": pa.array(cols["bytes"], pa.int64()),
        }
        if not self.last:
            table["spool"] = pa.array(cols["spool"], pa.large_binary())
            if self.want_keys:
                table["keys"] = _list_array(cols["keys"], np.uint64)
                table["ords"] = _list_array(cols["ords"], np.int64)
                table["vords"] = _list_array(cols["vords"], np.int64)
                table["vals"] = _list_array(cols["vals"], np.float64)
        return pa.table(table)


#: This process's stage worker: (run payload digest, stage, decision) -> worker.
_WORKERS: dict[tuple[bytes, int, str], _StageWorker] = {}


def _run_stage(
    batch: Any, *, payload: bytes, stage_index: int, decision: Any, want_keys: bool, cwd: str
) -> Any:
    """Run one stage on a batch of task rows (a Ray Data task).

    The stage's worker -- steps unpickled and set up, decision fetched -- is built
    on a process's first call and kept for the next ones, so ``setup()`` runs once
    per worker process, as in the local executor; and Ray reuses its worker
    processes from stage to stage, where an actor pool per stage would start new
    ones each time (seconds per stage).
    """
    import hashlib

    import ray

    ref = decision.hex() if isinstance(decision, ray.ObjectRef) else ""
    key = (hashlib.blake2b(payload, digest_size=16).digest(), stage_index, ref)
    worker = _WORKERS.get(key)
    if worker is None:
        _WORKERS.clear()  # a process keeps one stage's worker, no more
        worker = _WORKERS[key] = _StageWorker(payload, stage_index, decision, want_keys, cwd)
    return worker(batch)


def _explode_pairs(batch: Any) -> Any:
    """Per-task key lists -> one (key, ordinal) row per key."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pa.table(
        {"key": pc.list_flatten(batch["keys"]), "ordinal": pc.list_flatten(batch["ords"])}
    )


def _explode_values(batch: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pa.table(
        {"ordinal": pc.list_flatten(batch["vords"]), "value": pc.list_flatten(batch["vals"])}
    )


# -- the driver side ---------------------------------------------------------------------


class SortedChunks:
    """Re-iterable ``(keys, ordinals)`` chunks of a dataset sorted by key.

    A key's run is held back until the next batch shows it is complete, so a key
    never spans two chunks; within a chunk, pairs are ordered by (key, ordinal).
    """

    def __init__(self, batches: Any, rows: int) -> None:
        self._batches = batches  # callable: () -> iterator of {"key", "ordinal"} numpy
        self._rows = rows

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        carry_k = np.zeros(0, np.uint64)
        carry_o = np.zeros(0, np.int64)
        last: int | None = None
        for batch in self._batches(self._rows):
            k = np.asarray(batch["key"], dtype=np.uint64)
            o = np.asarray(batch["ordinal"], dtype=np.int64)
            if len(k) == 0:
                continue
            if (last is not None and int(k[0]) < last) or bool(np.any(k[1:] < k[:-1])):
                raise RuntimeError("the Ray shuffle returned keys out of order (a thresher bug)")
            last = int(k[-1])
            if len(carry_k):
                k = np.concatenate((carry_k, k))
                o = np.concatenate((carry_o, o))
            cut = int(np.searchsorted(k, k[-1], side="left"))
            if cut:
                yield _by_key_ordinal(k[:cut], o[:cut])
            carry_k, carry_o = k[cut:], o[cut:]
        if len(carry_k):
            yield _by_key_ordinal(carry_k, carry_o)


def _by_key_ordinal(k: np.ndarray, o: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((o, k))
    return k[order], o[order]


def _user_error(exc: BaseException) -> BaseException | None:
    """The thresher error (InputError in strict mode, StepError, ...) a Ray error wraps,
    as the worker raised it (Ray's wrapper class carries the remote traceback)."""
    import ray.exceptions

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ThresherError) and not isinstance(e, ray.exceptions.RayError):
            return e
        todo += [e.__cause__, e.__context__, getattr(e, "cause", None)]
    return None


def _overrides_value(step: CorpusStep) -> bool:
    return type(step).value is not CorpusStep.value


@dataclass(slots=True)
class _RayRun:
    """What one run carries from stage to stage."""

    payload: bytes
    workers: int
    cwd: str
    decision: Any = None  # ObjectRef of the decision the next stage applies


class RayExecutor:
    """Run a pipeline on Ray Data: a local Ray (``workers`` CPUs) or ``ray_address``."""

    def __init__(self, steps: list[Step], opts: RunOptions) -> None:
        self.steps = steps
        self.opts = opts

    def run(self, inputs: list[str], out_root: str) -> dict[str, Any]:
        ray = _import_ray()
        opts = self.opts
        files = expand_inputs(inputs)
        stages = plan_stages(self.steps)
        out = OutputDir(Path(out_root).resolve())
        try:
            payload = ray.cloudpickle.dumps((self.steps, opts, str(out.root)))
        except Exception as exc:
            raise ConfigError(f"the pipeline's steps can't be sent to Ray workers: {exc}") from exc
        started = connect(opts)
        try:
            out.prepare(manifest_of(self.steps, files, opts), overwrite=opts.overwrite)
            with _quiet_data(opts):
                try:
                    return self._run(ray, files, stages, out, payload)
                except Exception as exc:
                    user = _user_error(exc)
                    if user is None or user is exc:
                        raise
                    raise user from exc
        finally:
            if started:
                ray.shutdown()

    def _pool_size(self, ray: Any) -> int:
        opts = self.opts
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        n = max(1, int(cpus // opts.ray_cpus_per_task))
        return min(n, opts.workers) if opts.workers else n

    def _run(
        self, ray: Any, files: list[Any], stages: list[Stage], out: OutputDir, payload: bytes
    ) -> dict[str, Any]:
        opts = self.opts
        t0 = time.perf_counter()
        progress = Progress(enabled=opts.progress)
        finished = out.finished_parts()
        run = _RayRun(payload, self._pool_size(ray), os.getcwd())

        # Tasks, numbered as the local executor numbers them; compressed chunks go
        # to the object store as they are read, so the driver holds descriptors only.
        import pyarrow as pa

        tasks: list[Task] = []
        refs = []
        # WARC files are scanned for their cut points on the cluster, all at
        # once; the tasks are still made in file order, as the local executor
        # makes them (each file's scan is awaited when its turn comes).
        scan_task = ray.remote(num_cpus=1)(_scan_warc)
        scans = {
            f.path: scan_task.remote(run.cwd, f.path, opts.chunk_bytes)
            for f in files
            if f.fmt == "warc"
        }

        def warc_scan(path: str, _chunk_bytes: int) -> list[Any]:
            return list(ray.get(scans.pop(path)))

        for task in iter_tasks(
            files, chunk_bytes=opts.chunk_bytes, skip=finished, warc_scan=warc_scan
        ):
            tasks.append(Task(task.index, task.kind, task.source, task.rel, nbytes=task.nbytes))
            if task.index not in finished:
                row = {
                    "index": [task.index],
                    "task": pa.array([pickle.dumps(task)], pa.large_binary()),
                }
                refs.append(ray.put(pa.table(row)))
        resolve_seconds: dict[str, float] = {}
        if refs:
            n_tasks = len(refs)
            ds = ray.data.from_arrow_refs(refs)
            del refs  # the dataset holds them, until the next stage's replaces it
            for k in range(len(stages)):
                ds = self._stage(ray, ds, k, stages, out, run, n_tasks, progress, resolve_seconds)
        progress.close()

        parts = [t.name for t in sorted(tasks, key=lambda t: t.index)]
        missing = [p for p in parts if not out.done_path(p).exists()]
        if missing:
            raise RuntimeError(
                f"the Ray run ended with {len(missing)} task(s) unfinished ({', '.join(missing[:5])}); "
                "run the same command again to finish them"
            )
        return finish_run(
            out,
            parts,
            executor="ray",
            workers=run.workers,
            seconds=time.perf_counter() - t0,
            resolve_seconds=resolve_seconds,
        )

    def _stage(
        self,
        ray: Any,
        ds: Any,
        k: int,
        stages: list[Stage],
        out: OutputDir,
        run: _RayRun,
        n_tasks: int,
        progress: Progress,
        resolve_seconds: dict[str, float],
    ) -> Any:
        """Run stage ``k`` over ``ds``; returns the dataset the next stage reads."""
        stage = stages[k]
        last = k == len(stages) - 1
        decision_path = out.stage_dir(k) / "decision.pkl"
        want_keys = not last and not decision_path.exists()
        kwargs = {
            "payload": run.payload,
            "stage_index": k,
            "decision": run.decision if k else None,
            "want_keys": want_keys,
            "cwd": run.cwd,
        }
        mapped = ds.map_batches(
            _run_stage,
            fn_kwargs=kwargs,
            batch_size=1,
            batch_format="pyarrow",
            num_cpus=self.opts.ray_cpus_per_task,
            concurrency=max(1, min(run.workers, n_tasks)),
        )
        t_stage = time.perf_counter()
        label = "read" if len(stages) == 1 else f"stage {k + 1}"
        progress.stage(label, n_tasks)
        if last:
            for batch in mapped.iter_batches(batch_size=None, batch_format="pyarrow"):
                for n_in, nbytes in zip(
                    batch["input"].to_pylist(), batch["bytes"].to_pylist(), strict=True
                ):
                    progress.update(n_in, nbytes)
            log.debug("stage %d: map+write %.2fs", k, time.perf_counter() - t_stage)
            return None
        spools = mapped.materialize()
        if spools.count() != n_tasks:  # one row per task, exactly: a retry must not add one
            raise RuntimeError(
                f"stage {k + 1} returned {spools.count()} rows for {n_tasks} tasks (a thresher bug)"
            )
        log.debug("stage %d: map %.2fs", k, time.perf_counter() - t_stage)
        step = stage.corpus_out
        assert step is not None
        if want_keys:
            r0 = time.perf_counter()
            value = self._decide(step, spools, out.stage_dir(k))
            atomic_write_bytes(decision_path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            resolve_seconds[step.name] = time.perf_counter() - r0
        else:
            value = pickle.loads(decision_path.read_bytes())
        run.decision = ray.put(value)
        return spools.select_columns(["index", "spool"])

    def _decide(self, step: CorpusStep, spools: Any, workdir: Path) -> Any:
        """Shuffle the stage's keys with Ray Data, stream them to ``step.resolve``."""
        pairs = spools.map_batches(
            _explode_pairs, batch_size=self._tasks_per_block(), batch_format="pyarrow"
        )
        t = time.perf_counter()
        sorted_pairs = pairs.sort("key").materialize()
        log.debug("%s: sort %.2fs", step.name, time.perf_counter() - t)
        rows = max(1 << 16, self.opts.memory_limit // 64)

        def batches(n: int) -> Iterator[dict[str, np.ndarray]]:
            return sorted_pairs.iter_batches(batch_size=n, batch_format="numpy")

        values = None
        if _overrides_value(step):
            t = time.perf_counter()
            values = self._values(spools, workdir)
            log.debug("%s: values %.2fs", step.name, time.perf_counter() - t)
        step.setup()
        t = time.perf_counter()
        groups = KeyGroups(SortedChunks(batches, rows), values)
        groups.workdir = str(workdir)
        decision = step.resolve(groups)
        log.debug("%s: resolve %.2fs", step.name, time.perf_counter() - t)
        return decision

    def _tasks_per_block(self) -> int:
        """Tasks whose keys make one block of the shuffle: about 64 MiB of pairs,
        guessing a pair (16 bytes) per 64 input bytes. Fewer, larger blocks mean
        fewer shuffle partitions, and Ray's cost per partition is what small runs pay."""
        return max(1, (64 << 20) // max(1, self.opts.chunk_bytes // 4))

    def _values(self, spools: Any, workdir: Path) -> tuple[np.ndarray, np.ndarray] | None:
        """Every (ordinal, value) pair, sorted by ordinal, memory-mapped from ``workdir``.

        Tasks come back in order (``preserve_order``) and each task's ordinals are
        ascending, so the pairs are streamed to disk already sorted; should they not
        be, they are sorted in memory (16 bytes a document).
        """
        rows = spools.map_batches(
            _explode_values, batch_size=self._tasks_per_block(), batch_format="pyarrow"
        )
        paths = workdir / "values.ords", workdir / "values.vals"
        n, last, in_order = 0, -1, True
        with paths[0].open("wb") as fo, paths[1].open("wb") as fv:
            for batch in rows.iter_batches(batch_size=None, batch_format="numpy"):
                o = np.asarray(batch["ordinal"], dtype=np.int64)
                if not len(o):
                    continue
                in_order = in_order and int(o[0]) > last and bool(np.all(o[1:] > o[:-1]))
                last = int(o[-1])
                fo.write(o.tobytes())
                fv.write(np.asarray(batch["value"], dtype=np.float64).tobytes())
                n += len(o)
        if n == 0:
            return None
        o = np.memmap(paths[0], dtype=np.int64, mode="r", shape=(n,))
        v = np.memmap(paths[1], dtype=np.float64, mode="r", shape=(n,))
        if in_order:
            return o, v
        log.debug("values came back out of order; sorting %d in memory", n)
        order = np.argsort(o, kind="stable")
        return o[order], v[order]


class _quiet_data:
    """Ray Data settings for one run: its progress bars only when ours are on, no
    INFO log lines per dataset, blocks in order (the sorted keys are read in order),
    a worker's InputError / StepError raised as itself, and the pull-based sort
    unless RAY_DATA_DEFAULT_SHUFFLE_STRATEGY says otherwise (the default sort runs
    its map tasks in workers of their own and pays for starting them: about 10 s
    a sort on 2 cores)."""

    def __init__(self, opts: RunOptions) -> None:
        self.opts = opts
        self.saved: dict[str, Any] = {}

    def __enter__(self) -> None:
        import ray.data

        self.ctx = ctx = ray.data.DataContext.get_current()
        show = self.opts.progress if self.opts.progress is not None else os.isatty(2)
        settings: dict[str, Any] = {
            "enable_progress_bars": bool(show),
            "raise_original_map_exception": True,
        }
        if "RAY_DATA_DEFAULT_SHUFFLE_STRATEGY" not in os.environ:
            settings["shuffle_strategy"] = "sort_shuffle_pull_based"
        for name, value in settings.items():
            if hasattr(ctx, name):  # settings differ between Ray versions
                self.saved[name] = getattr(ctx, name)
                setattr(ctx, name, value)
        self.order = ctx.execution_options.preserve_order
        ctx.execution_options.preserve_order = True
        self.logger = logging.getLogger("ray.data")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        for name, value in self.saved.items():
            setattr(self.ctx, name, value)
        self.ctx.execution_options.preserve_order = self.order
        self.logger.setLevel(self.level)
