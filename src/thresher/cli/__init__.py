"""The ``thresher`` command line."""
