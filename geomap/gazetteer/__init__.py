"""The offline GeoNames gazetteer: name folding, search and the one-time build.

``names`` folds names into lookup keys, ``schema`` is the file's layout,
``sources`` reads the source packages, ``regions`` names and places admin
regions and districts, ``builder`` writes the file once and
``search`` opens and searches it.
"""

from geomap.gazetteer.builder import add_key_index, build
from geomap.gazetteer.names import name_keys, normalize
from geomap.gazetteer.schema import is_built
from geomap.gazetteer.search import Candidate, Gazetteer

__all__ = ["Candidate", "Gazetteer", "add_key_index", "build", "is_built", "name_keys", "normalize"]
