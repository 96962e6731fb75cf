"""The map in a real browser: layers, popups, the time slider, escaping, zero requests offline."""

from __future__ import annotations

import mimetypes

import pytest

from geomap.model import Event
from geomap.render import assets, build_map, save_map
from tests.synthetic_events import synthetic_events

pytestmark = pytest.mark.assets


@pytest.fixture(scope="module")
def events(make_event, hostile_text) -> list[Event]:
    """Three events on two dates, two types; one with a hostile quote."""
    wire = {"source": "Test wire"}
    return [
        make_event(event_id="syn-a", deaths_low=12, deaths_best=12, quote=hostile_text, **wire),
        make_event("Homs Governorate", event_id="syn-b", **wire),
        make_event("Talbiseh", event_id="syn-c", event_date="2015-10-20", event_type="Battles",
                   geo_precision=2, deaths_best=0, **wire),
    ]  # fmt: skip


@pytest.fixture
def synthetic_map(write_map, events, hostile_text):
    return write_map("synthetic", events, title="Synthetic " + hostile_text)


@pytest.fixture
def year_map(write_map):
    """400 events over a year in Syria and Iraq, drawn as points (with admin-1 regions)."""
    return write_map("year", synthetic_events(400))


def drawn_points(page) -> int:
    return page.js("geomap.layers.points.getLayers().length")


def test_self_contained_map_makes_zero_requests_and_no_errors(page, synthetic_map, artifacts):
    page.open(synthetic_map)
    assert page.outside_requests(synthetic_map) == []
    assert page.errors == []
    assert page.page.locator("path.leaflet-interactive").count() >= 3  # markers + admin areas
    assert drawn_points(page) == 3
    assert page.js("geomap.M.labels.shown") >= 2  # the events' places are named
    credits = page.page.inner_text(".leaflet-control-attribution")
    assert "Natural Earth" in credits and "GeoNames" not in credits  # no gazetteer names given
    page.page.screenshot(path=str(artifacts / "map-synthetic.png"))


def test_hostile_text_shows_as_text_and_never_runs(page, synthetic_map):
    page.open(synthetic_map)
    text = page.click_event(0)
    assert "<script>window.__pwned = 1</script>" in text
    assert page.js("window.__pwned") is None
    assert "<script>" in page.page.inner_text(".gm-title")
    assert page.page.locator(".leaflet-popup-content img").count() == 0
    assert page.errors == []


def test_popups_write_figures_as_analysts_do(page, synthetic_map):
    page.open(synthetic_map)
    assert "Deaths\t≥ 12\n" in page.click_event(0)  # "at least 12": no high known
    assert "Deaths\t0" in page.click_event(2)


def test_unchecking_an_event_type_hides_its_markers(page, synthetic_map):
    page.open(synthetic_map)
    page.toggle("Battles")
    assert drawn_points(page) == 2 and page.shown() == 2
    assert "(0 of 1)" in page.page.inner_text(".gm-layers label[data-type='Battles']")
    page.toggle("Explosions/Remote violence")
    assert drawn_points(page) == 0
    page.toggle("Battles")
    assert drawn_points(page) == 1


