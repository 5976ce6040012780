from __future__ import annotations

import itertools
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thresher.document import ZONE_LABELS, Document
from thresher.errors import ConfigError
from thresher.segment import authors, comment_fixes, comments, headline, lexicon, rules
from thresher.segment.model import MODEL_DIR, SegmentModel
from thresher.steps.registry import build_step
from thresher.steps.segment import Segment

NEWS = (Path(__file__).parent.parent / "data" / "segment" / "news_page.txt").read_text("utf-8")
HEADLINE = "River towns brace for record flood as rain continues"


@pytest.fixture(scope="module")
def step() -> Segment:
    s = Segment()
    s.setup()
    return s


# A paragraph the model calls main text, above the comment sections of the rule tests.
ARTICLE = "A long article paragraph that the model calls main text, with detail. " * 4


def run(step: Segment, text: str) -> Document:
    doc = Document(id="t", text=text)
    step.process(doc)
    return doc


def zone_of(doc: Document, needle: str) -> str:
    assert doc.original is not None and doc.zones is not None
    for start, end, label in doc.zones:
        if needle in doc.original[start:end]:
            return str(label)
    raise AssertionError(f"{needle!r} not in any zone")


def assert_covers(doc: Document, text: str) -> None:
    assert doc.original == text
    zones = doc.zones
    assert zones is not None
    if not text:
        assert zones == []
        return
    assert zones[0][0] == 0 and zones[-1][1] == len(text)
    for (_, end, _), (start, _, _) in itertools.pairwise(zones):
        assert end == start
    assert all(s < e and lab in ZONE_LABELS for s, e, lab in zones)


def test_news_page_title_and_duplicate_headline(step: Segment) -> None:
    doc = run(step, NEWS)
    assert doc.title == HEADLINE
    labels = [lab for s, e, lab in doc.zones or [] if doc.original[s:e].strip() == HEADLINE]  # type: ignore[index]
    assert labels == ["title", "duplicate"]
    assert HEADLINE not in doc.text


def test_news_page_main_text(step: Segment) -> None:
    doc = run(step, NEWS)
    # Byline and date may stay (the gold data counts them as article text); the
    # first paragraph is the article's.
    first = next(ln for ln in doc.text.split("\n") if len(ln.split()) >= 8)
    assert first.startswith("Residents of three river towns")
    for kept in ("Tomas Berg", "40,000 sandbags", "lower the peak", "main bridge will shut"):
        assert kept in doc.text
    for dropped in (
        "Donate now",
        "$25",
        "Notify of",
        "Inline Feedbacks",
        "Subscribe",
        "Click to see",
        "Privacy Policy",
        "Stay safe everyone",
        "idiots",
    ):
        assert dropped not in doc.text
    assert zone_of(doc, "Click to see full-size image") == "caption"
    assert zone_of(doc, "Photo: Volunteers fill") == "caption"
    assert zone_of(doc, "Newest") == "boilerplate"
    assert zone_of(doc, "$10") == "boilerplate"
    assert doc.signals["segment_main_chars"] == len(doc.text)
    assert doc.signals["segment_comments"] == 3
    assert doc.removed is None


def test_news_page_comments(step: Segment) -> None:
    doc = run(step, NEWS)
    assert [c["author"] for c in doc.comments] == ["riverwatcher", "Anna K.", "grumpy_old_man"]
    assert doc.comments[0]["text"].startswith("Stay safe everyone.")
    assert doc.comments[2]["text"] == (
        "These people deserve what they get for building next to a river, idiots."
    )
    assert all(c["toxicity"] is None for c in doc.comments)
    assert zone_of(doc, "March 3, 2024 9:14 am") == "comment_meta"
    # The pasted second article is not a comment.
    assert not any("election" in c["text"] for c in doc.comments)


def test_zones_cover_original(step: Segment) -> None:
    text = "  \n" + NEWS.replace("\n", "\n\n", 3) + "\n \n"
    assert_covers(run(step, text), text)


def test_hard_wrapped_lines_are_rejoined() -> None:
    lines = ["The council met on Monday and", "decided to close the bridge.", "Next line."]
    assert rules.rejoin(lines, [True, True, False]) == [
        "The council met on Monday and decided to close the bridge.",
        "Next line.",
    ]
    assert rules.rejoin(["a well-known exam-", "ple of it."], [True, False]) == [
        "a well-known example of it."
    ]
    # Not adjacent in the original (a zone between them): kept apart.
    assert rules.rejoin(lines[:2], [False, False]) == lines[:2]


def test_author_of() -> None:
    assert authors.author_of(["Elena July 14, 2012 at 9:52 pm"]) == "Elena"
    assert authors.author_of(["John Smith says:"]) == "John Smith"
    assert authors.author_of(["12 points", "3 hours ago"]) is None
    # The name may follow the date; date words and ordinals are not names.
    assert authors.author_of(["10. Jul, 2012 / Jessi says:"]) == "Jessi"
    assert authors.author_of(["# posted by \xa0PMS_Chicago : 3:34 AM"]) == "PMS_Chicago"
    assert authors.author_of(["Thu, 07/12/2012 - 10:22", "at", "Mary Ann"]) == "Mary Ann"
    assert authors.author_of(["July 12th, 2012 at 10:22 am EDT"]) is None
    # Digits inside a user name stay; a vote count goes.
    assert authors.author_of(["by stm72 on Aug 9, 2012 10:43 AM PDT"]) == "stm72"
    assert authors.author_of(["dusty32309 12 points"]) == "dusty32309"
    assert authors.author_of(["7 months ago anonymous responded:"]) == "anonymous"
    # Without a digit a line is one stretch: a sentence with "today" is no name.
    assert authors.author_of(["Posted yesterday by John"]) == "John"
    assert authors.author_of(["Would I pick him up today in standard leagues"]) is None
    # A month or weekday name is a first name too unless it touches a date.
    assert authors.author_of(["April Smith · 3 days ago"]) == "April Smith"
    assert authors.author_of(["May Li 12 March 2021"]) == "May Li"
    assert authors.author_of(["Jan Doggen · 12. März 2021"]) == "Jan Doggen"
    # The name follows a byline's "by" after a comment number (it had been
    # "Comment # - by: MattPatt"); a user name with "by" in it is kept.
    line = "Comment #1 - Posted by: MattPatt at November 10, 2012 5:39 PM"
    assert authors.author_of([line]) == "MattPatt"
    assert authors.author_of(["#12 by: Joe Bloggs"]) == "Joe Bloggs"
    assert authors.author_of(["Stand by me says:"]) == "Stand by me"
    assert authors.author_of(["June Carter on March 3, 2012 at 10:15 pm"]) == "June Carter"
    assert authors.author_of(["Sun Li · 2 hours ago"]) == "Sun Li"
    assert authors.author_of(["Anna Thu 3 Mar 2012"]) == "Anna"
    assert authors.author_of(["Posted by Anna on Thursday"]) == "Anna"
    # A month name past a separator is the name ("Jan" had been no author);
    # a weekday there is still the date's.
    assert authors.author_of(["Dec 4, 2012 at 3:00 pm | Jan"]) == "Jan"
    assert authors.author_of(["Posted by: Jan | Apr 6, 2007 1:48:32 PM"]) == "Jan"
    assert authors.author_of(["Ali May — June 30th, 2012, 1:01 am"]) == "Ali May"
    assert authors.author_of(["27. Jun, 2012 / Jan Schultink says:"]) == "Jan Schultink"
    assert authors.author_of(["Monday | 4 Dec 2012"]) is None
    assert authors.author_of(["Dec 4, 2012, Jan"]) is None


def test_empty_text_removed(step: Segment) -> None:
    doc = run(step, "")
    assert doc.zones == [] and doc.text == "" and doc.comments == [] and doc.title is None
    assert doc.removed == {"step": "segment", "reason": "no_main_text"}
    chrome = run(step, "Home\nMenu\nLog in")
    assert chrome.removed == {"step": "segment", "reason": "no_main_text"}
    assert chrome.text == "Home\nMenu\nLog in" and chrome.zones is not None
    keep = Segment(remove_empty=False)
    doc = Document(id="t", text=" \n\n ")
    keep.process(doc)
    assert doc.removed is None and doc.zones == [[0, 4, "boilerplate"]]


def test_one_line(step: Segment) -> None:
    text = "The committee approved the new budget on Tuesday after a long debate."
    doc = run(step, text)
    assert_covers(doc, text)
    assert len(doc.zones or []) == 1


