"""Language identification of the main text and of each comment.

Sets ``doc.lang`` (ISO 639-1) and ``doc.lang_score`` (the model's calibrated
confidence, 0..1) and ``comment["lang"]`` / ``comment["lang_score"]`` for each
comment. Text without any letter (empty, digits, punctuation) gets ``lang =
None`` and ``lang_score = 0.0``.

The default model ships with thresher (``thresher/models/langid``): letter
n-gram naive Bayes over 75 languages whose n-gram statistics are distilled from
lingua (Stahl, lingua-rs/lingua-py, Leipzig corpora), with rerankers for close
languages and a length-aware confidence calibration; see its MODEL_CARD.md. The
approach is Cavnar & Trenkle (1994) / langid.py (Lui & Baldwin 2012) style
character n-gram classification.

As a filter: ``languages`` keeps only documents whose language is in the list
(reason ``lang_not_allowed``; a text without letters is not allowed either),
``min_score`` removes documents whose confidence is below it (reason
``lang_low_confidence``). Both ``None``: annotate only.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from thresher.document import Document
from thresher.errors import ConfigError
from thresher.steps.base import Filter

_CODE = re.compile(r"[a-z]{2,3}")


class Language(Filter):
    """Tag the main text and comments with a language and a confidence; optionally filter.

    ``max_chars``: only the first this many characters of a text are read (language
    is settled long before; it bounds the cost of huge documents).
    ``model_path``: a fastText ``.bin``/``.ftz`` model (e.g. GlotLID) or a
    thresher ``.npz`` model to use instead of the shipped one.
    """

    name: ClassVar[str] = "language"
    version: ClassVar[int] = 1
    transient: ClassVar[dict[str, Any]] = {"_model": None}

    def __init__(
        self,
        *,
        languages: list[str] | None = None,
        min_score: float | None = None,
        model_path: str | None = None,
        max_chars: int = 5000,
    ) -> None:
        if languages is not None:
            if isinstance(languages, str) or not languages:
                raise ConfigError(
                    "language: languages must be a non-empty list of ISO 639-1 codes such as [en, de], or null"
                )
            bad = [c for c in languages if not isinstance(c, str) or not _CODE.fullmatch(c)]
            if bad:
                raise ConfigError(
                    f"language: {bad!r} in languages are not ISO 639-1 codes; write lower-case codes such as 'en', 'de', 'zh'"
                )
            languages = list(languages)
        if min_score is not None and not 0.0 <= min_score <= 1.0:
            raise ConfigError(
                f"language: min_score must be between 0 and 1, or null; got {min_score}"
            )
        if max_chars < 1:
            raise ConfigError(f"language: max_chars must be at least 1, got {max_chars}")
        if languages is not None and model_path is None:
            from thresher.langid.model import model_languages

            known = model_languages()
            unknown = [c for c in languages if c not in known]
            if unknown:
                raise ConfigError(
                    f"language: the shipped model does not know {unknown!r}; choose from: {', '.join(sorted(known))}"
                )
        self.languages = languages
        self.min_score = min_score
        self.model_path = model_path
        self.max_chars = max_chars
        self._allowed = frozenset(languages) if languages is not None else None
        self._model: Any = None
        if model_path is not None:
            # Fail now, before any work, when the path or the fastText module is missing.
            self.setup()

    def setup(self) -> None:
        if self._model is None:
            from thresher.langid.backends import load_identifier

            self._model = load_identifier(self.model_path)

    def process_batch(self, docs: list[Document]) -> None:
        live = [d for d in docs if d.removed is None]
        if not live:
            return
        self.setup()
        texts: list[str] = []
        for doc in live:
            texts.append(doc.text[: self.max_chars])
            texts.extend(str(c.get("text") or "")[: self.max_chars] for c in doc.comments)
        results = iter(self._model.predict(texts))
        for doc in live:
            doc.lang, doc.lang_score = next(results)
            for comment in doc.comments:
                comment["lang"], comment["lang_score"] = next(results)
            reason = self.decide(doc)
            if reason is not None:
                doc.remove(self.name, reason)

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def decide(self, doc: Document) -> str | None:
        if self._allowed is not None and doc.lang not in self._allowed:
            return "lang_not_allowed"
        if self.min_score is not None and (doc.lang_score or 0.0) < self.min_score:
            return "lang_low_confidence"
        return None
