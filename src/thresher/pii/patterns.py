"""E-mail, IP, payment card and IBAN detectors: a regex proposes, a validator decides.

Each ``find_*`` function takes the text (and, for the digit kinds, the windows
of :func:`thresher.pii.scan.digit_windows`) and returns ``(start, end)`` spans.
Precision comes from checks a regex can't do well: checksums (Luhn, MOD 97),
registries (card IIN ranges, IBAN lengths), octet ranges, and a few words of
left context ("version", "order", "card"). Numbers inside a URL are never
cards or IBANs (``/p/4111111111111111`` is an id); e-mail and IP addresses
inside a URL still count.
"""

from __future__ import annotations

import re

from thresher.pii.scan import Span, at_windows, hint_windows, literal_windows, overlaps, windowed
from thresher.pii.validators import (
    IBAN_LENGTHS,
    card_number_ok,
    iban_ok,
    ipv6_ok,
)

# --- e-mail --------------------------------------------------------------------------

# Letters and digits are Unicode (\w without "_" is [^\W_]): "maría.lópez@example.es",
# "info@münchen.de" (RFC 6531 addresses, IDN domains).
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-@/])"
    r"[^\W_][\w.%+\-]{0,63}"
    r"@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+"
    # an ASCII top-level domain may be glued to mojibake ("gnu.orgâ"); an IDN one is all non-ASCII
    r"(?:[A-Za-z]{2,24}(?![A-Za-z0-9\-@_])|[^\W\d_A-Za-z]{2,24}(?![\w\-@]))"
    r"(?!\.[^\W_])"
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
# "john [at] example [dot] com", "info(at)example.org": addresses written to dodge
# harvesters are still addresses.
# Gated by three substring searches, the cheapest test there is (still ~20 % of the
# scan time on web pages); an upper-case "[AT]" is found only beside a lower-case one.
_OBFUSCATED_HINTS = ("at)", "at]", "at )")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_DOT = r"(?:\s?[\[(] ?dot ?[\])]\s?|\.)"
_OBFUSCATED_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}"
    r"\s?(?i:[\[(] ?at ?[\])])\s?"
    rf"{_LABEL}(?:(?i:{_DOT}){_LABEL})*(?i:{_DOT})(?P<tld>[A-Za-z]{{2,24}})"
    r"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"
)
_USERINFO_RE = re.compile(r"://[^\s/?#@]*$")


def find_emails(text: str) -> list[Span]:
    spans: list[Span] = []
    if "@" in text:
        for m in windowed(_EMAIL_RE, text, at_windows(text)):
            addr = m.group()
            local, _, domain = addr.partition("@")
            if domain.rpartition(".")[2].lower() in _FILE_TLDS or ".." in local:
                continue
            if (
                local.endswith(".")
                or "_" in domain
                or re.fullmatch(r"\d+x", domain.partition(".")[0])
            ):
                continue
            # "https://user:pw@host.com": userinfo of a URL, not an address
            if _USERINFO_RE.search(text, max(0, m.start() - 200), m.start()):
                continue
            spans.append(m.span())
    windows = literal_windows(text, _OBFUSCATED_HINTS, 90, 270)
    if windows:
        for m in windowed(_OBFUSCATED_EMAIL_RE, text, windows):
            tld = m.group("tld")
            if (tld.islower() or tld.isupper()) and tld.lower() not in _FILE_TLDS:
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
    # "set the version to 1.0.0.0", "firmware is 2.1.0.4"
    r"|(?i:\b(?:version|release|build|firmware|kernel|update)\b(?:\s+(?:to|is|of|was|from|=)){1,2}\s*$)"
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
    windows = hint_windows(_IPV4_HINT, text, 4, 20)
    for m in windowed(_IPV4_RE, text, windows):
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
    windows = hint_windows(_IPV6_HINT, text, 46, 60)
    for m in windowed(_IPV6_RE, text, windows):
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
    for m in windowed(_CARD_RE, text, windows):
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
                if not vetoed and not overlaps(m.start(), end, blocked):
                    spans.append((m.start(), end))
                break
    return spans


# --- IBAN ----------------------------------------------------------------------------

_IBAN_RE = re.compile(r"(?<![0-9A-Za-z])([A-Z]{2})[0-9]{2}(?: ?[0-9A-Z]){11,30}")


def find_ibans(text: str, windows: list[Span], blocked: list[Span]) -> list[Span]:
    spans = []
    for m in windowed(_IBAN_RE, text, windows):
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
        if iban_ok("".join(compact)) and not overlaps(m.start(), stop, blocked):
            spans.append((m.start(), stop))
    return spans
