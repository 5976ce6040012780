"""The ``pii`` step: redact personal data in the text and in every comment."""

from __future__ import annotations

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.pii import KINDS, redact
from thresher.steps.base import MapStep


class Pii(MapStep):
    """Find e-mail addresses, phone numbers, IP addresses, payment card numbers,
    IBANs and URLs that carry credentials, replace each with a placeholder
    (``<EMAIL>``, ``<PHONE>``, ``<IP_ADDRESS>``, ``<CREDIT_CARD>``, ``<IBAN>``,
    ``<URL_WITH_CREDENTIALS>``) and count them per kind into ``doc.pii``.

    A regex proposes, a validator decides (:mod:`thresher.pii`): Luhn and issuer
    ranges for cards (ISO/IEC 7812), country length and MOD 97-10 for IBANs
    (ISO 13616), E.164 country codes and digit-group shapes for phones, octet
    ranges and a "version"/"section" left-context veto for IPv4, :mod:`ipaddress`
    for IPv6. A URL with a password, token or key is replaced whole. FineWeb
    (Penedo et al. 2024) redacts e-mail and public IP addresses with datatrove's
    ``PIIFormatter``; this step redacts every IP address and adds the other kinds.
    Redacting is idempotent: a second run finds nothing.

    ``kinds`` limits the search (default: every kind); ``redact=False`` only
    counts. ``title`` is left alone: headlines rarely carry personal data and
    redacting them would break title matching downstream.
    """

    name = "pii"
    version = 1

    def __init__(self, *, kinds: list[str] | None = None, redact: bool = True) -> None:
        if kinds is not None:
            unknown = [k for k in kinds if k not in KINDS]
            if unknown:
                raise ConfigError(
                    f"pii: unknown kind {unknown[0]!r}; choose from: {', '.join(KINDS)}"
                )
            if not kinds:
                raise ConfigError("pii: kinds is empty; leave it out to detect every kind")
        self.kinds = list(kinds) if kinds is not None else None
        self.redact = redact

    def process(self, doc: Document) -> None:
        kinds = self.kinds
        counts = doc.pii
        doc.text, found = redact(doc.text, kinds, replace=self.redact)
        for kind, n in found.items():
            counts[kind] = counts.get(kind, 0) + n
        for comment in doc.comments:
            if not isinstance(comment, dict):
                continue
            text = comment.get("text")
            if isinstance(text, str) and text:
                comment["text"], found = redact(text, kinds, replace=self.redact)
                for kind, n in found.items():
                    counts[kind] = counts.get(kind, 0) + n
        doc.pii = counts
