"""Regenerate ``src/thresher/steps/quality/data/spacy_en_tokenizer.json``.

DataTrove splits words with spaCy's blank English tokenizer (plus the
``sentencizer`` for sentences). thresher re-implements that tokenizer in pure
Python (``thresher.steps.quality.tokenize``) from the same rules: the prefix,
suffix and infix regular expressions, the URL matcher, the special cases and
the sentencizer's sentence-final characters, all dumped here from the
installed spaCy (MIT license, (c) ExplosionAI GmbH); and DataTrove's
punctuation tables (Apache-2.0) into ``datatrove_punctuation.json``.

    .venv/bin/python bench/quality_tokenizer_data.py
    .venv/bin/python bench/quality_tokenizer_data.py --check [--data ../shared/data]
        # compare thresher's tokenizer with spaCy on every distinct whitespace
        # chunk of the extraction corpus and on its lines' sentence counts
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/thresher/steps/quality/data"
OUT = DATA / "spacy_en_tokenizer.json"
PUNCT_OUT = DATA / "datatrove_punctuation.json"


def main() -> int:
    try:
        import spacy
    except ImportError:
        print(
            "spaCy is needed to regenerate the tokenizer data: pip install spacy", file=sys.stderr
        )
        return 1
    nlp = spacy.blank("en")
    tok = nlp.tokenizer
    senter = nlp.add_pipe("sentencizer")
    rules = {key: [spec[65] for spec in val] for key, val in tok.rules.items()}  # 65 == ORTH
    data = {
        "source": f"spaCy {spacy.__version__} blank('en') tokenizer and sentencizer",
        "license": "MIT, Copyright (C) 2016-2024 ExplosionAI GmbH, 2016 spaCy GmbH, 2015 Matthew Honnibal",
        "prefix": tok.prefix_search.__self__.pattern,
        "suffix": tok.suffix_search.__self__.pattern,
        "infix": tok.infix_finditer.__self__.pattern,
        "url": tok.url_match.__self__.pattern if tok.url_match else None,
        "token_match": tok.token_match.__self__.pattern if tok.token_match else None,
        "rules": dict(sorted(rules.items())),
        "punct_chars": sorted(senter.punct_chars),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(rules)} special cases)")
    try:
        from datatrove.utils.text import PUNCTUATION, TERMINAL_PUNCTUATION
    except ImportError:
        print("datatrove is needed to regenerate the punctuation tables", file=sys.stderr)
        return 1
    punct = {
        "source": "datatrove 0.10.1 datatrove/utils/text.py (PUNCTUATION, TERMINAL_PUNCTUATION)",
        "license": "Apache-2.0, Copyright 2024 The HuggingFace Inc. team",
        "punctuation": PUNCTUATION,
        "terminal_punctuation": "".join(sorted(TERMINAL_PUNCTUATION)),
    }
    PUNCT_OUT.write_text(json.dumps(punct, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {PUNCT_OUT}")
    return 0


def check(data: Path) -> int:
    """Tokens of every distinct chunk, and sentence counts of 20,000 lines, vs spaCy."""
    import gzip
    import random

    import spacy

    from thresher.steps.quality.tokenizer import vocab

    files = sorted((data / "extraction").glob("*.jsonl.gz"))
    if not files:
        print(f"no {data}/extraction/*.jsonl.gz: pass --data PATH", file=sys.stderr)
        return 1
    chunks: set[str] = set()
    lines: list[str] = []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for rec in map(json.loads, fh):
                for field in ("main_text", "page_text"):
                    if isinstance(rec.get(field), str):
                        chunks.update(rec[field].split())
                        lines.extend(x.strip() for x in rec[field].splitlines() if x.strip())
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    v = vocab()
    bad = 0
    for chunk in sorted(chunks):
        if v.words(chunk) != [t.text for t in nlp.tokenizer(chunk)]:
            bad += 1
            if bad <= 10:
                print("tokens differ:", repr(chunk), v.words(chunk))
    random.Random(0).shuffle(lines)
    bad_sent = sum(v.sentence_total([x]) != len(list(nlp(x).sents)) for x in lines[:20000])
    print(f"{len(chunks)} chunks, {bad} differ; {min(20000, len(lines))} lines, {bad_sent} differ")
    return 1 if bad or bad_sent else 0


if __name__ == "__main__":
    if "--check" in sys.argv:
        args = sys.argv[sys.argv.index("--check") + 1 :]
        repo = Path(__file__).resolve().parents[1]
        data = Path(args[1]) if args[:1] == ["--data"] else repo.parent / "shared" / "data"
        raise SystemExit(check(data))
    raise SystemExit(main())
