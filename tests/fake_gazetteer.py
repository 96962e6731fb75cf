"""A tiny in-memory gazetteer with the foundation's read interface, for unit tests
of recognition and resolution that should not depend on the full GeoNames build.

The places are real (GeoNames ids, rounded points and populations) but few.
"""

from __future__ import annotations

import itertools

from geomap.gazetteer import name_keys
from geomap.model import Place

_ids = itertools.count(1)


def _p(gid, name, lat, lon, feature, cc, country, a1="", admin1="", pop=0, alt=()):
    return Place(gid, name, lat, lon, feature, cc, country, a1, admin1, pop), alt


PLACES = [
    _p(163843, "Syria", 35.0, 38.0, "country", "SY", "Syria", pop=22_000_000),
    _p(6252001, "United States", 39.76, -98.5, "country", "US", "United States",
       pop=327_000_000, alt=("U.S.", "US", "USA", "America")),
    _p(2017370, "Russia", 60.0, 100.0, "country", "RU", "Russia", pop=144_000_000),
    _p(614540, "Georgia", 42.0, 43.5, "country", "GE", "Georgia", pop=3_700_000),
    _p(169575, "Homs Governorate", 34.6, 37.3, "admin1", "SY", "Syria", "11", "Homs",
       pop=1_060_000, alt=("Homs",)),
    _p(4197000, "Georgia", 32.75, -83.5, "admin1", "US", "United States", "GA", "Georgia",
       pop=10_000_000),
    _p(169577, "Homs", 34.7268, 36.7234, "city", "SY", "Syria", "11", "Homs", pop=775_404),
    _p(172946, "Ar Rastan", 34.92667, 36.73241, "city", "SY", "Syria", "11", "Homs",
       pop=53_152),
    _p(170654, "Damascus", 33.5102, 36.29128, "city", "SY", "Syria", "13", "Damascus",
       pop=1_569_394),
    _p(4351977, "Damascus", 39.2887, -77.2039, "city", "US", "United States", "MD", "Maryland",
       pop=15_257),
    _p(524901, "Moscow", 55.75222, 37.61556, "city", "RU", "Russia", "48", "Moscow",
       pop=10_381_222),
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
    _p(170063, "Aleppo", 36.20124, 37.16117, "city", "SY", "Syria", "09", "Aleppo",
       pop=1_602_264),
    _p(170794, "Deir ez-Zor", 35.33588, 40.14084, "city", "SY", "Syria", "07", "Deir ez-Zor",
       pop=271_800),
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

    def close(self) -> None:
        pass
