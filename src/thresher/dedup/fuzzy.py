"""Near-duplicate removal with MinHash and LSH banding.

The rule (Broder 1997; as used for GPT-3, The Pile, RefinedWeb, FineWeb):
two documents whose sets of word ``shingle_size``-grams have a Jaccard
similarity above ``threshold`` are near duplicates. Each document's MinHash
signature is cut into ``bands`` bands of ``rows`` values; documents sharing a
band are candidate pairs (every pair in a band group of up to 8 documents, a
star from the group's best member in larger ones).

Verification (default): a candidate pair must share ``min_band_matches``
bands. The number of shared bands is a binomial estimate of similarity, so
this verifies candidates from keys alone, without signatures in ``resolve``.
``"auto"`` picks the largest count that still finds 95% of pairs at
``threshold + 0.05``, and, unless ``bands``/``rows`` are given, uses bands of
4 rows (``num_perm // 4`` bands: many narrow bands make the estimate sharp).
With the defaults (512 values, 128 x 4, threshold 0.8) eval/dedup_quality.py
measured pair precision 0.99, removal precision 0.99 and recall 1.00 above
``threshold + 0.05``; plain LSH (``min_band_matches=1``, bands and rows then
chosen from ``threshold`` and ``num_perm``: 20 x 12 for 256 values) measured
precision 0.77 at the same recall, like DataTrove and datasketch. Plain LSH
emits about 20 keys a document instead of 128, so resolve sorts six times
less: the choice for very large corpora where a few extra removals near the
threshold do not matter.

Clusters and the one kept:

* ``keep="first"``: the smallest ordinal (input order) wins;
* ``keep="longest"``: the longest text (ties: the first);
* ``keep="signal"``: the highest ``doc.signals[keep_signal]`` (ties: the first).

``cluster="star"`` (default) goes through documents in that priority order:
one is removed when it is a verified near duplicate of a document already
kept, and joins that document's cluster; so every removed document is similar
to the one that replaced it. ``cluster="union_find"`` takes connected
components (as DataTrove does): a chain A~B~C removes C for A even when A and
C differ.

Every document gets ``fuzzy_cluster_size`` (1 when alone) and
``fuzzy_cluster_id`` (the ordinal of its cluster's kept document, for
``union_find`` the smallest ordinal). ``mode="flag"`` writes those signals and
removes nothing; ``mode="remove"`` removes all but the kept document with the
reason ``near_duplicate``.

Which text is shingled (``lines``): with ``"prose"`` (default), only the
lines that end a sentence (``. ! ? " ” ’ … 。 ！ ？ ؟ ।``, optionally followed
by a closing bracket) when they hold at least ``min_prose_share`` of the
text's words, else the whole text; with ``"all"`` the whole text. Copies of
one story on different sites differ in the page chrome segmentation leaves
behind (bylines, dates, donation buttons, captions: short lines without a
full stop), which is enough to push a short article's 5-gram similarity from
0.9 to 0.6; the prose lines are what makes them the same document. Pages
that are mostly not prose (listings, product grids) keep all their lines, so
a shared one-line blurb cannot make two of them duplicates. On the demo
corpus (``thresher demo``) this takes the near-duplicates found from 1 % to
about half.

Documents with fewer than ``shingle_size`` words have no shingles and take no
part (exact dedup still sees them). Resolve memory: the verification spill is
bounded by ``resolve_memory_bytes``; star clustering holds the verified pairs
(16 bytes each), union-find 8 bytes per document.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Literal

import numpy as np

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import CorpusStep, KeyGroups

from .minhash import MinHasher, auto_band_matches, optimal_bands_rows
from .spill import KeySpill
from .unionfind import UnionFind

Keep = Literal["first", "longest", "signal"]
Mode = Literal["remove", "flag"]
Lines = Literal["prose", "all"]
Cluster = Literal["star", "union_find"]
_VERIFY_ROWS = 4
_SENTENCE_END = (
    ".",
    "!",
    "?",
    '"',
    "\u201d",
    "\u2019",
    "\u2026",
    "\u3002",
    "\uff01",
    "\uff1f",
    "\u061f",
    "\u0964",
)
_CLOSERS = ")]\u00bb*_ \t"


def prose_lines(text: str, min_share: float) -> str:
    """The lines of ``text`` that end a sentence, when they hold at least
    ``min_share`` of its words; else ``text`` unchanged."""
    lines = text.split("\n")
    prose = [line for line in lines if line.rstrip(_CLOSERS).endswith(_SENTENCE_END)]
    if len(prose) == len(lines):
        return text
    kept = "\n".join(prose)
    if len(kept.split()) < min_share * len(text.split()):
        return text
    return kept


@dataclass(frozen=True, slots=True)
class FuzzyDecision:
    """Members of clusters of two or more, sorted by ordinal."""

    ordinals: np.ndarray  # int64
    cluster: np.ndarray  # int64, the kept document's ordinal (union_find: the smallest)
    sizes: np.ndarray  # int64
    keep: np.ndarray  # bool, the one kept per cluster


@lru_cache(maxsize=32)
def _bands_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    return optimal_bands_rows(threshold, num_perm)


class FuzzyDedup(CorpusStep):
    """Cluster near duplicates by MinHash-LSH and keep one per cluster.

    Give ``bands`` and ``rows`` together, or neither to have them chosen: 4 rows
    a band when verifying (``min_band_matches="auto"``), else from ``threshold``
    and ``num_perm`` (see ``minhash.optimal_bands_rows``).

    ``resolve_memory_bytes`` bounds the spill in which ``resolve`` counts and
    deduplicates candidate pairs (on top of the memory of the ``KeyGroups`` it
    reads); its runs go under ``workdir`` (default: the system temporary folder).
    """

    name: ClassVar[str] = "fuzzy_dedup"
    version: ClassVar[int] = 2
    transient: ClassVar[dict[str, Any]] = {"_hasher": None}

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        shingle_size: int = 5,
        num_perm: int = 512,
        bands: int | None = None,
        rows: int | None = None,
        min_band_matches: int | Literal["auto"] = "auto",
        keep: Keep = "first",
        keep_signal: str | None = None,
        mode: Mode = "remove",
        cluster: Cluster = "star",
        lines: Lines = "prose",
        min_prose_share: float = 0.6,
        seed: int = 1,
        workdir: str | None = None,
        resolve_memory_bytes: int = 256 << 20,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ConfigError(f"fuzzy_dedup: threshold must be between 0 and 1, got {threshold}")
        if shingle_size < 1:
            raise ConfigError(f"fuzzy_dedup: shingle_size must be >= 1, got {shingle_size}")
        if not 1 <= num_perm <= 4096:
            raise ConfigError(f"fuzzy_dedup: num_perm must be in 1..4096, got {num_perm}")
        if (bands is None) != (rows is None):
            raise ConfigError(
                "fuzzy_dedup: set both bands and rows, or neither (chosen from threshold)"
            )
        if (bands is None or rows is None) and min_band_matches == "auto":
            # Counting shared bands: many narrow bands estimate similarity best.
            rows = min(_VERIFY_ROWS, num_perm)
            bands = num_perm // rows
        elif bands is None or rows is None:
            bands, rows = _bands_rows(threshold, num_perm)
        if bands < 1 or rows < 1 or bands * rows > num_perm:
            raise ConfigError(
                f"fuzzy_dedup: bands x rows must be positive and at most num_perm ({num_perm}), got {bands} x {rows}"
            )
        if min_band_matches == "auto":
            self._band_matches = auto_band_matches(threshold, bands, rows)
        elif isinstance(min_band_matches, int) and 1 <= min_band_matches <= bands:
            self._band_matches = min_band_matches
        else:
            raise ConfigError(
                f"fuzzy_dedup: min_band_matches must be 'auto' or in 1..bands ({bands}), got {min_band_matches!r}"
            )
        if keep not in ("first", "longest", "signal"):
            raise ConfigError(f"fuzzy_dedup: keep must be first, longest or signal, got {keep!r}")
        if (keep == "signal") != (keep_signal is not None):
            raise ConfigError(
                "fuzzy_dedup: keep='signal' needs keep_signal (a signal name), and only it"
            )
        if mode not in ("remove", "flag"):
            raise ConfigError(f"fuzzy_dedup: mode must be remove or flag, got {mode!r}")
        if cluster not in ("star", "union_find"):
            raise ConfigError(f"fuzzy_dedup: cluster must be star or union_find, got {cluster!r}")
        if lines not in ("prose", "all"):
            raise ConfigError(f"fuzzy_dedup: lines must be prose or all, got {lines!r}")
        if not 0.0 <= min_prose_share <= 1.0:
            raise ConfigError(
                f"fuzzy_dedup: min_prose_share must be in [0, 1], got {min_prose_share}"
            )
        if resolve_memory_bytes < 1 << 20:
            raise ConfigError("fuzzy_dedup: resolve_memory_bytes must be at least 1 MiB (1048576)")
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self.min_band_matches = min_band_matches
        self.keep = keep
        self.keep_signal = keep_signal
        self.mode = mode
        self.cluster = cluster
        self.lines = lines
        self.min_prose_share = min_prose_share
        self.seed = seed
        self.workdir = workdir
        self.resolve_memory_bytes = resolve_memory_bytes
        self._hasher: MinHasher | None = None

    @property
    def hasher(self) -> MinHasher:
        if self._hasher is None:
            self._hasher = MinHasher(
                shingle_size=self.shingle_size,
                num_perm=self.num_perm,
                bands=self.bands,
                rows=self.rows,
                seed=self.seed,
            )
        return self._hasher

    # -- phase 1 ---------------------------------------------------------------------
    def signature(self, doc: Document) -> np.ndarray:
        h = self.hasher
        text = doc.text
        if self.lines == "prose":
            text = prose_lines(text, self.min_prose_share)
        return h.band_keys(h.signature(text))

    def value(self, doc: Document) -> float | None:
        if self.keep == "longest":
            return float(len(doc.text))
        if self.keep == "signal":
            v = doc.signals.get(self.keep_signal or "")
            return None if v is None else float(v)
        return None

    # -- phase 2 ---------------------------------------------------------------------
    def resolve(self, groups: KeyGroups) -> FuzzyDecision:
        if self.cluster == "union_find":
            uf = UnionFind()
            for a, b in self._verified_edges(groups):
                uf.union(a, b)
            return self._decide(uf, groups)
        return self._star(groups)

    def _verified_edges(
        self, groups: KeyGroups, unique: bool = False
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Candidate pairs (hub of a band group, other member) that pass
        ``min_band_matches``. Counting goes through a KeySpill, which also makes each
        pair come once; without it (plain LSH and not ``unique``) pairs repeat."""
        if self._band_matches == 1 and not unique:
            yield from _band_edges(groups, self.keep != "first")
            return
        scratch = self.workdir or groups.workdir or tempfile.gettempdir()
        with KeySpill(scratch, self.resolve_memory_bytes) as edges:
            for first, member in _band_edges(groups, self.keep != "first"):
                edges.add(first.astype(np.uint64), member)
            for a, b in edges.groups().chunks():
                # (a, b) sorted: runs of the same pair count the bands it shares.
                new = np.concatenate(([True], (a[1:] != a[:-1]) | (b[1:] != b[:-1])))
                starts = np.flatnonzero(new)
                counts = np.diff(np.concatenate((starts, [len(a)])))
                ok = starts[counts >= self._band_matches]
                yield a[ok].astype(np.int64), b[ok]

    def _priority(self, docs: np.ndarray, groups: KeyGroups) -> np.ndarray:
        """Rank of each of ``docs`` (sorted ordinals): 0 is the one to keep first."""
        if self.keep == "first":
            return np.arange(len(docs))
        vals = groups.values(docs)
        vals = np.where(np.isnan(vals), -np.inf, vals)
        order = np.lexsort((docs, -vals))
        rank = np.empty(len(docs), np.int64)
        rank[order] = np.arange(len(docs))
        return rank

    def _star(self, groups: KeyGroups) -> FuzzyDecision:
        """Greedy star clustering: in priority order, a document is removed when it is
        a verified near duplicate of a document already kept, and joins that one's
        cluster. Unlike connected components, a chain A~B~C never removes C for A."""
        pairs = [(a, b) for a, b in self._verified_edges(groups, unique=True)]
        lo = (
            np.concatenate([np.minimum(a, b) for a, b in pairs]) if pairs else np.zeros(0, np.int64)
        )
        hi = (
            np.concatenate([np.maximum(a, b) for a, b in pairs]) if pairs else np.zeros(0, np.int64)
        )
        del pairs
        docs, idx = np.unique(np.concatenate((lo, hi)), return_inverse=True)
        u, v = idx[: len(lo)], idx[len(lo) :]
        rank = self._priority(docs, groups)
        # Orient each edge from the higher-priority end (win) to the other (lose).
        swap = rank[u] > rank[v]
        win, lose = np.where(swap, v, u), np.where(swap, u, v)
        keep_edge = win != lose
        win, lose = win[keep_edge], lose[keep_edge]
        n = len(docs)
        state = np.zeros(n, np.int8)  # 0 undecided, 1 kept, 2 removed
        state[np.bincount(lose, minlength=n) == 0] = 1
        rounds = 0
        while (state == 0).any():
            rounds += 1
            if rounds > 64:  # long chains: finish one document at a time
                self._star_sequential(state, rank, win, lose)
                break
            removed = lose[(state[win] == 1) & (state[lose] == 0)]
            state[removed] = 2
            open_edges = state[win] != 2
            blocked = np.bincount(lose[open_edges], minlength=n) > 0
            state[(state == 0) & ~blocked] = 1
        # Each removed document joins its best kept neighbour.
        attach = (state[win] == 1) & (state[lose] == 2)
        best = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(best, lose[attach], rank[win[attach]])
        by_rank = np.empty(n, np.int64)
        by_rank[rank] = np.arange(n)
        removed_idx = np.flatnonzero(state == 2)
        head = by_rank[best[removed_idx]]
        sizes = np.bincount(head, minlength=n) + 1
        heads = np.unique(head)
        member_idx = np.concatenate((heads, removed_idx))
        cluster_idx = np.concatenate((heads, head))
        order = np.argsort(docs[member_idx], kind="stable")
        member_idx, cluster_idx = member_idx[order], cluster_idx[order]
        return FuzzyDecision(
            docs[member_idx].astype(np.int64),
            docs[cluster_idx].astype(np.int64),
            sizes[cluster_idx].astype(np.int64),
            state[member_idx] == 1,
        )

    @staticmethod
    def _star_sequential(
        state: np.ndarray, rank: np.ndarray, win: np.ndarray, lose: np.ndarray
    ) -> None:
        order = np.argsort(rank[lose], kind="stable")
        win, lose = win[order], lose[order]
        bounds = np.searchsorted(rank[lose], rank)  # first edge of each document as `lose`
        ends = np.searchsorted(rank[lose], rank, side="right")
        for x in np.argsort(rank).tolist():
            if state[x] == 0:
                w = win[bounds[x] : ends[x]]
                state[x] = 2 if (state[w] == 1).any() else 1

    def _decide(self, uf: UnionFind, groups: KeyGroups) -> FuzzyDecision:
        # Only documents in a cluster of two or more: every non-root and its root.
        # Scanned in blocks so that memory stays proportional to the clustered part.
        block = 1 << 20
        nonroot = [
            np.flatnonzero(uf.parent[s : s + block] != np.arange(s, min(s + block, len(uf.parent))))
            + s
            for s in range(0, len(uf.parent), block)
        ]
        below = np.concatenate(nonroot) if nonroot else np.zeros(0, np.int64)
        members = np.union1d(below, uf.find(below)).astype(np.int64)
        cluster = uf.find(members)
        ids, counts = np.unique(cluster, return_counts=True)
        size = counts[np.searchsorted(ids, cluster)]
        if self.keep == "first":
            keep = members == cluster
        else:
            vals = groups.values(members)
            vals = np.where(np.isnan(vals), -np.inf, vals)
            # Per cluster: highest value, then smallest ordinal.
            order = np.lexsort((members, -vals, cluster))
            winners = order[np.concatenate(([True], cluster[order][1:] != cluster[order][:-1]))]
            keep = np.zeros(len(members), bool)
            keep[winners] = True
        return FuzzyDecision(members.astype(np.int64), cluster, size.astype(np.int64), keep)

    # -- phase 3 ---------------------------------------------------------------------
    def apply(self, doc: Document, decision: FuzzyDecision) -> None:
        i = int(np.searchsorted(decision.ordinals, doc.ordinal))
        if i < len(decision.ordinals) and decision.ordinals[i] == doc.ordinal:
            doc.signals["fuzzy_cluster_id"] = int(decision.cluster[i])
            doc.signals["fuzzy_cluster_size"] = int(decision.sizes[i])
            if self.mode == "remove" and not decision.keep[i]:
                doc.remove(self.name, "near_duplicate")
        else:
            doc.signals["fuzzy_cluster_id"] = doc.ordinal
            doc.signals["fuzzy_cluster_size"] = 1


