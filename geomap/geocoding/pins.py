"""Which pin applies to a query: the rule behind :meth:`Geocoder.pin_for`.

A pin made without a country applies to every query of the name, with or
without a country hint (``geomap cache pin Rastan ...`` must move the Rastan
that an article resolved inside Syria).  A pin with a country applies to
queries hinting that country or no country.  The most specific pin wins: same
country first, then country-less, then the most recently changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from geomap.geocoding.entry import CacheEntry


def applicable_pin(pins: Iterable[CacheEntry], country: str | None) -> CacheEntry | None:
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
