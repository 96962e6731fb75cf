"""Checking an imported cache row (geomap.geocoding.checks): what geomap would have written."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from geomap.errors import CoordinateError
from geomap.geocoding.checks import MAX_TEXT_CHARS, RowCheckError, check_entry, check_text
from geomap.geocoding.entry import CacheEntry
from tests.places import PLACES

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
HOMS = PLACES["Homs"]
GOOD = CacheEntry(
    key="homs|cc=SY",
    query="Homs",
    name_key="homs",
    hints={"country": "SY"},
    latitude=HOMS.latitude,
    longitude=HOMS.longitude,
    geonameid=HOMS.geonameid,
    found=True,
    provider="gazetteer",
    confidence=0.9,
    created="2024-01-01T00:00:00.000000Z",
    updated="2024-01-02T00:00:00.000000Z",
    raw={"name": "Homs", "feature": "city", "country_code": "SY"},
)


def test_a_row_as_geomap_writes_it_passes():
    assert check_entry(GOOD, now=NOW) is GOOD


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # the row: Homs in Syria answered by Paris, dated 9999
        ({"query": "Paris", "name_key": "paris", "latitude": 48.85, "longitude": 2.35,
          "updated": "9999-12-31T00:00:00Z"}, "key 'homs\\|cc=SY' does not match its query"),
        ({"latitude": 48.85, "longitude": 2.35}, "outside SY"),
        ({"latitude": 36.72559, "longitude": 34.72405}, "look swapped"),
        ({"updated": "9999-12-31T00:00:00Z"}, "updated is in the future"),
        ({"created": "2999-01-01T00:00:00Z"}, "created is in the future"),
        ({"updated": "yesterday"}, "ISO 8601"),
        ({"name_key": "paris"}, "name_key 'paris' does not match"),
        ({"hints": {"country": "sy"}}, "not in geomap's form"),
        ({"hints": {"country": "SY", "evil": 1}}, "unknown fields \\['evil'\\]"),
        ({"key": "homs|cc=SY|a1=11"}, "does not match its query"),
        ({"pinned": True, "found": False, "latitude": None, "longitude": None},
         "a pin needs latitude"),
    ],
)  # fmt: skip
def test_a_row_that_could_move_a_place_silently_is_refused(changes, message):
    with pytest.raises((RowCheckError, CoordinateError), match=message):
        check_entry(dataclasses.replace(GOOD, **changes), now=NOW)


def test_a_point_in_a_country_named_only_by_its_gazetteer_answer_is_checked():
    no_hint = dataclasses.replace(GOOD, key="homs", hints={}, latitude=48.85, longitude=2.35)
    with pytest.raises(RowCheckError, match="outside SY"):
        check_entry(no_hint, now=NOW)
    unknown = dataclasses.replace(no_hint, raw={})
    assert check_entry(unknown, now=NOW) is unknown  # nothing says which country


def test_a_few_minutes_of_another_clock_are_allowed():
    ahead = dataclasses.replace(GOOD, updated="2024-06-01T00:30:00Z")
    assert check_entry(ahead, now=NOW) is ahead


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * (1 << 20), f"1,048,576 characters long \\(at most {MAX_TEXT_CHARS:,}\\)"),
        ("Homs\nRastan", "control characters"),
        ("", "non-empty string"),
        (None, "non-empty string"),
    ],
)
def test_text_fields_are_short_and_printable(value, message):
    with pytest.raises(RowCheckError, match=message) as info:
        check_text("query", value)
    assert len(str(info.value)) < 300  # a 1 MB value is never echoed back
