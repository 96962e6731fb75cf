"""The map in a real browser: layers, popups, filters, escaping, zero requests offline."""

from __future__ import annotations

import mimetypes

import pytest

from geomap.mapping import make_map
from geomap.model import Event
from geomap.render import assets, build_map, save_map
from tests.synthetic_events import synthetic_events

pytestmark = pytest.mark.assets


@pytest.fixture
def events(make_event, hostile_text) -> list[Event]:
    """Three events on two dates, two types; one with a hostile quote."""
    wire = {"source": "Test wire"}
    return [
        make_event(event_id="syn-a", deaths_low=12, deaths_best=12, quote=hostile_text, **wire),
        make_event("Homs Governorate", event_id="syn-b", **wire),
        make_event("Talbiseh", event_id="syn-c", event_date="2015-10-20", event_type="Battles",
                   geo_precision=2, deaths_best=0, **wire),
    ]  # fmt: skip


def visible_events(page) -> int:
    return page.page.evaluate("geomap.shown")


def drawn_points(page) -> int:
    return page.page.evaluate("geomap.layers.points.getLayers().length")


def click_event(page, index: int) -> str:
    """Click the marker of event ``index`` where it is drawn; returns the popup text."""
    xy = page.page.evaluate(
        "i => { var d = geomap.data;"
        " var p = geomap.map.latLngToContainerPoint([d.lat[i], d.lon[i]]);"
        " var r = geomap.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }", index)
    page.page.mouse.click(xy[0], xy[1])
    page.page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    return page.page.inner_text(".leaflet-popup-content")


def toggle_overlay(page, label: str) -> None:
    page.page.locator(".leaflet-control-layers-overlays label", has_text=label).locator(
        "input").click()


@pytest.fixture
def synthetic_map(tmp_path, events, hostile_text):
    m = build_map(events, title="Synthetic " + hostile_text, self_contained=True)
    return save_map(m, tmp_path / "synthetic.html")


def test_self_contained_map_makes_zero_requests_and_no_errors(page, synthetic_map, artifacts):
    page.open(synthetic_map)
    assert page.outside_requests(synthetic_map) == []
    assert page.errors == []
    assert page.page.locator("path.leaflet-interactive").count() >= 3  # markers + admin areas
    assert drawn_points(page) == 3
    page.page.screenshot(path=str(artifacts / "map-synthetic.png"))


def test_hostile_text_shows_as_text_and_never_runs(page, synthetic_map):
    page.open(synthetic_map)
    text = click_event(page, 0)
    assert "<script>window.__pwned = 1</script>" in text
    assert page.page.evaluate("window.__pwned") is None
    assert "<script>" in page.page.inner_text(".gm-title")
    assert page.page.locator(".leaflet-popup-content img").count() == 0
    assert page.errors == []


def test_unchecking_an_event_type_hides_its_markers(page, synthetic_map):
    page.open(synthetic_map)
    toggle_overlay(page, "Battles")
    assert drawn_points(page) == 2 and visible_events(page) == 2
    toggle_overlay(page, "Explosions/Remote violence")
    assert drawn_points(page) == 0
    toggle_overlay(page, "Battles")
    assert drawn_points(page) == 1


def test_time_slider_changes_what_is_shown(page, synthetic_map):
    page.open(synthetic_map)
    slider = page.page.locator(".gm-time input.gm-to")
    day = page.page.evaluate("geomap.data.day[0]")  # 2015-09-30
    slider.fill(str(day))  # fires 'input'
    assert drawn_points(page) == 2
    assert "2 of 3 events shown" in page.page.inner_text(".gm-count")
    page.page.locator(".gm-time input.gm-from").fill(str(day + 1))
    assert drawn_points(page) == 0


def test_clusters_and_heat_layers_switch_on(page, synthetic_map):
    page.open(synthetic_map)
    toggle_overlay(page, "Clusters")
    page.page.wait_for_selector(".gm-cluster, .gm-dot", timeout=5000)
    toggle_overlay(page, "Heat")
    assert page.page.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert page.errors == []


def test_large_map_opens_with_clusters(page, tmp_path):
    path = save_map(build_map(synthetic_events(5000), self_contained=True),
                           tmp_path / "big.html")
    page.open(path)
    page.page.wait_for_selector(".gm-cluster", timeout=10_000)
    assert page.errors == [] and page.outside_requests(path) == []
    zoom = page.page.evaluate("geomap.map.getZoom()")
    page.page.locator(".gm-cluster").first.click()  # a cluster zooms in to its events
    page.page.wait_for_function(f"geomap.map.getZoom() > {zoom}", timeout=5000)
    toggle_overlay(page, "Battles")  # type filters apply to the clusters too
    clustered = page.page.evaluate(
        "() => geomap.layers.clusters._cells(geomap.map.getZoom()).reduce((a, c) => a + c.n, 0)")
    shown = page.page.evaluate("geomap.shown")
    assert clustered == shown and 3000 < shown < 5000
    assert page.errors == []


def test_cdn_mode_loads_with_assets_served_locally(page, tmp_path, events):
    """The default page references folium's CDN URLs; serve them from the npm copy."""
    path = save_map(build_map(events), tmp_path / "cdn.html")
    served, blocked = [], []

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
    page.open(path)
    assert {"leaflet_js", "leaflet_css", "heat_js"} <= set(served)
    assert drawn_points(page) == 3
    assert [e for e in page.errors if "ERR_FAILED" not in e] == []


@pytest.mark.gazetteer
def test_seed_map_rastan_popup_says_33(page, tmp_path, artifacts):
    report = make_map(output=tmp_path / "seed.html", self_contained=True)
    assert report.demo and report.events >= 1
    page.open(report.path)
    assert page.outside_requests(report.path) == []
    locations = page.page.evaluate("geomap.data.loc.map((_, i) => geomap.str('loc', i))")
    hit = [i for i, name in enumerate(locations) if "rastan" in name.lower()]
    assert hit, locations
    page.page.screenshot(path=str(artifacts / "map-seed-overview.png"))
    text = click_event(page, hit[0])
    assert "33" in text
    page.page.wait_for_timeout(400)  # let the popup finish fading in
    page.page.screenshot(path=str(artifacts / "map-seed.png"))
    assert page.errors == []
