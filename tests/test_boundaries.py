"""geomap.boundaries: TopoJSON decoding, admin-1 boundaries and world outlines."""

from __future__ import annotations

import pytest

from geomap import boundaries
from geomap.errors import InputError


def test_topojson_decoder_quantized_and_reversed_arcs():
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 2.0], "translate": [10.0, 20.0]},
        "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, 0], [0, -1]]],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"name": "a"}},
                    {"type": "LineString", "arcs": [~0]},
                    {"type": None},
                ],
            }
        },
    }
    fc = boundaries.topojson_to_geojson(topo)
    assert [f["geometry"]["type"] for f in fc["features"]] == ["Polygon", "LineString"]
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    assert ring == [[10.0, 20.0], [11.0, 20.0], [11.0, 22.0], [10.0, 22.0], [10.0, 20.0]]
    assert fc["features"][0]["id"] == "A" and fc["features"][0]["properties"] == {"name": "a"}
    line = fc["features"][1]["geometry"]["coordinates"]
    assert line == [[11.0, 22.0], [11.0, 20.0], [10.0, 20.0]]


@pytest.mark.parametrize("name", ["nope", "land"])
def test_topojson_unknown_object(name):
    with pytest.raises(InputError, match=repr(name)):
        boundaries.topojson_to_geojson({"arcs": [], "objects": {"countries": {}}}, name)


@pytest.mark.assets
def test_world_countries():
    world = boundaries.world_countries("110m")
    names = {f["properties"]["name"] for f in world["features"]}
    assert "Syria" in names and len(world["features"]) > 150
    with pytest.raises(InputError, match="'5m'"):
        boundaries.world_countries("5m")


@pytest.mark.assets
def test_admin1_boundaries_syria_has_14_governorates(places):
    from shapely.geometry import Point, shape

    fc = boundaries.admin1_boundaries("syr")
    named = [f for f in fc["features"] if f["properties"]["geonameid"]]
    assert len(named) == 14
    homs = next(f for f in named if f["properties"]["admin1_code"] == "11")
    assert homs["properties"]["geonameid"] == places["Homs Governorate"].geonameid
    rastan = places["Rastan"]
    assert shape(homs["geometry"]).contains(Point(rastan.longitude, rastan.latitude))
    # every call returns a fresh object: callers may mutate it
    fc["features"].clear()
    assert boundaries.admin1_boundaries("SYR")["features"]


@pytest.mark.assets
def test_admin1_boundaries_unknown_country_is_none():
    assert boundaries.admin1_boundaries("XYZ") is None


@pytest.mark.parametrize("bad", ["SY", "", "S1R", "SYRIA", None])
def test_admin1_boundaries_bad_code(bad):
    with pytest.raises(InputError, match="alpha-3"):
        boundaries.admin1_boundaries(bad)
