"""The demo corpus: deterministic, well-formed, and its ground truth holds."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import ftfy
import pytest

from thresher.demo import KIND_SHARES, generate, iter_records
from thresher.demo.corpus import plan
from thresher.demo.news import LINE_LABELS
from thresher.demo.score import _auc, format_scores, score, score_records
from thresher.errors import ConfigError

N = 400


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(iter_records(N, seed=3))


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


def _clean(rec: dict[str, Any]) -> bool:
    return not rec["truth"]["noise"]


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", n_docs=250, seed=5)
    b = generate(tmp_path / "b", n_docs=250, seed=5)
    c = generate(tmp_path / "c", n_docs=250, seed=6)
    assert [p.name for p in a] == [p.name for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_files_are_valid_jsonl_gz_with_every_record(tmp_path: Path) -> None:
    paths = generate(tmp_path, n_docs=2100, seed=1)
    assert [p.name for p in paths] == [
        "demo-00000.jsonl.gz",
        "demo-00001.jsonl.gz",
        "demo-00002.jsonl.gz",
    ]
    assert not list(tmp_path.glob("*.tmp"))
    ids = []
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                assert set(rec) == {"id", "url", "text", "kind", "truth"}
                assert rec["text"] and rec["url"].startswith("http")
                ids.append(rec["id"])
    assert ids == [f"demo-{i:06d}" for i in range(2100)]


def test_shard_count_can_be_chosen(tmp_path: Path) -> None:
    paths = generate(tmp_path, n_docs=30, seed=0, shards=2)
    lines = []
    for p in paths:
        with gzip.open(p) as f:
            lines.append(sum(1 for _ in f))
    assert len(paths) == 2 and sum(lines) == 30


def test_records_match_the_generated_files(tmp_path: Path) -> None:
    (path,) = generate(tmp_path, n_docs=40, seed=9)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        from_file = [json.loads(line) for line in f]
    assert from_file == list(iter_records(40, seed=9))


def test_every_kind_is_present_in_planned_numbers(records: list[dict[str, Any]]) -> None:
    kinds = Counter(r["kind"] for r in records)
    assert set(kinds) == {"news", "forum", "product", "listing", "contact", "spam"}
    dup_kinds = Counter(r["truth"]["dup_kind"] for r in records)
    # Short spam pages can also repeat by chance; those are labelled exact too.
    assert dup_kinds["exact"] >= round(KIND_SHARES["exact_dup"] * N)
    assert dup_kinds["near"] == round(KIND_SHARES["near_dup"] * N)
    slots = Counter(plan(N, random.Random(0)))
    assert slots == {k: round(share * N) for k, share in KIND_SHARES.items()}


def test_urls_are_unique_and_on_the_page_site(records: list[dict[str, Any]]) -> None:
    assert len({r["url"] for r in records}) == len(records)
    for r in records:
        if r["kind"] == "news" and r["truth"]["lang"] == "de" and r["truth"]["dup_of"] is None:
            assert r["url"].split("/")[2].endswith(".example.de")


def test_exact_duplicates_copy_an_earlier_original(records: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in records}
    exact = [r for r in records if r["truth"]["dup_kind"] == "exact"]
    assert exact
    for r in exact:
        src = by_id[r["truth"]["dup_of"]]
        assert src["id"] < r["id"] and src["truth"]["dup_of"] is None
        assert r["text"].split() == src["text"].split() and r["url"] != src["url"]


def test_no_unlabelled_duplicate_texts(records: list[dict[str, Any]]) -> None:
    first: dict[str, str] = {}
    for r in records:
        key = " ".join(r["text"].split())
        if key in first:
            assert r["truth"]["dup_kind"] == "exact" and r["truth"]["dup_of"] == first[key]
        first.setdefault(key, r["id"])


def test_near_duplicates_are_close_but_not_equal(records: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in records}
    near = [r for r in records if r["truth"]["dup_kind"] == "near"]
    assert {r["kind"] for r in near} == {"news", "forum"}
    for r in near:
        src = by_id[r["truth"]["dup_of"]]
        assert src["id"] < r["id"] and src["truth"]["dup_of"] is None
        assert r["text"] != src["text"]
        if r["kind"] == "news":
            assert r["truth"]["main"] != src["truth"]["main"]
        assert _jaccard(r["truth"]["main"], src["truth"]["main"]) >= 0.7


def test_distinct_articles_are_not_near_duplicates(records: list[dict[str, Any]]) -> None:
    mains = [
        r["truth"]["main"]
        for r in records
        if r["truth"]["dup_of"] is None and r["kind"] in ("news", "forum")
    ]
    shingles = [_shingles(m) for m in mains]
    worst = max(len(a & b) / len(a | b) for a, b in itertools.combinations(shingles, 2))
    assert worst < 0.5


def test_several_languages(records: list[dict[str, Any]]) -> None:
    langs = Counter(r["truth"]["lang"] for r in records)
    assert {"en", "de", "fr", "es"} <= set(langs)
    assert langs["en"] > sum(langs.values()) / 2
    de = next(r for r in records if r["truth"]["lang"] == "de")
    assert re.search(r"\b(der|die|und|das)\b", de["truth"]["main"])


def test_truth_matches_the_page_text(records: list[dict[str, Any]]) -> None:
    checked = 0
    for r in records:
        if not _clean(r) or r["kind"] != "news" or r["truth"]["lang"] != "en":
            continue
        lines = r["text"].split("\n")
        for para in r["truth"]["main"].split("\n"):
            assert para in lines
        assert r["text"].count(r["truth"]["title"]) >= 2
        for c in r["truth"]["comments"]:
            assert c["text"] in lines and c["author"] in r["text"]
        checked += 1
    assert checked > 50


def test_line_labels_mark_title_main_and_comments(records: list[dict[str, Any]]) -> None:
    labelled = [r for r in records if r["truth"]["line_labels"] is not None]
    assert len(labelled) > 0.8 * len(records)
    for r in labelled:
        lines, labels = r["text"].split("\n"), r["truth"]["line_labels"]
        assert len(lines) == len(labels) and set(labels) <= set(LINE_LABELS)
        if not _clean(r) or r["kind"] not in ("news", "forum", "product"):
            continue
        by_label: dict[str, list[str]] = {}
        for line, label in zip(lines, labels, strict=True):
            by_label.setdefault(label, []).append(line)
        assert by_label["title"] == [r["truth"]["title"]]
        assert set(r["truth"]["main"].split("\n")) <= set(by_label["main"])
        assert [c["text"] for c in r["truth"]["comments"]] == by_label.get("comment", [])
        assert "boilerplate" in by_label


def test_news_pages_carry_chrome_and_comment_widgets(records: list[dict[str, Any]]) -> None:
    text = "\n".join(r["text"] for r in records if r["kind"] == "news")
    for marker in ("Notify of", "Click to see full-size image", "$5 $10 $25", "View all comments"):
        assert marker in text
    assert re.search(r"\d+ votes", text) and re.search(r"\d+ days ago", text)


def test_toxic_comments_and_pii_are_labelled(records: list[dict[str, Any]]) -> None:
    comments = [c for r in records for c in r["truth"]["comments"]]
    toxic = [c for c in comments if c["toxic"]]
    assert 0.05 < len(toxic) / len(comments) < 0.3
    email = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    total = 0
    for r in records:
        if _clean(r):
            assert len(email.findall(r["text"])) == r["truth"]["pii"].get("email", 0)
            total += r["truth"]["pii"].get("email", 0)
    assert total > 0


def test_noise_is_applied_and_recorded(records: list[dict[str, Any]]) -> None:
    seen = Counter(n for r in records for n in r["truth"]["noise"])
    assert set(seen) == {
        "mojibake",
        "hard_wrap",
        "html_entities",
        "control_chars",
        "odd_whitespace",
    }
    for r in records:
        if "mojibake" in r["truth"]["noise"]:
            assert ftfy.fix_text(r["text"]) != r["text"]
        if "html_entities" in r["truth"]["noise"]:
            assert re.search(r"&(?:[a-z]+|#\d+|#x[0-9A-F]+);", r["text"])
        if "control_chars" in r["truth"]["noise"]:
            assert re.search(
                "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u00ad\u200c\u2060\ufeff]", r["text"]
            )


def test_tiny_corpora_work_and_bad_sizes_fail() -> None:
    assert [r["id"] for r in iter_records(3, seed=0)] == [
        "demo-000000",
        "demo-000001",
        "demo-000002",
    ]
    with pytest.raises(ConfigError):
        list(iter_records(0))


def _perfect_output(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an ideal pipeline would write for these inputs."""
    out = []
    for r in records:
        t = r["truth"]
        rec: dict[str, Any] = {
            "id": r["id"],
            "text": t["main"] or r["text"],
            "title": t["title"],
            "comments": [
                {"author": c["author"], "text": c["text"], "toxicity": float(c["toxic"])}
                for c in t["comments"]
            ],
            "lang": t["lang"],
            "pii": dict(t["pii"]),
            "signals": {},
            "meta": {"url": r["url"], "kind": r["kind"], "truth": t},
        }
        if t["dup_of"] is not None:
            rec["removed"] = {"step": "exact_dedup", "reason": "duplicate"}
        out.append(rec)
    return out


