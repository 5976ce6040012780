"""Speed of WARC input, and of raw crawl to main text beside DataTrove.

1. Reading: every ``.warc.gz`` file of ``shared/data/warc`` (small test files
   from Dolma and Resiliparse: 87 pages) read ``--repeat`` times through
   thresher's WARC reader (the main process's scan into ranges, then each
   range's documents: all visible text, one block per line).
2. Raw WARC to main text, side by side on the same files: thresher's reader
   then its ``segment`` step (article, title, comments) against DataTrove
   0.10's ``WarcReader`` then its ``Trafilatura`` extractor (DataTrove's
   usual first two steps; ``extract`` is called in this process, not in
   DataTrove's sandbox subprocess, so both sides' CPU time is counted).

Pages per second of CPU time on one core, and the ratio. Needs the ``bench``
and ``warc`` extras (DataTrove, warcio, cchardet, python-magic, Resiliparse).

    .venv/bin/python bench/warc_read.py [--data ../shared/data] [--repeat 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresher.document import Document  # noqa: E402
from thresher.io.inputs import expand_inputs, iter_tasks  # noqa: E402
from thresher.io.readers import ReadOptions, RecordSink, read_task  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    files = sorted((args.data / "warc").glob("*/*.warc.gz"))
    if not files:
        sys.exit(f"no WARC files under {args.data / 'warc'} (see shared/data/README.md)")
    pages = chars = 0
    t = time.process_time()
    for _ in range(args.repeat):
        for doc in thresher_pages(files):
            pages += 1
            chars += len(doc.text)
    cpu = time.process_time() - t
    mb = sum(f.stat().st_size for f in files) * args.repeat / 1e6
    print(
        f"reading: {pages} pages ({mb:.1f} MB of .warc.gz, {chars / 1e6:.1f} M characters "
        f"of text) in {cpu:.2f} s CPU: {pages / cpu:.0f} pages/s, {mb / cpu:.1f} MB/s per core"
    )

    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import WarcReader

    # Files DataTrove can't read are left out of the comparison on both sides.
    both = []
    for f in files:
        try:
            sum(1 for _ in WarcReader(str(f.parent)).read_file(f.name))
            both.append(f)
        except Exception as exc:
            print(
                f"  ({f.name}: DataTrove's WarcReader raises {type(exc).__name__}: {exc}; "
                "thresher reads what precedes the damage and reports it; left out below)"
            )
    files = both

    from thresher.steps.segment import Segment

    step = Segment()
    step.setup()
    t = time.process_time()
    ours = 0
    for _ in range(args.repeat):
        docs = [d for d in thresher_pages(files) if d.removed is None]
        for b in range(0, len(docs), 64):
            step.process_batch(docs[b : b + 64])
        ours += sum(1 for d in docs if d.removed is None and d.text)
    ours_cpu = time.process_time() - t

    extractor = Trafilatura(deduplicate=False)  # the same pages come round each repeat
    t = time.process_time()
    theirs = 0
    for _ in range(args.repeat):
        for f in files:
            reader = WarcReader(str(f.parent))
            for doc in reader.read_file(f.name):
                if extractor.extract(doc.text):
                    theirs += 1
    theirs_cpu = time.process_time() - t
    n = sum(1 for _ in thresher_pages(files))
    print("\nraw WARC -> main text, same files, pages per second of CPU time on one core:")
    print(
        f"  thresher (WARC reader + segment):         {n * args.repeat / ours_cpu:7.0f} "
        f"({ours} with main text)"
    )
    print(
        f"  DataTrove (WarcReader + Trafilatura):     {n * args.repeat / theirs_cpu:7.0f} "
        f"({theirs} with main text)"
    )
    print(f"  speed-up: {theirs_cpu / ours_cpu:.1f}x")


def thresher_pages(files: list[Path]) -> Iterator[Document]:
    """The files' documents through thresher's own input path (tasks, then readers)."""
    sink = RecordSink(strict=False)
    for task in iter_tasks(expand_inputs([str(f) for f in files]), chunk_bytes=32 << 20):
        yield from read_task(task, ReadOptions(), sink)


if __name__ == "__main__":
    main()
