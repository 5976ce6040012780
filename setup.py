"""Build hook for the optional C extension; the project's metadata is in pyproject.toml.

``thresher._ngrams`` (src/thresher/_ngrams.c) counts Gopher repetition's word
n-grams; it is optional: without a C compiler the install still succeeds and
thresher.steps.quality.ngrams uses its numpy path (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "thresher._ngrams",
            sources=["src/thresher/_ngrams.c"],
            optional=True,
        )
    ]
)
