"""Opening geomap's SQLite files (geocode cache, event store) and saying what went wrong.

Switching a new database to WAL needs an exclusive lock, and SQLite reports
"database is locked" for that switch at once instead of waiting on the busy
timeout.  Two processes that open a fresh file together (two ingests, or an
ingest and a refresh) would then fail; :func:`connect` retries the switch
until the timeout instead.  :func:`connect_read_only` opens a file that
cannot be written (a read-only folder or disk).

:func:`describe_error` is the one place that tells a full disk, a read-only
file or folder and a lock held by another process apart from a corrupt file.
Only a failing ``PRAGMA integrity_check`` makes geomap call a file corrupt
(and only then does the advice say to move it aside).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path
from typing import Literal, TypeVar

from geomap.errors import GeomapError, quote, register_describer, shorten

E = TypeVar("E", bound=GeomapError)

#: What went wrong with a database file ("unreadable": it passes its integrity check).
Problem = Literal["full", "read-only", "locked", "corrupt", "missing", "unreadable", "other"]

# SQLite's primary result codes (https://sqlite.org/rescode.html)
PERM, BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26,
)  # fmt: skip
_BY_CODE: dict[int, Problem] = {
    FULL: "full", READONLY: "read-only", PERM: "read-only", BUSY: "locked",
    LOCKED: "locked",
}  # fmt: skip
#: The codes by message, for Pythons whose exceptions do not carry them (before 3.11).
_BY_TEXT = (
    ("disk is full", FULL), ("readonly", READONLY), ("locked", BUSY), ("busy", BUSY),
    ("malformed", CORRUPT), ("not a database", NOTADB), ("unable to open", CANTOPEN),
    ("disk i/o", IOERR),
)  # fmt: skip
#: Below this much free space, an I/O error is taken for a full disk.
_LOW_SPACE_BYTES = 1 << 20


def connect(path: Path, *, timeout_s: float, page_size: int | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode with a busy timeout and WAL journaling; a new
    file gets pages of ``page_size`` bytes, when given (a file keeps the page size it
    was made with: WAL fixes it).

    Raises :class:`sqlite3.DatabaseError` as sqlite does; callers turn it into
    their own one-line error (see :func:`describe_error`).
    """
    con = sqlite3.connect(
        str(path), timeout=timeout_s, isolation_level=None, check_same_thread=False
    )
    con.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
    if page_size is not None:  # before the switch to WAL, which writes the file's header
        con.execute(f"PRAGMA page_size = {int(page_size)}")
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


def connect_read_only(path: Path, *, timeout_s: float) -> sqlite3.Connection:
    """A read-only connection to an existing file, even in a folder that cannot be written.

    SQLite's read-only mode still needs the WAL index file beside the
    database; where that cannot be created (a read-only folder, a full disk)
    the file is opened as immutable: nothing can change it there.
    """
    uri = path.resolve().as_uri()
    try:
        return _read_only(f"{uri}?mode=ro", timeout_s)
    except sqlite3.OperationalError as exc:
        if result_code(exc) not in (CANTOPEN, IOERR):
            raise
    return _read_only(f"{uri}?mode=ro&immutable=1", timeout_s)


def _read_only(uri: str, timeout_s: float) -> sqlite3.Connection:
    con = sqlite3.connect(uri, uri=True, timeout=timeout_s, isolation_level=None,
                          check_same_thread=False)  # fmt: skip
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        con.execute("PRAGMA query_only = 1")
    except BaseException:
        con.close()
        raise
    return con


def result_code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``exc`` (from its text on Pythons without the code)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((found for needle, found in _BY_TEXT if needle in text), None)


def _writable(path: Path) -> bool:
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def _low_on_space(path: Path) -> bool:
    import shutil  # only on an error path: keeps shutil (bz2, lzma) out of `geomap geocode`

    try:
        return shutil.disk_usage(path.parent).free < _LOW_SPACE_BYTES
    except OSError:
        return False


def integrity(path: Path) -> str:
    """``"ok"``, or what SQLite's ``integrity_check`` says is wrong with the file."""
    try:
        con = connect_read_only(path, timeout_s=5.0)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        con.close()
    return "; ".join(str(r[0]) for r in rows[:5])


def problem(exc: sqlite3.Error | OSError, path: Path | None) -> Problem:
    """What ``exc``, raised while using the database at ``path`` (None: unknown), means."""
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return "full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "read-only"
        return "missing" if exc.errno == errno.ENOENT else "other"
    code = result_code(exc)
    if code in _BY_CODE:
        return _BY_CODE[code]
    if path is None:
        return "other"  # without the file, nothing says whether it is corrupt
    if code == CANTOPEN and not path.parent.is_dir():
        return "missing"
    if code == IOERR and _low_on_space(path):
        return "full"
    if code in (CANTOPEN, IOERR):
        return "other" if _writable(path) else "read-only"
    if not isinstance(exc, sqlite3.DatabaseError) or not path.is_file():
        return "other"
    return "unreadable" if integrity(path) == "ok" else "corrupt"


_ADVICE: dict[Problem, str] = {
    "full": "cannot be written: the disk is full ({cause}). Nothing already stored was lost."
            " Fix: free some space on that disk{other}.",
    "read-only": "cannot be written: the file or its folder is read-only ({cause}). Fix: make"
                 " {folder} writable{other}; commands that only read still work.",
    "locked": "is locked by another process ({cause}). Fix: wait for the other geomap command"
              " to finish (or stop it) and run again.",
    "corrupt": "is corrupt: SQLite's integrity check fails ({cause}). Fix: restore it from a"
               " backup, or move it aside (the next run starts a new one){other}.",
    "missing": "cannot be opened: the file or its folder is missing ({cause}). Fix: check the"
               " path{other}.",
    "unreadable": "cannot be used ({cause}), though its integrity check passes: nothing is"
                  " lost. Fix: check it is the right file and run again{other}.",
    "other": "cannot be used ({cause}). Fix: check the disk and the file's permissions and run"
             " again{other}.",
}  # fmt: skip


def describe_error(
    exc: sqlite3.Error | OSError,
    path: Path | None,
    what: str,
    *,
    error: type[E],
    elsewhere: str = "",
) -> E:
    """A one-line error for ``exc``, raised while using ``what`` (e.g. "geocode cache") at ``path``.

    ``error`` is the class to raise (``CacheError``, ``StoreError``);
    ``elsewhere`` says how to use another file (e.g. "set GEOMAP_CACHE to
    another file").  A full disk, a read-only place and a lock are told
    apart; only a failing integrity check is called corrupt.
    """
    cause = shorten(str(exc).strip() or type(exc).__name__, 200)
    advice = _ADVICE[problem(exc, path)].format(
        cause=cause, folder=quote(str(path.parent), 200) if path else "its folder",
        other=f", or {elsewhere}" if elsewhere else "",
    )  # fmt: skip
    return error(f"The {what} {quote(str(path), 200) if path else ''}".rstrip() + f" {advice}")


def _describe_any(exc: BaseException) -> GeomapError | None:
    """Any SQLite error that reaches the command line unexplained (its file unknown)."""
    if not isinstance(exc, sqlite3.Error):
        return None
    return describe_error(exc, None, "database", error=GeomapError)


register_describer(_describe_any)
