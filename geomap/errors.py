"""One error hierarchy for geomap.

Every error a user can cause descends from :class:`GeomapError` and also from
the matching builtin, so callers may catch either.  Messages name the bad
input and say how to fix it; the CLI prints them as one line.
"""

from __future__ import annotations


class GeomapError(Exception):
    """Root of all geomap errors."""


class ConfigurationError(GeomapError, ValueError):
    """A setting, option or service name is wrong or missing."""


class GazetteerError(GeomapError, RuntimeError):
    """The offline gazetteer is missing, half-built or unreadable."""


class GeocodeError(GeomapError, LookupError):
    """A place could not be geocoded."""


class CoordinateError(GeomapError, ValueError):
    """A latitude/longitude is malformed, out of range or suspicious."""


class CacheError(GeomapError, RuntimeError):
    """The geocode cache is corrupt or cannot be written."""


class InputError(GeomapError, ValueError):
    """An input file or value is unreadable, empty or in the wrong format."""


class StoreError(GeomapError, RuntimeError):
    """The event store is corrupt, locked or cannot be written."""


class RenderError(GeomapError, RuntimeError):
    """A map could not be rendered (for example, offline assets are missing)."""


class DataError(GeomapError, RuntimeError):
    """Offline data the package needs (boundaries, map assets) is not installed."""
