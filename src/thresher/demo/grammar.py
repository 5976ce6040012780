"""A tiny template grammar that turns word banks into varied prose.

Rules map a symbol to a list of alternatives; an alternative is text with
``{symbol}`` references, expanded recursively. ``{symbol.cap}`` capitalises
the first letter of the expansion, ``{#5-40}`` is a random integer in that
range, and ``[one|two|three]`` picks one inline alternative (not nested; the
alternatives may hold references). An *environment* binds symbols to fixed values for one document, so a
page keeps the same city, people and company from headline to last comment.

All choices come from the ``random.Random`` passed in, so output depends on
the seed alone (the generator never touches global randomness or ``hash()``).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

_REF = re.compile(r"\{(#\d+-\d+|[a-z0-9_]+)(\.cap)?\}")
_ALT = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")

#: A parsed template: literal text, (symbol, capitalise) for a reference, or a
#: list of parsed inline alternatives.
Part = str | tuple[str, bool] | list["Template"]
Template = tuple[Part, ...]


def parse(text: str) -> Template:
    """Split ``text`` into literals, ``{symbol}`` references and ``[a|b]`` choices."""
    parts: list[Part] = []
    pos = 0
    for m in _ALT.finditer(text):
        parts.extend(_parse_refs(text[pos : m.start()]))
        parts.append([_parse_refs(alt) for alt in m.group(1).split("|")])
        pos = m.end()
    parts.extend(_parse_refs(text[pos:]))
    return tuple(parts)


def _parse_refs(text: str) -> Template:
    parts: list[Part] = []
    pos = 0
    for m in _REF.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        parts.append((m.group(1), m.group(2) is not None))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


class Grammar:
    """Symbols with alternative templates, expanded with a caller's RNG."""

    def __init__(self, rules: Mapping[str, Sequence[str]]) -> None:
        self._rules: dict[str, list[Template]] = {
            name: [parse(alt) for alt in alts] for name, alts in rules.items()
        }

    def __contains__(self, symbol: str) -> bool:
        return symbol in self._rules

    def templates(self, symbol: str) -> list[Template]:
        """The parsed alternatives of ``symbol`` (for drawing without replacement)."""
        try:
            return self._rules[symbol]
        except KeyError:
            raise KeyError(f"demo grammar has no symbol {symbol!r}") from None

    def expand(self, symbol: str, rng: random.Random, env: Mapping[str, str] | None = None) -> str:
        """One random expansion of ``symbol``."""
        return self._symbol(symbol, rng, env or {}, 0)

    def render(
        self, template: Template | str, rng: random.Random, env: Mapping[str, str] | None = None
    ) -> str:
        """Expand the references in one template."""
        if isinstance(template, str):
            template = parse(template)
        return self._render(template, rng, env or {}, 0)

    def _symbol(self, name: str, rng: random.Random, env: Mapping[str, str], depth: int) -> str:
        if name in env:
            return env[name]
        if name[0] == "#":
            lo, hi = name[1:].split("-")
            return str(rng.randint(int(lo), int(hi)))
        alts = self.templates(name)
        return self._render(alts[rng.randrange(len(alts))], rng, env, depth + 1)

    def _render(
        self, template: Template, rng: random.Random, env: Mapping[str, str], depth: int
    ) -> str:
        if depth > 20:
            raise RecursionError(
                "demo grammar nests deeper than 20 levels; a rule refers to itself"
            )
        out: list[str] = []
        for part in template:
            if isinstance(part, str):
                out.append(part)
                continue
            if isinstance(part, list):
                out.append(self._render(part[rng.randrange(len(part))], rng, env, depth + 1))
                continue
            name, cap = part
            text = self._symbol(name, rng, env, depth)
            if cap and text:
                text = text[0].upper() + text[1:]
            out.append(text)
        return "".join(out)


@cache
def load_json(name: str) -> Any:
    """A data file shipped in ``thresher/demo/data/`` (parsed once per process)."""
    path = resources.files("thresher.demo").joinpath("data", name)
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def load_grammar(name: str) -> Grammar:
    """The rules stored in a data file as ``{symbol: [alternatives]}``.

    Entries that are not lists of strings (site tables, settings) are skipped.
    """
    data = load_json(name)
    return Grammar(
        {
            k: v
            for k, v in data.items()
            if isinstance(v, list) and all(isinstance(x, str) for x in v)
        }
    )
