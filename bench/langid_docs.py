"""Speed of the ``language`` step on web documents: MB/s of text per core.

Reads the synthetic corpus made by bench/io_corpus.py (default
``bench/_data/corpus-50mb.jsonl.gz``), builds ``Document`` records and runs
``Language().process_batch`` in batches of 256 (the executors' default), timing
CPU seconds of this process (``time.process_time``; one core). Prints documents,
MB of main text + comments, CPU seconds, MB/s, and a digest of the (lang, score)
results so that two versions can be compared for identical output.

    .venv/bin/python bench/langid_docs.py [--corpus FILE] [--limit N] [--max-chars N]
    .venv/bin/python bench/langid_docs.py --corpus ../shared/data/extraction/wcxb_dev.jsonl.gz --field main_text
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus", type=Path, default=REPO / "bench" / "_data" / "corpus-50mb.jsonl.gz"
    )
    ap.add_argument("--limit", type=int, default=None, help="documents to read (default all)")
    ap.add_argument("--max-chars", type=int, default=None, help="Language(max_chars=...)")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument(
        "--field", default="text", help="record field holding the text (main_text for extraction)"
    )
    args = ap.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus} is missing: make it with .venv/bin/python bench/io_corpus.py")

    from thresher.document import Document
    from thresher.steps.language import Language

    records = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            records.append(json.loads(line))
            if args.limit is not None and len(records) >= args.limit:
                break
    docs = [
        Document(
            id=str(r.get("id", i)),
            text=r.get(args.field) or "",
            comments=list(r.get("comments") or []),
        )
        for i, r in enumerate(records)
    ]
    size = sum(
        len(d.text.encode()) + sum(len(str(c.get("text") or "").encode()) for c in d.comments)
        for d in docs
    )
    step = Language() if args.max_chars is None else Language(max_chars=args.max_chars)
    step.setup()
    t0 = time.process_time()
    for i in range(0, len(docs), args.batch):
        step.process_batch(docs[i : i + args.batch])
    cpu = time.process_time() - t0
    digest = hashlib.sha256()
    for d in docs:
        digest.update(f"{d.lang}:{d.lang_score:.6f};".encode())
    langs = Counter(d.lang for d in docs)
    print(
        f"docs {len(docs)}  text {size / 1e6:.1f} MB  cpu {cpu:.2f} s  {size / 1e6 / cpu:.2f} MB/s per core"
    )
    print(f"languages {dict(langs.most_common(5))}  digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
