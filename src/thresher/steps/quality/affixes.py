"""Cheap prechecks for spaCy's prefix, suffix and infix regular expressions.

spaCy's affix patterns are alternations of a few hundred branches; ``re``
tries every branch at every position, so a suffix search on a short word
costs microseconds even when nothing can match. Each match of these
patterns starts (prefix, infix) or ends (suffix) with a character from a set
read off the parsed pattern, so:

- a prefix search is skipped when the text's first character is not in the
  prefix pattern's first-character set;
- an infix scan is skipped when the text holds no character of the infix
  pattern's first-character set;
- a URL match is skipped when the text lacks a literal character every URL
  holds (the host's ``.``);
- a suffix search only tries the branches that can end with the text's last
  character (every branch ends at ``$``, so the leftmost match start is the
  same with or without the branches that cannot match).

Lookbehinds and lookaheads are zero-width and do not change the first or
last character a match consumes. Any construct this module does not model
(case-insensitive flags, negated classes, categories, optional first items,
branches that can match empty) makes the helpers return None, and the
tokenizer then runs the full pattern as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

try:  # CPython's regex parser (3.11+); without it every precheck is off.
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons
    sre = sre_parse = None

Search = Callable[..., "re.Match[str] | None"]


def _class_chars(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE:
            out.update(map(chr, range(av[0], av[1] + 1)))
        else:  # NEGATE, CATEGORY, ...: not modelled
            return None
    return out


def _edge(items: Sequence[tuple[Any, Any]], *, last: bool) -> set[str] | None:
    """Characters a match of the parsed node sequence can start (``last``: end)
    with, or None when not modelled."""
    seq = list(items)
    if last:
        seq.reverse()
    for op, av in seq:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width
        if op is sre.LITERAL:
            return {chr(av)}
        if op is sre.IN:
            return _class_chars(av)
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None
            return _edge(sub.data, last=last)
        if op is sre.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                chars = None if branch.getwidth()[0] == 0 else _edge(branch.data, last=last)
                if chars is None:
                    return None
                out |= chars
            return out
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            return _edge(av[2].data, last=last)
        return None
    return None


def _parsed(pattern: str) -> Any | None:
    if sre_parse is None:
        return None
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or parsed.getwidth()[0] == 0:
        return None
    return parsed


def edge_chars(pattern: str, *, last: bool) -> frozenset[str] | None:
    """The characters every match of ``pattern`` starts (``last``: ends) with."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    chars = _edge(parsed.data, last=last)
    return None if chars is None else frozenset(chars)


def alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (outside groups and classes)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            # A class: skip to its closing bracket ("]" first, or after "^", is literal).
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def suffix_searches(pattern: str) -> dict[str, Search] | None:
    """``{last character: search}``, each search running only the branches of the
    suffix ``pattern`` that can end with that character (a character missing
    from the dict ends no match). None when the pattern is not a top-level
    alternation of branches that each end at ``$`` with a known last character."""
    whole = re.compile(pattern)
    parts = alternatives(pattern)
    lasts: list[frozenset[str]] = []
    for part in parts:
        parsed = _parsed(part)
        if parsed is None or re.compile(part).flags != whole.flags:
            return None
        data = parsed.data
        if not data or data[-1] != (sre.AT, sre.AT_END):
            return None
        chars = _edge(data, last=True)
        if chars is None:
            return None
        lasts.append(frozenset(chars))
    by_branches: dict[tuple[int, ...], Search] = {}
    out: dict[str, Search] = {}
    for ch in frozenset().union(*lasts):
        key = tuple(i for i, chars in enumerate(lasts) if ch in chars)
        search = by_branches.get(key)
        if search is None:
            search = re.compile("|".join(parts[i] for i in key)).search
            by_branches[key] = search
        out[ch] = search
    return out


def _required(items: Sequence[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.SUBPATTERN and not (av[1] or av[2]):
            out |= _required(av[3].data)
        elif op is sre.BRANCH:
            out |= set.intersection(*(_required(b.data) for b in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            out |= _required(av[2].data)
        # Anything else (classes, optional items, lookarounds) requires nothing.
    return out


def required_chars(pattern: str) -> frozenset[str]:
    """Characters every match of ``pattern`` consumes (a subset of them: what
    literal characters it cannot match without)."""
    if sre_parse is None:
        return frozenset()
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return frozenset()
    return frozenset(_required(parsed.data))
