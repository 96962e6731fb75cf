"""geomap.formats.limits: bounds on input, and messages that never echo a whole value."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.formats.limits import MAX_JSON_DEPTH, clip, json_depth, listing, load_json


def test_clip_quotes_short_values_whole_and_long_ones_cut():
    assert clip("Homs") == "'Homs'" and clip(12) == "12"
    long = clip("x" * 100_000)
    assert long.startswith("'xxx") and long.endswith("... (100,000 characters)")
    assert len(long) < 120


def test_listing_shows_the_first_items_and_counts_the_rest():
    assert listing(["a", "b"]) == "a, b"
    assert listing(range(1_000_000)) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 (and 999,990 more)"
    assert listing(["y" * 100], width=10) == "yyyyyyy..."


@pytest.mark.parametrize(
    "text, depth",
    [("1", 0), ("[]", 1), ('{"a": [1, {"b": 2}]}', 3), ("[" * 64 + "]" * 64, 64)],
)
def test_json_depth(text, depth):
    assert json_depth(load_json(text, "x.json")) == depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 200_000])
def test_load_json_refuses_deep_nesting(depth):
    with pytest.raises(InputError, match="nests JSON deeper than 64 levels"):
        load_json("[" * depth + "]" * depth, "deep.json")


def test_load_json_names_the_line_of_bad_json():
    with pytest.raises(InputError, match=r"'x.json' is not valid JSON \(line 2"):
        load_json('{"a":\n oops}', "x.json")
