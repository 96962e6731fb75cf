"""Reading articles: toponyms, their resolution, casualty figures and events."""

from geomap.text.articles import (
    MAX_ARTICLE_BYTES,
    Article,
    article_from_text,
    parse_date,
    read_article,
)
from geomap.text.extract import ExtractResult, extract_article, extract_paths, write_results
from geomap.text.resolve import default_gazetteer, geoparse
from geomap.text.toponyms import name_index, parse_phrase

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "ExtractResult",
    "article_from_text",
    "default_gazetteer",
    "extract_article",
    "extract_paths",
    "geoparse",
    "name_index",
    "parse_date",
    "parse_phrase",
    "read_article",
    "write_results",
]
