"""thresher: turn raw web-scraped text into clean, deduplicated, safe corpora.

    >>> import thresher
    >>> rec = thresher.clean("Some page text ...")          # one document
    >>> thresher.Pipeline.default().run(["in.jsonl.gz"], "out/")  # a corpus

Importing this package is cheap: models, pyarrow and Ray load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from thresher._version import __version__

if TYPE_CHECKING:
    from thresher.api import clean
    from thresher.document import Document
    from thresher.pipeline import Pipeline

__all__ = ["Document", "Pipeline", "__version__", "clean"]

_LAZY = {
    "clean": "thresher.api",
    "Pipeline": "thresher.pipeline",
    "Document": "thresher.document",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'thresher' has no attribute {name!r}")
