"""ACLED's country-dependent actor names (geomap.text.events.acled_names)."""

from __future__ import annotations

import pytest

from geomap.text.events.acled_names import GANG_COUNTRIES, named, the_country


@pytest.mark.parametrize(
    "country, expected",
    [
        ("United States", "the United States"),
        ("Philippines", "the Philippines"),
        ("Democratic Republic of the Congo", "the Democratic Republic of Congo"),
        ("Kenya", "Kenya"),
    ],
)
def test_a_country_after_forces_of_is_spelled_as_acled_spells_it(country, expected):
    assert the_country(country) == expected


def test_a_name_loses_its_country_when_the_country_is_unknown():
    assert named("Military Forces of {the_country}", "Chad") == "Military Forces of Chad"
    assert named("Unidentified Armed Group ({country})", "") == "Unidentified Armed Group"
    assert named("Police Forces of {the_country}", "") == "Police Forces"


def test_gang_names_are_for_the_americas_only():
    assert "Brazil" in GANG_COUNTRIES and "Kenya" not in GANG_COUNTRIES
