from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

import thresher
from thresher.cli.main import main
from thresher.errors import ConfigError
from thresher.steps.registry import available_steps

PAGE = """Support us: $5 $10 $25 Other
City council approves new budget for schools
City council approves new budget for schools
The city council on Tuesday approved a budget that adds money for schools, libraries and parks across the city.
Council members argued for hours about the details before the final vote, which passed by nine votes to four.
The mayor said the plan would be paid for by savings elsewhere, and that no new taxes would be needed this year.
Parents who attended the meeting welcomed the decision and said that the schools had waited a long time for help.
Photo: The council chamber. Click to see full-size image
Notify of
Newest Most Voted
View all comments
jsmith
Finally some good news for our kids. Contact me at jane.doe@example.com if you want to help.
angry_guy 12 votes
You are all idiots and morons, every last one of you.
"""


def test_clean_returns_an_output_record() -> None:
    rec = thresher.clean(PAGE, id="p1", meta={"url": "https://example.org/a"})
    assert set(rec) >= {
        "id",
        "text",
        "title",
        "comments",
        "lang",
        "lang_score",
        "toxicity",
        "signals",
        "pii",
        "meta",
    }
    assert rec["id"] == "p1" and rec["meta"] == {"url": "https://example.org/a"}
    assert rec["lang"] == "en" and 0 <= rec["toxicity"] <= 1
    assert "approved a budget" in rec["text"]
    assert "$5 $10" not in rec["text"] and "Notify of" not in rec["text"]
    assert "gopher_word_count" in rec["signals"] and "segment_lines" in rec["signals"]
    assert rec["title"] == "City council approves new budget for schools"
    assert "City council approves" not in rec["text"]
    authors = [c["author"] for c in rec["comments"]]
    assert authors == ["jsmith", "angry_guy"]
    nice, nasty = rec["comments"]
    assert nasty["toxicity"] > nice["toxicity"] and nasty["toxic"] and not nice["toxic"]
    assert "<EMAIL>" in nice["text"] and rec["pii"] == {"email": 1}
    assert "idiots" not in rec["text"]


def test_clean_keep_zones_needs_segment() -> None:
    # It had returned a record without zones.
    with pytest.raises(ConfigError, match="keep_zones needs the segment step"):
        thresher.clean(PAGE, only=["language"], keep_zones=True)
    assert thresher.clean(PAGE, only=["segment"], keep_zones=True)["zones"]


def test_clean_only_language() -> None:
    rec = thresher.clean(
        "Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen.", only=["language"]
    )
    assert rec["lang"] == "de" and rec["title"] is None


def test_default_pipeline_end_to_end(tmp_path: Path) -> None:
    from thresher.demo import iter_records

    news = [
        r for r in iter_records(120, seed=3) if r["kind"] == "news" and not r["truth"]["dup_of"]
    ]
    lines = [orjson.dumps({"id": r["id"], "text": r["text"]}) for r in news[:20]]
    lines.append(orjson.dumps({"id": "copy", "text": PAGE}))
    lines.append(orjson.dumps({"id": "copy2", "text": PAGE}))
    lines.append(b"{broken")
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    out = tmp_path / "out"
    assert (
        main(["clean", str(src), "-o", str(out), "--workers", "1", "--keep-zones", "--no-progress"])
        == 0
    )
    stats = orjson.loads((out / "stats.json").read_bytes())
    removed = sum(n for r in stats["removed"].values() for n in r.values())
    assert stats["input"] == len(lines) == stats["kept"] + removed + stats["errors"]
    assert stats["errors"] == 1
    assert set(stats["steps"]) >= {
        "normalize",
        "segment",
        "exact_dedup",
        "fuzzy_dedup",
        "line_dedup",
        "language",
        "pii",
        "toxicity",
        "gopher_quality",
        "c4",
        "fineweb",
    }
    with gzip.open(out / "removed" / "part-00000.jsonl.gz") as fh:
        removed_recs = [orjson.loads(x) for x in fh]
    assert {"step": "exact_dedup", "reason": "exact_duplicate"} in [
        r["removed"] for r in removed_recs if r["id"] == "copy2"
    ]
    with gzip.open(out / "kept" / "part-00000.jsonl.gz") as fh:
        kept = [orjson.loads(x) for x in fh]
    assert len(kept) >= 10
    for rec in kept:
        assert rec["lang"] and rec["signals"]["gopher_word_count"] >= 50
        assert rec["original"][rec["zones"][0][0] : rec["zones"][-1][1]].strip()
        assert all(
            z[2]
            in ("title", "main", "boilerplate", "caption", "comment", "comment_meta", "duplicate")
            for z in rec["zones"]
        )
        assert "Notify of" not in rec["text"]


# Python's json decodes "\ud800" to a lone surrogate, and thresher.clean takes
# any str: every step must take one, alone (without normalize, which replaces it).
_SURROGATES = (
    "Hello world \ud800 this is a long sentence that is surely long enough to keep.\n"
    "Another \udfff line with some words in it, and an e-mail: jane@example.com\n"
) * 20


@pytest.mark.parametrize("name", available_steps())
def test_every_step_takes_a_lone_surrogate(name: str) -> None:
    rec = thresher.clean(_SURROGATES, only=[name])
    assert rec["id"] == "doc"


def test_a_lone_surrogate_leaves_the_token_cache_whole() -> None:
    # The quality filters' shared token cache had stored the surrogate's token
    # and then failed every later document of the process.
    plain = "The cat sat on the mat. " * 40
    before = thresher.clean(plain, id="a", only=["gopher_quality", "gopher_repetition"])
    thresher.clean("A \ud800 token. " * 40, only=["gopher_quality", "gopher_repetition"])
    after = thresher.clean(plain, id="a", only=["gopher_quality", "gopher_repetition"])
    assert after == before
