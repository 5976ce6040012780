from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.langid.backends import to_iso639_1
from thresher.langid.features import Batch, hash_windows
from thresher.langid.model import (
    DEFAULT_MODEL,
    LangIdModel,
    _unique_counts,
    _weighted_row_sums,
)
from thresher.steps.language import Language
from thresher.steps.registry import build_step

DATA = Path(__file__).parent.parent / "data" / "langid"
SENTENCES = [
    json.loads(line) for line in (DATA / "sentences.jsonl").read_text("utf-8").splitlines()
]


@pytest.fixture(scope="module")
def step() -> Language:
    s = Language()
    s.setup()
    return s


@pytest.mark.parametrize("rec", SENTENCES, ids=[r["lang"] for r in SENTENCES])
def test_sentence_gets_its_language(step: Language, rec: dict) -> None:
    doc = Document(id="x", text=rec["text"])
    step.process(doc)
    assert doc.lang == rec["lang"]
    assert doc.lang_score is not None and 0.5 < doc.lang_score <= 1.0
    assert doc.removed is None


@pytest.mark.parametrize("text", ["", "   ", "1234 5678 90", "!!! ... ???", "😀😀"])
def test_text_without_letters_has_no_language(step: Language, text: str) -> None:
    doc = Document(id="x", text=text)
    step.process(doc)
    assert doc.lang is None
    assert doc.lang_score == 0.0


def test_two_words_are_less_sure_than_a_paragraph(step: Language) -> None:
    paragraph = (
        "Die Bundesregierung hat am Mittwoch einen neuen Gesetzentwurf vorgelegt. "
        "Er soll den Ausbau der erneuerbaren Energien beschleunigen und die Netze stärken."
    )
    short, long_ = Document(id="a", text="Die Regierung"), Document(id="b", text=paragraph)
    step.process_batch([short, long_])
    assert long_.lang == "de"
    assert short.lang_score is not None and long_.lang_score is not None
    assert short.lang_score < long_.lang_score
    assert long_.lang_score > 0.99


def test_comments_are_annotated(step: Language) -> None:
    doc = Document(
        id="x",
        text=SENTENCES[0]["text"],
        comments=[
            {"author": "a", "text": "Das ist doch völliger Unsinn, was hier geschrieben wird."},
            {"author": "b", "text": "Je suis tout à fait d'accord avec cet article."},
            {"author": "c", "text": "42"},
        ],
    )
    step.process(doc)
    assert doc.lang == "en"
    assert [c["lang"] for c in doc.comments] == ["de", "fr", None]
    assert doc.comments[2]["lang_score"] == 0.0
    assert all(c["author"] for c in doc.comments)


def test_filter_keeps_only_listed_languages() -> None:
    step = Language(languages=["en", "de"])
    docs = [Document(id=r["lang"], text=r["text"]) for r in SENTENCES[:4]] + [
        Document(id="e", text="")
    ]
    step.process_batch(docs)
    removed = {d.id: d.removed for d in docs if d.removed}
    assert set(removed) == {"fr", "es", "e"}
    assert removed["fr"] == {"step": "language", "reason": "lang_not_allowed"}


def test_filter_min_score_removes_unsure_texts() -> None:
    step = Language(min_score=0.9)
    sure = Document(id="sure", text=SENTENCES[1]["text"])
    unsure = Document(id="unsure", text="ok")
    step.process_batch([sure, unsure])
    assert sure.removed is None
    assert unsure.lang_score is not None and unsure.lang_score < 0.9
    assert unsure.removed == {"step": "language", "reason": "lang_low_confidence"}


