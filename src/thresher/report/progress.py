"""Progress: a live bar on a terminal, a plain line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self, *, enabled: bool | None = None, stream: TextIO | None = None, interval: float = 10.0
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.enabled = self.tty if enabled is None else enabled
        self.interval = 0.2 if self.tty else interval
        self.start = time.perf_counter()
        self.last = 0.0
        self.docs = 0
        self.bytes = 0
        self.label = ""
        self.done = 0
        self.total: int | None = None

    def stage(self, label: str, total: int | None) -> None:
        self.label, self.done, self.total = label, 0, total
        self.start = time.perf_counter()
        self.docs = self.bytes = 0

    def update(self, docs: int, nbytes: int) -> None:
        self.docs += docs
        self.bytes += nbytes
        self.done += 1
        now = time.perf_counter()
        if self.enabled and now - self.last >= self.interval:
            self.last = now
            self._emit(now)

    def _emit(self, now: float) -> None:
        el = max(now - self.start, 1e-9)
        parts = f"{self.done}/{self.total}" if self.total else f"{self.done}"
        msg = (
            f"[{self.label}] shards {parts}  {self.docs:,} docs  {self.bytes / 1e6:,.1f} MB  "
            f"{self.docs / el:,.0f} docs/s  {self.bytes / 1e6 / el:,.2f} MB/s  {el:,.0f}s"
        )
        if self.tty:
            self.stream.write("\r" + msg[:150].ljust(150))
        else:
            self.stream.write(msg + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._emit(time.perf_counter())
            if self.tty:
                self.stream.write("\n")
            self.stream.flush()
