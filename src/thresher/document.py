"""The document model: what a step sees and what a record holds.

A :class:`Document` carries the fields of an output record (see DESIGN.md,
"Output") plus where it came from, so errors and ids can point back at the
input. Steps mutate documents in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Zone labels (DESIGN.md contract).
ZONE_LABELS = ("title", "main", "boilerplate", "caption", "comment", "comment_meta", "duplicate")


@dataclass(slots=True)
class Document:
    """One document on its way through a pipeline.

    ``text`` starts as the input text and is rewritten by steps (normalize,
    segment, line cleaning). ``original`` keeps the text as segmentation saw it,
    so ``zones`` offsets point into it. ``ordinal`` orders documents globally
    (input order) and decides "first occurrence wins" in deduplication.
    """

    id: str
    text: str
    source: str = ""
    line: int | None = None
    ordinal: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None
    lang_score: float | None = None
    toxicity: float | None = None
    signals: dict[str, Any] = field(default_factory=dict)
    pii: dict[str, int] = field(default_factory=dict)
    zones: list[list[Any]] | None = None
    original: str | None = None
    removed: dict[str, str] | None = None
    #: Line-level edits, ``[{"step", "reason", "text"}]``: what cleaning steps took out.
    edits: list[dict[str, Any]] = field(default_factory=list)

    def remove(self, step: str, reason: str) -> None:
        """Mark the document removed; the first removal wins."""
        if self.removed is None:
            self.removed = {"step": step, "reason": reason}

    def record_edit(self, step: str, reason: str, text: str) -> None:
        """Remember a piece of text that a step took out, for ``inspect`` and audits."""
        self.edits.append({"step": step, "reason": reason, "text": text})

    def to_record(self, *, keep_zones: bool = False, keep_edits: bool = False) -> dict[str, Any]:
        """The output record (DESIGN.md contract); ``removed`` only when removed."""
        rec: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "comments": self.comments,
            "lang": self.lang,
            "lang_score": self.lang_score,
            "toxicity": self.toxicity,
            "signals": self.signals,
            "pii": self.pii,
            "meta": self.meta,
        }
        if keep_edits:
            rec["edits"] = self.edits
        if keep_zones:
            rec["zones"] = self.zones
            # The text the zone offsets index: the input after normalization.
            rec["original"] = self.original
        if self.removed is not None:
            rec["removed"] = self.removed
        return rec
