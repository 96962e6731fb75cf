"""geomap.render.page: the layered map, its one data block and element, escaping."""

from __future__ import annotations

import re

import folium
import pytest

from geomap.model import Mention
from geomap.render import EventLayers, EventMap, build_map
from geomap.render.layers import SVG_LIMIT
from tests.synthetic_events import synthetic_events


def test_build_map_returns_folium_map_with_one_data_block(make_event, page_data):
    m = build_map([make_event(), make_event("Homs Governorate")], title="T", boundaries=False)
    assert isinstance(m, folium.Map)
    html = m.get_root().render()
    assert html.count('type="application/json"') == 1
    assert "var marker_" not in html  # no folium Marker per event
    data = page_data(html)
    assert data["n"] == 2
    assert data["types"][0]["name"] == "Explosions/Remote violence"


@pytest.mark.parametrize("self_contained", [False, True])
def test_the_map_keeps_its_layers_element_and_how_it_was_built(make_event, self_contained):
    m = build_map([make_event()], boundaries=False, self_contained=self_contained)
    assert isinstance(m, EventMap) and isinstance(m.event_layers, EventLayers)
    assert m.event_layers.data["n"] == 1
    assert m.self_contained is self_contained
    assert m.event_layers.data_id in m.get_root().render()


def test_text_is_never_raw_html(make_event, page_data, hostile_text):
    evil = hostile_text
    events = [make_event(quote=evil, actor1=evil, location=evil, source=evil, event_type=evil,
                         source_url="javascript:alert(1)")]
    m = build_map(events, title=evil, boundaries=False,
                  mentions=[Mention("d", evil, 0, 5, latitude=35.0, longitude=36.0)])
    html = m.get_root().render()
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in html  # the title, escaped
    data = page_data(html)
    assert evil in data["strings"] and evil == data["types"][0]["name"]


def test_no_events_still_renders(page_data):
    m = build_map([], boundaries=False)
    assert "No events to show." in page_data(m.get_root().render())["notes"]


def test_default_map_uses_folium_urls_and_tiles(make_event):
    html = build_map([make_event()], boundaries=False).get_root().render()
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs == [folium.Map.default_js[0][1], folium.plugins.HeatMap.default_js[0][1]]
    assert "var tile_layer_" in html  # folium's own OSM tile layer


def test_large_input_opens_with_clusters():
    m = build_map(synthetic_events(SVG_LIMIT + 1), boundaries=False)
    assert m.event_layers.clusters_on is True
    small = build_map(synthetic_events(10), boundaries=False)
    assert small.event_layers.clusters_on is False
