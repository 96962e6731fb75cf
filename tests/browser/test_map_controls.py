"""The map's controls in a real browser: panels, filters, play, search, spiderfy, labels."""

from __future__ import annotations

import pytest

from geomap.render import MapLabel
from tests.synthetic_events import synthetic_events

pytestmark = pytest.mark.assets


@pytest.fixture
def year_map(write_map, places):
    """400 events over a year in Syria and Iraq (40 armed groups as actors), with a few
    place names as the map job gives them."""
    names = [MapLabel("Syria", 35.0, 38.0, "country", 16_906_283),
             MapLabel("Iraq", 33.0, 44.0, "country", 29_671_605)]
    names += [MapLabel(p.name, p.latitude, p.longitude, p.feature, p.population)
              for p in (places["Homs Governorate"], places["Aleppo"], places["Homs"])]
    return write_map("year", synthetic_events(400), labels=names)


@pytest.fixture
def stacked_map(write_map, make_event):
    """Five events in Rastan (one point), one in Homs, and 30 in Aleppo (one point)."""
    rastan = [make_event(event_id=f"r{k}", event_date=f"2015-10-0{k + 1}", deaths_best=k,
                         deaths_low=k, deaths_high=k) for k in range(5)]
    aleppo = [make_event("Aleppo", event_id=f"a{k}") for k in range(30)]
    return write_map("stacked", [*rastan, make_event("Homs", event_id="h"), *aleppo])


def test_panels_fold_and_unfold(page, year_map):
    page.open(year_map)
    layers = page.page.locator(".gm-layers")
    assert layers.locator(".gm-panel-b").is_visible()
    layers.locator(".gm-panel-h").click()
    assert not layers.locator(".gm-panel-b").is_visible()
    assert layers.locator(".gm-panel-h").get_attribute("aria-expanded") == "false"
    layers.locator(".gm-panel-h").click()
    assert layers.locator(".gm-panel-b").is_visible()
    legend = page.page.locator(".gm-legend")
    legend.locator(".gm-panel-h").click()
    assert not legend.locator(".gm-panel-b").is_visible()
    assert page.errors == []


def test_on_a_small_screen_every_panel_starts_folded(small_page, year_map):
    small_page.open(year_map)
    for panel in (".gm-layers", ".gm-filters", ".gm-legend"):
        assert not small_page.page.locator(f"{panel} .gm-panel-b").is_visible(), panel
    assert not small_page.page.locator(".gm-time .gm-chart").is_visible()
    boxes = {name: small_page.page.locator(name).bounding_box()
             for name in (".gm-title", ".gm-tools", ".gm-layers", ".gm-legend", ".gm-time")}
    for a, box in boxes.items():  # nothing hides another panel, the title or the search box
        for b, other in boxes.items():
            apart = (box["x"] + box["width"] <= other["x"]
                     or other["x"] + other["width"] <= box["x"]
                     or box["y"] + box["height"] <= other["y"]
                     or other["y"] + other["height"] <= box["y"])
            assert a == b or apart, (a, b, box, other)
    assert small_page.errors == []


def test_the_actor_filter_searches_as_you_type(page, year_map):
    page.open(year_map)
    page.page.locator(".gm-filters .gm-panel-h").click()
    box = page.page.locator(".gm-filters input.gm-actor")
    box.fill("group 3")  # "Armed group 3", "Armed group 30" ... "Armed group 39"
    hits = page.page.locator(".gm-actor-hits li")
    assert hits.count() == 8 and all("group 3" in t for t in hits.all_inner_texts())
    box.fill("group 37")
    assert hits.all_inner_texts()[0].startswith("Armed group 37")
    hits.first.dispatch_event("mousedown")
    wanted = page.js(
        "() => { var M = geomap.M, a = M.actors.names.indexOf('Armed group 37'), n = 0;"
        " for (var i = 0; i < M.N; i++) if (M.actors.A1[i] === a || M.actors.A2[i] === a) n++;"
        " return n; }")
    assert page.shown() == wanted and 0 < wanted < 400
    assert "Armed group 37" in page.page.inner_text(".gm-chips")
    assert "filtered" in page.page.inner_text(".gm-title")
    page.page.locator(".gm-chip button").click()
    assert page.shown() == 400


