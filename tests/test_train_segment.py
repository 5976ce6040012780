"""The training script's data helpers (train/segment.py), without the data."""

from __future__ import annotations

import string
import sys

from conftest import TRAIN, train_module

from thresher.segment import features as F

_PATH = TRAIN / "segment.py"
T = train_module("segment")

PAGE = {
    "id": "p1",
    "page_text": "Home | News\nFive Ways to Save\nIt was hard, but worth it: 12 €.\n3 Comments\n"
    "Anna says:\nGreat post!",
    "main_text": "It was hard, but worth it: 12 €.",
    "comments_text": "Anna says:\nGreat post!",
    "title": "Five Ways to Save",
}


def test_cipher_is_a_letter_substitution_that_keeps_the_layout() -> None:
    table = T.cipher_table(3)
    low = string.ascii_lowercase
    assert sorted(chr(table[ord(c)]) for c in low) == list(low)
    assert any(table[ord(c)] != ord(c) for c in low)
    assert all(chr(table[ord(c.upper())]) == chr(table[ord(c)]).upper() for c in low)
    c = T.ciphered(PAGE, table)
    assert c["id"] == "p1" and PAGE["page_text"].startswith("Home")  # the page is untouched
    text = c["page_text"]
    assert "Comments" not in text and "says" not in text
    assert len(text) == len(PAGE["page_text"])
    for a, b in zip(text, PAGE["page_text"], strict=True):
        assert a.isupper() == b.isupper() and a.isalpha() == b.isalpha()
        if not (b.isascii() and b.isalpha()):
            assert a == b  # digits, punctuation, white space and other letters stay
    assert c["main_text"] == PAGE["main_text"].translate(table)
    # Another seed, another substitution.
    assert T.cipher_table(4) != table


def test_cipher_copies_share_their_pages_labels() -> None:
    pages = [dict(PAGE, id=f"p{i}") for i in range(40)]
    copies = T.cipher_copies(pages, 0.5)
    assert 5 < len(copies) < 35  # about half, chosen by the id's hash
    assert T.cipher_copies(pages, 0.0) == []
    assert len(T.cipher_copies(pages, 1.0)) == 40
    c = copies[0]
    assert c["id"] == c["copy_of"] + "~cipher" and c["original"]["id"] == c["copy_of"]
    assert c["page_text"] != c["original"]["page_text"]
    x, y, texts = T.page_matrix(c)
    x0, y0, _ = T.page_matrix(c["original"])
    assert list(y) == list(y0) and x.shape == x0.shape
    assert texts == F.split_lines(c["page_text"]).texts
    # Each copy has its own substitution.
    assert len({cp["page_text"] for cp in T.cipher_copies(pages, 1.0)}) > 30


def test_labels_do_not_depend_on_the_hash_seed() -> None:
    # A line fuzzy-matched across a main and a comment gold line (a tie)
    # takes the first one's tag in every process, whatever PYTHONHASHSEED is.
    import os
    import subprocess

    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('t', {str(_PATH)!r})\n"
        "T = importlib.util.module_from_spec(spec); spec.loader.exec_module(T)\n"
        "page = {'main_text': 'one two three four five', "
        "'comments_text': 'six seven eight nine ten'}\n"
        "print(T.label_page(page, ['zz one two three four five six seven eight nine ten']))\n"
    )
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outs.add(run.stdout.strip())
    assert outs == {"['main']"}


def test_out_of_fold_probabilities_come_from_models_that_never_saw_the_page(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import argparse
    import types

    import numpy as np

    n_classes = len(T.CLASSES)

    def fit(x, y, w, hidden, seed, sample):  # type: ignore[no-untyped-def]
        # Scikit-learn's MLP stands in: a model whose output is the class
        # frequencies of the lines it was fit on.
        return types.SimpleNamespace(
            classes_=np.arange(n_classes),
            coefs_=[np.zeros((x.shape[1], hidden)), np.zeros((hidden, n_classes))],
            intercepts_=[np.zeros(hidden), np.log(np.bincount(y, minlength=n_classes) + 1.0)],
        )

    monkeypatch.setattr(T, "_fit_mlp", fit)
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=(30, 4)).astype(np.float32) for _ in range(8)]
    ys = [np.arange(30) % n_classes for _ in range(8)]
    pages = [{"id": f"p{i}"} for i in range(8)]
    fold = np.arange(8) % 2
    args = argparse.Namespace(folds=2, hidden=4, sample=1000)
    first = T.out_of_fold(xs, ys, pages, fold, args, seed=0, name="test")
    assert [p.shape for p in first] == [(30, n_classes)] * 8
    # Page 0's labels change: its own prediction doesn't (its fold's model
    # never saw it), its fold-mates' don't either; the other fold's do.
    ys[0] = np.zeros(30, np.int64)
    second = T.out_of_fold(xs, ys, pages, fold, args, seed=0, name="test")
    for i in range(8):
        same = np.array_equal(first[i], second[i])
        assert same == (fold[i] == fold[0]), i


def test_bad_training_settings_fail_before_any_work(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import pytest

    for flag, value, says in (
        ("--folds", "1", "--folds must be 2 or more"),
        ("--cipher-share", "1.5", "--cipher-share must be between 0 and 1"),
        ("--forest-rounds", "0", "--forest-rounds must be 1 or more"),
        ("--forest-leaves", "1", "--forest-leaves must be 2 or more"),
        ("--forest-depth", "13", "--forest-depth must be between 1 and 12"),
        ("--forest-depth", "-1", "--forest-depth must be between 1 and 12"),
        ("--unsure-below", "1.5", "--unsure-below must be between 0 and 1"),
        ("--train-share", "0.0", "--train-share must be above 0 and at most 1"),
    ):
        monkeypatch.setattr(sys, "argv", ["segment.py", "--data", "/nonexistent", flag, value])
        with pytest.raises(SystemExit):
            T.main()
        err = capsys.readouterr().err.strip().splitlines()
        assert says in err[-1] and err[-1].endswith(f"got {value}"), err


def test_train_shares_are_nested_and_about_their_size() -> None:
    ids = [f"wcxb-dev-{i:04d}" for i in range(4000)]
    chosen = {q: {i for i in ids if T.in_share(i, q)} for q in (0.25, 0.5, 1.0)}
    assert chosen[0.25] < chosen[0.5] < chosen[1.0] == set(ids)
    assert abs(len(chosen[0.5]) - 2000) < 150 and abs(len(chosen[0.25]) - 1000) < 110
