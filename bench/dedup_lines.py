"""Repeated-line removal on real pages: chrome removed vs content lost.

Runs ``LineDedup`` over the raw ``page_text`` of the extraction sets (pages
with their navigation, footers and share buttons). The WCXB pages carry
labelled snippets: ``snippets_without`` (boilerplate that a clean text should
not contain) and ``snippets_with`` (main content that it must keep). A snippet
counts as removed when it no longer occurs in the text after the step.

    .venv/bin/python bench/dedup_lines.py [--data ../shared/data] [--min-docs 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from thresher.dedup.lines import LineDedup
from thresher.document import Document
from thresher.steps.base import run_corpus_step_in_memory


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    )
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("--unit", default="line", choices=["line", "paragraph", "sentence_span"])
    args = ap.parse_args()
    files = sorted((args.data / "extraction").glob("*.jsonl.gz"))
    if not files:
        sys.exit(
            f"no extraction data under {args.data}/extraction: pass --data (default ../shared/data)"
        )
    docs: list[Document] = []
    snippets: list[tuple[list[str], list[str]]] = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                text = rec.get("page_text") or ""
                if text.strip():
                    docs.append(Document(id=rec["id"], text=text, ordinal=len(docs)))
                    snippets.append(
                        (rec.get("snippets_with") or [], rec.get("snippets_without") or [])
                    )
    before = [d.text for d in docs]
    step = LineDedup(unit=args.unit, min_docs=args.min_docs)  # type: ignore[arg-type]
    t = time.process_time()
    run_corpus_step_in_memory(step, docs)
    seconds = time.process_time() - t

    def gone(snip: str, old: str, new: str) -> bool:
        return snip in old and snip not in new

    kept_lost = kept_total = chrome_gone = chrome_total = 0
    for d, old, (with_, without) in zip(docs, before, snippets, strict=True):
        new = d.text if d.removed is None else ""
        for s in with_:
            if s in old:
                kept_total += 1
                kept_lost += gone(s, old, new)
        for s in without:
            if s in old:
                chrome_total += 1
                chrome_gone += gone(s, old, new)
    removed_docs = Counter(d.removed["reason"] for d in docs if d.removed)
    lines = Counter(e["text"].strip() for d in docs for e in d.edits)
    chars_before = sum(len(t) for t in before)
    chars_cut = sum(d.signals.get("line_dedup_removed_chars", 0) for d in docs)
    print(f"{len(docs)} pages, unit={args.unit}, min_docs={args.min_docs}: {seconds:.1f} s CPU")
    print(
        f"cut {sum(lines.values())} units, {chars_cut / chars_before:.1%} of characters; documents removed: {dict(removed_docs)}"
    )
    print(
        f"boilerplate snippets removed: {chrome_gone}/{chrome_total} = {chrome_gone / max(1, chrome_total):.1%}"
    )
    print(
        f"main-content snippets lost:   {kept_lost}/{kept_total} = {kept_lost / max(1, kept_total):.1%}"
    )
    print("most frequent cut units:")
    for text, n in lines.most_common(15):
        print(f"  {n:5d}  {text[:70]!r}")


if __name__ == "__main__":
    main()
