"""Language identification: the shipped n-gram model and optional fastText models.

See :mod:`thresher.langid.model` and ``thresher/models/langid/MODEL_CARD.md``;
the pipeline step is :class:`thresher.steps.language.Language`.
"""
