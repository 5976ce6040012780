from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import write_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.errors import ConfigError, InputError
from thresher.io.inputs import expand_inputs, iter_tasks
from thresher.io.readers import ReadOptions, RecordSink, read_task


def read_all(paths: list[str], chunk_bytes: int = 1 << 20, **kw: object):
    sink = RecordSink(strict=bool(kw.pop("strict", False)))
    opts = ReadOptions(**kw)  # type: ignore[arg-type]
    docs = []
    for task in iter_tasks(expand_inputs(paths), chunk_bytes=chunk_bytes):
        docs.extend(read_task(task, opts, sink))
    return docs, sink.errors


def test_jsonl_fields_ids_and_meta(tmp_path: Path) -> None:
    p = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "x1", "text": "hello", "url": "u"}, {"text": "no id"}]
    )
    docs, errors = read_all([str(p)])
    assert [d.id for d in docs] == ["x1", "a.jsonl:2"]
    assert docs[0].meta == {"url": "u"}
    assert docs[1].line == 2 and errors == []


def test_custom_text_and_id_fields(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"doc": 7, "content": "hi"}])
    docs, _ = read_all([str(p)], text_field="content", id_field="doc")
    assert docs[0].id == "7" and docs[0].text == "hi"


@pytest.mark.parametrize("compress", [None, "gzip", "zstd"])
def test_bad_records_become_errors_with_line(tmp_path: Path, compress: str | None) -> None:
    suffix = {None: "", "gzip": ".gz", "zstd": ".zst"}[compress]
    p = write_jsonl(
        tmp_path / f"a.jsonl{suffix}",
        [
            {"text": "ok"},
            b"{not json",
            {"title": "no text"},
            b'{"text": "\xff\xfe bad utf8"}',
            b"[1, 2]",
            {"text": 5},
        ],
        compress=compress,
    )
    docs, errors = read_all([str(p)])
    assert len(docs) == 1
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 6]
    assert all(e["source"] == str(p) for e in errors)
    assert "invalid JSON" in errors[0]["error"]
    assert "'text' field" in errors[1]["error"]
    assert "UTF-8" in errors[2]["error"]


def test_strict_stops_at_first_bad_record(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"text": "ok"}, b"{oops"])
    with pytest.raises(InputError, match=r"a\.jsonl:2: invalid JSON"):
        read_all([str(p)], strict=True)


def test_truncated_gzip_keeps_complete_lines_and_reports_tail(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"text": "doc %d"}\n' % i for i in range(2000)))
    p = tmp_path / "t.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    docs, errors = read_all([str(p)])
    assert len(docs) > 0 and len(errors) == 1
    assert "truncated" in errors[0]["error"] and errors[0]["line"] == len(docs) + 1


def test_empty_files_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n\n  \n")
    (tmp_path / "e.jsonl.gz").write_bytes(gzip.compress(b""))
    docs, errors = read_all([str(tmp_path)])
    assert docs == [] and errors == []


def test_folder_of_text_files_ids_from_relative_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "sub" / "bad.txt").write_bytes(b"caf\xe9")
    docs, errors = read_all([str(tmp_path)])
    assert [d.id for d in docs] == ["a.txt", "sub/b.txt"]
    assert errors[0]["source"].endswith("bad.txt") and errors[0]["offset"] == 3


def test_parquet_and_globs(tmp_path: Path) -> None:
    table = pa.table(
        {"id": ["p1", "p2", None], "text": ["one", "two", None], "lang": ["en", "de", "fr"]}
    )
    pq.write_table(table, tmp_path / "x.parquet", row_group_size=1)
    docs, errors = read_all([str(tmp_path / "*.parquet")], chunk_bytes=1024)
    assert [d.id for d in docs] == ["p1", "p2"] and docs[1].meta == {"lang": "de"}
    assert errors == [
        {
            "source": str(tmp_path / "x.parquet"),
            "offset": 2,
            "error": "row has no string 'text' value",
        }
    ]


def test_missing_input_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        expand_inputs([str(tmp_path / "nope.jsonl")])
    with pytest.raises(ConfigError, match="matches no file"):
        expand_inputs([str(tmp_path / "*.jsonl")])


def test_one_large_file_is_split_into_byte_ranges(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "big.jsonl", [{"text": f"document number {i}"} for i in range(5000)])
    tasks = list(iter_tasks(expand_inputs([str(p)]), chunk_bytes=8192))
    assert len(tasks) > 10
    docs, errors = read_all([str(p)], chunk_bytes=8192)
    assert [d.line for d in docs] == list(range(1, 5001)) and errors == []
    assert [d.text for d in docs] == [f"document number {i}" for i in range(5000)]
    assert len({d.ordinal for d in docs}) == 5000
    assert [d.ordinal for d in docs] == sorted(d.ordinal for d in docs)


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.builds(lambda t: {"text": t}, st.text(max_size=40)),
            st.binary(max_size=30),
            st.builds(lambda t: {"other": t}, st.text(max_size=10)),
        ),
        max_size=40,
    ),
    chunk=st.integers(min_value=1024, max_value=4096),
)
def test_every_line_is_a_document_or_an_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list, chunk: int
) -> None:
    d = tmp_path_factory.mktemp("prop")
    cleaned = [(x.replace(b"\n", b" ") if isinstance(x, bytes) else x) for x in lines]
    p = write_jsonl(d / "p.jsonl", cleaned)
    nonblank = sum(1 for line in p.read_bytes().split(b"\n") if line.strip())
    docs, errors = read_all([str(p)], chunk_bytes=chunk)
    assert len(docs) + len(errors) == nonblank


def test_corrupt_parquet_files_and_row_groups_are_errors(tmp_path: Path) -> None:
    # A file that is no Parquet at all (it had stopped the run with pyarrow's
    # traceback) and a row group whose page header is overwritten: their rows
    # are errors naming the file, and the readable rows are read.
    (tmp_path / "a_junk.parquet").write_bytes(b"PAR1 not really a parquet file")
    table = pa.table({"id": ["a", "b", "c", "d"], "text": [w * 20 for w in "wxyz"]})
    good = tmp_path / "b_rows.parquet"
    pq.write_table(table, good, row_group_size=2, compression="none")
    offset = pq.ParquetFile(good).metadata.row_group(0).column(1).data_page_offset
    data = bytearray(good.read_bytes())
    data[offset : offset + 40] = b"\xff" * 40
    good.write_bytes(bytes(data))
    docs, errors = read_all([str(tmp_path / "*.parquet")])
    assert [d.id for d in docs] == ["c", "d"]
    assert [(e["source"], e["offset"]) for e in errors] == [
        (str(tmp_path / "a_junk.parquet"), 0),
        (str(good), 0),
        (str(good), 1),
    ]
    assert errors[0]["error"].startswith("not a readable Parquet file (")
    assert errors[1]["error"].startswith("row group 0 can't be read (")
    assert all(c.isprintable() for c in errors[0]["error"] + errors[1]["error"])


def test_parquet_without_the_text_column_is_one_error_per_row(tmp_path: Path) -> None:
    table = pa.table({"id": ["a", "b", "c"], "body": ["one", "two", "three"]})
    pq.write_table(table, tmp_path / "x.parquet", row_group_size=2)
    docs, errors = read_all([str(tmp_path / "x.parquet")])
    assert docs == []
    assert [e["offset"] for e in errors] == [0, 1, 2]
    assert errors[0]["error"] == "no 'text' column (choose another with --text-field)"
