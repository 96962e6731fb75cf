"""geomap.render.page: the layered map, its one data block and element, escaping."""

from __future__ import annotations

import re

import folium
import pytest

from geomap.model import Mention
from geomap.render import EventLayers, EventMap, MapLabel, build_map
from geomap.render.assets import HTML_TO_IMAGE_URL
from geomap.render.layers import SVG_LIMIT
from geomap.render.page import SCRIPTS, TEMPLATES
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
    assert srcs == [folium.Map.default_js[0][1], folium.plugins.HeatMap.default_js[0][1],
                    HTML_TO_IMAGE_URL]
    assert "var tile_layer_" in html  # folium's own OSM tile layer


def test_a_page_that_cannot_load_leaflet_says_it_needs_a_network(make_event):
    html = build_map([make_event()], boundaries=False).get_root().render()
    assert '<div id="gm-offline"' in html and "This map needs a network connection" in html
    # the guard runs before any external script, so it sees their load errors
    assert html.index("gm-offline") < html.index('<script src="')


def test_every_script_of_the_page_is_in_it(make_event):
    html = build_map([make_event()], boundaries=False).get_root().render()
    for name in SCRIPTS:
        first_line = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()[0]
        assert first_line in html, name


@pytest.mark.parametrize(("count", "title"), [
    (1, "1 event, 2015-09-30"),
    (2, "2 events, 2015-09-30 to 2015-10-01"),
])
def test_the_default_title_gives_the_count_and_the_dates(make_event, count, title):
    days = ["2015-09-30", "2015-10-01"][:count]
    events = [make_event(event_id=f"e{k}", event_date=day) for k, day in enumerate(days)]
    m = build_map(events, boundaries=False)
    html = m.get_root().render()
    assert f"<title>{title}</title>" in html
    assert f'<span class="gm-title-text">{title}</span>' in html
    assert m.event_layers.auto_title is True
    assert build_map(events, title="Mine", boundaries=False).event_layers.auto_title is False


def test_context_figures_are_not_counted_in_the_title(make_event):
    events = [make_event(), make_event(event_id="ctx", is_context=True, deaths_best=250_001)]
    assert "<title>1 event, 2015-09-30</title>" in build_map(events, boundaries=False).get_root(
    ).render()


def test_labels_reach_the_page_as_plain_data(make_event, page_data, places):
    homs = places["Homs"]
    label = MapLabel(homs.name, homs.latitude, homs.longitude, "city", homs.population)
    m = build_map([make_event()], labels=[label], boundaries=False)
    data = page_data(m.get_root().render())
    assert data["labels"]["name"] == [homs.name, "Rastan"]  # the gazetteer's, then the events'
    assert data["labels"]["k"] == [2, 3]


def test_large_input_opens_with_clusters():
    m = build_map(synthetic_events(SVG_LIMIT + 1), boundaries=False)
    assert m.event_layers.clusters_on is True
    small = build_map(synthetic_events(10), boundaries=False)
    assert small.event_layers.clusters_on is False
