"""A geopy-compatible geocoder: pins, then the cache, then the offline
gazetteer, then (only when asked) an online geopy service.

``Geocoder.geocode`` has geopy's shape and returns ``geopy.location.Location``
objects whose ``raw`` carries the geonameid, feature level, country, admin-1,
score and provenance.  ``Geocoder.resolve`` returns a typed
:class:`GeocodeResult` and is what the rest of geomap uses.

The pin rule is the geocoder's alone: :meth:`Geocoder.pin_for` says which pin
applies to a query, and a pin that applies wins over the cached answer and
the gazetteer.

Every answer, "not found" included, is written to the persistent cache, so a
second call (in any process) is answered from it (a read-only cache answers
but stores nothing new).  Warm lookups in one process hit an in-memory memo
in front of the cache.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from geomap.errors import GeocodeError, quote
from geomap.gazetteer import Gazetteer, normalize
from geomap.geocoding.cache import GeocodeCache
from geomap.geocoding.checks import MAX_TEXT_CHARS
from geomap.geocoding.entry import CacheEntry, now
from geomap.geocoding.keys import cache_key, hints_for
from geomap.geocoding.online import OnlineLookupError, OnlineService
from geomap.geocoding.pacing import lock_file_for
from geomap.geocoding.result import GeocodeResult, place_raw, result_from_entry

if TYPE_CHECKING:
    from geopy.location import Location

#: answers kept in memory per Geocoder before the memo starts over
MEMO_SIZE = 200_000


class Geocoder:
    """Pins -> cache -> offline gazetteer -> optional online service.

    ``gazetteer`` is the offline gazetteer, or a function that opens it: it is
    called on the first lookup that needs the gazetteer (answers from pins and
    the cache never do).  ``cache`` is the persistent geocode cache, a function
    that opens it on the first lookup, or None for no cache.  The geocoder
    never opens files of its own accord: :class:`geomap.workspace.Workspace`
    makes one over its cache and gazetteer.  ``online`` names a geopy service
    ("nominatim"); it needs ``user_agent`` (or ``$GEOMAP_USER_AGENT``) and is
    paced at one request per second or slower.  ``online_options`` go to the
    geopy class (for example ``domain``/``scheme`` or ``api_key``).
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | Callable[[], Gazetteer],
        cache: GeocodeCache | Callable[[], GeocodeCache] | None,
        online: str | None = None,
        user_agent: str | None = None,
        online_options: dict[str, Any] | None = None,
        memo: bool = True,
    ) -> None:
        self._cache: GeocodeCache | None = None
        self._open_cache: Callable[[], GeocodeCache] | None = None
        if isinstance(cache, GeocodeCache):
            self._cache = cache
        elif cache is not None:
            self._open_cache = cache
        self._gazetteer: Gazetteer | None = None
        self._open_gazetteer: Callable[[], Gazetteer] | None = None
        if isinstance(gazetteer, Gazetteer):
            self._gazetteer = gazetteer
        else:
            self._open_gazetteer = gazetteer
        self.online = online.strip().lower() if online else None
        # set up now, not at the first lookup, to fail early on a bad name or missing agent
        self._online = (
            OnlineService(self.online, user_agent=user_agent, options=online_options)
            if self.online
            else None
        )
        self._memo: dict[str, GeocodeResult] | None = {} if memo else None
        self._memo_generation = -1
        self._last_error = ""
        self._holding = 0  # inside deferring_writes (nested blocks counted)

    # -- the parts, opened on first use ------------------------------------------

    @property
    def cache(self) -> GeocodeCache | None:
        """The persistent cache (None when the geocoder has none)."""
        if self._cache is None and self._open_cache is not None:
            self._cache = self._open_cache()
            self._open_cache = None
        return self._cache

    @property
    def gazetteer(self) -> Gazetteer:
        """The offline gazetteer."""
        if self._gazetteer is None:
            assert self._open_gazetteer is not None
            self._gazetteer = self._open_gazetteer()
        return self._gazetteer

    # -- the pin rule -----------------------------------------------------------

    def pin_for(self, query: str, country: str | None = None) -> CacheEntry | None:
        """The pin that applies to ``query`` hinting ``country``, if any.

        A pin without a country applies to every query of the name; a pin with
        a country to queries hinting that country or none.  The most specific
        pin wins (same country, then country-less, then the newest).  A pin
        that applies is the answer: it wins over the cache and the gazetteer.
        """
        cache = self.cache
        return _applicable_pin(cache.pins(query), country) if cache is not None else None

    # -- the chain ------------------------------------------------------------

    @contextmanager
    def deferring_writes(self) -> Iterator[None]:
        """A block (one document) whose new answers are held and written to the cache
        together when it ends (:meth:`GeocodeCache.settle`).  It opens nothing: a cache
        not opened yet is opened by the first lookup, as outside it."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._cache is not None:
                self._cache.settle()

    def resolve(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        bias: tuple[float, float] | None = None,
    ) -> GeocodeResult:
        """Resolve one name.  ``place`` is None when nothing was found."""
        if not isinstance(query, str) or not normalize(query[:MAX_TEXT_CHARS]):
            raise GeocodeError(
                f"Cannot geocode an empty or blank name, instead got: {quote(query)}."
                " Fix: pass a place name."
            )
        if len(query) > MAX_TEXT_CHARS:
            raise GeocodeError(
                f"A place name has at most {MAX_TEXT_CHARS:,} characters, instead got:"
                f" {quote(query)}. Fix: pass the place name alone."
            )
        key = cache_key(query, country=country, admin1=admin1, bias=bias)
        hit = self._memo_get(key)
        if hit is not None:
            return hit
        hints = hints_for(country=country, admin1=admin1, bias=bias)
        result = self._cached_result(query, key, hints, country)
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
            cache = self.cache
            if cache is not None:
                cache.remember(entry, hold=self._holding > 0)
                self._memo_generation = cache.generation
            result = result_from_entry(entry, query=query, key=key, hints=hints)
            result.from_cache = False
        self._memo_put(key, result)
        return result

    def _memo_get(self, key: str) -> GeocodeResult | None:
        memo = self._memo
        if memo is None:
            return None
        cache = self.cache
        generation = cache.generation if cache is not None else 0
        if generation != self._memo_generation:  # the cache changed: forget
            memo.clear()
            self._memo_generation = generation
        return memo.get(key)

    def _memo_put(self, key: str, result: GeocodeResult) -> None:
        memo = self._memo
        if memo is not None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()  # a long batch: start over rather than grow without bound
            memo[key] = result

    def _cached_result(
        self, query: str, key: str, hints: dict[str, Any], country: str | None
    ) -> GeocodeResult | None:
        """The pin's answer, else the cached one; None when the chain must run."""
        cache = self.cache
        if cache is None:
            return None
        entry = self.pin_for(query, country)
        if entry is None:
            entry = cache.get(key)
            if entry is None or (not entry.found and self._should_retry(entry)):
                return None
        return result_from_entry(entry, query=query, key=key, hints=hints)

    def _should_retry(self, entry: CacheEntry) -> bool:
        # a cached "not found" from the offline chain is worth one online try
        return self.online is not None and entry.provider != f"online:{self.online}"

    def fresh_entry(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        bias: Sequence[float] | None = None,
        pins: bool = True,
    ) -> CacheEntry | None:
        """Resolve without the cached answers (the pin still wins when ``pins``).

        Returns the entry that should be cached, or None when the online
        service failed.
        """
        stamp = now()
        blank = CacheEntry(
            key=cache_key(query, country=country, admin1=admin1, bias=bias),
            query=query,
            name_key=normalize(query),
            hints=hints_for(country=country, admin1=admin1, bias=bias),
            created=stamp,
            updated=stamp,
        )
        pin = self.pin_for(query, country) if pins else None
        if pin is not None:
            return dataclasses.replace(
                blank,
                latitude=pin.latitude,
                longitude=pin.longitude,
                found=True,
                provider="pin",
                confidence=1.0,
                raw={"pin": pin.key},
            )
        candidates = self.gazetteer.search(
            query,
            country=country,
            admin1=admin1,
            bias=(bias[0], bias[1]) if bias is not None else None,
            limit=1,
        )
        if candidates:
            best = candidates[0]
            place = best.place
            return dataclasses.replace(
                blank,
                latitude=place.latitude,
                longitude=place.longitude,
                geonameid=place.geonameid,
                found=True,
                provider="gazetteer",
                confidence=best.score,
                raw={**place_raw(place), "score": best.score, "matched": best.matched},
            )
        if self._online is not None:
            return self._online_entry(self._online, blank, country)
        return blank

    def _online_entry(
        self, service: OnlineService, blank: CacheEntry, country: str | None
    ) -> CacheEntry | None:
        cache = self.cache
        writable = cache is not None and not cache.read_only
        service.pace_with(lock_file_for(cache.path) if cache is not None and writable else None)
        try:
            location = service.lookup(blank.query, country=country)
        except OnlineLookupError as exc:
            self._last_error = str(exc)
            return None
        if location is None:
            return dataclasses.replace(blank, found=False, provider=service.provider)
        raw = location.raw if isinstance(location.raw, dict) else {"raw": str(location.raw)}
        return dataclasses.replace(
            blank,
            latitude=float(location.latitude),
            longitude=float(location.longitude),
            found=True,
            provider=service.provider,
            confidence=None,
            raw={"address": location.address, "service": raw},
        )

    def resolve_many(
        self,
        queries: Iterable[str],
        *,
        country: str | None = None,
        admin1: str | None = None,
    ) -> list[GeocodeResult]:
        """Resolve each name; a bad one becomes a not-found result with its error."""
        out = []
        for query in queries:
            try:
                out.append(self.resolve(query, country=country, admin1=admin1))
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
    ) -> Location | list[Location] | None:
        """geopy-style: a ``Location`` (or a list when ``exactly_one=False``), or None.

        ``timeout`` is accepted for geopy compatibility; offline lookups never wait.
        """
        result = self.resolve(query, country=country, admin1=admin1, bias=bias)
        if not result.found:
            return None if exactly_one else []
        first = result.to_location()
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
                locations.append(alt.to_location())
        return locations


def _applicable_pin(pins: Iterable[CacheEntry], country: str | None) -> CacheEntry | None:
    """The pin among ``pins`` (all of one name) that applies to a query hinting ``country``."""
    wanted = country.strip().upper() if country else None
    if wanted is not None:
        matching = [p for p in pins if p.country in (wanted, None)]
        matching.sort(key=lambda p: (p.country != wanted, _negate(p.updated)))
    else:
        matching = sorted(pins, key=lambda p: (p.country is not None, _negate(p.updated)))
    return matching[0] if matching else None


def _negate(text: str) -> str:
    # ISO timestamps sort as text: inverting each character puts the newest first
    return "".join(chr(0x10FFFF - ord(c)) for c in text)
