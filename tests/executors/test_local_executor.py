from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from conftest import read_shards, write_jsonl
from helper_steps import Crash, DropShort, TextDedup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thresher.errors import InputError, OutputError
from thresher.pipeline import Pipeline
from thresher.report.stats import removed_total
from thresher.steps.normalize import Normalize


def corpus(n: int) -> list[dict]:
    recs = []
    for i in range(n):
        if i % 7 == 0:
            text = "tiny"
        elif i % 5 == 0:
            text = "the same page repeated on many urls, word for word"
        else:
            text = f"document {i}: " + " ".join(f"word{j * i % 97}" for j in range(30))
        recs.append({"id": f"d{i}", "text": text})
    return recs


def pipeline() -> Pipeline:
    return Pipeline([Normalize(), DropShort(), TextDedup()])


def add_up(stats: dict) -> bool:
    return stats["input"] == stats["kept"] + removed_total(stats) + stats["errors"]


@pytest.mark.parametrize("workers", [1, 2])
def test_accounting_with_bad_records(tmp_path: Path, workers: int) -> None:
    recs: list[object] = [*corpus(300), b"{bad", {"no_text": 1}, b'{"text": "\xff"}']
    a = write_jsonl(tmp_path / "a.jsonl.gz", recs, compress="gzip")
    b = write_jsonl(tmp_path / "b.jsonl", corpus(100))
    (tmp_path / "empty.jsonl").write_bytes(b"")
    trunc = gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in corpus(200)))
    (tmp_path / "t.jsonl.gz").write_bytes(trunc[: len(trunc) * 2 // 3])
    inputs = [str(a), str(b), str(tmp_path / "empty.jsonl"), str(tmp_path / "t.jsonl.gz")]
    out = tmp_path / "out"
    stats = pipeline().run(inputs, out, workers=workers, chunk_bytes=4096, progress=False)
    assert add_up(stats)
    kept, removed = read_shards(out / "kept"), read_shards(out / "removed")
    errors = [orjson.loads(x) for x in (out / "errors.jsonl").read_bytes().splitlines()]
    assert (
        len(kept) == stats["kept"]
        and len(removed) == removed_total(stats)
        and len(errors) == stats["errors"]
    )
    assert stats["errors"] == 4  # three bad lines + the truncated tail
    assert {e["line"] for e in errors if e["source"] == str(a)} == {301, 302, 303}
    assert stats["removed"]["drop_short"]["too_short"] > 0
    assert stats["removed"]["text_dedup"]["duplicate"] > 0
    assert all(r["removed"]["step"] in ("drop_short", "text_dedup") for r in removed)
    on_disk = orjson.loads((out / "stats.json").read_bytes())
    assert on_disk["input"] == stats["input"] and set(on_disk["steps"]) >= {
        "normalize",
        "drop_short",
        "text_dedup",
    }
    # the first copy of a duplicated page is kept, later ones removed
    dup_ids = [r["id"] for r in kept if r["text"].startswith("the same page")]
    assert dup_ids == ["d5"]


def test_same_output_for_any_worker_count(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", corpus(400))
    s1 = pipeline().run([str(a)], tmp_path / "o1", workers=1, chunk_bytes=2048, progress=False)
    s2 = pipeline().run([str(a)], tmp_path / "o2", workers=2, chunk_bytes=2048, progress=False)
    assert read_shards(tmp_path / "o1" / "kept") == read_shards(tmp_path / "o2" / "kept")
    assert s1["removed"] == s2["removed"]


def test_step_crash_goes_to_errors_not_lost(tmp_path: Path) -> None:
    recs = [
        {"text": "fine document here"},
        {"text": "this one goes BOOM"},
        {"text": "another fine one"},
    ]
    a = write_jsonl(tmp_path / "a.jsonl", recs)
    stats = Pipeline([Crash()]).run([str(a)], tmp_path / "o", workers=1, progress=False)
    assert stats["kept"] == 2 and stats["errors"] == 1 and add_up(stats)
    err = orjson.loads((tmp_path / "o" / "errors.jsonl").read_bytes())
    assert err["line"] == 2 and "boom" in err["error"] and err["source"] == str(a)


def test_strict_fails_with_file_and_line(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": "ok"}, b"{broken"])
    with pytest.raises(InputError, match=r"a\.jsonl:2"):
        pipeline().run([str(a)], tmp_path / "o", workers=2, strict=True, progress=False)


def test_large_single_document(tmp_path: Path) -> None:
    big = "word " * (10 * 1024 * 1024)  # 50 MB
    a = write_jsonl(
        tmp_path / "big.jsonl",
        [{"id": "big", "text": big}, {"id": "small", "text": "a small document"}],
    )
    stats = Pipeline([DropShort()]).run(
        [str(a)], tmp_path / "o", workers=1, chunk_bytes=1 << 20, progress=False
    )
    assert stats["kept"] == 2 and add_up(stats)


def test_rerun_into_other_config_refuses(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", corpus(20))
    pipeline().run([str(a)], tmp_path / "o", workers=1, progress=False)
    with pytest.raises(OutputError, match="different"):
        Pipeline([Normalize()]).run([str(a)], tmp_path / "o", workers=1, progress=False)
    stats = Pipeline([Normalize()]).run(
        [str(a)], tmp_path / "o", workers=1, progress=False, overwrite=True
    )
    assert stats["kept"] == 20


def test_killed_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl.gz", corpus(600), compress="gzip")
    ref = tmp_path / "ref"
    from helper_steps import run

    run([str(a)], str(ref), 0.0)

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "helper_steps.py"), str(a), str(out), "0.01"],
        env=env,
    )
    deadline = time.time() + 60
    spools = out / ".thresher" / "stage-0"
    while time.time() < deadline and len(list(spools.glob("*.spool"))) < 3:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert not (out / "stats.json").exists(), "the run finished before it could be killed"
    for p in out.rglob("part-*"):
        assert ".tmp" not in p.name
    run([str(a)], str(out), 0.01)
    assert read_shards(out / "kept") == read_shards(ref / "kept")
    assert read_shards(out / "removed") == read_shards(ref / "removed")
    s_ref = orjson.loads((ref / "stats.json").read_bytes())
    s_out = orjson.loads((out / "stats.json").read_bytes())
    for key in ("input", "kept", "removed", "errors"):
        assert s_out[key] == s_ref[key]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    recs=st.lists(
        st.one_of(
            st.builds(lambda t: {"text": t}, st.text(max_size=30)),
            st.sampled_from([b"{bad", b"[]", b'{"x": 1}', b'{"text": "\xc3"}', b'{"text": null}']),
        ),
        max_size=60,
    )
)
def test_property_input_equals_kept_removed_errors(tmp_path: Path, recs: list) -> None:
    d = tmp_path / f"p{abs(hash(str(recs))) % 10**9}"
    d.mkdir()
    a = write_jsonl(d / "a.jsonl", recs)
    stats = pipeline().run([str(a)], d / "o", workers=1, chunk_bytes=1024, progress=False)
    nonblank = sum(1 for line in a.read_bytes().split(b"\n") if line.strip())
    assert stats["input"] == nonblank and add_up(stats)
