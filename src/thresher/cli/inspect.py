"""``thresher inspect``: one document, its zones in colour, its signals, why it was removed."""

from __future__ import annotations

import argparse
import sys

from thresher.document import Document
from thresher.errors import ConfigError

_COLORS = {
    "title": "1;36",  # bold cyan
    "main": "0",  # plain
    "boilerplate": "2;37",  # dim grey
    "caption": "35",  # magenta
    "comment": "32",  # green
    "comment_meta": "2;32",  # dim green
    "duplicate": "2;33",  # dim yellow
}


def find_document(path: str, doc_id: str | None, text_field: str, id_field: str) -> Document:
    from thresher.io.inputs import expand_inputs, iter_tasks
    from thresher.io.readers import ReadOptions, RecordSink, read_task

    files = expand_inputs([path])
    opts = ReadOptions(text_field, id_field, strict=False)
    for task in iter_tasks(files, chunk_bytes=32 << 20):
        for doc in read_task(task, opts, RecordSink(strict=False)):
            if doc_id is None or doc.id == doc_id:
                return doc
    raise ConfigError(
        f"no document with id {doc_id!r} in {path}" if doc_id else f"no readable document in {path}"
    )


def render_zones(doc: Document, color: bool) -> str:
    original = doc.original if doc.original is not None else doc.text
    if not doc.zones:
        return original
    out: list[str] = []
    for start, end, label in doc.zones:
        piece = original[start:end]
        tag = f"{label:>12} | "
        for line in piece.split("\n"):
            if not line:
                continue
            if color:
                out.append(f"\x1b[{_COLORS.get(label, '0')}m{tag}{line}\x1b[0m")
            else:
                out.append(f"{tag}{line}")
    return "\n".join(out)


def describe(doc: Document, *, color: bool) -> str:
    def head(s: str) -> str:
        return f"\x1b[1m{s}\x1b[0m" if color else s

    where = f"{doc.source}:{doc.line}" if doc.line else doc.source
    lines = [head(f"document {doc.id}") + f"  ({where})"]
    if doc.removed:
        msg = f"REMOVED by {doc.removed['step']}: {doc.removed['reason']}"
        lines.append(f"\x1b[1;31m{msg}\x1b[0m" if color else msg)
    else:
        lines.append("kept")
    lines.append(f"title: {doc.title!r}")
    lines.append(
        f"lang: {doc.lang} ({doc.lang_score if doc.lang_score is not None else '-'})  "
        f"toxicity: {doc.toxicity if doc.toxicity is not None else '-'}  pii: {doc.pii or {}}"
    )
    lines += ["", head("zones" if doc.zones else "text")]
    lines.append(render_zones(doc, color))
    if doc.zones:
        lines += ["", head("clean text"), doc.text]
    if doc.comments:
        lines += ["", head(f"comments ({len(doc.comments)})")]
        for i, c in enumerate(doc.comments, 1):
            extra = ", ".join(f"{k}={v}" for k, v in c.items() if k not in ("author", "text"))
            lines.append(f"[{i}] {c.get('author') or '(no author)'}  {extra}")
            lines.append(f"    {c.get('text', '')}")
    if doc.edits:
        lines += ["", head("taken out")]
        for e in doc.edits:
            lines.append(f"  {e['step']:<14} {e['reason']:<22} {e['text'][:100]!r}")
    lines += ["", head("signals")]
    for k in sorted(doc.signals):
        v = doc.signals[k]
        lines.append(f"  {k:<44} {v:.4g}" if isinstance(v, float) else f"  {k:<44} {v}")
    return "\n".join(lines)


def cmd_inspect(args: argparse.Namespace) -> int:
    from thresher.api import process_documents
    from thresher.pipeline import Pipeline, load_config

    doc = find_document(args.input, args.id, args.text_field, args.id_field)
    if args.config:
        pipe = Pipeline.from_config(load_config(args.config), only=args.only, skip=args.skip)
    else:
        pipe = Pipeline.default(only=args.only, skip=args.skip)
    for step in pipe.steps:
        step.setup()
    process_documents(pipe.steps, [doc])
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    print(describe(doc, color=color))
    return 0


__all__ = ["cmd_inspect", "describe", "find_document"]
