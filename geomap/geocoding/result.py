"""The answer to one geocode query (:class:`GeocodeResult`) and its other forms:
built from a cache entry, and as a geopy ``Location``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geomap.geocoding.entry import CacheEntry
from geomap.model import Place

if TYPE_CHECKING:
    from geopy.location import Location


@dataclass(slots=True)
class GeocodeResult:
    """The answer to one query, with where it came from."""

    query: str
    key: str
    hints: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None
    latitude: float | None = None
    longitude: float | None = None
    provider: str = "gazetteer"  # "gazetteer", "pin", "online:nominatim", ...
    from_cache: bool = False
    confidence: float | None = None
    pinned: bool = False
    matched: str = ""  # the name key that matched in the gazetteer
    error: str = ""  # why an online lookup failed (the result is then not cached)

    @property
    def found(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def geonameid(self) -> int | None:
        return self.place.geonameid if self.place else None

    def to_dict(self) -> dict[str, Any]:
        """A flat JSON-ready record (what ``geomap geocode --format json`` prints)."""
        place = self.place
        return {
            "query": self.query,
            "found": self.found,
            "geonameid": place.geonameid if place else None,
            "name": place.name if place else (self.query if self.found else None),
            "feature": place.feature if place else None,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "country_code": place.country_code if place else self.hints.get("country"),
            "country": place.country if place else None,
            "admin1_code": place.admin1_code if place else None,
            "admin1": place.admin1 if place else None,
            "population": place.population if place else None,
            "provider": self.provider,
            "from_cache": self.from_cache,
            "pinned": self.pinned,
            "confidence": self.confidence,
            "key": self.key,
            "hints": self.hints,
            **({"error": self.error} if self.error else {}),
        }

    def to_location(self) -> Location:
        """The geopy ``Location`` of a found result; ``raw`` is :meth:`to_dict` plus ``score``."""
        from geopy.location import Location

        return Location(_address(self), (self.latitude, self.longitude, 0), _raw(self))


def place_raw(place: Place) -> dict[str, Any]:
    """What a cache entry keeps of a gazetteer place, to rebuild it without the gazetteer."""
    return {
        "name": place.name,
        "feature": place.feature,
        "country_code": place.country_code,
        "country": place.country,
        "admin1_code": place.admin1_code,
        "admin1": place.admin1,
        "population": place.population,
    }


def _place_from_entry(entry: CacheEntry) -> Place | None:
    raw = entry.raw
    if entry.geonameid is None or "feature" not in raw:
        return None
    return Place(
        geonameid=entry.geonameid,
        name=raw.get("name", entry.query),
        latitude=entry.latitude,  # type: ignore[arg-type]
        longitude=entry.longitude,  # type: ignore[arg-type]
        feature=raw["feature"],
        country_code=raw.get("country_code", ""),
        country=raw.get("country", ""),
        admin1_code=raw.get("admin1_code", ""),
        admin1=raw.get("admin1", ""),
        population=int(raw.get("population") or 0),
    )


def result_from_entry(
    entry: CacheEntry, *, query: str, key: str, hints: dict[str, Any]
) -> GeocodeResult:
    """The result a cached entry gives for ``query`` (``from_cache`` set)."""
    return GeocodeResult(
        query=query,
        key=key,
        hints=hints,
        place=_place_from_entry(entry) if entry.found else None,
        latitude=entry.latitude if entry.found else None,
        longitude=entry.longitude if entry.found else None,
        provider=entry.provider,
        from_cache=True,
        confidence=entry.confidence,
        pinned=entry.pinned,
        matched=str(entry.raw.get("matched", "")),
    )


def _address(result: GeocodeResult) -> str:
    place = result.place
    if place is None:
        return result.query
    parts = [place.name]
    if place.feature == "city" and place.admin1:
        parts.append(place.admin1)
    if place.feature != "country" and place.country:
        parts.append(place.country)
    return ", ".join(parts)


def _raw(result: GeocodeResult) -> dict[str, Any]:
    record = result.to_dict()
    record["score"] = result.confidence
    return record
