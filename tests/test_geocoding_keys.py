"""Cache keys (geomap.geocoding.keys): encoding, decoding and the round trip."""

from __future__ import annotations

import pytest

from geomap.geocoding.keys import cache_key, hints_for, parse_key


@pytest.mark.parametrize(
    ("query", "hints", "key"),
    [
        ("Rastan", {}, "rastan"),
        ("  AR-Rastan ", {}, "ar rastan"),
        ("Rastan", {"country": "sy"}, "rastan|cc=SY"),
        ("Homs", {"admin1": "Homs Governorate"}, "homs|a1=homs governorate"),
        ("Homs", {"bias": (34.7241, 36.72559)}, "homs|near=34.72,36.73"),
        ("Homs", {"country": "SY", "admin1": "11"}, "homs|cc=SY|a1=11"),
    ],
)
def test_cache_key(query, hints, key):
    assert cache_key(query, **hints) == key


@pytest.mark.parametrize(
    ("key", "name", "hints"),
    [
        ("rastan", "rastan", {}),
        ("rastan|cc=SY", "rastan", {"country": "SY"}),
        ("rastan|cc=SY|a1=11", "rastan", {"country": "SY", "admin1": "11"}),
        ("homs|a1=homs governorate", "homs", {"admin1": "homs governorate"}),
        ("homs|near=34.72,36.73", "homs", {"bias": (34.72, 36.73)}),
        ("lima|near=-12.05,-77.04", "lima", {"bias": (-12.05, -77.04)}),
        ("x|near=north,east", "x", {}),  # an unreadable bias is left out
        ("x|zz=1", "x", {}),  # so is an unknown part
        ("حمص|cc=SY", "حمص", {"country": "SY"}),
    ],
)
def test_parse_key(key, name, hints):
    assert parse_key(key) == (name, hints)


ROUND_TRIP = [
    ("Rastan", {}),
    ("  AR-Rastan ", {"country": "sy"}),
    ("Ḩimş", {"country": "SY", "admin1": "Homs Governorate"}),
    ("Ma‘arrat an-Nu‘man", {"admin1": "07", "bias": (35.64772, 36.67502)}),
    ("Damascus", {"country": "US", "admin1": "MD", "bias": (39.2887, -77.2039)}),
    ("Lima", {"bias": (-12.046, -77.0428)}),
    ("Null Island", {"bias": (-0.001, 0.004)}),
    ("U.S.", {}),
    ("الرستن", {"country": "SY"}),
]


@pytest.mark.parametrize(("query", "hints"), ROUND_TRIP)
def test_keys_round_trip(query, hints):
    key = cache_key(query, **hints)
    name, decoded = parse_key(key)
    assert cache_key(name, **decoded) == key
    stored = hints_for(**hints)
    assert {k: list(v) if k == "bias" else v for k, v in decoded.items()} == stored


def test_hints_for_leaves_out_empty_hints():
    assert hints_for() == {}
    assert hints_for(country="", admin1="", bias=None) == {}
    assert hints_for(country=" sy ", bias=(34.724, 36.7256)) == {
        "country": "SY",
        "bias": [34.72, 36.73],
    }
