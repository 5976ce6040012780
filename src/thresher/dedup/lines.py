"""Removal of lines, paragraphs or sentence spans repeated across documents.

A unit (a line, a blank-line separated paragraph, or a window of three
consecutive sentences) that occurs in at least ``min_docs`` *distinct*
documents is site chrome or boilerplate ("Share this", "Notify of", cookie
banners, newsletter pitches) and is cut from every document that has it.
Anchors: C4 (Raffel et al. 2020, sec. 2.2) discards all but one copy of every
three-sentence span that occurs more than once; Dolma (Soldaini et al. 2024,
sec. 3.2) removes repeated paragraphs. C4's behaviour is ``unit="sentence_span",
min_docs=2, keep_first=True``.

Units are compared after collapsing whitespace and case folding; units
shorter than ``min_chars`` (normalised) are never removed, so a blank line or
a lone bullet stays. Each cut unit is recorded with ``doc.record_edit``; the
signals ``line_dedup_removed_lines`` and ``line_dedup_removed_chars`` count
them. A document that loses more than ``max_removed_fraction`` of its
characters is removed with the reason ``mostly_repeated_lines``: what is left
of a page that was almost all chrome is rarely a document (set ``None`` to only
cut, and leave the verdict to length filters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import xxhash

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import CorpusStep, KeyGroups

Unit = Literal["line", "paragraph", "sentence_span"]

_PARAGRAPH_SEP = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence: from a non-space up to end punctuation followed by space/end, or a newline.
_SENTENCE = re.compile(r"\S.*?(?:[.!?。！？]+[\"'”’)\]]*(?=\s|$)|(?=\n)|$)", re.S)
_REASON = {
    "line": "repeated_line",
    "paragraph": "repeated_paragraph",
    "sentence_span": "repeated_span",
}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class LineDecision:
    """Keys of repeated units (sorted) and, with ``keep_first``, each key's first ordinal."""

    keys: np.ndarray  # uint64
    first: np.ndarray | None  # int64, aligned with keys


