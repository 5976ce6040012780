"""A synthetic web-text corpus for the I/O and memory benchmarks (JSONL.gz and Parquet)."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "will",
    "market",
    "government",
    "people",
    "city",
    "report",
    "police",
    "school",
    "health",
    "data",
    "company",
    "world",
    "season",
    "music",
]


def make_corpus(folder: Path, mb: int, seed: int = 0) -> tuple[Path, Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    jpath, ppath = folder / f"corpus-{mb}mb.jsonl.gz", folder / f"corpus-{mb}mb.parquet"
    if jpath.exists() and ppath.exists():
        return jpath, ppath, int((folder / f"corpus-{mb}mb.size").read_text())
    rng = random.Random(seed)
    rows, size = [], 0
    while size < mb * 1_000_000:
        paras = []
        for _ in range(rng.randint(3, 20)):
            paras.append(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 80))).capitalize() + "."
            )
        text = "\n".join(paras)
        rows.append(
            {"id": f"doc-{len(rows)}", "text": text, "url": f"https://example.com/{len(rows)}"}
        )
        size += len(text.encode())
    with gzip.open(jpath, "wb", compresslevel=6) as fh:
        for r in rows:
            fh.write(orjson.dumps(r) + b"\n")
    pq.write_table(pa.Table.from_pylist(rows), ppath, row_group_size=20_000)
    (folder / f"corpus-{mb}mb.size").write_text(str(size))
    return jpath, ppath, size
