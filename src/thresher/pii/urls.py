"""URLs, and the ones that carry a secret.

A URL with a secret is replaced whole: after ``https://user:pw@host/?token=...``
the host and path alone are rarely useful, and a partial cut can leave a second
secret (a signature next to a token) behind. A secret is a password in the
authority, a token used as the user name, a known token format anywhere
(``ghp_...``, ``xoxb-...``, a Telegram bot path), or a query/fragment parameter
named like a secret whose value isn't a documentation placeholder
(``YOUR_API_KEY``, ``<token>``, ``user:pass@host``).
"""

from __future__ import annotations

import re

from thresher.pii.scan import Span

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
