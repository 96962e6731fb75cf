"""Opening the store's SQLite file: writable (its folder made only where allowed) or read-only.

A writable open creates a missing file, but its missing parent folders only
inside the data directory, or with ``make_dirs`` (``--create``): a typo in
``--store`` never leaves folders behind.  A read-only open needs the file,
and works in a folder geomap may not write to: where SQLite cannot make its
``-shm`` file there, the file is opened as immutable (safe as long as no
committed changes wait in a ``-wal`` file, which is checked).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from geomap import config, sqlite
from geomap.errors import StoreError
from geomap.store import schema
from geomap.store.failures import is_read_only_folder, store_failure

#: How long a writer waits for another one's lock.
BUSY_MS = 60_000
#: The page size of a new store, in bytes (SQLite's default is 4096).  Its indexes and
#: R*Tree grow by random inserts, and with larger pages their B-trees are shallower and
#: split less often: the store's SQLite alone writes 1,000,000 rows in 32-36 CPU-seconds
#: against 40-41 with 4096-byte pages, with a third less system time, in a file 4%
#: smaller (at 100,000 rows it costs a little more: 2.5-2.8 against 2.4-2.6 s).  An
#: R*Tree node still holds at most 51 entries, whatever the page size.
PAGE_SIZE = 16_384


def connect_writable(p: Path, *, make_dirs: bool = False) -> tuple[sqlite3.Connection, int | None]:
    """A writable connection to the store at ``p`` (created when missing), and its version."""
    _make_parent(p, make_dirs)
    try:
        conn = sqlite.connect(p, timeout_s=BUSY_MS / 1000, page_size=PAGE_SIZE)
        _tune(conn)
        version = schema.schema_version(conn)
    except sqlite3.DatabaseError as exc:
        read_only = p.exists() and not os.access(p.parent, os.W_OK)
        raise store_failure(exc, p, "open", kind="read-only" if read_only else None) from exc
    return conn, version


def connect_read_only(p: Path) -> sqlite3.Connection:
    """A read-only connection to the store at ``p``, which must exist and be a geomap store."""
    if not p.is_file():
        raise StoreError(
            f"There is no event store at {str(p)!r}. Fix: check the path, or ingest "
            "something first (`geomap ingest FILE --store PATH`): only ingest creates a store."
        )
    try:
        try:
            conn = _connect_read_only(p, immutable=False)
        except sqlite3.OperationalError as exc:
            if not is_read_only_folder(exc) or _wal_pending(p):
                raise
            conn = _connect_read_only(p, immutable=True)  # a folder no one writes to
        version = schema.schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise store_failure(exc, p, "read") from exc
    if version is None:
        conn.close()
        raise StoreError(
            f"Cannot read the event store {str(p)!r}: it has no geomap schema version. "
            "Fix: pass --store with the path of a geomap event store."
        )
    try:
        schema.check_not_newer(version, p)
    except StoreError:
        conn.close()
        raise
    return conn


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _make_parent(p: Path, make_dirs: bool) -> None:
    """Create the store's folder: inside the data directory, or when asked."""
    if p.parent.is_dir():
        return
    if not (make_dirs or _inside(p.parent, config.data_dir())):
        raise StoreError(
            f"The folder of the event store {str(p)!r} does not exist. Fix: check the path "
            "(a typo?), create the folder, or pass --create to let geomap create it."
        )
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the folder {str(p.parent)!r} for the event store: {exc.strerror}. "
            "Fix: check the path and that you may write there."
        ) from exc


def _connect_read_only(p: Path, *, immutable: bool) -> sqlite3.Connection:
    mode = "immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(
        f"{p.resolve().as_uri()}?{mode}", uri=True, isolation_level=None,
        timeout=BUSY_MS / 1000, check_same_thread=False,
    )  # fmt: skip
    try:
        _tune(conn)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _wal_pending(p: Path) -> bool:
    """Whether committed changes may wait in the store's ``-wal`` file."""
    wal = p.with_name(p.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _tune(conn: sqlite3.Connection) -> None:
    # 64 MB page cache: index and R*Tree inserts into a large store stay in memory
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")


