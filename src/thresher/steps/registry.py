"""Name -> step class, for YAML pipelines and ``--only``/``--skip``.

Built-in steps are listed here by module path and imported only when a
pipeline uses them, so ``import thresher`` stays fast. Third-party steps join
with :func:`register`.
"""

from __future__ import annotations

import importlib
import inspect
import types
import typing
from typing import Any

from thresher.errors import ConfigError
from thresher.steps.base import Step

#: name -> "module:Class"; every step of the default pipeline is here.
_BUILTIN: dict[str, str] = {
    "normalize": "thresher.steps.normalize:Normalize",
    "segment": "thresher.steps.segment:Segment",
    "language": "thresher.steps.language:Language",
    "pii": "thresher.steps.pii:Pii",
    "toxicity": "thresher.steps.toxicity:Toxicity",
    "gopher_quality": "thresher.steps.quality.gopher:GopherQuality",
    "gopher_repetition": "thresher.steps.quality.gopher:GopherRepetition",
    "c4": "thresher.steps.quality.c4:C4",
    "c4_badwords": "thresher.steps.quality.c4:C4Badwords",
    "fineweb": "thresher.steps.quality.fineweb:FineWeb",
    "rp2_signals": "thresher.steps.quality.rp2:RedPajamaSignals",
    "exact_dedup": "thresher.dedup.exact:ExactDedup",
    "line_dedup": "thresher.dedup.lines:LineDedup",
    "fuzzy_dedup": "thresher.dedup.fuzzy:FuzzyDedup",
}

_REGISTERED: dict[str, type[Step]] = {}


def register(cls: type[Step]) -> type[Step]:
    """Class decorator: make a step available to YAML pipelines by its name."""
    if not cls.name or not cls.name.isascii() or cls.name != cls.name.lower():
        raise ConfigError(f"step class {cls.__qualname__} needs an ASCII snake_case `name`")
    _REGISTERED[cls.name] = cls
    return cls


def available_steps() -> list[str]:
    return sorted(set(_BUILTIN) | set(_REGISTERED))


def canonical_name(name: str) -> str:
    """``gopher_quality_v1`` -> ``gopher_quality``; unknown names raise ConfigError."""
    known = available_steps()
    if name in known:
        return name
    base, sep, ver = name.rpartition("_v")
    if sep and ver.isdigit() and base in known:
        cls = step_class(base)
        if int(ver) != cls.version:
            raise ConfigError(
                f"step {name!r}: this thresher has {cls.versioned_name()}, not version {ver}"
            )
        return base
    raise ConfigError(f"unknown step {name!r}; choose from: {', '.join(known)}")


def step_class(name: str) -> type[Step]:
    name = canonical_name(name) if name not in _REGISTERED and name not in _BUILTIN else name
    if name in _REGISTERED:
        return _REGISTERED[name]
    module, _, attr = _BUILTIN[name].partition(":")
    cls = getattr(importlib.import_module(module), attr)
    _REGISTERED[name] = cls
    return typing.cast(type[Step], cls)


def _type_ok(value: Any, annotation: Any) -> bool:
    if annotation is inspect.Parameter.empty or annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, a) for a in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            return False
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return all(_type_ok(v, args[0]) for v in value) if args else True
    if origin is dict:
        return isinstance(value, dict)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True


def _describe(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "")


def build_step(name: str, settings: dict[str, Any] | None = None) -> Step:
    """Build a step from its name and settings, checking both before any work.

    Every mistake raises :class:`ConfigError` in one line naming the valid choices.
    """
    cls = step_class(name)
    settings = dict(settings or {})
    sig = inspect.signature(cls.__init__)
    hints = typing.get_type_hints(cls.__init__)
    params = {
        p.name: p
        for p in sig.parameters.values()
        if p.name != "self" and p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    for key, value in settings.items():
        if key not in params:
            choices = ", ".join(params) or "(none)"
            raise ConfigError(f"step {cls.name!r}: unknown setting {key!r}; choose from: {choices}")
        ann = hints.get(key, inspect.Parameter.empty)
        if not _type_ok(value, ann):
            raise ConfigError(
                f"step {cls.name!r}: setting {key!r} must be {_describe(ann)}, got {value!r}"
            )
    try:
        return cls(**settings)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"step {cls.name!r}: {exc}") from exc
