"""Screenshots at 1280x800 in test-artifacts/, of the views an analyst starts from."""

from __future__ import annotations

import pytest

from tests.synthetic_events import synthetic_events

pytestmark = [pytest.mark.assets, pytest.mark.gazetteer]


def test_the_seed_map_default_view(page, seed_map, artifacts):
    """`geomap map`: one event, the title and the slider agree, Rastan's popup says ≥ 33."""
    page.open(seed_map)
    assert page.outside_requests(seed_map) == [] and page.errors == []
    title = page.page.inner_text(".gm-title")
    assert "1 event, 2015-09-30" in title and "deaths ≥ 33" in title
    assert page.page.inner_text(".gm-count") == "1 of 1 event shown"
    labels = page.page.locator(".gm-label").all_inner_texts()
    assert {"Homs", "Ar Rastan"} & set(labels) and "Damascus" in labels
    page.page.screenshot(path=str(artifacts / "map-seed-default.png"))


def test_the_seed_map_with_rastans_popup_open(page, seed_map, artifacts):
    page.open(seed_map)
    locations = page.js("geomap.data.loc.map((_, i) => geomap.str('loc', i))")
    hit = [i for i, name in enumerate(locations) if "rastan" in name.lower()]
    assert hit, locations
    text = page.click_event(hit[0])
    assert "≥ 33" in text and "Also placed" in text
    page.page.wait_for_timeout(400)  # let the popup finish fading in
    page.page.screenshot(path=str(artifacts / "map-seed-popup.png"))
    # the popup sits above its marker, never over it
    marker = page.js(f"geomap.map.latLngToContainerPoint([geomap.data.lat[{hit[0]}],"
                     f" geomap.data.lon[{hit[0]}]]).y")
    box = page.page.locator(".leaflet-popup").bounding_box()
    assert box["y"] + box["height"] <= marker + 2
    assert page.errors == []


def test_all_of_syria(page, seed_map, artifacts):
    page.open(seed_map)
    page.page.locator(".gm-search input").fill("Syria")
    page.page.locator(".gm-search input").press("Enter")
    page.page.wait_for_timeout(500)
    labels = page.page.locator(".gm-label").all_inner_texts()
    assert {"Aleppo", "Damascus", "Homs", "Deir ez-Zor"} <= set(labels)
    assert {"SYRIA", "IRAQ"} <= {n.upper() for n in labels}
    page.page.screenshot(path=str(artifacts / "map-syria.png"))


def test_ten_thousand_events_with_the_chart(page, write_map, artifacts, gazetteer_file):
    from geomap.gazetteer import Gazetteer
    from geomap.mapping import gazetteer_labels

    events = synthetic_events(10_000)
    with Gazetteer.open(gazetteer_file) as gazetteer:
        labels = gazetteer_labels(gazetteer, events)
    path = write_map("ten-thousand", events, labels=labels, title="10,000 synthetic events")
    page.open(path)
    page.page.wait_for_selector(".gm-cluster")
    assert page.js("geomap.chart.drawn.bins") == 53  # weeks of 2015
    assert page.errors == [] and page.outside_requests(path) == []
    page.page.screenshot(path=str(artifacts / "map-10k-chart.png"))
