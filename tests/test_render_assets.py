"""geomap.render.assets: the map's JS/CSS assets, shipped in the package (geomap/vendor)."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import pytest

from geomap import boundaries, config
from geomap.errors import DataError, RenderError
from geomap.render import assets


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


def test_missing_assets_say_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(tmp_path / "nothing"))
    boundaries._admin1_text.cache_clear()
    boundaries._world_topology.cache_clear()
    assert not assets.installed()
    with pytest.raises(RenderError, match="reinstall geomap"):
        assets.asset_file("leaflet_js")
    with pytest.raises(DataError, match="unset GEOMAP_ASSETS_DIR"):
        boundaries.admin1_boundaries("SYR")
    with pytest.raises(DataError, match="pip install --force-reinstall geomap"):
        boundaries.world_countries()
    boundaries._admin1_text.cache_clear()
    boundaries._world_topology.cache_clear()


def test_unknown_asset_key():
    with pytest.raises(RenderError, match="'nope'"):
        assets.asset_file("nope")


def test_the_assets_come_from_the_package(monkeypatch):
    monkeypatch.delenv("GEOMAP_ASSETS_DIR", raising=False)
    assert assets.npm_root() == config.VENDOR_DIR
    assert assets.installed()
    assert assets.asset_file("leaflet_js") == config.VENDOR_DIR / "leaflet" / "dist" / "leaflet.js"


def test_package_lock_pins_the_assets(repo_root):
    lock = json.loads((repo_root / "data" / "npm" / "package-lock.json").read_text())
    pkgs = lock["packages"]
    assert pkgs["node_modules/leaflet"]["version"] == "1.9.3"
    assert pkgs["node_modules/leaflet.markercluster"]["version"] == "1.1.0"
    assert pkgs["node_modules/datamaps"]["version"]
