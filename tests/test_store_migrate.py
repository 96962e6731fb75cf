"""geomap.store.migrate and geomap.store.quarantine: an older store with rows stored badly.

Before schema version 3 an extract JSON event with ``"fatalities": "lots"``
and ``"event_date": "yesterday"`` (or ``"fatalities": 1e400``) was stored as
it came, and context figures became events; afterwards every reader that
met those rows crashed.  Such a store is read around them, and upgraded with
them moved to quarantine.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geomap.errors import StoreError
from geomap.query import near
from geomap.store import EventStore, check_store
from geomap.store.schema import SCHEMA_VERSION

_POISON = [
    # event_id, event_date, fatalities, is_context
    ("j2", "yesterday", "lots", 0),
    ("j3", "2015-09-30", float("inf"), 0),
    ("text:ctx", None, 0, 1),
]


def write_old_store(path: Path, make_event) -> None:
    """A version-2 store as older geomap left it: two sound events, two poisoned rows and a
    context figure among the events (written past the checks, as it had none)."""
    with EventStore.open(path) as s:
        s.upsert_events([make_event(deaths_best=33, fatalities=33),
                         make_event("Homs", event_date="2015-10-03")])  # fmt: skip
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")
    for ident, date, fatalities, context in _POISON:
        located = None if context else (34.9, 36.7)
        for table in ("event_sources", "events"):
            cols = "event_id, event_date, fatalities, is_context, latitude, longitude"
            group = ", group_id" if table == "event_sources" else ", n_sources, source_ids"
            extra = (ident,) if table == "event_sources" else (1, json.dumps([ident]))
            marks = ", ".join("?" * (6 + len(extra)))
            con.execute(
                f"INSERT INTO {table} ({cols}{group}) VALUES ({marks})",
                (ident, date, fatalities, context, *(located or (None, None)), *extra),
            )
        if located:
            rowid = con.execute("SELECT rowid FROM events WHERE event_id = ?", (ident,)).fetchone()
            con.execute("INSERT INTO events_rtree VALUES (?, 36.7, 36.7, 34.9, 34.9)", rowid)
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()


@pytest.fixture
def old_store(tmp_path, make_event) -> Path:
    path = tmp_path / "old.sqlite"
    write_old_store(path, make_event)
    return path


def _digest(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_an_old_store_read_only_is_read_around_its_bad_rows(old_store):
    before = _digest(old_store)
    with EventStore.open(old_store, read_only=True) as s:
        assert [e.event_id for e in s.events()] == ["acled:rastan", "acled:homs"]
        assert s.count() == 2 and s.event("j2") is None
        frame = near("34.9,36.7", radius_km=30, store=s)  # crashed before: int("lots")
        assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
        check = check_store(s)
        assert not check.ok and check.schema_version == 2 and check.integrity == "ok"
        assert {(b.table, b.ident) for b in check.bad_rows} == {
            ("event_sources", "j2"), ("event_sources", "j3"), ("events", "j2"), ("events", "j3")
        }
    assert _digest(old_store) == before  # nothing written


def test_upgrade_quarantines_bad_rows_and_takes_context_out_of_events(old_store):
    with EventStore.open(old_store) as s:  # the first writable open upgrades
        assert s.schema_version() == SCHEMA_VERSION
        assert [e.event_id for e in s.events()] == ["acled:rastan", "acled:homs"]
        assert [e.event_id for e in s.context_figures()] == ["text:ctx"]
        assert s.check_indexes() == [] and s.integrity_check() == "ok"
        assert s.bad_rows() == [] and s.quarantined() == 4
        rows = s.connection.execute(
            "SELECT source_table, event_id, reason, row FROM quarantine ORDER BY id"
        ).fetchall()
        reasons = {(t, i): r for t, i, r, _row in rows}
        assert reasons[("event_sources", "j2")].startswith("bad event_date: 'yesterday'")
        assert reasons[("event_sources", "j3")].startswith("bad fatalities: Inf")
        assert json.loads(rows[0][3])["fatalities"] == "lots"  # the row is kept whole
        frame = near("34.9,36.7", radius_km=30, store=s)
        assert list(frame["event_id"]) == ["acled:rastan", "acled:homs"]
        provenance = s.connection.execute(
            "SELECT input_format, place_key, length(content_hash) FROM event_sources "
            "WHERE event_id = 'acled:rastan'"
        ).fetchone()
        assert provenance == ("acled", "rstn", 40)
    check = check_store(EventStore.open(old_store, read_only=True))
    assert check.ok and check.quarantined == 4 and check.context_figures == 1


def test_a_bad_upgrade_leaves_the_store_as_it_was(old_store, monkeypatch):
    from geomap.store import migrate

    def boom(conn):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(migrate, "_fill_provenance", boom)
    with pytest.raises(StoreError, match="disk holding it is full"):
        EventStore.open(old_store)
    with EventStore.open(old_store, read_only=True) as s:
        assert s.schema_version() == 2 and s.quarantined() == 0
        assert s.count() == 2 and s.integrity_check() == "ok"
        assert len(s.bad_rows()) == 4  # all still there, as before the attempt


def test_repair_moves_rows_that_bypassed_the_checks(tmp_path, make_event):
    path = tmp_path / "e.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events([make_event(), make_event("Talbiseh", event_id="acled:t")])
        s.connection.execute("PRAGMA ignore_check_constraints = ON")
        s.connection.execute("UPDATE event_sources SET fatalities = 'lots' "
                             "WHERE event_id = 'acled:t'")  # fmt: skip
        assert [b.ident for b in s.bad_rows()] == ["acled:t"]
        s.connection.execute("PRAGMA ignore_check_constraints = OFF")
        assert [b.ident for b in s.repair()] == ["acled:t"]
        assert s.bad_rows() == [] and [e.event_id for e in s.events()] == ["acled:rastan"]
        assert s.check_indexes() == [] and s.quarantined() == 1
