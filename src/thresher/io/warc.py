"""WARC and WET input: web crawls read straight from their archive files.

A WARC file (``.warc``, ``.warc.gz``; Common Crawl's ``CC-MAIN-*.warc.gz``)
holds the pages as fetched; a WET file (``.wet``, ``.warc.wet.gz``) holds the
plain text Common Crawl extracted from them. Both are parsed with FastWARC and
Resiliparse (Bevendorff et al. 2018/2021, the ChatNoir tool chain), an optional
dependency (``pip install 'thresher[warc]'``).

Documents: one per ``response`` or ``resource`` record (a fetched page) and one
per ``conversion`` record (WET text). ``warcinfo``, ``request``, ``metadata``
and ``revisit`` records describe the crawl, not a page, and are not input
records. A page's HTML becomes text exactly as the segmentation model's training
pages were made (../shared/data/README.md, "How page_text was made"): all
visible text, one block per line, with Resiliparse's ``extract_plain_text``, so
the ``segment`` step sees what it was trained on. A record that is not HTML or
text (an image, a PDF) is kept in the accounting as removed by ``read`` with
reason ``not_text``; a record that can't be parsed goes to ``errors.jsonl`` with
its byte offset, and so does the rest of a file that is truncated or corrupt.

Tasks: the main process scans a file's record headers once (FastWARC skips the
payloads; a gzipped file is still inflated) and cuts it at record boundaries
into byte ranges of about ``chunk_bytes`` of payload; each worker reads its
own range, so one large WARC file is processed in parallel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from thresher.document import Document
from thresher.errors import ConfigError

if TYPE_CHECKING:
    from thresher.io.inputs import Task
    from thresher.io.readers import RecordSink

#: Names read as WARC/WET (compression is detected from the bytes).
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz", ".warc.zst", ".warc.lz4")

#: Content types read as HTML, and as plain text.
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_TEXT_TYPES = ("text/plain",)


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def require() -> None:
    """Fail before any work when the WARC libraries are missing."""
    try:
        import fastwarc  # noqa: F401
        import resiliparse  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "reading WARC/WET files needs Resiliparse: pip install 'thresher[warc]'"
        ) from exc


def _doc_types() -> Any:
    from fastwarc.warc import WarcRecordType

    return WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion


def warc_ranges(
    path: str, chunk_bytes: int
) -> Iterator[tuple[int, int, int, dict[str, Any] | None]]:
    """(start, end, payload bytes, error record) of byte ranges of ``path`` cut at
    record boundaries, each holding about ``chunk_bytes`` of document payload.

    The last range's end is -1 (the end of the file), or the offset where the
    file is found truncated, with an error that says so (FastWARC itself stops
    quietly at a cut-off gzip member). A file is cut only where a record starts
    a gzip member of its own (as WARC files are written) or is uncompressed;
    other files (one gzip stream, zstd, lz4) are one range.
    """
    from fastwarc.warc import ArchiveIterator

    doc_types = _doc_types()
    with open(path, "rb") as fh:
        magic = fh.read(4)
    # (A file cut within its first bytes counts as what it starts as.)
    gzipped = bool(magic) and b"\x1f\x8b".startswith(magic[:2])
    splittable = gzipped or (bool(magic) and b"WARC".startswith(magic))
    want = b"\x1f\x8b" if gzipped else b"WARC"  # what a record's first bytes must be
    start = acc = last = size = 0
    seen = False
    cut: int | None = None
    ranges: list[tuple[int, int, int]] = []
    with open(path, "rb") as fh, open(path, "rb") as probe:
        records = ArchiveIterator(fh, parse_http=False)
        while True:
            try:
                rec = next(records)
            except StopIteration:
                break
            except Exception:
                # A record FastWARC can't parse: the file is cut before it.
                if not gzipped:  # (for gzip, the member check below finds it)
                    cut = _record_end(path, last, size) if seen else 0
                break
            last, size, seen = rec.stream_pos, rec.content_length, True
            # A record cut off in its header lacks the mandatory Content-Length.
            if "Content-Length" not in rec.headers or rec.reader.consume() < rec.content_length:
                cut = last
                break
            if not rec.record_type & doc_types:
                continue
            if splittable and acc >= chunk_bytes:
                probe.seek(last)
                if probe.read(len(want)) != want:
                    splittable = False  # records don't start members: one range
                else:
                    ranges.append((start, last, acc))
                    start, acc = last, 0
            acc += rec.content_length
    if cut is None and gzipped:
        cut = _cut_gzip_member(path, last if splittable else 0)
    elif cut is None and splittable:
        # Uncompressed: the last record must end where the file does (FastWARC
        # takes a cut-off header for a record, and ignores a stray tail).
        end = _record_end(path, last, size) if seen else 0
        if end < os.path.getsize(path):
            cut = end
    if not splittable:
        # One range to the end; its worker stays quiet about the cut-off tail.
        error = None
        if cut is not None:
            error = {
                "offset": os.path.getsize(path),
                "error": "WARC file ends inside a record (truncated or corrupt); "
                "the records it cuts off can't be read",
            }
        yield 0, -1, sum(r[2] for r in ranges) + acc, error
        return
    yield from ((a, b, n, None) for a, b, n in ranges)
    if cut is None:
        yield start, -1, acc, None
    else:
        yield (
            start,
            cut,
            acc,
            {
                "offset": cut,
                "error": "WARC file is truncated or corrupt: the record at this offset is cut off; "
                "it and anything after it can't be read",
            },
        )


def _record_end(path: str, pos: int, size: int) -> int:
    """Where the uncompressed record at ``pos`` with a block of ``size`` bytes
    ends: its header, the block and the blank line after it."""
    with open(path, "rb") as fh:
        fh.seek(pos)
        head = fh.read(64 << 10)
    eoh = head.find(b"\r\n\r\n")
    return min(pos + eoh + 4 + size + 4, os.path.getsize(path)) if eoh >= 0 else pos


def _cut_gzip_member(path: str, pos: int) -> int | None:
    """Offset of the first gzip member from ``pos`` (a member start) on that
    ends before its end marker, or None when the file ends cleanly. Streams,
    so a file that is one gzip stream costs time, not memory."""
    import zlib

    with open(path, "rb") as fh:
        fh.seek(pos)
        d = zlib.decompressobj(31)
        member = offset = pos
        started = False
        while True:
            raw = fh.read(1 << 20)
            if not raw:
                return member if started else None
            while raw:
                started = True
                try:
                    d.decompress(raw, 1 << 22)
                except zlib.error:
                    return member
                if d.eof:
                    rest = d.unused_data
                    offset += len(raw) - len(rest)
                    member = offset
                    d = zlib.decompressobj(31)
                    raw, started = rest, bool(rest)
                else:
                    tail = d.unconsumed_tail
                    offset += len(raw) - len(tail)
                    raw = tail


class _Range:
    """A read-only view of ``fh`` from its current position to ``end`` (-1: EOF)."""

    def __init__(self, fh: BinaryIO, end: int) -> None:
        self.fh = fh
        self.left = -1 if end < 0 else end - fh.tell()

    def read(self, size: int = -1) -> bytes:
        if self.left < 0:
            return self.fh.read(size)
        if size < 0 or size > self.left:
            size = self.left
        data = self.fh.read(size)
        self.left -= len(data)
        return data

    def tell(self) -> int:
        return self.fh.tell()

    def seek(self, offset: int, whence: int = 0) -> int:  # pragma: no cover - not used by FastWARC
        raise OSError("not seekable")

    def close(self) -> None:
        pass


def html_to_text(html: bytes, charset: str | None) -> tuple[str, str | None]:
    """A page's visible text, one block per line, blank lines dropped (the
    training pages' recipe), and its ``<title>`` (None when it has none).
    Bytes are read as UTF-8 when they are valid UTF-8, else in the HTTP
    header's charset, else in the detected one; bytes that still don't decode
    are dropped (Resiliparse's ``bytes_to_str``)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    try:
        # Valid UTF-8 is UTF-8 whatever the header says (headers lie more often).
        page = html.decode("utf-8-sig")
    except UnicodeDecodeError:
        page = bytes_to_str(html, charset or detect_encoding(html) or "cp1252")
    tree = HTMLTree.parse(page)
    # The options that made the training pages' page_text (shared data README).
    text = extract_plain_text(
        tree,
        main_content=False,
        preserve_formatting=True,
        alt_texts=False,
        links=False,
        list_bullets=False,
        form_fields=False,
        noscript=False,
        comments=True,
    )
    lines = "\n".join(s for line in text.splitlines() if (s := line.strip()))
    return lines, tree.title or None


def _header(rec: Any, name: str) -> str:
    value = rec.headers.get(name) or ""
    # WARC 1.0 writers put angle brackets around URIs ("<https://...>").
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def warc_docs(task: Task, sink: RecordSink) -> Iterator[Document]:
    """The documents of one byte range of a WARC/WET file."""
    from fastwarc.warc import ArchiveIterator

    from thresher.io.readers import ordinal

    # When the scan already reported a cut-off tail (see warc_ranges), the
    # stream error it causes here is the same loss: not reported twice.
    truncated = bool(task.reader_errors)
    n = 0
    pos = task.start
    with open(task.source, "rb") as fh:
        fh.seek(task.start)
        records = ArchiveIterator(
            _Range(fh, task.end), record_types=_doc_types(), parse_http=True, auto_decode="all"
        )
        while True:
            try:
                rec = next(records)
                pos = rec.stream_pos
                body = rec.reader.read()
            except StopIteration:
                return
            except Exception as exc:  # FastWARC's parse and decompression errors
                if not truncated:
                    sink.error(
                        {
                            "source": task.source,
                            "offset": pos,
                            "error": f"WARC record can't be read ({exc}); "
                            "the records after it in this part of the file are lost",
                        }
                    )
                return
            try:
                text, ctype, title = _record_text(rec, body)
            except Exception as exc:
                sink.error({"source": task.source, "offset": pos, "error": f"WARC record: {exc}"})
                continue
            doc = Document(
                id=_header(rec, "WARC-Record-ID") or f"{task.rel}@{pos}",
                text=text or "",
                source=task.source,
                line=None,
                ordinal=ordinal(task.index, n),
                meta={
                    "url": _header(rec, "WARC-Target-URI"),
                    "date": rec.headers.get("WARC-Date"),
                    "content_type": ctype,
                    "warc_offset": pos,
                },
            )
            if title:
                doc.meta["html_title"] = title
            if text is None:
                doc.remove("read", "not_text")
            yield doc
            n += 1


def _record_text(rec: Any, body: bytes) -> tuple[str | None, str, str | None]:
    """(text or None when the record is neither HTML nor text, content type,
    the HTML title)."""
    from fastwarc.warc import WarcRecordType

    if rec.record_type == WarcRecordType.conversion:  # WET: UTF-8 text already
        ctype = (rec.headers.get("Content-Type") or "text/plain").split(";")[0].lower()
        return body.decode("utf-8", errors="replace"), ctype, None
    if rec.is_http:
        ctype, charset = (rec.http_content_type or "").lower(), rec.http_charset
    else:
        ctype, charset = (rec.headers.get("Content-Type") or "").split(";")[0].lower(), None
    # The crawler's own reading of the payload (Common Crawl's WARC files carry
    # it) overrides a missing or wrong server header.
    identified = (rec.headers.get("WARC-Identified-Payload-Type") or "").lower()
    if identified:
        ctype = identified
    if ctype.startswith(_HTML_TYPES) or (not ctype and body.lstrip()[:1] == b"<"):
        text, title = html_to_text(body, charset)
        return text, ctype, title
    if ctype.startswith(_TEXT_TYPES):
        from resiliparse.parse.encoding import bytes_to_str

        return bytes_to_str(body, charset or "utf-8"), ctype, None
    return None, ctype, None
