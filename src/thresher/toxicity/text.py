"""Text normalisation for toxicity models.

HateXplain, one of the training sets, is distributed lower-cased, ASCII-only,
with punctuation and emoji removed and user handles replaced by ``user``
(its text went through ekphrasis, which also unpacks contractions). A model
trained on it only transfers when every other text, at training and at
inference, is brought to the same form. :func:`normalize` does that:

* HTML entities decoded (``&amp;`` -> ``&``), lower case;
* masked and leetspeak profanity restored (``f*ck``, ``b1tch``, ``a$$hole``):
  a word that starts with a letter and holds ``*``, ``@``, ``$``, ``!`` or a
  digit becomes the first word of a short built-in list it can stand for
  (``*`` = any letter, ``1``/``!`` = i or l, ``0`` = o, ``3`` = e, ``4``/``@``
  = a, ``5``/``$`` = s, ``7`` = t); anything else is left alone (``mp3``,
  ``covid19``, e-mail addresses);
* URLs -> ``url``, ``@handles`` -> ``user``, the retweet marker ``rt`` dropped;
* contractions unpacked (``don't`` -> ``do not``, ``i'm`` -> ``i am``);
* letters repeated three or more times cut to two (``fuuuck`` -> ``fuuck``);
* everything but letters and digits becomes a space; whitespace collapsed.
"""

from __future__ import annotations

import html
import re

import numpy as np

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_APOS = re.compile(r"[\u2018\u2019\u02bc`´]")
_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bain't\b"), "is not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
)
# Words commonly written masked, most frequent first (the first match wins).
_MASKABLE = (
    "fuck fucking fucked fucker fuckers fucks fuckin motherfucker motherfuckers shit shitty "
    "shits bullshit bitch bitches ass asses asshole assholes cunt cunts dick dicks dickhead "
    "cock cocks pussy whore whores slut sluts bastard bastards damn crap piss pissed twat "
    "wank wanker nigger niggers nigga niggas faggot faggots fag fags retard retarded hell "
    "suck sucks idiot idiots stupid kill"
)
_MASKABLE_LINES = "\n".join(_MASKABLE.split())
_MASK_HINT = re.compile(r"[a-z][*@$!0-9]")
_MASK_TOKEN = re.compile(r"(?<![\w*@$!])[a-z][a-z0-9*@$!]*[*@$!0-9][a-z0-9*@$!]*(?<!!)")
_LEET = {
    "*": "[a-z]",
    "@": "a",
    "4": "a",
    "$": "s",
    "5": "s",
    "!": "[il]",
    "1": "[il]",
    "0": "o",
    "3": "e",
    "7": "t",
}


def _unmask_word(match: re.Match[str]) -> str:
    token = match.group(0)
    if not any(c in _LEET for c in token):
        return token
    pattern = "".join(_LEET.get(c, c) for c in token)
    if "0" <= pattern[-1] <= "9":  # digits that are not leetspeak (e.g. covid19)
        return token
    hit = re.search(f"^{pattern}$", _MASKABLE_LINES, re.MULTILINE)
    return hit.group(0) if hit else token


_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W_]+")


def _has_repeat(text: str) -> bool:
    """Whether :data:`_REPEAT` matches ``text``: it is tried only where a
    character repeats three times (found in numpy), not at every position."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if len(points) < 3:
        return False
    same = (points[2:] == points[1:-1]) & (points[1:-1] == points[:-2])
    return any(_REPEAT.match(text, i) for i in np.flatnonzero(same).tolist())


def normalize(text: str) -> str:
    """The canonical form a toxicity model sees (see the module docstring)."""
    if "&" in text:
        text = html.unescape(text)
    text = text.lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if _MASK_HINT.search(text):
        text = _MASK_TOKEN.sub(_unmask_word, text)
    if "@" in text:
        text = _MENTION.sub(" user ", text)
    if "'" in text or "\u2019" in text:
        text = _APOS.sub("'", text)
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
    if _has_repeat(text):
        text = _REPEAT.sub(r"\1\1", text)
    # Runs of letters and digits, joined by single spaces; the retweet marker dropped.
    words = _WORD.findall(text)
    if "rt" in words:
        words = [w for w in words if w != "rt"]
    return " ".join(words)