def test_score_of_a_perfect_output_is_perfect(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    for sub in ("kept", "removed"):
        (tmp_path / sub).mkdir()
    recs = _perfect_output(records)
    for sub, keep in (("kept", True), ("removed", False)):
        with gzip.open(tmp_path / sub / "part-00000.jsonl.gz", "wt", encoding="utf-8") as f:
            for r in recs:
                if ("removed" not in r) == keep:
                    f.write(json.dumps(r) + "\n")
    steps = ["normalize", "segment", "language", "pii", "toxicity", "exact_dedup_v1"]
    (tmp_path / "stats.json").write_text(json.dumps({"steps": {s: {} for s in steps}}))
    s = score(tmp_path)
    assert s["documents"]["total"] == N
    assert s["dedup"]["precision"] == s["dedup"]["recall"] == 1.0
    assert s["language"]["accuracy"] == 1.0
    assert s["title"] == {"found": 1.0, "exact": 1.0}
    assert s["main_text"]["f1"] == 1.0
    assert s["comments"] == {"count_exact": 1.0, "text_found": 1.0, "toxicity_auc": 1.0}
    assert s["pii"]["email"]["recall"] == s["pii"]["phone"]["precision"] == 1.0
    assert "dedup.recall" in format_scores(s)


def test_score_sees_what_a_pipeline_missed(records: list[dict[str, Any]]) -> None:
    recs = _perfect_output(records)
    for r in recs:
        r.pop("removed", None)
        r["title"] = None
        r["comments"] = []
        r["pii"] = {}
    s = score_records(recs, steps={"exact_dedup", "segment", "pii"})
    assert s["dedup"]["recall"] == 0.0 and s["dedup"]["precision"] is None
    assert s["title"]["found"] == 0.0 and s["comments"]["text_found"] == 0.0
    assert s["pii"]["email"]["recall"] == 0.0
    assert s["language"] is None  # the language step did not run


def test_dedup_score_keeps_the_first_live_copy(records: list[dict[str, Any]]) -> None:
    recs = _perfect_output(records)
    dup = next(r for r in recs if r["meta"]["truth"]["dup_kind"] == "exact")
    original = next(r for r in recs if r["id"] == dup["meta"]["truth"]["dup_of"])
    original["removed"] = {"step": "gopher_quality", "reason": "too_short"}
    siblings = [r for r in recs if r["meta"]["truth"]["dup_of"] == original["id"]]
    siblings[0].pop("removed")  # with the original gone, the first copy stays
    s = score_records(recs, steps={"exact_dedup"})
    assert s["dedup"]["precision"] == s["dedup"]["recall"] == 1.0


def test_auc_counts_ties_as_half() -> None:
    assert _auc([(0.9, True), (0.1, False)]) == 1.0
    assert _auc([(0.5, True), (0.5, False)]) == 0.5
    assert _auc([(0.2, True), (0.8, False), (0.5, True)]) == 0.0
    assert _auc([(0.2, True)]) is None


def test_pii_score_counts_only_documents_the_pii_step_saw(records: list[dict[str, Any]]) -> None:
    recs = _perfect_output(records)
    for r in recs:
        r.pop("removed", None)
    planted = sum(r["meta"]["truth"]["pii"].get("email", 0) for r in recs)
    with_email = next(r for r in recs if r["meta"]["truth"]["pii"].get("email"))
    with_email["removed"] = {"step": "exact_dedup", "reason": "exact_duplicate"}
    # dedup ran before pii: that document's addresses were never the step's to redact
    s = score_records(recs, steps=["segment", "exact_dedup", "pii"])
    assert s["pii"]["email"]["planted"] == planted - with_email["meta"]["truth"]["pii"]["email"]
    s = score_records(recs, steps=["segment", "pii", "exact_dedup"])
    assert s["pii"]["email"]["planted"] == planted
    # the unredacted texts still hold addresses
    assert s["pii"]["email"]["left_in_text"] > 0
