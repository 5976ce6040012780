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


# -- WARC files for the reader's and the executors' tests --------------------------------

ARTICLE = """<html><head><title>Rivers rise - The Daily</title></head><body>
<nav><ul><li>Home</li><li>World</li><li>Sport</li></ul></nav>
<h1>Rivers rise after a week of rain</h1>
<p>The river rose two metres overnight, and the town council opened the flood barriers
before dawn on Tuesday.</p>
<p>Residents near the old bridge were asked to move their cars to higher ground while
the water kept rising through the morning.</p>
<footer>Copyright 2024 The Daily</footer>
</body></html>"""


def record(
    kind: str,
    n: int,
    payload: bytes,
    *,
    http_type: str | None = "text/html; charset=utf-8",
    uri: str = "https://example.org/page",
    extra: str = "",
) -> bytes:
    """One WARC record: an HTTP response around ``payload`` when ``http_type``
    is given, else the payload as the record's block."""
    if http_type is not None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {http_type}\r\n"
        head += f"Content-Length: {len(payload)}\r\n\r\n"
        block = head.encode() + payload
        ctype = "application/http; msgtype=response"
    else:
        block = payload
        ctype = "text/plain"
    headers = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
        f"WARC-Date: 2024-05-01T10:00:{n % 60:02d}Z\r\nWARC-Target-URI: {uri}\r\n"
        f"{extra}Content-Type: {ctype}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return headers.encode() + block + b"\r\n\r\n"


def crawl(n_pages: int = 6) -> list[bytes]:
    """warcinfo, then request + response per page, and one image."""
    recs = [record("warcinfo", 0, b"software: test\r\n", http_type=None)]
    for i in range(n_pages):
        page = ARTICLE.replace("Rivers rise", f"Rivers rise {i}").encode()
        recs.append(record("request", 1000 + i, b"GET / HTTP/1.1\r\n\r\n", http_type=None))
        recs.append(record("response", i + 1, page, uri=f"https://example.org/{i}"))
    recs.append(record("response", 99, b"\x89PNG\r\n\x1a\n" + bytes(200), http_type="image/png"))
    return recs


def write_warc(path: Path, recs: list[bytes], *, gz: bool = True) -> Path:
    # As WARC writers do: each record its own gzip member.
    path.write_bytes(b"".join(gzip.compress(r) for r in recs) if gz else b"".join(recs))
    return path
