"""Reading articles: toponyms, their resolution, casualty figures and events."""

from geomap.text.articles import (
    MAX_ARTICLE_BYTES,
    article_from_text,
    parse_date,
    read_article,
)
from geomap.text.events import extract_events
from geomap.text.extract import extract_article, extract_paths
from geomap.text.names import name_index
from geomap.text.resolve import geoparse
from geomap.text.tokens import parse_phrase

__all__ = [
    "MAX_ARTICLE_BYTES",
    "article_from_text",
    "extract_article",
    "extract_events",
    "extract_paths",
    "geoparse",
    "name_index",
    "parse_date",
    "parse_phrase",
    "read_article",
]
