"""Admin-1 assignment: gazetteer entry, polygons, the source's own name, nearest city."""

from __future__ import annotations

import numpy as np
import pytest

from geomap.model import Event
from geomap.store import admin1


@pytest.mark.gazetteer
def test_assign_admin_methods(gaz, places):
    rastan = places["Rastan"]
    events = [
        Event(geonameid=rastan.geonameid),
        Event(country="Syria", latitude=rastan.latitude, longitude=rastan.longitude,
              admin1="Hims governorate"),  # UCDP's spelling
        Event(latitude=rastan.latitude, longitude=rastan.longitude),
    ]  # fmt: skip
    admin1.assign_admin(events, gazetteer=gaz)
    assert [e.admin1 for e in events] == ["Homs", "Homs", "Homs"]
    assert events[0].extra["admin1_method"] == "gazetteer"
    assert events[1].extra["admin1_method"] in {"sjoin:admin1_boundaries", "source"}
    if events[1].extra["admin1_method"].startswith("sjoin"):
        assert events[1].extra["admin1_source"] == "Hims governorate"
    assert events[2].extra["admin1_method"].startswith("nearest-city")


def test_nearest_city_admin1_many_matches_single(places):
    points = [places.point("Rastan"), (48.85, 2.35), (-33.9, 18.4)]  # and Paris, Cape Town
    assert admin1.nearest_city_admin1_many(points) == [
        admin1.nearest_city_admin1(*p) for p in points
    ]
    assert admin1.nearest_city_admin1(*places.point("Rastan"))[0] == "SY"


def test_the_city_table_is_loaded_only_for_points(monkeypatch):
    def boom() -> None:
        raise AssertionError("the city table was loaded for no point")

    monkeypatch.setattr(admin1, "_cities", boom)
    assert admin1.nearest_city_admin1_many([]) == []
    admin1.assign_admin([Event(country="Syria", latitude=None, longitude=None, admin1="Homs")])


def _by_sjoin(regions: admin1.Regions, lons, lats) -> list[tuple[object, object, object]]:
    """What a geopandas ``sjoin`` (within) and the first value per point give."""
    import geopandas as gpd

    polys = gpd.GeoDataFrame(
        {"admin1_name": regions.names, "country_code": regions.country_codes,
         "admin1_code": regions.admin1_codes},
        geometry=list(regions.polygons), crs="EPSG:4326",
    )  # fmt: skip
    pts = gpd.GeoDataFrame(
        {"i": range(len(lons))}, geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326"
    )
    joined = gpd.sjoin(pts, polys, how="left", predicate="within").groupby("i").first()
    joined = joined.reindex(range(len(lons)))
    cols = [joined[c].tolist() for c in ("admin1_name", "country_code", "admin1_code")]
    rows = zip(*cols, strict=True)
    return [tuple(None if admin1._missing(v) else v for v in row) for row in rows]


def test_regions_at_gives_what_a_geopandas_sjoin_gives():
    from shapely.geometry import box

    # two overlapping squares (the second has no name, the first no code), one apart
    regions = admin1.Regions(
        np.array([box(0, 0, 2, 2), box(1, 1, 3, 3), None, box(5, 5, 6, 6)], dtype=object),
        ["West", None, "Nowhere", "East"],
        ["AA", "AA", "AA", float("nan")],
        [None, "02", "03", "04"],
    )
    rng = np.random.default_rng(5)
    lons, lats = rng.uniform(-1, 7, 400).tolist(), rng.uniform(-1, 7, 400).tolist()
    lons += [1.5, 2.5, 0.0, 5.5]  # in both squares, the second only, on an edge, the last
    lats += [1.5, 2.5, 1.0, 5.5]
    got = admin1.regions_at(regions, lons, lats)
    assert got == _by_sjoin(regions, lons, lats)
    assert got[-4:] == [("West", "AA", "02"), (None, "AA", "02"), (None, None, None),
                        ("East", None, "04")]  # fmt: skip
    assert admin1.regions_at(regions, [], []) == []


def test_regions_at_without_overlaps_gives_what_a_geopandas_sjoin_gives():
    from shapely.geometry import box

    # apart: each point lies in one region at most (values missing here and there)
    regions = admin1.Regions(
        np.array([box(0, 0, 1, 1), None, box(2, 0, 3, 1), box(4, 0, 5, 1)], dtype=object),
        ["West", "Nowhere", None, "East"],
        ["AA", "AA", float("nan"), "AA"],
        ["01", "02", "03", None],
    )
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(-1, 6, 300).tolist(), rng.uniform(-1, 2, 300).tolist()
    lons += [0.5, 2.5, 4.5, 1.5]
    lats += [0.5, 0.5, 0.5, 0.5]
    got = admin1.regions_at(regions, lons, lats)
    assert got == _by_sjoin(regions, lons, lats)
    assert got[-4:] == [("West", "AA", "01"), (None, None, "03"), ("East", "AA", None),
                        (None, None, None)]  # fmt: skip


def test_regions_at_matches_sjoin_on_a_country():
    regions = admin1._boundaries("SYR")
    if regions is None:
        pytest.skip("no admin-1 boundary data installed")
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(35, 43, 3000).tolist(), rng.uniform(32, 38, 3000).tolist()
    got = admin1.regions_at(regions, lons, lats)
    assert got == _by_sjoin(regions, lons, lats)
    assert sum(name is not None for name, _cc, _code in got) > 1000


def test_admin1_polygons_need_no_pandas():
    import subprocess
    import sys

    code = (
        "import sys; from geomap.model import Event; from geomap.store import admin1\n"
        "e = Event(country='Syria', latitude=34.93, longitude=36.73)\n"
        "admin1.assign_admin([e]); print(e.admin1 or '-', 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()  # fmt: skip
    assert out[-1] == "False", out
