"""Toxicity models behind the ``toxicity`` step.

* :mod:`.text` -- the text normalisation every model input goes through;
* :mod:`.features` -- hashed word and character n-grams, vectorised with numpy;
* :mod:`.linear` -- the shipped linear model (numpy inference, ``.npz`` weights);
* :mod:`.transformer` -- an optional Hugging Face checkpoint backend;
* :mod:`.training` -- data loading, fitting and metrics (``train``/``eval`` scripts).
"""