def test_removed_documents_are_skipped(step: Language) -> None:
    doc = Document(id="x", text=SENTENCES[0]["text"])
    doc.remove("earlier", "why")
    step.process_batch([doc])
    assert doc.lang is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"languages": ["English"]}, "ISO 639-1"),
        ({"languages": ["EN"]}, "ISO 639-1"),
        ({"languages": []}, "non-empty"),
        ({"languages": ["xx"]}, "does not know"),
        ({"min_score": 1.5}, "min_score"),
        ({"max_chars": 0}, "max_chars"),
        ({"model_path": "/nonexistent/lid.176.ftz"}, "does not exist"),
    ],
)
def test_bad_settings_fail_at_construction(settings: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_step("language", settings)


def test_step_pickles_without_its_model(step: Language) -> None:
    clone = pickle.loads(pickle.dumps(step))
    assert clone._model is None
    doc = Document(id="x", text=SENTENCES[2]["text"])
    clone.process(doc)
    assert doc.lang == "fr"
    assert clone.settings() == {
        "languages": None,
        "min_score": None,
        "model_path": None,
        "max_chars": 5000,
    }


def test_model_file_loads_without_pickle() -> None:
    with np.load(DEFAULT_MODEL, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
        langs = [str(c) for c in z["langs"]]
    assert len(langs) >= 75 and len(set(langs)) == len(langs)
    assert all(len(c) == 2 and c.islower() for c in langs)
    assert LangIdModel.load().langs == langs


def test_batch_and_single_predictions_agree() -> None:
    model = LangIdModel.load()
    texts = [r["text"] for r in SENTENCES] + ["", "Hi"]
    together = model.predict(texts)
    alone = [model.predict([t])[0] for t in texts]
    for (la, sa), (lb, sb) in zip(together, alone, strict=True):
        assert la == lb
        assert sa == pytest.approx(sb, abs=1e-6)


@pytest.mark.parametrize("chunk_rows", [1 << 17, 64])
def test_weighted_row_sums_match_a_plain_sum(
    chunk_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("thresher.langid.model._CHUNK_ROWS", chunk_rows)
    rng = np.random.default_rng(0)
    table = rng.integers(0, 256, size=(50, 7), dtype=np.uint8)
    # Docs 0 and 3 empty, doc 2 longer than one piece of 32 slots.
    doc = np.sort(rng.choice([1, 2, 2, 2, 4], size=200))
    bucket = rng.integers(0, 50, size=200)
    weight = rng.integers(1, 5, size=200)
    got = _weighted_row_sums(table, doc, bucket, weight, 6)
    want = np.zeros((6, 7))
    for d, b, w in zip(doc, bucket, weight, strict=True):
        want[d] += w * table[b].astype(np.int64)
    assert np.array_equal(got, want)


def test_nb_scores_equal_the_sum_over_every_ngram() -> None:
    model = LangIdModel.load()
    texts = [
        "the the the cat sat on the mat",
        "",
        "Über den Wolken muss die Freiheit wohl grenzenlos sein",
    ]
    batch = Batch(texts, model._letters)
    scores, letters = model.nb_scores(batch)
    want = np.zeros_like(scores, dtype=np.float64)
    for n in model.orders:
        starts = batch.windows(n)
        rows = model._tables[n][hash_windows(batch.cps, starts, n, model.bits[n])]
        np.add.at(want, batch.doc[starts], rows.astype(np.float64))
    assert np.allclose(scores, want * model._scale)
    assert letters.tolist() == [23, 0, 46]


@pytest.mark.parametrize(
    "texts", [["Ein Haus am See, hell und warm."], ["1 2 3 4 5 6 7 8 9 a, bb; ccc"], ["", "x"]]
)
def test_batch_hashes_equal_hash_windows(texts: list[str]) -> None:
    model = LangIdModel.load()
    batch = Batch(texts, model._letters)
    for n in (1, 2, 3, 4, 5):
        starts, buckets = batch.hashes(n, 19)
        assert np.array_equal(starts, np.flatnonzero(batch.run >= n))
        assert np.array_equal(buckets, hash_windows(batch.cps, starts, n, 19))


def test_unique_counts_match_numpy() -> None:
    key = np.random.default_rng(1).integers(0, 40, size=500).astype(np.uint32)
    got = _unique_counts(key)
    want = np.unique(key, return_counts=True)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert len(_unique_counts(np.zeros(0, dtype=np.uint64))[0]) == 0


def test_large_batches_score_like_single_texts() -> None:
    # Over 8,192 texts the (text, bucket) keys no longer fit 32 bits.
    model = LangIdModel.load()
    texts = ["das ist gut", "this is good", "", "ceci est bon"] * 2100 + ["zyx"]
    scores, _ = model.nb_scores(Batch(texts, model._letters))
    for i in (0, 1, 2, 3, 8397, 8400):
        alone, _ = model.nb_scores(Batch([texts[i]], model._letters))
        assert np.array_equal(scores[i], alone[0])


def test_minor_latin_letters_are_blanked_only_in_mixed_texts() -> None:
    model = LangIdModel.load()
    texts = [
        "Read More Politics News ابھی تک کوئی فیصلہ نہیں ہوا",  # 20 Latin, 22 Arabic letters
        "An English sentence about Ελλάδα.",  # Greek: 6 of 28 letters
        "Azərbaycan dili türk dillərinə aiddir.",  # ə is Latin (IPA block)
        "Только кириллица здесь.",
        "",
    ]
    batch = Batch(texts, model._letters)
    changed = batch.drop_minor_latin(0.25)
    assert changed.tolist() == [True, False, False, False, False]
    first = batch.doc == 0
    kept = "".join(chr(c) for c in batch.cps[first & batch.is_letter].tolist())
    assert kept == "".join(ch for ch in texts[0] if "\u0600" <= ch <= "\u06ff")
    assert np.array_equal(batch.cps[~first], Batch(texts, model._letters).cps[~first])
    assert batch.run[first].max() == max(len(w) for w in texts[0].split()[4:])


def test_english_chrome_around_an_urdu_sentence_is_urdu(step: Language) -> None:
    doc = Document(
        id="x",
        text="Read More Politics Latest News from Lahore in Urdu "
        "وزیر اعظم نے کراچی میں نئے ہسپتال کا افتتاح کیا۔",
    )
    step.process(doc)
    assert doc.lang == "ur"
    english = Document(id="y", text="The word Ελλάδα is Greek for Greece, as most readers know.")
    step.process(english)
    assert english.lang == "en"


def test_probabilities_sum_to_one() -> None:
    proba, letters = LangIdModel.load().predict_proba([r["text"] for r in SENTENCES])
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert (letters > 0).all()


@pytest.mark.parametrize(
    ("code", "iso1"),
    [
        ("__label__en", "en"),
        ("eng_Latn", "en"),
        ("zsm_Latn", "ms"),
        ("cmn_Hani", "zh"),
        ("deu", "de"),
        ("ger", "de"),
        ("zh-Hans", "zh"),
        ("ceb", "ceb"),
    ],
)
def test_codes_map_to_iso639_1(code: str, iso1: str) -> None:
    assert to_iso639_1(code) == iso1


def test_fasttext_model_from_path(tmp_path: Path) -> None:
    fasttext = pytest.importorskip("fasttext")
    lines = []
    for _ in range(30):
        lines.append("__label__eng_Latn the cat sat on the mat and the dog ran in the park")
        lines.append("__label__deu_Latn die katze sitzt auf der matte und der hund rennt im park")
    train = tmp_path / "train.txt"
    train.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = fasttext.train_supervised(
        str(train), epoch=20, minn=2, maxn=4, dim=8, verbose=0, thread=1
    )
    path = tmp_path / "tiny.bin"
    model.save_model(str(path))
    step = Language(model_path=str(path), languages=["de"])
    docs = [
        Document(id="en", text="the dog ran in the park"),
        Document(id="de", text="der hund rennt im park"),
    ]
    step.process_batch(docs)
    assert [d.lang for d in docs] == ["en", "de"]
    assert docs[0].removed == {"step": "language", "reason": "lang_not_allowed"}
    assert docs[1].removed is None
