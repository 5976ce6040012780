"""Read the hand-labelled PII cases and score a detector on them.

A case file (``tests/data/pii/<kind>.txt``) holds one example per line:
``+ text`` with every finding of that kind marked ``[[like this]]``, or
``- text`` that holds no personal data of any kind. ``#`` starts a comment;
``\\n`` in a line stands for a line break.
Shared by the tests and ``eval/pii.py`` so both count the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Spans = list[tuple[int, int, str]]


@dataclass
class Case:
    text: str
    spans: Spans  # expected (start, end, kind); empty for a negative
    positive: bool
    line: int


def parse_line(raw: str, kind: str, line: int) -> Case:
    sign, body = raw[0], raw[2:].replace("\\n", "\n")
    if sign not in "+-" or raw[1:2] != " ":
        raise ValueError(f"line {line}: start with '+ ' or '- ', got {raw[:10]!r}")
    text_parts: list[str] = []
    spans: Spans = []
    pos = 0
    length = 0
    while True:
        open_ = body.find("[[", pos)
        if open_ == -1:
            text_parts.append(body[pos:])
            break
        while body.startswith("[", open_ + 2):
            open_ += 1  # "[[[x]]]": a literal "[" before the marker
        close = body.find("]]", open_ + 2)

        if close == -1:
            raise ValueError(f"line {line}: '[[' without ']]'")
        text_parts.append(body[pos:open_])
        length += open_ - pos
        inner = body[open_ + 2 : close]
        spans.append((length, length + len(inner), kind))
        text_parts.append(inner)
        length += len(inner)
        pos = close + 2
    if sign == "+" and not spans:
        raise ValueError(f"line {line}: a '+' case needs a [[marked]] span")
    if sign == "-" and spans:
        raise ValueError(f"line {line}: a '-' case can't mark spans")
    return Case("".join(text_parts), spans, sign == "+", line)


def load_cases(path: Path, kind: str) -> list[Case]:
    cases = []
    for i, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip() and not raw.startswith("#"):
            cases.append(parse_line(raw, kind, i))
    return cases


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(
    cases_by_kind: dict[str, list[Case]],
    detect: Callable[[str], Iterable[tuple[int, int, str]]],
) -> dict[str, Score]:
    """Exact-span scores per kind.

    On a positive line of kind K, a finding of kind K is a true positive when
    its span matches a marked one exactly, else a false positive (of K); other
    kinds on that line aren't judged. On a negative line every finding is a
    false positive of its kind. A marked span not found is a false negative.
    """
    scores: dict[str, Score] = {k: Score() for k in cases_by_kind}
    for kind, cases in cases_by_kind.items():
        for case in cases:
            found = [(s, e, k) for s, e, k in detect(case.text)]
            if case.positive:
                got = {f for f in found if f[2] == kind}
                want = set(case.spans)
                sc = scores[kind]
                sc.tp += len(got & want)
                sc.fp += len(got - want)
                sc.fn += len(want - got)
                for s, e, k in sorted((got - want) | (want - got)):
                    tag = "FP" if (s, e, k) in got else "FN"
                    sc.errors.append(
                        f"{tag} {kind}:{case.line} {case.text[s:e]!r} in {case.text!r}"
                    )
            else:
                for s, e, k in found:
                    sc = scores.setdefault(k, Score())
                    sc.fp += 1
                    sc.errors.append(
                        f"FP {k} ({kind}:{case.line}) {case.text[s:e]!r} in {case.text!r}"
                    )
    return scores