def test_huge_line(step: Segment) -> None:
    text = "word " * 200_000 + "\nShort line"
    doc = run(step, text)
    assert_covers(doc, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_zones_cover(text: str) -> None:
    step = Segment(remove_empty=False)
    doc = Document(id="h", text=text)
    step.process(doc)
    assert_covers(doc, text)
    assert isinstance(doc.text, str)
    assert all(isinstance(c["text"], str) and c["text"] for c in doc.comments)


def test_model_loads_without_pickle() -> None:
    with np.load(MODEL_DIR / "model.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    meta = json.loads((MODEL_DIR / "model.json").read_text())
    assert meta["classes"] == ["title", "main", "boilerplate", "comment", "comment_meta"]
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()
    model = SegmentModel()
    p = model.predict(np.zeros((3, len(meta["features"]))))
    assert p.shape == (3, 5) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_step_pickles_without_model(step: Segment) -> None:
    clone = pickle.loads(pickle.dumps(step))
    assert clone._model is None
    assert run(clone, NEWS).title == HEADLINE


def test_settings_validated() -> None:
    with pytest.raises(ConfigError, match="min_main_prob"):
        Segment(min_main_prob=1.5)
    built = build_step("segment", {"remove_empty": False})
    assert isinstance(built, Segment) and built.remove_empty is False
    with pytest.raises(ConfigError):
        build_step("segment", {"remove_empty": "yes"})


# An article line, and two comments: one under a bare name, one under an
# author line with a vote count.
_HARBOUR = "The article starts here with a long paragraph about the harbour and its boats. " * 3
_TWO_COMMENTS = [
    "alice_w",
    "I really liked this piece about the harbour, thanks for writing it.",
    "bob_k 12 votes",
    "Not sure the numbers in the second paragraph add up at all.",
]


def test_comment_section_after_heading() -> None:
    texts = [
        "Menu",
        _HARBOUR,
        "It goes on for a second paragraph that the model keeps as main text too. " * 2,
        "3 Responses",
        "Alice",
        "I really liked this piece about the harbour, thanks for writing it.",
        "Bob",
        "Not sure the numbers in the second paragraph add up, though.",
        "Leave a Reply",
        "Your email address will not be published in any way at all.",
    ]
    labels = ["boilerplate", "main", "main", "boilerplate", "main", "main"]
    labels += ["boilerplate", "boilerplate", "boilerplate", "boilerplate"]
    assert comments.comment_section(texts, labels)
    assert labels[:4] == ["boilerplate", "main", "main", "boilerplate"]
    assert labels[4:8] == ["comment_meta", "comment", "comment_meta", "comment"]
    assert labels[8:] == ["boilerplate", "boilerplate"]


def test_menu_lines_stay_chrome_between_article_lines() -> None:
    # The gap filling turns doubtful lines between main lines into main; a line
    # shaped like a menu stays boilerplate all the same.
    text = "\n".join(
        [
            "The harbour will close for repairs this winter, the council said on Monday.",
            "Home | World | Politics | Business | Sport",
            "Boat owners have until November to move their vessels to other moorings nearby.",
            "The work is expected to take four months and cost about two million pounds.",
        ]
    )
    doc = Document(id="m", text=text)
    Segment().process(doc)
    assert "Home | World" not in doc.text
    assert "Boat owners" in doc.text


def test_open_comment_section_does_not_end_on_an_author_line() -> None:
    # No reply form closes the section, and the model calls the last comment's
    # body chrome: the author line above it still brings it in.
    texts = [
        _HARBOUR,
        "3 Comments",
        *_TWO_COMMENTS,
        "Privacy policy and terms of service for the whole of this website.",
    ]
    labels = ["main", "boilerplate", "boilerplate", "main", "main", "boilerplate", "boilerplate"]
    assert comments.comment_section(texts, labels)
    assert labels[2:6] == ["comment_meta", "comment", "comment_meta", "comment"]
    assert labels[6] == "boilerplate"


def test_first_comment_under_a_widget_may_open_with_a_bare_name() -> None:
    # The model kept no comment line: below the widget's controls the first
    # comment opens with its author's name alone, the second with an author
    # and vote line, which vouches for the first.
    texts = [_HARBOUR, "Notify of", "Newest Most Voted", "View all comments", *_TWO_COMMENTS]
    labels = ["main"] + ["boilerplate"] * 7
    assert comments.comment_section(texts, labels)
    assert labels[4:] == ["comment_meta", "comment", "comment_meta", "comment"]
    # With no second comment to vouch for it, a bare name opens nothing.
    labels = ["main"] + ["boilerplate"] * 5
    assert not comments.comment_section(texts[:6], labels)
    assert labels[4:] == ["boilerplate", "boilerplate"]


def test_spec_table_rows_are_not_comments() -> None:
    texts = [
        "Dimension & Weight",
        "Height : 4.6 Inch",
        "Width : 2.6 Inch",
        "Battery Capacity : 1700 mAh",
        "Talk Time : NA",
        "Audio Playback:",
        "AAC",
        "MP3",
    ]
    labels = ["boilerplate", "main", "comment_meta", "comment", "boilerplate"]
    labels += ["boilerplate", "comment", "boilerplate"]
    assert comment_fixes.spec_table_lines(texts, labels) == [2, 3, 6]
    # Author and date rows of a real comment section have its longer lines nearby.
    thread = [
        "Name: Alice",
        "Date: July 5, 2012",
        "I really liked this piece about the harbour, thanks so much for writing it up.",
        "Name: Bob",
        "Date: July 6, 2012",
        "Not sure the numbers in the second paragraph add up, though, and I checked twice.",
    ]
    labels = ["comment_meta", "comment_meta", "comment"] * 2
    assert comment_fixes.spec_table_lines(thread, labels) == []


def test_comment_section_needs_heading_below_the_article() -> None:
    texts = ["12 comments", "A long article paragraph that the model calls main text. " * 5]
    labels = ["boilerplate", "main"]
    assert not comments.comment_section(texts, labels)
    assert labels == ["boilerplate", "main"]
    # "No comments" is no section either.
    texts = [texts[1], "No comments", "Some sidebar teaser line with several words in it."]
    labels = ["main", "boilerplate", "boilerplate"]
    assert not comments.comment_section(texts, labels)
    assert labels == ["main", "boilerplate", "boilerplate"]


def test_fill_gaps() -> None:
    texts = ["a b c d e f g h i", "one two three four five six seven eight", "x y z", "p q r"]
    labels = ["main", "boilerplate", "main", "boilerplate"]
    rules.fill_gaps(texts, labels, 8)
    assert labels == ["main", "main", "main", "boilerplate"]
    labels = ["main", "boilerplate", "main", "boilerplate"]
    rules.fill_gaps(texts, labels, 9)  # the gap line is too short to be a paragraph
    assert labels == ["main", "boilerplate", "main", "boilerplate"]


def test_comment_counts_of_teasers_are_no_section() -> None:
    para = ARTICLE
    texts = [para, "3 comments", "First teaser headline with a few words in it", "10 comments"]
    labels = ["main", "boilerplate", "main", "boilerplate"]
    assert not comments.comment_section(texts, labels)
    assert labels == ["main", "boilerplate", "main", "boilerplate"]


def test_navigation_and_breadcrumb_lines_are_boilerplate() -> None:
    from thresher.segment.rules import navigation_lines

    texts = [
        "Home | World | Politics | Business",
        "News > Environment > Local",
        "NEWS · SPORT · BUSINESS · OPINION",
        "Prices rose 3% in May | the biggest jump since 2022, officials said.",
        "Either/or questions are hard.",
    ]
    labels = ["main"] * len(texts)
    navigation_lines(texts, labels)
    assert labels == ["boilerplate", "boilerplate", "boilerplate", "main", "main"]


def test_comment_heading_may_repeat_a_long_title() -> None:
    para = ARTICLE
    head = (
        "45 users responded in "
        + '" The biggest blogging mistake I ever made, and why it matters "'
    )
    texts = [
        para,
        head,
        "Progress Trap said,",
        "There is one benefit of the name you chose, though.",
    ]
    labels = ["main", "boilerplate", "boilerplate", "main"]
    assert comments.comment_section(texts, labels)
    assert labels == ["main", "boilerplate", "comment_meta", "comment"]


def test_counted_heading_over_comments_taken_for_article_text() -> None:
    # The model called the comments main, so the article above the heading is
    # a small share of the page's main text; author lines under the heading
    # still make it a section, and "X said:" lines are the authors.
    para = ARTICLE
    reply = "I do not agree with the second point at all, and here is the reason why. " * 6
    texts = [para, "25 Comments", "Dave P said:", reply, "Rimantas said:", reply, reply]
    labels = ["main", "boilerplate", "main", "main", "main", "boilerplate", "main"]
    assert comments.comment_section(texts, labels)
    assert labels == ["main", "boilerplate"] + ["comment_meta", "comment"] * 2 + ["comment"]
    # A forum's "Replies" heading is not given that benefit: its posts are its text.
    texts[1] = "76 Replies"
    labels = ["main", "boilerplate", "main", "main", "main", "boilerplate", "main"]
    assert not comments.comment_section(texts, labels)
    assert labels == ["main", "boilerplate", "main", "main", "main", "boilerplate", "main"]


def test_bare_comments_heading_with_author_lines() -> None:
    # "Comments" alone needs a comment's author or date line right below it.
    para = ARTICLE
    body = "Nothing more true has ever been uttered, and I have seen it happen often."
    texts = [para, "Comments", "1. Dave P said:", body, body, body, "Posted on May 3, 2005"]
    labels = ["main", "boilerplate", "comment_meta", "comment", "boilerplate", "comment"]
    labels.append("comment_meta")
    assert comments.comment_section(texts, labels)
    assert labels[3:6] == ["comment", "comment", "comment"]
    # Without the author line, the date line is too far below the heading.
    texts[2] = "1. Dave P"
    labels = ["main", "boilerplate", "boilerplate", "comment", "boilerplate", "comment"]
    labels.append("comment_meta")
    assert not comments.comment_section(texts, labels)


def test_bare_heading_over_numbered_comments_the_model_took_for_the_article() -> None:
    # "Comments»" over numbered, dated author lines: a section even though the
    # model kept the comments as article text (so the article above the
    # heading is a small share of the page's main text).
    body = "Nothing more true has ever been uttered, and I have seen it happen often."
    texts = [ARTICLE, "Comments»"]
    for k, name in enumerate(["William Kirk", "MJ", "Red Dead Ryan", "Danpaine"], 1):
        texts += [f"{k}. {name} - August 8, 2012", body, body]
    labels = ["main", "boilerplate"] + ["main"] * (len(texts) - 2)
    assert comments.comment_section(texts, labels)
    assert labels[1] == "boilerplate" and labels[2::3] == ["comment_meta"] * 4
    assert labels[3::3] == labels[4::3] == ["comment"] * 4
    # A bare heading with no comment's author or date line below it is a link.
    texts = [ARTICLE, "Comments»", *[body] * 8]
    labels = ["main", "boilerplate"] + ["main"] * 8
    assert not comments.comment_section(texts, labels)


def test_open_section_runs_on_over_comments_the_model_missed() -> None:
    # The model kept only the first comment; the ones below it still open with
    # an author or vote line, so the section runs on to them, and not into the
    # footer after the last one.
    para = ARTICLE
    texts = [
        para,
        "3 Comments",
        "Steve_87 says:",
        "Anyone else having trouble with the website today?",
        "Reply · Report",
        "harbourview_Max says:",
        "June 16, 2019 at 4:41 pm",
        "This will end up costing twice as much, as usual.",
        "Reply to comment",
        "coffeelover_Kat +17",
        "I used to take the old route to work every day.",
        "And a second paragraph of that same comment, too.",
        "Reply to comment",
        "Ann says:",
        "Nobody asked the people who live along the route.",
        "Trending now",
        "Lawmakers push for new rules on artificial intelligence",
    ]
    labels = ["main", "boilerplate", "comment_meta", "comment"] + ["boilerplate"] * 13
    assert comments.comment_section(texts, labels)
    assert labels[5:8] == ["comment_meta", "comment_meta", "comment"]
    # A comment of two lines, with another comment below it.
    assert labels[8:12] == ["boilerplate", "comment_meta", "comment", "comment"]
    assert labels[12:15] == ["boilerplate", "comment_meta", "comment"]
    # The section ends with the last comment's line, not in the sidebar below.
    assert labels[15:] == ["boilerplate"] * 2


def test_comments_below_a_widgets_controls() -> None:
    # The model kept no comment; they begin below the widget's last control.
    para = ARTICLE
    texts = [
        para,
        "Join the discussion",
        "Notify of",
        "guest",
        "1 Comments",
        "Oldest Newest Most Voted",
        "Inline Feedbacks",
        "View all comments",
        "Janet_90  52 votes",
        "Finally some common sense from the council on this one.",
        "Reply",
        "© 2021 The Evening Record",
    ]
    labels = ["main"] + ["boilerplate"] * 11
    assert comments.comment_section(texts, labels)
    assert labels[8:10] == ["comment_meta", "comment"]
    assert labels[3] == "boilerplate" and labels[10:] == ["boilerplate"] * 2


def test_reply_form_right_under_the_heading() -> None:
    # The reply form sits between the heading and the comments: the section
    # goes on below it, as far as the comments go.
    para = ARTICLE
    texts = [
        para,
        "3 responses to “Man jailed for burglaries”",
        "Leave a Reply",
        "Nedcoffeelover",
        "12 days ago",
        "What happens to the people already living there now?",
        "skeptic_Ned  9 votes",
        "I don’t buy it. Same story every single year.",
        "Trending now",
        "Small businesses in Elmstead struggle with rising rents this year",
        "How the internet economy works: guns, butter and bandwidth 11/01/2012",
        "New Twitter policy lets users see tweets pulled down 11/04/2012",
    ]
    labels = ["main"] + ["boilerplate"] * 4 + ["comment"] + ["boilerplate"] * 4 + ["main"] * 2
    assert comments.comment_section(texts, labels)
    # (The name line above the date is fix_comment_meta's to relabel.)
    assert labels[4:8] == ["comment_meta", "comment", "comment_meta", "comment"]
    # No reply form or end below: dated teasers the model kept are not comments.
    assert labels[8:] == ["boilerplate"] * 2 + ["main"] * 2


def test_vote_widgets_sit_under_a_comment() -> None:
    # "↑ 34 ↓" is a vote line under a comment's text: the open section does not
    # take the footer below the last one for a comment; "(42 likes)" is a vote.
    para = ARTICLE
    texts = [
        para,
        "2 Comments",
        "Mandy Bailey (42 likes)",
        "Who exactly asked for this in the first place?",
        "↑ 30 ↓",
        "bikerdave · 8 hours ago",
        "Why do I have to log in again every single day?",
        "↑ 38 ↓",
        "Back to top ↑",
        "Contact us | Corrections | Complaints",
        "© 2019 The Evening Record. All rights reserved.",
    ]
    labels = ["main", "boilerplate", "boilerplate", "comment", "boilerplate"]
    labels += ["comment_meta", "main", "boilerplate"] + ["boilerplate"] * 3
    assert comments.comment_section(texts, labels)
    # (A comment that mentions logging in is no sign-in link.)
    assert labels[2:7] == ["comment_meta", "comment", "comment_meta", "comment_meta", "comment"]
    # The last vote count opens no comment: the footer stays out.
    assert labels[7:] == ["boilerplate"] * 4


def test_a_short_comment_right_under_its_author() -> None:
    # "Well said." is too short to be a comment by its length alone; right
    # under an author or vote line it is one. "Anna said..." is an author line.
    para = ARTICLE
    texts = [
        para,
        "3 Comments",
        "realist_Kat  54 votes",
        "Well said.",
        "Reply · Report",
        "Anna said...",
        "Lol.",
        "DaveS  60 votes",
        "Anyone else having trouble with the website today?",
    ]
    labels = ["main", "boilerplate", "comment_meta"] + ["boilerplate"] * 5 + ["comment"]
    assert comments.comment_section(texts, labels)
    assert labels[2:4] == ["comment_meta", "comment"]
    assert labels[5:] == ["comment_meta", "comment", "comment_meta", "comment"]
    # A reply button is nobody's name, in the widget's language either.
    assert not authors.name_like("Responder") and not authors.name_like("Antworten")


def test_comment_headings_in_other_languages() -> None:
    para = "Ein langer Absatz des Artikels, den das Modell als Haupttext nimmt, mit Details. " * 3
    texts = [
        para,
        "2 Kommentare",
        "Janet_67 · 21.01.2021",
        "Endlich tut sich etwas in Köln.",
        "Antworten",
        "Rob_86 · 22.01.2021",
        "Das hätte man schon vor Jahren machen sollen.",
        "© Alle Rechte vorbehalten.",
    ]
    labels = ["main", "main", "comment_meta", "boilerplate", "main"] + ["boilerplate"] * 3
    assert comments.comment_section(texts, labels)
    assert labels[2:7] == ["comment_meta", "comment", "boilerplate", "comment_meta", "comment"]
    assert labels[7] == "boilerplate"
    for heading in (
        "12 commentaires",
        "Comentarios (3)",
        "3 комментария",
        "5 reacties",
        # Thousands separators, reply counts, and the post's title after them.
        "1.234 Kommentare",
        "1 234 комментария",
        "1,234 comments",
        "Comments (1,234)",
        "Kommentare (1.234)",
        "12 Antworten",
        "3 réponses",
        "12 Antworten auf „Der neue Radweg am Rhein“",
        "3 commentaires sur « La mairie va rénover le vieux pont »",
        "5 respuestas a «La nueva tarifa»",
        "2 risposte a “La nuova tariffa”",
        "4 reacties op “Het nieuwe tarief”",
        "7 comentários em “A nova tarifa”",
        "3 ответа на «Новый тариф»",
        "12 komentarzy",
        "12 komentarzy do „Nowa taryfa”",
        "3 odpowiedzi",
        "3 kommentarer",
        "3 svar till ”Den nya taxan”",
        "5 yorum",
        "5 yanıt",
        "12 komentar",
        "12 tanggapan untuk “Tarif baru”",
        "Komentarze (3)",
    ):
        assert comments.is_comment_heading(heading), heading
    # A title long enough to pass the heading's length limit.
    long_title = "„" + "Der neue Radweg am Rhein wird endlich gebaut " * 3 + "“"
    assert comments.is_comment_heading("12 Kommentare zu " + long_title)
    # A reply count heads a section, but does not count comments (a forum
    # thread's replies have one too); a bare number or word is no heading.
    assert not comments.COMMENTS_COUNTED.search("12 Antworten")
    assert comments.COMMENTS_COUNTED.search("1.234 Kommentare")
    for line in (
        "Antworten",
        "12.5 Kommentare",
        "12 Antworten gibt es nicht immer",
        "2021 12",
        "Comments (1,2)",
    ):
        assert not comments.is_comment_heading(line), line
    # Both ways of finding the candidate lines find a reply count (no scan of
    # the page looks for its word: the lines that open with a digit are read).
    texts = [para, "3 Antworten", "Janet_67 · 21.01.2021", "Endlich tut sich etwas in Köln."]
    keys = rules.norm_keys(texts)
    assert comments.heading_candidates("\n".join(texts), rules.lines_starts(texts)) == [1]
    assert comments.heading_lines(texts, keys) == [1]
    labels = ["main", "main", "comment_meta", "boilerplate"]
    assert comments.comment_section(texts, labels)
    assert labels[1:] == ["boilerplate", "comment_meta", "comment"]


COMMENT_PAGES = Path(__file__).parent.parent / "data" / "segment" / "comments"


@pytest.mark.parametrize(
    ("lang", "authors"),
    [
        ("de", ["Hans Müller", "Petra", "Klaus Becker"]),
        ("fr", ["Jean Dupont", "Marie", "Luc"]),
        ("es", ["Carmen Ruiz", "Pedro", "Lucía Gómez"]),
        ("it", ["Giovanni Bianchi", "Chiara", "Paolo"]),
        ("nl", ["Pieter Bakker", "Anouk", "Daan"]),
        ("pt", ["João Silva", "Ana", "Rafael Costa"]),
        ("ru", ["Иван Петров", "Ольга", "Сергей"]),
        ("pl", ["Jan Kowalski", "Anna", "Piotr Nowak"]),
        ("sv", ["Erik Andersson", "Karin", "Lars Nilsson"]),
        ("tr", ["Ahmet Yılmaz", "Ayşe", "Mehmet Demir"]),
        ("id", ["Budi Santoso", "Siti", "Agus Wijaya"]),
        ("uk", ["Іван Коваленко", "Оксана", "Андрій Шевченко"]),
        ("cs", ["Jan Novák", "Petra", "Tomáš Dvořák"]),
        ("da", ["Mads Jensen", "Sofie", "Anders Nielsen"]),
        ("no", ["Ole Hansen", "Ingrid", "Lars Johansen"]),
    ],
)
def test_comment_dates_and_authors_in_other_languages(
    step: Segment, lang: str, authors: list[str]
) -> None:
    # Under a counted heading, three comments whose author lines carry the
    # language's dates ("am 12. März 2021 um 10:15 Uhr", "hace 3 horas") or
    # verbs ("schrieb:", "a écrit :"): the authors are the names, without
    # the dates' small words ("am", "le", "op") or months.
    doc = run(step, (COMMENT_PAGES / f"{lang}.txt").read_text("utf-8"))
    assert [c["author"] for c in doc.comments] == authors
    for c in doc.comments:
        assert len(c["text"].split()) >= 6 and "\n" not in c["text"]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("de", "3 Antworten auf „Stadtrat beschließt neuen Radweg am Rhein“"),
        ("de", "1.203 Kommentare"),
        ("fr", "1.203 réponses"),
        ("fr", "3 commentaires sur « La mairie va rénover le vieux pont »"),
    ],
)
def test_reply_counts_and_thousands_head_sections(step: Segment, lang: str, heading: str) -> None:
    # The language's page with its "3 Kommentare" heading replaced: a reply
    # count, a count with a thousands separator (one count, not "1" and
    # "203"), a count before the post's title.
    page = (COMMENT_PAGES / f"{lang}.txt").read_text("utf-8")
    count = {"de": "3 Kommentare", "fr": "3 commentaires"}[lang]
    assert f"\n{count}\n" in page
    doc = run(step, page.replace(f"\n{count}\n", f"\n{heading}\n"))
    assert [c["author"] for c in doc.comments] == _AUTHORS[lang]
    assert heading not in doc.text


