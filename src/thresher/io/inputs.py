"""Finding input files and cutting them into tasks.

A :class:`Task` is the unit of work and of resumption: one output shard
(``part-NNNNN``). Tasks are numbered in a deterministic order (inputs in the
order given, files of a folder or glob sorted, chunks in file order), so a
rerun over the same inputs makes the same tasks and finished ones are skipped.

* plain JSONL is cut into byte ranges at line boundaries; each worker reads
  its own range (one large file is processed in parallel);
* compressed JSONL (.gz, .zst) can't be seeked, so the main process streams it
  and hands the raw lines of each chunk to the workers;
* Parquet is cut into row-group ranges;
* text files are grouped, one document per file;
* WARC/WET files are cut at record boundaries (:mod:`thresher.io.warc`).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thresher.errors import ConfigError

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
COMPRESSED = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
PARQUET_SUFFIXES = (".parquet", ".pq")
TEXT_SUFFIXES = (".txt", ".text", ".md")


def file_format(path: str) -> tuple[str, str | None]:
    """``("jsonl" | "parquet" | "text" | "warc", compression)`` of a file, from its name."""
    from thresher.io.warc import is_warc

    if is_warc(path):
        return "warc", None  # FastWARC detects the compression itself
    name = path.lower()
    compression = None
    for suffix, comp in COMPRESSED.items():
        if name.endswith(suffix):
            compression = comp
            name = name[: -len(suffix)]
            break
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl", compression
    if name.endswith(PARQUET_SUFFIXES) and compression is None:
        return "parquet", None
    if compression is None:
        return "text", None
    raise ConfigError(f"{path}: don't know how to read a compressed {Path(name).suffix or 'file'}")


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    """Path to open."""
    rel: str
    """Path relative to the input root: the base of derived document ids."""
    fmt: str
    compression: str | None
    size: int


def expand_inputs(inputs: list[str]) -> list[InputFile]:
    """Resolve files, folders (recursively, sorted) and globs; fail on a missing input.

    Inside folders only known extensions are read (JSONL, Parquet, .txt/.md,
    WARC/WET); a file named directly is read whatever its extension (as text
    if unknown).
    """
    from thresher.io.warc import is_warc

    if not inputs:
        raise ConfigError("no input given: name at least one file, folder or glob")
    files: list[InputFile] = []
    seen: set[str] = set()

    def add(path: str, rel: str) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        fmt, comp = file_format(path)
        if fmt == "warc":
            from thresher.io.warc import require

            require()
        files.append(InputFile(path, rel, fmt, comp, os.path.getsize(path)))

    for item in inputs:
        if os.path.isdir(item):
            found = []
            for root, dirs, names in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if name.startswith("."):
                        continue
                    low = name.lower()
                    for suffix in COMPRESSED:
                        if low.endswith(suffix):
                            low = low[: -len(suffix)]
                    known = low.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES + TEXT_SUFFIXES)
                    if known or is_warc(name):
                        found.append(os.path.join(root, name))
            for path in sorted(found):
                add(path, os.path.relpath(path, item))
        elif os.path.isfile(item):
            add(item, os.path.basename(item))
        elif glob.has_magic(item):
            matches = sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
            if not matches:
                raise ConfigError(f"input glob {item!r} matches no file")
            base = _glob_base(item)
            for path in matches:
                add(path, os.path.relpath(path, base))
        else:
            raise ConfigError(f"input {item!r} does not exist")
    return files


def _glob_base(pattern: str) -> str:
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        base.append(part)
    return str(Path(*base)) if base else "."


@dataclass(slots=True)
class Task:
    """One unit of work: a slice of one input (or a group of text files)."""

    index: int
    kind: str  # "jsonl_range" | "jsonl_lines" | "parquet" | "text" | "warc"
    source: str  # path shown in errors
    rel: str
    start: int = 0  # byte offset / first row group
    end: int = 0  # byte offset (exclusive; -1: end of file) / last row group (exclusive)
    first_line: int = 1  # 1-based line number of the first line of the slice
    payload: bytes | None = None  # raw lines, for compressed JSONL read by the main process
    files: list[tuple[str, str]] = field(default_factory=list)  # text files: (path, rel)
    # errors met while the main process read this slice (e.g. a truncated .gz)
    reader_errors: list[dict[str, object]] = field(default_factory=list)
    nbytes: int = 0

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


#: ``warc_ranges``' signature: (path, chunk_bytes) -> (start, end, bytes, error) ranges.
WarcScan = Callable[[str, int], Iterable[tuple[int, int, int, dict[str, Any] | None]]]


def iter_tasks(
    files: list[InputFile],
    *,
    chunk_bytes: int,
    skip: set[int] | None = None,
    warc_scan: WarcScan | None = None,
) -> Iterator[Task]:
    """Cut the inputs into tasks in a deterministic order.

    ``skip`` holds task indices already finished: for compressed input their
    payload is not kept (the stream is still read to find the later chunks).
    ``warc_scan`` finds a WARC file's ranges in place of
    :func:`thresher.io.warc.warc_ranges` (the Ray executor's scans run on the
    cluster, the driver only collects them, in order).
    """
    index = 0
    text_group: list[tuple[str, str]] = []
    text_bytes = 0
    skip = skip or set()

    def flush_text() -> Iterator[Task]:
        nonlocal index, text_group, text_bytes
        if text_group:
            t = Task(
                index,
                "text",
                text_group[0][0],
                text_group[0][1],
                files=text_group,
                nbytes=text_bytes,
            )
            index += 1
            text_group, text_bytes = [], 0
            yield t

    for f in files:
        if f.fmt != "text":
            yield from flush_text()
        if f.fmt == "text":
            text_group.append((f.path, f.rel))
            text_bytes += f.size
            if text_bytes >= chunk_bytes or len(text_group) >= 10_000:
                yield from flush_text()
        elif f.fmt == "warc":
            scan = warc_scan
            if scan is None:
                from thresher.io.warc import warc_ranges

                scan = warc_ranges
            for start, end, nbytes, error in scan(f.path, chunk_bytes):
                errors = [{"source": f.path, **error}] if error else []
                yield Task(
                    index,
                    "warc",
                    f.path,
                    f.rel,
                    start=start,
                    end=end,
                    reader_errors=errors,
                    nbytes=nbytes,
                )
                index += 1
        elif f.fmt == "parquet":
            for start, end, nbytes, error in _parquet_ranges(f.path, chunk_bytes):
                yield Task(
                    index,
                    "parquet",
                    f.path,
                    f.rel,
                    start=start,
                    end=end,
                    nbytes=nbytes,
                    reader_errors=[{"source": f.path, **error}] if error else [],
                )
                index += 1
        elif f.compression is None:
            for start, end, line in _byte_ranges(f.path, chunk_bytes):
                yield Task(
                    index,
                    "jsonl_range",
                    f.path,
                    f.rel,
                    start=start,
                    end=end,
                    first_line=line,
                    nbytes=end - start,
                )
                index += 1
        else:
            for payload, line, errors in _compressed_chunks(f, chunk_bytes):
                keep = index not in skip
                yield Task(
                    index,
                    "jsonl_lines",
                    f.path,
                    f.rel,
                    first_line=line,
                    payload=payload if keep else None,
                    reader_errors=errors,
                    nbytes=len(payload),
                )
                index += 1
    yield from flush_text()


def _byte_ranges(path: str, chunk_bytes: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line number) of line-aligned ranges of about ``chunk_bytes``."""
    size = os.path.getsize(path)
    if size == 0:
        return
    line = 1
    start = 0
    with open(path, "rb") as fh:
        while start < size:
            target = start + chunk_bytes
            if target >= size:
                end = size
            else:
                fh.seek(target)
                rest = fh.readline()
                end = min(target + len(rest), size)
            yield start, end, line
            line += _count_newlines(fh, start, end)
            start = end


