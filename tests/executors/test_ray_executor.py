"""The Ray executor writes what the local executor writes, record for record.

One local Ray (2 CPUs) serves the whole module; each test runs a small corpus
through both executors and compares kept and removed records (sorted by id),
shard names, errors and stats counts.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from thresher import Pipeline
from thresher.document import Document
from thresher.errors import ConfigError, InputError, StepError
from thresher.executors.options import RunOptions
from thresher.steps.base import Filter, MapStep, Step
from thresher.steps.registry import build_step

pytestmark = pytest.mark.ray

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Any:
    import ray.cloudpickle

    # Steps defined in this file travel to the workers by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield
    ray.shutdown()
    ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


# -- a small news-like crawl -------------------------------------------------------------

_WORDS = " ".join(
    [
        "council city park river bridge school market festival museum library train",
        "station mayor plan budget residents street night summer winter storm water",
        "power road health hospital team match season coach players fans record",
        "weekend artists gallery opened closed announced said reported expected",
        "planned voted agreed visited built new old local public large small early",
        "late first final major quiet busy",
    ]
).split()
_CHROME = [
    "Home | News | Sport | Weather | Contact",
    "Share this article on Facebook Twitter Email",
    "We use cookies to improve your experience on our site. Accept all cookies",
    "Subscribe to our newsletter for the latest headlines every morning",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(9, 18))]
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random) -> str:
    paras = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(4)]
    return "\n".join(paras)


def _near_copy(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
    return " ".join(words)


def write_corpus(root: Path, n: int = 160, seed: int = 7, bad_lines: bool = True) -> list[str]:
    """Pages with site chrome, exact and near duplicates, stubs, and (``bad_lines``)
    unreadable lines: a plain JSONL file and a gzip one."""
    rng = random.Random(seed)
    bodies: list[str] = []
    records: list[dict[str, Any]] = []
    for i in range(n):
        roll = rng.random()
        if bodies and roll < 0.12:
            body = rng.choice(bodies)  # the same story at another URL
        elif bodies and roll < 0.24:
            body = _near_copy(rng, rng.choice(bodies))  # syndicated, lightly edited
        elif roll < 0.32:
            body = _sentence(rng)  # a stub: too short to keep
        else:
            body = _article(rng)
            bodies.append(body)
        text = "\n".join([_CHROME[0], body, *rng.sample(_CHROME[1:], 2)])
        records.append({"id": f"doc-{i:04d}", "text": text, "url": f"https://news.example/{i}"})
    half = n // 2
    plain = root / "crawl-a.jsonl"
    with plain.open("w", encoding="utf-8") as fh:
        for rec in records[:half]:
            fh.write(json.dumps(rec) + "\n")
        if bad_lines:
            fh.write('{"id": "broken", "text": "no closing brace"\n')
    packed = root / "crawl-b.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as fh:
        for rec in records[half:]:
            fh.write(json.dumps(rec) + "\n")
        if bad_lines:
            fh.write(json.dumps({"id": "no-text", "body": "wrong field"}) + "\n")
    return [str(plain), str(packed)]


class MinWords(Filter):
    """Keep documents with at least ``min_words`` words (a stand-in quality filter)."""

    name: ClassVar[str] = "min_words"

    def __init__(self, *, min_words: int = 40) -> None:
        self.min_words = min_words

    def annotate(self, doc: Document) -> None:
        doc.signals["min_words_count"] = len(doc.text.split())

    def decide(self, doc: Document) -> str | None:
        return "too_few_words" if doc.signals["min_words_count"] < self.min_words else None


class DieOnce(MapStep):
    """Kills its worker process the first time it meets ``doc_id`` (``marker`` records
    that it did, so the retried task goes through)."""

    name: ClassVar[str] = "die_once"

    def __init__(self, *, doc_id: str, marker: str) -> None:
        self.doc_id = doc_id
        self.marker = marker

    def process(self, doc: Document) -> None:
        if doc.id != self.doc_id:
            return
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os._exit(1)


def dedup_pipeline(*extra: Step) -> list[Step]:
    return [
        build_step("normalize"),
        MinWords(min_words=40),
        build_step("exact_dedup"),
        *extra,
        build_step("line_dedup", {"min_docs": 3}),
        # keep the longest of a cluster: ranks by CorpusStep.value, through the shuffle
        build_step("fuzzy_dedup", {"keep": "longest"}),
    ]


# -- comparing two outputs ---------------------------------------------------------------


def _records(out: Path, sub: str) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = []
    for path in sorted((out / sub).glob("part-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            recs += [json.loads(line) for line in fh]
    return sorted(recs, key=lambda r: r["id"])


def _counts(stats: dict[str, Any]) -> dict[str, Any]:
    steps = {k: (v["in"], v["out"]) for k, v in stats["steps"].items()}
    keys = ("input", "kept", "removed", "errors", "bytes", "shards")
    return {**{k: stats[k] for k in keys}, "steps": steps}


def assert_same_output(local: Path, remote: Path) -> None:
    for sub in ("kept", "removed"):
        assert sorted(p.name for p in (local / sub).iterdir()) == sorted(
            p.name for p in (remote / sub).iterdir()
        )
        assert _records(local, sub) == _records(remote, sub), sub
    assert (local / "errors.jsonl").read_text() == (remote / "errors.jsonl").read_text()
    ls = json.loads((local / "stats.json").read_text())
    rs = json.loads((remote / "stats.json").read_text())
    assert _counts(ls) == _counts(rs)
    assert rs["executor"] == "ray"


def _run(steps: list[Step], inputs: list[str], out: Path, executor: str) -> dict[str, Any]:
    # Local: one process (quick to start); Ray: both CPUs, tasks side by side.
    workers = 1 if executor == "local" else 2
    return Pipeline(steps).run(
        inputs, out, executor=executor, workers=workers, chunk_bytes=16 << 10, progress=False
    )


# -- tests -------------------------------------------------------------------------------


def test_ray_equals_local_on_dedup_pipeline(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path)
    local = _run(dedup_pipeline(), inputs, tmp_path / "local", "local")
    remote = _run(dedup_pipeline(), inputs, tmp_path / "ray", "ray")
    assert_same_output(tmp_path / "local", tmp_path / "ray")
    # The corpus exercises every part: several tasks, each corpus step removes.
    assert remote["shards"] >= 4
    assert remote["errors"] == 2
    for step in ("min_words", "exact_dedup", "fuzzy_dedup"):
        assert sum(remote["removed"].get(step, {}).values()) > 0, step
    assert local["steps"]["line_dedup"]["in"] > 0
    kept = _records(tmp_path / "ray", "kept")
    assert all(_CHROME[1] not in r["text"] for r in kept)  # line_dedup cut the chrome


def test_worker_killed_midway_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path)
    # A document of a late task, in the middle stage (after exact_dedup).
    victim = "doc-0150"
    marker = tmp_path / "died"
    marker.write_text("local run: do not die")
    _run(
        dedup_pipeline(DieOnce(doc_id=victim, marker=str(marker))),
        inputs,
        tmp_path / "local",
        "local",
    )
    marker.unlink()
    stats = _run(
        dedup_pipeline(DieOnce(doc_id=victim, marker=str(marker))), inputs, tmp_path / "ray", "ray"
    )
    assert marker.read_text().isdigit()  # a Ray worker process did die
    assert int(marker.read_text()) != os.getpid()
    assert (
        stats["input"]
        == stats["kept"]
        + sum(n for r in stats["removed"].values() for n in r.values())
        + stats["errors"]
    )
    assert_same_output(tmp_path / "local", tmp_path / "ray")


class FailOnce(MapStep):
    """Raises on ``doc_id`` while ``marker`` does not exist (and creates it)."""

    name: ClassVar[str] = "fail_once"

    def __init__(self, *, doc_id: str, marker: str) -> None:
        self.doc_id = doc_id
        self.marker = marker

    def process(self, doc: Document) -> None:
        if doc.id == self.doc_id and not os.path.exists(self.marker):
            Path(self.marker).write_text("failed")
            raise RuntimeError("the disk is full (a test)")


def test_stopped_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path, bad_lines=False)
    marker = tmp_path / "failed"
    steps = dedup_pipeline()
    steps.append(FailOnce(doc_id="doc-0155", marker=str(marker)))  # in the last stage
    marker.write_text("local run: do not fail")
    Pipeline(steps).run(inputs, tmp_path / "local", workers=1, chunk_bytes=16 << 10, strict=True)
    marker.unlink()
    opts: dict[str, Any] = {"executor": "ray", "chunk_bytes": 16 << 10, "strict": True}
    with pytest.raises(StepError, match="fail_once"):
        Pipeline(steps).run(inputs, tmp_path / "ray", progress=False, **opts)
    done = len(list((tmp_path / "ray" / ".thresher" / "done").glob("part-*.json")))
    stats = Pipeline(steps).run(inputs, tmp_path / "ray", progress=False, **opts)
    assert 1 <= done < stats["shards"]  # it stopped in the last stage, some shards done
    assert_same_output(tmp_path / "local", tmp_path / "ray")


def test_warc_files_are_scanned_on_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three WARC files, one cut off: the Ray run writes what the local run
    # writes (tasks in the same order, the cut-off record in errors.jsonl),
    # and its driver never reads a WARC file to find where to cut it.
    pytest.importorskip("fastwarc")
    from conftest import crawl, write_warc

    from thresher.io import warc

    inputs = []
    for k in range(3):
        recs = crawl(8)
        data = b"".join(gzip.compress(r) for r in recs)
        path = tmp_path / f"crawl-{k}.warc.gz"
        if k == 1:
            path.write_bytes(data[: len(data) - 40])
        else:
            write_warc(path, recs)
        inputs.append(str(path))
    steps = [build_step("normalize"), build_step("segment")]
    opts = {"chunk_bytes": 2048, "progress": False}
    local = Pipeline(steps).run(inputs, tmp_path / "local", workers=1, **opts)

    def driver_scan(*args: object) -> None:
        raise AssertionError("the driver scanned a WARC file")

    monkeypatch.setattr(warc, "warc_ranges", driver_scan)
    remote = Pipeline(steps).run(inputs, tmp_path / "ray", executor="ray", workers=2, **opts)
    assert_same_output(tmp_path / "local", tmp_path / "ray")
    assert remote["shards"] == local["shards"] >= 6
    assert remote["errors"] == 1


def test_strict_mode_raises_the_input_error(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path, n=20)
    with pytest.raises(InputError, match=r"crawl-a\.jsonl:11"):
        Pipeline([build_step("normalize")]).run(
            inputs, tmp_path / "out", executor="ray", strict=True, progress=False
        )


def test_demo_corpus_slice_equals_local(tmp_path: Path) -> None:
    from thresher.demo import generate
    from thresher.pipeline import DEFAULT_STEPS

    paths = [str(p) for p in generate(tmp_path / "demo", n_docs=240, shards=2)]
    steps: list[Step] = []
    for name in DEFAULT_STEPS:
        try:
            step = build_step(name)
            step.setup()
        except (ImportError, OSError, ValueError):
            continue  # a step whose module or model is not ready in this checkout
        steps.append(step)
    assert len(steps) >= 4
    _run(steps, paths, tmp_path / "local", "local")
    stats = _run(steps, paths, tmp_path / "ray", "ray")
    assert_same_output(tmp_path / "local", tmp_path / "ray")
    assert stats["removed"]


# -- settings and failures that need no cluster ------------------------------------------


def test_unreachable_address_fails_fast_with_the_fix() -> None:
    from thresher.executors.ray import check_address

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConfigError, match=r"127\.0\.0\.1:\d+.*ray start --head"):
        check_address(f"127.0.0.1:{port}")
    with pytest.raises(ConfigError, match="HOST:PORT"):
        check_address("head-node:http")


def test_missing_ray_names_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from thresher.executors import ray as ray_executor

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"pip install 'thresher\[ray\]'"):
        ray_executor.RayExecutor([build_step("normalize")], RunOptions(executor="ray")).run(
            ["x"], "out"
        )