def test_long_dated_author_lines(step: Segment) -> None:
    # An author line with the comment's date, past the 12 words of a short
    # meta line: "a écrit :" at its end, or after the name with the date
    # following it to a colon. It had stayed comment text.
    for line in (
        "Le 4 févr. 2020 à 9 h 12 min, Marie Lefèvre a écrit :",
        "Marie Lefèvre a écrit le 4 février 2020 à 9 h 12 min :",
        "On Tuesday, March 3, 2012 at 10:15 am, Jonathan Smith-Jones wrote:",
    ):
        assert authors.author_line(line), line
    for line in (
        # The verb far from the start: a sentence about someone.
        "On March 3, 2012 the mayor of the town said the project will cost:",
        # No date: a long sentence that ends in "said:".
        "The people of this town who live near the old river said:",
        "Marie Lefèvre a écrit le 4 février 2020 à 9 h 12 min une lettre au maire.",
    ):
        assert not authors.author_line(line), line
    page = (COMMENT_PAGES / "fr.txt").read_text("utf-8")
    short = "Le 4 févr. 2020 à 9 h 12, Marie a écrit :"
    assert short in page
    doc = run(step, page.replace(short, "Le 4 févr. 2020 à 9 h 12 min, Marie Lefèvre a écrit :"))
    assert [c["author"] for c in doc.comments] == ["Jean Dupont", "Marie Lefèvre", "Luc"]
    assert all("a écrit" not in c["text"] for c in doc.comments)


# Under each language's page of comments: a vote count, the reply form and a
# related-posts sidebar whose dated teasers read like comments.
_FORMS_AND_SIDEBARS = {
    "de": (
        "12 Punkte",
        "Schreibe einen Kommentar",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
        "Name *",
        "E-Mail *",
        "Ähnliche Beiträge",
        "Der neue Tarif – 12. März 2021",
        "Mehr Busse für die Altstadt – 3. April 2021",
        "Ab Mai fahren die Busse alle zehn Minuten in die Altstadt.",
    ),
    "fr": (
        "12 voix",
        "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Nom *",
        "Adresse de messagerie *",
        "Articles similaires",
        "Le nouveau tarif – 12 mars 2021",
        "Plus de bus pour la vieille ville – 3 avril 2021",
        "Dès le mois de mai, les bus passeront toutes les dix minutes.",
    ),
    "es": (
        "12 votos",
        "Deja una respuesta",
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
        "Nombre *",
        "Correo electrónico *",
        "Entradas relacionadas",
        "La nueva tarifa – 12 de marzo de 2021",
        "Más autobuses para el centro – 3 de abril de 2021",
        "Desde mayo los autobuses pasarán cada diez minutos por el centro.",
    ),
    "it": (
        "12 voti",
        "Lascia un commento",
        "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
        "Nome *",
        "Email *",
        "Articoli correlati",
        "La nuova tariffa – 12 marzo 2021",
        "Più autobus per il centro – 3 aprile 2021",
        "Da maggio gli autobus passeranno ogni dieci minuti in centro.",
    ),
    "nl": (
        "12 stemmen",
        "Geef een reactie",
        "Je e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met *",
        "Naam *",
        "E-mail *",
        "Gerelateerde berichten",
        "Het nieuwe tarief – 12 maart 2021",
        "Meer bussen voor de binnenstad – 3 april 2021",
        "Vanaf mei rijden de bussen elke tien minuten naar de binnenstad.",
    ),
    "pt": (
        "12 votos",
        "Deixe uma resposta",
        "O seu endereço de email não será publicado. Campos obrigatórios são marcados com *",
        "Nome *",
        "Email *",
        "Posts relacionados",
        "A nova tarifa – 12 de março de 2021",
        "Mais ônibus para o centro – 3 de abril de 2021",
        "A partir de maio os ônibus vão passar a cada dez minutos no centro.",
    ),
    "ru": (
        "12 голосов",
        "Добавить комментарий",
        "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
        "Имя *",
        "Email *",
        "Похожие записи",
        "Новый тариф – 12 марта 2021",
        "Больше автобусов для центра – 3 апреля 2021",
        "С мая автобусы будут ходить в центр каждые десять минут.",
    ),
    "pl": (
        "12 punktów",
        "Dodaj komentarz",
        "Twój adres e-mail nie zostanie opublikowany. Wymagane pola są oznaczone *",
        "Imię *",
        "Adres e-mail *",
        "Podobne wpisy",
        "Nowa taryfa – 12 marca 2021",
        "Więcej autobusów na starówkę – 3 kwietnia 2021",
        "Od maja autobusy będą jeździć na starówkę co dziesięć minut.",
    ),
    "sv": (
        "12 poäng",
        "Lämna en kommentar",
        "Din e-postadress kommer inte publiceras. Obligatoriska fält är märkta *",
        "Namn *",
        "E-post *",
        "Relaterade inlägg",
        "Den nya taxan – 12 mars 2021",
        "Fler bussar till gamla stan – 3 april 2021",
        "Från maj går bussarna till gamla stan var tionde minut.",
    ),
    "tr": (
        "12 puan",
        "Bir yorum yazın",
        "E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir",
        "İsim *",
        "E-posta *",
        "Benzer yazılar",
        "Yeni tarife – 12 Mart 2021",
        "Eski şehre daha fazla otobüs – 3 Nisan 2021",
        "Mayıs ayından itibaren otobüsler eski şehre her on dakikada bir gidecek.",
    ),
    "id": (
        "12 poin",
        "Tinggalkan Balasan",
        "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *",
        "Nama *",
        "Email *",
        "Artikel Terkait",
        "Tarif baru – 12 Maret 2021",
        "Lebih banyak bus ke kota tua – 3 April 2021",
        "Mulai Mei bus akan ke kota tua setiap sepuluh menit.",
    ),
    "uk": (
        "12 балів",
        "Залишити коментар",
        "Ваша адреса email не буде опублікована. Обов'язкові поля позначені *",
        "Ім'я *",
        "Email *",
        "Схожі записи",
        "Новий тариф – 12 березня 2021",
        "Більше автобусів до старого міста – 3 квітня 2021",
        "З травня автобуси ходитимуть до старого міста кожні десять хвилин.",
    ),
    "cs": (
        "12 bodů",
        "Napsat komentář",
        "Vaše e-mailová adresa nebude zveřejněna. Vyžadované informace jsou označeny *",
        "Jméno *",
        "E-mail *",
        "Související příspěvky",
        "Nový tarif – 12. března 2021",
        "Více autobusů do starého města – 3. dubna 2021",
        "Od května budou autobusy jezdit do starého města každých deset minut.",
    ),
    "da": (
        "12 stemmer",
        "Skriv en kommentar",
        "Din e-mailadresse vil ikke blive publiceret. Krævede felter er markeret med *",
        "Navn *",
        "E-mail *",
        "Relaterede indlæg",
        "Den nye takst – 12. marts 2021",
        "Flere busser til gamle by – 3. april 2021",
        "Fra maj kører busserne til den gamle by hvert tiende minut.",
    ),
    "no": (
        "12 poeng",
        "Legg igjen en kommentar",
        "E-postadressen din vil ikke bli publisert. Obligatoriske felt er merket med *",
        "Navn *",
        "E-post *",
        "Relaterte innlegg",
        "Den nye taksten – 12. mars 2021",
        "Flere busser til gamlebyen – 3. april 2021",
        "Fra mai går bussene til gamlebyen hvert tiende minutt.",
    ),
}