_ALL_PAIRS_MAX = 8  # groups up to this size emit every pair; larger ones a star from the hub


def _band_edges(
    groups: KeyGroups, by_value: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per chunk, candidate pairs of every group of two or more: all pairs in small
    groups (so band counts are exact there), else (hub, other member). The hub is the
    group's first ordinal, or with ``by_value`` its highest value (ties: first)."""
    for keys, ords in groups.chunks():
        if len(keys) < 2:
            continue
        if by_value:
            vals = groups.values(ords)
            order = np.lexsort((ords, -np.where(np.isnan(vals), -np.inf, vals), keys))
            keys, ords = keys[order], ords[order]
        new = np.concatenate(([True], keys[1:] != keys[:-1]))
        starts = np.flatnonzero(new)
        sizes = np.diff(np.concatenate((starts, [len(keys)])))
        for size in np.unique(sizes[(sizes >= 2) & (sizes <= _ALL_PAIRS_MAX)]).tolist():
            members = ords[starts[sizes == size][:, None] + np.arange(size)[None, :]]
            i, j = np.triu_indices(size, k=1)
            yield members[:, i].ravel(), members[:, j].ravel()
        big = sizes > _ALL_PAIRS_MAX
        if big.any():
            group = np.cumsum(new) - 1
            hub = ords[starts][group]
            rest = ~new & big[group]
            yield hub[rest], ords[rest]
