"""The output folder (DESIGN.md contract) and its resumable work area.

::

    OUT/kept/part-NNNNN.jsonl.gz      OUT/removed/part-NNNNN.jsonl.gz
    OUT/errors.jsonl                  OUT/stats.json
    OUT/.thresher/manifest.json       what this run is (a resumed run must match)
    OUT/.thresher/stage-K/            spools and keys between corpus steps
    OUT/.thresher/done/part-N.json    a task's stats, written last: the task is done
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import orjson

from thresher.errors import OutputError
from thresher.io.writers import atomic_write_bytes, shard_name


class OutputDir:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.work = self.root / ".thresher"
        self.kept = self.root / "kept"
        self.removed = self.root / "removed"
        self.done = self.work / "done"

    def prepare(self, manifest: dict[str, Any], *, overwrite: bool) -> bool:
        """Create the folders; returns True when resuming an earlier run.

        Fails when the folder holds something else, or a run with other settings.
        """
        if self.root.exists() and not self.root.is_dir():
            raise OutputError(f"output {self.root} exists and is not a folder")
        mpath = self.work / "manifest.json"
        resuming = False
        if overwrite and self.root.exists():
            for sub in (self.kept, self.removed, self.work):
                shutil.rmtree(sub, ignore_errors=True)
            for name in ("errors.jsonl", "stats.json"):
                (self.root / name).unlink(missing_ok=True)
        if mpath.exists():
            old = orjson.loads(mpath.read_bytes())
            if old != manifest:
                changed = sorted(
                    k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k)
                )
                raise OutputError(
                    f"{self.root} holds a run with different {', '.join(changed)}; "
                    "use another -o folder or pass --overwrite"
                )
            resuming = True
        elif self.root.exists() and any(
            p.name in ("kept", "removed", "stats.json") for p in self.root.iterdir()
        ):
            raise OutputError(
                f"{self.root} holds output not made by this thresher; use another -o folder or pass --overwrite"
            )
        for d in (self.kept, self.removed, self.done):
            d.mkdir(parents=True, exist_ok=True)
        if not resuming:
            atomic_write_bytes(
                mpath, orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
            )
        return resuming

    def stage_dir(self, stage: int) -> Path:
        d = self.work / f"stage-{stage}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def done_path(self, part: str) -> Path:
        return self.done / f"{part}.json"

    def finished_parts(self) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in self.done.glob("part-*.json")}

    def shard_paths(self, part: str, fmt: str) -> tuple[Path, Path]:
        name = shard_name(part, fmt)
        return self.kept / name, self.removed / name

    def write_done(self, part: str, stats: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        atomic_write_bytes(self.done_path(part), orjson.dumps({"stats": stats, "errors": errors}))

    def collect(self, parts: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        stats, errors = [], []
        for part in parts:
            rec = orjson.loads(self.done_path(part).read_bytes())
            stats.append(rec["stats"])
            errors.extend(rec["errors"])
        return stats, errors

    def write_errors(self, errors: list[dict[str, Any]]) -> None:
        data = b"".join(orjson.dumps(e, option=orjson.OPT_APPEND_NEWLINE) for e in errors)
        atomic_write_bytes(self.root / "errors.jsonl", data)

    def write_stats(self, stats: dict[str, Any]) -> None:
        atomic_write_bytes(
            self.root / "stats.json", orjson.dumps(stats, option=orjson.OPT_INDENT_2)
        )

    def clean_work(self) -> None:
        """Drop the spools of a finished run (the done/ records stay, for reruns)."""
        for d in self.work.glob("stage-*"):
            shutil.rmtree(d, ignore_errors=True)