class LineDedup(CorpusStep):
    """Cut units that recur in ``min_docs`` or more distinct documents."""

    name: ClassVar[str] = "line_dedup"

    def __init__(
        self,
        *,
        unit: Unit = "line",
        min_docs: int = 3,
        min_chars: int = 5,
        span_sentences: int = 3,
        keep_first: bool = False,
        max_removed_fraction: float | None = 0.9,
    ) -> None:
        if unit not in _REASON:
            raise ConfigError(f"line_dedup: unit must be one of {', '.join(_REASON)}, got {unit!r}")
        if min_docs < 2:
            raise ConfigError(
                f"line_dedup: min_docs must be >= 2 (a unit in one document is not repeated), got {min_docs}"
            )
        if min_chars < 1:
            raise ConfigError(f"line_dedup: min_chars must be >= 1, got {min_chars}")
        if span_sentences < 1:
            raise ConfigError(f"line_dedup: span_sentences must be >= 1, got {span_sentences}")
        if max_removed_fraction is not None and not 0.0 <= max_removed_fraction <= 1.0:
            raise ConfigError(
                f"line_dedup: max_removed_fraction must be in [0, 1] or null, got {max_removed_fraction}"
            )
        self.unit = unit
        self.min_docs = min_docs
        self.min_chars = min_chars
        self.span_sentences = span_sentences
        self.keep_first = keep_first
        self.max_removed_fraction = max_removed_fraction

    # -- units -------------------------------------------------------------------
    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the removable pieces (lines, paragraphs or sentences)."""
        if self.unit == "line":
            spans, at = [], 0
            for line in text.split("\n"):
                spans.append((at, at + len(line)))
                at += len(line) + 1
            return spans
        if self.unit == "paragraph":
            spans, at = [], 0
            for m in _PARAGRAPH_SEP.finditer(text):
                spans.append((at, m.start()))
                at = m.end()
            spans.append((at, len(text)))
            return spans
        return [m.span() for m in _SENTENCE.finditer(text)]

    def _keyed(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray, list[list[int]]]:
        """Spans, the key of each hashed unit, and the span indices each key covers."""
        spans = self._spans(text)
        norms = [_norm(text[s:e]) for s, e in spans]
        keys: list[int] = []
        covers: list[list[int]] = []
        if self.unit != "sentence_span":
            for i, n in enumerate(norms):
                if len(n) >= self.min_chars:
                    keys.append(xxhash.xxh3_64_intdigest(n.encode("utf-8", "surrogatepass")))
                    covers.append([i])
        else:
            w = self.span_sentences
            for i in range(len(norms) - w + 1):
                window = " ".join(norms[i : i + w])
                if len(window) >= self.min_chars:
                    keys.append(xxhash.xxh3_64_intdigest(window.encode("utf-8", "surrogatepass")))
                    covers.append(list(range(i, i + w)))
        return spans, np.array(keys, dtype=np.uint64), covers

    # -- the three phases ----------------------------------------------------------
    def signature(self, doc: Document) -> np.ndarray:
        # Distinct keys: a line repeated inside one page counts once.
        return np.unique(self._keyed(doc.text)[1])

    def resolve(self, groups: KeyGroups) -> LineDecision:
        keys_out: list[np.ndarray] = []
        first_out: list[np.ndarray] = []
        for keys, ords in groups.chunks():
            if len(keys) == 0:
                continue
            starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            counts = np.diff(np.concatenate((starts, [len(keys)])))
            hit = counts >= self.min_docs
            keys_out.append(keys[starts[hit]])
            first_out.append(ords[starts[hit]])
        k = np.concatenate(keys_out) if keys_out else np.zeros(0, np.uint64)
        f = np.concatenate(first_out) if first_out else np.zeros(0, np.int64)
        return LineDecision(k, f if self.keep_first else None)

    def apply(self, doc: Document, decision: LineDecision) -> None:
        text = doc.text
        spans, keys, covers = self._keyed(text)
        doc.signals["line_dedup_removed_lines"] = 0
        doc.signals["line_dedup_removed_chars"] = 0
        if len(keys) == 0 or len(decision.keys) == 0:
            return
        idx = np.clip(np.searchsorted(decision.keys, keys), 0, len(decision.keys) - 1)
        hit = decision.keys[idx] == keys
        if decision.first is not None:
            hit &= decision.first[idx] != doc.ordinal
        if not hit.any():
            return
        cut = sorted({i for j in np.flatnonzero(hit).tolist() for i in covers[j]})
        reason = _REASON[self.unit]
        for i in cut:
            doc.record_edit(self.name, reason, text[spans[i][0] : spans[i][1]])
        new_text = self._cut(text, spans, set(cut))
        before = len(text.strip())
        removed_chars = sum(spans[i][1] - spans[i][0] for i in cut)
        doc.text = new_text
        doc.signals["line_dedup_removed_lines"] = len(cut)
        doc.signals["line_dedup_removed_chars"] = removed_chars
        if (
            self.max_removed_fraction is not None
            and before
            and removed_chars / before > self.max_removed_fraction
        ):
            doc.remove(self.name, "mostly_repeated_lines")

    def _cut(self, text: str, spans: list[tuple[int, int]], cut: set[int]) -> str:
        if self.unit == "line":
            lines = text.split("\n")
            return "\n".join(line for i, line in enumerate(lines) if i not in cut)
        if self.unit == "paragraph":
            # Surviving paragraphs, separated by one blank line.
            return "\n\n".join(text[s:e] for i, (s, e) in enumerate(spans) if i not in cut)
        pieces, at = [], 0
        for i in sorted(cut):
            s, e = spans[i]
            pieces.append(text[at:s])
            # Take the horizontal space after the sentence with it.
            while e < len(text) and text[e] in " \t":
                e += 1
            at = e
        pieces.append(text[at:])
        out = "".join(pieces)
        return "\n".join(line.rstrip() for line in out.split("\n"))
