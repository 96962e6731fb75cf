"""geomap.formats.events: events as GeoJSON, and the export format of a file name."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.formats import events_to_geojson, export_format, neutralise_formula, write_events_csv
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


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+SUM(1)", "'+SUM(1)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1", "'\r=1"),
        ("Ar Rastan", "Ar Rastan"),
        (-77.04, -77.04),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_extract_csv_neutralises_formulas_unless_told(make_event):
    import io

    hostile = make_event(location="=cmd|' /C calc'!A0", longitude=-1.5, latitude=2.0)
    out = io.StringIO()
    write_events_csv([hostile], out)
    assert ",'=cmd|' /C calc'!A0," in out.getvalue() and ",-1.5," in out.getvalue()
    raw = io.StringIO()
    write_events_csv([hostile], raw, escape_formulas=False)
    assert ",=cmd|' /C calc'!A0," in raw.getvalue()
