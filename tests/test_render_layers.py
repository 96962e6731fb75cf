"""geomap.render.layers: event-type styles, admin-1 regions and world outlines."""

from __future__ import annotations

import pytest

from geomap.render import encode_events
from geomap.render.layers import EVENT_TYPE_STYLES, type_styles


def test_acled_types_come_first_then_others_by_name_with_their_own_styles():
    styles = type_styles(["Zeta", "Battles", "Alpha", "Explosions/Remote violence", "Battles"])
    assert [s["name"] for s in styles] == [
        "Explosions/Remote violence", "Battles", "Alpha", "Zeta"]
    assert (styles[1]["color"], styles[1]["shape"]) == EVENT_TYPE_STYLES["Battles"]
    assert styles[2]["color"] != styles[3]["color"]
    assert {s["count"] for s in styles} == {0}


@pytest.mark.assets
def test_admin1_counts_and_region_radius(make_event):
    data = encode_events([make_event(deaths_best=33), make_event("Homs Governorate")])
    homs = next(f for f in data["admin"]["features"] if f["properties"]["name"].startswith("Homs"))
    assert homs["properties"]["events"] == 2 and homs["properties"]["deaths"] == 33
    assert data["adminMaxDeaths"] == 33
    r = data["r"]
    assert r[0] == 0 and 50_000 < r[1] <= 150_000  # precision 3 drawn as the region's area
    assert data["fa"][0] == -1 and data["admin"]["features"][data["fa"][1]] is homs
    east = data["bounds"][1][1]
    assert east > 40  # the map fits the whole governorate, which reaches the Iraqi border
    assert len(data["world"]["features"]) > 150
