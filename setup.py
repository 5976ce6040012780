"""Build hook for the optional C extensions; the project's metadata is in pyproject.toml.

``thresher._ngrams`` (src/thresher/_ngrams.c) counts Gopher repetition's word
n-grams; ``thresher._segfeat`` (src/thresher/_segfeat.c) counts the per-line
characters, words and keyword candidates of the segment step's features, and
walks its model's forest. Both are optional: without a C compiler the install
still succeeds and the numpy paths run (thresher.steps.quality.ngrams,
thresher.segment.features, thresher.segment.forest; same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "thresher._ngrams",
            sources=["src/thresher/_ngrams.c"],
            optional=True,
        ),
        Extension(
            "thresher._segfeat",
            sources=["src/thresher/_segfeat.c"],
            optional=True,
        ),
    ]
)
