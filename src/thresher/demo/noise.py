"""Damage that real crawled text carries, so normalisation has work to do.

Each function takes the page text and the document's RNG and returns the
damaged text; the caller records which ones it applied in ``truth["noise"]``.
"""

from __future__ import annotations

import random
import textwrap

# Bytes 0x80-0x9F as Windows-1252 shows them; the five it leaves undefined keep
# their Latin-1 code point, the way browsers and ftfy's "sloppy" codec do.
_CP1252_HIGH = {
    0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ",
    0x89: "‰", 0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“",
    0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›",
    0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
}  # fmt: skip


def mojibake(text: str, rng: random.Random) -> str:
    """UTF-8 bytes read as Windows-1252: ``café`` -> ``cafÃ©``, ``’`` -> ``â€™``.

    Some pages get it everywhere, others only in some lines (a template in one
    encoding, the article pasted in another).
    """
    if rng.random() < 0.5:
        return _garble(text)
    lines = text.split("\n")
    damaged = [i for i, line in enumerate(lines) if not line.isascii() and rng.random() < 0.5]
    if not damaged:
        return _garble(text)
    for i in damaged:
        lines[i] = _garble(lines[i])
    return "\n".join(lines)


def _garble(s: str) -> str:
    return s.encode("utf-8").decode("latin-1").translate(_CP1252_HIGH)


def hard_wrap(text: str, rng: random.Random) -> str:
    """Break long lines at a fixed width, like text copied from e-mail or PDF."""
    width = rng.choice((60, 66, 72, 76, 80))
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) > width + 20 and rng.random() < 0.8:
            out.extend(textwrap.wrap(line, width=width, break_on_hyphens=False))
        else:
            out.append(line)
    return "\n".join(out)


_ENTITIES = (
    ("&", "&amp;"),
    ("’", "&rsquo;"),
    ("’", "&#8217;"),
    ("“", "&ldquo;"),
    ("”", "&#x201D;"),
    ("é", "&eacute;"),
    (" – ", " &ndash; "),
    ('"', "&quot;"),
)


def html_entities(text: str, rng: random.Random) -> str:
    """HTML character references the extractor left in: ``&amp;``, ``&rsquo;``, ``&nbsp;``."""
    lines = text.split("\n")
    present = [e for e in _ENTITIES if e[0] in text]
    chosen = rng.sample(present, min(len(present), rng.randint(2, 4)))
    for i, line in enumerate(lines):
        if rng.random() < 0.6:
            for old, new in chosen:
                line = line.replace(old, new)
            if rng.random() < 0.3 or not chosen:
                line = line.replace(" ", "&nbsp;", rng.randint(1, 2))
            lines[i] = line
    out = "\n".join(lines)
    return out if out != text else text.replace(" ", "&nbsp;", 1)


_INVISIBLE = ("\u200b", "\u00ad", "\u200c", "\u2060", "\ufeff")


def control_chars(text: str, rng: random.Random) -> str:
    """Zero-width and soft-hyphen characters inside words, stray C0 controls, a BOM."""
    chars = list(text)
    for _ in range(rng.randint(3, 12)):
        i = rng.randrange(len(chars))
        if chars[i].isalpha():
            chars[i] += rng.choice(_INVISIBLE)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(chars))
        chars[i] += rng.choice(("\x00", "\x0c", "\x07", "\x1b", "\x7f"))
    out = "".join(chars)
    if rng.random() < 0.5:
        out = "\ufeff" + out
    return out


def odd_whitespace(text: str, rng: random.Random) -> str:
    """Tabs, non-breaking spaces, trailing blanks, runs of empty lines, CRLF endings."""
    out: list[str] = []
    for line in text.split("\n"):
        r = rng.random()
        if r < 0.15:
            line = "\t" + line
        elif r < 0.3:
            line = line + " " * rng.randint(1, 6)
        elif r < 0.4:
            line = line.replace(" ", "\u00a0", rng.randint(1, 3))
        elif r < 0.5:
            line = "  ".join(line.split(" ", 2)) if " " in line else line
        out.append(line)
        if rng.random() < 0.12:
            out.extend([""] * rng.randint(1, 3))
        if rng.random() < 0.05:
            out.append(rng.choice((" ", "\t", "\u00a0", "\u3000")))
    sep = "\r\n" if rng.random() < 0.4 else "\n"
    return sep.join(out)
