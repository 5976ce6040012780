"""Summaries and reports."""
