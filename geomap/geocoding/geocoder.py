"""A geopy-compatible geocoder: pins, then the cache, then the offline
gazetteer, then (only when asked) an online geopy service.

``Geocoder.geocode`` has geopy's shape and returns ``geopy.location.Location``
objects whose ``raw`` carries the geonameid, feature level, country, admin-1,
score and provenance.  ``Geocoder.resolve`` returns a typed
:class:`GeocodeResult` and is what the rest of geomap uses.

Every answer, "not found" included, is written to the persistent cache, so a
second call (in any process) is answered from it.  Warm lookups in one process
hit an in-memory memo in front of the cache.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geomap import config
from geomap.errors import ConfigurationError, GeocodeError
from geomap.gazetteer import Gazetteer, normalize
from geomap.geocoding.cache import CacheEntry, GeocodeCache, cache_key, hints_for, now
from geomap.model import Place

#: geopy's RateLimiter never goes faster than this (the Nominatim usage policy).
MIN_DELAY_SECONDS = 1.0
#: answers kept in memory per Geocoder before the memo starts over
MEMO_SIZE = 200_000


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


def _place_raw(place: Place) -> dict[str, Any]:
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


def _result_from_entry(entry: CacheEntry, *, query: str, key: str, hints: dict) -> GeocodeResult:
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


def online_geocoder(service: str, *, user_agent: str | None = None, **options: Any):
    """A geopy geocoder for ``service`` (e.g. "nominatim"), paced by RateLimiter.

    Returns a callable like ``geocoder.geocode``.  Raises ConfigurationError for
    an unknown service name or a missing user agent.
    """
    from geopy.exc import GeocoderNotFound
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import SERVICE_TO_GEOCODER, get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(service.strip().lower())
    except GeocoderNotFound:
        raise ConfigurationError(
            f"Unknown online geocoding service, instead got: {service!r}."
            f" Fix: use one of {', '.join(sorted(SERVICE_TO_GEOCODER))}."
        ) from None
    agent = user_agent or config.user_agent()
    if not agent:
        raise ConfigurationError(
            f"The online service {service!r} needs a user agent that identifies you."
            f" Fix: pass --user-agent 'yourapp/1.0 (you@example.org)' or set {config.USER_AGENT_ENV}."
        )
    min_delay = max(MIN_DELAY_SECONDS, float(options.pop("min_delay_seconds", MIN_DELAY_SECONDS)))
    error_wait = max(min_delay, float(options.pop("error_wait_seconds", 5.0)))
    retries = max(0, int(options.pop("max_retries", 1)))
    try:
        geocoder = cls(user_agent=agent, **options)
    except TypeError as exc:
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up with {sorted(options)} ({exc})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - geopy services raise their own config errors
        raise ConfigurationError(
            f"The online service {service!r} cannot be set up ({exc})."
            " Fix: pass the options that geopy documents for it (many services need an api_key)."
        ) from exc
    limited = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=min_delay,
        max_retries=retries,
        error_wait_seconds=error_wait,
        swallow_exceptions=False,
    )
    limited.service = geocoder  # type: ignore[attr-defined]
    return limited


class Geocoder:
    """Pins -> cache -> offline gazetteer -> optional online service.

    ``cache`` and ``gazetteer`` default to the files under the data directory
    (the gazetteer is built on first use if missing).  Pass ``cache=False`` for
    no persistent cache.  ``online`` names a geopy service ("nominatim"); it
    needs ``user_agent`` (or ``$GEOMAP_USER_AGENT``) and is paced at one
    request per second or slower.  ``online_options`` go to the geopy class
    (for example ``domain``/``scheme`` or ``api_key``).
    """

    def __init__(
        self,
        *,
        cache: GeocodeCache | None | bool = None,
        gazetteer: Gazetteer | None = None,
        online: str | None = None,
        user_agent: str | None = None,
        online_options: dict[str, Any] | None = None,
        memo: bool = True,
    ) -> None:
        self._cache_arg = None if cache is True else cache  # True: the default cache
        self._cache: GeocodeCache | None = cache if isinstance(cache, GeocodeCache) else None
        self._gazetteer = gazetteer
        self.online = online.strip().lower() if online else None
        self._online_call = None
        if self.online:
            # fail now, not at the first lookup, on a bad name or missing agent
            self._online_call = online_geocoder(
                self.online, user_agent=user_agent, **(online_options or {})
            )
        self._memo: dict[str, GeocodeResult] | None = {} if memo else None
        self._memo_generation = -1
        self._owns_cache = False
        self._owns_gazetteer = False
        self._last_error = ""

    # -- lazily opened backends ---------------------------------------------

    @property
    def cache(self) -> GeocodeCache | None:
        if self._cache is None and self._cache_arg is None:
            self._cache = GeocodeCache.open()
            self._cache_arg = self._cache
            self._owns_cache = True
        return self._cache

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.open_or_build()
            self._owns_gazetteer = True
        return self._gazetteer

    def close(self) -> None:
        """Close the cache and gazetteer this geocoder opened itself (not ones passed in)."""
        if self._owns_cache and self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._owns_gazetteer and self._gazetteer is not None:
            self._gazetteer.close()
            self._gazetteer = None

    def __enter__(self) -> Geocoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the chain ------------------------------------------------------------

    def resolve(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        bias: tuple[float, float] | None = None,
    ) -> GeocodeResult:
        """Resolve one name.  ``place`` is None when nothing was found."""
        if not isinstance(query, str) or not normalize(query):
            raise GeocodeError(
                f"Cannot geocode an empty or blank name, instead got: {query!r}."
                " Fix: pass a place name."
            )
        key = cache_key(query, country=country, admin1=admin1, bias=bias)
        cache = self.cache
        memo = self._memo
        if memo is not None:
            generation = cache.generation if cache is not None else 0
            if generation != self._memo_generation:
                memo.clear()
                self._memo_generation = generation
            hit = memo.get(key)
            if hit is not None:
                return hit
        hints = hints_for(country=country, admin1=admin1, bias=bias)
        result: GeocodeResult | None = None
        if cache is not None:
            pin = cache.find_pin(query, country=country)
            if pin is not None:
                result = _result_from_entry(pin, query=query, key=key, hints=hints)
            else:
                entry = cache.get(key)
                if entry is not None and (entry.found or not self._should_retry(entry)):
                    result = _result_from_entry(entry, query=query, key=key, hints=hints)
        if result is None:
            entry = self.fresh_entry(query, country=country, admin1=admin1, bias=bias, pins=False)
            if entry is None:  # the online service failed: answer, but do not cache
                return GeocodeResult(
                    query=query,
                    key=key,
                    hints=hints,
                    provider=f"online:{self.online}",
                    error=self._last_error,
                )
            if cache is not None:
                cache.put(entry)
                self._memo_generation = cache.generation
            result = _result_from_entry(entry, query=query, key=key, hints=hints)
            result.from_cache = False
        if memo is not None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()  # a long batch: start over rather than grow without bound
            memo[key] = result
        return result

    def _should_retry(self, entry: CacheEntry) -> bool:
        # a cached "not found" from the offline chain is worth one online try
        return self.online is not None and entry.provider != f"online:{self.online}"

    def fresh_entry(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        bias: tuple[float, float] | None = None,
        pins: bool = True,
    ) -> CacheEntry | None:
        """Resolve without the cached answers (pins still apply when ``pins``).

        Returns the entry that should be cached, or None when the online
        service failed (the reason is in ``_last_error``).
        """
        key = cache_key(query, country=country, admin1=admin1, bias=bias)
        hints = hints_for(country=country, admin1=admin1, bias=bias)
        stamp = now()
        base: dict[str, Any] = dict(
            key=key,
            query=query,
            name_key=normalize(query),
            hints=hints,
            created=stamp,
            updated=stamp,
        )
        if pins and self.cache is not None:
            pin = self.cache.find_pin(query, country=country)
            if pin is not None:
                return CacheEntry(
                    **base,
                    latitude=pin.latitude,
                    longitude=pin.longitude,
                    found=True,
                    provider="pin",
                    confidence=1.0,
                    raw={"pin": pin.key},
                )
        candidates = self.gazetteer.search(
            query, country=country, admin1=admin1, bias=bias, limit=1
        )
        if candidates:
            best = candidates[0]
            place = best.place
            return CacheEntry(
                **base,
                latitude=place.latitude,
                longitude=place.longitude,
                geonameid=place.geonameid,
                found=True,
                provider="gazetteer",
                confidence=best.score,
                raw={**_place_raw(place), "score": best.score, "matched": best.matched},
            )
        if self._online_call is not None:
            return self._online_entry(query, country=country, base=base)
        return CacheEntry(**base, found=False, provider="gazetteer")

    def _online_entry(self, query: str, *, country: str | None, base: dict) -> CacheEntry | None:
        from geopy.exc import GeopyError

        call = self._online_call
        assert call is not None  # only called when an online service is set
        kwargs: dict[str, Any] = {"exactly_one": True}
        if country:
            params = inspect.signature(call.service.geocode).parameters
            if "country_codes" in params:
                kwargs["country_codes"] = country.lower()
            elif "country" in params:
                kwargs["country"] = country
        try:
            location = call(query, **kwargs)
        except GeopyError as exc:
            self._last_error = (
                f"The online service {self.online!r} failed for {query!r}: {exc}."
                " Fix: retry later, or pin the place with `geomap cache pin`."
            )
            return None
        provider = f"online:{self.online}"
        if location is None:
            return CacheEntry(**base, found=False, provider=provider)
        raw = location.raw if isinstance(location.raw, dict) else {"raw": str(location.raw)}
        return CacheEntry(
            **base,
            latitude=float(location.latitude),
            longitude=float(location.longitude),
            found=True,
            provider=provider,
            confidence=None,
            raw={"address": location.address, "service": raw},
        )

    def resolve_many(
        self, queries: Iterable[str], *, country: str | None = None
    ) -> list[GeocodeResult]:
        """Resolve each name; a bad one becomes a not-found result with its error."""
        out = []
        for query in queries:
            try:
                out.append(self.resolve(query, country=country))
            except GeocodeError as exc:
                out.append(GeocodeResult(query=str(query), key="", error=str(exc)))
        return out

    # -- geopy's interface -----------------------------------------------------

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country: str | None = None,
        admin1: str | None = None,
        bias: tuple[float, float] | None = None,
        timeout: float | None = None,
    ):
        """geopy-style: a ``Location`` (or a list when ``exactly_one=False``), or None.

        ``timeout`` is accepted for geopy compatibility; offline lookups never wait.
        """
        from geopy.location import Location

        result = self.resolve(query, country=country, admin1=admin1, bias=bias)
        if not result.found:
            return None if exactly_one else []
        first = Location(_address(result), (result.latitude, result.longitude, 0), _raw(result))
        if exactly_one:
            return first
        locations = [first]
        if not result.pinned:
            for cand in self.gazetteer.search(query, country=country, admin1=admin1, bias=bias):
                if cand.place.geonameid == result.geonameid:
                    continue
                alt = GeocodeResult(
                    query=query,
                    key=result.key,
                    hints=result.hints,
                    place=cand.place,
                    latitude=cand.place.latitude,
                    longitude=cand.place.longitude,
                    provider="gazetteer",
                    confidence=cand.score,
                    matched=cand.matched,
                )
                locations.append(
                    Location(_address(alt), (alt.latitude, alt.longitude, 0), _raw(alt))
                )
        return locations


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


def geocode_names(
    names: Iterable[str],
    *,
    country: str | None = None,
    admin1: str | None = None,
    online: str | None = None,
    user_agent: str | None = None,
    online_options: dict[str, Any] | None = None,
) -> list[GeocodeResult]:
    """Resolve several names with the default cache and gazetteer (what
    ``geomap geocode`` runs).  A name that fails comes back not found with its
    error; the others are still resolved and cached."""
    geocoder = Geocoder(online=online, user_agent=user_agent, online_options=online_options)
    try:
        out = []
        for name in names:
            try:
                out.append(geocoder.resolve(name, country=country, admin1=admin1))
            except GeocodeError as exc:
                out.append(GeocodeResult(query=str(name), key="", error=str(exc)))
        return out
    finally:
        geocoder.close()
