"""geomap's public functions: one call for each thing the command line does.

Each function takes keyword options like its command, works on a
:class:`~geomap.workspace.Workspace` (the gazetteer, geocode cache and event
store, opened once) and returns typed results: a
:class:`~geomap.geocoding.GeocodeResult`, :class:`~geomap.model.ExtractResult`
objects, a GeoDataFrame, a folium map.  Without a ``workspace`` the default
files (see :mod:`geomap.config`) are opened for the call and closed after it.

Heavy libraries (geopandas, folium) are imported only by the functions that
need them, so ``import geomap`` stays fast.
"""

from __future__ import annotations

from geomap.api.articles import (
    evaluate,
    evaluate_events,
    extract,
    extract_text,
    parse_date,
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
from geomap.api.events import (
    check_store,
    export,
    ingest,
    near,
    read_events,
    refresh,
    totals,
    write_dataset,
)
from geomap.api.maps import build_map, make_map, save_map
from geomap.api.places import build_gazetteer, gazetteer_info, geocode, geocode_many, refresh_cache

__all__ = [
    "build_gazetteer",
    "build_map",
    "check_store",
    "evaluate",
    "evaluate_events",
    "export",
    "extract",
    "extract_text",
    "gazetteer_info",
    "geocode",
    "geocode_many",
    "ingest",
    "make_map",
    "near",
    "parse_date",
    "read_events",
    "refresh",
    "refresh_cache",
    "save_map",
    "totals",
    "write_dataset",
    "write_results",
    "dedupe_events",
    "events_dataframe",
    "extract_cluster",
    "merge_caches",
    "refresh_cache_cluster",
    "ingest_cluster",
]
