"""Admin-1 assignment: gazetteer entry, polygons, the source's own name, nearest city."""

from __future__ import annotations

import pytest

from geomap.model import Event
from geomap.store import admin1


@pytest.mark.gazetteer
def test_assign_admin_methods(gaz):
    events = [
        Event(geonameid=172946),
        Event(country="Syria", latitude=34.93, longitude=36.73, admin1="Hims governorate"),
        Event(latitude=34.93, longitude=36.73),
    ]
    admin1.assign_admin(events, gazetteer=gaz)
    assert [e.admin1 for e in events] == ["Homs", "Homs", "Homs"]
    assert events[0].extra["admin1_method"] == "gazetteer"
    assert events[1].extra["admin1_method"] in {"sjoin:admin1_boundaries", "source"}
    if events[1].extra["admin1_method"].startswith("sjoin"):
        assert events[1].extra["admin1_source"] == "Hims governorate"
    assert events[2].extra["admin1_method"].startswith("nearest-city")


def test_nearest_city_admin1_many_matches_single():
    points = [(34.93, 36.73), (48.85, 2.35), (-33.9, 18.4)]
    assert admin1.nearest_city_admin1_many(points) == [
        admin1.nearest_city_admin1(*p) for p in points
    ]
    assert admin1.nearest_city_admin1(34.93, 36.73)[0] == "SY"
