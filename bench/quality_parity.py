"""Keep/drop parity of thresher's quality filters with DataTrove 0.10.1.

Runs each DataTrove filter (the oracle) and its thresher twin on the same
documents, each filter on the raw text independently, and prints per-filter
agreement of the keep/drop decision (and of the reason, and for C4 of the
rewritten text). DataTrove's decisions are saved as golden files
(``bench/golden/<filter>.jsonl.gz``: id, keep, reason) so later runs can
compare without DataTrove (``--golden-only``).

Measured (2026-11-29): 8,830 documents (6,830 extraction fields + 2,000
demo pages, 76 MB): 100.00% agreement on every filter, reasons included, and
C4's rewritten text identical on every kept page.

Known ways thresher *can* differ from DataTrove (none occurs in that corpus):
- duplicated 5..10-grams: DataTrove compares n-grams as ``"".join(words)``, so
  ``["ab", "c"]`` equals ``["a", "bc"]``; thresher compares the word tuples.
- n-gram counts compare 44-bit hashes; two different n-grams of one document
  collide with probability about m^2 / 2^45 (m words).
- C4 drops blank lines even with ``filter_no_terminal_punct=False`` and
  ``min_words_per_line=None`` (DataTrove would keep them and count each as a
  sentence); defaults are unaffected.
- C4 badwords: a blank entry in a word list (the Arabic list has one) makes
  DataTrove's pattern match any two non-word characters; thresher drops it.
  Only the English list is byte-identical to DataTrove's pinned copy.
- Where DataTrove divides by zero (an empty text reaching a ratio rule with its
  earlier rule disabled), thresher's ratio is 0.
- DataTrove retries spaCy without the substring "IS_ALPHA" when spaCy raises on
  it; thresher's tokenizer does not raise.

Documents: the ``main_text`` and ``page_text`` fields of
``<data>/extraction/*.jsonl.gz`` plus, when ``thresher.demo`` is importable,
its generated demo corpus.

    .venv/bin/python bench/quality_parity.py                 # run DataTrove, save golden, compare
    .venv/bin/python bench/quality_parity.py --golden-only   # compare with the saved golden files
    .venv/bin/python bench/quality_parity.py --fixture tests/data/quality/docs.jsonl.gz
        # (re)build the unit-test fixture's golden decisions
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import xxhash

REPO = Path(__file__).resolve().parents[1]
FILTERS = ("gopher_repetition", "gopher_quality", "c4", "c4_badwords", "fineweb")
#: FineWeb on the text C4 kept (C4-dropped documents count as dropped), as in a chain.
CHAINED = "c4>fineweb"
RESULTS = (*FILTERS, CHAINED)


def load_corpus(data: Path, demo_docs: int) -> list[tuple[str, str]]:
    """(id, text) pairs: extraction fields, then the demo corpus when available."""
    folder = data / "extraction"
    files = sorted(folder.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no {folder}/*.jsonl.gz: pass --data PATH (the shared data folder)")
    docs: list[tuple[str, str]] = []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                rec = json.loads(line)
                for field in ("main_text", "page_text"):
                    text = rec.get(field)
                    if isinstance(text, str):
                        docs.append((f"{path.name.split('.')[0]}:{i}:{field}", text))
    if demo_docs:
        try:
            from thresher.demo import generate
        except ImportError:
            print("thresher.demo not available; extraction data only", file=sys.stderr)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                for path in generate(Path(tmp), n_docs=demo_docs, seed=0):
                    with gzip.open(path, "rt", encoding="utf-8") as fh:
                        for line in fh:
                            rec = json.loads(line)
                            docs.append((f"demo:{rec['id']}", rec["text"]))
    return docs


def load_fixture(path: Path) -> list[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [(r["id"], r["text"]) for r in map(json.loads, fh)]


def datatrove_filters() -> dict[str, Any]:
    try:
        from datatrove.pipeline.filters import (
            C4BadWordsFilter,
            C4QualityFilter,
            FineWebQualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
            c4_filters,
        )
    except ImportError:
        sys.exit("DataTrove is needed for the oracle: pip install 'datatrove[processing]==0.10.1'")
    # DataTrove downloads the bad-word list; point it at the copy we ship
    # (English, byte-identical to the commit DataTrove pins).
    en = REPO / "src/thresher/steps/quality/data/badwords/en"
    c4_filters.cached_asset_path_or_download = lambda *a, **k: str(en)
    return {
        "gopher_repetition": GopherRepetitionFilter(),
        "gopher_quality": GopherQualityFilter(),
        "c4": C4QualityFilter(),
        "c4_badwords": C4BadWordsFilter(),
        "fineweb": FineWebQualityFilter(),
    }


def run_datatrove(docs: list[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    from datatrove.data import Document as DTDocument

    filters = datatrove_filters()
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in RESULTS}
    for doc_id, text in docs:
        for name in FILTERS:
            d = DTDocument(text=text, id=doc_id)
            res = filters[name].filter(d)
            keep, reason = res if isinstance(res, tuple) else (res, None)
            rec: dict[str, Any] = {"id": doc_id, "keep": bool(keep), "reason": reason}
            if name == "c4":
                if keep:
                    rec["text"] = d.text
                    res = filters["fineweb"].filter(d)
                    keep, reason = res if isinstance(res, tuple) else (res, None)
                out[CHAINED].append({"id": doc_id, "keep": bool(keep), "reason": reason})
            out[name].append(rec)
    return out


def run_thresher(docs: list[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    from thresher.document import Document
    from thresher.steps import build_step

    steps = {name: build_step(name) for name in FILTERS}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in RESULTS}
    for doc_id, text in docs:
        for name in FILTERS:
            d = Document(id=doc_id, text=text)
            steps[name].process(d)
            rec: dict[str, Any] = {
                "id": doc_id,
                "keep": d.removed is None,
                "reason": d.removed["reason"] if d.removed else None,
            }
            if name == "c4":
                if d.removed is None:
                    rec["text"] = d.text
                    steps["fineweb"].process(d)
                out[CHAINED].append(
                    {
                        "id": doc_id,
                        "keep": d.removed is None,
                        "reason": d.removed["reason"] if d.removed else None,
                    }
                )
            out[name].append(rec)
    return out


def save_golden(folder: Path, results: dict[str, list[dict[str, Any]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, recs in results.items():
        lines = []
        for r in recs:
            small = {"id": r["id"], "keep": r["keep"], "reason": r["reason"]}
            if "text" in r:
                small["text_xxh64"] = xxhash.xxh64_hexdigest(r["text"].encode())
            lines.append(json.dumps(small, ensure_ascii=False) + "\n")
        # mtime=0: equal decisions give byte-identical files.
        with (
            open(folder / f"{name.replace('>', '_then_')}.jsonl.gz", "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
        ):
            gz.write("".join(lines).encode("utf-8"))


def load_golden(folder: Path) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name in RESULTS:
        path = folder / f"{name.replace('>', '_then_')}.jsonl.gz"
        if not path.exists():
            sys.exit(f"no golden file {path}: run without --golden-only first")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            out[name] = [json.loads(line) for line in fh]
    return out


def compare(
    ref: dict[str, list[dict[str, Any]]],
    ours: dict[str, list[dict[str, Any]]],
    show: int,
    texts: dict[str, str],
) -> bool:
    ok = True
    print(
        f"{'filter':<18} {'docs':>6} {'DT drops':>9} {'ours':>6} {'agree':>8} {'reason':>8} {'text':>8}"
    )
    for name in RESULTS:
        by_id = {r["id"]: r for r in ours[name]}
        n = agree = reason_agree = text_agree = text_n = 0
        dt_drop = our_drop = 0
        diffs: list[tuple[str, Any, Any]] = []
        for r in ref[name]:
            o = by_id.get(r["id"])
            if o is None:
                continue
            n += 1
            dt_drop += not r["keep"]
            our_drop += not o["keep"]
            if r["keep"] == o["keep"]:
                agree += 1
                reason_agree += r["reason"] == o["reason"]
                if r["keep"] and "text_xxh64" in r and "text" in o:
                    text_n += 1
                    text_agree += r["text_xxh64"] == xxhash.xxh64_hexdigest(o["text"].encode())
            else:
                diffs.append((r["id"], r["reason"], o["reason"]))
        rate = agree / n if n else 1.0
        ok &= rate >= 0.995
        text_col = f"{text_agree / text_n:8.2%}" if text_n else f"{'-':>8}"
        print(
            f"{name:<18} {n:>6} {dt_drop:>9} {our_drop:>6} {rate:>8.2%} "
            f"{reason_agree / max(agree, 1):>8.2%} {text_col}"
        )
        for doc_id, dt_reason, our_reason in diffs[:show]:
            snippet = texts.get(doc_id, "")[:80].replace("\n", " | ")
            print(f"    {doc_id}: datatrove={dt_reason} thresher={our_reason}  {snippet!r}")
        if diffs:
            print(
                f"    disagreements by (datatrove, thresher): {Counter((d[1], d[2]) for d in diffs)}"
            )
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--golden", type=Path, default=REPO / "bench" / "golden")
    ap.add_argument("--demo-docs", type=int, default=2000, help="demo documents to add (0: none)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents")
    ap.add_argument("--golden-only", action="store_true", help="compare with saved golden files")
    ap.add_argument("--fixture", type=Path, help="write golden decisions for this fixture instead")
    ap.add_argument("--show", type=int, default=5, help="disagreements to print per filter")
    args = ap.parse_args(argv)

    if args.fixture:
        docs = load_fixture(args.fixture)
        golden_dir = args.fixture.parent / "golden"
    else:
        docs = load_corpus(args.data, args.demo_docs)
        golden_dir = args.golden
    if args.limit:
        docs = docs[: args.limit]
    print(f"{len(docs)} documents, {sum(len(t) for _, t in docs) / 1e6:.1f} MB")
    if args.golden_only:
        ref = load_golden(golden_dir)
    else:
        save_golden(golden_dir, run_datatrove(docs))
        print(f"golden decisions written to {golden_dir}")
        ref = load_golden(golden_dir)
    ours = run_thresher(docs)
    return 0 if compare(ref, ours, args.show, dict(docs)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
