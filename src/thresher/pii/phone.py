"""Phone numbers, written the ways people write them.

A permissive pattern proposes digit groups with spaces, dashes, dots, slashes
and brackets; :func:`_phone_ok` accepts one of four shapes:

* international: ``+`` or an exit code (``00``, ``011``) and an assigned
  E.164 country code, 6-13 national digits (exactly 10 after ``+1``);
* North American: ``[1] NXX NXX XXXX`` (area and exchange start 2-9);
* national behind a trunk ``0``: a 2-5 digit area code and 9-12 digits in
  all, in at least two groups (``030 1234567``, ``01 23 45 67 89``);
* anything of 7-12 digits right after a phone word (``Tel.``, ``call``, ``☎``).

Dates (also followed by a time), ZIP+4 codes, lists of three-digit numbers and
numbers after "ISBN", "order", "id" ... are refused.
"""

from __future__ import annotations

import re

from thresher.pii.scan import Span, overlaps, windowed
from thresher.pii.validators import country_code

_PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z+#@_\-./,\\])(?:\(?\+ ?|\()?[0-9][0-9 ()./\-]{5,24}[0-9]"
    r"(?![0-9A-Za-z]|[.,:][0-9]|[/\-][0-9A-Za-z])"
)
# The same run without the end checks: how far the digits really go.
_PHONE_RUN = re.compile(r"(?:\(?\+ ?|\()?[0-9](?:[ ()./\-]?[0-9])*")
_PHONE_TOKENS = re.compile(r"[0-9]+|[^0-9]+")
_PHONE_CONTEXT = re.compile(
    r"(?i)(?:\b(?:tel|tél|telefon|telephone|téléphone|telefono|teléfono|phone|ph|mobile|mob|"
    r"mobil|cell|call|ring|fax|handy|whatsapp|hotline|helpline|contact|dial|sms|text|"
    r"(?:my|our|the|his|her|their|your)\s+number)\b\.?"
    r"(?:[\s-]*(?:no|nr|number|num)\b\.?)?(?:\s+(?:us|me|him|her|them|at|on|to|is|free))*"
    r"|\b[TMFP]\s*:|☎|📞|✆)\s*[:.]?\s*(?:\+?\([^)]{0,6}\)\s*)?$"
)
_NOT_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:isbn|issn|doi|order|invoice|ref|reference|tracking|sku|ean|upc|gtin|id|"
    r"no|nr|patent|case|ticket|zip|postcode|version|ver|v|build|serial|account|acct|iban|"
    r"bic|sort\s+code|orcid|isni|part|item|model|product|article|art|lot|batch|catalog|cat)"
    r"\b\.?(?:\s*(?:no|nr|number|num)\b\.?)?\s*[:#]?\s*$"
)
_CODE_BEFORE = re.compile(r"(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]* $")
# A date, whole or followed by a time: "15.01.2023", "08-08-2005 12:30".
_DATE_RE = re.compile(
    r"\(?(?:[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}[./\-][0-9]{1,2}[./\-][0-9]{1,2})\)?(?:$| )"
)
_SEPS = frozenset({" ", "-", ".", "/", " - ", " / ", "- ", " -"})


def _parse_phone(s: str) -> tuple[list[str], list[str], set[int]] | None:
    """Digit groups, the separators between them and the indices of bracketed groups.

    None when the punctuation isn't what a phone number is written with.
    """
    groups: list[str] = []
    seps: list[str] = []
    bracketed: set[int] = set()
    depth = 0
    for tok in _PHONE_TOKENS.findall(s):
        if tok[0].isdigit():
            groups.append(tok)
            continue
        for ch in tok:
            if ch == "(":
                if depth:
                    return None
                depth = 1
                bracketed.add(len(groups))
            elif ch == ")":
                if not depth:
                    return None
                depth = 0
        core = tok.replace("(", "").replace(")", "")
        if not groups:
            if core.replace(" ", "") not in ("", "+"):  # "(", "+", "(+", "+ "
                return None
            continue
        if core not in _SEPS:
            if core != "":
                return None
            core = " "  # "(415)555-2671": the bracket is the separator
        seps.append(core.strip() or " ")
    if depth or len(seps) != len(groups) - 1:
        return None
    return groups, seps, bracketed