_AUTHORS = {
    "de": ["Hans Müller", "Petra", "Klaus Becker"],
    "fr": ["Jean Dupont", "Marie", "Luc"],
    "es": ["Carmen Ruiz", "Pedro", "Lucía Gómez"],
    "it": ["Giovanni Bianchi", "Chiara", "Paolo"],
    "nl": ["Pieter Bakker", "Anouk", "Daan"],
    "pt": ["João Silva", "Ana", "Rafael Costa"],
    "ru": ["Иван Петров", "Ольга", "Сергей"],
    "pl": ["Jan Kowalski", "Anna", "Piotr Nowak"],
    "sv": ["Erik Andersson", "Karin", "Lars Nilsson"],
    "tr": ["Ahmet Yılmaz", "Ayşe", "Mehmet Demir"],
    "id": ["Budi Santoso", "Siti", "Agus Wijaya"],
    "uk": ["Іван Коваленко", "Оксана", "Андрій Шевченко"],
    "cs": ["Jan Novák", "Petra", "Tomáš Dvořák"],
    "da": ["Mads Jensen", "Sofie", "Anders Nielsen"],
    "no": ["Ole Hansen", "Ingrid", "Lars Johansen"],
}


@pytest.mark.parametrize("lang", sorted(_FORMS_AND_SIDEBARS))
def test_votes_reply_forms_and_sidebars_in_other_languages(step: Segment, lang: str) -> None:
    # The last comment's vote count ("12 Punkte") is its meta, not its text;
    # the reply form and the sidebar below end the section: the three
    # comments are found, and no line of the form or the sidebar is one.
    vote, *tail = _FORMS_AND_SIDEBARS[lang]
    page = (COMMENT_PAGES / f"{lang}.txt").read_text("utf-8").rstrip("\n")
    doc = run(step, "\n".join([page, vote, *tail]))
    assert [c["author"] for c in doc.comments] == _AUTHORS[lang]
    assert zone_of(doc, vote) == "comment_meta"
    assert not any(vote in c["text"] for c in doc.comments)
    for line in tail:
        assert zone_of(doc, line) not in rules.COMMENTISH, line


@pytest.mark.parametrize("lang", sorted(_FORMS_AND_SIDEBARS))
def test_reply_forms_and_sidebars_end_sections_in_other_languages(lang: str) -> None:
    # The model keeps the comments' lines and the sidebar's last teaser: the
    # section would run on to it, over the form's note and the dated teasers
    # ("Der neue Tarif – 12. März 2021"), but ends at the reply form.
    page = (COMMENT_PAGES / f"{lang}.txt").read_text("utf-8").splitlines()
    head = next(i for i, line in enumerate(page) if comments.is_comment_heading(line))
    tail = _FORMS_AND_SIDEBARS[lang][1:]
    texts = page + list(tail)
    labels = ["main"] * head + ["boilerplate"] + ["main"] * (len(page) - head - 1)
    labels += ["boilerplate"] * (len(tail) - 1) + ["main"]
    assert comments.comment_section(texts, labels)
    assert labels[len(page) :] == ["boilerplate"] * (len(tail) - 1) + ["main"]
    assert labels.count("comment") == 3


def test_comment_furniture_in_other_languages() -> None:
    chrome = [
        "Sortieren nach: Neueste",
        "Trier par : Les plus récents",
        "Ordenar por: Más votados",
        "Ordina per: Più recenti",
        "Sorteer op: Nieuwste",
        "Сортировать по: Новые",
        "Antworten · Melden",
        "Répondre | Signaler | Partager",
        "Responder Compartir",
        "Rispondi al commento",
        "Log in om te reageren",
        "Faça login para responder",
        "Войдите, чтобы ответить",
        "Ihr Kommentar wartet auf Freischaltung.",
        "Votre commentaire est en attente de modération.",
        "Sortuj według: Najnowsze",
        "Sortera efter: Nyaste",
        "Urutkan berdasarkan: Terbaru",
        "Zaloguj się, aby odpowiedzieć",
        "Logga in för att svara",
        "Yorum yapmak için giriş yapın",
        "Balas · Laporkan",
        "Twój komentarz oczekuje na moderację.",
    ]
    for line in chrome:
        assert comment_fixes.section_chrome(line), line
    for line in (
        "Melden Sie sich an, es lohnt sich, sagt Anna.",
        "Le partage des tâches est injuste.",
    ):
        assert not comment_fixes.section_chrome(line), line
    ends = [
        "Kommentare sind geschlossen.",
        "Les commentaires sont fermés.",
        "Cargar más comentarios",
        "I commenti sono chiusi.",
        "Meer reacties laden",
        "Os comentários estão encerrados.",
        "Комментарии закрыты",
        "Nome (obbligatorio)",
        "Naam:",
        "Komentarze są wyłączone.",
        "Visa fler kommentarer",
        "Yorumlar kapalı.",
        "Komentar ditutup.",
        "Imię *",
    ]
    for line in ends:
        assert comments.COMMENTS_END.search(line), line
    # A field's word with a value after its colon is no form ("Nome, Alaska").
    for line in ("Nome: a city in Alaska", "Name the dog"):
        assert not comments.COMMENTS_END.search(line), line
    for line in ("12 Punkte", "-3 votos", "5 голосов", "7 Mi piace"):
        assert authors.VOTE_RE.match(line), line
        assert authors.author_of([f"Anna · {line}"]) == "Anna", line


# Per language: a comment widget's row of buttons, its loading note, and a
# teaser's two comment counts.
_WIDGETS = {
    "de": ("Gefällt mir · Antworten · Melden", "Wird geladen…", "12 Kommentare", "3 Kommentare"),
    "fr": ("J'aime · Répondre · Signaler", "Chargement…", "12 commentaires", "3 commentaires"),
    "es": ("Me gusta · Responder · Denunciar", "Cargando…", "12 comentarios", "3 comentarios"),
    "it": ("Mi piace · Rispondi · Segnala", "Caricamento…", "12 commenti", "3 commenti"),
    "nl": ("Vind ik leuk · Beantwoorden · Rapporteren", "Laden…", "12 reacties", "3 reacties"),
    "pt": ("Curtir · Responder · Denunciar", "Carregando…", "12 comentários", "3 comentários"),
    "ru": ("Нравится · Ответить · Пожаловаться", "Загрузка…", "12 комментариев", "3 комментария"),
    "pl": ("Lubię to · Odpowiedz · Zgłoś", "Ładowanie…", "12 komentarzy", "3 komentarze"),
    "sv": ("Gilla · Svara · Anmäl", "Laddar…", "12 kommentarer", "3 kommentarer"),
    "tr": ("Beğen · Yanıtla · Şikayet et", "Yükleniyor…", "12 yorum", "3 yorum"),
    "id": ("Suka · Balas · Laporkan", "Memuat…", "12 komentar", "3 komentar"),
    "uk": (
        "Подобається · Відповісти · Поскаржитися",
        "Завантаження…",
        "12 коментарів",
        "3 коментарі",
    ),
    "cs": ("Líbí se mi · Odpovědět · Nahlásit", "Načítání…", "12 komentářů", "3 komentáře"),
    "da": ("Synes godt om · Svar · Anmeld", "Indlæser…", "12 kommentarer", "3 kommentarer"),
    "no": ("Lik · Svar · Rapporter", "Laster…", "12 kommentarer", "3 kommentarer"),
}


@pytest.mark.parametrize("lang", sorted(_WIDGETS))
def test_widget_rows_and_loading_notes_in_other_languages(lang: str) -> None:
    buttons, loading, _, _ = _WIDGETS[lang]
    texts = ["Anna", buttons, loading, "Gefällt mir sehr, danke für den Artikel!"]
    labels = ["comment_meta", "comment", "comment", "comment"]
    comment_fixes.comment_furniture(texts, labels)
    assert labels == ["comment_meta", "boilerplate", "boilerplate", "comment"]


@pytest.mark.parametrize("lang", sorted(_WIDGETS))
def test_teaser_listing_with_counts_in_other_languages(lang: str) -> None:
    # Teasers the model takes for comments, each over its comment count.
    _, _, many, few = _WIDGETS[lang]
    texts = ["Der neue Tarif", "Ab März fahren die Busse öfter.", many]
    texts += ["Mehr Radwege", "Die Stadt baut zwei neue Radwege.", few]
    labels = ["boilerplate", "comment", "boilerplate"] * 2
    assert comment_fixes.teaser_listing(texts, labels)
    # One count, twice, is no listing.
    assert not comment_fixes.teaser_listing([*texts[:5], many], labels)


@pytest.mark.parametrize(
    ("many", "few"),
    [
        ("1.234 Kommentare", "12 Kommentare"),
        ("1 234 комментария", "3 комментария"),
        ("1,204 comments", "3 comments"),
        ("12 Antworten", "3 Antworten"),
        ("12 réponses", "1 réponse"),
        ("12 respuestas", "3 respuestas"),
        ("12 risposte", "3 risposte"),
        ("12 antwoorden", "3 antwoorden"),
        ("12 respostas", "3 respostas"),
        ("12 ответов", "3 ответа"),
    ],
)
def test_teaser_counts_with_thousands_and_replies(many: str, few: str) -> None:
    texts = ["Der neue Tarif", "Ab März fahren die Busse öfter.", many]
    texts += ["Mehr Radwege", "Die Stadt baut zwei neue Radwege.", few]
    labels = ["boilerplate", "comment", "boilerplate"] * 2
    assert comment_fixes.teaser_listing(texts, labels)


def test_sign_in_links_in_other_languages() -> None:
    for line in (
        "Anmelden",
        "Se connecter",
        "Iniciar sesión",
        "Accedi",
        "Inloggen",
        "Entrar",
        "Войти",
        "Zaloguj się",
        "Logga in",
        "Giriş yap",
        "Masuk",
        # A long line beside the word for "comment".
        "Bitte melde dich an oder registrieren dich kostenlos, um einen Kommentar zu schreiben.",
    ):
        assert comment_fixes.section_chrome(line), line
    for line in (
        "Ich musste mich gestern dreimal anmelden, bevor ich den Artikel lesen konnte.",
        "Я не могу войти в свой аккаунт уже третий день подряд, помогите пожалуйста.",
    ):
        assert not comment_fixes.section_chrome(line), line


