"""Re-resolving cached answers after the gazetteer, an import or the service changed.

One rule, used per key by ``geomap refresh`` and for every entry by ``geomap
cache refresh``:

* an entry that came from the gazetteer is re-derived from the current
  gazetteer (and re-written when the answer changed);
* an entry from an online service or an import is kept as it is, unless the
  geocoder may ask its online service (then that answers again);
* an online lookup that fails, and an offline "not found" for a place an
  online service found, keep the old entry;
* nothing cached under a key: the gazetteer (or service) answers, and that
  answer is written;
* pins are never changed.  :func:`reresolve_key` returns what lies
  *underneath* the pins; the pin that applies still wins
  (:meth:`Geocoder.pin_for`).

Offline means a geocoder made without an online service: then only the
gazetteer is consulted, never the network.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from geomap.errors import CacheError, GeomapError
from geomap.geocoding.entry import CacheEntry
from geomap.geocoding.geocoder import Geocoder
from geomap.geocoding.keys import KeyHints, parse_key


@dataclass(slots=True)
class Reresolved:
    """What one cache key answers now, pins aside."""

    key: str
    #: the entry's query, or the key's (normalised) name when nothing is cached
    query: str
    hints: KeyHints
    #: the entry cached under the key before (None: absent); may be a pin
    before: CacheEntry | None
    #: the answer underneath the pins now: re-derived, or ``before`` kept; None
    #: when nothing is cached and nothing was found anew
    underneath: CacheEntry | None
    #: ``underneath`` is new or changed and must be written to the cache
    rewrite: bool = False
    #: why the key could not be re-resolved (``underneath`` then keeps ``before``)
    error: str = ""

    @property
    def previous(self) -> CacheEntry | None:
        """The answer underneath before this re-resolve.

        A pin stored under the key replaced the entry there, so for a pinned
        (or absent) key this is the re-derived answer.
        """
        if self.before is not None and not self.before.pinned:
            return self.before
        return self.underneath


def reresolve_key(geocoder: Geocoder, key: str, entry: CacheEntry | None) -> Reresolved:
    """Re-resolve the cache key ``key``, whose cached entry is ``entry`` (or None).

    Nothing is written: when ``rewrite`` is set the caller stores
    ``underneath`` (``GeocodeCache.put`` never overwrites a pin).
    """
    name, hints = parse_key(key)
    query = entry.query if entry is not None else name
    result = Reresolved(key, query, hints, entry, entry)
    if entry is not None and not entry.pinned and not _rederivable(geocoder, entry):
        return result  # an online or imported answer, and no service to ask again
    try:
        fresh = geocoder.fresh_entry(
            query,
            country=hints.get("country"),
            admin1=hints.get("admin1"),
            bias=hints.get("bias"),
            pins=False,
        )
    except (GeomapError, sqlite3.Error) as exc:  # one bad key must not stop the batch
        result.error = str(exc)
        fresh = None
    if entry is None or entry.pinned:
        # nothing cached, or a pin replaced the entry: what the chain says lies
        # underneath (written only where nothing was cached)
        result.underneath = fresh
        result.rewrite = entry is None and fresh is not None
    elif fresh is not None and not fresh.same_answer(entry) and not _keeps_online(entry, fresh):
        fresh.created = entry.created
        result.underneath = fresh
        result.rewrite = True
    return result


def _rederivable(geocoder: Geocoder, entry: CacheEntry) -> bool:
    # offline, only gazetteer answers can be re-derived; answers an online
    # service or a colleague's import gave are taken as they are
    return entry.provider == "gazetteer" or geocoder.online is not None


def _keeps_online(entry: CacheEntry, fresh: CacheEntry) -> bool:
    # a place an online service found stays found when the chain now finds nothing
    return not fresh.found and entry.found and entry.provider.startswith("online:")


@dataclass(slots=True)
class Change:
    """One cache entry that a refresh moved."""

    key: str
    query: str
    before: CacheEntry
    after: CacheEntry

    def describe(self) -> str:
        def show(e: CacheEntry) -> str:
            if not e.found:
                return "not found"
            where = f"({e.latitude:.5f}, {e.longitude:.5f})"
            return f"{e.geonameid or '-'} {where} via {e.provider}"

        return f"{self.query!r} [{self.key}]: {show(self.before)} -> {show(self.after)}"


@dataclass(slots=True)
class CacheRefresh:
    """What :func:`refresh_entries` changed."""

    entries: int = 0  # entries in the cache
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # keys that could not be re-resolved


def refresh_entries(geocoder: Geocoder) -> CacheRefresh:
    """Re-resolve every unpinned entry of the geocoder's cache; write and report the changes.

    The changed entries are written in one transaction at the end.
    """
    cache = geocoder.cache
    if cache is None:
        raise CacheError(
            "Refreshing the geocode cache needs a geocoder with a cache."
            " Fix: make the Geocoder with cache=GeocodeCache.open(...)."
        )
    report = CacheRefresh()
    rewritten: list[CacheEntry] = []
    for before in list(cache.entries()):
        if before.pinned:
            continue
        result = reresolve_key(geocoder, before.key, before)
        if result.error:
            report.skipped.append(f"{before.key}: could not be re-resolved ({result.error})")
        after = result.underneath
        if result.rewrite and after is not None:
            report.changes.append(Change(before.key, before.query, before, after))
            rewritten.append(after)
    if rewritten:
        cache.put_many(rewritten)
    report.entries = len(cache)
    return report
