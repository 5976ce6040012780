"""Text normalization: the first step of every default pipeline."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Any

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import MapStep

# C0/C1 control characters except tab and newline, plus zero-width and BOM marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\ufeff]")
# What _CONTROL removes, less the C1 controls (U+0080-U+009F) that ftfy reads
# as mangled Windows-1252, and those alone.
_C0_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_C1_CONTROL = re.compile(r"[\x80-\x9f]")
# Horizontal whitespace runs (incl. no-break and other Unicode spaces).
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# The same for the cleanup before ftfy, less a no-break space after "Â"
# ("Â\xa0" is the mojibake of a no-break space, for ftfy to repair).
_PRE_HSPACE = re.compile(r"(?:[ \t\u1680\u2000-\u200a\u202f\u205f\u3000]|(?<!\u00c2)\u00a0)+")
# What str.strip() strips, less the no-break space (for the same reason).
_PRE_STRIP = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\xa0")
_BLANK_RUNS = re.compile(r"\n{3,}")
# HTML character references left in extracted text (``&amp;``, ``&#8217;``, ``&nbsp;``).
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
# The last character of a line that ends mid-sentence: a letter, digit or
# comma, not terminal punctuation.
_OPEN_END = re.compile(r"[\w,;\-–]")
_SENTENCE_END = ".!?:…\"'”’)]"


def _looks_wrapped(prev: str, nxt: str, spaced: bool) -> bool:
    """True when ``prev`` was hard-wrapped in the middle of a sentence continued by ``nxt``.

    Conservative: ``prev`` must be prose-length (3 spaces or more: ``spaced``,
    counted by the caller) and end without terminal punctuation, ``nxt`` must
    start with a lower-case letter (so headings and list items, which start
    upper-case or with a symbol, are left alone). Only ``prev``'s length and
    last character are read: it may be the end of a long run of joined lines.
    """
    if len(prev) < 25 or not nxt or not nxt[0].islower():
        return False
    if prev[-1] in _SENTENCE_END or _OPEN_END.match(prev[-1]) is None:
        return False
    return spaced


def rejoin_wrapped_lines(text: str) -> str:
    """Join lines broken mid-sentence (``...the\\nquick brown``) into one line.

    A word hyphenated across the break (``exam-\\nple``) is joined without the hyphen.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    # Each line joins the run of lines above it or starts a new one. A run is
    # kept as a list of parts, and the wrap test reads only its last
    # _TAIL characters (joining as it went, and testing the whole joined
    # line, had made a run of n lines cost n squared).
    runs: list[list[str]] = [[lines[0]]]
    tail = first = lines[0]  # the run's last characters, and its first line
    for line in lines[1:]:
        # (Most lines don't start lower-case: the cheapest test first. A run of
        # two lines or more holds one that passed the 3-space test.)
        if line[:1].islower():
            run = runs[-1]
            if _looks_wrapped(tail, line, True if len(run) > 1 else first.count(" ") >= 3):
                if tail.endswith("-") and len(tail) > 1 and tail[-2].isalpha():
                    run[-1] = run[-1][:-1]  # (it ends with the hyphen: no part is empty)
                    tail = tail[:-1]
                else:
                    line = " " + line
                run.append(line)
                tail = (tail + line)[-_TAIL:]
                continue
        runs.append([line])
        tail = first = line
    return "\n".join(map("".join, runs))


# Characters of a run's end that the wrap test reads (its length test needs 25).
_TAIL = 64


# ASCII control characters (tab included): a line holding one goes through ftfy.
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


@lru_cache(1)
def _ftfy_config() -> Any:
    import ftfy

    return ftfy.TextFixerConfig(
        normalization=None,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        unescape_html=False,
        explain=False,
    )


def fix_unicode_text(text: str) -> str:
    """``ftfy.fix_text`` with thresher's settings (no normalization, quotes,
    ligatures, widths and HTML left alone), the same text out.

    ftfy fixes a text one line at a time (segments up to each newline, at most
    ``max_decode_length`` characters), each on its own. A line of printable
    ASCII has nothing for any of the enabled fixers to change (mojibake,
    surrogates and C1 controls need other characters; escapes, control
    characters and line breaks need control characters), so such lines are
    copied instead of passing through ftfy's per-line machinery, which costs
    more than the fixing: most lines of a page are plain ASCII even when its
    text is not.
    """
    import ftfy

    config = _ftfy_config()
    limit = config.max_decode_length
    out: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos) + 1
        if end == 0:
            end = n
        if end - pos > limit:
            end = pos + limit
        segment = text[pos:end]
        if segment.isascii() and _ASCII_CONTROL.search(segment) is None:
            out.append(segment)
        else:
            out.append(ftfy.fix_and_explain(segment, config)[0])
        pos = end
    return "".join(out)


