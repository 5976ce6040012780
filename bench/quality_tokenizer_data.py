"""Regenerate ``src/thresher/steps/quality/data/spacy_en_tokenizer.json``.

DataTrove splits words with spaCy's blank English tokenizer (plus the
``sentencizer`` for sentences). thresher re-implements that tokenizer in pure
Python (``thresher.steps.quality.tokenize``) from the same rules: the prefix,
suffix and infix regular expressions, the URL matcher, the special cases and
the sentencizer's sentence-final characters, all dumped here from the
installed spaCy (MIT license, (c) ExplosionAI GmbH); and DataTrove's
punctuation tables (Apache-2.0) into ``datatrove_punctuation.json``.

    .venv/bin/python bench/quality_tokenizer_data.py
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


if __name__ == "__main__":
    raise SystemExit(main())
