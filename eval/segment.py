"""Evaluate the `segment` step on held-out pages, beside two baselines.

Main content: token precision / recall / F1 of the extracted text against the
gold ``main_text`` (bag of NFKC-casefolded ``\\w+`` tokens, counts clipped),
averaged over pages (macro), per dataset and per wcxb page type. The extract is
``doc.text``; on cleaneval and dragnet, whose gold main text includes the
headline, ``doc.title`` is put in front of it (wcxb's gold leaves the title
out). Baselines on the same pages: keep everything (the page text), and C4's
line rules (thresher.steps.quality.c4.C4 with its page-level rules off, so it
only drops lines).

Comments (dragnet pages): comment F1 of the comment zones (comment and
comment_meta lines, since the gold ``comments_text`` holds the author/date
lines too) against ``comments_text`` on held-out pages that have comments; and
the share of held-out pages without comments where the step finds none. Authors
(the gold has none as such): the share of comments found on pages with comments
whose ``author`` occurs in the gold comment text (casefolded), and the share
whose author does not (a wrong name: a date, a word of chrome).

Title (wcxb pages, which give it): share of pages whose ``doc.title`` is the
page's title, ignoring case and punctuation and allowing a " | Site" suffix.

Speed: MB/s (UTF-8 bytes of page text per second of CPU time on one core) of
``Segment.process_batch`` over the held-out pages in batches of 64 (as the
runner calls it), model loaded and one untimed batch run first (a worker's
steady state). Run it with OMP_NUM_THREADS=1 for a one-core figure (BLAS
would otherwise add threads).

``--cipher SEED``: every page and its gold first go through a letter
substitution (train/segment.py ``cipher_table``: layout, lengths, case, digits
and punctuation kept), so that no English word list or phrase rule matches: the
figures for a language the step's word lists don't know.

Split: train/segment.py's ``split_of`` (xxhash64 of the page id, 30 % test);
only test pages are read here.

Usage: .venv/bin/python eval/segment.py [--data ../shared/data] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "train"))

from segment import cipher_table, ciphered, load  # noqa: E402  (train/segment.py)

from thresher.document import Document  # noqa: E402
from thresher.steps.quality.c4 import C4  # noqa: E402
from thresher.steps.segment import Segment  # noqa: E402

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(pred), tokens(gold)
    np_, ng = sum(p.values()), sum(g.values())
    if ng == 0:
        return (1.0, 1.0, 1.0) if np_ == 0 else (0.0, 1.0, 0.0)
    if np_ == 0:
        return 1.0, 0.0, 0.0
    hit = sum((p & g).values())
    prec, rec = hit / np_, hit / ng
    f1 = 2 * prec * rec / (prec + rec) if hit else 0.0
    return prec, rec, f1


def c4_lines(text: str) -> str:
    step = C4(min_sentences=None, filter_lorem_ipsum=False, filter_curly_bracket=False)
    doc = Document(id="c4", text=text)
    step.process(doc)
    return doc.text


def title_match(found: str | None, gold: str) -> bool:
    """The found headline is the page's title, allowing a " | Site" suffix either way."""
    if not found:
        return False
    a = " ".join(tokens_list(found))
    b = " ".join(tokens_list(gold))
    return bool(a) and (a == b or b.startswith(a) or a.startswith(b))