def test_author_of_in_other_languages() -> None:
    lines = {
        "12. März 2021 um 10:15 Uhr · Hans Müller": "Hans Müller",
        "Am Montag, den 12.03.2021 schrieb Petra:": "Petra",
        "Le 4 févr. 2020 à 14 h 05 min, Marie a écrit :": "Marie",
        "Posté par Jean le 3 janvier 2020 à 14:05": "Jean",
        "El 12 de marzo de 2021, Carmen Ruiz escribió:": "Carmen Ruiz",
        "Giovanni Bianchi il 3 settembre 2019 alle ore 10:12": "Giovanni Bianchi",
        "Pieter Bakker op 12 maart 2021 om 10:15 uur": "Pieter Bakker",
        "João Silva em 3 de janeiro de 2020 às 10:05": "João Silva",
        "Иван Петров 12 марта 2021 г. в 10:15": "Иван Петров",
        # Relative times, and case folded the Unicode way.
        "Klaus · vor 3 Stunden": "Klaus",
        "Luc · il y a 2 heures": "Luc",
        "Lucía · hace 3 horas": "Lucía",
        "Paolo · 3 ore fa": "Paolo",
        "Daan · 3 uur geleden": "Daan",
        "Rafael · há 3 horas": "Rafael",
        "Сергей · 3 ЧАСА НАЗАД": "Сергей",
        "ANNA · 12. MÄRZ 2021": "ANNA",
        "Hans · gestern": "Hans",
        # A widget's buttons are no part of the name.
        "Hans · Melden": "Hans",
        "Marie · Signaler · Partager": "Marie",
        "Carmen · Me gusta": "Carmen",
        "Иван · Пожаловаться": "Иван",
        "Jan Kowalski · 3 godziny temu": "Jan Kowalski",
        "Karin skrev:": "Karin",
        "Ayşe · dün": "Ayşe",
        "Budi Santoso pada 12 Maret 2021 pukul 10.15 WIB": "Budi Santoso",
        "Siti · Balas": "Siti",
        # Names that are words of the new lists too stay the commenter's.
        "Dedi Kurniawan · 3 jam yang lalu": "Dedi Kurniawan",
        "Maj Sjöwall 12 mars 2021": "Maj Sjöwall",
        "Del Shannon · 3 timer siden": "Del Shannon",
        "Mai Linh · 3 timer siden": "Mai Linh",
        # Words that are English names too stay the commenter's.
        "Kiki Le 3 Mar 2012": "Kiki Le",
        "Juan Domingo 12 Mar 2012": "Juan Domingo",
        "Andrew Ayer 3 days ago": "Andrew Ayer",
        # A reply button that is an English word too ("Responder"), after a
        # date and the name; without a date it may be a name ("First Responder").
        "12 marzo, 2021 a las 10:15 Carmen Ruiz Responder": "Carmen Ruiz",
        "First Responder": "First Responder",
        "First Responder · 3 days ago": "First Responder",
    }
    for line, name in lines.items():
        assert authors.author_of([line]) == name, line
    assert authors.author_of(["12. März 2021 um 10:15 Uhr"]) is None
    for line in ("Petra schrieb:", "Jean a écrit :", "Juan dice:", "Ольга написала:"):
        assert authors.author_line(line), line
    # Without its colon a foreign verb ends a sentence ("Roll the dice").
    for line in ("Roll the dice", "C'est ce qu'il dit", "Slice and dice · 3 days ago"):
        assert not authors.author_line(line), line
    assert authors.author_of(["Slice and dice · 3 days ago"]) == "Slice and dice"


def test_day_dates_in_other_languages() -> None:
    dates = [
        "12. März 2021",
        "3 janvier 2020 à 14:05",
        "1er août 2020",
        "12 de marzo de 2021",
        "3 settembre 2019 alle 10:12",
        "12 maart 2021 om 10:15",
        "3 de janeiro de 2020 às 10:05",
        "12 марта 2021 в 10:15",
        "vor 3 Stunden",
        "il y a 2 heures",
        "hace 3 horas",
        "3 ore fa",
        "3 uur geleden",
        "há 3 horas",
        "3 часа назад",
        "um 10 Uhr",
        "à 14h05",
        "12 marca 2021 o 10:15",
        "3 godziny temu",
        "12 mars 2021 kl. 10:15",
        "för 3 timmar sedan",
        "12 Mart 2021 saat 10:15",
        "3 saat önce",
        "12 Maret 2021 pukul 10.15 WIB",
        "3 jam yang lalu",
        "12 березня 2021 о 10:15",
        "3 години тому",
        "12. března 2021 v 10:15",
        "před 3 hodinami",
        "12. marts 2021 kl. 10:15",
        "3 timer siden",
    ]
    for line in dates:
        assert rules.DAY_DATE.search(line), line
        assert authors.meta_like(line), line
    # Foreign month abbreviations that are English words, a postcode, a list.
    for line in ("4x USB3.2 Gen1 (5 Gbps) ports", "we won 3 out of 5", "NG1 1HS", "51. Avril"):
        assert not rules.DAY_DATE.search(line), line


def test_a_question_or_exclamation_with_a_date_is_comment_text() -> None:
    # A comment's date line asks nothing: "So Sept 10th is New Years day?" is
    # the text of the comment above it, so the next author heads the next one.
    assert authors.meta_like("Sept 10th, 2011 at 9:12 pm")
    for line in ("So Sept 10th is New Years day?", "See you on May 3rd!", "Born 11/6/12?! "):
        assert rules.DAY_DATE.search(line) and not authors.meta_like(line), line
    body = "So Sept 10th is New Years day?"
    texts = [ARTICLE, "3 Comments", "7. (arYse) - 30 August, 2011", body, "Reply"]
    texts += ["8. jenikcarlarl - 30 August, 2011", "We love the Away fans!", "Reply"]
    labels = ["main", "boilerplate", "comment_meta", "comment", "boilerplate"]
    labels += ["comment_meta", "comment", "boilerplate"]
    assert comments.comment_section(texts, labels)
    assert labels[3] == labels[6] == "comment"


# Words of dates with and without digits, in the cases that count and not.
_DATE_TOKENS = ("3", "\U0001d7d1", "12.", "März", "2021", "vor", "Stunden", "heute", "gestern")
_DATE_TOKENS += ("Hoy", "hoy", "ayer", "Juan", "today", ":", "15", "x", "am", "Montag,", "den")
_DATE_TOKENS += ("le", "Le", "il", "y", "a", "las", "10:15", "de", "marzo", "févr.", "ore", "fa")

# DATE_RE without its cheap tests of where a foreign date may begin.
_DATE_UNSCREENED = re.compile(
    rules.DATE_RE.pattern.replace(lexicon._NEAR_DIGIT, "").replace(lexicon._AT_DIGIT, ""),
    re.IGNORECASE,
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_DATE_TOKENS), max_size=8).map(" ".join))
def test_date_screens_change_nothing(line: str) -> None:
    # has_date looks only for "today" and the like in a line without a digit;
    # DATE_RE tries the foreign dates that begin with a word only within three
    # words of a digit.
    assert rules.has_date(line) == (rules.DATE_RE.search(line) is not None)
    spans = [m.span() for m in rules.DATE_RE.finditer(line)]
    assert spans == [m.span() for m in _DATE_UNSCREENED.finditer(line)]


def test_a_comment_with_a_year_is_no_date_line() -> None:
    para = ARTICLE
    texts = [
        para,
        "2 Comments",
        "Dave_69 · 3 days ago",
        "We moved here in 2018 and things changed.",
    ]
    labels = ["main", "boilerplate", "comment_meta", "comment"]
    assert comments.comment_section(texts, labels)
    assert labels[2:] == ["comment_meta", "comment"]


def test_a_post_under_its_byline_is_no_comment() -> None:
    # A blog post with its byline and date right under the headline reads like
    # a first comment; with no other article text on the page, it is the post.
    body = "Thanks to all developers who helped us test the release and reported issues."
    texts = [
        "Blog home",
        "GWT 2.5 Final is here!",
        "Posted by Bhaskar Janakiraman - Friday, October 26, 2012 at 5:15:00 PM",
        body,
        "1 comment:",
        "Carl said...",
        "Thank you, team! When will it be available through the update site?",
    ]
    labels = ["boilerplate", "title", "comment_meta", "comment", "boilerplate"]
    labels += ["comment_meta", "comment"]
    comment_fixes.post_under_title(texts, labels, 1)
    assert labels[2:4] == ["main", "main"]
    assert labels[5:] == ["comment_meta", "comment"]
    # A comment's author line is no byline; nor does a page with an article
    # of its own lose its first comment.
    texts[2] = "Jean"
    labels = ["boilerplate", "title", "comment_meta", "comment", "boilerplate"]
    labels += ["comment_meta", "comment"]
    comment_fixes.post_under_title(texts, labels, 1)
    assert labels[2:4] == ["comment_meta", "comment"]
    texts[2] = "by Jean on July 3, 2012"
    texts[0] = "The article itself, in a paragraph long enough to count as one. " * 4
    labels = ["main", "title", "comment_meta", "comment", "boilerplate"]
    labels += ["comment_meta", "comment"]
    comment_fixes.post_under_title(texts, labels, 1)
    assert labels[2:4] == ["comment_meta", "comment"]


def test_scored_thread() -> None:
    texts = [
        "An anonymous reader writes: the story of the day, in a paragraph of text.",
        "Comments Filter:",
        "iSore? (Score:1, Insightful)",
        "by Anonymous Coward writes:",
        "I don't know, it looks more like an iSore to me.",
        "Reply to This Share",
        "Re: (Score:2)",
        "by gfxguy (98788) writes:",
        "No joke.",
        "Related Links Top of the: day, week, month.",
    ]
    labels = ["comment", "boilerplate", "boilerplate", "main", "main"]
    labels += ["boilerplate", "boilerplate", "boilerplate", "comment", "boilerplate"]
    hits = [i for i, t in enumerate(texts) if "Score:" in t]
    assert comment_fixes.scored_thread(texts, labels, hits)
    assert labels == [
        "main",
        "boilerplate",
        "comment_meta",
        "comment_meta",
        "comment",
        "boilerplate",
        "comment_meta",
        "comment_meta",
        "comment",
        "boilerplate",
    ]
    assert authors.author_of(texts[6:8]) == "gfxguy"
    # One scored line is no thread.
    labels = ["main"] * 3
    assert not comment_fixes.scored_thread(texts[:3], labels, [2])
    assert labels == ["main"] * 3


def test_comment_lines_inside_the_article_are_main() -> None:
    para = "A paragraph of the article with enough words to be one, and then some."
    texts = [para, "A bullet the model took for a comment.", "Click for larger image", para]
    texts += ["Posted by Ann on 8/09/2012 12:13:00 PM", "First!"]
    labels = ["main", "comment", "caption", "main", "comment_meta", "comment"]
    comment_fixes.comments_inside_article(texts, labels)
    assert labels == ["main", "main", "caption", "main", "comment_meta", "comment"]
    # Below the first comment_meta line, or with only a short line below, it stays.
    labels = ["main", "comment", "boilerplate", "main"]
    comment_fixes.comments_inside_article(["x y z"] * 3 + ["Short line"], labels)
    assert labels == ["main", "comment", "boilerplate", "main"]


def test_comment_widget_furniture() -> None:
    texts = [
        "Loading comments...",
        "just now posted just now",
        "0 : Like Reply Flag as Offensive Edit Delete",
        "Loading...",
        "I like this reply, and I'd share it.",
    ]
    labels = ["boilerplate", "comment", "comment", "comment", "comment"]
    comment_fixes.comment_furniture(texts, labels)
    assert labels == ["boilerplate", "comment_meta", "boilerplate", "boilerplate", "comment"]


def test_teaser_listing() -> None:
    texts = [
        "by biedergb 10 days ago",
        "27 comments",
        "Nationals fan with questions about the outfield",
        "by chubias 6 months ago",
        "49 comments",
    ]
    labels = ["comment_meta", "boilerplate", "comment", "comment_meta", "boilerplate"]
    assert comment_fixes.teaser_listing(texts, labels)
    # The article's own count, shown twice, is no listing.
    texts[4] = "27 comments"
    assert not comment_fixes.teaser_listing(texts, labels)


@pytest.mark.parametrize(
    "head",
    ["{ 131 comments }", "{ 1 comment… read it below or add one }", "3 Comments, Comment or Ping"],
)
def test_counted_comment_headings(head: str) -> None:
    assert comments.is_comment_heading(head)


