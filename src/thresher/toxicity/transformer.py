"""Optional backend: a local Hugging Face sequence-classification checkpoint.

Any checkpoint with ``AutoModelForSequenceClassification`` weights works; its
``id2label`` names decide what each output means:

* a label naming the harmless class (``normal``, ``neither``, ``neutral``,
  ``non-toxic``, ``not``...) -- with softmax outputs, toxicity is
  ``1 - P(harmless)``; a binary head with ``LABEL_0``/``LABEL_1`` names takes
  label 0 as harmless;
* labels containing ``hate`` (or ``identity``) feed the hate score, every other
  label the offensive score;
* a multi-label head (``problem_type == "multi_label_classification"``, e.g.
  Jigsaw-style ``toxic/obscene/insult/identity_hate``) uses sigmoids, and each
  score is the maximum over its labels.

Batches run on the GPU when ``torch.cuda.is_available()``, texts sorted by
length so padding stays small. Nothing is downloaded: the path must hold the
checkpoint (``local_files_only``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thresher.errors import ConfigError
from thresher.toxicity.linear import Scores

INSTALL_HINT = "pip install 'thresher[transformers]'"
_HARMLESS = re.compile(
    r"^(?:normal|neither|neutral|none|clean|safe|ok|not|non|no|nothate|nottoxic|nontoxic|"
    r"notoffensive|nonoffensive|nonhate|acceptable|benign)$"
)


def require_transformers() -> None:
    """Raise ConfigError with the install line when torch or transformers is missing."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"a toxicity model_path needs torch and transformers ({exc.name} is missing): "
            f"{INSTALL_HINT}"
        ) from exc


def label_roles(id2label: dict[int, str], multi_label: bool) -> list[str]:
    """``"harmless"``, ``"hate"`` or ``"offensive"`` for each output index."""
    n = len(id2label)
    roles = []
    for i in range(n):
        name = re.sub(r"[^a-z]", "", str(id2label[i]).lower())
        if _HARMLESS.match(name):
            roles.append("harmless")
        elif "hate" in name or "identity" in name:
            roles.append("hate")
        else:
            roles.append("offensive")
    generic = all(re.fullmatch(r"LABEL_\d+", str(id2label[i])) for i in range(n))
    if not multi_label and "harmless" not in roles:
        if n == 2 and generic:
            roles[0] = "harmless"
        else:
            raise ConfigError(
                f"can't tell which label of {list(id2label.values())} is the non-toxic one; "
                "name it e.g. 'normal' or 'neither' in the checkpoint's config.json id2label"
            )
    return roles


class TransformerToxicityModel:
    """The :class:`~thresher.toxicity.linear.LinearToxicityModel` interface
    (``scores(texts) -> Scores``) over a local transformer checkpoint."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        batch_size: int = 32,
        max_length: int = 256,
        device: str | None = None,
    ) -> None:
        require_transformers()
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        path = Path(model_path)
        if not path.is_dir():
            raise ConfigError(f"toxicity model_path {str(path)!r} is not a folder")
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.batch_size = batch_size
        self.max_length = max_length
        self.tokenizer: Any = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model: Any = AutoModelForSequenceClassification.from_pretrained(
            path, local_files_only=True
        )
        self.model.to(self.device).eval()
        config = self.model.config
        self.multi_label = config.problem_type == "multi_label_classification"
        self.roles = label_roles({int(k): v for k, v in config.id2label.items()}, self.multi_label)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """``[n, n_labels]`` sigmoid or softmax outputs, in input order."""
        import torch

        out = np.zeros((len(texts), len(self.roles)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = self.tokenizer(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.device)
                logits = self.model(**enc).logits.float()
                probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, -1)
                out[idx] = probs.cpu().numpy()
        return out

    def scores(self, texts: Sequence[str]) -> Scores:
        return scores_from_probabilities(self.probabilities(texts), self.roles, self.multi_label)


def scores_from_probabilities(probs: np.ndarray, roles: Sequence[str], multi_label: bool) -> Scores:
    """Map a checkpoint's ``[n, n_labels]`` outputs to toxicity / hate / offensive
    (rules in the module docstring)."""
    role = np.asarray(roles)

    def pick(name: str) -> np.ndarray | None:
        cols = probs[:, role == name]
        if cols.shape[1] == 0:
            return None
        return cols.max(axis=1) if multi_label else cols.sum(axis=1)

    hate, offensive = pick("hate"), pick("offensive")
    if multi_label:
        toxic = probs[:, role != "harmless"]
        toxicity = toxic.max(axis=1) if toxic.shape[1] else np.zeros(len(probs))
    else:
        toxicity = 1.0 - probs[:, role == "harmless"].sum(axis=1)
    return Scores(toxicity=np.clip(toxicity, 0.0, 1.0), hate=hate, offensive=offensive)