def tokens_list(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description="Evaluate the segment step on held-out pages.")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: shipped)")
    ap.add_argument("--thread-ratio", type=float, default=Segment().thread_ratio)
    ap.add_argument("--min-main-prob", type=float, default=Segment().min_main_prob)
    ap.add_argument("--batch", type=int, default=64, help="documents per process_batch call")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument(
        "--list-invented",
        action="store_true",
        help="print the Dragnet pages without gold comments where comments were found, "
        "with the first of them, to check by eye whether the page holds a comment section",
    )
    ap.add_argument(
        "--cipher",
        type=int,
        default=None,
        metavar="SEED",
        help="run every page and its gold through a letter substitution drawn from SEED "
        "(train/segment.py cipher_table): English made unreadable to the word lists and "
        "phrase rules, a stand-in for a language they don't know",
    )
    ap.add_argument(
        "--no-url",
        action="store_true",
        help="leave out the pages' addresses (meta['url'], whose words the headline "
        "ranker reads), as for input that has none",
    )
    args = ap.parse_args()
    pages = [p for p in load(args.data) if p["split"] == args.split]
    if args.cipher is not None:
        table = cipher_table(args.cipher)
        pages = [ciphered(p, table) for p in pages]
    step = Segment(
        remove_empty=False, thread_ratio=args.thread_ratio, min_main_prob=args.min_main_prob
    )
    if args.model is not None:
        from thresher.segment.model import SegmentModel

        step._model = SegmentModel(args.model)
    step.setup()

    groups: dict[str, dict[str, list[tuple[float, float, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    com_f1: list[tuple[float, float, float]] = []
    titles: list[bool] = []
    no_com_ok: list[bool] = []
    authors: list[bool | None] = []  # per found comment: author in the gold's text?
    wcxb_no_com: list[bool] = []
    cpu = 0.0
    # One untimed batch first: a worker's first pages also pay for numpy's and
    # the allocator's first calls, once per process.
    step.process_batch([Document(id="warm-up", text=p["page_text"]) for p in pages[: args.batch]])
    docs = [
        Document(
            id=page["id"],
            text=page["page_text"],
            meta={"url": page["url"]} if page.get("url") and not args.no_url else {},
        )
        for page in pages
    ]
    for b in range(0, len(docs), args.batch):
        t = time.process_time()
        step.process_batch(docs[b : b + args.batch])
        cpu += time.process_time() - t
    nbytes = sum(len(page["page_text"].encode("utf-8")) for page in pages)
    for page, doc in zip(pages, docs, strict=True):
        pred = doc.text
        if page["dataset"] != "wcxb_dev" and doc.title:
            pred = doc.title + "\n" + pred
        keys = [page["dataset"], "all"]
        if page.get("page_type"):
            keys.append(f"wcxb:{page['page_type']}")
        gold = page["main_text"]
        scores = {
            "segment": prf(pred, gold),
            "keep_all": prf(page["page_text"], gold),
            "c4_lines": prf(c4_lines(page["page_text"]), gold),
        }
        for k in keys:
            for name, sc in scores.items():
                groups[k][name].append(sc)
        if page["dataset"] == "wcxb_dev" and page.get("title"):
            titles.append(title_match(doc.title, page["title"]))
        if page["dataset"] == "dragnet_comments":
            assert doc.zones is not None
            zone_text = (
                "\n".join(
                    doc.original[s:e]
                    for s, e, lab in doc.zones
                    if lab in ("comment", "comment_meta")
                )
                if doc.original
                else ""
            )
            if page["comments_text"].strip():
                com_f1.append(prf(zone_text, page["comments_text"]))
                gold_com = page["comments_text"].casefold()
                for c in doc.comments or []:
                    name = c.get("author")
                    authors.append(None if not name else name.casefold() in gold_com)
            else:
                no_com_ok.append(not doc.comments)
                if doc.comments and args.list_invented:
                    first = doc.comments[0]
                    print(
                        f"invented? {page['id']}: {len(doc.comments)} comment(s); first by "
                        f"{first.get('author')!r}: {first['text'][:100]!r}"
                    )
        elif page["dataset"] == "wcxb_dev" and page.get("page_type") not in ("forum",):
            wcxb_no_com.append(not doc.comments)

    report: dict[str, Any] = {"pages": len(pages), "main": {}}
    print(f"{args.split} pages: {len(pages)}  (split: train/segment.py split_of)")
    print("\nmain-content token P / R / F1 (macro over pages)")
    print(f"{'group':24} {'n':>5}  {'segment':>20}  {'keep everything':>20}  {'C4 line rules':>20}")
    order = [
        "all",
        "wcxb_dev",
        "cleaneval",
        "dragnet_comments",
        *sorted(k for k in groups if k.startswith("wcxb:")),
    ]
    for k in order:
        row = [f"{k:24} {len(groups[k]['segment']):5d}"]
        report["main"][k] = {}
        for name in ("segment", "keep_all", "c4_lines"):
            sc = groups[k][name]
            p, r, f = (mean([s[j] for s in sc]) for j in range(3))
            report["main"][k][name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
            row.append(f"{p:6.3f} {r:6.3f} {f:6.3f}")
        print("  ".join(row))
    cp, cr, cf = (mean([s[j] for s in com_f1]) for j in range(3))
    report["comments"] = {
        "pages_with_comments": len(com_f1),
        "comment_p": round(cp, 4),
        "comment_r": round(cr, 4),
        "comment_f1": round(cf, 4),
        "dragnet_pages_without_comments": len(no_com_ok),
        "none_invented_share": round(mean([float(x) for x in no_com_ok]), 4),
        "wcxb_non_forum_pages": len(wcxb_no_com),
        "wcxb_none_invented_share": round(mean([float(x) for x in wcxb_no_com]), 4),
        "comments_found": len(authors),
        "author_in_gold_share": round(mean([float(bool(a)) for a in authors]), 4),
        "author_not_in_gold_share": round(mean([float(a is False) for a in authors]), 4),
    }
    print(
        f"\ncomments (dragnet held-out, {len(com_f1)} pages with comments):"
        f" P {cp:.3f} R {cr:.3f} F1 {cf:.3f}"
    )
    print(
        f"no comments invented: {report['comments']['none_invented_share']:.3f} of "
        f"{len(no_com_ok)} dragnet pages without comments; "
        f"{report['comments']['wcxb_none_invented_share']:.3f} of {len(wcxb_no_com)} "
        f"non-forum wcxb pages (no comment gold there; an upper bound on invention)"
    )
    print(
        f"comment authors: of {len(authors)} comments found there, "
        f"{report['comments']['author_in_gold_share']:.3f} have an author that the gold "
        f"comment text holds, {report['comments']['author_not_in_gold_share']:.3f} one it "
        "does not (a wrong name), the rest none"
    )
    report["title_accuracy_wcxb"] = round(mean([float(t) for t in titles]), 4)
    print(
        f"title: the page's headline found on {report['title_accuracy_wcxb']:.3f} of "
        f"{len(titles)} wcxb pages (match ignoring case, punctuation and a site suffix)"
    )
    speed = nbytes / cpu / 1e6 if cpu else float("nan")
    report["speed_mb_s_one_core"] = round(speed, 2)
    print(f"\nspeed: {nbytes / 1e6:.1f} MB in {cpu:.2f} s CPU = {speed:.2f} MB/s on one core")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
