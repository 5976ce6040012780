from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.normalize import Normalize, fix_unicode_text, rejoin_wrapped_lines


def norm(text: str, **kw: object) -> str:
    return Normalize(**kw).normalize_text(text)  # type: ignore[arg-type]


def test_mojibake_is_repaired() -> None:
    assert norm("The cafÃ© donâ€™t close") == "The café don’t close"


def test_html_entities_decoded() -> None:
    assert (
        norm("Tom &amp; Jerry&rsquo;s&nbsp;show &#8220;live&#x201d; & more;")
        == "Tom & Jerry’s show “live” & more;"
    )
    assert norm("AT&T; R&D", unescape_html=False) == "AT&T; R&D"


def test_nfc_and_controls_and_spaces() -> None:
    assert norm("e\u0301t\u00e9\x00\x07  a\u00a0\u00a0b\t\tc\u200b") == "été a b c"


def test_crlf_blank_runs_and_strip() -> None:
    assert norm("  one  \r\n\r\n\r\n\r\n two\r") == "one\n\ntwo"


def test_hard_wrapped_lines_rejoined_but_headings_kept() -> None:
    text = (
        "Breaking News\n"
        "The minister said on Tuesday that the new budget would\n"
        "include more money for schools and hospitals.\n"
        "Related stories\n"
        "A short line\nthat is not prose"
    )
    assert rejoin_wrapped_lines(text) == (
        "Breaking News\n"
        "The minister said on Tuesday that the new budget would include more money for schools and hospitals.\n"
        "Related stories\n"
        "A short line\nthat is not prose"
    )


def test_hyphenated_break_is_joined() -> None:
    assert rejoin_wrapped_lines(
        "It was a truly remarkable and unexpected develop-\nment for everyone."
    ) == ("It was a truly remarkable and unexpected development for everyone.")


def test_sentence_end_is_not_joined() -> None:
    text = "This is a complete sentence that ends here.\nand this starts lower case"
    assert rejoin_wrapped_lines(text) == text


def test_empty_document_removed() -> None:
    doc = Document(id="x", text=" \x00 \n ")
    Normalize().process(doc)
    assert doc.text == "" and doc.removed == {"step": "normalize", "reason": "empty"}


def test_bad_setting() -> None:
    with pytest.raises(ConfigError, match="NFC"):
        Normalize(form="NFX")


@given(st.text())
def test_idempotent(text: str) -> None:
    once = norm(text)
    assert norm(once) == once


# Texts hypothesis found where one pass was not enough: the cleanup after ftfy
# (line breaks, spacing, control characters) changed the context it judged.
@pytest.mark.parametrize(
    "text", ["\x9bÜ\r\x80", "\xa0Ü\x86", "Â\t0", "\x8dÂ¡", "\xa0Â¡", "0\xa0Â¡"]
)
def test_idempotent_where_ftfy_sees_a_new_context(text: str) -> None:
    once = norm(text)
    assert norm(once) == once


def test_mangled_no_break_space_still_repaired() -> None:
    assert norm("1-800-SCRIPPSÂ\xa0Find doctors") == "1-800-SCRIPPS Find doctors"
    assert norm("Read moreÂ\xa0") == "Read more"


@given(
    st.lists(
        st.sampled_from(
            [
                "plain ",
                "ascii\n",
                "\r",
                "\t",
                "\x1b[31m",
                "\x00",
                "\x7f",
                "é",
                "Ã©",
                "â€™",
                "’",
                "\u2028",
                "\x85",
                "\ufffd",
                "Â\xa0",
                "\n",
            ]
        ),
        max_size=20,
    ).map("".join)
)
def test_ftfy_skips_only_lines_it_would_not_change(text: str) -> None:
    # fix_unicode_text copies printable-ASCII lines past ftfy; the result must
    # be exactly ftfy.fix_text's with the same settings.
    import ftfy

    want = ftfy.fix_text(
        text,
        normalization=None,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        unescape_html=False,
        explain=False,
    )
    assert fix_unicode_text(text) == want


def _rejoin_reference(text: str) -> str:
    """The rejoining rule written plainly: each line tested against the whole
    line joined so far (quadratic in a long run, which the step avoids)."""
    out = [text.split("\n")[0]]
    for line in text.split("\n")[1:]:
        prev = out[-1]
        wrapped = (
            len(prev) >= 25
            and line[:1].islower()
            and prev[-1] not in ".!?:…\"'”’)]"
            and re.search(r"[\w,;\-–]$", prev) is not None
            and prev.count(" ") >= 3
        )
        if wrapped and prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
            out[-1] = prev[:-1] + line
        elif wrapped:
            out[-1] = prev + " " + line
        else:
            out.append(line)
    return "\n".join(out)


# Lines of words: short and long ones (a line's last 64 characters may hold
# fewer of its spaces than the line), hyphens, punctuation, upper case.
_WRAP_WORDS = st.sampled_from(["the", "Quick", "fox-", "end.", "x,", "é", "-", "", "a" * 40])
_WRAP_LINES = st.lists(st.lists(_WRAP_WORDS, max_size=8).map(" ".join), max_size=12)


@settings(max_examples=1000, deadline=None)
@given(_WRAP_LINES.map("\n".join))
def test_rejoin_equals_the_plain_rule(text: str) -> None:
    assert rejoin_wrapped_lines(text) == _rejoin_reference(text)


def test_a_long_run_of_wrapped_lines_joins_into_one() -> None:
    # 20,000 short lines that all continue each other (a list without
    # punctuation): one line. The step had taken minutes on such a text, testing
    # the ever longer joined line at each step; now each test reads its end.
    lines = [f"item number {i} is one more line of it" for i in range(20_000)]
    assert rejoin_wrapped_lines("\n".join(lines)) == " ".join(lines)
