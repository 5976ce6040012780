"""Text normalisation for toxicity models.

HateXplain, one of the training sets, is distributed lower-cased, ASCII-only,
with punctuation and emoji removed and user handles replaced by ``user``
(its text went through ekphrasis, which also unpacks contractions). A model
trained on it only transfers when every other text, at training and at
inference, is brought to the same form. :func:`normalize` does that:

* HTML entities decoded (``&amp;`` -> ``&``), lower case;
* URLs -> ``url``, ``@handles`` -> ``user``, the retweet marker ``rt`` dropped;
* contractions unpacked (``don't`` -> ``do not``, ``i'm`` -> ``i am``);
* letters repeated three or more times cut to two (``fuuuck`` -> ``fuuck``);
* everything but letters and digits becomes a space; whitespace collapsed.
"""

from __future__ import annotations

import html
import re

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
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_NON_WORD = re.compile(r"[\W_]+")
_RT = re.compile(r"(?:^| )rt(?= |$)")


def normalize(text: str) -> str:
    """The canonical form a toxicity model sees (see the module docstring)."""
    if "&" in text:
        text = html.unescape(text)
    text = text.lower()
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "@" in text:
        text = _MENTION.sub(" user ", text)
    if "'" in text or "\u2019" in text:
        text = _APOS.sub("'", text)
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
    text = _REPEAT.sub(r"\1\1", text)
    text = _NON_WORD.sub(" ", text)
    if "rt" in text:
        text = _RT.sub("", text)
    return " ".join(text.split())
