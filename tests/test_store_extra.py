"""The store's JSON encoders write exactly what ``json.dumps`` writes."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from geomap.store.extra import json_encoder

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
