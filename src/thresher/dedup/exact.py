"""Exact deduplication of whole documents.

Two documents are duplicates when their main text is identical after Unicode
NFC, case folding and collapsing runs of whitespace (the normalisation of
CCNet, Wenzek et al. 2020, and of Dolma's exact dedup, minus digit masking).
The first occurrence (smallest ordinal) is kept; every later copy is removed
with the reason ``exact_duplicate`` (one reason, so stats stay readable) and
``doc.signals["exact_dup_of"]`` holds the ordinal of the kept copy.
``doc.signals["exact_dup_cluster_size"]`` is written on every document (1 when
it has no copy).

The key is a 64-bit xxh3 hash of the normalised text; a second, independent
52-bit hash travels as the document's ``value`` and splits a key group when it
differs, so a false merge needs a 116-bit collision.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import xxhash

from thresher.document import Document
from thresher.steps.base import CorpusStep, KeyGroups

_CHECK_SEED = 0x9E3779B97F4A7C15
_CHECK_MASK = (1 << 52) - 1  # exactly representable in a float64


def normalize_for_exact(text: str) -> str:
    """NFC, case-folded, whitespace runs collapsed to one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class ExactDecision:
    """Members of duplicate clusters only, sorted by ordinal (compact to pickle)."""

    ordinals: np.ndarray  # int64, every member of a cluster of size >= 2
    kept: np.ndarray  # int64, the cluster's kept (first) ordinal
    sizes: np.ndarray  # int64, cluster size


class ExactDedup(CorpusStep):
    """Remove documents whose normalised main text equals an earlier one's.

    Documents whose normalised text is empty take no part (an empty page is a
    quality problem, not a duplicate).
    """

    name: ClassVar[str] = "exact_dedup"

    def __init__(self) -> None:
        pass

    def signature(self, doc: Document) -> np.ndarray:
        norm = normalize_for_exact(doc.text)
        if not norm:
            return np.zeros(0, np.uint64)
        return np.array(
            [xxhash.xxh3_64_intdigest(norm.encode("utf-8", "surrogatepass"))], dtype=np.uint64
        )

    def value(self, doc: Document) -> float | None:
        norm = normalize_for_exact(doc.text)
        if not norm:
            return None
        return float(
            xxhash.xxh3_64_intdigest(norm.encode("utf-8", "surrogatepass"), seed=_CHECK_SEED)
            & _CHECK_MASK
        )

    def resolve(self, groups: KeyGroups) -> ExactDecision:
        members: list[np.ndarray] = []
        kept: list[np.ndarray] = []
        sizes: list[np.ndarray] = []
        for keys, ords in groups.chunks():
            if len(keys) < 2:
                continue
            # Only groups with >= 2 members matter: find them vectorised.
            same_next = keys[1:] == keys[:-1]
            in_group = np.zeros(len(keys), bool)
            in_group[1:] |= same_next
            in_group[:-1] |= same_next
            if not in_group.any():
                continue
            keys, ords = keys[in_group], ords[in_group]
            check = groups.values(ords)
            # Sub-group by (key, check hash); ordinals stay ascending inside each.
            check_bits = np.where(np.isnan(check), -1.0, check)
            order = np.lexsort((ords, check_bits, keys))
            keys, ords, check_bits = keys[order], ords[order], check_bits[order]
            starts = np.flatnonzero(
                np.concatenate(
                    ([True], (keys[1:] != keys[:-1]) | (check_bits[1:] != check_bits[:-1]))
                )
            )
            counts = np.diff(np.concatenate((starts, [len(keys)])))
            size = np.repeat(counts, counts)
            first = np.repeat(ords[starts], counts)
            multi = size >= 2
            members.append(ords[multi])
            kept.append(first[multi])
            sizes.append(size[multi])
        if not members:
            empty = np.zeros(0, np.int64)
            return ExactDecision(empty, empty, empty)
        o = np.concatenate(members)
        order = np.argsort(o, kind="stable")
        return ExactDecision(
            o[order],
            np.concatenate(kept)[order],
            np.concatenate(sizes).astype(np.int64)[order],
        )

    def apply(self, doc: Document, decision: ExactDecision) -> None:
        i = int(np.searchsorted(decision.ordinals, doc.ordinal))
        if i < len(decision.ordinals) and decision.ordinals[i] == doc.ordinal:
            size = int(decision.sizes[i])
            kept = int(decision.kept[i])
            doc.signals["exact_dup_cluster_size"] = size
            if kept != doc.ordinal:
                doc.signals["exact_dup_of"] = kept
                doc.remove(self.name, "exact_duplicate")
        else:
            doc.signals["exact_dup_cluster_size"] = 1
