"""FineWeb quality rules, each on both sides of its threshold."""

from __future__ import annotations

import pytest

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.quality.fineweb import FineWeb

LINE = "This line is long enough and it ends properly."


def reason(step: FineWeb, text: str) -> str | None:
    doc = Document(id="d", text=text)
    step.process(doc)
    return doc.removed["reason"] if doc.removed else None


def test_empty() -> None:
    assert reason(FineWeb(), " \n\n ") == "empty"


def test_line_punct_ratio() -> None:
    lines = [f"A line without a final mark number {i} here" for i in range(8)]
    assert reason(FineWeb(), "\n".join([*lines, LINE])) == "line_punct_ratio"  # 1/9 < 0.12
    assert reason(FineWeb(), "\n".join([*lines[:7], LINE])) is None  # 1/8 >= 0.12
    # exclude_zero lets a page with no punctuated line at all through
    assert reason(FineWeb(line_punct_exclude_zero=True), "\n".join(lines)) is None


def test_short_lines_duplicates_and_lists() -> None:
    short = "\n".join(["Short one.", "Short two.", "Short three.", LINE])
    assert reason(FineWeb(), short) == "short_line_ratio"  # 3/4 > 0.67
    dup = "\n".join([LINE, LINE, *[f"{LINE} {i}." for i in range(30)]])
    assert reason(FineWeb(), dup) == "char_dup_ratio"
    assert reason(FineWeb(), "\n".join([LINE, *[f"{LINE} {i}." for i in range(30)]])) is None
    many = "\n".join(f"Entry {i} has a long description here." for i in range(5))
    doc = Document(id="d", text=many)
    FineWeb().process(doc)
    assert doc.signals["fineweb_newline_ratio"] == pytest.approx(4 / 40)


def test_newline_ratio() -> None:
    text = "\n".join(f"Supercalifragilistic{i} expialidocious." for i in range(10))
    # 9 newlines over 30 words is not above 0.3; with blank lines between, 18/30 is.
    assert reason(FineWeb(), text) is None
    assert reason(FineWeb(), text.replace("\n", "\n\n")) == "list_ratio"


def test_validation_and_signal_only() -> None:
    with pytest.raises(ConfigError, match="max_short_line_ratio"):
        FineWeb(max_short_line_ratio=-1)
    off = FineWeb(
        min_line_punct_ratio=None,
        max_short_line_ratio=None,
        max_char_dup_ratio=None,
        max_newline_ratio=None,
    )
    assert reason(off, "a\na\na") is None
