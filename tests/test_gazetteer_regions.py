"""Where admin regions and districts sit and what they are called
(geomap.gazetteer.regions)."""

from __future__ import annotations

import pytest

from geomap.gazetteer import regions
from geomap.gazetteer.schema import KIND_ALT, KIND_NAME


@pytest.mark.parametrize(
    ("primary", "alternates", "expected"),
    [
        ("Ḩimş", ["Homs Governorate", "Homs", "Hims"], ("Homs", "Homs Governorate")),
        ("California", ["Golden State", "State of California"], ("California", "California")),
        (
            "Dimashq",
            ["Damascus Governorate", "Damascus City"],
            ("Damascus", "Damascus Governorate"),
        ),
        ("Ḩalab", [], ("Ḩalab", "Ḩalab")),
    ],
)
def test_english_admin_name(primary, alternates, expected):
    assert regions.english_admin_name(primary, alternates) == expected


def test_robust_centre_ignores_a_far_outlier_and_wraps_180():
    points = [(10.0 + i / 100, 20.0) for i in range(30)] + [(80.0, 20.0)]
    lat, lon = regions.robust_centre(points)
    assert 10.0 < lat < 10.3 and lon == 20.0
    assert regions.robust_centre([(0.0, 179.0), (0.0, -179.0)])[1] in (180.0, -180.0)


def test_district_sits_at_its_most_populous_place():
    members = [(1.0, 2.0, 800), (1.5, 2.5, 40_000), (3.0, 4.0, 900)]
    assert regions.district_point(members) == (1.5, 2.5)
    # a tie goes to the southernmost, the same on every build
    assert regions.district_point([(5.0, 1.0, 10), (4.0, 1.0, 10)]) == (4.0, 1.0)


def test_district_centre_is_the_admin1_rule():
    members = [(10.0 + i / 100, 20.0, 100) for i in range(30)] + [(80.0, 20.0, 5)]
    lat, lon = regions.district_centre(members)
    assert 10.0 < lat < 10.3 and lon == 20.0


def test_district_names_with_and_without_the_district_word():
    names = regions.district_names("Qaryat Nur", ["Nur District", "Qariat Noor", "قرية"])
    assert names == [
        ("Qaryat Nur", KIND_NAME),
        ("Nur District", KIND_ALT),
        ("Qariat Noor", KIND_ALT),
        ("قرية", KIND_ALT),
        ("Qaryat Nur District", KIND_NAME),
        ("Nur", KIND_ALT),
        ("Qariat Noor District", KIND_ALT),
    ]