def _phone_ok(s: str, context: bool) -> bool:
    parsed = _parse_phone(s)
    if parsed is None:
        return False
    groups, seps, bracketed = parsed
    if len(groups) >= 3 and len(groups[-1]) == 1 and seps[-1] == "-":
        # a one-digit extension: "(089) 123 456-0" is the switchboard of "(089) 123 456"
        return _phone_ok(s[: s.rfind("-")].rstrip(), context)
    digits = "".join(groups)
    n = len(digits)
    if n < 7 or n > 15 or len(groups[-1]) < 2 or (len(groups) > 1 and max(map(len, groups)) > 12):
        return False
    kinds = set(seps)
    if len(kinds) > 2 or ("." in kinds and len(kinds) > 1 and seps[0] != " "):
        return False
    if seps.count("/") > 1 or ("/" in seps and seps.index("/") > 2):
        return False
    intl = s.lstrip("(").startswith("+")
    if not intl:
        # an exit code instead of "+": 00 (most countries) or 011 (North America)
        first = groups[0]
        exit_len = 2 if first.startswith("00") else 3 if first.startswith("011") else 0
        if exit_len and (len(groups) > 1 or context):
            rest = [first[exit_len:], *groups[1:]] if len(first) > exit_len else groups[1:]
            cc = country_code(rest[0])
            if cc is not None and (cc == rest[0] or len(rest) == 1):
                intl = True
                groups = rest
                digits = "".join(rest)
                n = len(digits)
    if intl:
        cc = country_code(digits)
        if cc is None:
            return False
        if len(groups) > 1 and not len(cc) <= len(groups[0]) <= len(cc) + 4:
            return False
        national = (
            n - len(cc) - (1 if len(groups) > 1 and groups[1] == "0" and 1 in bracketed else 0)
        )
        if cc == "1":
            return national == 10
        return 6 <= national <= 13
    if _DATE_RE.match(s):
        return False
    lens = [len(g) for g in groups]
    # North American: [1] NXX NXX XXXX
    nanp = lens[-3:] == [3, 3, 4] and groups[-3][0] in "23456789" and groups[-2][0] in "23456789"
    if nanp and (len(groups) == 3 or (len(groups) == 4 and groups[0] == "1")):
        return "." not in kinds or kinds == {"."}
    if not context and (
        (lens == [5, 4] and seps == ["-"])  # US ZIP+4: "05302-0676"
        or (len(lens) >= 4 and set(lens) == {3})  # "012 013 023 123": a list of numbers
    ):
        return False
    # National number behind a trunk prefix 0: (030) 1234567, 020 7946 0958, 01 23 45 67 89
    if (
        groups[0][0] == "0"
        and len(groups[0]) >= 2
        and groups[0][1] != "0"
        and len(groups[0]) <= 5
        and 9 <= n <= 12
        and len(groups) >= 2
        and all(len(g) >= 2 for g in groups[1:])
    ):
        if all(n == 2 for n in lens):
            return len(groups) == 5  # 01 23 45 67 89 (fr, nl, be); longer: a list of numbers
        return "." not in kinds
    if context:
        return n <= 12 and (len(groups) == 1 or all(len(g) >= 2 for g in groups))
    return False


def find_phones(text: str, windows: list[Span], blocked: list[Span]) -> list[Span]:
    spans = []
    for m in windowed(_PHONE_RE, text, windows):
        s = m.group()
        start = m.start()
        run = _PHONE_RUN.match(text, m.start())
        if run is not None and run.end() > m.end():
            continue  # cut short to dodge a glued letter or digit: "+48 734 455 053office"
        if s.startswith("(") and s.count("(") > s.count(")"):
            s = s[1:]  # "(+47 22 12 34 56)": the bracket encloses the number
            start += 1
        if s.count("(") != s.count(")"):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        left = max(line_start, start - 30)
        context = _PHONE_CONTEXT.search(text, left, start) is not None
        if not context and (
            _NOT_PHONE_BEFORE.search(text, left, start)
            # "1Z 999 AA1 01 2345 6784": the tail of a longer code
            or _CODE_BEFORE.search(text, left, start)
        ):
            continue
        # a candidate may run into a following number: try shorter prefixes too
        end = len(s)
        while end > 0:
            cand = s[:end]
            if _phone_ok(cand, context):
                if not overlaps(start, start + end, blocked):
                    spans.append((start, start + end))
                break
            # drop a tail only when it can't belong to the number: "0800 123 4567 24/7"
            cut = cand.rfind(" ")
            if cut <= 0 or not cand[cut - 1].isdigit():
                break
            tail = cand[cut:]
            if not (set(tail) & set("/.()") or cand[cut - 1 : cut + 1] == "  "):
                break
            end = cut
    return spans
