"""Comment dates, author lines, the ends of comment sections, their furniture
and vote counts in German, French, Spanish, Italian, Dutch, Portuguese,
Russian, Polish, Swedish, Turkish, Indonesian, Ukrainian, Czech, Danish and
Norwegian: the word lists, and the regex fragments built from them that
``rules``, ``comments``, ``authors`` and ``comment_fixes`` put beside their
English patterns.

The words are in ``data/comment_words.json``, one entry per language, in
lower case (the patterns ignore case; a space in a word stands for any white
space):

* ``months``, ``month_abbreviations`` and ``weekdays`` (full names only: "Sam"
  and "Dom" are names);
* ``days``: "today", "yesterday" ("heute", "hier", "вчера");
* ``ago_before`` / ``ago_after``: the words before or after the number and
  ``units`` of a relative time ("vor 3 Stunden", "3 часа назад");
* the small words of a date: ``date_prefixes`` before its day ("am", "le"),
  ``month_joiners`` around its month ("12 de marzo de 2021"),
  ``year_suffixes`` ("2021 г."), ``time_prefixes`` and ``time_suffixes``
  around its time ("um 10:15 Uhr", "a las 10:15");
* ``says``: an author line's verb ("schrieb", "a écrit"); ``posted`` and
  ``by``: a byline's ("publié", "posté par"); ``reply``: a reply button.
* the starts of the lines that end a comment section (``COMMENTS_END``): a
  reply form's heading, note or button (``reply_form``: "Schreibe einen
  Kommentar", "Votre adresse e-mail ne sera pas publiée", "Annulla
  risposta"), a sidebar's heading (``sidebar``: "Ähnliche Beiträge",
  "Свежие комментарии"), ``more_comments`` ("Weitere Kommentare laden") and
  ``closed`` ("Les commentaires sont fermés"); a reply form's field labels
  (``form_fields``: "Name", "Nome", "Имя") and the word that marks them
  required (``required``: "obbligatorio");
* a comment section's furniture (``CHROME_LINE``, ``NOTES``, ``BUTTONS``):
  ``sort_by`` ("Sortieren nach"), ``chrome_lines`` (whole lines: "Rispondi al
  commento", "Log in om te reageren"), moderation ``notes`` anywhere in a
  line ("en attente de modération"), widget ``buttons`` ("Melden",
  "Partager");
* ``votes``: the word of a vote count ("12 Punkte", "3 голоса"); the English
  ones ("points", "votes", "likes") are in the English patterns;
* ``comments``: the word of a teaser's comment count (``COMMENTS``: "12
  Kommentare", "3 комментария"), ``replies``: of a reply count (``REPLIES``:
  "12 Antworten", "3 réponses"), ``count_joiners``: the small word between a
  section heading's count and the post's title (``COUNT_JOINERS``: "12
  Kommentare zu „...“", "3 réponses à « ... »"), ``loading``: a widget's loading note
  (``LOADING``: "Wird geladen…", "Загрузка…"), and ``sign_in``: sign-in links
  (``SIGN_IN``: "Anmelden", "Se connecter", "Войти").

The small words are part of the date phrase that ``FOREIGN_DATE`` matches, so
an author line loses them only inside a date: "Jean le 3 mars" is Jean's.
Words that are English words or names too ("Le", "Domingo", "dice") are held
to stricter rules (``ENGLISH``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

_WORDS: dict[str, dict[str, list[str]]] = json.loads(
    (Path(__file__).parent / "data" / "comment_words.json").read_text("utf-8")
)


# Words of the lists that are English words or names too: commenters "Kiki Le",
# "Em", "Den", "Om", "Domingo", "Andrew Ayer", "Chris Hoy", "Maj", "Dedi",
# "Dela", "Suka", "Del", "Mai"; "load the dice", "First Responder", "1 set.",
# "Gen1", "3 out of 5", "Mars 2021", "Sa".
_NAMES = (
    *("le", "el", "em", "den", "om", "domingo", "domenica", "sabato", "hoy", "ayer"),
    *("maj", "dedi", "dela", "suka", "del", "mai"),
)
_WORDS_TOO = ("dice", "responder", "ago", "gen", "mag", "out", "set", "mars", "sa")


#: The words of the lists that count only in lower case (a date's small word
#: or a weekday also capitalized at the start of a line: "Le 3 janvier",
#: "Domingo, 12 de marzo"); a month abbreviation among them only before a
#: number, an author line's word only before a colon ("Juan dice:").
ENGLISH = frozenset((*_NAMES, *_WORDS_TOO))


def _words(*kinds: str) -> list[str]:
    """The words of ``kinds`` in all the languages, longest first, once each."""
    found = {w for lang in _WORDS.values() for kind in kinds for w in lang[kind]}
    return sorted(found, key=lambda w: (-len(w), w))


_NOT_ENGLISH = (
    frozenset(w for lang in _WORDS.values() for ws in lang.values() for w in ws) - ENGLISH
)


def _one_of(*kinds: str, leave_out: frozenset[str] = frozenset(), at_start: bool = False) -> str:
    """A regex group matching one of the words of ``kinds``, the longest that
    fits (a space matches any white space); an ``ENGLISH`` word only in lower
    case, or (``at_start``) in any case at the start of the text searched."""
    found = [w for w in _words(*kinds) if w not in leave_out]
    if not found:
        raise ValueError(f"comment_words.json lists no words of {kinds}")
    english = [w for w in found if w in ENGLISH]
    if at_start and english:
        return "(?:" + _trie(found) + "|^" + _trie(english, fold=True) + ")"
    return _trie(found)


def _trie(found: Iterable[str], *, fold: bool = False) -> str:
    """A regex group of the words ``found`` as a trie whose characters are
    case-sensitive classes of their cases ("(?-i:[mM])"; an ``ENGLISH`` word's
    the characters alone, unless ``fold``). ``re`` skips an alternative that
    opens with such a class or character after one test, but enters every one
    that opens with a case-insensitive letter: a plain list of the words,
    tried at each position of a line, would cost several times the English
    patterns."""
    root: dict[tuple[str, bool], dict] = {}
    for word in found:
        lower = word in ENGLISH and not fold
        node = root
        for ch in word:
            node = node.setdefault((ch, lower), {})
        node["", False] = {}

    def branches(node: dict[tuple[str, bool], dict]) -> str:
        alts = [_char(*key) + branches(node[key]) for key in sorted(node) if key[0]]
        if not alts:
            return ""
        group = "(?:" + "|".join(alts) + ")"
        return group + "?" if ("", False) in node else group

    # One test of the first character before the branches (cheaper still).
    first = sorted({c for ch, _ in root for c in (ch, ch.lower(), ch.upper()) if len(c) == 1})
    return "(?=(?-i:[" + "".join(map(re.escape, first)) + "]))" + branches(root)


def _char(ch: str, lower: bool) -> str:
    """``ch`` as a case-sensitive class of its cases ("(?-i:[mM])"), or
    (``lower``) alone; a space as any white space."""
    if ch == " ":
        return r"\s+"
    cases = sorted({c for c in (ch, ch.lower(), ch.upper()) if len(c) == 1})
    if len(cases) == 1:
        return re.escape(ch)
    if lower:
        return "(?-i:" + re.escape(ch) + ")"
    return "(?-i:[" + "".join(map(re.escape, cases)) + "])"


def _hints(kind: str) -> tuple[str, ...]:
    """The first six letters of each ``kind`` phrase's longest word,
    casefolded: a substring test for them is cheaper than the phrases'
    pattern, and every phrase holds one."""
    return tuple(sorted({max(w.split(), key=len).casefold()[:6] for w in _words(kind)}))


# French "hier" (yesterday) is German and Dutch "here": a date word at the
# edge of a name, but no date on its own.
_HERE = frozenset(["hier"])


# A day of the month ("12." in German, "1er" in French, "1º" in Spanish and
# Portuguese), a month ("März", "févr.", "марта"), a year ("2021", "2021 г.").
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:\.|er|º|°)?"
_MONTH = (
    r"(?:" + _one_of("months") + r"(?!\w)"
    r"|" + _one_of("month_abbreviations", leave_out=ENGLISH) + r"(?:\.|(?=,?\s+\d))"
    r"|" + _one_of("month_abbreviations", leave_out=_NOT_ENGLISH) + r"\.?(?=,?\s+\d))"
)
_YEAR = r"(?:19|20)\d\d(?:\s*" + _one_of("year_suffixes") + r"(?!\w)|\b)"
_OF = r"(?:" + _one_of("month_joiners") + r"\s+)?"  # "12 de marzo de 2021"
_UNIT = _one_of("units")

# Dates that begin with their number: "12. März 2021", "12 de marzo de 2021",
# "12.03.2021", a time ("10:15", "14h05", "14 h 05 min", "10:15 Uhr", "10
# Uhr"), "3 ore fa".
_DAY_MONTH = _DAY + r"\s+" + _OF + _MONTH
_DAY_MONTH_YEAR = _DAY_MONTH + r"(?:,?\s+" + _OF + _YEAR + ")?"
_NUMERIC = r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"
_AT = _one_of("time_suffixes")
_TIME = (
    r"(?:\d{1,2}(?::\d\d|\s?h\s?\d\d\b(?:\s*min\b)?)(?:\s*" + _AT + r"(?!\w))?"
    r"|\d{1,2}(?:[.:]\d\d)?\s+" + _AT + r"(?!\w))"
)
_AGO_AFTER = r"\d+\s*" + _UNIT + r"\.?\s+" + _one_of("ago_after") + r"(?!\w)"

# Dates that begin with a word, at most three words before their first
# number: "vor 3 Stunden", "am Montag, den 12. März", "März 2021", "marzo 12,
# 2021", "a las 10:15".
_AGO_BEFORE = _one_of("ago_before") + r"\s+\d+\s*" + _UNIT + r"(?!\w)\.?"
_ON = _one_of("date_prefixes", at_start=True) + r"\s+"
_WEEKDAY = _one_of("weekdays", at_start=True) + r",?\s+"
_LEAD = "(?:" + _ON + "(?:" + _WEEKDAY + ")?(?:" + _ON + ")?|" + _WEEKDAY + "(?:" + _ON + ")?)"
_MONTH_YEAR = _MONTH + r"\s+(?:\d{1,2},?\s+)?" + _OF + _YEAR
_MONTH_DAY_YEAR = _MONTH + r"\s+\d{1,2},?\s+" + _YEAR
_AT_TIME = _one_of("time_prefixes", at_start=True) + r"\s+" + _TIME

# Where such a date may begin: at a digit, or at a word with a number at most
# three words on (each date above has one there). These cheap tests spare
# the word lists most positions of a line.
_AT_DIGIT = r"(?=\d)"
_NEAR_DIGIT = r"(?=(?:[^\s\d]++\s++){1,3}+\d)"

_TODAY = _one_of("days", leave_out=_HERE) + r"(?!\w)"
_FROM_DIGIT = "|".join((_AGO_AFTER, _DAY_MONTH_YEAR, _NUMERIC, _TIME))
_FROM_WORD = "|".join(
    (_AGO_BEFORE, _LEAD + f"(?:{_DAY_MONTH_YEAR}|{_NUMERIC})", _MONTH_YEAR, _AT_TIME)
)


#: A date phrase in one of the languages, with its small words: "am Montag,
#: 12. März 2021", "12 de marzo de 2021", "März 2021", "a las 10:15", "vor 3
#: Stunden", and "today" and "yesterday" ("heute", "вчера").
FOREIGN_DATE = rf"\b(?:{_AT_DIGIT}(?:{_FROM_DIGIT})|{_NEAR_DIGIT}(?:{_FROM_WORD})|{_TODAY})"


#: The dates of ``FOREIGN_DATE`` that hold no digit.
FOREIGN_TODAY = r"\b" + _TODAY


#: A day's date or a time of day in one of the languages (each alternative
#: holds a digit, as ``rules.DAY_DATE``'s do).
FOREIGN_DAY_DATE = (
    rf"\b(?:{_AT_DIGIT}(?:{_AGO_AFTER}|{_DAY_MONTH}|{_TIME})"
    rf"|{_NEAR_DIGIT}(?:{_AGO_BEFORE}|{_MONTH_DAY_YEAR}))"
)


#: The verbs of author lines ("schrieb", "a écrit", "написала").
SAYS = _one_of("says")
#: Their last words ("schrieb", "écrit").
SAYS_LAST_WORDS = frozenset(w.split()[-1] for w in _words("says"))


#: Words of an author line that are not the author's: its verb, "posted", a
#: widget's buttons ("Antworten", "Melden"); one that is an English word too
#: only before a colon ("Juan dice:").
NOISE_WORDS = (
    "(?:"
    + _one_of("says", "posted", "reply", "buttons", leave_out=ENGLISH)
    + "|"
    + _one_of("says", "posted", "reply", "buttons", leave_out=_NOT_ENGLISH)
    + r"(?=\s*:))"
)


#: A byline's start: "posté par", "publicado por".
BY = _one_of("by")


#: "Today" and "yesterday" (but "Hoy" and "Ayer", names too): date words at
#: the edge of a name.
DAY_WORDS = frozenset(w for w in _words("days") if " " not in w and w not in ENGLISH)


# The end of a comment section, its furniture and its vote counts.

#: The lines that end a comment section ("Schreibe einen Kommentar", "Ähnliche
#: Beiträge", "Weitere Kommentare laden", "Kommentare sind geschlossen"), and a
#: reply form's fields ("Name *", "Nome (obbligatorio)", "Имя:"; with a colon
#: only at the end of the line: "Nome: ..." may be a place's).
COMMENTS_END = (
    "^(?:"
    + _one_of("reply_form", "sidebar", "more_comments", "closed")
    + r"(?!\w)|"
    + _one_of("form_fields")
    + r"\s*(?:\(\s*"
    + _one_of("required")
    + r"\s*\)|\*|:\s*\*?\s*$))"
)


#: A comment widget's buttons ("Melden", "Partager", "Mi piace"), reply
#: buttons among them, in any case ("Responder" alone on a line is a button).
BUTTONS = _trie(_words("buttons", "reply"), fold=True)


#: The one-word buttons, never a commenter's name.
BUTTON_WORDS = frozenset(w for w in _words("buttons", "reply") if " " not in w)


#: Furniture that is the whole line (with ``re.match``): a sort control
#: ("Sortieren nach: Neueste"), "reply to comment", "log in to reply".
CHROME_LINE = "(?:" + _one_of("sort_by") + r"(?!\w).{0,40}|" + _one_of("chrome_lines") + r"[\W_]*)$"


#: Moderation notes anywhere in a line ("en attente de modération", "wartet
#: auf Freischaltung"); each holds one of ``NOTE_HINTS`` (the first six
#: letters of its longest word, casefolded: "modera" serves four languages),
#: cheaper to look for in a long line than the pattern.
NOTES = _one_of("notes")
NOTE_HINTS = _hints("notes")


#: The word of a vote count after its number ("12 Punkte", "3 votos", "5
#: голосов").
VOTES = _one_of("votes") + r"(?!\w)"


#: The word of a teaser's comment count after its number ("12 Kommentare",
#: "3 commentaires", "5 комментариев"); each holds one of ``COMMENTS_HINTS``
#: (its first six letters, casefolded).
COMMENTS = _one_of("comments") + r"(?!\w)"
COMMENTS_HINTS = _hints("comments")


#: The word of a reply count after its number ("12 Antworten", "3 réponses",
#: "5 ответов"): a teaser's count, or a section's heading.
REPLIES = _one_of("replies") + r"(?!\w)"


#: The small word between a comment or reply count and the post's title, in
#: a section's heading ("12 Kommentare zu", "3 réponses à", "5 ответов на").
COUNT_JOINERS = _one_of("count_joiners") + r"(?!\w)"


#: A count's number written with thousands separators ("1,234", "1.234",
#: "1 234"), beside the plain ``\d+`` of the count patterns.
THOUSANDS = r"[1-9]\d{0,2}(?:[,.\u00a0\u202f ]\d{3})+(?![\d,.])"


#: A widget's loading note ("Wird geladen", "Chargement en cours", "Загрузка").
LOADING = _one_of("loading") + r"(?!\w)"


#: Sign-in links ("Anmelden", "Iniciar sesión", "Войти"); each holds one of
#: ``SIGN_IN_HINTS`` (the first six letters of its longest word, casefolded),
#: cheaper to look for in a line than the pattern.
SIGN_IN = _one_of("sign_in") + r"(?!\w)"
SIGN_IN_HINTS = _hints("sign_in")
