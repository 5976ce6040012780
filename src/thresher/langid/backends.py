"""Language identifiers the ``language`` step can use, behind one interface.

``predict(texts) -> [(iso_639_1 or None, confidence)]``. The shipped model
(:mod:`thresher.langid.model`) is the default; a fastText model (``.bin`` /
``.ftz``, e.g. ``lid.176.ftz`` or GlotLID's ``model.bin``) can be given by path.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from thresher.errors import ConfigError


class LanguageIdentifier(Protocol):
    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]: ...


@cache
def _iso639() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "models" / "langid" / "iso639.json"
    return dict(json.loads(path.read_text("utf-8")))


def to_iso639_1(code: str) -> str:
    """``eng`` / ``eng_Latn`` / ``__label__en`` / ``zh-Hans`` -> ``en`` / ``zh``.

    ISO 639-3 and 639-2 codes map to ISO 639-1 where the language has one
    (individual languages such as ``zsm``, ``cmn``, ``arb`` map to their
    macrolanguage's code). A code without a 639-1 equivalent is returned
    lower-cased as it is (e.g. ``ceb``).
    """
    code = code.removeprefix("__label__")
    base = code.replace("-", "_").split("_", 1)[0].lower()
    if len(base) == 2:
        return base
    return _iso639().get(base, base)


class FastTextIdentifier:
    """A fastText supervised model (fastText lid.176, GlotLID, OpenLID ...)."""

    def __init__(self, path: str) -> None:
        try:
            import fasttext
        except ImportError as exc:
            raise ConfigError(
                "language: model_path needs the fasttext module: pip install fasttext-numpy2-wheel"
            ) from exc
        # fastText prints a warning on load_model; the model itself is all we need.
        fasttext.FastText.eprint = lambda *args, **kwargs: None
        self._model: Any = fasttext.load_model(path)

    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]:
        lines = [" ".join(t.split()) for t in texts]
        labels, probs = self._model.predict(lines, k=1)
        out: list[tuple[str | None, float]] = []
        for line, lab, p in zip(lines, labels, probs, strict=True):
            if not any(ch.isalpha() for ch in line) or not len(lab):
                out.append((None, 0.0))
            else:
                out.append((to_iso639_1(lab[0]), min(1.0, float(p[0]))))
        return out


def load_identifier(model_path: str | None) -> LanguageIdentifier:
    """The shipped model, or the fastText model at ``model_path``."""
    if model_path is None:
        from thresher.langid.model import LangIdModel

        return LangIdModel.load()
    path = Path(model_path)
    if not path.is_file():
        raise ConfigError(
            f"language: model_path {model_path!r} does not exist; give a fastText .bin/.ftz file"
        )
    if path.suffix == ".npz":
        from thresher.langid.model import LangIdModel

        return LangIdModel.load(path)
    return FastTextIdentifier(str(path))
