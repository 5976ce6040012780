"""A spill-to-disk group-by for corpus steps: (key, ordinal) pairs in, sorted groups out.

The local executor feeds every ``CorpusStep.signature`` key with its document's
ordinal to :class:`KeySpill`, then hands ``KeySpill.groups()`` to ``resolve``::

    with KeySpill(workdir, memory_limit_bytes=512 << 20) as spill:
        for keys, ordinals in batches:          # from the workers
            spill.add(keys, ordinals)
        for ordinals, values in value_batches:  # CorpusStep.value(), if any
            spill.add_values(ordinals, values)
        decision = step.resolve(spill.groups())

Pairs are buffered in memory; when the buffer passes its share of the limit it
is sorted (by key, then ordinal) and written as one *run* (two ``.npy`` files).
``groups()`` k-way merges the runs in fixed-size read blocks, so the merge holds
about ``#runs x block`` pairs at a time: the corpus is bounded by disk, not by
memory. A key never spans two chunks (one group must fit in memory, which it
does unless a single key has hundreds of millions of members).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from thresher.steps.base import KeyGroups

_PAIR_BYTES = 16  # uint64 key + int64 ordinal
_MIN_BLOCK = 256  # pairs per read block (and per buffer), at least


class _Run:
    """A sorted run on disk: ``keys.npy`` and ``ords.npy`` of equal length, read in blocks."""

    def __init__(self, key_path: Path, ord_path: Path) -> None:
        self.key_path = key_path
        self.ord_path = ord_path
        self.length = _npy_length(key_path)

    def reader(self, block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        with self.key_path.open("rb") as kf, self.ord_path.open("rb") as of:
            _skip_header(kf)
            _skip_header(of)
            left = self.length
            while left > 0:
                n = min(block, left)
                keys = np.fromfile(kf, dtype=np.uint64, count=n)
                ords = np.fromfile(of, dtype=np.int64, count=n)
                left -= n
                yield keys, ords


def _skip_header(f: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(f)
    return np.lib.format.read_array_header_2_0(f)


def _npy_length(path: Path) -> int:
    with path.open("rb") as f:
        shape, _, _ = _skip_header(f)
    return int(shape[0])


class _MergedChunks:
    """Re-iterable k-way merge of sorted runs: each iteration merges from the start."""

    def __init__(self, runs: list[_Run], block: int) -> None:
        self._runs = runs
        self._block = block

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        readers = [r.reader(self._block) for r in self._runs]
        bufs: list[tuple[np.ndarray, np.ndarray]] = []
        live: list[bool] = []  # run still has unread blocks
        for rd in readers:
            first = next(rd, None)
            bufs.append(first if first is not None else (_EMPTY_K, _EMPTY_O))
            live.append(first is not None)

        while any(len(b[0]) for b in bufs):
            # Every key below `bound` is in the buffers entirely: runs are sorted and
            # each live run's unread part starts at or after its buffer's last key.
            lasts = [b[0][-1] for b, lv in zip(bufs, live, strict=True) if lv and len(b[0])]
            bound = min(lasts) if lasts else None
            out_k: list[np.ndarray] = []
            out_o: list[np.ndarray] = []
            for i, (k, o) in enumerate(bufs):
                cut = len(k) if bound is None else int(np.searchsorted(k, bound, side="left"))
                if cut:
                    out_k.append(k[:cut])
                    out_o.append(o[:cut])
                    bufs[i] = (k[cut:], o[cut:])
            if out_k:
                keys = np.concatenate(out_k)
                ords = np.concatenate(out_o)
                if len(out_k) > 1:
                    order = np.lexsort((ords, keys))
                    keys, ords = keys[order], ords[order]
                yield keys, ords
            # Refill: a live run whose buffer is empty, or holds only the bound key
            # (one big group), reads its next block.
            for i, rd in enumerate(readers):
                k, o = bufs[i]
                if live[i] and (len(k) == 0 or (not out_k and k[-1] == bound)):
                    nxt = next(rd, None)
                    if nxt is None:
                        live[i] = False
                    else:
                        bufs[i] = (np.concatenate((k, nxt[0])), np.concatenate((o, nxt[1])))


_EMPTY_K = np.zeros(0, np.uint64)
_EMPTY_O = np.zeros(0, np.int64)


class KeySpill:
    """Collects (uint64 key, int64 ordinal) pairs and serves them grouped by key.

    ``memory_limit_bytes`` bounds the working memory of ``add`` (buffer plus the
    copy made while sorting it) and of the merge in ``groups()``; runs and values
    go to a private folder under ``workdir``, deleted by :meth:`close` (or leaving
    the ``with`` block). ``add_values`` pairs, from ``CorpusStep.value``, are also
    spilled and served memory-mapped by ``KeyGroups.values``.
    """

    def __init__(self, workdir: Path | str, memory_limit_bytes: int = 256 << 20) -> None:
        if memory_limit_bytes < 1 << 14:
            raise ValueError("memory_limit_bytes must be at least 16 KiB")
        Path(workdir).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="keyspill-", dir=workdir))
        self.memory_limit_bytes = memory_limit_bytes
        # Sorting holds the buffer, its concatenation, lexsort's order and scratch and
        # the permuted copy: about 4x the buffer at the peak.
        self._buffer_pairs = max(_MIN_BLOCK, memory_limit_bytes // (4 * _PAIR_BYTES))
        self._keys: list[np.ndarray] = []
        self._ords: list[np.ndarray] = []
        self._buffered = 0
        self._runs: list[_Run] = []
        self._vals_o: list[np.ndarray] = []
        self._vals_v: list[np.ndarray] = []
        self._vals_buffered = 0
        self._value_runs: list[tuple[Path, Path]] = []
        self.pairs = 0  # total pairs added

    # -- input ---------------------------------------------------------------------
    def add(self, keys: np.ndarray, ordinals: np.ndarray) -> None:
        """Add pairs; ``ordinals`` may also be a scalar (one document's keys)."""
        k = np.array(keys, dtype=np.uint64, copy=True).ravel()  # copy: callers reuse buffers
        o = np.broadcast_to(np.asarray(ordinals, dtype=np.int64), k.shape)
        if len(k) == 0:
            return
        self._keys.append(k)
        self._ords.append(np.array(o, copy=True))
        self._buffered += len(k)
        self.pairs += len(k)
        if self._buffered >= self._buffer_pairs:
            self._spill()

    def add_values(self, ordinals: np.ndarray, values: np.ndarray) -> None:
        """Add ``CorpusStep.value`` results: one float per ordinal (NaN for none)."""
        o = np.asarray(ordinals, dtype=np.int64).ravel()
        v = np.asarray(values, dtype=np.float64).ravel()
        if o.shape != v.shape:
            raise ValueError("add_values needs as many values as ordinals")
        if len(o) == 0:
            return
        self._vals_o.append(o.copy())
        self._vals_v.append(v.copy())
        self._vals_buffered += len(o)
        if self._vals_buffered >= self._buffer_pairs:
            self._spill_values()

    def _spill(self) -> None:
        if not self._keys:
            return
        keys = np.concatenate(self._keys)
        ords = np.concatenate(self._ords)
        self._keys, self._ords, self._buffered = [], [], 0
        order = np.lexsort((ords, keys))
        n = len(self._runs)
        kp, op = self.dir / f"run-{n:05d}.keys.npy", self.dir / f"run-{n:05d}.ords.npy"
        np.save(kp, keys[order])
        np.save(op, ords[order])
        self._runs.append(_Run(kp, op))

    def _spill_values(self) -> None:
        if not self._vals_o:
            return
        o = np.concatenate(self._vals_o)
        v = np.concatenate(self._vals_v)
        self._vals_o, self._vals_v, self._vals_buffered = [], [], 0
        order = np.argsort(o, kind="stable")
        n = len(self._value_runs)
        op, vp = self.dir / f"vals-{n:05d}.ords.npy", self.dir / f"vals-{n:05d}.vals.npy"
        np.save(op, o[order])
        np.save(vp, v[order])
        self._value_runs.append((op, vp))

    # -- output --------------------------------------------------------------------
    @property
    def runs(self) -> int:
        """Sorted runs written to disk so far."""
        return len(self._runs)

    def groups(self) -> KeyGroups:
        """Every pair added, grouped by key (ordinals ascending), streamed from disk.

        The result can be iterated more than once (each pass re-reads the runs).
        """
        self._spill()
        # The merge holds up to two blocks a run and makes a sorted copy of what it
        # yields; resolve makes a few temporaries per chunk: an eighth of the limit
        # in flight keeps the whole within it.
        block = max(_MIN_BLOCK, self.memory_limit_bytes // (8 * _PAIR_BYTES * max(1, self.runs)))
        return KeyGroups(_MergedChunks(list(self._runs), block), self._merged_values())

    def _merged_values(self) -> tuple[np.ndarray, np.ndarray] | None:
        self._spill_values()
        if not self._value_runs:
            return None
        op, vp = self.dir / "values.ords.npy", self.dir / "values.vals.npy"
        if not op.exists():
            # Merge by ordinal as if ordinals were keys (they are >= 0, so they sort
            # the same as uint64) and values' bits were ordinals.
            runs = [_Run(o, v) for o, v in self._value_runs]
            total = sum(r.length for r in runs)
            out_o = np.lib.format.open_memmap(op, mode="w+", dtype=np.int64, shape=(total,))
            out_v = np.lib.format.open_memmap(vp, mode="w+", dtype=np.float64, shape=(total,))
            at = 0
            block = max(_MIN_BLOCK, self.memory_limit_bytes // (2 * _PAIR_BYTES * len(runs)))
            for chunk_o, chunk_v in _MergedChunks(runs, block):
                out_o[at : at + len(chunk_o)] = chunk_o.view(np.int64)
                # _Run reads its second file as int64: reinterpret the bits as float64.
                out_v[at : at + len(chunk_o)] = chunk_v.view(np.float64)
                at += len(chunk_o)
            out_o.flush()
            out_v.flush()
            del out_o, out_v
        return np.load(op, mmap_mode="r"), np.load(vp, mmap_mode="r")

    def close(self) -> None:
        """Delete the runs (the ``KeyGroups`` from ``groups()`` stops working)."""
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> KeySpill:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
