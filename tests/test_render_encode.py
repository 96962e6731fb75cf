"""geomap.render.encode: events and mentions as the page's column-oriented data."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.model import Mention, Place
from geomap.render import encode_events
from tests.render_events import homs_region, needs_assets, rastan


@pytest.mark.parametrize(("field", "value", "column", "expected"), [
    ("deaths_best", None, "d", -1),   # unknown is not zero
    ("deaths_best", 0, "d", 0),
    ("deaths_best", 33, "d", 33),
    ("deaths_high", None, "hi", -1),
    ("geo_precision", None, "p", 0),
    ("geo_precision", 2, "p", 2),
    ("event_date", None, "day", -1),
    ("event_date", "not a date", "day", -1),
    ("event_date", "1970-01-02", "day", 1),
])
def test_encoded_columns(field, value, column, expected):
    data = encode_events([rastan(**{field: value})], boundaries=False)
    col = data[column]
    assert (col["k"] if isinstance(col, dict) else col[0]) == expected


def test_events_without_coordinates_or_context_are_left_out_with_a_note():
    events = [rastan(), rastan(event_id="x", latitude=None), rastan(event_id="y", latitude=95.0),
              rastan(event_id="z", is_context=True, deaths_best=250001)]
    data = encode_events(events, boundaries=False)
    assert data["n"] == 1
    assert any("2 event(s) without usable coordinates" in n for n in data["notes"])
    assert any("1 background" in n for n in data["notes"])


def test_records_and_dataframes_are_accepted():
    import pandas as pd

    records = [rastan().to_record(), homs_region().to_record()]
    df = pd.DataFrame(records)
    df.loc[0, "deaths_high"] = float("nan")
    for events in (records, df):
        assert encode_events(events, boundaries=False)["n"] == 2


def test_geodataframe_points_give_the_coordinates():
    import geopandas as gpd
    from shapely.geometry import Point

    record = rastan().to_record()
    del record["latitude"], record["longitude"]
    gdf = gpd.GeoDataFrame([record], geometry=[Point(36.732, 34.927)], crs="EPSG:4326")
    data = encode_events(gdf, boundaries=False)
    assert (data["lat"], data["lon"]) == ([34.927], [36.732])


@pytest.mark.parametrize("bad", [[("34.9", "36.7")], ["Rastan"], [42]])
def test_bad_input_items(bad):
    with pytest.raises(InputError, match="Event"):
        encode_events(bad)


def test_single_date_slider_is_padded():
    data = encode_events([rastan()], boundaries=False)
    assert data["day0"] < data["day"]["k"] < data["day1"]


def test_undated_events_are_counted():
    data = encode_events([rastan(), rastan(event_id="u", event_date=None)], boundaries=False)
    assert data["undated"] == 1


def test_constant_columns_are_compacted():
    data = encode_events([rastan(), rastan(event_id="b", deaths_best=2)], boundaries=False)
    assert data["country"] == {"k": data["strings"].index("Syria")}
    assert data["d"] == [33, 2]


def test_mentions_layer_keeps_only_mentioned_places():
    place = Place(163843, "Syria", 35.0, 38.0, "country", "SY", "Syria", "", "")
    mentions = [
        Mention("doc", "Syria", 0, 5, place=place, role="mentioned"),
        Mention("doc", "Syria", 10, 15, place=place, role="mentioned"),  # same place: once
        Mention("doc", "Rastan", 20, 26, latitude=34.9, longitude=36.7, role="event"),
        Mention("doc", "Nowhere", 30, 37),  # unresolved
    ]
    data = encode_events([rastan()], mentions, boundaries=False)
    assert data["mentions"]["text"] == ["Syria"]


@needs_assets
def test_further_places_of_one_event_are_drawn_at_their_own_precision():
    locations = [
        {"name": "Ar Rastan", "latitude": 34.927, "longitude": 36.732, "geo_precision": 1},
        {"name": "Homs Governorate", "mention": "Homs province", "latitude": 34.568,
         "longitude": 37.285, "geo_precision": 3},
        {"name": "broken", "latitude": "x", "longitude": None},
    ]
    data = encode_events([rastan(extra={"locations": locations})])
    sec = data["sec"]
    assert sec["name"] == ["Homs province"] and sec["p"] == [3] and sec["ev"] == [0]
    assert 50_000 < sec["r"][0] <= 150_000  # the governorate's area, not a pin
    homs = next(f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Homs"))
    assert homs["properties"]["events"] == 1  # counted once, at its main place
