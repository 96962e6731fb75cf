"""geomap.store.failures: full, read-only, locked and damaged told apart; none called corrupt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from geomap.errors import StoreError
from geomap.store import EventStore, opening
from geomap.store.failures import store_failure


@pytest.mark.parametrize(
    "message, says",
    [
        ("database or disk is full", "the disk holding it is full"),
        ("attempt to write a readonly database", "the file or its folder is read-only"),
        ("database is locked", "another geomap process holds its write lock"),
        ("unable to open database file", "SQLite cannot open or create the file there"),
        ("disk I/O error", "the disk reported an input/output error"),
        ("file is not a database", "the file is not a SQLite database"),
        ("database disk image is malformed", "SQLite reports the file as damaged"),
    ],
)
def test_sqlite_failures_are_told_apart(message, says):
    error = store_failure(sqlite3.OperationalError(message), Path("e.sqlite"), "write to")
    text = str(error)
    assert text.startswith("Cannot write to the event store 'e.sqlite': " + says)
    assert "Fix: " in text and "corrupt" not in text and "move it aside" not in text


def test_a_lock_held_by_another_writer_is_named(tmp_path, make_event, monkeypatch):
    path = tmp_path / "e.sqlite"
    EventStore.open(path).close()
    monkeypatch.setattr(opening, "BUSY_MS", 100)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with EventStore.open(path) as s:
            with pytest.raises(StoreError, match="holds its write lock"):
                s.upsert_events([make_event()])
    finally:
        other.execute("ROLLBACK")
        other.close()