def test_the_deaths_filter_keeps_a_range_and_unknown_tolls_on_request(page, year_map):
    page.open(year_map)
    page.page.locator(".gm-filters .gm-panel-h").click()
    page.page.locator(".gm-dmin").fill("3")
    page.page.locator(".gm-dmax").fill("5")
    count = ("([lo, hi, unknown]) => { var D = geomap.data, n = 0; for (var i = 0; i < D.n; i++)"
             " if (D.d[i] < 0 ? unknown : D.d[i] >= lo && D.d[i] <= hi) n++; return n; }")
    assert page.shown() == page.page.evaluate(count, [3, 5, True])
    page.page.locator(".gm-dunknown").uncheck()
    assert page.shown() == page.page.evaluate(count, [3, 5, False]) > 0
    page.page.locator(".gm-prec label", has_text="3 region").locator("input").uncheck()
    no_regions = page.js(
        "() => { var D = geomap.data, n = 0; for (var i = 0; i < D.n; i++)"
        " if (D.d[i] >= 3 && D.d[i] <= 5 && D.p[i] !== 3) n++; return n; }")
    assert page.shown() == no_regions
    page.page.locator(".gm-reset").click()
    assert page.shown() == 400
    assert page.errors == []


def test_play_moves_the_dates_forward_and_pause_stops_them(page, year_map):
    page.open(year_map)
    page.page.locator(".gm-play").click()
    page.page.wait_for_function("geomap.M.state.lo > geomap.data.day0 + 7", timeout=10_000)
    assert page.js("geomap.M.state.hi - geomap.M.state.lo") < 365  # a window, moving
    page.page.locator(".gm-play").click()
    lo = page.js("geomap.M.state.lo")
    page.page.wait_for_timeout(1200)
    assert page.js("geomap.M.state.lo") == lo and page.js("geomap.chart.playing") is None
    assert page.js("geomap.chart.drawn.lo") == lo
    assert page.errors == []


def test_events_at_one_point_spread_out(page, stacked_map):
    page.open(stacked_map)
    page.click_at(*page.js("[geomap.data.lat[0], geomap.data.lon[0]]"))
    page.page.wait_for_function("geomap.M.spreadOpen && geomap.M.spreadOpen.length === 5")
    spread = page.js("geomap.M.spreadOpen.slice().sort()")
    assert spread == [0, 1, 2, 3, 4]
    # each spread marker opens its own event
    marker = page.js("() => { var out = null; geomap.map.eachLayer(function (l) {"
                     " if (l._gi === 3 && l.options.pane === 'gm-spider') out = l; });"
                     " var p = geomap.map.latLngToContainerPoint(out.getLatLng());"
                     " var r = geomap.map.getContainer().getBoundingClientRect();"
                     " return [p.x + r.left, p.y + r.top]; }")
    page.page.mouse.click(*marker)
    page.page.wait_for_selector(".leaflet-popup-content")
    assert "r3" in page.page.inner_text(".leaflet-popup-content")
    assert page.errors == []


def test_many_events_at_one_point_are_listed(page, stacked_map):
    page.open(stacked_map)
    first = 6  # the first Aleppo event
    page.click_at(*page.js(f"[geomap.data.lat[{first}], geomap.data.lon[{first}]]"))
    page.page.wait_for_selector(".gm-list")
    assert page.page.locator(".gm-list li").count() == 30
    page.page.locator(".gm-list li a").nth(4).click()
    assert "Aleppo" in page.page.inner_text(".leaflet-popup-content")


def test_labels_show_by_zoom_and_stay_under_popups(page, year_map):
    page.open(year_map)
    names = page.page.locator(".gm-label").all_inner_texts()
    assert "SYRIA" in [n.upper() for n in names] and page.js("geomap.map.getZoom()") < 8
    panes = page.js("() => ['gm-admin', 'overlayPane', 'gm-labels', 'markerPane', 'popupPane'].map("
                    "n => +getComputedStyle(geomap.map.getPane(n)).zIndex)")
    assert panes == sorted(panes)  # over points and regions, under cluster icons and popups
    page.js("() => geomap.map.setZoom(10)")
    page.page.wait_for_timeout(400)
    assert any(n.startswith("Town ") for n in page.page.locator(".gm-label").all_inner_texts())


@pytest.mark.gazetteer
def test_search_finds_rastan_and_zooms_to_it(page, seed_map, places):
    page.open(seed_map)
    box = page.page.locator(".gm-search input")
    box.fill("rastan")
    assert "Rastan" in page.page.locator(".gm-search li").first.inner_text()
    box.press("Enter")
    page.page.wait_for_function("geomap.map.getZoom() >= 11")
    lat, lon = places.point("Rastan")
    center = page.js("[geomap.map.getCenter().lat, geomap.map.getCenter().lng]")
    assert abs(center[0] - lat) < 0.02 and abs(center[1] - lon) < 0.02
    box.fill("Damascus")  # a name from the gazetteer, with no event
    assert "Damascus" in page.page.locator(".gm-search li").first.inner_text()
    box.fill("Nowhere at all")
    assert "no place of that name" in page.page.inner_text(".gm-search")
    assert page.errors == []
