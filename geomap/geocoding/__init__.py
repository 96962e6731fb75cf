"""Geocoding: the persistent cache, the offline-first geocoder and online providers."""

from geomap.geocoding.cache import GeocodeCache, ImportReport
from geomap.geocoding.entry import CacheEntry, now
from geomap.geocoding.geocoder import Geocoder, geocode_names
from geomap.geocoding.keys import KeyHints, cache_key, hints_for, parse_key
from geomap.geocoding.online import online_geocoder, service_names
from geomap.geocoding.result import GeocodeResult

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
    "service_names",
]
