"""Turning a :class:`~thresher.io.inputs.Task` into Documents.

Every record of the slice becomes either a Document or an error record
(``{"source", "line" | "offset", "error"}``); nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from thresher.document import Document
from thresher.errors import InputError
from thresher.io.inputs import Task, reason


@dataclass(frozen=True, slots=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    strict: bool = False


def ordinal(task_index: int, record_index: int) -> int:
    """Global input-order number of a record: task in the high bits, record in the low."""
    return (task_index << 32) | record_index


class RecordSink:
    """Collects error records; raises at the first one in strict mode."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.errors: list[dict[str, Any]] = []

    def error(self, rec: dict[str, Any]) -> None:
        if self.strict:
            raise InputError(
                str(rec["error"]),
                source=str(rec["source"]),
                line=rec.get("line"),
                offset=rec.get("offset"),
            )
        self.errors.append(rec)


def read_task(task: Task, opts: ReadOptions, sink: RecordSink) -> Iterator[Document]:
    for rec in task.reader_errors:
        sink.error(dict(rec))
    if task.kind == "jsonl_range":
        with open(task.source, "rb") as fh:
            fh.seek(task.start)
            data = fh.read(task.end - task.start)
        yield from _jsonl_docs(task, data, opts, sink)
    elif task.kind == "jsonl_lines":
        yield from _jsonl_docs(task, task.payload or b"", opts, sink)
    elif task.kind == "parquet":
        yield from _parquet_docs(task, opts, sink)
    elif task.kind == "text":
        yield from _text_docs(task, sink)
    elif task.kind == "warc":
        from thresher.io.warc import warc_docs

        yield from warc_docs(task, sink)
    else:  # pragma: no cover - tasks are made by iter_tasks
        raise ValueError(f"unknown task kind {task.kind!r}")


def _jsonl_docs(task: Task, data: bytes, opts: ReadOptions, sink: RecordSink) -> Iterator[Document]:
    text_field, id_field = opts.text_field, opts.id_field
    lineno = task.first_line - 1
    n = 0

    def bad(message: str) -> None:
        sink.error({"source": task.source, "line": lineno, "error": message})

    for raw in data.split(b"\n"):
        lineno += 1
        if not raw.strip():
            continue
        try:
            rec = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            msg = str(exc)
            utf8 = "utf-8" in msg.lower() or "surrogate" in msg.lower()
            bad(f"not valid UTF-8: {msg}" if utf8 else f"invalid JSON: {msg}")
            continue
        if not isinstance(rec, dict):
            bad(f"expected a JSON object, got {type(rec).__name__}")
            continue
        text = rec.pop(text_field, None)
        if not isinstance(text, str):
            what = "no" if text is None else f"a non-string ({type(text).__name__})"
            bad(f"record has {what} {text_field!r} field (choose another with --text-field)")
            continue
        doc_id = rec.pop(id_field, None)
        yield Document(
            id=str(doc_id) if doc_id is not None else f"{task.rel}:{lineno}",
            text=text,
            source=task.source,
            line=lineno,
            ordinal=ordinal(task.index, n),
            meta=rec,
        )
        n += 1


def _parquet_docs(task: Task, opts: ReadOptions, sink: RecordSink) -> Iterator[Document]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if task.start == task.end:
        return  # a file whose footer could not be read (its error is the task's)
    pf = pq.ParquetFile(task.source)

    def unreadable(g: int, row: int, error: str) -> int:
        """Each row of row group ``g`` (the first at ``row``) is an error of
        its own; the next group's first row."""
        for _ in range(pf.metadata.row_group(g).num_rows):
            sink.error({"source": task.source, "offset": row, "error": error})
            row += 1
        return row

    row = sum(pf.metadata.row_group(i).num_rows for i in range(task.start))
    if opts.text_field not in pf.schema_arrow.names:
        # Every row of the slice is unreadable for the same reason.
        missing = f"no {opts.text_field!r} column (choose another with --text-field)"
        for g in range(task.start, task.end):
            row = unreadable(g, row, missing)
        return
    n = 0
    for g in range(task.start, task.end):
        try:
            table = pf.read_row_group(g)
        except (pa.ArrowException, OSError) as exc:
            row = unreadable(g, row, f"row group {g} can't be read ({reason(exc)})")
            continue
        for rec in table.to_pylist():
            text = rec.pop(opts.text_field, None)
            if not isinstance(text, str):
                sink.error(
                    {
                        "source": task.source,
                        "offset": row,
                        "error": f"row has no string {opts.text_field!r} value",
                    }
                )
                row += 1
                continue
            doc_id = rec.pop(opts.id_field, None)
            yield Document(
                id=str(doc_id) if doc_id is not None else f"{task.rel}:{row}",
                text=text,
                source=task.source,
                line=None,
                ordinal=ordinal(task.index, n),
                meta=rec,
            )
            n += 1
            row += 1


def _text_docs(task: Task, sink: RecordSink) -> Iterator[Document]:
    for n, (path, rel) in enumerate(task.files):
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            sink.error(
                {
                    "source": path,
                    "offset": exc.start,
                    "error": f"not valid UTF-8 at byte {exc.start}",
                }
            )
            continue
        except OSError as exc:
            sink.error({"source": path, "offset": 0, "error": f"can't read file: {exc}"})
            continue
        yield Document(
            id=rel, text=text, source=path, line=None, ordinal=ordinal(task.index, n), meta={}
        )