def _count_newlines(fh, start: int, end: int) -> int:
    fh.seek(start)
    count = 0
    remaining = end - start
    while remaining > 0:
        block = fh.read(min(remaining, 16 << 20))
        if not block:
            break
        count += block.count(b"\n")
        remaining -= len(block)
    return count


class TruncatedStream(Exception):
    """The compressed stream ended before its end marker."""


def _gzip_blocks(path: str) -> Iterator[bytes]:
    """Decompressed blocks of a (multi-member) gzip file.

    Unlike ``gzip.open`` this hands out every byte it could decompress before
    raising :class:`TruncatedStream`, so a cut-off file loses only its last line.
    """
    from thresher.io.writers import zlib_module

    zlib = zlib_module()
    with open(path, "rb") as fh:
        d = zlib.decompressobj(31)
        started = False
        while True:
            raw = fh.read(1 << 20)
            if not raw:
                if started and not d.eof:
                    raise TruncatedStream("gzip stream ends before its end marker")
                return
            while raw:
                started = True
                try:
                    out = d.decompress(raw)
                except zlib.error as exc:
                    raise TruncatedStream(f"corrupt gzip data: {exc}") from exc
                if out:
                    yield out
                if d.eof:
                    raw = d.unused_data
                    d = zlib.decompressobj(31)
                    started = bool(raw)
                else:
                    raw = b""


