"""WARC and WET input: pages read from crawl archives, cut into ranges, and
nothing lost when a file is cut off."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import crawl, read_shards, record, write_warc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thresher.cli.main import main
from thresher.errors import ConfigError
from thresher.io.inputs import expand_inputs, iter_tasks
from thresher.io.readers import ReadOptions, RecordSink, read_task

pytest.importorskip("resiliparse")


def read_all(path: Path, chunk_bytes: int = 1 << 20):
    sink = RecordSink(strict=False)
    docs = []
    tasks = list(iter_tasks(expand_inputs([str(path)]), chunk_bytes=chunk_bytes))
    for task in tasks:
        docs.extend(read_task(task, ReadOptions(), sink))
    return docs, sink.errors, tasks


def test_pages_become_documents_with_visible_text_and_meta(tmp_path: Path) -> None:
    docs, errors, _ = read_all(write_warc(tmp_path / "c.warc.gz", crawl(2)))
    assert errors == []
    # warcinfo and request records are not documents; the image is one, removed.
    assert [d.id for d in docs] == [
        "urn:uuid:00000000-0000-0000-0000-000000000001",
        "urn:uuid:00000000-0000-0000-0000-000000000002",
        "urn:uuid:00000000-0000-0000-0000-000000000099",
    ]
    page = docs[0]
    lines = page.text.split("\n")
    # One block per line, as the segmentation model's training pages.
    assert lines[:4] == ["Home", "World", "Sport", "Rivers rise 0 after a week of rain"]
    assert any(line.startswith("The river rose two metres overnight") for line in lines)
    assert page.meta["url"] == "https://example.org/0"
    assert page.meta["content_type"] == "text/html"
    assert page.meta["date"] == "2024-05-01T10:00:01Z"
    # The <title> is not visible text: it comes in meta.
    assert page.meta["html_title"] == "Rivers rise 0 - The Daily"
    assert page.removed is None
    image = docs[2]
    assert image.removed == {"step": "read", "reason": "not_text"}
    assert image.meta["content_type"] == "image/png"


@pytest.mark.parametrize("gz", [True, False])
def test_a_file_cut_into_ranges_reads_the_same(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("c.warc.gz" if gz else "c.warc"), crawl(12), gz=gz)
    whole, _, one = read_all(path)
    parts, errors, many = read_all(path, chunk_bytes=1500)
    assert len(one) == 1 and len(many) > 4
    assert errors == []
    assert [(d.id, d.text) for d in parts] == [(d.id, d.text) for d in whole]
    assert len(whole) == 13


def test_one_gzip_stream_is_read_as_one_range(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    path.write_bytes(gzip.compress(b"".join(crawl(12))))
    docs, errors, tasks = read_all(path, chunk_bytes=1500)
    assert len(tasks) == 1 and len(docs) == 13 and errors == []


@pytest.mark.parametrize("gz", [True, False])
def test_a_truncated_file_keeps_what_it_can_and_says_where(tmp_path: Path, gz: bool) -> None:
    recs = crawl(6)
    full = write_warc(tmp_path / "full.warc", recs, gz=gz)
    data = full.read_bytes()
    cut_at = len(data) - len(gzip.compress(recs[-1]) if gz else recs[-1])  # the image
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: cut_at + 40])
    for chunk in (1 << 20, 1500):
        docs, errors, _ = read_all(path, chunk_bytes=chunk)
        assert len(docs) == 6  # every page before the cut
        assert len(errors) == 1
        assert errors[0]["offset"] == cut_at
        assert "truncated" in errors[0]["error"] and errors[0]["source"] == str(path)


def test_wet_conversion_records_are_text(tmp_path: Path) -> None:
    text = "Rivers rise after a week of rain\nThe river rose two metres overnight."
    recs = [
        record("warcinfo", 0, b"software: test\r\n", http_type=None),
        record("conversion", 1, text.encode(), http_type=None),
    ]
    docs, errors, _ = read_all(write_warc(tmp_path / "c.warc.wet.gz", recs))
    assert errors == [] and len(docs) == 1
    assert docs[0].text == text and docs[0].meta["content_type"] == "text/plain"


def test_the_http_charset_decodes_the_page(tmp_path: Path) -> None:
    page = "<html><body><p>Un café à Paris, très bon.</p></body></html>".encode("cp1252")
    recs = [record("response", 1, page, http_type="text/html; charset=windows-1252")]
    docs, _, _ = read_all(write_warc(tmp_path / "c.warc.gz", recs))
    assert docs[0].text == "Un café à Paris, très bon."


def test_the_crawlers_payload_type_overrides_the_server(tmp_path: Path) -> None:
    page = b"<html><body><p>Served as a download, but a page.</p></body></html>"
    recs = [
        record(
            "response",
            1,
            page,
            http_type="application/octet-stream",
            extra="WARC-Identified-Payload-Type: text/html\r\n",
        ),
        record(
            "response",
            2,
            page,
            http_type="text/html",
            extra="WARC-Identified-Payload-Type: application/pdf\r\n",
        ),
    ]
    docs, _, _ = read_all(write_warc(tmp_path / "c.warc.gz", recs))
    assert docs[0].text == "Served as a download, but a page." and docs[0].removed is None
    assert docs[1].removed == {"step": "read", "reason": "not_text"}
    assert docs[1].meta["content_type"] == "application/pdf"


def test_folders_pick_up_warc_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_warc(tmp_path / "in" / "a.warc.gz", crawl(1))
    write_warc(tmp_path / "in" / "b.wet.gz", [record("conversion", 5, b"hi", http_type=None)])
    files = expand_inputs([str(tmp_path / "in")])
    assert [(f.rel, f.fmt) for f in files] == [("a.warc.gz", "warc"), ("b.wet.gz", "warc")]


def test_missing_resiliparse_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real = builtins.__import__

    def fail(name: str, *args: object, **kw: object) -> object:
        if name.split(".")[0] in ("resiliparse", "fastwarc"):
            raise ImportError(name)
        return real(name, *args, **kw)  # type: ignore[arg-type]

    path = write_warc(tmp_path / "c.warc.gz", crawl(1))
    monkeypatch.setattr(builtins, "__import__", fail)
    with pytest.raises(ConfigError, match=r"pip install 'thresher\[warc\]'"):
        expand_inputs([str(path)])


def test_clean_a_crawl_every_record_accounted_for(tmp_path: Path) -> None:
    recs = crawl(6)
    full = write_warc(tmp_path / "full.warc.gz", recs).read_bytes()
    cut = write_warc(tmp_path / "cut.warc.gz", recs)
    cut.write_bytes(full[: len(full) - 30])  # the image's member is cut off
    out = tmp_path / "out"
    argv = ["clean", str(cut), "-o", str(out), "--workers", "1", "--no-progress"]
    assert main([*argv, "--only", "normalize,segment"]) == 0
    stats = json.loads((out / "stats.json").read_text())
    removed = sum(sum(r.values()) for r in stats["removed"].values())
    assert stats["input"] == stats["kept"] + removed + stats["errors"]
    assert (stats["input"], stats["kept"], stats["errors"]) == (7, 6, 1)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["source"] == str(cut) and "truncated" in errors[0]["error"]
    kept = read_shards(out / "kept")
    # Each page comes out as its article: the headline as title, the menu gone.
    assert [r["title"] for r in kept] == [f"Rivers rise {i} after a week of rain" for i in range(6)]
    assert all(r["meta"]["url"].startswith("https://example.org/") for r in kept)
    for r in kept:
        assert "Home" not in r["text"].split("\n")
        assert r["text"].startswith("The river rose two metres overnight")


def test_strict_stops_at_the_cut_naming_file_and_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recs = crawl(2)
    path = write_warc(tmp_path / "cut.warc.gz", recs)
    path.write_bytes(path.read_bytes()[:-30])
    out = tmp_path / "out"
    rc = main(["clean", str(path), "-o", str(out), "--strict", "--no-progress", "--workers", "1"])
    assert rc != 0
    cut_at = sum(len(gzip.compress(r)) for r in recs[:-1])  # the image's record
    assert f"{path}@{cut_at}: WARC file is truncated" in capsys.readouterr().err


@pytest.mark.parametrize("gz", [True, False])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_cut_anywhere_nothing_is_lost_or_invented(
    tmp_path: Path, gz: bool, data: st.DataObject
) -> None:
    """Wherever a file is cut, reading never fails: the documents are the
    whole file's first ones, unchanged, and one error says where the rest went
    (none when the cut falls between records)."""
    recs = crawl(4)
    members = [gzip.compress(r) if gz else r for r in recs]
    bounds = [sum(len(m) for m in members[:i]) for i in range(len(members) + 1)]
    full = b"".join(members)
    cut = data.draw(st.integers(1, len(full) - 1), label="cut")
    chunk = data.draw(st.sampled_from([1 << 20, 1200]), label="chunk_bytes")
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(full)
    whole, _, _ = read_all(path)
    path.write_bytes(full[:cut])
    docs, errors, _ = read_all(path, chunk_bytes=chunk)
    assert [(d.id, d.text) for d in docs] == [(d.id, d.text) for d in whole[: len(docs)]]
    # Uncompressed, a cut inside a record's closing blank line loses no content.
    intact = set(bounds) | ({b - k for b in bounds[1:] for k in range(1, 5)} if not gz else set())
    assert len(errors) == (0 if cut in intact else 1)
    if errors:
        # The error names the first record that is cut off.
        assert errors[0]["offset"] == max(b for b in bounds if b < cut)
