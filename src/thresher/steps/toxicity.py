"""Toxicity scores for the main text and for every user comment."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter

# Defaults chosen on the validation split of the shipped model (see
# thresher/models/toxicity/MODEL_CARD.md, "Thresholds"):
#: the F1-best threshold on validation comments (Davidson + HateXplain, 10 %).
DEFAULT_COMMENT_THRESHOLD = 0.44
#: removes 2 % of validation texts labelled neither hateful nor offensive.
DEFAULT_MAX_TOXICITY = 0.95


class Backend(Protocol):
    """What a toxicity model offers the step: ``scores(texts) -> Scores``."""

    def scores(self, texts: list[str]) -> Any: ...


class Toxicity(Filter):
    """Score the main text and each comment for toxicity, 0..1.

    The default model is a 3-class (neither / offensive / hate) linear model
    over hashed word unigrams and bigrams plus lexicon counts (slurs,
    profanity, negative sentiment, identity terms and identity terms beside
    the others), trained on Davidson et al. 2017 ("Automated Hate Speech
    Detection and the Problem of Offensive Language", ICWSM) and HateXplain
    (Mathew et al. 2021, AAAI); toxicity = P(offensive) + P(hate). Its model card is in
    ``thresher/models/toxicity/MODEL_CARD.md``. ``model_path`` swaps in a local
    Hugging Face sequence-classification checkpoint (``pip install
    'thresher[transformers]'``); set the thresholds for that model yourself.

    Writes ``doc.toxicity`` and the signals ``toxicity_hate``,
    ``toxicity_offensive`` and ``toxicity_toxic_comments`` (how many comments
    reached ``comment_threshold``); each comment gets ``toxicity``,
    ``toxicity_hate``, ``toxicity_offensive`` and, in ``flag`` mode, ``toxic``.

    The main text is scored in passages of about ``passage_words`` words (whole
    lines, a longer line cut into pieces), the length of the posts and comments
    the model was trained on; ``doc.toxicity`` (and the hate / offensive
    signals) is their mean weighted by words, and ``toxicity_max_passage`` the
    score of the most toxic passage. Scored whole, a long page piles up
    lexicon hits (a natural-history article on fish courtship scored 0.998)
    and was removed as toxic; in passages it scores what most of it is.

    * ``max_toxicity``: remove the document (reason ``toxic``) when the main
      text scores above it; ``None`` removes nothing.
    * ``comments``: what to do with a comment scoring ``comment_threshold`` or
      more: ``flag`` (``comment["toxic"] = True``, kept for research) or
      ``drop`` (taken out of ``doc.comments`` and recorded as an edit, reason
      ``toxic_comment``).
    An empty text scores 0.0.
    """

    name = "toxicity"
    version = 2
    transient: ClassVar[dict[str, Any]] = {"_backend": None}

    def __init__(
        self,
        *,
        max_toxicity: float | None = DEFAULT_MAX_TOXICITY,
        comments: Literal["flag", "drop"] = "flag",
        comment_threshold: float = DEFAULT_COMMENT_THRESHOLD,
        model_path: str | None = None,
        batch_size: int = 1024,
        passage_words: int = 50,
    ) -> None:
        if max_toxicity is not None and not 0.0 <= max_toxicity <= 1.0:
            raise ConfigError(
                f"toxicity: max_toxicity must be between 0 and 1 (or null), got {max_toxicity!r}"
            )
        if not 0.0 <= comment_threshold <= 1.0:
            raise ConfigError(
                f"toxicity: comment_threshold must be between 0 and 1, got {comment_threshold!r}"
            )
        if comments not in ("flag", "drop"):
            raise ConfigError(f"toxicity: comments must be 'flag' or 'drop', got {comments!r}")
        if passage_words < 1:
            raise ConfigError(f"toxicity: passage_words must be at least 1, got {passage_words!r}")
        if batch_size < 1:
            raise ConfigError(f"toxicity: batch_size must be at least 1, got {batch_size!r}")
        if model_path is not None:
            from thresher.toxicity.transformer import require_transformers

            require_transformers()
            if not Path(model_path).is_dir():
                raise ConfigError(f"toxicity: model_path {model_path!r} is not a folder")
        self.max_toxicity = max_toxicity
        self.comments = comments
        self.comment_threshold = comment_threshold
        self.model_path = model_path
        self.batch_size = batch_size
        self.passage_words = passage_words
        self._backend: Backend | None = None

    def setup(self) -> None:
        if self._backend is not None:
            return
        if self.model_path is None:
            from thresher.toxicity.linear import LinearToxicityModel

            self._backend = LinearToxicityModel.load()
        else:
            from thresher.toxicity.transformer import TransformerToxicityModel

            self._backend = TransformerToxicityModel(self.model_path)

    # -- scoring ---------------------------------------------------------------

    def _score(self, texts: list[str]) -> list[tuple[float, float | None, float | None]]:
        """(toxicity, hate, offensive) per text, rounded; blank texts score 0."""
        self.setup()
        assert self._backend is not None
        out: list[tuple[float, float | None, float | None]] = [(0.0, 0.0, 0.0)] * len(texts)
        todo = [i for i, t in enumerate(texts) if t and not t.isspace()]
        for start in range(0, len(todo), self.batch_size):
            idx = todo[start : start + self.batch_size]
            s = self._backend.scores([texts[i] for i in idx])
            tox = s.toxicity.tolist()
            hate = s.hate.tolist() if s.hate is not None else None
            off = s.offensive.tolist() if s.offensive is not None else None
            for k, i in enumerate(idx):
                out[i] = (
                    round(tox[k], 4),
                    None if hate is None else round(hate[k], 4),
                    None if off is None else round(off[k], 4),
                )
        return out

    def process_batch(self, docs: list[Document]) -> None:
        live = [d for d in docs if d.removed is None]
        self._annotate_batch(live)
        for d in live:
            reason = self.decide(d)
            if reason is not None:
                d.remove(self.name, reason)

    def _annotate_batch(self, live: list[Document]) -> None:
        """Score every main text and comment of ``live`` in shared batches."""
        texts: list[str] = []
        weights: list[list[int]] = []
        for d in live:
            passages = split_passages(d.text or "", self.passage_words)
            weights.append([n for _, n in passages])
            texts.extend(p for p, _ in passages)
            texts.extend(str(c.get("text") or "") for c in d.comments)
        scores = iter(self._score(texts))
        for d, w in zip(live, weights, strict=True):
            parts = [next(scores) for _ in w]
            tox, hate, off = _weighted_mean(parts, w)
            d.toxicity = tox
            if hate is not None:
                d.signals["toxicity_hate"] = hate
            if off is not None:
                d.signals["toxicity_offensive"] = off
            d.signals["toxicity_max_passage"] = max((t for t, _, _ in parts), default=0.0)
            kept: list[dict[str, Any]] = []
            n_toxic = 0
            for comment in d.comments:
                c_tox, c_hate, c_off = next(scores)
                comment["toxicity"] = c_tox
                if c_hate is not None:
                    comment["toxicity_hate"] = c_hate
                if c_off is not None:
                    comment["toxicity_offensive"] = c_off
                toxic = c_tox >= self.comment_threshold
                n_toxic += toxic
                if self.comments == "flag":
                    comment["toxic"] = toxic
                    kept.append(comment)
                elif toxic:
                    d.record_edit(self.name, "toxic_comment", str(comment.get("text") or ""))
                else:
                    kept.append(comment)
            d.comments = kept
            d.signals["toxicity_toxic_comments"] = n_toxic

    def annotate(self, doc: Document) -> None:
        self._annotate_batch([doc])

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def decide(self, doc: Document) -> str | None:
        if self.max_toxicity is not None and (doc.toxicity or 0.0) > self.max_toxicity:
            return "toxic"
        return None


def split_passages(text: str, words: int) -> list[tuple[str, int]]:
    """``text`` cut into passages of about ``words`` words, with their word
    counts: lines are gathered until they reach ``words``; a line of more
    than twice that is cut into pieces of ``words``. No words: no passage."""
    out: list[tuple[str, int]] = []
    lines: list[str] = []
    count = 0
    for line in text.split("\n"):
        ws = line.split()
        if len(ws) > 2 * words:
            if lines:
                out.append(("\n".join(lines), count))
                lines, count = [], 0
            while len(ws) > 2 * words:
                out.append((" ".join(ws[:words]), words))
                ws = ws[words:]
        if not ws:
            continue
        lines.append(" ".join(ws))
        count += len(ws)
        if count >= words:
            out.append(("\n".join(lines), count))
            lines, count = [], 0
    if lines:
        out.append(("\n".join(lines), count))
    return out


def _weighted_mean(
    parts: list[tuple[float, float | None, float | None]], weights: list[int]
) -> tuple[float, float | None, float | None]:
    """Word-weighted mean of passage scores, rounded; (0, 0, 0) for no passage."""
    if not parts:
        return 0.0, 0.0, 0.0
    total = float(sum(weights))

    def mean(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        if len(present) < len(values):
            return None
        return round(sum(v * w for v, w in zip(present, weights, strict=True)) / total, 4)

    tox = mean([t for t, _, _ in parts])
    assert tox is not None
    return tox, mean([h for _, h, _ in parts]), mean([o for _, _, o in parts])
