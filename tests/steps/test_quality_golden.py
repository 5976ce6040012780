"""Decisions on the committed fixture equal DataTrove 0.10.1's.

``tests/data/quality/docs.jsonl.gz`` holds 402 short documents built to sit on
both sides of the thresholds (bench/quality_fixture.py);
``tests/data/quality/golden/`` holds DataTrove's keep/drop decision and reason
for each, and a hash of the text C4 keeps (bench/quality_parity.py --fixture).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import xxhash

from thresher.document import Document
from thresher.steps import build_step

DATA = Path(__file__).resolve().parents[1] / "data" / "quality"


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


DOCS = {d["id"]: d["text"] for d in _read(DATA / "docs.jsonl.gz")}


@pytest.mark.parametrize(
    "name", ["gopher_repetition", "gopher_quality", "c4", "c4_badwords", "fineweb"]
)
def test_decisions_equal_datatrove(name: str) -> None:
    step = build_step(name)
    golden = _read(DATA / "golden" / f"{name}.jsonl.gz")
    assert len(golden) == len(DOCS)
    wrong = []
    for g in golden:
        doc = Document(id=g["id"], text=DOCS[g["id"]])
        step.process(doc)
        reason = doc.removed["reason"] if doc.removed else None
        if (doc.removed is None) != g["keep"] or reason != g["reason"]:
            wrong.append((g["id"], g["reason"], reason))
        elif "text_xxh64" in g:
            assert xxhash.xxh64_hexdigest(doc.text.encode()) == g["text_xxh64"], g["id"]
    assert not wrong


def test_fineweb_after_c4_equals_datatrove() -> None:
    c4, fineweb = build_step("c4"), build_step("fineweb")
    for g in _read(DATA / "golden" / "c4_then_fineweb.jsonl.gz"):
        doc = Document(id=g["id"], text=DOCS[g["id"]])
        c4.process_batch([doc])
        fineweb.process_batch([doc])
        assert (doc.removed is None) == g["keep"], g["id"]


def test_fixture_exercises_both_sides_of_every_filter() -> None:
    for name in ("gopher_repetition", "gopher_quality", "c4", "c4_badwords", "fineweb"):
        keeps = {g["keep"] for g in _read(DATA / "golden" / f"{name}.jsonl.gz")}
        assert keeps == {True, False}, name
