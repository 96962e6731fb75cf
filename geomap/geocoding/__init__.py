"""Geocoding: the persistent cache, the offline-first geocoder and online providers.

``keys`` writes and reads cache keys, ``entry`` is one cached answer, ``cache``
stores them (``transfer`` reads and writes export files, ``checks`` checks an
imported row, ``imports`` merges a file into the cache), ``geocoder`` decides
what answers a query (pins first), ``online`` asks geopy services (paced by
``pacing`` across processes), and ``reresolve`` re-derives cached answers.
"""

from geomap.geocoding.cache import GeocodeCache
from geomap.geocoding.entry import CacheEntry, now
from geomap.geocoding.geocoder import Geocoder
from geomap.geocoding.imports import ImportReport
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
