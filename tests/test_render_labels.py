"""geomap.render.labels: place names for the map, by kind and zoom."""

from __future__ import annotations

import pytest

from geomap.render.labels import LABEL_KINDS, MapLabel, encode_labels, event_places, min_zoom


@pytest.mark.parametrize(("kind", "population", "events", "places", "zoom"), [
    ("country", 20_000_000, 0, 0, 2),
    ("country", 300_000, 0, 0, 4),
    ("admin1", 0, 0, 0, 6),
    ("city", 2_000_000, 0, 0, 5),
    ("city", 50_000, 0, 0, 8),
    ("city", 800, 0, 0, 10),
    ("event", 0, 1, 10, 5),      # few places with events: all named early
    ("event", 0, 9, 500, 8),
    ("event", 0, 1, 500, 9),
])
def test_labels_show_by_zoom(kind, population, events, places, zoom):
    assert min_zoom(kind, population, events, places) == zoom


def test_gazetteer_labels_come_by_kind_and_size_then_the_events_places():
    labels = [
        MapLabel("Homs", 34.724, 36.726, "city", 775_404),
        MapLabel("Syria", 35.0, 38.0, "country", 16_906_283),
        MapLabel("Aleppo", 36.201, 37.161, "city", 2_098_210),
        MapLabel("Homs Governorate", 34.568, 37.285, "admin1", 1_063_969),
        MapLabel("Homs", 34.724, 36.726, "city", 775_404),  # the same label twice: once
        MapLabel("", 1.0, 1.0, "city"),                     # no name
        MapLabel("Nowhere", 95.0, 1.0, "city"),            # off the globe
        MapLabel("Odd", 1.0, 1.0, "village"),               # not a kind the page knows
    ]
    places = event_places(["Rastan", "Talbiseh", "Rastan", ""], [34.93, 34.84, 34.9, 0.0],
                          [36.73, 36.73, 36.7, 0.0])
    data = encode_labels(labels, places)
    assert data["name"] == ["Syria", "Homs Governorate", "Aleppo", "Homs", "Rastan", "Talbiseh"]
    assert [LABEL_KINDS[k] for k in data["k"]] == ["country", "admin1", "city", "city", "event",
                                                   "event"]
    assert data["n"][-2:] == [2, 1]  # events at each place
    assert (data["lat"][-2], data["lon"][-2]) == (34.93, 36.73)  # its first point
