"""What went wrong with the event store's SQLite file, told apart, as one-line errors.

A full disk, a read-only file or folder, a lock held by another process and
a missing folder are told apart from a damaged file, and none of them is
called "corrupt": only SQLite's ``integrity_check`` failing says that
(``geomap store check``).  No message advises moving a store aside.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from geomap import sqlite
from geomap.errors import StoreError

_KIND_BY_CODE = {
    sqlite.FULL: "full", sqlite.READONLY: "read-only", sqlite.PERM: "read-only",
    sqlite.BUSY: "locked", sqlite.LOCKED: "locked", sqlite.CANTOPEN: "cannot open",
    sqlite.IOERR: "i/o", sqlite.NOTADB: "not a database", sqlite.CORRUPT: "damaged",
}  # fmt: skip


def _kind(exc: sqlite3.Error) -> str:
    code = sqlite.result_code(exc)  # geomap.sqlite reads SQLite's result codes, for every file
    if code in _KIND_BY_CODE:
        return _KIND_BY_CODE[code]
    return "constraint" if isinstance(exc, sqlite3.IntegrityError) else "other"


_FIX = {
    "full": ("the disk holding it is full; nothing of this run was written",
             "free some disk space (or pass --store on another disk) and run it again"),
    "read-only": ("the file or its folder is read-only",
                  "make it writable, or pass --store with a writable path; reading commands "
                  "(near, export, map) work on it as it is"),
    "locked": ("another geomap process holds its write lock",
               "wait for that process to finish and run this again"),
    "cannot open": ("SQLite cannot open or create the file there",
                    "check that the folder exists and that you may write to it"),
    "i/o": ("the disk reported an input/output error",
            "check the disk (and its free space), then run this again"),
    "not a database": ("the file is not a SQLite database",
                       "pass --store with the path of a geomap event store"),
    "damaged": ("SQLite reports the file as damaged",
                "run `geomap store check` on it (SQLite's integrity check) before anything else"),
    "constraint": ("a value broke the store's own rules",
                   "run `geomap store check --repair`, and report this if it happens again"),
    "other": ("SQLite failed", "run `geomap store check` on it, then run this again"),
}  # fmt: skip


def store_failure(
    exc: sqlite3.Error, path: Path, doing: str, *, kind: str | None = None
) -> StoreError:
    """A one-line :class:`StoreError` for a SQLite failure while ``doing`` something
    (``kind`` when the caller knows better: "read-only" for a folder it may not write to)."""
    kind = kind or _kind(exc)
    what, fix = _FIX[kind]
    return StoreError(
        f"Cannot {doing} the event store {str(path)!r}: {what} (SQLite: {exc}). Fix: {fix}."
    )


def is_read_only_folder(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because it may not create a file beside the store (its ``-shm``)."""
    return _kind(exc) in ("read-only", "cannot open")
