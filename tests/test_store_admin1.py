"""Admin-1 assignment: gazetteer entry, polygons, the source's own name, nearest city."""

from __future__ import annotations

import pytest

from geomap.model import Event
from geomap.store import admin1


@pytest.mark.gazetteer
def test_assign_admin_methods(gaz, places):
    rastan = places["Rastan"]
    events = [
        Event(geonameid=rastan.geonameid),
        Event(country="Syria", latitude=rastan.latitude, longitude=rastan.longitude,
              admin1="Hims governorate"),  # UCDP's spelling
        Event(latitude=rastan.latitude, longitude=rastan.longitude),
    ]  # fmt: skip
    admin1.assign_admin(events, gazetteer=gaz)
    assert [e.admin1 for e in events] == ["Homs", "Homs", "Homs"]
    assert events[0].extra["admin1_method"] == "gazetteer"
    assert events[1].extra["admin1_method"] in {"sjoin:admin1_boundaries", "source"}
    if events[1].extra["admin1_method"].startswith("sjoin"):
        assert events[1].extra["admin1_source"] == "Hims governorate"
    assert events[2].extra["admin1_method"].startswith("nearest-city")


def test_nearest_city_admin1_many_matches_single(places):
    points = [places.point("Rastan"), (48.85, 2.35), (-33.9, 18.4)]  # and Paris, Cape Town
    assert admin1.nearest_city_admin1_many(points) == [
        admin1.nearest_city_admin1(*p) for p in points
    ]
    assert admin1.nearest_city_admin1(*places.point("Rastan"))[0] == "SY"


def test_the_city_table_is_loaded_only_for_points(monkeypatch):
    def boom() -> None:
        raise AssertionError("the city table was loaded for no point")

    monkeypatch.setattr(admin1, "_cities", boom)
    assert admin1.nearest_city_admin1_many([]) == []
    admin1.assign_admin([Event(country="Syria", latitude=None, longitude=None, admin1="Homs")])
