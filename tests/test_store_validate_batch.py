"""The column-by-column store checks give what the row-by-row check gives, row for row."""

from __future__ import annotations

import copy
import datetime as dt
import math

import pytest

from geomap.model import Event
from geomap.store.validate import InvalidValue, clean_event
from geomap.store.validate_batch import clean_events

#: One field each that the row check changes or refuses (or keeps, for the last few).
_ODD_FIELDS: list[dict[str, object]] = [
    {"actor1": "  Militia of the hills "},
    {"actor1": "Militia\x07 of the hills"},
    {"notes": "A first line\nand a second"},
    {"notes": "x" * 100_001},
    {"location": "y" * 1_001},
    {"admin1": None},
    {"admin2": 17},
    {"event_id": ""},
    {"event_id": "z" * 257},
    {"event_id": " acled:padded "},
    {"event_date": "30 September 2015"},
    {"event_date": "2015-09-30T10:00:00"},
    {"event_date": "the day after"},
    {"event_date": dt.date(2015, 9, 30)},
    {"event_date": None},
    {"latitude": 34, "longitude": 36},
    {"latitude": math.nan, "longitude": 36.5},
    {"latitude": 95.0, "longitude": 36.5},
    {"latitude": 34.5, "longitude": None},
    {"latitude": None, "longitude": 36.5},
    {"latitude": math.inf, "longitude": 36.5},
    {"latitude": 34.5, "longitude": -180.5},
    {"latitude": 34.5, "longitude": 180.5},
    {"latitude": -90.0, "longitude": 180.0},
    {"latitude": None, "longitude": None},
    {"latitude": "34.5", "longitude": "36.5"},
    {"geo_precision": 4},
    {"geo_precision": True},
    {"geo_precision": 2.0},
    {"fatalities": None},
    {"fatalities": -1},
    {"fatalities": "12"},
    {"deaths_low": 5, "deaths_high": 2},
    {"deaths_low": 2, "deaths_high": 5},
    {"deaths_low": 5.0, "deaths_high": 2},
    {"deaths_low": None, "deaths_high": 2},
    {"deaths_best": 10_000_001},
    {"fatalities": 10**5000},
    {"actor1": 10**5000},
    {"latitude": 10**400, "longitude": 36.5},
    {"extra": {"n": 10**5000}},
    {"civilians": 1},
    {"civilians": "yes"},
    {"confidence": 1},
    {"confidence": 1.5},
    {"extra": {"time_precision": 1, "tags\x01": "x"}},
    {"extra": {"  padded key ": "value"}},
    {"extra": ["not", "an", "object"]},
    {"extra": None},
    {"extra": {"big": "x" * 9_000}},
    {"extra": {"huge": "x" * 100_001, "small": "kept"}},
    {"extra": {1: "a number key", "k": "v"}},
    {"extra": {"n": 10**25, "l": [1, {"m": None}]}},
    {"extra": {"b": True, "f": 1.5, "z": None, "i": -3}},
    {"extra": {"k" * 1_001: "a key too long"}},
    {"extra": {}},
    {"injured_low": 3, "injured_high": 1},
    {"deaths_low": 2, "deaths_high": 2, "injured_low": 0, "injured_high": None},
    {"actor2": "Rebels", "fatalities": 3, "geo_precision": 2},
]


def _outcome(event: Event) -> tuple[str, dict[str, object]]:
    try:
        clean_event(event)
    except InvalidValue as exc:
        return str(exc), {}
    return "", {**event.to_record(), "extra": event.extra}


@pytest.mark.parametrize("fields", _ODD_FIELDS, ids=lambda f: ",".join(f))
def test_one_odd_row_among_clean_ones_is_checked_as_alone(make_event, fields) -> None:
    rows = [make_event(), make_event(**fields), make_event("Homs", event_id="acled:homs")]
    expected = [_outcome(copy.deepcopy(e)) for e in rows]
    errors = clean_events(rows)
    got = [
        (str(err), {}) if err is not None else ("", {**e.to_record(), "extra": e.extra})
        for e, err in zip(rows, errors, strict=True)
    ]
    assert got == expected


def test_every_odd_field_in_one_batch(make_event) -> None:
    rows = [make_event(**{"event_id": f"acled:{i}", **f}) for i, f in enumerate(_ODD_FIELDS)]
    expected = [_outcome(copy.deepcopy(e)) for e in rows]
    errors = clean_events(rows)
    assert [str(e) if e is not None else "" for e in errors] == [why for why, _r in expected]
    assert sum(e is None for e in errors) >= 10  # the batch carries on past its bad rows


def test_clean_batch_keeps_its_values(make_event) -> None:
    rows = [make_event(event_id=f"acled:{i}", fatalities=i, extra={"k": i}) for i in range(50)]
    assert clean_events(rows) == [None] * 50
    assert [e.fatalities for e in rows] == list(range(50))
    assert rows[7].extra == {"k": 7}
