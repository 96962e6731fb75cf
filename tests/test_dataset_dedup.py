"""Dedup across (grid cell x month) partitions: the same groups as the event store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.dataset import dedup, halo
from geomap.dataset.dedup import dedupe_serial
from geomap.errors import InputError
from geomap.model import Event
from geomap.store.db import EventStore

# Rows straddle the cell edges at 35 N and 37 E (1-degree cells) and the
# month edge between September and October 2015.
EDGE_LAT, EDGE_LON = 35.0, 37.0
STRIKE = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
KM_LAT = 1 / 110.574  # degrees of latitude in one km (about)


def row(eid: str, lat: float | None, lon: float | None, day: str, *, origin: str = "text",
        location: str = "", prec: int | None = 1, admin1: str = "Homs", **extra: object) -> Event:
    """A test row near the edges ("text" rows come from articles, one file each below)."""
    fields: dict[str, object] = dict(STRIKE)
    fields.update({k: v for k, v in extra.items() if k in Event.__dataclass_fields__})
    rest = {k: v for k, v in extra.items() if k not in Event.__dataclass_fields__}
    return Event(event_id=eid, event_date=day, origin=origin, location=location,
                 latitude=lat, longitude=lon, geo_precision=prec, country="Syria",
                 admin1=admin1, extra=rest, **fields)  # type: ignore[arg-type]  # fmt: skip


def edge_events() -> list[Event]:
    """Hand-placed rows for every edge case, with the groups the store makes of them."""
    n, s = EDGE_LAT + 0.02, EDGE_LAT - 0.02  # 4.4 km apart, in two cells
    e, w = EDGE_LON + 0.02, EDGE_LON - 0.02
    return [
        # a town reported on both sides of the cell corner, on both sides of the month edge
        row("acled:1", n, e, "2015-09-30", origin="acled", location="Kafr Zeita"),
        row("text:1", s, w, "2015-09-30", location="Kafr Zita"),
        # ACLED time precision 2 (+-3 days) reaches across the month edge
        row("ucdp:1", n, w, "2015-09-29", origin="ucdp", location="Kafr Zeita",
            date_end="2015-10-01"),
        row("acled:4", s, e, "2015-10-03", origin="acled", prec=2, time_precision=2),
        # precision 3 (+-15 days): 2015-10-14 reaches back to 29 September
        row("acled:2", EDGE_LAT + 0.15, e, "2015-10-14", origin="acled", prec=2,
            location="Morek", time_precision=3),
        row("text:3", EDGE_LAT + 0.16, w, "2015-09-29", location="Morek"),
        # two towns 9.6 km apart, named: never one event, whatever the dates
        row("acled:3", EDGE_LAT + 0.5 + 0.04, EDGE_LON + 0.5, "2015-11-30", origin="acled",
            location="Ar-Rastan", time_precision=2),
        row("text:4", EDGE_LAT + 0.5 - 0.046, EDGE_LON + 0.5, "2015-12-01",
            location="Talbiseh"),
        # a place-less point between them joins only the nearer one
        row("text:5", EDGE_LAT + 0.5 + 0.01, EDGE_LON + 0.5, "2015-12-01"),
        row("text:6", EDGE_LAT + 0.5 - 0.03, EDGE_LON + 0.5, "2015-12-01"),
        # place-less rows with no town near merge among themselves across the cell edge
        row("text:7", EDGE_LAT - 0.6, EDGE_LON - 0.01, "2015-09-30", prec=2),
        row("text:8", EDGE_LAT - 0.6, EDGE_LON + 0.08, "2015-10-01", prec=2, time_precision=2),
        # coarse rows (admin-1 level), far from the towns of their admin-1
        row("ucdp:2", 34.5, 37.9, "2015-10-01", origin="ucdp", prec=3, location="Homs",
            date_end="2015-10-04"),
        row("text:9", 34.6, 38.2, "2015-09-30", prec=3, location="Homs Governorate"),
        row("text:10", 33.5, 36.3, "2015-09-30", prec=3, admin1="Damascus"),
        row("ucdp:3", 33.0, 36.0, "2015-09-29", origin="ucdp", prec=3, admin1="Damascus",
            date_end="2015-10-02"),
        # undated, unlocated and context rows are never grouped
        row("text:11", None, None, "2015-09-30"),
        row("text:12", n, e, "", location="Kafr Zeita"),
        row("text:13", n, e, "2015-09-30", location="Kafr Zeita", is_context=True),
        # one input file lists each event once: these two never merge
        row("gdelt:1", s - 1, e, "2015-09-30", origin="gdelt", location="Kafr Zita"),
        row("gdelt:2", s - 1, e, "2015-09-30", origin="gdelt", location="Kafr Zita", notes="x"),
    ]


def files_of(events: Sequence[Event]) -> list[str]:
    """Each text row is its own article; the rows of other origins share one file each."""
    return [e.event_id if e.origin == "text" else f"{e.origin}.csv" for e in events]


def store_groups(path, events: Sequence[Event], files: Sequence[str], *,
                 batch_size: int = 5000) -> set[frozenset[str]]:  # fmt: skip
    """Groups the event store makes when each file is ingested in turn (regrouping
    incrementally after every ``batch_size`` rows)."""
    with EventStore.open(path) as store:
        for name in dict.fromkeys(files):
            batch = [e for e, f in zip(events, files, strict=True) if f == name]
            store.add_events(batch, input_format="csv", input_file=name, batch_size=batch_size)
        return {frozenset(e.extra["source_ids"]) for e in store.events()}


def dedup_groups(events: Sequence[Event], files: Sequence[str], **kw) -> set[frozenset[str]]:
    return {frozenset(g) for g in dedupe_serial(events, input_files=files, **kw).groups}


def test_edge_rows_group_as_in_the_store(tmp_path):
    events = edge_events()
    files = files_of(events)
    expected = store_groups(tmp_path / "events.sqlite", events, files)
    assert dedup_groups(events, files) == expected
    # the cases are what they say: rows joined across the cell and month edges
    assert frozenset({"acled:1", "text:1", "ucdp:1", "acled:4"}) in expected
    assert frozenset({"acled:2", "text:3"}) in expected
    assert frozenset({"text:7", "text:8", "text:9", "ucdp:2"}) in expected
    assert frozenset({"text:10", "ucdp:3"}) in expected
    assert {frozenset({"acled:3", "text:5"}), frozenset({"text:4", "text:6"})} <= expected
    assert not any({"gdelt:1", "gdelt:2"} <= g for g in expected)
    assert not any("text:13" in g for g in expected)


def test_edge_rows_need_the_halo(monkeypatch):
    """Without the halo the rows across the edges are not joined (the test can fail)."""
    events = edge_events()
    files = files_of(events)
    whole = dedup_groups(events, files)
    monkeypatch.setattr(halo, "halo_cells", lambda n, cell=1.0: {
        halo.cell_of(n.latitude, n.longitude, cell)})  # fmt: skip
    monkeypatch.setattr(halo, "months", lambda n: range(halo.month_of(n.day_min),
                                                         halo.month_of(n.day_min) + 1))  # fmt: skip
    assert dedup_groups(events, files) != whole


def test_merged_events_equal_the_stores(tmp_path):
    events = edge_events()
    files = files_of(events)
    with EventStore.open(tmp_path / "events.sqlite") as store:
        for name in dict.fromkeys(files):
            batch = [e for e, f in zip(events, files, strict=True) if f == name]
            store.add_events(batch, input_format="csv", input_file=name)
        stored = {e.event_id: e for e in store.events()}
    result = dedupe_serial(events, input_files=files)
    assert [e.event_id for e in result.context] == ["text:13"]
    assert {e.event_id for e in result.events} == set(stored)
    for e in result.events:
        assert e.to_record() == stored[e.event_id].to_record(), e.event_id
        assert e.extra["source_ids"] == stored[e.event_id].extra["source_ids"]


def random_events(rng: random.Random, n: int) -> list[Event]:
    """Rows bunched near a cell corner and the month edge, with every precision and window."""
    start = dt.date(2015, 9, 24)
    names = ["Kafr Zeita", "Kafr Zita", "Morek", "Ar-Rastan", "Talbiseh", ""]
    types = [STRIKE, STRIKE, {"event_type": "Battles", "sub_event_type": "Armed clash"},
             {"event_type": "Protests", "sub_event_type": "Peaceful protest"}]  # fmt: skip
    out = []
    for i in range(n):
        origin = rng.choice(["acled", "ucdp", "text", "text", "gdelt"])
        prec = rng.choice([1, 1, 2, 3])
        extra: dict[str, object] = {}
        if origin == "acled":
            extra["time_precision"] = rng.choice([1, 1, 2, 3])
        day = start + dt.timedelta(days=rng.randrange(14))
        if origin == "ucdp" and rng.random() < 0.5:
            extra["date_end"] = (day + dt.timedelta(days=rng.randrange(20))).isoformat()
        out.append(row(
            f"{origin}:{i}", EDGE_LAT + rng.uniform(-40, 40) * KM_LAT,
            EDGE_LON + rng.uniform(-0.4, 0.4), day.isoformat(), origin=origin, prec=prec,
            location=rng.choice(names), admin1=rng.choice(["Homs", "Homs", "Hama"]),
            **rng.choice(types), **extra,
        ))  # fmt: skip
    return out


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(seed=st.integers(0, 10**6), n=st.integers(2, 60))
def test_random_rows_near_edges_group_as_in_the_store(tmp_path_factory, seed, n):
    events = random_events(random.Random(seed), n)
    files = files_of(events)
    path = tmp_path_factory.mktemp("store") / "events.sqlite"
    assert dedup_groups(events, files, cell_degrees=0.25) == store_groups(path, events, files)


def test_many_random_rows_group_as_in_the_store(tmp_path):
    events = random_events(random.Random(7), 300)
    files = files_of(events)
    expected = store_groups(tmp_path / "events.sqlite", events, files, batch_size=50)
    assert max(len(g) for g in expected) >= 3
    assert dedup_groups(events, files) == expected
    assert dedup_groups(events, files, cell_degrees=0.25) == expected


def test_rejected_rows_and_repeated_ids():
    good = row("text:1", 35.0, 37.0, "2015-09-30")
    bad = row("text:2", 95.0, 37.0, "2015-09-30")
    result = dedupe_serial([good, bad, row("text:1", 35.0, 37.0, "2015-10-30")])
    assert result.groups == [("text:1",)]
    assert [p for p, _why in result.rejected] == [1, 2]
    assert good.latitude == 35.0 and not good.extra  # the caller's rows are left as they were


@pytest.mark.parametrize("cell", [0.1, 100, float("nan")])
def test_cell_size_is_checked(cell):
    with pytest.raises(InputError, match="cell_degrees"):
        dedupe_serial([row("text:1", 35.0, 37.0, "2015-09-30")], cell_degrees=cell)


def test_input_files_must_match_the_events():
    with pytest.raises(InputError, match="one file per event"):
        dedupe_serial([row("text:1", 35.0, 37.0, "2015-09-30")], input_files=["a", "b"])


def test_tasks_pack_small_partitions_together():
    events = random_events(random.Random(3), 200)
    nodes, _rows, _result = dedup.source_nodes(events)
    parts = halo.partition(nodes)
    packed = dedup.tasks(parts, size=50)
    assert sorted(k for t in packed for k, _m in t) == sorted(parts)
    assert all(len(t) == 1 or sum(len(m) for _k, m in t) <= 50 for t in packed)


def test_dask_cluster_gives_the_serial_groups():
    distributed = pytest.importorskip("distributed")
    events = random_events(random.Random(11), 300)
    files = files_of(events)
    serial = dedupe_serial(events, input_files=files)
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address="127.0.0.1:0")
    with local, distributed.Client(local) as client:
        spread = dedup.dedupe_on(client, events, input_files=files, task_rows=100)
    assert spread.groups == serial.groups
    assert spread.pairs == serial.pairs > 0
    assert [e.to_record() for e in spread.events] == [e.to_record() for e in serial.events]


def test_a_frame_of_rows_groups_as_the_events():
    pd = pytest.importorskip("pandas")
    events = [e for e in edge_events() if e.origin != "gdelt"]
    frame = pd.DataFrame(
        [{**e.to_record(), "extra": json.dumps(e.extra) if e.extra else None} for e in events]
    )
    files = files_of(events)
    assert dedupe_serial(frame, input_files=files).groups == dedupe_serial(
        events, input_files=files
    ).groups



def test_may_pair_follows_the_stores_rules():
    def nodes(*rows: tuple[Event, str]) -> list:
        return [dedup.Node(i, *dedup.node_fields(e, f)) for i, (e, f) in enumerate(rows)]

    a = row("acled:1", 35.0, 37.0, "2015-09-30", origin="acled", location="Morek")
    a2 = row("acled:2", 35.0, 37.0, "2015-09-30", origin="acled", location="Morek")
    u = row("ucdp:1", 35.0, 37.0, "2015-09-30", origin="ucdp", location="Morek")
    g = row("gdelt:1", 35.0, 37.0, "2015-09-30", origin="gdelt", location="Morek")
    g2 = row("gdelt:2", 35.0, 37.0, "2015-09-30", origin="gdelt", location="Morek")
    g3 = row("gdelt:3", 35.0, 37.0, "2015-09-30", origin="gdelt", location="Talbiseh")
    # one curated dataset never matches itself, even across files or identical rows
    assert not halo.may_pair(nodes((a, "a.csv"), (a2, "b.csv")))
    assert halo.may_pair(nodes((a, "a.csv"), (u, "u.csv")))
    assert not halo.may_pair(nodes((a, "a.csv"), (u, "a.csv")))  # one file, no two identical
    # one file lists each event once: only identical rows of it may merge
    assert not halo.may_pair(nodes((g, "g.csv"), (g3, "g.csv")))
    assert halo.may_pair(nodes((g, "g.csv"), (g2, "g.csv"), (g3, "g.csv")))
    assert halo.may_pair(nodes((g, "g.csv"), (g3, "h.csv")))
    assert halo.may_pair(nodes((g, ""), (g3, "")))  # files unknown: anything may match


def test_partitions_left_out_hold_no_pair():
    """Whole partitions of one source are skipped, and no pair is lost with them."""
    rng = random.Random(5)
    events = random_events(rng, 400)
    for e in events[::3]:
        e.latitude = (e.latitude or 0) + 3  # away from the others: cells of one source
    # identical rows inside one file of a non-curated source, far from any other file
    twins = [e for e in events if e.origin == "gdelt"][:5]
    for e in twins:
        e.latitude, e.longitude = 20.0, 50.0
    events += [dataclasses.replace(e, event_id=e.event_id + "b", extra=dict(e.extra))
               for e in twins]  # fmt: skip
    files = [f"{e.origin}.csv" for e in events]
    nodes, _rows, _result = dedup.source_nodes(events, files)
    every = halo.partition(nodes, 0.25)
    kept = halo.candidate_parts(nodes, 0.25)
    assert len(kept) < len(every)
    pairs = {p for key, members in every.items() for p in halo.partition_pairs(key, members)}
    assert pairs and pairs == {
        p for key, members in kept.items() for p in halo.partition_pairs(key, members)
    }
    assert any(nodes[a].content_hash == nodes[b].content_hash for a, b in pairs)
    acled_only = [n for n in nodes if n.origin == "acled"]
    assert acled_only and halo.candidate_parts(acled_only) == {}
