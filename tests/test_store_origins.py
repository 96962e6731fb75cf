"""A store of one curated dataset looks for no dedup candidates; other rows still group."""

from __future__ import annotations

import sqlite3

from geomap.model import Event
from geomap.store.db import EventStore
from geomap.store.origins import never_match, record_origins


def strike(eid: str, origin: str, lat: float = 34.87, day: str = "2015-09-30") -> Event:
    return Event(event_id=eid, event_date=day, origin=origin, location="Ar-Rastan",
                 latitude=lat, longitude=36.73, geo_precision=1, country="Syria",
                 admin1="Homs", event_type="Explosions/Remote violence",
                 sub_event_type="Air/drone strike")  # fmt: skip


def origins_of(path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'origins'").fetchone()
    return row[0] if row else None


def test_never_match_only_for_one_curated_dataset():
    assert never_match(frozenset({"acled"}))
    assert never_match(frozenset({"ucdp"}))
    assert not never_match(frozenset({"acled", "ucdp"}))
    assert not never_match(frozenset({"text"}))
    assert not never_match(frozenset({""}))


def test_rows_of_one_curated_dataset_then_another_source_group(tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as store:
        # one ACLED export: two reports of one strike never merge (ACLED lists each once)
        store.add_events([strike("acled:1", "acled"), strike("acled:2", "acled", lat=34.871)],
                         input_format="acled", input_file="acled.csv")  # fmt: skip
        assert sorted(e.event_id for e in store.events()) == ["acled:1", "acled:2"]
    assert origins_of(path) == '["acled"]'
    with EventStore.open(path) as store:
        store.add_events([strike("text:1", "text")], input_format="csv", input_file="a.txt")
        merged = [e for e in store.events() if e.extra.get("n_sources", 1) > 1]
        assert len(merged) == 1
        assert merged[0].extra["source_ids"][-1] == "text:1"
    assert origins_of(path) == '["acled", "text"]'


def test_a_store_that_kept_no_origins_reads_them_from_its_rows(tmp_path):
    path = tmp_path / "events.sqlite"
    with EventStore.open(path) as store:
        store.add_events([strike("text:1", "text")], input_format="csv", input_file="a.txt")
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'origins'")
    with EventStore.open(path) as store:
        # the text row stored before must still be found as a candidate
        store.add_events([strike("acled:1", "acled")], input_format="acled",
                         input_file="acled.csv")  # fmt: skip
        assert [e.extra.get("source_ids") for e in store.events()] == [["acled:1", "text:1"]]
    assert origins_of(path) == '["acled", "text"]'


def test_origins_only_grow(tmp_path):
    with sqlite3.connect(tmp_path / "s.sqlite") as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE TABLE event_sources (origin TEXT)")
        conn.execute("INSERT INTO event_sources VALUES ('ucdp')")
        assert record_origins(conn, {"acled"}) == {"acled", "ucdp"}
        conn.execute("DELETE FROM event_sources")
        assert record_origins(conn, set()) == {"acled", "ucdp"}
