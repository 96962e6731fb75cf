"""geomap.render.layers: event-type styles, admin-1 regions and world outlines."""

from __future__ import annotations

import pytest

from geomap.render import encode_events
from geomap.render.layers import EVENT_TYPE_STYLES, type_styles, world_layer


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


@pytest.mark.assets
def test_regions_are_clipped_to_the_country_outline_the_basemap_draws(make_event):
    from shapely.geometry import shape
    from shapely.ops import unary_union

    from geomap.boundaries import world_countries

    data = encode_events([make_event()])
    syria = unary_union([shape(f["geometry"]) for f in
                         world_countries("50m", ids=["760"])["features"]]).buffer(0)
    regions = [shape(f["geometry"]).buffer(0) for f in data["admin"]["features"]]
    outside = unary_union(regions).difference(syria.buffer(0.01))
    assert outside.area < 1e-4  # nothing of a region lies beyond the country's outline
    assert unary_union(regions).area > 0.95 * syria.area  # and the regions still fill it


@pytest.mark.assets
def test_each_event_knows_its_region_for_the_choropleth(make_event):
    data = encode_events([make_event(), make_event("Aleppo"), make_event(None, event_id="x",
                                                                          latitude=0.0,
                                                                          longitude=0.0)])
    names = [data["admin"]["features"][k]["properties"]["name"] if k >= 0 else None
             for k in data["rg"]]
    assert names[0].startswith("Hom") and names[1].startswith("Al") and names[2] is None


@pytest.mark.assets
def test_neighbours_share_exact_borders_with_the_country_of_the_events():
    """Syria's neighbours come at 50m too: no sliver of sea along the Iraqi border."""
    from shapely.geometry import shape

    from geomap.boundaries import world_countries

    layer = world_layer({"SYR"})
    iraq = shape(world_countries("50m", ids=["368"])["features"][0]["geometry"])
    drawn = [shape(f["geometry"]) for f in layer["features"]]
    match = [g for g in drawn if g.representative_point().within(iraq.buffer(0.01))]
    assert len(match) == 1 and abs(match[0].area - iraq.area) < 0.01 * iraq.area
    import shapely

    far = shape(world_countries("110m", ids=["032"])["features"][0]["geometry"])  # Argentina
    (argentina,) = [g for g in drawn if g.representative_point().within(far.buffer(0.05))]
    assert shapely.get_num_coordinates(argentina) == shapely.get_num_coordinates(far)  # 110m
