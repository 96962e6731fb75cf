"""A tiny in-memory gazetteer with the foundation's read interface, for unit tests
of recognition and resolution that should not depend on the full GeoNames build.

The places are real but few: those of the place table (tests/places.py), and
namesakes and look-alike words (GeoNames ids, rounded points and populations).
"""

from __future__ import annotations

import itertools

from geomap.gazetteer import name_keys
from geomap.model import Place
from tests.places import PLACES as TABLE

_ids = itertools.count(1)


def _p(gid, name, lat, lon, feature, cc, country, a1="", admin1="", pop=0, alt=()):
    return Place(gid, name, lat, lon, feature, cc, country, a1, admin1, pop), alt


PLACES = [
    (TABLE["Syria"], ()),
    (TABLE["United States"], ("U.S.", "US", "USA", "America")),
    (TABLE["Russia"], ()),
    _p(614540, "Georgia", 42.0, 43.5, "country", "GE", "Georgia", pop=3_700_000),
    (TABLE["Homs Governorate"], ("Homs",)),
    _p(4197000, "Georgia", 32.75, -83.5, "admin1", "US", "United States", "GA", "Georgia",
       pop=10_000_000),
    (TABLE["Homs"], ()),
    (TABLE["Rastan"], ()),
    (TABLE["Damascus"], ()),
    _p(4351977, "Damascus", 39.2887, -77.2039, "city", "US", "United States", "MD", "Maryland",
       pop=15_257),
    (TABLE["Moscow"], ()),
    _p(5601538, "Moscow", 46.73239, -117.00017, "city", "US", "United States", "ID", "Idaho",
       pop=25_435),
    _p(4196586, "Gainesville", 34.29788, -83.82407, "city", "US", "United States", "GA",
       "Georgia", pop=33_804),
    _p(4156404, "Gainesville", 29.65163, -82.32483, "city", "US", "United States", "FL",
       "Florida", pop=133_857),
    _p(2646057, "Kerry", 52.4, -3.25, "city", "GB", "United Kingdom", "WLS", "Wales", pop=785),
    _p(2643490, "March", 52.55, 0.09, "city", "GB", "United Kingdom", "ENG", "England",
       pop=21_051),
    _p(5127000, "Council", 44.7, -116.4, "city", "US", "United States", "ID", "Idaho", pop=808),
    (TABLE["Aleppo"], ()),
    (TABLE["Deir ez-Zor"], ()),
    _p(5128581, "New York City", 40.71427, -74.00597, "city", "US", "United States", "NY",
       "New York", pop=8_804_190, alt=("New York",)),
    _p(1234567, "Tinyville", 10.0, 10.0, "city", "ZZ", "", pop=3),
]


class FakeGazetteer:
    """In-memory stand-in for :class:`geomap.gazetteer.Gazetteer` (read side only)."""

    def __init__(self, places=PLACES) -> None:
        self.path = f"fake-gazetteer-{next(_ids)}"
        self._by_key: dict[str, list[Place]] = {}
        self._by_id = {}
        for place, alts in places:
            self._by_id[place.geonameid] = place
            for name in (place.name, *alts):
                for key in name_keys(name):
                    bucket = self._by_key.setdefault(key, [])
                    if place not in bucket:
                        bucket.append(place)
        self.lookups = 0

    def iter_keys(self):
        for key, places in self._by_key.items():
            yield key, max(p.population for p in places)

    def key_index(self):
        from geomap.gazetteer.schema import index_keys

        return index_keys(self.iter_keys())

    def lookup(self, key: str) -> list[Place]:
        self.lookups += 1
        return list(self._by_key.get(key, ()))

    def get(self, geonameid: int) -> Place | None:
        return self._by_id.get(geonameid)

    def country(self, code: str) -> Place | None:
        return next((p for p in self._by_id.values()
                     if p.feature == "country" and p.country_code == code.upper()), None)

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        return next((p for p in self._by_id.values() if p.feature == "admin1"
                     and p.country_code == country_code and p.admin1_code == admin1_code), None)

    def districts(self, name: str, *, country: str | None = None,
                  admin1: str | None = None) -> list[Place]:
        """No districts unless the place table gives some (feature "admin2")."""
        keys = set(name_keys(name))
        return [p for p in self._by_id.values() if p.feature == "admin2"
                and keys & set(name_keys(p.name))
                and (country is None or p.country_code == country.upper())
                and (admin1 is None or p.admin1_code == admin1)]

    def close(self) -> None:
        pass
