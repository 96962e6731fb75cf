"""The store's JSON encoders write exactly what ``json.dumps`` writes."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from geomap.store.extra import json_encoder, plain_extra

_VALUES = [
    [],
    {},
    ["a", 1, 2.5, None, True, False, math.nan, math.inf, -math.inf, 10**25, -0.0, 1e-7],
    {"é": "ü\U0001f600", "q": 'say "hi"\\\n\t\x00', 3: "three", 2.5: "x", True: "t", None: "n"},
    {"nested": [{"a": [1, {"b": None}]}, ()], "date": dt.date(2016, 2, 3), "set": {1}},
    ["\ud800 lone surrogate", "acled:1", 1.0, float(3)],
    "a text alone",
    7,
    None,
]


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("value", _VALUES)
def test_json_encoder_writes_what_json_dumps_writes(
    value: object, ensure_ascii: bool, compact: bool
) -> None:
    separators = (",", ":") if compact else None
    expected = json.dumps(value, default=str, ensure_ascii=ensure_ascii, separators=separators)
    assert json_encoder(ensure_ascii=ensure_ascii, compact=compact)(value) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"year": "2016", "time_precision": 1, "acled_id": "SYR1", "n": -(10**30)},
        {"é": "ü\U0001f600", "q": 'say "hi"\\\n\t', "\ud800": "\udfff"},
        {"b": True, "i": 2},
        {"f": 1.5, "z": None},
        {"l": ["x"], "s": "y"},
        {3: "a number key"},
        {"k": "v"},
        {"50%": "half", "a%sb": 1, "%(x)s": "%s"},
    ],
)
def test_plain_extra_is_the_json_of_the_object_and_of_its_values(data: dict) -> None:
    for _ in range(2):  # the second time with the keys met before
        text = plain_extra(data)
        assert text == json.dumps(data, default=str) and text.data is data
        values = json.dumps(list(data.values()), default=str, separators=(",", ":"))[1:-1]
        assert text.values in (None, values)
    if all(type(v) in (str, int) for v in data.values()) and all(type(k) is str for k in data):
        assert text.values == values
