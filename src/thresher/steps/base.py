"""The step contract (DESIGN.md, "The way a document travels").

Three kinds of step, one method each to implement:

* :class:`MapStep` -- ``process(doc)`` rewrites or annotates one document.
* :class:`Filter` -- ``annotate(doc)`` computes signals, ``decide(doc)`` returns
  ``None`` to keep or a reason string to remove; the runner marks the document
  removed with the step's name and that reason.
* :class:`CorpusStep` -- needs the whole corpus: ``signature(doc)`` emits uint64
  keys, ``resolve(groups)`` decides from all keys at once, ``apply(doc, decision)``
  marks the losers.

Steps are picklable: settings are plain values set in ``__init__``; heavy
resources (models) are loaded in ``setup()``, which the runner calls once per
worker process before the first batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import numpy as np

from thresher.document import Document


class Step:
    """Base of every step. Subclasses set ``name`` (snake_case) and ``version``."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    #: Extra names the step answers to in YAML and ``--only``/``--skip``.
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Attributes holding per-process state (a loaded model, a cache) and the
    #: value each takes in a pickled copy; a worker reloads them in ``setup``.
    transient: ClassVar[dict[str, Any]] = {}

    @classmethod
    def versioned_name(cls) -> str:
        return f"{cls.name}_v{cls.version}"

    def setup(self) -> None:
        """Load heavy resources; called once per worker before the first batch."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(vars(self))
        state.update(self.transient)
        return state

    def settings(self) -> dict[str, Any]:
        """The step's settings as YAML would spell them (for manifests and ``inspect``)."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args})"


class MapStep(Step):
    """A pure per-document step; batches are processed one document at a time
    unless a subclass overrides :meth:`process_batch` (e.g. to vectorize)."""

    def process(self, doc: Document) -> None:
        raise NotImplementedError

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            if doc.removed is None:
                self.process(doc)


class Filter(MapStep):
    """A step that computes signals and may remove the document.

    Thresholds set to ``None`` compute the signal and remove nothing.
    """

    def annotate(self, doc: Document) -> None:
        """Compute this filter's signals into ``doc.signals``."""

    def decide(self, doc: Document) -> str | None:
        """Return ``None`` to keep the document, or the reason to remove it."""
        raise NotImplementedError

    def process(self, doc: Document) -> None:
        self.annotate(doc)
        reason = self.decide(doc)
        if reason is not None:
            doc.remove(self.name, reason)


class KeyGroups:
    """What ``resolve`` reads: every (key, ordinal) pair of the corpus, grouped by key.

    Iterating yields ``(key, ordinals)`` with ``ordinals`` sorted ascending (input
    order). The local executor backs it with sorted runs spilled to disk; the Ray
    executor with a shuffle. ``chunks()`` streams the raw sorted arrays.
    """

    def __init__(
        self,
        chunks: Iterable[tuple[np.ndarray, np.ndarray]],
        values: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self._chunks = chunks
        # (ordinals sorted ascending, values) from CorpusStep.value(), or None.
        self._values = values
        #: A scratch folder the executor gives resolve for spills of its own
        #: (inside the output folder's work area); None: the system temporary folder.
        self.workdir: str | None = None

    def values(self, ordinals: np.ndarray) -> np.ndarray:
        """``CorpusStep.value(doc)`` of each ordinal (NaN where the step gave none)."""
        if self._values is None:
            return np.full(len(ordinals), np.nan)
        keys, vals = self._values
        idx = np.searchsorted(keys, ordinals)
        idx = np.clip(idx, 0, max(len(keys) - 1, 0))
        out = np.full(len(ordinals), np.nan)
        if len(keys):
            hit = keys[idx] == ordinals
            out[hit] = vals[idx[hit]]
        return out

    def chunks(self) -> Iterable[tuple[np.ndarray, np.ndarray]]:
        """Sorted ``(keys, ordinals)`` arrays; a key never spans two chunks."""
        return self._chunks

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        for keys, ords in self._chunks:
            if len(keys) == 0:
                continue
            bounds = np.flatnonzero(np.diff(keys)) + 1
            starts = np.concatenate(([0], bounds))
            ends = np.concatenate((bounds, [len(keys)]))
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
                yield int(keys[s]), ords[s:e]


class CorpusStep(Step):
    """A step that needs the whole corpus, in three phases.

    1. ``signature(doc)`` -> uint64 keys for one document (a map, any worker);
    2. ``resolve(groups)`` -> a decision, from every key of the corpus grouped
       (one process; it must stream ``groups`` and keep only what it decides);
    3. ``apply(doc, decision)`` -> marks or edits documents (a map, any worker).

    The decision is pickled to every worker, so keep it compact (numpy arrays,
    sets of ints).
    """

    def signature(self, doc: Document) -> np.ndarray:
        """uint64 keys of one document (any number, duplicates allowed)."""
        raise NotImplementedError

    def value(self, doc: Document) -> float | None:
        """A per-document number that ``resolve`` may read through ``groups.values``
        (e.g. length, to keep the longest of a cluster); ``None`` when unused."""
        return None

    def resolve(self, groups: KeyGroups) -> Any:
        raise NotImplementedError

    def apply(self, doc: Document, decision: Any) -> None:
        raise NotImplementedError


def run_corpus_step_in_memory(step: CorpusStep, docs: list[Document]) -> Any:
    """Run the three phases over documents held in memory (tests, ``thresher.clean``).

    Removed documents take no part, as in the executors.
    """
    keys: list[np.ndarray] = []
    ords: list[np.ndarray] = []
    val_ords: list[int] = []
    vals: list[float] = []
    for doc in docs:
        if doc.removed is not None:
            continue
        k = np.asarray(step.signature(doc), dtype=np.uint64)
        keys.append(k)
        ords.append(np.full(len(k), doc.ordinal, dtype=np.int64))
        v = step.value(doc)
        val_ords.append(doc.ordinal)
        vals.append(float("nan") if v is None else float(v))
    all_keys = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    all_ords = np.concatenate(ords) if ords else np.zeros(0, np.int64)
    order = np.lexsort((all_ords, all_keys))
    vo = np.asarray(val_ords, dtype=np.int64)
    srt = np.argsort(vo, kind="stable")
    values = (vo[srt], np.asarray(vals, dtype=np.float64)[srt])
    decision = step.resolve(KeyGroups([(all_keys[order], all_ords[order])], values))
    for doc in docs:
        if doc.removed is None:
            step.apply(doc, decision)
    return decision
