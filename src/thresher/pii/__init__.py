"""Find and redact personal data: e-mail, phone, IP, payment card, IBAN, secret URLs.

:func:`find_pii` returns non-overlapping findings; :func:`redact` replaces each
with its kind's placeholder (``<EMAIL>``, ``<PHONE>``, ...). When two findings
overlap, the more specific kind wins, in the order of :data:`KINDS`: a URL
with a password beats the e-mail-looking ``pw@host.com`` inside it, an IBAN
beats the digit groups inside it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from thresher.pii import patterns, phone, scan, urls

#: Kinds in priority order (the earlier wins an overlap).
KINDS: tuple[str, ...] = (
    "url_with_credentials",
    "email",
    "iban",
    "credit_card",
    "ip_address",
    "phone",
)

PLACEHOLDERS: dict[str, str] = {
    "url_with_credentials": "<URL_WITH_CREDENTIALS>",
    "email": "<EMAIL>",
    "iban": "<IBAN>",
    "credit_card": "<CREDIT_CARD>",
    "ip_address": "<IP_ADDRESS>",
    "phone": "<PHONE>",
}


class Finding(NamedTuple):
    start: int
    end: int
    kind: str


def find_pii(text: str, kinds: Collection[str] | None = None) -> list[Finding]:
    """Findings in ``text``, sorted by start, never overlapping."""
    wanted = KINDS if kinds is None else kinds
    found: list[Finding] = []
    url_spans = urls.find_urls(text)
    if "url_with_credentials" in wanted and url_spans:
        found += [
            Finding(s, e, "url_with_credentials")
            for s, e in urls.find_url_credentials(text, url_spans)
        ]
    if "email" in wanted:
        found += [Finding(s, e, "email") for s, e in patterns.find_emails(text)]
    if "ip_address" in wanted:
        found += [Finding(s, e, "ip_address") for s, e in patterns.find_ips(text)]
    digit_kinds = {"iban", "credit_card", "phone"}.intersection(wanted)
    windows = scan.digit_windows(text) if digit_kinds else []
    if windows:
        if "iban" in wanted:
            found += [
                Finding(s, e, "iban") for s, e in patterns.find_ibans(text, windows, url_spans)
            ]
        if "credit_card" in wanted:
            found += [
                Finding(s, e, "credit_card")
                for s, e in patterns.find_cards(text, windows, url_spans)
            ]
        if "phone" in wanted:
            found += [
                Finding(s, e, "phone") for s, e in phone.find_phones(text, windows, url_spans)
            ]
    if len(found) <= 1:
        return found
    rank = {k: i for i, k in enumerate(KINDS)}
    found.sort(key=lambda f: (rank[f.kind], f.start - f.end))
    kept: list[Finding] = []
    for f in found:
        if not any(k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    kept.sort()
    return kept


def redact(
    text: str, kinds: Collection[str] | None = None, *, replace: bool = True
) -> tuple[str, dict[str, int]]:
    """``(text with findings replaced by placeholders, {kind: count})``.

    Redaction repeats until nothing is left to find, so redacting twice changes
    nothing: a placeholder can expose a neighbour that the original hid
    (``x@y.AA+2071234567``: the phone's "+" was glued to the address). With
    ``replace=False`` the text comes back unchanged and only one pass is counted.
    """
    counts: dict[str, int] = {}
    for _ in range(8):
        findings = find_pii(text, kinds)
        for f in findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        if not replace or not findings:
            break
        out = []
        pos = 0
        for f in findings:
            out.append(text[pos : f.start])
            out.append(PLACEHOLDERS[f.kind])
            pos = f.end
        out.append(text[pos:])
        text = "".join(out)
    return text, counts