def _zstd_blocks(path: str) -> Iterator[bytes]:
    import zstandard

    with open(path, "rb") as fh:
        reader = zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True)
        try:
            while True:
                block = reader.read(1 << 20)
                if not block:
                    return
                yield block
        except zstandard.ZstdError as exc:
            raise TruncatedStream(f"corrupt zstd data: {exc}") from exc


def decompressed_blocks(path: str, compression: str | None) -> Iterator[bytes]:
    if compression == "gzip":
        return _gzip_blocks(path)
    if compression == "zstd":
        return _zstd_blocks(path)
    raise ValueError(compression)


def _compressed_chunks(
    f: InputFile, chunk_bytes: int
) -> Iterator[tuple[bytes, int, list[dict[str, object]]]]:
    """Stream a compressed JSONL file as (raw lines, first line number, reader errors)."""
    line = 1
    buf = bytearray()
    errors: list[dict[str, object]] = []
    try:
        for block in decompressed_blocks(f.path, f.compression):
            buf += block
            while len(buf) >= chunk_bytes:
                # Cut after the first newline at or past chunk_bytes (a record is never split).
                nl = buf.find(b"\n", chunk_bytes - 1)
                if nl < 0:
                    break
                payload = bytes(buf[: nl + 1])
                del buf[: nl + 1]
                yield payload, line, []
                line += payload.count(b"\n")
    except (TruncatedStream, OSError) as exc:
        # Keep every complete line read so far; the cut-off tail is one error record.
        cut = buf.rfind(b"\n") + 1
        del buf[cut:]
        where = line + buf.count(b"\n")
        errors.append(
            {
                "source": f.path,
                "line": where,
                "error": f"compressed stream is truncated or corrupt ({exc}); "
                "the records from this line on could not be read",
            }
        )
    if buf or errors:
        yield bytes(buf), line, errors


def reason(exc: BaseException) -> str:
    """A library's error message on one printable line (pyarrow's may hold
    newlines and control characters from the damaged bytes)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(exc)).split())


def _parquet_ranges(
    path: str, chunk_bytes: int
) -> Iterator[tuple[int, int, int, dict[str, Any] | None]]:
    """(first row group, end row group, bytes, error record) of ranges of about
    ``chunk_bytes``; a file whose footer can't be read is one empty range
    with its error (the run goes on with the other files)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as exc:
        error = f"not a readable Parquet file ({reason(exc)}); none of its rows could be read"
        yield 0, 0, 0, {"offset": 0, "error": error}
        return
    start = 0
    acc = 0
    for i in range(meta.num_row_groups):
        acc += meta.row_group(i).total_byte_size
        if acc >= chunk_bytes:
            yield start, i + 1, acc, None
            start, acc = i + 1, 0
    if start < meta.num_row_groups:
        yield start, meta.num_row_groups, acc, None
