"""geomap.geo: distances, offsets, bounding boxes and coordinate checks."""

from __future__ import annotations

import math

import pytest
from geopy.distance import geodesic

from geomap.errors import CoordinateError
from geomap.geo import (
    bounding_boxes,
    check_coordinates,
    destination,
    equirectangular_km,
    geodesic_km,
    geodesic_km_from,
    haversine_km,
    nearest_equirectangular_km,
    nearest_haversine,
    parse_latlon,
    shift_degrees,
)
from tests.places import PLACES


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("abc", "36", "latitude.*'abc'"),
        ("34", "", "longitude.*''"),
        ("91", "36", "between -90 and 90.*'91'"),
        ("34", "-181", "between -180 and 180"),
        ("nan", "36", "latitude"),
    ],
)
def test_bad_coordinates(lat, lon, message):
    with pytest.raises(CoordinateError, match=message):
        check_coordinates(lat, lon)


def test_good_coordinates():
    assert check_coordinates("-12.5", " 36 ") == (-12.5, 36.0)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("34.93,36.73", (34.93, 36.73)),
        ("-12.5, 179.9", (-12.5, 179.9)),
        ("Rastan", None),
        ("34.93 36.73", (34.93, 36.73)),
    ],
)
def test_parse_latlon(text, expected):
    assert parse_latlon(text) == expected


def test_parse_latlon_out_of_range():
    with pytest.raises(CoordinateError, match="out of range"):
        parse_latlon("95,10")


@pytest.mark.parametrize(
    "lat, lon, radius, n_boxes, full",
    [
        (34.9, 36.7, 25, 1, False),
        (0.0, 179.9, 50, 2, False),  # antimeridian east
        (0.0, -179.95, 50, 2, False),  # antimeridian west
        (89.9, 10.0, 50, 1, True),  # pole inside the circle
        (-89.5, 0.0, 100, 1, True),
        (10.0, 0.0, 15000, 1, True),  # wider than a hemisphere
    ],
)
def test_bounding_boxes(lat, lon, radius, n_boxes, full):
    boxes = bounding_boxes(lat, lon, radius)
    assert len(boxes) == n_boxes
    assert ((boxes[0][0], boxes[0][1]) == (-180.0, 180.0)) is full
    for lo0, lo1, la0, la1 in boxes:
        assert -180 <= lo0 <= lo1 <= 180 and -90 <= la0 <= la1 <= 90


def test_swapped_pair_is_named():
    with pytest.raises(CoordinateError, match="look swapped"):
        check_coordinates(120.5, 45.0)  # latitude out of range, the swap fits
    with pytest.raises(CoordinateError) as info:
        check_coordinates(36.7, 190.0)  # no order makes this pair valid
    assert "swapped" not in str(info.value)


RASTAN, HOMS = PLACES.point("Rastan"), PLACES.point("Homs")


def test_geodesic_km_matches_geopy():
    expected = geodesic(RASTAN, HOMS).km
    assert geodesic_km(*RASTAN, *HOMS) == pytest.approx(expected, abs=1e-6)
    many = geodesic_km_from(*RASTAN, [HOMS[0], RASTAN[0]], [HOMS[1], RASTAN[1]])
    assert many.tolist() == pytest.approx([expected, 0.0], abs=1e-6)
    assert geodesic_km_from(*RASTAN, [], []).tolist() == []


@pytest.mark.parametrize(
    "a, b", [(RASTAN, HOMS), ((10.0, 179.9), (10.2, -179.9)), ((0, 0), (0, 1))]
)
def test_sphere_distances_close_to_geodesic(a, b):
    exact = geodesic(a, b).km
    assert haversine_km(*a, *b) == pytest.approx(exact, rel=0.005)
    assert equirectangular_km(*a, *b) == pytest.approx(exact, rel=0.01)


def test_destination_round_trip():
    lat, lon = destination(*RASTAN, 0.0, 25.0)
    assert lon == pytest.approx(RASTAN[1], abs=1e-9)
    assert haversine_km(*RASTAN, lat, lon) == pytest.approx(25.0, abs=1e-6)
    east = destination(0.0, 179.9, 90.0, 50.0)
    assert -180.0 <= east[1] < -179.0  # wraps at the antimeridian


@pytest.mark.parametrize(
    "start, delta, expected",
    [
        ((35.0, 37.0), (0.09, 0.0), (35.09, 37.0)),
        ((89.95, 0.0), (0.1, 0.0), (90.0, 0.0)),  # clamped at the pole
        ((0.0, 179.95), (0.0, 0.1), (0.0, -179.95)),  # wrapped
    ],
)
def test_shift_degrees(start, delta, expected):
    got = shift_degrees(*start, *delta)
    assert got == pytest.approx(expected, abs=1e-9)
    assert all(math.isclose(round(v, 6), v) for v in got)


def test_nearest_equirectangular_km_is_the_least_distance():
    import random

    rng = random.Random(3)
    for scale in (0.05, 5.0, 80.0):
        pts = sorted((rng.uniform(-scale, scale), rng.uniform(-180, 180)) for _ in range(30))
        lats = [lat for lat, _ in pts]
        tags = [str(i % 4) for i in range(30)]
        for _ in range(40):
            lat, lon = rng.uniform(-scale, scale), rng.uniform(-180, 180)
            assert nearest_equirectangular_km(lat, lon, pts, lats) == min(
                equirectangular_km(lat, lon, a, b) for a, b in pts
            )
            assert nearest_equirectangular_km(lat, lon, pts, lats, tags, "2") == min(
                equirectangular_km(lat, lon, a, b)
                for (a, b), t in zip(pts, tags, strict=True)
                if t != "2"
            )
    assert nearest_equirectangular_km(0.0, 0.0, [], []) == float("inf")
    # across the antimeridian
    assert nearest_equirectangular_km(0.0, -179.0, [(0.0, 179.0)], [0.0]) == pytest.approx(
        2 * 111.195
    )


def test_nearest_haversine_agrees_with_haversine_km_point_by_point():
    import random

    import numpy as np

    rng = random.Random(11)
    targets = [(rng.uniform(-80, 80), rng.uniform(-180, 180)) for _ in range(300)]
    points = [(rng.uniform(-85, 85), rng.uniform(-180, 180)) for _ in range(150)]  # 3 chunks
    lats = np.radians([t[0] for t in targets])
    lons = np.radians([t[1] for t in targets])
    got = nearest_haversine(points, lats, lons)
    for (lat, lon), j in zip(points, got, strict=True):
        best = min(haversine_km(lat, lon, *t) for t in targets)
        assert haversine_km(lat, lon, *targets[j]) == pytest.approx(best, abs=1e-6)
    assert nearest_haversine([], lats, lons) == []
