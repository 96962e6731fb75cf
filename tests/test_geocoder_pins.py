"""The pin rule: Geocoder.pin_for."""

from __future__ import annotations

import pytest

from geomap.geocoding.geocoder import Geocoder


@pytest.fixture
def geocoder(cache):
    return Geocoder(cache=cache, gazetteer=lambda: pytest.fail("the pin rule needs no gazetteer"))


@pytest.mark.parametrize(
    ("pin_country", "query_country", "matches"),
    [
        (None, None, True),
        ("SY", None, True),
        ("SY", "sy", True),
        ("SY", "US", False),
        # a country-less pin is meant for every query of the name
        (None, "US", True),
        (None, "SY", True),
    ],
)
def test_pin_country_rule(cache, geocoder, pin_country, query_country, matches):
    cache.pin("Rastan", 34.9, 36.7, country=pin_country)
    found = geocoder.pin_for("RASTAN", country=query_country)
    assert (found is not None) is matches


def test_pin_for_prefers_the_country_pin_for_that_country(cache, geocoder):
    cache.pin("Damascus", 33.5, 36.3, country="SY")
    cache.pin("Damascus", 39.3, -77.2, country="US")
    assert geocoder.pin_for("Damascus", country="US").latitude == 39.3
    assert geocoder.pin_for("Damascus", country="SY").latitude == 33.5


def test_country_pin_beats_a_countryless_pin_for_its_country(cache, geocoder):
    cache.pin("Damascus", 10.0, 10.0)
    cache.pin("Damascus", 39.3, -77.2, country="US")
    assert geocoder.pin_for("Damascus", country="US").latitude == 39.3
    assert geocoder.pin_for("Damascus", country="SY").latitude == 10.0
    assert geocoder.pin_for("Damascus").latitude == 10.0


def test_the_newest_of_two_equal_pins_wins(cache, geocoder):
    cache.pin("Homs", 1.0, 1.0, country="SY")
    imported = cache.get("homs|cc=SY")
    imported.key, imported.query, imported.updated = "homs|cc=SY|a1=11", "Homs", "2999-01-01"
    cache.put(imported)  # a second pin of the same name and country (from an import)
    assert geocoder.pin_for("Homs", country="SY").key == "homs|cc=SY|a1=11"


def test_no_cache_no_pins(gaz):
    assert Geocoder(cache=None, gazetteer=gaz).pin_for("Rastan") is None
