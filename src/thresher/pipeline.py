"""Pipelines: an ordered list of steps, built in code, from YAML, or the default.

>>> from thresher import Pipeline
>>> from thresher.steps.registry import build_step
>>> p = Pipeline([build_step("normalize"), build_step("gopher_quality", {"min_words": 20})])
>>> stats = p.run(["crawl/*.jsonl.gz"], "out/", workers=4)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thresher.errors import ConfigError
from thresher.executors.options import RunOptions
from thresher.steps.base import CorpusStep, MapStep, Step
from thresher.steps.registry import build_step, canonical_name

#: The default pipeline of ``thresher clean`` (DESIGN.md contract names), in order.
#: Dedup runs right after segmentation, on the main text, so duplicates cost no
#: annotation time. Near-duplicates go before repeated-line removal: otherwise three
#: syndicated copies of an article count as three documents for each of its
#: paragraphs, and every copy loses them. Repeated-line removal goes before the
#: quality filters, so a page left with little text is judged by them.
DEFAULT_STEPS: tuple[str, ...] = (
    "normalize",
    "segment",
    "exact_dedup",
    "fuzzy_dedup",
    "line_dedup",
    "language",
    "pii",
    "toxicity",
    "gopher_repetition",
    "gopher_quality",
    "c4",
    "c4_badwords",
    "fineweb",
    "rp2_signals",
)

#: Keys of a pipeline YAML file besides ``steps``: the options of RunOptions, plus these.
_YAML_KEYS = {"inputs", "output", "steps", "defaults"}


def _select(
    names: Sequence[str], only: Sequence[str] | None, skip: Sequence[str] | None
) -> list[str]:
    if only and skip:
        raise ConfigError("use --only or --skip, not both")
    chosen = list(names)
    if only:
        wanted = {canonical_name(n) for n in only}
        unknown = wanted - set(names)
        if unknown:
            raise ConfigError(
                f"--only: {', '.join(sorted(unknown))} not in this pipeline; choose from: {', '.join(names)}"
            )
        chosen = [n for n in names if n in wanted]
    if skip:
        unwanted = {canonical_name(n) for n in skip}
        unknown = unwanted - set(names)
        if unknown:
            raise ConfigError(
                f"--skip: {', '.join(sorted(unknown))} not in this pipeline; choose from: {', '.join(names)}"
            )
        chosen = [n for n in names if n not in unwanted]
    return chosen


class Pipeline:
    """An ordered list of steps and a way to run them over inputs."""

    def __init__(self, steps: Sequence[Step]) -> None:
        for s in steps:
            if not isinstance(s, MapStep | CorpusStep):
                raise ConfigError(f"{s!r} is not a thresher step (MapStep or CorpusStep)")
        names = [s.name for s in steps]
        dups = {n for n in names if names.count(n) > 1}
        if dups:
            raise ConfigError(f"step(s) {', '.join(sorted(dups))} appear twice in the pipeline")
        self.steps = list(steps)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    @classmethod
    def default(
        cls,
        *,
        only: Sequence[str] | None = None,
        skip: Sequence[str] | None = None,
        settings: dict[str, dict[str, Any]] | None = None,
    ) -> Pipeline:
        """The default pipeline, optionally narrowed by ``only``/``skip`` (step names)."""
        settings = {canonical_name(k): v for k, v in (settings or {}).items()}
        names = _select(DEFAULT_STEPS, only, skip)
        return cls([build_step(n, settings.get(n)) for n in names])

    @classmethod
    def from_config(
        cls,
        config: dict[str, Any],
        *,
        only: Sequence[str] | None = None,
        skip: Sequence[str] | None = None,
    ) -> Pipeline:
        """Steps from a parsed YAML mapping; see :func:`load_config`."""
        raw = config.get("steps")
        if raw is None:
            return cls.default(only=only, skip=skip, settings=config.get("defaults"))
        if not isinstance(raw, list):
            raise ConfigError("'steps' must be a list of step names or {name: {settings}} items")
        specs: list[tuple[str, dict[str, Any]]] = []
        for item in raw:
            if isinstance(item, str):
                specs.append((canonical_name(item), {}))
            elif isinstance(item, dict) and len(item) == 1:
                ((name, conf),) = item.items()
                if conf is not None and not isinstance(conf, dict):
                    raise ConfigError(f"settings of step {name!r} must be a mapping, got {conf!r}")
                specs.append((canonical_name(str(name)), dict(conf or {})))
            else:
                raise ConfigError(
                    f"bad step entry {item!r}: write a name or {{name: {{setting: value}}}}"
                )
        names = _select([n for n, _ in specs], only, skip)
        by_name = dict(specs)
        return cls([build_step(n, by_name[n]) for n in names])

    def run(
        self, inputs: Sequence[str] | str, output: str | Path, **options: Any
    ) -> dict[str, Any]:
        """Run over ``inputs`` into ``output``; returns the stats of ``stats.json``.

        ``options`` are the fields of :class:`~thresher.executors.options.RunOptions`
        (``workers``, ``format``, ``executor``, ``strict``, ...).
        """
        unknown = set(options) - set(RunOptions.__dataclass_fields__)
        if unknown:
            raise ConfigError(
                f"unknown run option(s) {', '.join(sorted(unknown))}; "
                f"choose from: {', '.join(RunOptions.__dataclass_fields__)}"
            )
        opts = RunOptions(**options)
        if opts.keep_zones and not any(s.name == "segment" for s in self.steps):
            raise ConfigError(
                "keep_zones (--keep-zones) needs the segment step, which this pipeline "
                "leaves out: add it, or drop keep_zones"
            )
        if isinstance(inputs, str):
            inputs = [inputs]
        if opts.executor == "ray":
            from thresher.executors.ray import RayExecutor

            return RayExecutor(self.steps, opts).run(list(inputs), str(output))
        from thresher.executors.local import LocalExecutor

        return LocalExecutor(self.steps, opts).run(list(inputs), str(output))


def load_config(path: str | Path) -> dict[str, Any]:
    """Read a pipeline YAML file and check its top-level keys."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file {p} does not exist")
    try:
        config = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark else str(p)
        raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(config, dict):
        raise ConfigError(f"{p}: the top level must be a mapping (steps:, inputs:, output:, ...)")
    allowed = _YAML_KEYS | set(RunOptions.__dataclass_fields__)
    unknown = set(config) - allowed
    if unknown:
        raise ConfigError(
            f"{p}: unknown key(s) {', '.join(sorted(unknown))}; choose from: {', '.join(sorted(allowed))}"
        )
    return config


def run_options_from_config(config: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    opts = {k: v for k, v in config.items() if k in RunOptions.__dataclass_fields__}
    opts.update({k: v for k, v in overrides.items() if v is not None})
    RunOptions(**opts)  # validate now, before any work
    return opts
