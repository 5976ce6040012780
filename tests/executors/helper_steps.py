"""Small steps for executor tests (importable by worker processes via PYTHONPATH)."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import xxhash

from thresher.document import Document
from thresher.steps.base import CorpusStep, Filter, KeyGroups, MapStep


class DropShort(Filter):
    """Removes documents with fewer than ``min_chars`` characters."""

    name = "drop_short"

    def __init__(self, *, min_chars: int = 10) -> None:
        self.min_chars = min_chars

    def annotate(self, doc: Document) -> None:
        doc.signals["chars"] = len(doc.text)

    def decide(self, doc: Document) -> str | None:
        return "too_short" if len(doc.text) < self.min_chars else None


class TextDedup(CorpusStep):
    """Exact duplicates of the text; the first in input order is kept."""

    name = "text_dedup"

    def signature(self, doc: Document) -> np.ndarray:
        return np.array([xxhash.xxh64_intdigest(doc.text.encode())], dtype=np.uint64)

    def value(self, doc: Document) -> float | None:
        return float(len(doc.text))

    def resolve(self, groups: KeyGroups) -> Any:
        losers: list[int] = []
        for _key, ords in groups:
            assert np.all(np.diff(ords) >= 0)
            losers.extend(ords[1:].tolist())
        return set(losers)

    def apply(self, doc: Document, decision: Any) -> None:
        if doc.ordinal in decision:
            doc.remove(self.name, "duplicate")


class Slow(MapStep):
    """Sleeps per document, so a run can be killed midway."""

    name = "slow"

    def __init__(self, *, seconds: float = 0.01) -> None:
        self.seconds = seconds

    def process(self, doc: Document) -> None:
        time.sleep(self.seconds)


class Crash(MapStep):
    """Raises on documents whose text contains ``BOOM``."""

    name = "crash"

    def process(self, doc: Document) -> None:
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        doc.signals["crash_checked"] = 1


def run(inputs: list[str], out: str, slow: float) -> None:
    from thresher.pipeline import Pipeline
    from thresher.steps.normalize import Normalize

    Pipeline([Normalize(), Slow(seconds=slow), DropShort(), TextDedup()]).run(
        inputs, out, workers=2, chunk_bytes=2048, progress=False
    )


if __name__ == "__main__":
    import sys

    run([sys.argv[1]], sys.argv[2], float(sys.argv[3]))
    os._exit(0)
