"""``thresher.clean(text)``: the default pipeline on one document, in process."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import CorpusStep, MapStep, run_corpus_step_in_memory


@lru_cache(maxsize=8)
def _pipeline(only: tuple[str, ...] | None, skip: tuple[str, ...] | None):
    from thresher.pipeline import Pipeline

    p = Pipeline.default(only=only, skip=skip)
    for s in p.steps:
        s.setup()
    return p


def process_documents(steps: Sequence[Any], docs: list[Document]) -> list[Document]:
    """Run steps over documents held in memory (corpus steps see only these)."""
    for step in steps:
        if isinstance(step, CorpusStep):
            run_corpus_step_in_memory(step, docs)
        elif isinstance(step, MapStep):
            step.process_batch(docs)
    return docs


def clean(
    text: str,
    *,
    id: str = "doc",
    meta: dict[str, Any] | None = None,
    only: Sequence[str] | None = None,
    skip: Sequence[str] | None = None,
    keep_zones: bool = False,
) -> dict[str, Any]:
    """Clean one document with the default pipeline and return its output record.

    The record has the fields of DESIGN.md's output (``text``, ``title``,
    ``comments``, ``lang``, ``toxicity``, ``signals``, ``pii``, ...), plus
    ``removed`` (``{"step", "reason"}``) when a filter would drop it. Corpus
    steps (dedup) see this one document only.
    """
    pipe = _pipeline(tuple(only) if only else None, tuple(skip) if skip else None)
    if keep_zones and not any(s.name == "segment" for s in pipe.steps):
        raise ConfigError("keep_zones needs the segment step, which only/skip leave out")
    doc = Document(id=id, text=text, meta=dict(meta or {}))
    process_documents(pipe.steps, [doc])
    return doc.to_record(keep_zones=keep_zones, keep_edits=True)
