from __future__ import annotations

import json
import pickle
import re
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.registry import build_step
from thresher.steps.toxicity import Toxicity, split_passages
from thresher.toxicity.features import HashedFeaturizer
from thresher.toxicity.linear import DEFAULT_MODEL_DIR, LinearToxicityModel
from thresher.toxicity.text import normalize
from thresher.toxicity.transformer import INSTALL_HINT, label_roles, scores_from_probabilities

BENIGN = [
    "Thanks for sharing this recipe, I made it last night and my family loved it.",
    "Great article, the section on solar panels was really helpful.",
    "I disagree with the author about the budget, but it is a fair point.",
]
OFFENSIVE = [
    "shut the fuck up you stupid bitch",
    "you are a worthless piece of shit and a fucking idiot",
]
HATEFUL = [
    "all these niggers and spics should be sent back, filthy animals",
    "kill every last faggot, they are subhuman vermin",
]


@pytest.fixture(scope="module")
def step() -> Toxicity:
    s = Toxicity()
    s.setup()
    return s


def _doc(text: str, comments: list[str]) -> Document:
    return Document(
        id="d", text=text, comments=[{"author": f"u{i}", "text": c} for i, c in enumerate(comments)]
    )


def test_scores_order_benign_below_offensive_and_hateful(step: Toxicity) -> None:
    doc = _doc("A quiet article about gardening.", BENIGN + OFFENSIVE + HATEFUL)
    step.process(doc)
    scores = [c["toxicity"] for c in doc.comments]
    benign = scores[: len(BENIGN)]
    toxic = scores[len(BENIGN) :]
    assert max(benign) < min(toxic)
    assert max(benign) < 0.5 < min(toxic)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_hate_told_apart_from_offensive(step: Toxicity) -> None:
    doc = _doc("", OFFENSIVE + HATEFUL)
    step.process(doc)
    off = doc.comments[: len(OFFENSIVE)]
    hate = doc.comments[len(OFFENSIVE) :]
    assert max(c["toxicity_hate"] for c in off) < min(c["toxicity_hate"] for c in hate)
    assert min(c["toxicity_offensive"] for c in off) > max(c["toxicity_offensive"] for c in hate)
    for c in hate:
        assert c["toxicity_hate"] > c["toxicity_offensive"]
        assert abs(c["toxicity"] - c["toxicity_hate"] - c["toxicity_offensive"]) < 1e-3


def test_comments_flagged_by_default(step: Toxicity) -> None:
    doc = _doc("A quiet article about gardening.", [BENIGN[0], OFFENSIVE[0]])
    step.process(doc)
    assert doc.removed is None
    assert [c["toxic"] for c in doc.comments] == [False, True]
    assert [c["author"] for c in doc.comments] == ["u0", "u1"]
    assert doc.signals["toxicity_toxic_comments"] == 1
    assert doc.edits == []


def test_drop_mode_removes_and_records_comment() -> None:
    step = Toxicity(comments="drop")
    doc = _doc("A quiet article about gardening.", [BENIGN[0], OFFENSIVE[0], BENIGN[1]])
    step.process(doc)
    assert [c["text"] for c in doc.comments] == [BENIGN[0], BENIGN[1]]
    assert "toxic" not in doc.comments[0]
    assert doc.edits == [{"step": "toxicity", "reason": "toxic_comment", "text": OFFENSIVE[0]}]
    assert doc.signals["toxicity_toxic_comments"] == 1


def test_document_threshold_removes_toxic_main_text() -> None:
    doc = _doc(OFFENSIVE[1], [])
    Toxicity(max_toxicity=0.5).process(doc)
    assert doc.removed == {"step": "toxicity", "reason": "toxic"}
    assert doc.toxicity is not None and doc.toxicity > 0.5

    kept = _doc(OFFENSIVE[1], [])
    Toxicity(max_toxicity=None).process(kept)
    assert kept.removed is None
    assert kept.toxicity == doc.toxicity
    assert "toxicity_hate" in kept.signals and "toxicity_offensive" in kept.signals


def test_benign_document_kept_with_default_threshold(step: Toxicity) -> None:
    doc = _doc(" ".join(BENIGN), [])
    step.process(doc)
    assert doc.removed is None
    assert doc.toxicity is not None and doc.toxicity < 0.5


def test_removed_documents_are_not_scored(step: Toxicity) -> None:
    doc = _doc(OFFENSIVE[0], [])
    doc.remove("earlier", "short")
    step.process_batch([doc])
    assert doc.toxicity is None
    assert doc.removed == {"step": "earlier", "reason": "short"}


