"""geomap: conflict reporting into located events, maps and answers, offline."""

from geomap.errors import GeomapError

__all__ = ["GeomapError"]
__version__ = "0.1.0"
