"""Geocoding: the persistent cache, the offline-first geocoder and online providers."""

from geomap.geocoding.cache import GeocodeCache, ImportReport
from geomap.geocoding.entry import CacheEntry, now
from geomap.geocoding.geocoder import Geocoder, GeocodeResult, geocode_names, online_geocoder
from geomap.geocoding.keys import KeyHints, cache_key, hints_for, parse_key

__all__ = [
    "CacheEntry",
    "GeocodeCache",
    "GeocodeResult",
    "Geocoder",
    "ImportReport",
    "KeyHints",
    "cache_key",
    "geocode_names",
    "hints_for",
    "now",
    "online_geocoder",
    "parse_key",
]
