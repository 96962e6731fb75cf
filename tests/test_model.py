"""geomap.model: the event record and the one EventFilter, in Python and in SQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.model import EVENT_COLUMNS, Event, EventFilter
from geomap.store import EventStore
from tests.places import PLACES

TYPES = [
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("airstrike", ""),
    ("air strike", ""),
    ("Protests", ""),
    ("", ""),
]
ACTORS = ["Military Forces of Russia", "Islamic State", "Civilians (Syria)", ""]
DATES = [None, "2015-09-30", "2015-10-01", "2015-10-31", "2016-01-01"]


def _events(make_event, choices):
    """One ACLED row per choice, about 100 m apart (rows of one dataset never merge)."""
    lat, lon = PLACES.point("Rastan")
    return [
        make_event(
            event_id=f"e{i:03d}", event_date=date, event_type=TYPES[t][0],
            sub_event_type=TYPES[t][1], actor1=ACTORS[a1], actor2=ACTORS[a2],
            latitude=lat + i / 1000, longitude=lon, deaths_best=best, deaths_low=best,
            fatalities=best or 0, coords_from_source=True,
        )
        for i, (t, a1, a2, date, best) in enumerate(choices)
    ]  # fmt: skip


@st.composite
def filters(draw):
    since = draw(st.sampled_from([None, "2015-10", "2015-10-01", "2016"]))
    until = draw(st.sampled_from([None, "2015-10-01", "2015-10", "2015"]))
    if since and until and EventFilter(since=since).since > EventFilter(until=until).until:
        since = None
    return EventFilter(
        since=since,
        until=until,
        event_type=draw(st.sampled_from([None, "airstrike", "battles", "shelling", "Attack",
                                         "explosions/remote violence", "protest"])),
        actor=draw(st.sampled_from([None, "russia", "STATE", "civilians"])),
        min_fatalities=draw(st.sampled_from([None, 0, 1, 5])),
        limit=draw(st.sampled_from([None, 0, 3])),
    )  # fmt: skip


EVENTS = st.lists(
    st.tuples(st.integers(0, len(TYPES) - 1), st.integers(0, 3), st.integers(0, 3),
              st.sampled_from(DATES), st.sampled_from([None, 0, 1, 33])),
    min_size=1, max_size=12,
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choices=EVENTS, flt=filters())
def test_python_and_sql_filters_agree(tmp_path_factory, make_event, choices, flt):
    events = _events(make_event, choices)
    path = tmp_path_factory.mktemp("filter") / "events.sqlite"
    with EventStore.open(path) as store:
        store.upsert_events(events)
        from_sql = [e.event_id for e in store.events(flt)]
        stored = store.events()
    assert from_sql == [e.event_id for e in flt.apply(stored)]


def test_a_type_class_matches_an_acled_sub_type():
    strike = Event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    assert EventFilter(event_type="airstrike").matches(strike)
    assert not EventFilter(event_type="battles").matches(strike)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"since": "30/09/2015"}, "since must be a date"),
        ({"until": "2015-13-01"}, "until must be a date"),
        ({"since": "2015-10-02", "until": "2015-10-01"}, "after until"),
        ({"min_fatalities": -1}, "min_fatalities must be a whole number"),
        ({"limit": "x"}, "limit must be a whole number"),
    ],
)
def test_bad_filters(kwargs, match):
    with pytest.raises(InputError, match=match):
        EventFilter(**kwargs)


def test_record_round_trip_keeps_unknown_keys_in_extra():
    event = Event(event_id="x", latitude=1.0, longitude=2.0, extra={"k": 1})
    record = event.to_record()
    assert tuple(record) == EVENT_COLUMNS
    back = Event.from_record({**record, "colour": "red"})
    assert back.extra == {"colour": "red"} and back.latitude == 1.0
