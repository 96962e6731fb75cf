"""geomap.render.maps: the layered map, its data, escaping and self-contained saving."""

from __future__ import annotations

import json
import re

import folium
import pytest

from geomap.errors import InputError, RenderError
from geomap.model import Event, Mention, Place
from geomap.render import assets
from geomap.render import maps as render

needs_assets = pytest.mark.skipif(not assets.installed(), reason="run: make setup (npm assets)")

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def rastan(**kw) -> Event:
    base = dict(
        event_id="t-rastan", event_date="2015-09-30", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Russia", country="Syria",
        admin1="Homs", location="Rastan", latitude=34.927, longitude=36.732, geo_precision=1,
        deaths_low=33, deaths_best=33, civilians=True, children=True, source="Reuters",
        quote="at least 33 civilians", source_url="https://example.org/story",
    )
    base.update(kw)
    return Event(**base)


def homs_region(**kw) -> Event:
    base = dict(event_id="t-homs", event_date="2015-09-30", event_type="Explosions/Remote violence",
                country="Syria", admin1="Homs", location="Homs", latitude=34.67,
                longitude=37.5, geo_precision=3)
    base.update(kw)
    return Event(**base)


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="geomap-data-[^"]+">(.*?)</script>',
                      html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def test_build_map_returns_folium_map_with_one_data_block():
    m = render.build_map([rastan(), homs_region()], title="T", boundaries=False)
    assert isinstance(m, folium.Map)
    html = m.get_root().render()
    assert html.count('type="application/json"') == 1
    assert "var marker_" not in html  # no folium Marker per event
    data = page_data(html)
    assert data["n"] == 2
    assert data["types"][0]["name"] == "Explosions/Remote violence"


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
    data = render.encode_events([rastan(**{field: value})], boundaries=False)
    col = data[column]
    assert (col["k"] if isinstance(col, dict) else col[0]) == expected


def test_events_without_coordinates_or_context_are_left_out_with_a_note():
    events = [rastan(), rastan(event_id="x", latitude=None), rastan(event_id="y", latitude=95.0),
              rastan(event_id="z", is_context=True, deaths_best=250001)]
    data = render.encode_events(events, boundaries=False)
    assert data["n"] == 1
    assert any("2 event(s) without usable coordinates" in n for n in data["notes"])
    assert any("1 background" in n for n in data["notes"])


def test_records_and_dataframes_are_accepted():
    import pandas as pd

    records = [rastan().to_record(), homs_region().to_record()]
    df = pd.DataFrame(records)
    df.loc[0, "deaths_high"] = float("nan")
    for events in (records, df):
        assert render.encode_events(events, boundaries=False)["n"] == 2


def test_geodataframe_points_give_the_coordinates():
    import geopandas as gpd
    from shapely.geometry import Point

    record = rastan().to_record()
    del record["latitude"], record["longitude"]
    gdf = gpd.GeoDataFrame([record], geometry=[Point(36.732, 34.927)], crs="EPSG:4326")
    data = render.encode_events(gdf, boundaries=False)
    assert (data["lat"], data["lon"]) == ([34.927], [36.732])


@pytest.mark.parametrize("bad", [[("34.9", "36.7")], ["Rastan"], [42]])
def test_bad_input_items(bad):
    with pytest.raises(InputError, match="Event"):
        render.build_map(bad)


def test_text_is_never_raw_html():
    events = [rastan(quote=EVIL, actor1=EVIL, location=EVIL, source=EVIL, event_type=EVIL,
                     source_url="javascript:alert(1)")]
    m = render.build_map(events, title=EVIL, boundaries=False,
                         mentions=[Mention("d", EVIL, 0, 5, latitude=35.0, longitude=36.0)])
    html = m.get_root().render()
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in html  # the title, escaped
    data = page_data(html)
    assert EVIL in data["strings"] and EVIL == data["types"][0]["name"]


def test_single_date_slider_is_padded():
    data = render.encode_events([rastan()], boundaries=False)
    assert data["day0"] < data["day"]["k"] < data["day1"]


def test_undated_events_are_counted():
    data = render.encode_events([rastan(), rastan(event_id="u", event_date=None)],
                                boundaries=False)
    assert data["undated"] == 1


