"""The affix prechecks (affixes.py) give the full patterns' answers."""

from __future__ import annotations

import random
import re

from thresher.steps.quality.affixes import (
    alternatives,
    edge_chars,
    required_chars,
    suffix_searches,
)
from thresher.steps.quality.tokenizer import SpacyRules, _spacy_data

ALPHABET = [
    *"aAzZsmk09.,;:!?'\"()[]{}-–—_/\\#$%&*+<=>@^`|~…°’“”«»¿¡·éß中ー€£",
    "km", "'s", "n't", "U.S.", "http://", ".com", "www.", "p.m.", "e.g.", "Dr.", "...", "°C",
]  # fmt: skip


def _strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 7))) for _ in range(count)]


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return m.span() if m else None


def test_alternatives_split_only_at_top_level() -> None:
    assert alternatives(r"a|(b|c)|[|x]|\||d") == ["a", "(b|c)", "[|x]", r"\|", "d"]
    assert alternatives(r"[]|]|x") == ["[]|]", "x"]


def test_edge_and_required_chars() -> None:
    assert edge_chars(r"^(?:ab|c+)d", last=False) == frozenset("ac")
    assert edge_chars(r"(?<=[0-9])(?:km|m)$", last=True) == frozenset("m")
    assert edge_chars(r"x?y", last=False) is None  # optional first item: not modelled
    assert edge_chars(r"(?i)a", last=False) is None
    assert required_chars(r"^(?:a\.b|c\.d)(?:e)?f+") == frozenset(".f")


def test_suffix_searches_give_the_full_suffix_match() -> None:
    pattern = _spacy_data()["suffix"]
    full = re.compile(pattern).search
    by_last = suffix_searches(pattern)
    assert by_last is not None
    for s in _strings(20_000, 1):
        search = by_last.get(s[-1])
        assert _span(None if search is None else search(s)) == _span(full(s)), s


def test_prechecked_rules_tokenize_as_the_full_patterns() -> None:
    fast = SpacyRules()
    full = SpacyRules()
    # Disable every precheck on the second instance.
    full._prefix_first = None
    full._suffix_by_last = None
    full._infix_first = None
    full._url_needs = frozenset()
    full._matcher_first = {k[0]: tuple(range(2, full._matcher_max + 1)) for k in full._matcher}
    assert fast._prefix_first is not None and fast._infix_first is not None
    assert "." in fast._url_needs
    for s in _strings(20_000, 2):
        assert fast.tokenize(s) == full.tokenize(s), s
