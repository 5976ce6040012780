"""Score a cleaned demo corpus against the ground truth it carries in ``meta.truth``.

``thresher demo`` generates the corpus, cleans it, and can then print how
close the output came to what the generator knows: which documents were
copies, the language, headline, article text and comments of each page,
which comments were toxic, how many e-mail addresses and phone numbers
each held, which pages were spam. Steps that did not run score ``None``.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: Steps whose removals count as deduplication.
DEDUP_STEPS = frozenset({"exact_dedup", "fuzzy_dedup"})

_WORD = re.compile(r"\w+")


def read_output(out_dir: Path) -> Iterator[dict[str, Any]]:
    """Kept and removed records of a ``thresher clean`` output folder (JSONL)."""
    paths = sorted(Path(out_dir).glob("kept/*.jsonl*")) + sorted(
        Path(out_dir).glob("removed/*.jsonl*")
    )
    if not paths:
        raise FileNotFoundError(
            f"no kept/ or removed/ JSONL files in {out_dir}; score a run made with --format jsonl"
        )
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def score(out_dir: Path) -> dict[str, Any]:
    """All scores for the output in ``out_dir`` (steps that ran: from stats.json)."""
    steps: list[str] | None = None
    stats = Path(out_dir) / "stats.json"
    if stats.exists():
        steps = list(json.loads(stats.read_text(encoding="utf-8")).get("steps", {}))
    return score_records(read_output(out_dir), steps=steps)


def score_records(
    records: Iterable[dict[str, Any]], *, steps: list[str] | set[str] | None = None
) -> dict[str, Any]:
    """Scores for output records whose ``meta`` holds the demo's ``truth``.

    ``steps`` names the steps that ran, in pipeline order (stats.json keeps it);
    a score whose step did not run is None. Without it, a score is computed
    whenever the records carry the field.
    """
    recs = sorted(
        (r for r in records if isinstance(r.get("meta"), dict) and "truth" in r["meta"]),
        key=lambda r: str(r["id"]),
    )
    if not recs:
        raise ValueError("no records carry meta.truth; is this the output of the demo corpus?")
    removed_by = Counter((r.get("removed") or {}).get("step", "kept") for r in recs)

    def ran(*names: str) -> bool:
        return steps is None or any(_base(s) in names for s in steps)

    return {
        "documents": {"total": len(recs), "by_step": dict(sorted(removed_by.items()))},
        "dedup": _dedup(recs, _before_dedup(steps)) if ran(*DEDUP_STEPS) else None,
        "filters": _filters(recs),
        "language": _language(recs) if ran("language") else None,
        "title": _title(recs) if ran("segment") else None,
        "main_text": _main_text(recs),
        "comments": _comments(recs) if ran("segment") else None,
        "pii": _pii(recs, _before(steps, ["pii"])) if ran("pii") else None,
    }


def _base(step: str) -> str:
    """``gopher_quality_v1`` -> ``gopher_quality``."""
    return re.sub(r"_v\d+$", "", step)


def _truth(r: dict[str, Any]) -> dict[str, Any]:
    truth: dict[str, Any] = r["meta"]["truth"]
    return truth


def _step(r: dict[str, Any]) -> str | None:
    removed = r.get("removed")
    return _base(removed["step"]) if removed else None


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _before_dedup(steps: list[str] | set[str] | None) -> set[str] | None:
    """Steps that ran before the first dedup step (None: unknown, assume all did)."""
    return _before(steps, DEDUP_STEPS)


def _before(steps: list[str] | set[str] | None, names: Iterable[str]) -> set[str] | None:
    """Steps that ran before the first of ``names`` (None: unknown)."""
    if not isinstance(steps, list):
        return None
    names = set(names)
    out: set[str] = set()
    for s in steps:
        if _base(s) in names:
            break
        out.add(_base(s))
    return out


def _dedup(recs: list[dict[str, Any]], earlier: set[str] | None = None) -> dict[str, Any] | None:
    """Precision and recall of dedup removals against the copies that should go.

    A copy should go when an earlier member of its cluster (the original or
    another copy) was still alive when dedup ran: documents removed by steps
    that ran before dedup (``earlier``; every other step when unknown) are out
    of the game, and the first live member stays.
    """
    dedup_removed = {r["id"] for r in recs if _base(_step(r) or "") in DEDUP_STEPS}
    clusters: dict[str, list[dict[str, Any]]] = {}
    for r in recs:
        root = _truth(r)["dup_of"] or r["id"]
        clusters.setdefault(root, []).append(r)
    expected: set[str] = set()
    kinds: dict[str, str] = {}
    for members in clusters.values():
        live = [
            m
            for m in members
            if _step(m) in (None, *DEDUP_STEPS)
            or (earlier is not None and _base(_step(m) or "") not in earlier)
        ]
        for m in sorted(live, key=lambda m: str(m["id"]))[1:]:
            expected.add(m["id"])
            kinds[m["id"]] = _truth(m)["dup_kind"] or "exact"
    hit = expected & dedup_removed
    out: dict[str, Any] = {
        "removed": len(dedup_removed),
        "expected": len(expected),
        "precision": _ratio(len(hit), len(dedup_removed)),
        "recall": _ratio(len(hit), len(expected)),
    }
    for kind in ("exact", "near"):
        want = {i for i in expected if kinds[i] == kind}
        out[f"recall_{kind}"] = _ratio(len(want & dedup_removed), len(want))
    return out


def _filters(recs: list[dict[str, Any]]) -> dict[str, Any]:
    """How often pages of each kind were removed by a filter (not by dedup)."""
    by_kind: dict[str, list[bool]] = {}
    for r in recs:
        if _truth(r)["dup_of"] is not None:
            continue
        step = _step(r)
        by_kind.setdefault(r["meta"]["kind"], []).append(
            step is not None and step not in DEDUP_STEPS
        )
    return {f"removed_{k}": _ratio(sum(v), len(v)) for k, v in sorted(by_kind.items())}


def _language(recs: list[dict[str, Any]]) -> dict[str, Any] | None:
    pairs = [
        (_truth(r)["lang"], r["lang"])
        for r in recs
        if r.get("lang") and r["meta"]["kind"] != "spam"
    ]
    if not pairs:
        return None
    per: dict[str, list[bool]] = {}
    for want, got in pairs:
        per.setdefault(want, []).append(want == got)
    return {
        "accuracy": _ratio(sum(w == g for w, g in pairs), len(pairs)),
        "recall": {k: _ratio(sum(v), len(v)) for k, v in sorted(per.items())},
    }


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _title(recs: list[dict[str, Any]]) -> dict[str, Any] | None:
    scored = [
        r
        for r in recs
        if _truth(r).get("title") and r["meta"]["kind"] in ("news", "forum", "product")
    ]
    found = [r for r in scored if r.get("title")]
    exact = sum(_norm(r["title"]) == _norm(_truth(r)["title"]) for r in found)
    return {"found": _ratio(len(found), len(scored)), "exact": _ratio(exact, len(scored))}


def _bag(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _f1(got: str, want: str) -> tuple[float, float, float]:
    g, w = _bag(got), _bag(want)
    overlap = sum((g & w).values())
    p = overlap / max(1, sum(g.values()))
    r = overlap / max(1, sum(w.values()))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _main_text(recs: list[dict[str, Any]]) -> dict[str, Any]:
    """Word-bag precision/recall/F1 of the output text against the article text.

    Before segmentation the output still holds the chrome, so precision is low;
    a good segmenter raises it without losing recall.
    """
    scores = [
        _f1(r["text"], _truth(r)["main"])
        for r in recs
        if r["meta"]["kind"] == "news" and _truth(r).get("main") and "appended" not in _truth(r)
    ]
    n = len(scores)
    return {
        "docs": n,
        "precision": _ratio(sum(s[0] for s in scores), n),
        "recall": _ratio(sum(s[1] for s in scores), n),
        "f1": _ratio(sum(s[2] for s in scores), n),
    }


def _comments(recs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Comment extraction (count and text found) and toxicity ranking (AUC)."""
    news = [r for r in recs if r["meta"]["kind"] == "news"]
    same_count = sum(len(r.get("comments") or []) == len(_truth(r)["comments"]) for r in news)
    want_total = found = 0
    tox: list[tuple[float, bool]] = []
    for r in news:
        got = {_norm(c.get("text", "")): c for c in r.get("comments") or []}
        for c in _truth(r)["comments"]:
            want_total += 1
            match = got.get(_norm(c["text"]))
            if match is not None:
                found += 1
                if match.get("toxicity") is not None:
                    tox.append((float(match["toxicity"]), bool(c["toxic"])))
    return {
        "count_exact": _ratio(same_count, len(news)),
        "text_found": _ratio(found, want_total),
        "toxicity_auc": _auc(tox),
    }