def test_the_time_slider_updates_every_layer_the_title_and_the_chart(page, year_map):
    page.open(year_map)
    for layer in ("Clusters", "Heat"):
        page.toggle(layer)
    day0 = page.js("geomap.data.day0")
    page.page.locator(".gm-time input.gm-to").fill(str(day0 + 59))  # January and February
    in_range = page.js(
        "() => { var D = geomap.data, n = 0; for (var i = 0; i < D.n; i++)"
        " if (D.day[i] >= D.day0 && D.day[i] <= D.day0 + 59) n++; return n; }")
    assert page.shown() == in_range and 40 < in_range < 100
    state = page.js(
        "() => { var M = geomap.M, D = M.D, heat = 0, regions = 0;"
        " for (var i = 0; i < M.N; i++) { if (M.visible[i] && D.d[i] > 0) heat++;"
        "   if (M.visible[i] && D.rg[i] >= 0) regions++; }"
        " return { points: geomap.layers.points.getLayers().length,"
        "  clustered: geomap.layers.clusters._cells(geomap.map.getZoom())"
        "     .reduce((a, c) => a + c.n, 0),"
        "  heat: geomap.layers.heat._latlngs.length, heatWanted: heat,"
        "  regions: Array.from(M.admin.counts.events).reduce((a, b) => a + b, 0),"
        "  regionsWanted: regions, chart: geomap.chart.drawn, lo: M.state.lo, hi: M.state.hi }; }")
    assert state["points"] >= page.shown()  # an event's further places add markers
    assert state["clustered"] == page.shown()
    assert state["heat"] == state["heatWanted"] > 0
    assert state["regions"] == state["regionsWanted"] > 0
    assert (state["chart"]["lo"], state["chart"]["hi"]) == (state["lo"], state["hi"])
    title = page.page.inner_text(".gm-title")
    last = page.js("() => { var M = geomap.M, d = -1; for (var i = 0; i < M.N; i++)"
                   " if (M.visible[i]) d = Math.max(d, M.D.day[i]); return geomap.isoDay(d); }")
    assert f"{in_range} events, 2015-01-01 to {last}" in title and last.startswith("2015-02")
    assert f"{in_range} of 400 events shown" in page.page.inner_text(".gm-count")
    page.page.locator(".gm-time input.gm-from").fill(str(day0 + 60))
    assert page.shown() == 0 and "0 events" in page.page.inner_text(".gm-title")
    assert page.errors == []


def test_clusters_and_heat_layers_switch_on(page, synthetic_map):
    page.open(synthetic_map)
    page.toggle("Clusters")
    page.page.wait_for_selector(".gm-cluster, .gm-dot", timeout=5000)
    page.toggle("Heat")
    assert page.page.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert page.errors == []


def test_large_map_opens_with_clusters(page, write_map):
    path = write_map("big", synthetic_events(5000))
    page.open(path)
    page.page.wait_for_selector(".gm-cluster", timeout=10_000)
    assert page.errors == [] and page.outside_requests(path) == []
    zoom = page.js("geomap.map.getZoom()")
    page.page.locator(".gm-cluster").first.click()  # a cluster zooms in to its events
    page.page.wait_for_function(f"geomap.map.getZoom() > {zoom}", timeout=5000)
    page.toggle("Battles")  # type filters apply to the clusters too
    clustered = page.js(
        "() => geomap.layers.clusters._cells(geomap.map.getZoom()).reduce((a, c) => a + c.n, 0)")
    assert clustered == page.shown() and 3000 < page.shown() < 5000
    assert page.errors == []


def _serve_assets(page, served, blocked):
    def handle(route):
        url = route.request.url
        asset = assets.asset_for_url(url)
        if asset is not None:
            served.append(asset.key)
            file = assets.asset_file(asset.key)
            route.fulfill(body=file.read_bytes(),
                          content_type=mimetypes.guess_type(file.name)[0] or "text/plain")
        elif url.startswith(("file:", "data:")):
            route.continue_()
        else:  # tiles: offline here, the outlines basemap shows instead
            blocked.append(url)
            route.abort()

    page.page.route("**/*", handle)


def test_cdn_mode_loads_with_assets_served_locally(page, tmp_path, events):
    """A --cdn page references CDN URLs; serve them from the npm copy."""
    path = save_map(build_map(events), tmp_path / "cdn.html")
    served, blocked = [], []
    _serve_assets(page, served, blocked)
    page.open(path)
    assert {"leaflet_js", "leaflet_css", "heat_js", "html_to_image"} <= set(served)
    assert drawn_points(page) == 3
    assert not page.page.locator("#gm-offline").is_visible()
    assert [e for e in page.errors if "ERR_FAILED" not in e] == []


def test_a_cdn_page_offline_says_it_needs_a_network(page, tmp_path, events, artifacts):
    path = save_map(build_map(events), tmp_path / "cdn.html")
    page.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    page.page.goto(path.as_uri())
    note = page.page.locator("#gm-offline")
    note.wait_for(state="visible", timeout=10_000)
    assert "This map needs a network connection" in note.inner_text()
    assert "geomap map" in note.inner_text()
    page.page.screenshot(path=str(artifacts / "map-cdn-offline.png"))
