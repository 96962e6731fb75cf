"""EventStore: schema, upsert by event_id, R*Tree consistency, crash and concurrency safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geomap.errors import StoreError
from geomap.model import Event, Mention, Place
from geomap.store.db import EventStore, stable_event_id


def ev(event_id, lat=34.9267, lon=36.7324, date="2015-09-30", **kw) -> Event:
    base = dict(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        geo_precision=1,
        origin="acled",
        country="Syria",
        admin1="Homs",
    )
    base.update(kw)
    return Event(event_id=event_id, event_date=date, latitude=lat, longitude=lon, **base)


@pytest.fixture
def store(tmp_path):
    s = EventStore.open(tmp_path / "events.sqlite")
    yield s
    s.close()


def rtree_ids(store, table="events_rtree"):
    return {r[0] for r in store.connection.execute(f"SELECT id FROM {table}")}


def test_open_uses_configured_path_and_wal(geomap_env):
    with EventStore.open() as s:
        assert s.path == geomap_env / "events.sqlite"
        assert s.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (geomap_env / "events.sqlite").exists()


def test_open_rejects_directory_and_garbage(tmp_path):
    with pytest.raises(StoreError, match="directory"):
        EventStore.open(tmp_path)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="Cannot open the event store"):
        EventStore.open(bad)


def test_upsert_roundtrip_keeps_every_column(store):
    e = ev(
        "acled:1",
        deaths_low=3,
        deaths_best=4,
        deaths_high=5,
        fatalities=4,
        civilians=True,
        geocode_key="rastan|cc=SY",
        coords_from_source=True,
        precision_source="acled:1",
        extra={"time_precision": 1, "tags": ["x"]},
    )
    assert store.upsert_events([e]) == 1
    (got,) = store.events()
    for col in (
        "event_id",
        "event_date",
        "latitude",
        "deaths_low",
        "deaths_best",
        "deaths_high",
        "civilians",
        "geocode_key",
        "coords_from_source",
        "precision_source",
    ):
        assert getattr(got, col) == getattr(e, col), col
    assert got.extra["tags"] == ["x"]
    assert got.extra["n_sources"] == 1 and got.extra["source_ids"] == ["acled:1"]
    (src,) = store.sources()
    assert src.event_id == "acled:1" and src.extra["group_id"] == "acled:1"


def test_upsert_by_event_id_updates_in_place_and_moves_rtree(store):
    store.upsert_events([ev("acled:1"), ev("acled:2", lat=35.5, lon=37.0)])
    store.upsert_events([ev("acled:1", lat=10.0, lon=20.0, notes="moved")])
    assert store.count() == 2 and store.count_sources() == 2
    moved = store.event("acled:1")
    assert (moved.latitude, moved.longitude, moved.notes) == (10.0, 20.0, "moved")
    # exactly one R*Tree entry per event, at the new place
    assert len(rtree_ids(store)) == 2
    box = store.connection.execute(
        "SELECT min_lat, min_lon FROM events_rtree r JOIN events e ON e.rowid = r.id "
        "WHERE e.event_id = 'acled:1'"
    ).fetchone()
    assert box == pytest.approx((10.0, 20.0), abs=1e-4)
    assert len(rtree_ids(store, "sources_rtree")) == 2


def test_rtree_matches_events_after_merges_and_splits(store):
    a = ev("acled:1")
    t = ev("text:1", lat=34.93, lon=36.73, origin="text")
    store.upsert_events([a, t])
    assert store.count() == 1  # merged
    store.upsert_events([ev("text:1", lat=36.2, lon=37.1, origin="text")])  # moved to Aleppo
    assert store.count() == 2  # split again
    rowids = {r[0] for r in store.connection.execute("SELECT rowid FROM events")}
    assert rtree_ids(store) == rowids
    assert store.integrity_check() == "ok"


def test_events_without_coordinates_or_date_are_kept(store):
    store.upsert_events(
        [
            Event(event_id="text:ctx", deaths_low=250001, is_context=True),
            Event(event_id="csv:x", location="Nowhere", event_date="2015-10-02"),
        ]
    )
    assert {e.event_id for e in store.events()} == {"text:ctx", "csv:x"}
    assert rtree_ids(store) == set()


def test_missing_event_id_gets_a_stable_content_id(store):
    a = Event(event_date="2015-09-30", location="Rastan", origin="csv")
    b = Event(event_date="2015-09-30", location="Rastan", origin="csv")
    assert stable_event_id(a) == stable_event_id(b) and stable_event_id(a).startswith("csv:")
    store.upsert_events([a])
    store.upsert_events([b])
    assert store.count_sources() == 1


def test_non_finite_coordinate_is_refused_and_nothing_written(store):
    store.upsert_events([ev("acled:ok")])
    with pytest.raises(StoreError, match="non-finite latitude"):
        store.upsert_events([ev("acled:bad", lat=float("nan"))])
    assert [e.event_id for e in store.events()] == ["acled:ok"]


def test_transaction_rolls_back_everything(store):
    store.upsert_events([ev("acled:1")])
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.upsert_events([ev("acled:2", lat=1, lon=1)])
            store.upsert_events([ev("acled:1", lat=2, lon=2)])
            raise RuntimeError("boom")
    assert [e.event_id for e in store.events()] == ["acled:1"]
    assert store.event("acled:1").latitude == pytest.approx(34.9267)


def test_sources_by_geocode_key_and_delete(store):
    store.upsert_events([ev("text:1", origin="text", geocode_key="rastan|cc=SY"), ev("acled:1")])
    assert [e.event_id for e in store.sources(geocode_keys=["rastan|cc=SY"])] == ["text:1"]
    assert [e.event_id for e in store.sources("acled:1")] == ["acled:1", "text:1"]
    assert store.delete_events(["acled:1"]) == 1
    assert [e.event_id for e in store.events()] == ["text:1"]
    assert store.event("text:1").extra["n_sources"] == 1


def test_documents_and_mentions(store):
    class Doc:
        doc_id, title, text, date, source, url, path = (
            "d1",
            "T",
            "Rastan hit",
            "2015-09-30",
            "",
            "",
            "",
        )

    store.add_document(Doc())
    rastan = Place(172946, "Ar Rastan", 34.92667, 36.73241, "city", "SY", "Syria", "11", "Homs")
    store.add_mentions(
        [
            Mention(
                "d1",
                "Rastan",
                0,
                6,
                place=rastan,
                latitude=34.92667,
                longitude=36.73241,
                geo_precision=1,
                cache_key="rastan|cc=SY",
            )
        ]
    )
    store.add_mentions([Mention("d1", "Rastan", 0, 6, place=rastan, reason="again")])  # upsert
    (m,) = store.mentions("d1")
    assert m.place == rastan and m.reason == "again"
    assert store.mentions(cache_key="rastan|cc=SY") == []  # the upsert replaced the key
    assert store.documents()[0]["doc_id"] == "d1"
    with pytest.raises(StoreError, match="doc_id"):
        store.add_document({"doc_id": ""})


WRITER = textwrap.dedent(
    """
    import sys
    from geomap.model import Event
    from geomap.store.db import EventStore
    path, prefix, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = EventStore.open(path)
    n = 0
    for b in range(batches):
        events = [Event(event_id=f"{prefix}:{b}:{i}", event_date="2015-09-30", origin="acled",
                        event_type="Battles", latitude=(b * size + i) % 80,
                        longitude=(b * 7 + i) % 170, geo_precision=1)
                  for i in range(size)]
        store.upsert_events(events)
        n += size
        print(f"committed {n}", flush=True)
    store.close()
    """
)


def test_killed_writer_leaves_every_committed_event(tmp_path):
    path = tmp_path / "events.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "w", "100000", "300"],
        stdout=subprocess.PIPE,
        text=True,
    )
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 1500 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed = int(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)  # mid-batch: no chance to clean up
    proc.wait()
    proc.stdout.close()
    assert committed >= 1500
    with EventStore.open(path) as s:
        assert s.integrity_check() == "ok"
        assert s.count_sources() >= committed
        assert s.count_sources() % 300 == 0  # no half batch
        assert s.count() == s.count_sources()
        ids = {e.event_id for e in s.sources()}
        assert {f"w:{b}:{i}" for b in range(committed // 300) for i in range(300)} <= ids


def test_two_concurrent_writers_both_succeed(tmp_path):
    path = tmp_path / "events.sqlite"
    EventStore.open(path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), p, "30", "100"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with EventStore.open(path) as s:
        assert s.count_sources() == 6000
        assert s.integrity_check() == "ok"
        got = sqlite3.connect(path).execute("SELECT count(*) FROM events_rtree").fetchone()[0]
        assert got == 6000


def test_store_survives_being_read_while_written(tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as writer, EventStore.open(path) as reader:
        writer.upsert_events([ev("acled:1")])
        assert reader.count() == 1
        assert Path(path).exists()


def test_opening_for_reading_does_not_wait_for_a_writer(tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as writer:
        writer.upsert_events([ev("acled:1")])
        with writer.transaction():  # a long write holds the lock
            writer.upsert_events([ev("acled:2", lat=1, lon=1)])
            t0 = time.monotonic()
            with EventStore.open(path) as reader:
                assert [e.event_id for e in reader.events()] == ["acled:1"]
            assert time.monotonic() - t0 < 5
