"""Where to look: cheap scans that narrow each detector to a few stretches of text.

Python's regex engine finds a literal first character with ``memchr`` but has
to try a pattern at every position otherwise. The detectors therefore run only
inside *windows*: around each ``@`` (e-mail), each literal-led hint such as
``.12.`` (IPv4) or ``:ab:`` (IPv6), and each dense run of digits (phone, card,
IBAN). Lookbehinds still see the text before a window; a window ends far
enough past its anchor that no match reaches its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

Span = tuple[int, int]

# Seven digits with at most three separator characters between neighbours: every
# phone number, card number and IBAN has such a run; most text has few.
_DENSE_DIGITS = re.compile(r"[0-9](?:[ ()./\-+]{0,3}[0-9]){6,}")
_NUMPY_MIN_CHARS = 2000
# UTF-8 never puts an ASCII digit byte inside a multi-byte character
_NOT_DIGIT_BYTES = bytes(b for b in range(256) if not 48 <= b <= 57)
# A candidate starts at most this many characters before its digit run ("GB29NWBK"
# before "6016...", "(+" before "44") and ends at most this many after it (the
# letters closing "...001S" of a Maltese IBAN, plus room for the lookahead).
_BEFORE_RUN = 16
_AFTER_RUN = 24


def digit_windows(text: str) -> list[Span]:
    """Stretches of ``text`` where a phone, card or IBAN could be: each run of seven
    or more digits with at most three characters between neighbours, widened by
    enough characters for a prefix ("GB29NWBK", "+1 (") and a suffix, overlapping
    stretches merged.

    Long texts take a numpy path (digits located on the code points, ~4x faster
    than the regex scan); its runs ignore what the in-between characters are, so
    its windows cover the regex's and then some.
    """
    if len(text) < _NUMPY_MIN_CHARS:
        # fewer than seven digits in all (most prose): done without a regex pass
        raw = text.encode("utf-8", "surrogatepass")
        if len(raw.translate(None, _NOT_DIGIT_BYTES)) < 7:
            return []
        runs = [m.span() for m in _DENSE_DIGITS.finditer(text)]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        idx = np.flatnonzero((codes - 48) < 10)
        if len(idx) < 7:
            return []
        breaks = np.flatnonzero(np.diff(idx) > 4)
        first = np.concatenate(([0], breaks + 1))
        last = np.concatenate((breaks, [len(idx) - 1]))
        keep = last - first >= 6
        runs = list(zip(idx[first[keep]].tolist(), (idx[last[keep]] + 1).tolist(), strict=True))
    windows: list[Span] = []
    for run_start, run_end in runs:
        start = max(0, run_start - _BEFORE_RUN)
        end = min(len(text), run_end + _AFTER_RUN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def at_windows(text: str) -> list[Span]:
    return literal_windows(text, ("@",), 80, 270)


def literal_windows(text: str, needles: tuple[str, ...], before: int, after: int) -> list[Span]:
    """Windows around every occurrence of any of ``needles`` (``str.find``: memchr speed)."""
    hits: list[int] = []
    for needle in needles:
        i = text.find(needle)
        while i != -1:
            hits.append(i)
            i = text.find(needle, i + 1)
    if len(needles) > 1:
        hits.sort()
    windows: list[Span] = []
    for i in hits:
        start = max(0, i - before)
        end = min(len(text), i + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def hint_windows(hint: re.Pattern[str], text: str, before: int, after: int) -> list[Span]:
    windows: list[Span] = []
    for m in hint.finditer(text):
        start = max(0, m.start() - before)
        end = min(len(text), m.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def windowed(pattern: re.Pattern[str], text: str, windows: list[Span]) -> Iterator[re.Match[str]]:
    # lookbehinds see the text before ``pos``; a window ends far enough past its
    # digits that a match never reaches ``endpos``
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)