def test_empty_text_scores_zero(step: Toxicity) -> None:
    doc = _doc("", ["", "   ", "!!! ...", OFFENSIVE[0]])
    step.process(doc)
    assert doc.toxicity == 0.0
    assert [c["toxicity"] for c in doc.comments[:3]] == [0.0, 0.0, 0.0]
    assert doc.comments[3]["toxicity"] > 0.5
    model = LinearToxicityModel.load()
    assert model.scores(["", "?!"]).toxicity.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    "settings",
    [
        {"max_toxicity": 1.5},
        {"max_toxicity": -0.1},
        {"comment_threshold": 2.0},
        {"comment_threshold": -1.0},
        {"comments": "hide"},
        {"batch_size": 0},
        {"passage_words": 0},
    ],
)
def test_bad_settings_fail_at_construction(settings: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="toxicity"):
        build_step("toxicity", settings)


def test_settings_roundtrip_through_registry() -> None:
    s = build_step("toxicity", {"max_toxicity": None, "comments": "drop", "comment_threshold": 0.7})
    assert isinstance(s, Toxicity)
    assert s.settings() == {
        "max_toxicity": None,
        "comments": "drop",
        "comment_threshold": 0.7,
        "model_path": None,
        "batch_size": 1024,
        "passage_words": 50,
    }


