"""geomap.countries: one lookup for names, ISO codes and outlines."""

from __future__ import annotations

import pytest

from geomap import countries
from geomap.errors import CoordinateError
from tests.places import PLACES

RASTAN = PLACES["Rastan"]


@pytest.mark.parametrize(
    "text, iso2, iso3",
    [
        ("Syria", "SY", "SYR"),
        ("syrian arab republic", "SY", "SYR"),
        ("SYR", "SY", "SYR"),
        ("sy", "SY", "SYR"),
        ("Turkiye", "TR", "TUR"),
        ("DR Congo", "CD", "COD"),
        ("Ivory Coast", "CI", "CIV"),  # only countryinfo knows this spelling
        ("Kosovo", "XK", "XKX"),  # only GeoNames knows this one
    ],
)
def test_lookup(text, iso2, iso3):
    assert countries.iso2(text) == iso2
    assert countries.iso3(text) == iso3
    assert countries.lookup(text).iso2 == iso2


@pytest.mark.parametrize("text", ["", "Atlantis", "   "])
def test_unknown_is_empty_not_an_error(text):
    assert countries.lookup(text) is None
    assert countries.iso2(text) == ""
    assert countries.iso3(text) is None
    assert countries.name(text) == ""
    assert countries.shape(text) is None


def test_two_letters_are_taken_as_a_code():
    assert countries.iso2("zz") == "ZZ"


def test_numeric_and_name():
    syria = countries.lookup("Syria")
    assert (syria.numeric, syria.name) == ("760", "Syria")
    assert countries.name("SY") == "Syria"
    assert any(c.iso2 == "SY" for c in countries.all_countries())


@pytest.mark.parametrize(
    "lat, lon, country, match",
    [
        (RASTAN.longitude, RASTAN.latitude, "Syria", "look swapped"),  # columns swapped
        (48.85, 2.35, "Syria", "outside Syria"),
    ],
)
def test_check_in_country_flags(lat, lon, country, match):
    with pytest.raises(CoordinateError, match=match):
        countries.check_in_country(lat, lon, country)


@pytest.mark.parametrize(
    "lat, lon, country",
    [(RASTAN.latitude, RASTAN.longitude, "Syria"), (48.85, 2.35, ""), (10.0, 10.0, "Atlantis")],
)
def test_check_in_country_ok(lat, lon, country):
    countries.check_in_country(lat, lon, country)


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [
        (RASTAN.latitude, RASTAN.longitude, "Syria"),
        (34.4367, 35.8497, "Lebanon"),  # Tripoli, on the coast: nearest outline
        (32.8874, 13.1873, "Libya"),  # the other Tripoli
        (RASTAN.longitude, RASTAN.latitude, "Turkey"),  # Rastan's point swapped
        (48.85, 2.35, "France"),
        (0.0, -30.0, None),  # the open Atlantic
    ],
)
def test_the_country_a_point_lies_in(lat, lon, name):
    found = countries.at(lat, lon)
    assert (found.name if found else None) == name


def test_an_outline_that_crosses_itself_is_repaired():
    assert countries.shape("AQ") is not None  # Antarctica's outline used to raise
