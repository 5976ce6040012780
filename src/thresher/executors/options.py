"""Run settings shared by every executor."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from thresher.errors import ConfigError
from thresher.io.writers import FORMATS


@dataclass(slots=True)
class RunOptions:
    workers: int = 0  # 0: every core
    strict: bool = False
    format: str = "jsonl"
    keep_zones: bool = False
    keep_edits: bool = False
    text_field: str = "text"
    id_field: str = "id"
    chunk_bytes: int = 32 << 20  # input bytes per task (= per output shard)
    batch_size: int = 256  # documents per step call
    progress: bool | None = None  # None: a bar on a terminal, periodic lines otherwise
    memory_limit: int = 1 << 30  # bytes the dedup key sorter holds before spilling
    executor: str = "local"
    ray_address: str | None = None
    ray_cpus_per_task: float = 1.0
    ray_object_store_memory: int | None = None
    overwrite: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if self.executor not in ("local", "ray"):
            raise ConfigError(f"executor must be 'local' or 'ray', not {self.executor!r}")
        if self.workers < 0:
            raise ConfigError(f"workers must be >= 0 (0 = every core), not {self.workers}")
        if self.chunk_bytes < 1024:
            raise ConfigError("chunk_bytes must be at least 1024")
        if self.batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        if self.ray_cpus_per_task <= 0:
            raise ConfigError("ray_cpus_per_task must be > 0")
        for name in ("text_field", "id_field"):
            if not getattr(self, name):
                raise ConfigError(f"{name} must name a field, not be empty")

    @property
    def n_workers(self) -> int:
        return self.workers or (os.cpu_count() or 1)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    #: Options that change what a run writes (a resumed run must match them).
    OUTPUT_KEYS = ("format", "keep_zones", "keep_edits", "text_field", "id_field", "chunk_bytes")

    def output_identity(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.OUTPUT_KEYS}
