from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import orjson
import pytest


def write_jsonl(path: Path, records: list[object], *, compress: str | None = None) -> Path:
    data = b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in records)
    if compress == "gzip":
        data = gzip.compress(data)
    elif compress == "zstd":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


TRAIN = Path(__file__).resolve().parents[1] / "train"


def train_module(name: str) -> ModuleType:
    """``train/<name>.py`` (not a package), loaded once as ``train_<name>``."""
    key = f"train_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, TRAIN / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def read_shards(folder: Path) -> list[dict]:
    out: list[dict] = []
    for p in sorted(folder.glob("part-*.jsonl.gz")):
        with gzip.open(p, "rb") as fh:
            out.extend(orjson.loads(line) for line in fh if line.strip())
    return out


@pytest.fixture
def jsonl(tmp_path: Path):
    def make(name: str, records: list[object], compress: str | None = None) -> Path:
        return write_jsonl(tmp_path / name, records, compress=compress)

    return make