def test_bare_comment_heading_needs_a_date_or_vote_below() -> None:
    para = ARTICLE
    texts = [
        para,
        "Comments",
        "Oh no it wouldn't, and here is why I think so.",
        "Posted by: dearieme",
    ]
    texts += ["| August 08, 2012 at 07:16 AM", "Verify your Comment"]
    labels = ["main", "boilerplate", "main", "boilerplate", "boilerplate", "boilerplate"]
    assert comments.comment_section(texts, labels)
    assert labels[2] == "comment" and labels[-1] == "boilerplate"
    # No date or vote line under it: a "Comments" link, not a section.
    texts[4] = "Share this"
    labels = ["main", "boilerplate", "main", "boilerplate", "boilerplate", "boilerplate"]
    assert not comments.comment_section(texts, labels)
    # A row of tabs ("Popular", "Comments", "Tags") is no heading either.
    texts = [para, "Popular", "Comments", "Tags", "Great post, thanks. July 31, 2012"]
    labels = ["main", "boilerplate", "boilerplate", "boilerplate", "main"]
    assert not comments.comment_section(texts, labels)


def test_fill_doubts() -> None:
    labels = ["main", "boilerplate", "boilerplate", "main", "boilerplate", "boilerplate"]
    rules.fill_doubts(labels, [1, 2, 5])
    # Line 5 has no main line below it.
    assert labels == ["main", "main", "main", "main", "boilerplate", "boilerplate"]
    with pytest.raises(ConfigError, match="span_prob"):
        Segment(span_prob=0.0)


def test_forum_thread() -> None:
    texts = ["Posted by Barbara", "4931 posts", "Hi all", "Posted by Lola", "Posts: 12"]
    assert not comment_fixes.forum_thread(texts)
    assert comment_fixes.forum_thread([*texts, "17,612 posts"])


def test_page_title_line_names_the_headline() -> None:
    texts = [
        "Bridge to reopen after repairs - The Valley Post",
        "Home | News | Sport",
        "Bridge to reopen after repairs",
        "By Ann Lee",
        "The old bridge over the river will reopen on Monday after six months of repairs.",
    ]
    keys = [rules.norm_key(t) for t in texts]
    labels = ["boilerplate", "boilerplate", "main", "main", "main"]
    assert headline.page_title_line(texts, keys, labels) == 2
    # A first line that names no other line, or a comment's line, names nothing.
    assert headline.page_title_line(texts[1:], keys[1:], labels[1:]) is None
    assert headline.page_title_line(texts, keys, [*labels[:2], "comment", *labels[3:]]) is None


def test_site_title_head() -> None:
    keys = ["bridge to reopen after repairs", "home"]
    assert headline.site_title_head("bridge to reopen after repairs | valley post", keys) == keys[0]
    assert headline.site_title_head("valley post - bridge to reopen after repairs", keys) is None
    assert headline.site_title_head("bridge to reopen after repairs", keys) is None


def test_headline_candidates_skip_menus_bylines_and_pagers() -> None:
    texts = [
        "Log in | Register",
        "Page 1 of 3",
        "Storm closes schools across the county",
        "By Ann Lee",
        "March 3, 2024 at 10:15",
        "Schools across the county closed on Monday as the storm brought snow and ice to roads.",
    ]
    labels = ["main"] * len(texts)
    probs = np.zeros((len(texts), 5))
    probs[:, 1] = 1.0
    keys = [rules.norm_key(t) for t in texts]
    cands, clues = headline.headline_candidates(texts, labels, probs, keys)
    assert cands == [2]
    weights = SegmentModel().headline_weights
    assert clues.shape == (1, len(headline.HEADLINE_NAMES)) == (1, len(weights))
    names = dict(zip(headline.HEADLINE_NAMES, clues[0].tolist(), strict=True))
    assert names["above_meta"] == 1.0 and names["lede_overlap"] > 0.5
    # "closes" is in no other main line; its own line does not count.
    assert names["main_words"] == pytest.approx(0.8)


def test_headline_candidates_take_title_lines_far_from_the_article() -> None:
    # A headline above a long run of chrome (a product page's menu) is outside
    # the window above the first paragraph; the model's title probability
    # still makes it a candidate, measured from the paragraph.
    texts = ["Ridge Wallet", *[f"Menu item {k}" for k in range(20)]]
    texts.append("The wallet holds twelve cards in an aluminium frame and weighs little.")
    labels = ["boilerplate"] * 21 + ["main"]
    probs = np.zeros((len(texts), 5))
    probs[:, 2] = 1.0
    keys = [rules.norm_key(t) for t in texts]
    cands, clues = headline.headline_candidates(texts, labels, probs, keys)
    assert 0 not in cands
    probs[0] = [headline.TITLE_PROB, 0.0, 1 - headline.TITLE_PROB, 0.0, 0.0]
    cands, clues = headline.headline_candidates(texts, labels, probs, keys)
    assert 0 in cands
    row = dict(zip(headline.HEADLINE_NAMES, clues[cands.index(0)].tolist(), strict=True))
    assert row["near"] == pytest.approx(1 / 22) and row["p_title"] == headline.TITLE_PROB
    # Not a comment, nor a sentence.
    labels[0] = "comment"
    assert 0 not in headline.headline_candidates(texts, labels, probs, keys)[0]
    labels[0], texts[0] = "boilerplate", "Ridge Wallet."
    keys[0] = rules.norm_key(texts[0])
    assert 0 not in headline.headline_candidates(texts, labels, probs, keys)[0]


def test_url_words_are_the_address_path_and_query() -> None:
    url = "https://www.valley-post.com/2025/09/04/storm-closes-schools.html?ref=Home_Page"
    assert headline.url_words(url) == {"2025", "storm", "closes", "schools", "ref", "home", "page"}
    # Percent-encoded words are decoded; the host is never read.
    assert headline.url_words("http://новости.рф/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8") == {
        "новости"
    }
    assert headline.url_words("https://example.com") == frozenset()
    for bad in (None, "", "http://[::1", "%zz%", "no scheme/just path"):
        headline.url_words(bad)  # any string, or None, without an error


def test_url_name_is_the_one_word_of_the_last_path_segment() -> None:
    assert headline.url_name("https://kubernetes.io/docs/concepts/workloads/pods/") == "pods"
    assert headline.url_name("https://example.org/book/01_introduction.html?x=1#top") == (
        "introduction"
    )
    assert headline.url_name("http://x.рф/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8") == "новости"
    # Several words, digits alone, or no path: no name.
    for url in ("https://a.com/sql-select.html", "https://a.com/2025/", "https://a.com/", "ab"):
        assert headline.url_name(url) == ""
    for bad in (None, "", "http://[::1", "%zz%", "/"):
        assert headline.url_name(bad) == ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab1_-./?#%:é", "http://", "2F", "%D0", "%BD", "html"])).map("".join)
)
def test_url_name_is_one_of_the_address_words(url: str) -> None:
    name = headline.url_name(url)
    assert name == "" or (name in headline.url_words(url) and not name.isdigit())


def test_headline_candidates_take_the_one_word_the_address_names() -> None:
    # A documentation page named by one word, far above its text.
    texts = ["Docs", "Pods", "Pods and nodes"]
    texts += [f"Menu item {k}" for k in range(20)]
    texts += ["Nodes", "A Pod is a group of one or more containers, with shared storage."]
    labels = ["boilerplate"] * (len(texts) - 1) + ["main"]
    probs = np.zeros((len(texts), 5))
    probs[:, 2] = 1.0
    keys = [rules.norm_key(t) for t in texts]
    url = "https://kubernetes.io/docs/concepts/workloads/pods/"
    words = headline.url_words(url)
    assert 1 not in headline.headline_candidates(texts, labels, probs, keys, url=words)[0]
    cands, clues = headline.headline_candidates(
        texts, labels, probs, keys, url=words, url_name=headline.url_name(url)
    )
    # Only the line that is the name alone; other one-word lines stay out.
    assert 1 in cands and 0 not in cands and len(texts) - 2 not in cands
    row = dict(zip(headline.HEADLINE_NAMES, clues[cands.index(1)].tolist(), strict=True))
    assert row["url_words"] == 1.0 and row["words"] == pytest.approx(1 / 30)


def test_headline_candidates_take_lines_the_address_names() -> None:
    # A product's name above a long menu: far from the description, and the
    # model gives it no title probability; the page's address names it.
    texts = ["Ridge Wallet Aluminum", "Ridge Wallet Reviews And More Wallets Here"]
    texts += [f"Menu item {k}" for k in range(20)]
    texts.append("The wallet holds twelve cards in an aluminium frame and weighs little.")
    labels = ["boilerplate"] * 22 + ["main"]
    probs = np.zeros((len(texts), 5))
    probs[:, 2] = 1.0
    keys = [rules.norm_key(t) for t in texts]
    assert 0 not in headline.headline_candidates(texts, labels, probs, keys)[0]
    url = headline.url_words("https://ridge.com/products/ridge-wallet-aluminum")
    cands, clues = headline.headline_candidates(texts, labels, probs, keys, url=url)
    # (Line 1 holds the address's words, but they are under half of its own.)
    assert 0 in cands and 1 not in cands
    col = headline.HEADLINE_NAMES.index("url_words")
    assert clues[cands.index(0), col] == 1.0
    assert not headline.headline_candidates(texts, labels, probs, keys)[1][:, col].any()


def test_headline_clue_main_words_tells_a_headline_from_a_button() -> None:
    texts = [
        "Get a Demo",
        "Storm closes schools",
        "Schools closed on Monday as the storm brought snow and ice to the roads.",
        "Officials said the roads would reopen by Tuesday once the ploughs had been out.",
    ]
    labels = ["boilerplate", "boilerplate", "main", "main"]
    probs = np.zeros((len(texts), 5))
    keys = [rules.norm_key(t) for t in texts]
    cands, clues = headline.headline_candidates(texts, labels, probs, keys)
    col = headline.HEADLINE_NAMES.index("main_words")
    found = dict(zip(cands, clues[:, col].tolist(), strict=True))
    assert found == {0: 0.0, 1: pytest.approx(2 / 3)}


def test_headline_leaves_text_with_site_suffix_copies(step: Segment) -> None:
    head = "Storm closes schools across the county"
    text = "\n".join(
        [
            f"{head} - The Valley Post",
            "Home | News | Sport | Weather",
            head,
            "By Ann Lee",
            "Schools across the county closed on Monday as the storm brought snow and ice "
            "to the roads, the council said in a statement.",
            "Parents were told to check the council's website for updates before Tuesday, "
            "when officials expect most schools to open again.",
            f"{head} | The Valley Post",
        ]
    )
    doc = run(step, text)
    assert doc.title == head
    assert head not in doc.text
    assert "Valley Post" not in doc.text
    assert zone_of(doc, f"{head} | The Valley Post") in ("duplicate", "boilerplate")


def _far_headline_page() -> tuple[str, str]:
    """A headline and a page where it sits far above the article, out of the
    ranker's reach (16 menu lines between)."""
    head = "Council votes to reopen the old bridge"
    menu = [f"Section {i} news" for i in range(16)]
    body = [
        "The council voted on Tuesday to reopen the old bridge to cars after two years of "
        "repairs, the mayor said in a statement to reporters.",
        "Engineers found the supports sound last month, and the work on the road surface "
        "will be finished before the end of the summer.",
    ]
    return head, "\n".join(["The Valley Post", head, *menu, *body])


def test_headline_named_by_the_html_title_in_meta(step: Segment) -> None:
    # A WARC page: the <title> is in meta, not in the text.
    head, text = _far_headline_page()
    plain = run(step, text)
    assert plain.title != head
    doc = Document(id="t", text=text, meta={"html_title": f"{head} | The Valley Post"})
    step.process(doc)
    assert doc.title == head
    assert head not in doc.text
    # A title with no site separator may be the site's name alone: no rule.
    doc = Document(id="t", text=text, meta={"html_title": "The Valley Post"})
    step.process(doc)
    assert doc.title == plain.title
    assert headline.titled_line(rules.norm_key(head), [rules.norm_key(head)], ["main"]) is None


