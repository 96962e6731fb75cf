"""Exports of what the map shows, offline in the self-contained page: CSV, GeoJSON, PNG."""

from __future__ import annotations

import csv
import io
import json
import struct

import pytest

from tests.synthetic_events import synthetic_events

pytestmark = pytest.mark.assets


@pytest.fixture
def year_map(write_map):
    return write_map("year", synthetic_events(400))


def shown_ids(page) -> list[str]:
    return page.js("() => { var out = []; for (var i = 0; i < geomap.M.N; i++)"
                   " if (geomap.M.visible[i]) out.push(geomap.str('id', i)); return out; }")


def download(page, button: str):
    with page.page.expect_download() as info:
        page.page.locator(f".gm-export button[data-x='{button}']").click()
    return info.value


def test_csv_export_downloads_the_events_shown(page, year_map):
    page.open(year_map)
    page.toggle("Battles")
    page.page.locator(".gm-time input.gm-to").fill(str(page.js("geomap.data.day0") + 90))
    got = download(page, "csv")
    assert got.suggested_filename == "geomap-events.csv"
    rows = list(csv.DictReader(io.StringIO(open(got.path(), encoding="utf-8").read())))
    assert [r["event_id"] for r in rows] == shown_ids(page) and 0 < len(rows) < 400
    assert {r["event_type"] for r in rows} <= {"Explosions/Remote violence",
                                               "Violence against civilians", "Protests", "Riots",
                                               "Strategic developments"}
    assert max(r["event_date"] for r in rows) <= "2015-04-01"
    assert page.outside_requests(year_map) == [] and page.errors == []


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(page, write_map, make_event):
    path = write_map("formula", [make_event(actor1="=HYPERLINK(\"http://x\")", location="+SUM",
                                            quote="@cmd", latitude=-33.9, longitude=18.4,
                                            country="South Africa")])
    page.open(path)
    row = next(csv.DictReader(open(download(page, "csv").path(), encoding="utf-8")))
    assert (row["actor1"], row["location"], row["quote"]) == (
        "'=HYPERLINK(\"http://x\")", "'+SUM", "'@cmd")
    assert row["latitude"] == "-33.9"  # numbers stay numbers


def test_geojson_export_has_the_events_shown(page, year_map):
    page.open(year_map)
    page.toggle("Protests")
    data = json.loads(open(download(page, "geojson").path(), encoding="utf-8").read())
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["event_id"] for f in data["features"]] == shown_ids(page)
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert 32 < lat < 37.5 and 35 < lon < 45  # (lon, lat), as GeoJSON has it


def test_png_export_is_an_image_of_the_view(page, year_map, artifacts):
    page.open(year_map)
    got = download(page, "png")
    assert got.suggested_filename == "geomap-view.png"
    data = open(got.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 800)
    (artifacts / "map-export-view.png").write_bytes(data)
    assert page.outside_requests(year_map) == [] and page.errors == []
