"""geomap: conflict reporting into located events, layered maps and answers, offline.

The public API (each function has a numpydoc docstring with an example)::

    import geomap

    geomap.geocode("Ar Rastan", country="SY")         # -> GeocodeResult (pin, cache, gazetteer)
    geomap.extract_text(text, date="2015-09-30")      # -> ExtractResult (mentions, events)
    geomap.extract(["articles/"])                     # -> ExtractResult per file
    geomap.ingest(["acled.csv", "article.txt"])       # -> IngestReport (into the event store)
    geomap.read_events(since="2015-10")               # -> GeoDataFrame of stored events
    geomap.near("Rastan", radius_km=25)               # -> GeoDataFrame, nearest first
    geomap.build_map(events)                          # -> folium.Map; geomap.save_map(m, path)
    geomap.refresh(offline=True)                      # -> RefreshReport (what a pin moved)

Functions take ``workspace=geomap.Workspace(...)`` to work on given files
(gazetteer, geocode cache, event store) and keep them open between calls.
Every error is a :class:`GeomapError` that also inherits the matching
builtin (``InputError`` is a ``ValueError``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from geomap.errors import (
    CacheError,
    ConfigurationError,
    CoordinateError,
    DataError,
    GazetteerError,
    GeocodeError,
    GeomapError,
    InputError,
    RenderError,
    StoreError,
)

#: name -> module it lives in; imported on first use so that ``import geomap`` is fast.
_LAZY = {
    **{name: "geomap.api" for name in (
        "build_gazetteer", "build_map", "check_store", "evaluate", "evaluate_events", "export",
        "extract",
        "extract_text",
        "gazetteer_info", "geocode", "geocode_many", "ingest", "make_map", "near",
        "parse_date", "read_events", "refresh", "refresh_cache", "save_map", "totals",
        "write_dataset", "write_results",
        "events_dataframe", "extract_cluster", "merge_caches", "refresh_cache_cluster",
        "ingest_cluster", "dedupe_events",
    )},
    **{name: "geomap.model" for name in (
        "Article", "Event", "EventFilter", "ExtractResult", "Mention", "Place",
    )},
    "Workspace": "geomap.workspace",
    "GeocodeResult": "geomap.geocoding",
    "MAX_ARTICLE_BYTES": "geomap.text",
    "USER_AGENT_ENV": "geomap.config",
}  # fmt: skip

__all__ = [
    "Article",
    "build_gazetteer",
    "build_map",
    "CacheError",
    "check_store",
    "ConfigurationError",
    "CoordinateError",
    "DataError",
    "evaluate",
    "evaluate_events",
    "Event",
    "EventFilter",
    "export",
    "extract",
    "extract_text",
    "ExtractResult",
    "gazetteer_info",
    "GazetteerError",
    "geocode",
    "geocode_many",
    "GeocodeError",
    "GeocodeResult",
    "GeomapError",
    "ingest",
    "InputError",
    "make_map",
    "MAX_ARTICLE_BYTES",
    "Mention",
    "near",
    "parse_date",
    "Place",
    "read_events",
    "refresh",
    "refresh_cache",
    "RenderError",
    "save_map",
    "StoreError",
    "totals",
    "USER_AGENT_ENV",
    "Workspace",
    "write_dataset",
    "write_results",
    "dedupe_events",
    "events_dataframe",
    "extract_cluster",
    "merge_caches",
    "refresh_cache_cluster",
    "ingest_cluster",
]

if TYPE_CHECKING:
    from geomap.api import (
        build_gazetteer,
        build_map,
        check_store,
        evaluate,
        evaluate_events,
        export,
        extract,
        extract_text,
        gazetteer_info,
        geocode,
        geocode_many,
        ingest,
        make_map,
        near,
        parse_date,
        read_events,
        refresh,
        refresh_cache,
        save_map,
        totals,
        write_dataset,
        write_results,
    )
    from geomap.api.engine import (
        dedupe_events,
        events_dataframe,
        extract_cluster,
        ingest_cluster,
        merge_caches,
        refresh_cache_cluster,
    )
    from geomap.config import USER_AGENT_ENV
    from geomap.geocoding import GeocodeResult
    from geomap.model import Article, Event, EventFilter, ExtractResult, Mention, Place
    from geomap.text import MAX_ARTICLE_BYTES
    from geomap.workspace import Workspace


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
