"""The store's JSON encoders write exactly what ``json.dumps`` writes, and a source row's
``extra`` comes back from the store as it went in (keyed, its repeated values coded)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from geomap.errors import StoreError
from geomap.store import EventStore
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


def _extras(n: int) -> list[dict]:
    """What a table's rows carry: a few values again and again, and an id of each row."""
    regions = ["Middle East", "Western Africa", "Europe"]
    return [{"year": str(2015 + i % 2), "region": regions[i % 3], "acled_id": f"SYR{i}",
             "inter1": 1, "scale": "National-International", "n": i % 2 == 0}
            for i in range(n)]  # fmt: skip


def test_repeated_extra_values_are_stored_once_and_read_back_as_they_were(make_event, tmp_path):
    extras = _extras(200)
    events = [make_event(event_id=f"acled:{i}", latitude=30 + i / 100, extra=dict(x))
              for i, x in enumerate(extras)]  # fmt: skip
    with EventStore.open(tmp_path / "e.sqlite") as s:
        s.add_events(events, input_format="acled", input_file="a.csv")
        con = s.connection
        values = {json.loads(v) for (v,) in con.execute("SELECT value FROM extra_values")}
        keys = [json.loads(k) for (k,) in con.execute("SELECT keys FROM extra_keys")]
        stored = con.execute("SELECT extra FROM event_sources WHERE sid = 8").fetchone()
        got = {e.event_id: e.extra for e in s.sources()}  # with each row's group_id added
    # year, region, scale and the flag repeat (coded); the ids never do, and 1 is short
    assert values == {"2015", "2016", "Middle East", "Western Africa", "Europe",
                      "National-International", True, False}  # fmt: skip
    assert keys == [[["year"], ["region"], "acled_id", "inter1", ["scale"], ["n"]]]
    assert '"SYR7"' in stored[0]
    for i, x in enumerate(extras):
        assert got[f"acled:{i}"] == {**x, "group_id": f"acled:{i}"}
        assert list(got[f"acled:{i}"]) == [*x, "group_id"]


def test_few_rows_are_stored_without_coded_values(make_event, tmp_path):
    events = [make_event(event_id=f"acled:{i}", extra=x) for i, x in enumerate(_extras(5))]
    with EventStore.open(tmp_path / "e.sqlite") as s:
        s.add_events(events, input_format="acled")
        assert s.connection.execute("SELECT count(*) FROM extra_values").fetchone()[0] == 0
        got = [e.extra for e in s.sources()]
    assert [{k: v for k, v in x.items() if k != "group_id"} for x in got] == _extras(5)


def test_a_coded_value_the_store_lacks_is_a_one_line_error(make_event, tmp_path):
    events = [make_event(event_id=f"acled:{i}", extra=x) for i, x in enumerate(_extras(64))]
    with EventStore.open(tmp_path / "e.sqlite") as s:
        s.add_events(events, input_format="acled")
        with s.transaction() as con:
            con.execute("DELETE FROM extra_values WHERE value = '\"Europe\"'")
        with pytest.raises(StoreError, match=r"names a value the store does not hold.*Fix: run"):
            s.events()