def _auc(pairs: list[tuple[float, bool]]) -> float | None:
    """Probability that a toxic comment outscores a clean one (ties count half)."""
    pos = sorted(s for s, y in pairs if y)
    neg = sorted(s for s, y in pairs if not y)
    if not pos or not neg:
        return None
    wins = 0.0
    j = k = 0
    for s in pos:  # neg sorted: count negatives below s, and equal to s
        while j < len(neg) and neg[j] < s:
            j += 1
        k = j
        while k < len(neg) and neg[k] == s:
            k += 1
        wins += j + (k - j) / 2
    return round(wins / (len(pos) * len(neg)), 4)


def _pii(recs: list[dict[str, Any]], earlier: set[str] | None = None) -> dict[str, Any] | None:
    """Per kind: redactions that match a planted item (count-level precision/recall).

    Only documents the pii step saw count: one removed by an ``earlier`` step
    (a duplicate, say) never reaches it and keeps its text as it was, in
    ``removed/``. Items planted in page chrome that segmentation cut count as
    missed, so recall is a lower bound; ``email.left_in_text`` counts what
    still looks like an address in the texts and comments the step saw.
    """
    if earlier is not None:
        recs = [r for r in recs if _step(r) is None or _step(r) not in earlier]
    out: dict[str, Any] = {}
    left = sum(
        len(_EMAIL_LIKE.findall(t))
        for r in recs
        for t in [r.get("text") or "", *((c.get("text") or "") for c in r.get("comments") or [])]
    )
    for kind in ("email", "phone"):
        want = sum(_truth(r)["pii"].get(kind, 0) for r in recs)
        got = sum((r.get("pii") or {}).get(kind, 0) for r in recs)
        hit = sum(
            min(_truth(r)["pii"].get(kind, 0), (r.get("pii") or {}).get(kind, 0)) for r in recs
        )
        out[kind] = {
            "planted": want,
            "redacted": got,
            "precision": _ratio(hit, got),
            "recall": _ratio(hit, want),
        }
    out["email"]["left_in_text"] = left
    return out


_EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def format_scores(scores: dict[str, Any]) -> str:
    """The scores as short aligned lines for a terminal."""
    lines: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            lines.append(f"{prefix:<36} {'-' if value is None else value}")

    walk("", scores)
    return "\n".join(lines)
