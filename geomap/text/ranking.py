"""A mention's candidate places and their prior ranking, before the document has a say.

The prior favours countries, continents and admin-1 regions, then cities by
population, and a place's own name over one of its alternate names.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache

from geomap.geo import equirectangular_km
from geomap.model import Mention, Place
from geomap.text.tokens import Phrase


@dataclass(slots=True)
class Scored:
    """A candidate place and its score."""

    place: Place
    score: float
    own_name: bool


@dataclass(slots=True)
class Item:
    """One mention being resolved: how it reads and the places it may be."""

    mention: Mention
    phrase: Phrase
    query: str  # the name looked up ("United States" for "U.S.")
    demonym_country: str  # ISO code when the mention is a demonym
    wanted: str  # "admin1", "city" or "any"
    candidates: list[Scored]
    region: tuple[str, float, float, str] | None = None  # a world region from the lexicon
    county_states: tuple[str, ...] = ()  # a US county: the states that have one by this name


@lru_cache(maxsize=65536)
def _town_prior(population: int) -> float:
    # towns share populations (0 above all) and each is scored several times per document
    return min(0.85, 0.05 + 0.8 * math.log10(population + 1) / 7.0)


def prior(place: Place, own_name: bool, wanted: str = "any") -> float:
    """How likely ``place`` is before context (``wanted``: the feature the words ask for)."""
    if place.feature == "country":
        base = 1.0
    elif place.feature == "continent":
        base = 0.9
    elif place.feature == "admin1":
        base = 0.85
    else:
        base = _town_prior(place.population)
    if wanted == "admin1":
        base *= 1.6 if place.feature == "admin1" else 0.4
    if own_name:
        return base
    return base * (0.85 if place.population >= 100_000 else 0.6)


class Nearest:
    """``km(place)``: the least :func:`~geomap.geo.equirectangular_km` from place to
    ``others``, without measuring to every one of ``others``: they are sorted by latitude
    and visited outwards from the place's, and the search stops once the latitude gap
    alone (``111.195 * |dlat|``, never more than the distance, as ``hypot(x, y) >= |y|``)
    reaches the nearest found so far."""

    def __init__(self, others: list[Place]) -> None:
        self.others = others
        self.points = sorted((o.latitude, o.longitude) for o in others)
        self.lats = [lat for lat, _ in self.points]
        self.finite = all(math.isfinite(lat) and math.isfinite(lon) for lat, lon in self.points)

    def km(self, place: Place) -> float:
        lat, lon = place.latitude, place.longitude
        if not (self.finite and math.isfinite(lat) and math.isfinite(lon)):
            # NaN: keep min()'s own order
            return min(equirectangular_km(lat, lon, o.latitude, o.longitude) for o in self.others)
        points = self.points
        hi = bisect.bisect_left(self.lats, lat)
        lo = hi - 1
        best = math.inf
        while lo >= 0 or hi < len(points):
            gap_lo = 111.195 * abs(lat - points[lo][0]) if lo >= 0 else math.inf
            gap_hi = 111.195 * abs(lat - points[hi][0]) if hi < len(points) else math.inf
            if gap_lo <= gap_hi:
                if gap_lo >= best:
                    break
                olat, olon = points[lo]
                lo -= 1
            else:
                if gap_hi >= best:
                    break
                olat, olon = points[hi]
                hi += 1
            d = equirectangular_km(lat, lon, olat, olon)
            if d < best:
                best = d
        return best