def test_constant_columns_are_compacted():
    data = render.encode_events([rastan(), rastan(event_id="b", deaths_best=2)], boundaries=False)
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
    data = render.encode_events([rastan()], mentions, boundaries=False)
    assert data["mentions"]["text"] == ["Syria"]


def test_no_events_still_renders():
    m = render.build_map([], boundaries=False)
    assert "No events to show." in page_data(m.get_root().render())["notes"]


@needs_assets
def test_admin1_counts_and_region_radius():
    data = render.encode_events([rastan(), homs_region()])
    homs = next(f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Homs"))
    assert homs["properties"]["events"] == 2 and homs["properties"]["deaths"] == 33
    r = data["r"]
    assert r[0] == 0 and 50_000 < r[1] <= 150_000  # precision 3 drawn as the region's area
    assert data["fa"][0] == -1 and data["admin"]["features"][data["fa"][1]] is homs
    east = data["bounds"][1][1]
    assert east > 40  # the map fits the whole governorate, which reaches the Iraqi border
    assert len(data["world"]["features"]) > 150


@needs_assets
def test_self_contained_page_has_no_external_assets(tmp_path):
    m = render.build_map([rastan(), homs_region()], title="Seed", self_contained=True)
    path = render.save_map(m, tmp_path / "sub" / "map.html")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "tile_layer_" not in html  # no tile layer: the page makes no request
    assert "/* leaflet@1.9.3 */" in html and "/* leaflet.heat@0.2.0 */" in html
    assert path.stat().st_size <= 2_000_000


def test_default_map_uses_folium_urls_and_tiles():
    html = render.build_map([rastan()], boundaries=False).get_root().render()
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs == [folium.Map.default_js[0][1], folium.plugins.HeatMap.default_js[0][1]]
    assert "var tile_layer_" in html  # folium's own OSM tile layer


def test_self_contained_without_assets_says_run_make_setup(tmp_path, monkeypatch):
    m = render.build_map([rastan()], boundaries=False, self_contained=True)
    monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(tmp_path / "none"))
    with pytest.raises(RenderError, match="make setup"):
        render.save_map(m, tmp_path / "m.html")
    assert not (tmp_path / "m.html").exists()


def test_inline_refuses_unknown_assets():
    with pytest.raises(RenderError, match="other.js"):
        render.inline_assets('<script src="https://example.invalid/other.js"></script>')


def test_a_broken_character_in_one_quote_does_not_lose_the_map(tmp_path):
    m = render.build_map([rastan(quote="bad \ud800 char"), homs_region()], boundaries=False)
    path = render.save_map(m, tmp_path / "m.html")
    assert page_data(path.read_text(encoding="utf-8"))["n"] == 2


def test_save_to_a_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="directory"):
        render.save_map(render.build_map([], boundaries=False), tmp_path)


def test_large_input_opens_with_clusters():
    from synthetic_events import synthetic_events  # tests/ is on sys.path (conftest)

    m = render.build_map(synthetic_events(render.SVG_LIMIT + 1), boundaries=False)
    layers = m._children["geomap_layers"]
    assert layers.clusters_on is True
    small = render.build_map(synthetic_events(10), boundaries=False)._children["geomap_layers"]
    assert small.clusters_on is False


@needs_assets
def test_further_places_of_one_event_are_drawn_at_their_own_precision():
    locations = [
        {"name": "Ar Rastan", "latitude": 34.927, "longitude": 36.732, "geo_precision": 1},
        {"name": "Homs Governorate", "mention": "Homs province", "latitude": 34.568,
         "longitude": 37.285, "geo_precision": 3},
        {"name": "broken", "latitude": "x", "longitude": None},
    ]
    data = render.encode_events([rastan(extra={"locations": locations})])
    sec = data["sec"]
    assert sec["name"] == ["Homs province"] and sec["p"] == [3] and sec["ev"] == [0]
    assert 50_000 < sec["r"][0] <= 150_000  # the governorate's area, not a pin
    homs = next(f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Homs"))
    assert homs["properties"]["events"] == 1  # counted once, at its main place
