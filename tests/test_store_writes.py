"""geomap.store.writes through EventStore.add_events: checked rows, no silent overwrite."""

from __future__ import annotations

import pytest

from geomap.store.db import EventStore
from geomap.store.writes import input_family


@pytest.fixture
def store(tmp_path):
    with EventStore.open(tmp_path / "e.sqlite") as s:
        yield s


def test_a_stored_id_is_replaced_only_from_the_same_format_with_replace(store, make_event):
    first = store.add_events([make_event(event_id="acled:GMX0001", fatalities=33)],
                             input_format="acled")  # fmt: skip
    assert (first.added, first.updated, first.kept) == (1, 0, [])
    revision = make_event(event_id="acled:GMX0001", fatalities=35)
    kept = store.add_events([revision], input_format="acled")
    assert kept.written == 0 and kept.kept == [
        (0, "event_id 'acled:GMX0001' is stored with other values; pass --replace to update it")
    ]
    from_json = make_event(event_id="acled:GMX0001", fatalities=99, origin="acled")
    refused = store.add_events([from_json], input_format="extract", replace=True)
    assert refused.written == 0 and "stored already from another format (acled)" in (
        refused.kept[0][1]
    )
    assert store.event("acled:GMX0001").fatalities == 33  # nothing was overwritten
    updated = store.add_events([revision], input_format="acled", replace=True)
    assert (updated.added, updated.updated) == (0, 1)
    assert store.event("acled:GMX0001").fatalities == 35


def test_the_same_values_again_are_unchanged_and_not_written(store, make_event):
    store.add_events([make_event()], input_format="acled")
    before = store.connection.execute("SELECT updated_at, sid FROM event_sources").fetchall()
    again = store.add_events([make_event()], input_format="acled")
    assert (again.added, again.updated, again.unchanged, again.kept) == (0, 0, 1, [])
    assert store.connection.execute("SELECT updated_at, sid FROM event_sources").fetchall() == (
        before
    )


def test_bad_rows_are_rejected_by_position_and_the_rest_stored(store, make_event):
    rows = [
        make_event(event_id="acled:1"),
        make_event(event_id="acled:2", fatalities="lots"),
        make_event(event_id="acled:1", fatalities=2),  # the id again in the same batch
        make_event("Homs", event_id="acled:3", event_date="yesterday"),
    ]
    result = store.add_events(rows, input_format="acled", batch_size=2)
    assert result.added == 1
    assert [(i, why.split(",")[0]) for i, why in result.rejected] == [
        (1, "fatalities must be a whole number from 0 to 10"),
        (3, "event_date must be a date like 2015-09-30"),
    ]
    assert result.kept == [(2, "event_id 'acled:1' is stored with other values; pass --replace "
                               "to update it")]  # fmt: skip


def test_context_figures_are_stored_apart_from_events(store, make_event):
    toll = make_event(event_id="text:ctx", is_context=True, deaths_low=250001, origin="text",
                      event_type="", sub_event_type="")  # fmt: skip
    result = store.add_events([make_event(), toll], input_format="text")
    assert (result.added, result.context) == (2, 1)
    assert [e.event_id for e in store.events()] == ["acled:rastan"]
    assert [e.event_id for e in store.context_figures()] == ["text:ctx"]
    assert store.count() == 1 and store.count_context() == 1 and store.check_indexes() == []
    # an event that turns out to be a context figure leaves its group and the events
    store.add_events([make_event(is_context=True)], input_format="text", replace=True)
    assert store.events() == [] and store.count_context() == 2 and store.check_indexes() == []


@pytest.mark.parametrize(
    "fmt, family",
    [("acled", "acled"), ("XLSX", "csv"), ("csv", "csv"), ("extract", "text"),
     ("article", "text"), ("", "")],
)  # fmt: skip
def test_input_families(fmt, family):
    assert input_family(fmt) == family


def _rtree_points(store: EventStore) -> dict[str, tuple[float, float]]:
    """Each located source row's (lat, lon) as its R*Tree entry holds it, by event_id."""
    sql = ("SELECT s.event_id, r.min_lat, r.min_lon FROM sources_rtree r "
           "JOIN event_sources s ON s.sid = r.id")  # fmt: skip
    return {i: (round(lat, 3), round(lon, 3)) for i, lat, lon in store.connection.execute(sql)}


@pytest.mark.parametrize("replace", [False, True])
def test_each_row_written_is_indexed_at_its_own_point(store, make_event, replace):
    """New rows are numbered without a lookup; a batch that also updates rows is looked up."""
    first = [make_event(event_id=f"acled:{i}", latitude=30 + i, longitude=40 + i)
             for i in range(4)]  # fmt: skip
    store.add_events(first, input_format="acled")
    store.delete_events(["acled:3"])  # the largest sid goes: the next row may reuse it
    again = [make_event(event_id="acled:1", latitude=31, longitude=49),  # an update with replace
             *(make_event(event_id=f"acled:{i}", latitude=30 + i, longitude=40 + i)
               for i in range(3, 7))]  # fmt: skip
    store.add_events(again, input_format="acled", replace=replace)
    want = {f"acled:{i}": (30.0 + i, 40.0 + i) for i in range(7)}
    if replace:
        want["acled:1"] = (31.0, 49.0)
    assert _rtree_points(store) == want
