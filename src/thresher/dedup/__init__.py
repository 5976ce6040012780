"""Corpus-level deduplication steps: exact, repeated lines, MinHash-LSH."""
