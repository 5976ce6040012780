"""Speed of WARC input: records parsed and pages turned into text, per core.

Reads every ``.warc.gz`` file of ``shared/data/warc`` (small test files from
Dolma and Resiliparse: 87 pages) ``--repeat`` times through thresher's WARC
reader (the main process's scan into ranges, then each range's documents) and
prints pages per second and compressed MB per second of CPU time on one core.

    .venv/bin/python bench/warc_read.py [--data ../shared/data] [--repeat 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from thresher.io.inputs import Task  # noqa: E402
from thresher.io.readers import RecordSink  # noqa: E402
from thresher.io.warc import warc_docs, warc_ranges  # noqa: E402


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
        for f in files:
            for start, end, nbytes, error in warc_ranges(str(f), 32 << 20):
                task = Task(
                    0,
                    "warc",
                    str(f),
                    f.name,
                    start=start,
                    end=end,
                    nbytes=nbytes,
                    reader_errors=[error] if error else [],
                )
                for doc in warc_docs(task, RecordSink(strict=False)):
                    pages += 1
                    chars += len(doc.text)
    cpu = time.process_time() - t
    mb = sum(f.stat().st_size for f in files) * args.repeat / 1e6
    print(
        f"{pages} pages ({mb:.1f} MB of .warc.gz, {chars / 1e6:.1f} M characters of text) "
        f"in {cpu:.2f} s CPU: {pages / cpu:.0f} pages/s, {mb / cpu:.1f} MB/s per core"
    )


if __name__ == "__main__":
    main()
