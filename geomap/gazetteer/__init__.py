"""The offline GeoNames gazetteer: name folding, search and the one-time build."""

from geomap.gazetteer.search import (
    Candidate,
    Gazetteer,
    build,
    is_built,
    name_keys,
    normalize,
)

__all__ = ["Candidate", "Gazetteer", "build", "is_built", "name_keys", "normalize"]
