"""The detectors: a regex finds candidates, a validator keeps the real ones.

Each ``find_*`` function takes the text and returns ``(start, end)`` spans.
Every detector first asks a question that costs next to nothing (is there an
``@``? a ``://``?), so a document with nothing to find is scanned by a handful
of C-level regex passes and no Python loop.

Design choices, with the reason for each:

* Candidates are found by permissive patterns; precision comes from checks a
  regex can't do well: checksums (Luhn, MOD 97), registries (card IIN ranges,
  IBAN lengths, E.164 country codes), the shape of the digit groups, and a few
  words of left context ("version", "ISBN", "tel.").
* Numbers inside a URL are never phones, cards or IBANs (``/item/4155552671``
  is an id); e-mail addresses and IP addresses inside a URL still count.
* A URL that carries a secret is replaced whole: after
  ``https://user:pw@host/?token=...`` the host and path alone are rarely
  useful, and a partial cut can leave a second secret (a signature next to a
  token) behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from thresher.pii.validators import (
    IBAN_LENGTHS,
    card_number_ok,
    country_code,
    iban_ok,
    ipv6_ok,
)

Span = tuple[int, int]

# --- URLs ----------------------------------------------------------------------------

_URL_BODY = re.compile(r"[^\s<>\"'`{}|\\^]+")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_URL_TRAIL = ".,;:!?*'\")]}"


def _url_starts(text: str) -> list[int]:
    starts = []
    i = text.find("://")
    while i != -1:
        j = i
        while j > 0 and i - j < 16 and text[j - 1] in _SCHEME_CHARS:
            j -= 1
        while j < i and not text[j].isalpha():
            j += 1  # a scheme starts with a letter
        if j < i:
            starts.append(j)
        i = text.find("://", i + 3)
    i = text.find("www.")
    while i != -1:
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "/.@-_"):
            starts.append(i)
        i = text.find("www.", i + 4)
    return sorted(starts)


def find_urls(text: str) -> list[Span]:
    """Spans of URLs (with a scheme or starting ``www.``), trailing punctuation trimmed."""
    if "://" not in text and "www." not in text:
        return []
    spans: list[Span] = []
    for start in _url_starts(text):
        if spans and start < spans[-1][1]:
            continue
        m = _URL_BODY.match(text, start)
        if m is None:
            continue
        end = m.end()
        while end > start and text[end - 1] in _URL_TRAIL:
            # keep a closing bracket that closes one opened inside the URL
            if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
                break
            end -= 1
        if text.find("://", start, end) != end - 3 and end - start > 4:
            spans.append((start, end))
    return spans


# Query/fragment parameters whose value is a secret, compared lower-cased with
# "-" and "_" removed ("api_key", "API-Key", "apiKey" -> "apikey").
_STRONG_PARAMS = frozenset(
    [
        "token",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "authtoken",
        "oauthtoken",
        "apikey",
        "apisecret",
        "secret",
        "secretkey",
        "clientsecret",
        "appsecret",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "privatekey",
        "accesskey",
        "awsaccesskeyid",
        "xamzsignature",
        "xamzcredential",
        "xamzsecuritytoken",
        "xgoogsignature",
        "xgoogcredential",
        "signature",
        "sessiontoken",
        "securitytoken",
        "jwt",
        "bearer",
        "authkey",
        "sharedkey",
        "passkey",
    ]
)
# Short names that are secrets only when the value looks like one.
_WEAK_PARAMS = frozenset(["key", "sig", "auth", "pass", "sid", "sessionid", "session", "code"])
_PARAM_RE = re.compile(r"[?&#;]([A-Za-z][A-Za-z0-9_\-.]{0,40})=([^&#;\s]*)")
_PLACEHOLDER_VALUES = frozenset(
    ["null", "none", "true", "false", "undefined", "example", "test", "demo", "redacted", "hidden", "secret", "password", "token", "reset", "forgot", "required", "optional", "changeme", "string", "value", "pass", "passwd", "pwd", "pw", "port", "username", "user", "login"]
)  # fmt: skip


# userinfo ends at the last "@" before the path; a password may hold "#" or "!"
_USERINFO = re.compile(r"([^/?@\s]*)@")
# Token formats that are secrets wherever they sit in a URL (path included).
_KNOWN_TOKEN = re.compile(
    r"(?:gh[pousr]_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|"
    r"sk_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_\-]{35}|/bot[0-9]{6,12}:[A-Za-z0-9_\-]{30,})"
)


def _looks_secret(value: str, *, weak: bool) -> bool:
    if len(value) < (8 if weak else 4) or len(set(value)) < 3:
        return False
    low = value.lower()
    if low in _PLACEHOLDER_VALUES or any(
        s in low for s in ("your", "xxx", "...", "{", "}", "<", ">", "$", "%7b", "%3c", "*")
    ):
        return False
    # YOUR_API_KEY, API_KEY, TOKEN: an upper-case word is a documentation placeholder
    if value.replace("_", "").replace("-", "").isalpha() and value.upper() == value:
        return False
    if weak:
        has_digit = any(c.isdigit() for c in value)
        return has_digit or len(value) >= 20
    return True


def url_has_credentials(url: str) -> bool:
    """``user:password@`` in the authority, a token-like user name, or a secret query parameter."""
    if _KNOWN_TOKEN.search(url):
        return True
    _, sep, rest = url.partition("://")
    if sep:
        userinfo_match = _USERINFO.match(rest)
        if userinfo_match:
            user, colon, password = userinfo_match.group(1).partition(":")
            if colon and _looks_secret(password, weak=False) and password != user:
                return True
            if not colon and len(user) >= 16 and _looks_secret(user, weak=True):
                return True  # https://ghp_xxx...@github.com: a token as user name
    for name, value in _PARAM_RE.findall(url):
        key = name.lower().replace("_", "").replace("-", "").replace(".", "")
        if key in _STRONG_PARAMS and _looks_secret(value, weak=False):
            return True
        if key in _WEAK_PARAMS and _looks_secret(value, weak=True):
            return True
    return False


def find_url_credentials(text: str, urls: list[Span]) -> list[Span]:
    return [(s, e) for s, e in urls if url_has_credentials(text[s:e])]


# --- e-mail --------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-@/])"
    r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63})"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9\-@_]|\.[A-Za-z0-9])"
)
# "icon@2x.png", "logo@3x.webp": retina image names, not addresses.
_FILE_TLDS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "bmp",
        "ico",
        "tif",
        "tiff",
        "avif",
        "js",
        "mjs",
        "css",
        "scss",
        "html",
        "htm",
        "php",
        "txt",
        "pdf",
        "json",
        "xml",
        "yaml",
        "yml",
    ]
)
_USERINFO_RE = re.compile(r"://[^\s/?#@]*$")


def find_emails(text: str) -> list[Span]:
    if "@" not in text:
        return []
    spans: list[Span] = []
    for m in _windowed(_EMAIL_RE, text, _at_windows(text)):
        addr = m.group()
        local, _, domain = addr.partition("@")
        if domain.rpartition(".")[2].lower() in _FILE_TLDS or ".." in local:
            continue
        if local.endswith(".") or re.fullmatch(r"\d+x", domain.partition(".")[0]):
            continue
        # "https://user:pw@host.com": userinfo of a URL, not an address
        if _USERINFO_RE.search(text, max(0, m.start() - 200), m.start()):
            continue
        spans.append(m.span())
    return spans


# --- IP addresses --------------------------------------------------------------------

_OCT = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4_RE = re.compile(rf"(?<![0-9A-Za-z.])(?:{_OCT}\.){{3}}{_OCT}(?![0-9A-Za-z]|\.[0-9])")
# A word right before that makes a dotted quad a version or section number.
_NOT_IP_BEFORE = re.compile(
    r"(?i)(?:\b(?:v|ver|version|versions|release|rel|build|firmware|fw|kernel|update|patch|"
    r"rev|revision|sdk|driver|bios|section|sec|chapter|ch|clause|article|art|paragraph|para|"
    r"figure|fig|table|step|rule|item|oid|isbn)\.?|§|\bv)\s*[:#]?\s*$|[A-Za-z]/$"
)
_IPV6_RE = re.compile(
    r"(?<![0-9A-Za-z:.\-_])"
    r"(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}"
    rf"(?:(?<=:){_OCT}(?:\.{_OCT}){{3}})?"
    r"(?:%[0-9A-Za-z]{1,16})?"
    r"(?![0-9A-Za-z:_\-]|\.[0-9])"
)


# Dotted quads whose first two numbers are single digits (1.1.243.0, 4.7.0.75) are
# mostly software versions; they count as addresses only beside a network word or
# followed by a port or prefix length.
_IP_BEFORE = re.compile(
    r"(?i)\b(?:ip|ips|ipv4|address|addr|server|host|hostname|dns|ping|gateway|gw|subnet|"
    r"netmask|mask|nameserver|proxy|route|router|resolver|inet|from|to|via|listen|bind|"
    r"connect|connected|peer|client|remote|local|localhost|blocked|banned|whitelist|"
    r"allowlist|blacklist|firewall)\b[^\n]{0,30}$|://$|@$"
)
_IP_AFTER = re.compile(r":[0-9]{1,5}\b|/[0-9]{1,2}\b")


def _version_like(quad: str) -> bool:
    first, second = quad.split(".")[:2]
    return len(first) == 1 and len(second) == 1


# Literal-led hints: the regex engine finds a literal first character with memchr.
_IPV4_HINT = re.compile(r"\.[0-9]{1,3}\.[0-9]")
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:")


def find_ips(text: str) -> list[Span]:
    spans = []
    windows = _hint_windows(_IPV4_HINT, text, 4, 20)
    for m in _windowed(_IPV4_RE, text, windows):
        line_start = text.rfind("\n", 0, m.start()) + 1
        left = max(line_start, m.start() - 30)
        if _NOT_IP_BEFORE.search(text, left, m.start()):
            continue
        if _version_like(m.group()) and not (
            _IP_BEFORE.search(text, max(line_start, m.start() - 40), m.start())
            or _IP_AFTER.match(text, m.end())
        ):
            continue
        spans.append(m.span())
    windows = _hint_windows(_IPV6_HINT, text, 46, 60)
    for m in _windowed(_IPV6_RE, text, windows):
        if ipv6_ok(m.group()):
            spans.append(m.span())
    return spans


# --- payment cards -------------------------------------------------------------------

_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z.+/\-])[0-9]{4}(?:[ \-]?[0-9]{1,7}){1,4}(?![0-9A-Za-z]|[./\-][0-9])"
)
_CARD_GROUP_RE = re.compile(r"[0-9]+|[ \-]")
# An order, tracking or product number is not a card, whatever its checksum.
_NOT_CARD_BEFORE = re.compile(
    r"(?i)(?:\b(?:order|invoice|tracking|track|ref|reference|isbn|ean|upc|gtin|imei|serial|"
    r"sku|asin|id|transaction|txn|shipment|parcel|customer|account|acct|phone|tel|fax)\b"
    r"[^\n]{0,12}|#\s*)$"
)


_CARD_BEFORE = re.compile(
    r"(?i)\b(?:card|cc|visa|mastercard|master\s+card|amex|american\s+express|discover|jcb|"
    r"diners|maestro|unionpay|credit|debit|kreditkarte|karte|carte|tarjeta|carta|pan)\b"
)


def _card_groups_ok(groups: list[str], seps: list[str]) -> bool:
    if len(set(seps)) > 1:
        return False
    if not seps:
        return True
    lens = [len(g) for g in groups]
    if lens[:3] in ([4, 6, 5], [4, 6, 4]) and len(lens) == 3:  # Amex, Diners
        return True
    return all(n == 4 for n in lens[:-1]) and 1 <= lens[-1] <= 4


def find_cards(text: str, windows: list[Span], blocked: list[Span]) -> list[Span]:
    spans = []
    for m in _windowed(_CARD_RE, text, windows):
        parts = _CARD_GROUP_RE.findall(m.group())
        groups = parts[0::2]
        seps = parts[1::2]
        # try the whole candidate, then without trailing groups ("... 1111 12/25")
        for k in range(len(groups), 0, -1):
            digits = "".join(groups[:k])
            if len(digits) < 13:
                break
            if _card_groups_ok(groups[:k], seps[: k - 1]) and card_number_ok(digits):
                end = m.start() + sum(map(len, groups[:k])) + sum(map(len, seps[: k - 1]))
                if k < len(groups) and not seps[k - 1].isspace():
                    break
                left = max(0, m.start() - 30)
                vetoed = _NOT_CARD_BEFORE.search(text, left, m.start()) and not (
                    _CARD_BEFORE.search(text, left, m.start())
                )
                if not vetoed and not _overlaps(m.start(), end, blocked):
                    spans.append((m.start(), end))
                break
    return spans


# --- IBAN ----------------------------------------------------------------------------

_IBAN_RE = re.compile(r"(?<![0-9A-Za-z])([A-Z]{2})[0-9]{2}(?: ?[0-9A-Z]){11,30}")


def find_ibans(text: str, windows: list[Span], blocked: list[Span]) -> list[Span]:
    spans = []
    for m in _windowed(_IBAN_RE, text, windows):
        length = IBAN_LENGTHS.get(m.group(1))
        if length is None:
            continue
        cand = m.group()
        compact = []
        end = 0
        for i, ch in enumerate(cand):
            if ch != " ":
                compact.append(ch)
                if len(compact) == length:
                    end = i + 1
                    break
        if len(compact) != length:
            continue
        stop = m.start() + end
        if stop < len(text) and text[stop].isalnum():
            continue
        chunk = cand[:end]
        if " " in chunk and any(len(g) != 4 for g in chunk.split(" ")[:-1]):
            continue  # spaced IBANs come in groups of four
        if iban_ok("".join(compact)) and not _overlaps(m.start(), stop, blocked):
            spans.append((m.start(), stop))
    return spans


# --- phone numbers -------------------------------------------------------------------

_PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z+#@_\-./,\\])(?:\(?\+|\()?[0-9][0-9 ()./\-]{5,24}[0-9]"
    r"(?![0-9A-Za-z]|[.,/\-:][0-9])"
)
_PHONE_TOKENS = re.compile(r"[0-9]+|[^0-9]+")
_PHONE_CONTEXT = re.compile(
    r"(?i)(?:\b(?:tel|tél|telefon|telephone|téléphone|telefono|teléfono|phone|ph|mobile|mob|"
    r"mobil|cell|call|fax|handy|whatsapp|hotline|helpline|contact|dial|sms|text)\b\.?"
    r"(?:\s*(?:no|nr|number|num)\b\.?)?|\b[TMFP]\s*:|☎|📞|✆)\s*[:.]?\s*(?:\+?\([^)]{0,6}\)\s*)?$"
)
_NOT_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:isbn|issn|doi|order|invoice|ref|reference|tracking|sku|ean|upc|gtin|id|"
    r"no|nr|patent|case|ticket|zip|postcode|version|ver|v|build|serial|account|acct|iban|"
    r"bic|sort\s+code|orcid|isni|issn)\b\.?\s*[:#]?\s*$"
)
_CODE_BEFORE = re.compile(r"(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]* $")
# A date, whole or followed by a time: "15.01.2023", "08-08-2005 12:30".
_DATE_RE = re.compile(
    r"\(?(?:[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}[./\-][0-9]{1,2}[./\-][0-9]{1,2})\)?(?:$| )"
)
_SEPS = frozenset({" ", "-", ".", "/", " - ", " / "})


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
            if core not in ("", "+"):
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
    digits = "".join(groups)
    n = len(digits)
    if n < 7 or n > 15 or len(groups[-1]) < 2 or (len(groups) > 1 and max(map(len, groups)) > 12):
        return False
    kinds = set(seps)
    if len(kinds) > 2 or ("." in kinds and len(kinds) > 1 and seps[0] != " "):
        return False
    if seps.count("/") > 1 or ("/" in seps and seps.index("/") > 1):
        return False
    intl = s.lstrip("(").startswith("+")
    if not intl:
        # an exit code instead of "+": 00 (most countries) or 011 (North America)
        first = groups[0]
        exit_len = 2 if first.startswith("00") else 3 if first.startswith("011") else 0
        if exit_len and len(groups) > 1:
            rest = [first[exit_len:], *groups[1:]] if len(first) > exit_len else groups[1:]
            if country_code(rest[0]) == rest[0]:
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
        return not ("." in kinds and not all(len(g) == 2 for g in groups))
    if context:
        return n <= 12 and (len(groups) == 1 or all(len(g) >= 2 for g in groups))
    return False


def find_phones(text: str, windows: list[Span], blocked: list[Span]) -> list[Span]:
    spans = []
    for m in _windowed(_PHONE_RE, text, windows):
        s = m.group()
        start = m.start()
        if s.startswith("(") and s.count("(") > s.count(")"):
            s = s[1:]  # "(+47 22 12 34 56)": the bracket encloses the number
            start += 1
        if s.count("(") != s.count(")"):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        left = max(line_start, start - 30)
        if _NOT_PHONE_BEFORE.search(text, left, start):
            continue
        if _CODE_BEFORE.search(text, left, start):
            continue  # "1Z 999 AA1 01 2345 6784": the tail of a longer code
        context = _PHONE_CONTEXT.search(text, left, start) is not None
        # a candidate may run into a following number: try shorter prefixes too
        end = len(s)
        while end > 0:
            cand = s[:end]
            if _phone_ok(cand, context):
                if not _overlaps(start, start + end, blocked):
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


# --- shared --------------------------------------------------------------------------

# Seven digits with at most three separator characters between neighbours: every
# phone number, card number and IBAN has such a run; most text has few.
_DENSE_DIGITS = re.compile(r"[0-9](?:[ ()./\-+]{0,3}[0-9]){6,}")
_NUMPY_MIN_CHARS = 2000
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


def _at_windows(text: str) -> list[Span]:
    windows: list[Span] = []
    i = text.find("@")
    while i != -1:
        start = max(0, i - 80)
        end = min(len(text), i + 270)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
        i = text.find("@", i + 1)
    return windows


def _hint_windows(hint: re.Pattern[str], text: str, before: int, after: int) -> list[Span]:
    windows: list[Span] = []
    for m in hint.finditer(text):
        start = max(0, m.start() - before)
        end = min(len(text), m.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _windowed(pattern: re.Pattern[str], text: str, windows: list[Span]) -> Iterator[re.Match[str]]:
    # lookbehinds see the text before ``pos``; a window ends far enough past its
    # digits that a match never reaches ``endpos``
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)
