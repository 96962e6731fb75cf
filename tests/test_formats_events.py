"""geomap.formats.events: events as GeoJSON, and the export format of a file name."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.formats import events_to_geojson, export_format
from geomap.model import Event


def test_geojson_output(make_event, places):
    context = Event(event_id="ctx", deaths_low=300, is_context=True)  # "the war has killed 300"
    fc = events_to_geojson([make_event(), context])
    assert fc["type"] == "FeatureCollection"
    located, ctx = fc["features"]
    assert located["geometry"] == {
        "type": "Point",
        "coordinates": [places["Rastan"].longitude, places["Rastan"].latitude],
    }
    assert ctx["geometry"] is None and ctx["properties"]["is_context"] is True


@pytest.mark.parametrize(
    "path, fmt, match",
    [("x.shp", None, "Cannot tell the export format"), ("x.csv", "kml", "Unknown export format")],
)
def test_export_format_errors(path, fmt, match):
    with pytest.raises(InputError, match=match):
        export_format(path, fmt)