def test_headline_named_by_the_address_in_meta(step: Segment) -> None:
    # The same page with its address (WARC-Target-URI, a JSONL record's
    # "url"): the slug names the headline far above the article.
    head, text = _far_headline_page()
    plain = run(step, text)
    assert plain.title != head
    url = "https://valleypost.com/news/2024/05/council-votes-to-reopen-the-old-bridge"
    doc = Document(id="t", text=text, meta={"url": url})
    step.process(doc)
    assert doc.title == head
    assert head not in doc.text
    # An address that names no line, or is no string, changes nothing.
    for url in ("https://valleypost.com/article/12345.html", 5):
        doc = Document(id="t", text=text, meta={"url": url})
        step.process(doc)
        assert doc.title == plain.title and doc.zones == plain.zones


def test_one_word_headline_named_by_the_address_in_meta(step: Segment) -> None:
    # A documentation page whose headline is one word, which only its
    # address says: without it, a two-word line is the title.
    text = "\n".join(
        [
            "Docs home",
            "Quickstart",
            "A Minimal Application",
            "A minimal Flask application looks something like this, in a file of its own "
            "that you can run from the command line.",
            "So what did that code do? First we imported the Flask class, and an instance "
            "of this class will be our application.",
        ]
    )
    plain = run(step, text)
    assert plain.title != "Quickstart"
    doc = Document(
        id="t", text=text, meta={"url": "https://flask.palletsprojects.com/en/stable/quickstart/"}
    )
    step.process(doc)
    assert doc.title == "Quickstart"
    assert "Quickstart" not in doc.text


def test_stray_blocks_below_the_article() -> None:
    article = "A paragraph of the article that runs on for quite a few words here."
    texts = [article] * 6 + ["Menu", "Sign in", "Related", "Read this other story now"]
    labels = ["main"] * 6 + ["boilerplate"] * 3 + ["main"]
    rules.stray_blocks(texts, labels, gap=2, share=0.1)
    assert labels[-1] == "boilerplate" and labels[:6] == ["main"] * 6
    # Above the article: an intro is left alone.
    labels = ["main"] + ["boilerplate"] * 3 + ["main"] * 6
    rules.stray_blocks(texts[-1:] + texts[6:9] + texts[:6], labels, gap=2, share=0.1)
    assert labels[0] == "main"


def test_bylines_below_the_headline() -> None:
    texts = ["Storm closes schools", "By Ann Lee", "Updated 3 March 2024, 10:15", "Schools closed."]
    labels = ["title", "main", "main", "main"]
    rules.bylines(texts, labels, 0, 3)
    assert labels == ["title", "boilerplate", "boilerplate", "main"]


def test_round4_settings_validated() -> None:
    with pytest.raises(ConfigError, match="stray_gap"):
        Segment(stray_gap=0)
    with pytest.raises(ConfigError, match="stray_share"):
        Segment(stray_share=1.5)
    with pytest.raises(ConfigError, match="byline_window"):
        Segment(byline_window=0)
    assert Segment(stray_gap=None, byline_window=None).stray_gap is None


def test_pick_headline_is_the_argmax_of_all_candidates() -> None:
    texts = [
        "Log in | Register",
        "Weather",
        "Storm closes schools across the county",
        "Roads blocked by snow in three towns",
        "By Ann Lee",
        "March 3, 2024 at 10:15",
        "Schools across the county closed on Monday as the storm brought snow and ice to roads.",
        "Officials said most roads would reopen by Tuesday once the snow ploughs had been out.",
    ]
    keys = rules.norm_keys(texts)
    assert keys == [rules.norm_key(t) for t in texts]
    labels = ["boilerplate", "boilerplate", "main", "main", "main", "main", "main", "main"]
    rng = np.random.default_rng(0)
    addresses = ("", "/news/roads-blocked-by-snow", "/article/12345.html", "/topics/weather/")
    col = headline.HEADLINE_NAMES.index("url_words")
    for k in range(40):
        probs = rng.dirichlet(np.ones(5), size=len(texts))
        weights = rng.normal(size=len(headline.HEADLINE_NAMES))
        url_weights = rng.normal(size=len(headline.HEADLINE_NAMES))
        url = "https://valley-post.com" + addresses[k % 4]
        words, name = headline.url_words(url), headline.url_name(url)
        cands, clues = headline.headline_candidates(
            texts, labels, probs, keys, url=words, url_name=name
        )
        picked = headline.pick_headline(
            texts,
            labels,
            probs,
            keys,
            weights=weights,
            url=words,
            url_name=name,
            url_weights=url_weights,
        )
        # The address's weights where it names a candidate (the second
        # address, and the last: "Weather" alone).
        assert clues[:, col].any() == (k % 4 in (1, 3))
        assert (1 in cands) == (k % 4 == 3)
        if clues[:, col].any():
            weights = url_weights
        scores = clues @ weights
        assert picked is not None
        assert picked[0] == cands[int(np.argmax(scores))]
        assert picked[1] == pytest.approx(float(scores.max()))


# The fast paths give what the plain per-token / per-line code gives.
_TRICKY = st.lists(
    st.sampled_from(
        [
            *"ab _-:\n\t(",
            *("Share", "sign", " in", "İ", "ß", "Σ", "\U0001d400", "\U0001d7ce", "omment"),
            *("OMMENT", "otify of", "Sort:", "2020", "$ 5", "9:52", "©", "e-mail", "\u00a0"),
            # A lone surrogate (JSON may decode to one).
            "\ud800",
        ]
    ),
    max_size=30,
).map("".join)


def _keyword_ids_reference(lowered: str) -> tuple[list[int], list[int], list[int]]:
    """Every token looked up in the word lists, as one regex pass would."""
    from thresher.segment import features as F

    toks = re.findall(r"\w+|\n", lowered)
    line, ids, pairs = [], [], []
    n_line = 0
    for i, tok in enumerate(toks):
        if tok == "\n":
            n_line += 1
            continue
        code = F._KW1.get(tok, 0)
        pair = F._KW2.get(tok + " " + toks[i + 1], 0) if code & F._PAIR and i + 1 < len(toks) else 0
        if code & ~F._PAIR or pair:
            line.append(n_line)
            ids.append(code & ~F._PAIR)
            pairs.append(pair)
    return line, ids, pairs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TRICKY)
def test_keyword_ids_match_a_lookup_of_every_token(text: str) -> None:
    from thresher.segment import features as F

    lowered = text.lower()
    line, ids, pairs = F._keyword_ids(lowered)
    hit = (ids > 0) | (pairs > 0)
    assert (line[hit].tolist(), ids[hit].tolist(), pairs[hit].tolist()) == (
        _keyword_ids_reference(lowered)
    )


@pytest.mark.parametrize("compiled", [True, False])
def test_lone_surrogates_segment(
    monkeypatch: pytest.MonkeyPatch, step: Segment, compiled: bool
) -> None:
    # A lone surrogate (Python's json decodes "\\ud800" to one) had crashed
    # the step's UTF-32 views of the text; with the compiled scans and without.
    from thresher.segment import features as F

    if not compiled:
        monkeypatch.setattr(F, "_segfeat", None)
    text = NEWS.replace("record flood", "record \ud83d flood", 1) + "\n\udfff Foto: \ud800"
    doc = run(step, text)
    assert doc.title == HEADLINE.replace("record flood", "record \ud83d flood")
    assert "\ud83d" not in doc.text and doc.removed is None


needs_segfeat = pytest.mark.skipif(
    __import__("thresher.segment.features").segment.features._segfeat is None,
    reason="thresher._segfeat is not built",
)


@needs_segfeat
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TRICKY)
def test_compiled_line_stats_match_numpy(text: str) -> None:
    from thresher.segment import features as F

    lines = F.split_lines(text)
    if not lines.texts:
        return
    joined = "\n".join(lines.texts)
    got = F.line_stats(joined, len(lines.texts))
    assert got.tolist() == F.line_stats_numpy(joined, len(lines.texts)).tolist()


@needs_segfeat
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TRICKY)
def test_compiled_keyword_tokens_match_numpy(text: str) -> None:
    from thresher.segment import features as F

    assert F._segfeat is not None
    lowered = text.lower()
    packed, folds = F._segfeat.keyword_tokens(lowered, F._scan_table(), F._KW_FILTER)
    rows, numpy_folds = F._keyword_tokens_numpy(lowered)
    assert np.frombuffer(packed, np.int64).reshape(-1, 5).tolist() == rows.tolist()
    assert folds == numpy_folds == any(c.casefold() != c or ord(c) > 0xFFFF for c in lowered)


@needs_segfeat
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["a", "A b", "", "ß", "\U0001d400", "x\u00a0", "b"]), max_size=12))
def test_compiled_line_repeats_match_python(lines: list[str]) -> None:
    from thresher.segment import features as F

    lowered = "\n".join(lines).lower()
    n = lowered.count("\n") + 1
    assert F.line_repeats(lowered, n).tolist() == F.line_repeats_python(lowered, n).tolist()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "  ",
                "\t",
                "\u00a0",
                "\u2003",
                "B",
                "\n",
                "ß",
                "Σ",
                "µ",
                "İ",
                "\u212a",
                "\U0001f600",
            ]
        ),
        max_size=20,
    )
)
def test_norm_keys_from_the_features_counts_are_norm_keys(chars: list[str]) -> None:
    from thresher.segment import features as F

    text = "".join(chars)
    lines = F.split_lines(text)
    odd = np.zeros(len(lines.texts), np.bool_)
    lowered: list[str] = []
    F.features_stacked([text], [lines], odd_spaces=odd, lowered=lowered)
    want = [rules.norm_key(t) for t in lines.texts]
    assert rules.norm_keys(lines.texts, np.flatnonzero(odd).tolist()) == want
    assert rules.norm_keys(lines.texts, np.flatnonzero(odd).tolist(), lowered[0]) == want


@needs_segfeat
def test_compiled_line_stats_check_their_buffers() -> None:
    from thresher import _segfeat
    from thresher.segment import features as F

    with pytest.raises(ValueError, match="out"):
        _segfeat.line_stats("a\nb", F._char_table(), np.zeros((1, F.STAT_COLS), np.int64))
    with pytest.raises(ValueError, match="classes"):
        _segfeat.line_stats("a", np.zeros(10, np.uint8), np.zeros((1, F.STAT_COLS), np.int64))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["So", "sO", "Ta", "p", "İ", "ſ", "K", "(", "Pic", "EPA", "x", "\U0001d400"]
        ),
        max_size=6,
    ).map("".join)
)
def test_caption_prefix_screen_lets_every_prefixed_line_through(line: str) -> None:
    from thresher.segment import features as F
    from thresher.steps.segment import _may_start_with

    text = "intro\n" + line + "\n" + line[:1] + "\nend"
    lines = F.split_lines(text)
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    may = _may_start_with(cp, lines.starts, rules.CAPTION_PREFIXES)
    for i, t in enumerate(lines.texts):
        if t[:6].lower().startswith(rules.CAPTION_PREFIXES):
            assert may[i], t


def test_zones_are_runs_of_one_label_covering_the_text(step: Segment) -> None:
    doc = run(step, NEWS)
    assert doc.zones is not None and doc.original is not None
    assert doc.zones[0][0] == 0 and doc.zones[-1][1] == len(doc.original)
    for (_, end, label), (start, _, nxt) in itertools.pairwise(doc.zones):
        assert end == start and label != nxt


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["news", "home > news", "world news", "a b", "news x", "home > world news"]
        ),
        min_size=1,
        max_size=40,
    )
)
def test_headline_scan_counts_crumb_ends_as_crumb_end_does(keys: list[str]) -> None:
    labels = ["main"] * len(keys)
    probs = np.full((len(keys), 5), 0.2)
    scan = headline._HeadlineScan(keys, labels, probs, keys, None)
    for i in scan.pool:
        assert scan.crumb_end(i) == headline.crumb_end(keys, i)


