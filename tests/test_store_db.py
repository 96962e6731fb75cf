"""EventStore: schema, upsert by event_id, R*Tree consistency, crash and concurrency safety."""

from __future__ import annotations

import dataclasses
import json
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
from geomap.model import Article, Event, Mention
from geomap.query import near
from geomap.store import Basis, Placement
from geomap.store.db import EventStore
from geomap.store.rows import stable_event_id
from tests.old_stores import to_version_3_layout


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


def test_upsert_roundtrip_keeps_every_column(make_event, store):
    e = make_event(
        event_id="acled:1",
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


def test_upsert_by_event_id_updates_in_place_and_moves_rtree(make_event, store):
    store.upsert_events([make_event(event_id="acled:1"), make_event("Hama", event_id="acled:2")])
    store.upsert_events([make_event(event_id="acled:1", latitude=10.0, longitude=20.0,
                                    notes="moved")])  # fmt: skip
    assert store.count() == 2 and store.count_sources() == 2
    moved = store.event("acled:1")
    assert (moved.latitude, moved.longitude, moved.notes) == (10.0, 20.0, "moved")
    # exactly one R*Tree entry per row, at the new place; rows alone in their
    # group are their own events, so none is copied to events or events_rtree
    assert len(rtree_ids(store, "sources_rtree")) == 2 and rtree_ids(store) == set()
    box = store.connection.execute(
        "SELECT min_lat, min_lon FROM sources_rtree r JOIN event_sources s ON s.sid = r.id "
        "WHERE s.event_id = 'acled:1'"
    ).fetchone()
    assert box == pytest.approx((10.0, 20.0), abs=1e-4)
    assert store.connection.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_rtree_matches_events_after_merges_and_splits(make_event, store):
    a = make_event(event_id="acled:1")
    t = make_event(event_id="text:1", latitude=34.93, longitude=36.73, origin="text")  # rounded
    store.upsert_events([a, t])
    assert store.count() == 1  # merged
    rowids = {r[0] for r in store.connection.execute("SELECT rowid FROM events")}
    assert len(rowids) == 1 and rtree_ids(store) == rowids
    store.upsert_events([make_event("Aleppo", event_id="text:1", origin="text")])  # moved away
    assert store.count() == 2  # split again: each row is its own event, nothing merged
    assert store.connection.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert rtree_ids(store) == set() and len(rtree_ids(store, "sources_rtree")) == 2
    assert store.check_indexes() == [] and store.integrity_check() == "ok"


def test_events_without_coordinates_or_date_are_kept(store):
    store.upsert_events(
        [
            Event(event_id="text:ctx", deaths_low=250001, is_context=True),
            Event(event_id="csv:x", location="Nowhere", event_date="2015-10-02"),
        ]
    )
    assert {e.event_id for e in store.events()} == {"csv:x"}  # a context figure is no event
    assert [e.event_id for e in store.context_figures()] == ["text:ctx"]
    assert rtree_ids(store) == set()


def test_missing_event_id_gets_a_stable_content_id(store):
    a = Event(event_date="2015-09-30", location="Rastan", origin="csv")
    b = Event(event_date="2015-09-30", location="Rastan", origin="csv")
    assert stable_event_id(a) == stable_event_id(b) and stable_event_id(a).startswith("csv:")
    store.upsert_events([a])
    store.upsert_events([b])
    assert store.count_sources() == 1


def test_non_finite_coordinate_is_refused_and_nothing_written(make_event, store):
    store.upsert_events([make_event(event_id="acled:ok")])
    with pytest.raises(StoreError, match="latitude must be a finite decimal number"):
        store.upsert_events([make_event(event_id="acled:bad", latitude=float("nan"))])
    assert [e.event_id for e in store.events()] == ["acled:ok"]


def test_transaction_rolls_back_everything(make_event, places, store):
    store.upsert_events([make_event(event_id="acled:1")])
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.upsert_events([make_event(event_id="acled:2", latitude=1, longitude=1)])
            store.upsert_events([make_event(event_id="acled:1", latitude=2, longitude=2)])
            raise RuntimeError("boom")
    assert [e.event_id for e in store.events()] == ["acled:1"]
    assert store.event("acled:1").latitude == places["Rastan"].latitude


def test_sources_by_geocode_key_and_delete(make_event, store):
    store.upsert_events([
        make_event(event_id="text:1", origin="text", geocode_key="rastan|cc=SY"),
        make_event(event_id="acled:1"),
    ])  # fmt: skip
    assert [e.event_id for e in store.sources(geocode_keys=["rastan|cc=SY"])] == ["text:1"]
    assert [e.event_id for e in store.sources("acled:1")] == ["acled:1", "text:1"]
    assert store.delete_events(["acled:1"]) == 1
    assert [e.event_id for e in store.events()] == ["text:1"]
    assert store.event("text:1").extra["n_sources"] == 1


def test_documents_and_mentions(places, store):
    store.add_document(Article(doc_id="d1", title="T", text="Rastan hit", date="2015-09-30"))
    rastan = dataclasses.replace(places["Rastan"], population=0)  # the store keeps no population
    store.add_mentions(
        [
            Mention(
                "d1",
                "Rastan",
                0,
                6,
                place=rastan,
                latitude=rastan.latitude,
                longitude=rastan.longitude,
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
        store.add_document(Article(doc_id="", title="", text=""))


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


def test_two_concurrent_writers_both_succeed(tmp_path, run_at_once):
    path = tmp_path / "events.sqlite"
    EventStore.open(path).close()
    run_at_once(*([WRITER, str(path), prefix, "30", "100"] for prefix in ("a", "b")))
    with EventStore.open(path) as s:
        assert s.count_sources() == 6000
        assert s.integrity_check() == "ok"
        got = sqlite3.connect(path).execute("SELECT count(*) FROM sources_rtree").fetchone()[0]
        assert got == 6000


def test_store_survives_being_read_while_written(make_event, tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as writer, EventStore.open(path) as reader:
        writer.upsert_events([make_event(event_id="acled:1")])
        assert reader.count() == 1
        assert Path(path).exists()


def test_opening_for_reading_does_not_wait_for_a_writer(make_event, tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as writer:
        writer.upsert_events([make_event(event_id="acled:1")])
        with writer.transaction():  # a long write holds the lock
            writer.upsert_events([make_event(event_id="acled:2", latitude=1, longitude=1)])
            t0 = time.monotonic()
            with EventStore.open(path) as reader:
                assert [e.event_id for e in reader.events()] == ["acled:1"]
            assert time.monotonic() - t0 < 5


# ---------------------------------------------------------------------------
# schema versions, read-only stores, index checks, placements


def _schema_version(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        con.close()


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


@pytest.fixture
def version_1_store(make_event):
    """Writes a store as geomap wrote it at schema version 1 (no ``refresh_basis``, unless
    an older ``geomap refresh`` had made the table itself: ``basis_rows``)."""

    def write(path: Path, *, basis_rows: list[tuple] | None = None) -> None:
        with EventStore.open(path) as s:
            s.upsert_events([make_event(event_id="acled:1"),
                             make_event("Aleppo", event_id="text:1", origin="text")])  # fmt: skip
        con = sqlite3.connect(path)
        to_version_3_layout(con, version=1)
        con.execute("DROP TABLE refresh_basis")
        if basis_rows is not None:
            con.execute(
                "CREATE TABLE refresh_basis (kind TEXT NOT NULL, ref TEXT NOT NULL, key TEXT NOT "
                "NULL, latitude REAL, longitude REAL, geonameid INTEGER, provider TEXT, updated "
                "TEXT, PRIMARY KEY (kind, ref))"
            )
            con.executemany("INSERT INTO refresh_basis VALUES (?,?,?,?,?,?,?,?)", basis_rows)
        con.commit()
        con.close()

    return write


def _digest(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_new_store_has_every_table_at_the_current_version(tmp_path):
    from geomap.store import SCHEMA_VERSION

    EventStore.open(tmp_path / "e.sqlite").close()
    assert _schema_version(tmp_path / "e.sqlite") == str(SCHEMA_VERSION) == "5"
    assert {"refresh_basis", "quarantine"} <= _tables(tmp_path / "e.sqlite")


def test_version_1_store_is_migrated_in_place(tmp_path, version_1_store):
    path = tmp_path / "old.sqlite"
    version_1_store(path)
    assert _schema_version(path) == "1" and "refresh_basis" not in _tables(path)

    # read-only: readable as it is, and left exactly as it was
    before = _digest(path)
    with EventStore.open(path, read_only=True) as s:
        assert [e.event_id for e in s.events()] == ["acled:1", "text:1"]
        assert s.recorded_bases() == []
    assert _digest(path) == before and _schema_version(path) == "1"

    with EventStore.open(path) as s:  # the first writable open migrates
        assert [e.event_id for e in s.events()] == ["acled:1", "text:1"]
        assert s.check_indexes() == [] and s.integrity_check() == "ok"
        assert s.record_bases([Basis("event", "text:1", "aleppo", 36.2, 37.1)]) == 1
    assert _schema_version(path) == "5" and "refresh_basis" in _tables(path)


def test_migration_keeps_bases_an_older_refresh_recorded(tmp_path, version_1_store):
    path = tmp_path / "old.sqlite"
    row = ("event", "text:1", "aleppo|cc=SY", 36.2, 37.1, 170063, "gazetteer", "2020-01-01")
    version_1_store(path, basis_rows=[row])
    with EventStore.open(path) as s:
        assert s.recorded_bases() == [Basis(*row)]
    assert _schema_version(path) == "5"


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_store_is_refused(tmp_path, read_only):
    path = tmp_path / "new.sqlite"
    EventStore.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema version 99, newer"):
        EventStore.open(path, read_only=read_only)


def test_read_only_store_must_exist_and_be_a_store(tmp_path):
    with pytest.raises(StoreError, match="no event store at .*missing.sqlite"):
        EventStore.open(tmp_path / "missing.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="Cannot read the event store"):
        EventStore.open(bad, read_only=True)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="Cannot read the event store"):
        EventStore.open(empty, read_only=True)


#: every write, given the store and a new event
WRITES = {
    "upsert_events": lambda s, event: s.upsert_events([event]),
    "upsert_nothing": lambda s, event: s.upsert_events([]),
    "delete_events": lambda s, event: s.delete_events(["acled:1"]),
    "add_document": lambda s, event: s.add_document(Article(doc_id="d1", title="", text="x")),
    "add_mentions": lambda s, event: s.add_mentions([Mention("d1", "Rastan", 0, 6)]),
    "record_bases": lambda s, event: s.record_bases([Basis("event", "acled:1", "rastan", 1, 2)]),
    "transaction": lambda s, event: s.transaction().__enter__(),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_a_read_only_store_raises(make_event, tmp_path, write):
    path = tmp_path / "e.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events([make_event(event_id="acled:1")])
    before = _digest(path)
    with EventStore.open(path, read_only=True) as s:
        assert s.read_only and s.count() == 1
        with pytest.raises(StoreError, match="opened read-only"):
            write(s, make_event(event_id="acled:2"))
        assert [e.event_id for e in s.events()] == ["acled:1"]
    assert _digest(path) == before


def test_check_indexes_finds_missing_and_stray_entries(make_event, store):
    store.upsert_events([make_event(), make_event(event_id="acled:2", latitude=10, longitude=20),
                         make_event(event_id="text:2", latitude=10, longitude=20, origin="text")])
    assert store.count() == 2 and store.check_indexes() == []  # acled:2 merged with text:2
    with store.transaction() as conn:
        conn.execute("DELETE FROM events_rtree WHERE id = (SELECT rowid FROM events "
                     "WHERE event_id = 'acled:2')")  # fmt: skip
        conn.execute("DELETE FROM sources_rtree WHERE id = (SELECT sid FROM event_sources "
                     "WHERE event_id = 'acled:rastan')")  # fmt: skip
        conn.execute("INSERT INTO sources_rtree VALUES (9999, 1, 1, 1, 1, 1, 1)")
        conn.execute("UPDATE sources_rtree SET min_lat = 1, max_lat = 1 WHERE id = (SELECT sid "
                     "FROM event_sources WHERE event_id = 'acled:2')")  # fmt: skip
    assert store.check_indexes() == [
        "events: acled:2 has no R*Tree entry at its point",
        "source rows: acled:rastan has no R*Tree entry at its point",
        "source rows: acled:2 has no R*Tree entry at its point",
        "sources_rtree: entry 9999 has no located row",
    ]


def test_placements_tell_which_rows_each_cache_key_placed(make_event, places, store):
    store.upsert_events([
        make_event(event_id="text:1", origin="text", geocode_key="rastan|cc=SY", geo_precision=2),
        make_event(event_id="acled:1", geocode_key="rastan|cc=SY", coords_from_source=True),
        make_event(event_id="csv:1", latitude=None, longitude=None, origin="csv",
                   geocode_key="nowhere"),
        make_event(event_id="acled:2"),
    ])  # fmt: skip
    store.add_document(Article(doc_id="d1", title="", text="Rastan and Homs"))
    store.add_mentions([
        Mention("d1", "Rastan", 0, 6, latitude=34.9, longitude=36.7, geo_precision=1,
                cache_key="rastan|cc=SY"),
        Mention("d1", "Homs", 11, 15, cache_key="homs|cc=SY"),
        Mention("d1", "and", 7, 10),
    ])  # fmt: skip
    assert store.geocode_keys() == ["homs|cc=SY", "nowhere", "rastan|cc=SY"]
    lat, lon = places.point("Rastan")
    assert sorted(store.source_placements()) == [
        Placement("nowhere", None, None, 1, "csv:1", "csv", False),
        Placement("rastan|cc=SY", lat, lon, 1, "acled:1", "acled", True),
        Placement("rastan|cc=SY", lat, lon, 2, "text:1", "text", False),
    ]
    assert sorted(store.mention_placements(), key=lambda p: p.key) == [
        Placement("homs|cc=SY", None, None, None),
        Placement("rastan|cc=SY", 34.9, 36.7, 1),
    ]


def test_recorded_bases_are_replaced_per_row(store):
    first = Basis("event", "text:1", "rastan", 34.9, 36.7, 172946, "gazetteer", "2020-01-01")
    moved = first._replace(latitude=35.0, provider="pin", updated="2021-01-01")
    other = Basis("mention", "d1:0-6", "rastan", 34.9, 36.7)
    assert store.record_bases([first, other]) == 2
    with store.transaction():  # joins the caller's transaction
        store.record_bases([moved])
    assert sorted(store.recorded_bases()) == [moved, other]


def test_extra_is_stored_without_its_key_names_and_reads_back_whole(make_event, store):
    extras = [
        {"year": "2015", "tags": ["x", {"y": None}], "n": 10**25, "f": 1.5, "b": True, "é": "ü"},
        {"year": "2016", "tags": [], "n": -1, "f": 1e308, "b": False, "é": ""},
        {"other": "\U0001f600", "time_precision": 2},
    ]
    store.upsert_events([make_event(place, event_id=f"acled:{i}", extra=x) for i, (place, x)
                         in enumerate(zip(("Rastan", "Homs", "Aleppo"), extras, strict=True))])
    assert [e.extra for e in store.sources()] == [{**x, "group_id": f"acled:{i}"}
                                                  for i, x in enumerate(extras)]  # fmt: skip
    got = {e.event_id: e.extra for e in store.events()}
    assert got == {f"acled:{i}": {**x, "n_sources": 1, "source_ids": [f"acled:{i}"]}
                   for i, x in enumerate(extras)}  # fmt: skip
    stored = [r[0] for r in store.connection.execute("SELECT extra FROM event_sources")]
    assert all(s.startswith("[") and "year" not in s and "other" not in s for s in stored)
    assert store.connection.execute("SELECT count(*) FROM extra_keys").fetchone()[0] == 2
    # near with every column gives the object as plain JSON text, as before
    frame = near("34.92667,36.73241", radius_km=1, columns="all", store=store)
    assert list(frame["extra"]) == [json.dumps(extras[0], default=str)]


def test_a_reader_meets_a_key_list_committed_after_it_read_them(make_event, tmp_path):
    from geomap.store.extra import decode, key_lists

    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as writer, EventStore.open(path, read_only=True) as reader:
        writer.upsert_events([make_event(event_id="acled:1", extra={"a": 1})])
        keys = key_lists(reader.connection)
        assert decode('[1,2]', keys) == {"a": 2} and len(keys) == 1
        writer.upsert_events([make_event("Homs", event_id="acled:2", extra={"b": "x"})])
        (text,) = writer.connection.execute(
            "SELECT extra FROM event_sources WHERE event_id = 'acled:2'").fetchone()  # fmt: skip
        assert decode(text, keys) == {"b": "x"}  # read again: the new id is there now
        with pytest.raises(StoreError, match="key list the store does not hold"):
            decode("[99,1]", keys)


def test_extra_keys_of_other_types_are_named_as_their_json_names_them():
    from geomap.store.extra import PlainExtra, encode_rows

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE extra_keys (id INTEGER PRIMARY KEY, keys TEXT UNIQUE)")
    objects = [{1: "a"}, {True: "b"}, {"1": "c"}, {1.0: "d"}, {"true": "e"}, {True: "f"}]
    rows = encode_rows(conn, [[PlainExtra("", x)] for x in objects], 0)
    lists = dict(conn.execute("SELECT id, keys FROM extra_keys"))
    assert [(json.loads(lists[json.loads(r[0])[0]]), json.loads(r[0])[1]) for r in rows] == [
        (["1"], "a"), (["true"], "b"), (["1"], "c"),
        (["1.0"], "d"), (["true"], "e"), (["true"], "f"),
    ]  # fmt: skip


def test_a_row_moved_out_of_its_group_leaves_it_and_so_does_the_row_left_alone(make_event, store):
    text = make_event(event_id="text:1", origin="text")
    store.upsert_events([make_event(event_id="acled:1"), text])
    assert store.count() == 1  # one merged event of both rows
    store.upsert_events([make_event(event_id="acled:1", latitude=10.0, longitude=20.0)])
    groups = dict(store.connection.execute("SELECT event_id, group_id FROM event_sources"))
    assert groups == {"acled:1": None, "text:1": None} and store.count() == 2
    assert store.connection.execute("SELECT count(*) FROM events").fetchone()[0] == 0
