"""Opening geomap's SQLite files (geocode cache, event store) for several processes.

Switching a new database to WAL needs an exclusive lock, and SQLite reports
"database is locked" for that switch at once instead of waiting on the busy
timeout.  Two processes that open a fresh file together (two ingests, or an
ingest and a refresh) would then fail; :func:`connect` retries the switch
until the timeout instead.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect(path: Path, *, timeout_s: float) -> sqlite3.Connection:
    """A connection in autocommit mode with a busy timeout and WAL journaling.

    Raises :class:`sqlite3.DatabaseError` as sqlite does; callers turn it into
    their own one-line error.
    """
    con = sqlite3.connect(
        str(path), timeout=timeout_s, isolation_level=None, check_same_thread=False
    )
    con.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
    deadline = time.monotonic() + timeout_s
    delay = 0.01
    while True:
        try:
            con.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                con.close()
                raise
            if time.monotonic() > deadline:
                con.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    con.execute("PRAGMA synchronous = NORMAL")
    return con