def test_headline_scan_finds_a_breadcrumb_end() -> None:
    keys = ["home > world news", "a b", "world news"]
    scan = headline._HeadlineScan(keys, ["main"] * 3, np.full((3, 5), 0.2), keys, None)
    assert scan.pool == [0, 1, 2]
    assert scan.crumb_end(2) and headline.crumb_end(keys, 2) and not scan.crumb_end(1)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["By ", "Jan ", "3", "\U0001d7d1", ":", "15", "min ", "read", "ago", "x ", "pts"]
        ),
        max_size=8,
    ).map("".join)
)
def test_meta_line_digit_screen_changes_nothing(line: str) -> None:
    words = line.split()
    plain = (
        bool(words)
        and len(words) <= 16
        and bool(
            rules._BYLINE_ANY.match(line)
            or rules._READ_TIME.search(line)
            or (len(words) <= 12 and rules.DAY_DATE.search(line))
        )
    )
    assert rules.meta_line(line) == plain
    meta_like = (
        len(words) <= authors.META_MAX_WORDS
        and bool(
            rules.DAY_DATE.search(line)
            or authors.VOTE_RE.match(line)
            or authors._SCORE.search(line)
        )
        and rules.POST_FOOTER.search(line) is None
    )
    assert authors.meta_like(line) == meta_like


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["main", "boilerplate", "comment"]), st.integers(1, 15))))
def test_fill_gaps_is_the_plain_left_to_right_pass(lines: list[tuple[str, int]]) -> None:
    labels = [lab for lab, _ in lines]
    texts = [" ".join(["w"] * k) for _, k in lines]
    want = list(labels)
    for i in range(1, len(want) - 1):
        long = len(texts[i].split()) >= 8
        if want[i] == "boilerplate" and want[i - 1] == want[i + 1] == "main" and long:
            want[i] = "main"
    rules.fill_gaps(texts, labels, 8)
    assert labels == want


# One page's window statistics, written for that page alone (references for
# the stacked versions).


def _prefix_sums(x: np.ndarray) -> np.ndarray:
    """Sums of the first 0..n rows of x (n + 1 rows): one page's prefix sums,
    the plain definition behind ``Stack``'s windows."""
    c = np.zeros((x.shape[0] + 1, *x.shape[1:]))
    np.cumsum(x, axis=0, out=c[1:])
    return c


def _window_mean(x: np.ndarray, w: int, c: np.ndarray | None = None) -> np.ndarray:
    """Mean of x over [i-w, i+w] (clipped at the edges), for each column of x
    (``c``: ``prefix_sums(x)`` when at hand)."""
    n = x.shape[0]
    if c is None:
        c = _prefix_sums(x)
    idx = np.arange(n)
    lo = np.maximum(idx - w, 0)
    hi = np.minimum(idx + (w + 1), n)
    cnt = (hi - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (c[hi] - c[lo]) / cnt


def _directed_mean(
    x: np.ndarray, w: int, *, forward: bool, c: np.ndarray | None = None
) -> np.ndarray:
    """Mean of x over the next w lines (forward) or the previous w lines, the line
    itself excluded (0 where there are none; ``c``: ``prefix_sums(x)`` when at hand)."""
    n = x.shape[0]
    if c is None:
        c = _prefix_sums(x)
    idx = np.arange(n)
    if forward:
        lo, hi = np.minimum(idx + 1, n), np.minimum(idx + 1 + w, n)
    else:
        lo, hi = np.maximum(idx - w, 0), idx
    cnt = np.maximum(hi - lo, 1).reshape((-1,) + (1,) * (x.ndim - 1))
    return (c[hi] - c[lo]) / cnt


def _shifted(x: np.ndarray, offsets: tuple[int, ...]) -> np.ndarray:
    """Columns of x for the lines at each offset (zeros past the edges)."""
    n = x.shape[0]
    out = np.zeros((n, len(offsets) * x.shape[1]), dtype=x.dtype)
    k = x.shape[1]
    for j, off in enumerate(offsets):
        if off < 0 and n + off > 0:
            out[-off:, j * k : (j + 1) * k] = x[: n + off]
        elif off > 0 and n - off > 0:
            out[: n - off, j * k : (j + 1) * k] = x[off:]
    return out


def _context_probs_reference(p: np.ndarray) -> np.ndarray:
    """One page's pass-2 inputs, written plainly (the definition the shipped
    model was trained with)."""
    from thresher.segment.model import _PROB_OFFSETS, CLASSES

    n, k = p.shape
    near = np.zeros((n, k * len(_PROB_OFFSETS)), dtype=p.dtype)
    for j, off in enumerate(_PROB_OFFSETS):
        for i in range(n):
            if off and 0 <= i + off < n:
                near[i, j * k : (j + 1) * k] = p[i + off]
    pc = _prefix_sums(p)
    csum = np.cumsum(p, axis=0) - p
    before = csum / max(n, 1)
    after = (p.sum(axis=0) - csum - p) / max(n, 1)
    main_i, com_i = CLASSES.index("main"), CLASSES.index("comment")
    likely = [i for i in range(n) if p[i, main_i] >= 0.5]
    inside = [bool(likely) and likely[0] <= i <= likely[-1] for i in range(n)]
    dist = [min((abs(i - j) for j in likely), default=n) for i in range(n)]
    extra = np.stack(
        [
            csum[:, main_i] / max(p[:, main_i].sum(), 1e-6),
            np.maximum.accumulate(p[:, com_i]),
            np.array(inside, dtype=bool),
            np.log1p(np.array(dist, dtype=np.int64)),
        ],
        axis=1,
    )
    return np.hstack(
        [
            near,
            _window_mean(p, 5, pc),
            _window_mean(p, 15, pc),
            before,
            after,
            extra,
            _directed_mean(p, 20, forward=True, c=pc),
            _directed_mean(p, 20, forward=False, c=pc),
        ]
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1), st.floats(0.05, 3.0))
def test_context_probs_match_their_plain_definition(n: int, seed: int, spread: float) -> None:
    from thresher.segment.model import context_probs

    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(5) * spread, size=n).astype(np.float32)
    assert np.array_equal(context_probs(p), _context_probs_reference(p))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TRICKY, max_size=6))
def test_stacked_features_and_context_are_each_page_alone(texts: list[str]) -> None:
    """A page's rows do not depend on the pages stacked with it, to the bit."""
    from thresher.segment import features as F
    from thresher.segment.model import context_probs, context_probs_stacked

    pages = [F.split_lines(t) for t in texts]
    stacked = F.features_stacked(texts, pages)
    alone = [F.features(t, p) for t, p in zip(texts, pages, strict=True)]
    want = np.vstack(alone) if alone else np.zeros((0, F.N_FEATURES), np.float32)
    assert stacked.shape == want.shape
    assert np.array_equal(stacked, want)
    rng = np.random.default_rng(len(stacked))
    probs = [rng.dirichlet(np.ones(5), size=len(p.texts)).astype(np.float32) for p in pages]
    sizes = [len(p.texts) for p in pages]
    flat = np.vstack(probs) if probs else np.zeros((0, 5), np.float32)
    ctx = context_probs_stacked(flat, sizes)
    assert np.array_equal(ctx, np.vstack([context_probs(q) for q in probs] or [ctx]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TRICKY)
def test_heading_lines_match_the_scan_of_the_text(text: str) -> None:
    from thresher.segment import features as F

    lines = F.split_lines(text)
    assert comments.heading_lines(lines.texts, rules.norm_keys(lines.texts)) == (
        comments.heading_candidates(text, lines.starts.tolist())
    )


def test_features_written_into_a_batch_matrix_are_the_same() -> None:
    from thresher.segment import features as F

    pages = [NEWS, "One line.", "", "A\n\nB c d\n e"]
    split = [F.split_lines(t) for t in pages]
    sizes = [len(p.texts) for p in split]
    out = np.full((sum(sizes), F.N_FEATURES), np.nan, np.float32)
    at = 0
    for text, lines, size in zip(pages, split, sizes, strict=True):
        F.features(text, lines, out=out[at : at + size])
        base = F.base_features(text, lines)
        full = np.hstack([base, _shifted(base, F.NEIGHBOURS)])
        assert np.array_equal(out[at : at + size, : full.shape[1]], full.astype(np.float32))
        assert np.array_equal(out[at : at + size], F.features(text, lines))
        at += size


def test_a_model_without_headline_weights_says_how_to_fit_them(tmp_path: Path) -> None:
    for name in ("model.npz", "model.json"):
        (tmp_path / name).write_bytes((MODEL_DIR / name).read_bytes())
    shipped = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    # (A model from before step v14 has no weights for pages with an address.)
    for drop in (("headline_weights", "headline_clues"), ("headline_weights_url",)):
        meta = {k: v for k, v in shipped.items() if k not in drop}
        (tmp_path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
        with pytest.raises(ValueError, match="--headline-weights"):
            SegmentModel(tmp_path)
        # That command loads it without them, to fit them.
        unfitted = SegmentModel(tmp_path, headline=False)
        assert not unfitted.headline_weights.any() and not unfitted.headline_weights_url.any()
        assert len(unfitted.headline_weights_url) == len(headline.HEADLINE_NAMES)


def test_english_months_are_whole_words() -> None:
    # A word that begins like a month is no month: "Marathon 647" and "Decimal
    # 14" had read as dates, and a commenter "Marco 07.16.12" lost his name.
    for line in ("Teen Collapses After 4-Day Xbox Marathon 647", "Mario 3", "14 Decimal Arith."):
        assert not rules.DAY_DATE.search(line), line
        assert not rules.DATE_RE.search(line), line
    for line in ("Sept. 3, 2012", "3rd March", "Jun 4", "on 12 Dec", "November 7th, 2012"):
        assert rules.DAY_DATE.search(line), line
    assert authors.author_of(["Marco 07.16.12 at 01:39"]) == "Marco"
    assert authors.author_of(["Martin 11.06.12 at 1:38 pm"]) == "Martin"


def test_batches_go_to_the_model_in_slices_of_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch is cut into slices of about BATCH_LINES lines (memory grows with
    # the lines the model sees at once); a page's output doesn't depend on its
    # slice, nor on its batch-mates.
    from thresher.steps import segment as S

    pages = [NEWS, *(p.read_text("utf-8") for p in sorted(COMMENT_PAGES.glob("*.txt"))[:5])]
    alone = []
    for text in pages:
        doc = Document(id="a", text=text)
        Segment().process_batch([doc])
        alone.append(doc.to_record(keep_zones=True))
    calls: list[int] = []
    original = S.Segment._segment

    def counted(self: Segment, todo: list[Document]) -> None:
        calls.append(len(todo))
        original(self, todo)

    monkeypatch.setattr(S, "BATCH_LINES", 30)
    monkeypatch.setattr(S.Segment, "_segment", counted)
    docs = [Document(id="a", text=t) for t in pages]
    Segment().process_batch(docs)
    assert len(calls) > 1 and sum(calls) == len(pages)
    assert [d.to_record(keep_zones=True) for d in docs] == alone


def test_documents_over_max_lines_pass_through() -> None:
    # A document of more lines than max_lines (a book, a log) is no page: its
    # text passes on whole as its main zone, with a signal that says so.
    text = "\n".join(f"log line {i}: everything is fine" for i in range(40))
    doc = Document(id="log", text=text)
    Segment(max_lines=30).process_batch([doc, Document(id="page", text=NEWS)])
    assert doc.text == text and doc.removed is None and doc.title is None
    assert doc.zones == [[0, len(text), "main"]] and doc.comments == []
    assert doc.signals["segment_skipped"] == 1 and doc.signals["segment_lines"] == 40
    with pytest.raises(ConfigError, match="max_lines must be >= 1 or null"):
        Segment(max_lines=0)
    assert "segment_skipped" not in run(Segment(), text).signals


def _rejoin_reference(lines: list[str], adjacent: list[bool]) -> list[str]:
    """``rules.rejoin``'s rule written plainly, on the whole joined line."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and adjacent[i - 1] and line[0].islower() and out[-1][-1] not in rules.CLOSED:
            prev = out[-1]
            hyphen = prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha()
            out[-1] = prev[:-1] + line if hyphen else prev + " " + line
        else:
            out.append(line)
    return out


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "x-", "-", "a-", "the end.", "Up", "é", "b c"]), st.booleans()
        ),
        min_size=1,
        max_size=30,
    )
)
def test_rejoin_equals_the_plain_rule(rows: list[tuple[str, bool]]) -> None:
    lines = [line for line, _ in rows]
    adjacent = [adj for _, adj in rows]
    assert rules.rejoin(lines, adjacent) == _rejoin_reference(lines, adjacent)
