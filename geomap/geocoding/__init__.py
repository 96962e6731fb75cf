"""Geocoding: the persistent cache, the offline-first geocoder and online providers.

``keys`` writes and reads cache keys, ``entry`` is one cached answer, ``cache``
stores them (``transfer`` reads and writes export files), ``pins`` and
``geocoder`` decide what answers a query, ``online`` asks geopy services,
``reresolve`` re-derives cached answers, and ``jobs`` runs the commands on a
workspace.
"""

from geomap.geocoding.cache import GeocodeCache, ImportReport
from geomap.geocoding.entry import CacheEntry, now
from geomap.geocoding.geocoder import Geocoder
from geomap.geocoding.keys import KeyHints, cache_key, hints_for, parse_key
from geomap.geocoding.online import online_geocoder, service_names
from geomap.geocoding.reresolve import (
    CacheRefresh,
    Change,
    Reresolved,
    refresh_entries,
    reresolve_key,
)
from geomap.geocoding.result import GeocodeResult

__all__ = [
    "CacheEntry",
    "CacheRefresh",
    "refresh_entries",
    "Change",
    "GeocodeCache",
    "GeocodeResult",
    "Geocoder",
    "ImportReport",
    "KeyHints",
    "Reresolved",
    "cache_key",
    "hints_for",
    "now",
    "online_geocoder",
    "parse_key",
    "reresolve_key",
    "service_names",
]
