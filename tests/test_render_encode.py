"""geomap.render.encode: events and mentions as the page's column-oriented data."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.model import Mention
from geomap.render import encode_events


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
    ("confidence", 0.82, "conf", 82),  # shown in the popup as a percentage
    ("confidence", None, "conf", -1),
])
def test_encoded_columns(make_event, field, value, column, expected):
    data = encode_events([make_event(**{field: value})], boundaries=False)
    col = data[column]
    assert (col["k"] if isinstance(col, dict) else col[0]) == expected


def test_events_without_coordinates_or_context_are_left_out_with_a_note(make_event):
    events = [make_event(), make_event(event_id="x", latitude=None),
              make_event(event_id="y", latitude=95.0),
              make_event(event_id="z", is_context=True, deaths_best=250001)]  # fmt: skip
    data = encode_events(events, boundaries=False)
    assert data["n"] == 1
    assert any("2 events without usable coordinates are" in n for n in data["notes"])
    assert any("1 background" in n for n in data["notes"])


def test_records_and_dataframes_are_accepted(make_event):
    import pandas as pd

    records = [make_event().to_record(), make_event("Homs Governorate").to_record()]
    df = pd.DataFrame(records)
    df.loc[0, "deaths_high"] = float("nan")
    for events in (records, df):
        assert encode_events(events, boundaries=False)["n"] == 2


def test_geodataframe_points_give_the_coordinates(make_event, places):
    import geopandas as gpd
    from shapely.geometry import Point

    record = make_event().to_record()
    del record["latitude"], record["longitude"]
    lat, lon = places.point("Rastan")
    gdf = gpd.GeoDataFrame([record], geometry=[Point(lon, lat)], crs="EPSG:4326")
    data = encode_events(gdf, boundaries=False)
    assert data["lat"] == [pytest.approx(lat, abs=5e-5)]  # written to 4 decimals
    assert data["lon"] == [pytest.approx(lon, abs=5e-5)]


@pytest.mark.parametrize("bad", [[("34.9", "36.7")], ["Rastan"], [42]])
def test_bad_input_items(bad):
    with pytest.raises(InputError, match="Event"):
        encode_events(bad)


def test_single_date_slider_is_padded(make_event):
    data = encode_events([make_event()], boundaries=False)
    assert data["day0"] < data["day"]["k"] < data["day1"]


def test_undated_events_are_counted(make_event):
    events = [make_event(), make_event(event_id="u", event_date=None)]
    data = encode_events(events, boundaries=False)
    assert data["undated"] == 1


def test_constant_columns_are_compacted(make_event):
    events = [make_event(deaths_best=33), make_event(event_id="b", deaths_best=2)]
    data = encode_events(events, boundaries=False)
    assert data["country"] == {"k": data["strings"].index("Syria")}
    assert data["d"] == [33, 2]


def test_mentions_layer_keeps_only_mentioned_places(make_event, places):
    syria, rastan = places["Syria"], places["Rastan"]
    mentions = [
        Mention("doc", "Syria", 0, 5, place=syria, role="mentioned"),
        Mention("doc", "Syria", 10, 15, place=syria, role="mentioned"),  # same place: once
        Mention("doc", "Rastan", 20, 26, latitude=rastan.latitude, longitude=rastan.longitude,
                role="event"),
        Mention("doc", "Nowhere", 30, 37),  # unresolved
    ]  # fmt: skip
    data = encode_events([make_event()], mentions, boundaries=False)
    assert data["mentions"]["text"] == ["Syria"]


@pytest.mark.assets
def test_further_places_of_one_event_are_drawn_at_their_own_precision(make_event, places):
    rastan, homs = places["Rastan"], places["Homs Governorate"]
    locations = [
        {"name": rastan.name, "latitude": rastan.latitude, "longitude": rastan.longitude,
         "geo_precision": 1},
        {"name": homs.name, "mention": "Homs province", "latitude": homs.latitude,
         "longitude": homs.longitude, "geo_precision": 3},
        {"name": "broken", "latitude": "x", "longitude": None},
    ]  # fmt: skip
    data = encode_events([make_event(extra={"locations": locations})])
    sec = data["sec"]
    assert sec["name"] == ["Homs province"] and sec["p"] == [3] and sec["ev"] == [0]
    assert 50_000 < sec["r"][0] <= 150_000  # the governorate's area, not a pin
    homs = next(f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Homs"))
    assert homs["properties"]["events"] == 1  # counted once, at its main place
