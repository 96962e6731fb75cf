"""Scoring geomap against gold-annotated corpora."""

from geomap.evaluation.geoparse import evaluate, format_table, read_corpus

__all__ = ["evaluate", "format_table", "read_corpus"]
