"""A mention's candidate places and their prior ranking, before the document has a say.

The prior favours countries, continents and admin-1 regions, then cities by
population, and a place's own name over one of its alternate names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from geomap.geo import equirectangular_km, nearest_equirectangular_km
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
    """``km(place, skip)``: the least :func:`~geomap.geo.equirectangular_km` from place to
    ``others`` (leaving out those whose entry in ``names`` is ``skip``), without measuring
    to every one of them: see :func:`~geomap.geo.nearest_equirectangular_km`.  Built once
    per document over every name's pick; each mention skips its own name's."""

    def __init__(self, others: list[Place], names: list[str] | None = None) -> None:
        self.others = others
        self.names = names
        order = sorted(range(len(others)), key=lambda i: (others[i].latitude, others[i].longitude))
        self.points = [(others[i].latitude, others[i].longitude) for i in order]
        self.lats = [lat for lat, _ in self.points]
        self.tags = [names[i] for i in order] if names is not None else None
        self.finite = all(math.isfinite(lat) and math.isfinite(lon) for lat, lon in self.points)
        # a place asked for again (a name repeated in another setting, a shared
        # candidate) gets the same answer
        self._memo: dict[tuple[float, float, str | None], float] = {}

    def km(self, place: Place, skip: str | None = None) -> float:
        lat, lon = place.latitude, place.longitude
        ident = (lat, lon, skip)
        found = self._memo.get(ident)
        if found is None:
            found = self._memo[ident] = self._km(lat, lon, skip)
        return found

    def _km(self, lat: float, lon: float, skip: str | None) -> float:
        if not (self.finite and math.isfinite(lat) and math.isfinite(lon)):
            # NaN: keep min()'s own order
            names = self.names if self.names is not None else [""] * len(self.others)
            kept = [o for o, name in zip(self.others, names, strict=True)
                    if self.names is None or name != skip]
            return min(
                (equirectangular_km(lat, lon, o.latitude, o.longitude) for o in kept),
                default=math.inf,
            )
        return nearest_equirectangular_km(lat, lon, self.points, self.lats, self.tags, skip)