class Normalize(MapStep):
    """Repair and normalize text before anything reads it.

    * mojibake and other Unicode damage repaired with ftfy (``cafÃ©`` -> ``café``),
      Speer 2019, https://ftfy.readthedocs.io;
    * HTML character references left by extraction decoded (``&rsquo;`` -> ``’``);
    * Unicode normalized to ``form`` (NFC by default);
    * control characters removed, every run of horizontal whitespace made one
      space, lines stripped, runs of blank lines made one;
    * lines hard-wrapped mid-sentence rejoined (``rejoin_lines``).

    Signals: ``normalize_changed`` (1 when the text changed).
    """

    name = "normalize"
    version = 2

    def __init__(
        self,
        *,
        fix_unicode: bool = True,
        unescape_html: bool = True,
        form: str = "NFC",
        rejoin_lines: bool = True,
        min_chars: int = 1,
    ) -> None:
        if form not in ("NFC", "NFKC", "NFD", "NFKD"):
            raise ConfigError(f"normalize: form must be one of NFC, NFKC, NFD, NFKD, not {form!r}")
        if min_chars < 0:
            raise ConfigError("normalize: min_chars must be >= 0")
        self.fix_unicode = fix_unicode
        self.unescape_html = unescape_html
        self.form = form
        self.rejoin_lines = rejoin_lines
        self.min_chars = min_chars

    def normalize_text(self, text: str) -> str:
        out, again = self._normalize_once(text)
        # ftfy judges each line in its context, and the cleanup after it can
        # change that context: in "\x8dÂ¡" the control character keeps ftfy
        # from reading "Â¡" as mojibake; once it is removed, "Â¡" is "¡". So a
        # text whose pass repaired, unescaped or dropped such characters goes
        # round again until it is stable (at most three more times), and
        # normalizing twice changes nothing. Clean text takes one pass.
        for _ in range(3):
            if not again or out == text:
                break
            text = out
            out, again = self._normalize_once(text)
        return out

    def _normalize_once(self, text: str) -> tuple[str, bool]:
        """One pass, and whether it changed anything that can change what
        ftfy sees (a repair, an entity, a C1 control)."""
        # The cleanup that ftfy doesn't need comes first, so that ftfy sees
        # the lines a second pass would see ("Â\t0" is fine to it, "Â 0" is a
        # mangled no-break space): line breaks, C0 controls, spacing.
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        clean = False  # spacing and C0 controls already done, nothing since
        again = False
        if self.fix_unicode and not text.isascii():
            text = _C0_CONTROL.sub("", text)
            if "\u00c2\xa0" in text:
                text = _PRE_HSPACE.sub(" ", text)
                text = "\n".join(line.strip(_PRE_STRIP) for line in text.split("\n"))
            else:
                text = "\n".join(line.strip() for line in _HSPACE.sub(" ", text).split("\n"))
            fixed = fix_unicode_text(text)
            again = fixed != text
            clean = not again and "\xa0" not in fixed
            text = fixed
        if self.unescape_html and "&" in text:
            unescaped = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
            if unescaped != text:
                clean = False
                again = again or not unescaped.isascii()
                text = unescaped
        if not text.isascii():
            if _C1_CONTROL.search(text) is not None:
                again, clean = True, False
            if not unicodedata.is_normalized(self.form, text):  # type: ignore[arg-type]
                text = unicodedata.normalize(self.form, text)  # type: ignore[arg-type]
                clean = False
        if not clean:
            text = _CONTROL.sub("", text)
            text = _HSPACE.sub(" ", text)
            text = "\n".join(line.strip() for line in text.split("\n"))
        text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
        if self.rejoin_lines:
            text = rejoin_wrapped_lines(text)
        return text, again and self.fix_unicode

    def process(self, doc: Document) -> None:
        new = self.normalize_text(doc.text)
        doc.signals["normalize_changed"] = int(new != doc.text)
        doc.text = new
        if len(new) < self.min_chars:
            doc.remove(self.name, "empty")
