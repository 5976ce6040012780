"""Pipeline steps: the base classes, the registry and the built-in steps."""

from __future__ import annotations

from thresher.steps.base import CorpusStep, Filter, MapStep, Step
from thresher.steps.registry import available_steps, build_step, register

__all__ = ["CorpusStep", "Filter", "MapStep", "Step", "available_steps", "build_step", "register"]
