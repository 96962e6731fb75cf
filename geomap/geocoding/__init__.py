"""Geocoding: the persistent cache, the offline-first geocoder and online providers."""

from geomap.geocoding.cache import CacheEntry, GeocodeCache, cache_key, hints_for, now
from geomap.geocoding.geocoder import Geocoder, GeocodeResult, geocode_names, online_geocoder

__all__ = [
    "CacheEntry",
    "GeocodeCache",
    "GeocodeResult",
    "Geocoder",
    "cache_key",
    "geocode_names",
    "hints_for",
    "now",
    "online_geocoder",
]
