"""Character tables and small text helpers shared by the quality filters.

The punctuation tables are DataTrove's (``datatrove/utils/text.py``), kept in
``data/datatrove_punctuation.json`` so "a word made only of punctuation" and
"a line ending in terminal punctuation" mean exactly what they mean there.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_DATA = json.loads(
    resources.files("thresher.steps.quality")
    .joinpath("data/datatrove_punctuation.json")
    .read_text(encoding="utf-8")
)

#: DataTrove's PUNCTUATION string (ASCII and CJK punctuation, control characters).
PUNCTUATION: str = _DATA["punctuation"]
#: Sentence-final marks of many scripts (DataTrove TERMINAL_PUNCTUATION).
TERMINAL_PUNCTUATION: tuple[str, ...] = tuple(_DATA["terminal_punctuation"])
#: A "symbol" word consists of these characters only (DataTrove PUNCTUATION_SET).
PUNCTUATION_SET: frozenset[str] = frozenset(PUNCTUATION) | frozenset(TERMINAL_PUNCTUATION)


def ratio(part: float, whole: float) -> float:
    """``part / whole``, 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


class BatchAnalyzed:
    """Mixin for filters that read :meth:`Vocab.analyze`: tokenize a whole batch
    in one go before the per-document work."""

    def process_batch(self, docs: list[Any]) -> None:
        from thresher.steps.quality.tokenizer import vocab

        vocab().analyze_batch([d.text for d in docs if d.removed is None])
        super().process_batch(docs)  # type: ignore[misc]