def test_model_files_load_without_pickle() -> None:
    with np.load(DEFAULT_MODEL_DIR / "weights.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"weights", "bias"}
        assert npz["weights"].dtype == np.float16
        assert npz["weights"].shape[1] == 3
        assert npz["bias"].shape == (3,)
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    assert meta["classes"] == ["neither", "offensive", "hate"]
    assert (DEFAULT_MODEL_DIR / "MODEL_CARD.md").is_file()
    model = LinearToxicityModel.load()
    assert model.weights.shape[0] == model.featurizer.n_features


def test_default_thresholds_match_model_card_values() -> None:
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    s = Toxicity()
    assert s.comment_threshold == meta["thresholds"]["comment"]
    assert s.max_toxicity == meta["thresholds"]["document"]


def test_step_pickles_without_model(step: Toxicity) -> None:
    clone = pickle.loads(pickle.dumps(step))
    assert clone._backend is None
    doc = _doc(BENIGN[0], [OFFENSIVE[0]])
    clone.process(doc)
    assert doc.comments[0]["toxic"] is True


def test_batch_neighbours_do_not_change_scores() -> None:
    model = LinearToxicityModel.load()
    texts = [*BENIGN, *OFFENSIVE, *HATEFUL, ""]
    together = model.predict_proba(texts)
    alone = np.vstack([model.predict_proba([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-6)


def test_normalize_matches_hatexplain_form() -> None:
    assert normalize("RT @bob: You CAN'T be serious!!! http://t.co/x &amp; sooooo") == (
        "user you can not be serious url soo"
    )
    assert normalize("I’m done—ok?") == "i am done ok"
    assert normalize(" \n\t ") == ""


def test_hashing_is_stable() -> None:
    f = HashedFeaturizer(bits=18, lexicon={"x": ["hello"]})
    a = f.transform(["hello world", "bye"])
    b = f.transform(["bye", "hello world"])
    assert sorted(a.cols[a.rows == 0].tolist()) == sorted(b.cols[b.rows == 1].tolist())
    # The lexicon slot fires once for "hello", after the hashed buckets.
    assert a.cols[a.rows == 0].max() == f.n_hashed
    # Fixed value: hashes must not depend on the process (no PYTHONHASHSEED).
    assert int(f.word_hashes(["hello"])[0]) == 7647919642443555230


def test_model_path_without_transformers_names_install_line(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ConfigError, match=INSTALL_HINT.replace("[", r"\[").replace("]", r"\]")):
        Toxicity(model_path=str(tmp_path))
    with pytest.raises(ConfigError, match="thresher\\[transformers\\]"):
        build_step("toxicity", {"model_path": str(tmp_path)})


def test_label_roles_read_checkpoint_labels() -> None:
    assert label_roles({0: "hate speech", 1: "normal", 2: "offensive"}, False) == [
        "hate",
        "harmless",
        "offensive",
    ]
    assert label_roles({0: "LABEL_0", 1: "LABEL_1"}, False) == ["harmless", "offensive"]
    assert label_roles({0: "NOT", 1: "OFF"}, False) == ["harmless", "offensive"]
    jigsaw = {0: "toxic", 1: "severe_toxic", 2: "obscene", 3: "identity_hate"}
    assert label_roles(jigsaw, True) == ["offensive", "offensive", "offensive", "hate"]
    with pytest.raises(ConfigError, match="non-toxic"):
        label_roles({0: "toxic", 1: "insult"}, False)


def test_checkpoint_outputs_map_to_scores() -> None:
    # HateXplain-style softmax head: hate speech / normal / offensive.
    roles = label_roles({0: "hatespeech", 1: "normal", 2: "offensive"}, False)
    probs = np.array([[0.7, 0.2, 0.1], [0.0, 0.9, 0.1]])
    s = scores_from_probabilities(probs, roles, False)
    np.testing.assert_allclose(s.toxicity, [0.8, 0.1])
    np.testing.assert_allclose(s.hate, [0.7, 0.0])
    np.testing.assert_allclose(s.offensive, [0.1, 0.1])
    # Jigsaw-style multi-label sigmoid head: the maximum over each group.
    roles = label_roles({0: "toxic", 1: "obscene", 2: "identity_hate"}, True)
    probs = np.array([[0.3, 0.6, 0.1], [0.05, 0.02, 0.9]])
    s = scores_from_probabilities(probs, roles, True)
    np.testing.assert_allclose(s.toxicity, [0.6, 0.9])
    np.testing.assert_allclose(s.hate, [0.1, 0.9])
    np.testing.assert_allclose(s.offensive, [0.6, 0.05])
    # A binary head without hate labels has no hate score.
    s = scores_from_probabilities(np.array([[0.25, 0.75]]), ["harmless", "offensive"], False)
    assert s.hate is None
    np.testing.assert_allclose(s.toxicity, [0.75])


def test_normalize_restores_masked_profanity() -> None:
    assert normalize("F*ck you, b1tch! a$$hole sh!t!!") == "fuck you bitch asshole shit"
    assert normalize("what the f***") == "what the fuck"
    # Digits and symbols that are not masking are left alone.
    assert normalize("mp3 covid19 h8 2019 serious!!! i**") == "mp3 covid19 h8 2019 serious i"
    assert normalize("mail bob@example.com") == "mail bob user com"


def test_masked_profanity_scores_like_plain() -> None:
    model = LinearToxicityModel.load()
    plain, masked = model.scores(["shut the fuck up bitch", "shut the f*ck up b1tch"]).toxicity
    assert masked == plain


def test_cooccurrence_slot_counts_identity_with_negative_words() -> None:
    lexicon = {"identity": ["muslims", "jews"], "negative": ["filthy", "evil"], "hate": ["kike"]}
    f = HashedFeaturizer(
        bits=10, char_max=0, lexicon=lexicon, cooccur=[["identity", ["negative", "hate"]]]
    )
    assert f.slot_names == ["hate", "identity", "negative", "identity&(negative|hate)"]
    assert f.n_features == f.n_hashed + 4
    b = f.transform(["filthy evil muslims", "muslims and jews", "evil kike jews muslims", "evil"])
    dense = np.zeros((b.n_docs, 4))
    np.add.at(
        dense,
        (b.rows[b.cols >= f.n_hashed], b.cols[b.cols >= f.n_hashed] - f.n_hashed),
        b.vals[b.cols >= f.n_hashed],
    )
    # min(identity hits, negative + hate hits): 1, 0 (no negative word), 2, 0 (no identity term).
    np.testing.assert_allclose(dense[:, 3], np.log1p([1, 0, 2, 0]), rtol=1e-6)
    np.testing.assert_allclose(dense[:, 1], np.log1p([1, 2, 2, 0]), rtol=1e-6)
    assert f.config()["cooccur"] == [["identity", ["negative", "hate"]]]
    with pytest.raises(ValueError, match="not in the lexicon"):
        HashedFeaturizer(bits=10, lexicon=lexicon, cooccur=[["identity", ["slurs"]]])


@given(st.text(alphabet="aab rt_RT\n\t'\u00e9\u00b2\u0663-!.\ud800", max_size=30))
def test_normalize_tail_equals_the_plain_regexes(text: str) -> None:
    # normalize() screens for letter runs in numpy and collects words with one
    # findall; the result must be what the plain substitutions give.
    out = re.sub(r"([^\W\d_])\1{2,}", r"\1\1", text.lower())
    out = re.sub(r"[\W_]+", " ", out)
    out = " ".join(re.sub(r"(?:^| )rt(?= |$)", "", out).split())
    assert normalize(text) == out


def test_passages_gather_lines_and_cut_long_ones() -> None:
    assert split_passages("", 50) == [] and split_passages(" \n\n ", 50) == []
    lines = [" ".join(["word"] * 20)] * 5 + [" ".join(["long"] * 130)]
    passages = split_passages("\n".join(lines), 50)
    assert [n for _, n in passages] == [60, 40, 50, 80]  # 130 words: 50, then 80 (<= 100)
    assert passages[0][0].count("\n") == 2  # three 20-word lines reach 50
    assert sum(n for _, n in passages) == 5 * 20 + 130


def test_a_long_page_is_scored_by_what_most_of_it_is(step: Toxicity) -> None:
    # One hateful line in a long benign page: the page is not toxic, the line is
    # its worst passage; a page that is hateful throughout stays toxic.
    benign = "\n".join(BENIGN * 6)
    page = _doc(benign + "\n" + HATEFUL[0] + "\n" + benign, [])
    step.process(page)
    alone = _doc(HATEFUL[0], [])
    Toxicity(max_toxicity=None).process(alone)
    assert page.removed is None
    assert page.toxicity is not None and page.toxicity < 0.5
    assert page.signals["toxicity_max_passage"] >= 0.5
    assert page.signals["toxicity_max_passage"] > page.toxicity
    rant = _doc("\n".join(HATEFUL * 10), [])
    step.process(rant)
    assert rant.toxicity is not None and rant.toxicity >= 0.9


def _tiny_checkpoint(path, labels: dict[int, str], multi_label: bool = False) -> None:
    """A real Hugging Face checkpoint, small and random (seeded): a word-level
    tokenizer trained on the test texts and a one-layer BERT head with
    ``labels``. Nothing is downloaded."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    tok.train_from_iterator(BENIGN + OFFENSIVE, trainers.WordLevelTrainer(special_tokens=specials))
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
    )
    fast.save_pretrained(path)
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=fast.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=len(labels),
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
        problem_type="multi_label_classification" if multi_label else None,
    )
    transformers.BertForSequenceClassification(config).save_pretrained(path)


def _one_by_one(path, texts: list[str], multi_label: bool) -> np.ndarray:
    """Each text's probabilities from its own forward pass (no padding)."""
    import torch
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        path, local_files_only=True
    ).eval()
    rows = []
    with torch.inference_mode():
        for text in texts:
            logits = model(**tokenizer(text, return_tensors="pt")).logits.float()
            probs = torch.sigmoid(logits) if multi_label else torch.softmax(logits, -1)
            rows.append(probs[0].numpy())
    return np.stack(rows)


def test_transformer_backend_with_a_real_checkpoint(tmp_path) -> None:
    # A real (tiny, random) checkpoint through the step: batched, length-sorted
    # and padded, each text scores as it does alone, and the labels map to
    # toxicity = 1 - P(neither), hate, offensive, for the text and each comment.
    _tiny_checkpoint(tmp_path, {0: "hate", 1: "offensive", 2: "neither"})
    from thresher.toxicity.transformer import TransformerToxicityModel

    texts = BENIGN + OFFENSIVE
    backend = TransformerToxicityModel(tmp_path, batch_size=2)
    alone = _one_by_one(tmp_path, texts, multi_label=False)
    assert np.allclose(backend.probabilities(texts), alone, atol=1e-5)
    s = backend.scores(texts)
    assert np.allclose(s.toxicity, 1 - alone[:, 2], atol=1e-5)
    assert np.allclose(s.hate, alone[:, 0], atol=1e-5)
    assert np.allclose(s.offensive, alone[:, 1], atol=1e-5)

    step = Toxicity(model_path=str(tmp_path), max_toxicity=None)
    doc = Document(id="d", text=BENIGN[0])
    doc.comments = [{"author": "a", "text": t, "toxicity": None} for t in OFFENSIVE]
    step.process_batch([doc])
    assert doc.toxicity == pytest.approx(1 - alone[0, 2], abs=1e-4)
    for c, row in zip(doc.comments, alone[len(BENIGN) :], strict=True):
        assert c["toxicity"] == pytest.approx(1 - row[2], abs=1e-4)
        assert c["toxicity_hate"] == pytest.approx(row[0], abs=1e-4)


def test_transformer_backend_with_a_multi_label_checkpoint(tmp_path) -> None:
    # A Jigsaw-style multi-label head: sigmoids, each score the maximum of its labels.
    labels = {0: "toxic", 1: "obscene", 2: "identity_hate"}
    _tiny_checkpoint(tmp_path, labels, multi_label=True)
    from thresher.toxicity.transformer import TransformerToxicityModel

    texts = BENIGN + OFFENSIVE
    backend = TransformerToxicityModel(tmp_path, batch_size=3)
    alone = _one_by_one(tmp_path, texts, multi_label=True)
    s = backend.scores(texts)
    assert np.allclose(s.toxicity, alone.max(axis=1), atol=1e-5)
    assert np.allclose(s.hate, alone[:, 2], atol=1e-5)
    assert np.allclose(s.offensive, alone[:, :2].max(axis=1), atol=1e-5)
