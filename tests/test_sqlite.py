"""geomap.sqlite: opening database files, and telling a full disk, a read-only place and a
lock apart from a corrupt file (only a failing integrity check is "corrupt")."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from geomap import sqlite
from geomap.errors import CacheError, StoreError


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "some.sqlite"
    con = sqlite.connect(path, timeout_s=1.0)
    con.execute("CREATE TABLE t(x TEXT)")
    con.execute("INSERT INTO t VALUES ('a')")
    con.close()
    return path


def _raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def test_a_full_disk_is_full_not_corrupt(db):
    con = sqlite.connect(db, timeout_s=1.0)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLITE_FULL
    exc = _raised(lambda: con.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    assert sqlite.problem(exc, db) == "full"
    message = str(sqlite.describe_error(exc, db, "event store", error=StoreError))
    assert "the disk is full" in message and "Nothing already stored was lost" in message
    assert "corrupt" not in message and "move it aside" not in message
    con.close()


def test_a_lock_held_by_another_process_is_locked(db):
    holder = sqlite.connect(db, timeout_s=1.0)
    holder.execute("BEGIN IMMEDIATE")
    waiting = sqlite.connect(db, timeout_s=0.05)
    exc = _raised(lambda: waiting.execute("BEGIN IMMEDIATE"))
    message = str(sqlite.describe_error(exc, db, "geocode cache", error=CacheError))
    assert sqlite.problem(exc, db) == "locked"
    assert "locked by another process" in message and "wait for the other" in message
    holder.execute("ROLLBACK")
    holder.close()
    waiting.close()


def test_a_read_only_connection_is_read_only(db):
    con = sqlite.connect_read_only(db, timeout_s=1.0)
    assert con.execute("SELECT x FROM t").fetchall() == [("a",)]
    exc = _raised(lambda: con.execute("INSERT INTO t VALUES ('b')"))
    assert sqlite.problem(exc, db) == "read-only"
    message = str(sqlite.describe_error(exc, db, "geocode cache", error=CacheError,
                                         elsewhere="set GEOMAP_CACHE"))
    assert "read-only" in message and "commands that only read still work" in message
    assert "or set GEOMAP_CACHE" in message
    con.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"\x00garbage" * 500),  # not a database at all
        lambda p: p.write_bytes(p.read_bytes()[:100] + b"\xff" * (p.stat().st_size - 100)),
    ],
    ids=["not-a-database", "damaged-pages"],
)
def test_only_a_failing_integrity_check_is_corrupt(db, damage):
    damage(db)
    exc = _raised(lambda: sqlite3.connect(db).execute("SELECT * FROM t").fetchall())
    assert sqlite.integrity(db) != "ok"
    assert sqlite.problem(exc, db) == "corrupt"
    message = str(sqlite.describe_error(exc, db, "geocode cache", error=CacheError))
    assert "is corrupt: SQLite's integrity check fails" in message and "move it aside" in message


def test_an_error_on_a_sound_file_is_not_corrupt(db):
    exc = _raised(lambda: sqlite3.connect(db).execute("SELECT * FROM no_such_table"))
    assert sqlite.integrity(db) == "ok"
    assert sqlite.problem(exc, db) == "unreadable"
    message = str(sqlite.describe_error(exc, db, "event store", error=StoreError))
    assert "integrity check passes" in message and "corrupt" not in message


@pytest.mark.parametrize(
    ("code", "problem"),
    [(errno.ENOSPC, "full"), (errno.EROFS, "read-only"), (errno.EACCES, "read-only"),
     (errno.ENOENT, "missing"), (errno.EIO, "other")],
)  # fmt: skip
def test_os_errors_are_told_apart(tmp_path, code, problem):
    exc = OSError(code, "simulated", str(tmp_path / "x.sqlite"))
    assert sqlite.problem(exc, tmp_path / "x.sqlite") == problem


def test_a_missing_folder_is_missing(tmp_path):
    path = tmp_path / "nowhere" / "x.sqlite"
    exc = _raised(lambda: sqlite.connect(path, timeout_s=0.1))
    assert sqlite.problem(exc, path) == "missing"
