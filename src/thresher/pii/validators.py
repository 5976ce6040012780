"""Checksums and registries that turn a regex candidate into a finding.

A pattern alone finds "something that looks like" a card number or an IBAN;
these checks are what keeps dates, order numbers and IDs out:

* payment cards: the Luhn checksum (ISO/IEC 7812-1, Annex B) and the issuer
  identification number (IIN) ranges of the major networks with the lengths
  each network issues;
* IBANs: the per-country length of the SWIFT IBAN registry (release 99) and
  the ISO 7064 MOD 97-10 check (ISO 13616-1);
* phone numbers: the ITU-T E.164 country calling codes (assigned codes only);
* ISBNs, to reject them: the ISBN-10 mod 11 and ISBN-13 mod 10 check digits.
"""

from __future__ import annotations

import ipaddress

# --- payment cards -------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """Luhn mod-10 check over a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# (first IIN, last IIN, prefix length, allowed lengths) of the major networks.
_CARD_RANGES: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    (4, 4, 1, frozenset({13, 16, 19})),  # Visa
    (51, 55, 2, frozenset({16})),  # Mastercard
    (2221, 2720, 4, frozenset({16})),  # Mastercard 2-series
    (34, 34, 2, frozenset({15})),  # American Express
    (37, 37, 2, frozenset({15})),
    (300, 305, 3, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    (36, 36, 2, frozenset({14, 15, 16, 17, 18, 19})),
    (38, 39, 2, frozenset({14, 16, 17, 18, 19})),
    (6011, 6011, 4, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, 3, frozenset({16, 17, 18, 19})),
    (65, 65, 2, frozenset({16, 17, 18, 19})),
    (3528, 3589, 4, frozenset({16, 17, 18, 19})),  # JCB
    (62, 62, 2, frozenset({16, 17, 18, 19})),  # UnionPay
    (2200, 2204, 4, frozenset({16, 17, 18, 19})),  # Mir
    (50, 50, 2, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),  # Maestro
    (56, 58, 2, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    (63, 63, 2, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    (67, 67, 2, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
)


def card_number_ok(digits: str) -> bool:
    """A plausible payment card number: known network, its length, Luhn, not one digit repeated."""
    n = len(digits)
    if n < 13 or n > 19 or len(set(digits)) == 1:
        return False
    for lo, hi, plen, lengths in _CARD_RANGES:
        if n in lengths and lo <= int(digits[:plen]) <= hi:
            return luhn_ok(digits)
    return False


# --- IBAN ----------------------------------------------------------------------------

#: Country code -> IBAN length (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
    "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_checksum_ok(iban: str) -> bool:
    """ISO 7064 MOD 97-10 over a compact upper-case IBAN (no spaces)."""
    moved = iban[4:] + iban[:4]
    try:
        number = int("".join(str(int(ch, 36)) for ch in moved))
    except ValueError:
        return False
    return number % 97 == 1


def iban_ok(iban: str) -> bool:
    """Known country, that country's length, digits for check digits, MOD 97 == 1."""
    length = IBAN_LENGTHS.get(iban[:2])
    return (
        length is not None
        and len(iban) == length
        and iban[2:4].isdigit()
        and iban.isalnum()
        and iban.isascii()
        and iban_checksum_ok(iban)
    )


# --- phone numbers -------------------------------------------------------------------

#: Assigned ITU-T E.164 country calling codes (1, 7 and the 2- and 3-digit codes).
COUNTRY_CODES: frozenset[str] = frozenset(
    [
        "1",
        "7",
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
        "211",
        "212",
        "213",
        "216",
        "218",
        "220",
        "221",
        "222",
        "223",
        "224",
        "225",
        "226",
        "227",
        "228",
        "229",
        "230",
        "231",
        "232",
        "233",
        "234",
        "235",
        "236",
        "237",
        "238",
        "239",
        "240",
        "241",
        "242",
        "243",
        "244",
        "245",
        "246",
        "247",
        "248",
        "249",
        "250",
        "251",
        "252",
        "253",
        "254",
        "255",
        "256",
        "257",
        "258",
        "260",
        "261",
        "262",
        "263",
        "264",
        "265",
        "266",
        "267",
        "268",
        "269",
        "290",
        "291",
        "297",
        "298",
        "299",
        "350",
        "351",
        "352",
        "353",
        "354",
        "355",
        "356",
        "357",
        "358",
        "359",
        "370",
        "371",
        "372",
        "373",
        "374",
        "375",
        "376",
        "377",
        "378",
        "379",
        "380",
        "381",
        "382",
        "383",
        "385",
        "386",
        "387",
        "389",
        "420",
        "421",
        "423",
        "500",
        "501",
        "502",
        "503",
        "504",
        "505",
        "506",
        "507",
        "508",
        "509",
        "590",
        "591",
        "592",
        "593",
        "594",
        "595",
        "596",
        "597",
        "598",
        "599",
        "670",
        "672",
        "673",
        "674",
        "675",
        "676",
        "677",
        "678",
        "679",
        "680",
        "681",
        "682",
        "683",
        "685",
        "686",
        "687",
        "688",
        "689",
        "690",
        "691",
        "692",
        "850",
        "852",
        "853",
        "855",
        "856",
        "880",
        "886",
        "960",
        "961",
        "962",
        "963",
        "964",
        "965",
        "966",
        "967",
        "968",
        "970",
        "971",
        "972",
        "973",
        "974",
        "975",
        "976",
        "977",
        "992",
        "993",
        "994",
        "995",
        "996",
        "998",
    ]
)


def country_code(digits: str) -> str | None:
    """The E.164 country calling code that ``digits`` starts with, if any."""
    for n in (1, 2, 3):
        if digits[:n] in COUNTRY_CODES:
            return digits[:n]
    return None


# --- ISBN (to reject) ----------------------------------------------------------------


def isbn_ok(digits: str) -> bool:
    """ISBN-10 (last char may be X) or ISBN-13 (978/979) check digit."""
    if len(digits) == 10:
        total = 0
        for i, ch in enumerate(digits):
            if ch in "Xx" and i == 9:
                v = 10
            elif ch.isdigit():
                v = int(ch)
            else:
                return False
            total += (10 - i) * v
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(digits))
        return total % 10 == 0
    return False


# --- IPv6 ----------------------------------------------------------------------------


def ipv6_ok(candidate: str) -> bool:
    """A valid IPv6 address that doesn't read as something else.

    ``ipaddress`` decides validity; on top, a compressed form needs two non-empty
    groups, and every form a group of at least three characters and a decimal
    digit somewhere, so ``::``, ``1::2``, C++ scopes like ``Face::Add`` and
    timecodes like ``12:34:56:78:90:12:34:56`` are not addresses.
    """
    address = candidate.partition("%")[0]
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    if not any(ch.isdigit() for ch in address):
        return False
    groups = [g for g in address.split(":") if g]
    # "12:34:56:78:90:12:34:56" (a timecode), "00:1a:...:70" (an EUI-64) have no long group
    return len(groups) >= 2 and any(len(g) >= 3 for g in groups)
