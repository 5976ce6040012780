"""The exceptions thresher raises.

::

    ThresherError
    ├── ConfigError        a pipeline, step setting or command-line option is wrong;
    │                      raised before any work starts
    ├── InputError         an input record can't be read (carries file and line/offset)
    ├── OutputError        the output folder can't be used (e.g. holds another run)
    └── StepError          a step failed on a document (carries step and doc id),
                           raised ``from`` the underlying exception
"""

from __future__ import annotations


class ThresherError(Exception):
    """Base class of every error thresher raises on purpose."""


class ConfigError(ThresherError, ValueError):
    """A configuration mistake, found before any work starts."""


class InputError(ThresherError):
    """An input record that can't be read.

    ``source`` is the file, ``line`` the 1-based line (JSONL, text) or ``offset``
    the record index (Parquet) or byte offset where the problem is.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.offset = offset
        self.message = message
        where = source
        if line is not None:
            where = f"{source}:{line}"
        elif offset is not None:
            where = f"{source}@{offset}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Keyword-only fields: pickle (worker -> main process) must pass them by name.
        return (_input_error, (self.message, self.source, self.line, self.offset))

    def to_record(self) -> dict[str, object]:
        """The ``errors.jsonl`` record of this error (a DESIGN.md contract)."""
        rec: dict[str, object] = {"source": self.source}
        if self.line is not None:
            rec["line"] = self.line
        if self.offset is not None:
            rec["offset"] = self.offset
        rec["error"] = self.message
        return rec


class OutputError(ThresherError):
    """The output folder can't be written or holds an incompatible run."""


class StepError(ThresherError):
    """A step raised on a document; the cause is chained with ``from``."""

    def __init__(self, step: str, doc_id: str, message: str) -> None:
        self.step = step
        self.doc_id = doc_id
        self.message = message
        super().__init__(f"step {step!r} failed on document {doc_id!r}: {message}")

    def __reduce__(self):
        return (StepError, (self.step, self.doc_id, self.message))


def _input_error(message: str, source: str, line: int | None, offset: int | None) -> InputError:
    return InputError(message, source=source, line=line, offset=offset)
