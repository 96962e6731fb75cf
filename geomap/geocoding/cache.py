"""The persistent geocode cache: every answer, with its provenance, in SQLite.

One file (``config.cache_path()``), separate from the gazetteer so that it
outlives gazetteer rebuilds.  It runs in WAL mode with a busy timeout and every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes can write at
once without losing either's rows.  Automatic answers can also be held
(:meth:`GeocodeCache.remember` with ``hold=True``) and written together by
:meth:`GeocodeCache.settle`: one transaction per document instead of one per
new name.

Each entry (:class:`~geomap.geocoding.entry.CacheEntry`) records the query, its
key and hints, the result or "not found", the provider, the confidence, when it
was made and changed, and whether a person pinned it.  The cache stores; it
does not decide: which pin applies to a query, and that it wins, is the
geocoder's rule (:meth:`geomap.geocoding.Geocoder.pin_for`).  What the cache
does guarantee is that an automatic answer never overwrites a pin.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geomap import config, countries, sqlite
from geomap.errors import CacheError, ConfigurationError, CoordinateError, InputError, quote
from geomap.gazetteer import normalize
from geomap.geo import check_coordinates
from geomap.geocoding.checks import MAX_TEXT_CHARS
from geomap.geocoding.entry import COLUMNS, CacheEntry, now
from geomap.geocoding.imports import ImportReport, plan_import
from geomap.geocoding.keys import cache_key, hints_for
from geomap.geocoding.transfer import read_export, write_export

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
#: How long a write waits for another process's write to finish.
BUSY_TIMEOUT_S = 30.0
#: What an error about the cache file suggests instead of fixing that file.
ELSEWHERE = "set GEOMAP_CACHE to a file elsewhere"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries(
    key TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    name_key TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}',
    latitude REAL,
    longitude REAL,
    geonameid INTEGER,
    found INTEGER NOT NULL,
    provider TEXT NOT NULL,
    confidence REAL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    raw TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS entries_name_key ON entries(name_key, pinned);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
"""

__all__ = ["GeocodeCache", "ImportReport"]


def _create_schema(con: sqlite3.Connection) -> None:
    if con.execute("SELECT 1 FROM sqlite_master WHERE name='entries'").fetchone():
        return
    con.execute("BEGIN IMMEDIATE")
    for statement in _SCHEMA.strip().split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    con.execute("COMMIT")


def _open_writable(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite.connect(path, timeout_s=BUSY_TIMEOUT_S)
    try:
        _create_schema(con)
        con.execute("SELECT count(*) FROM entries").fetchone()
    except BaseException:
        con.close()
        raise
    return con


def _open_read_only(path: Path) -> sqlite3.Connection:
    """The file as it is, or (when there is none yet) an empty cache in memory."""
    if path.is_file():
        con = sqlite.connect_read_only(path, timeout_s=BUSY_TIMEOUT_S)
        if con.execute("SELECT 1 FROM sqlite_master WHERE name='entries'").fetchone():
            return con
        con.close()
    con = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _create_schema(con)
    return con


class GeocodeCache:
    """The geocode cache file.  Open with :meth:`open`.

    ``unwritable`` is why the file cannot be written (empty when it can): a
    cache in a read-only place or on a full disk is opened read-only, answers
    from it still work, and new answers are not stored (:meth:`remember`
    notes that once); explicit writes (pins, imports) raise the reason.
    """

    def __init__(self, con: sqlite3.Connection, path: Path, *, unwritable: str = "") -> None:
        self._con = con
        self.path = path
        self.unwritable = unwritable
        self._noted = False
        #: bumped on every write made through this object, so in-process memos
        #: (see geomap.geocoding.geocoder) know when to forget.
        self.generation = 0
        #: automatic answers held by :meth:`remember` until :meth:`settle`, by key
        self._pending: dict[str, CacheEntry] = {}

    @property
    def read_only(self) -> bool:
        """Whether nothing can be written (a read-only file or folder, a full disk)."""
        return bool(self.unwritable)

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> GeocodeCache:
        """Open (creating if needed) the cache at ``path`` (default ``config.cache_path()``).

        Where the file or its folder cannot be written (read-only, or a full
        disk), the cache is opened read-only (see :attr:`read_only`) instead
        of failing.
        """
        path = Path(path) if path is not None else config.cache_path()
        try:
            return cls(_open_writable(path), path)
        except (sqlite3.Error, OSError) as exc:
            failure = exc
        if sqlite.problem(failure, path) in ("read-only", "full"):
            try:
                con = _open_read_only(path)
            except (sqlite3.Error, OSError):
                pass
            else:
                return cls(con, path, unwritable=str(cls._error(failure, path)))
        raise cls._error(failure, path) from failure

    @staticmethod
    def _error(exc: sqlite3.Error | OSError, path: Path) -> CacheError:
        return sqlite.describe_error(exc, path, "geocode cache", error=CacheError,
                                     elsewhere=ELSEWHERE)  # fmt: skip

    def close(self) -> None:
        self.settle()
        self._con.close()

    def __enter__(self) -> GeocodeCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------

    def _select(self, where: str, params: tuple[object, ...] = ()) -> list[CacheEntry]:
        try:
            rows = self._con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM entries {where}", params
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc, self.path) from exc
        return [CacheEntry.from_row(r) for r in rows]

    def get(self, key: str) -> CacheEntry | None:
        """The entry stored under ``key`` exactly, or None."""
        if self._pending and key in self._pending:
            self.settle()
        found = self._select("WHERE key = ?", (key,))
        return found[0] if found else None

    def pins(self, name: str) -> list[CacheEntry]:
        """Every pin stored for ``name`` (any country), by the name's normalised key."""
        if self._pending and any(e.pinned for e in self._pending.values()):
            self.settle()
        return self._select("WHERE name_key = ? AND pinned = 1", (normalize(name),))

    def entries(self) -> Iterator[CacheEntry]:
        """Every entry, pins included, in key order."""
        self.settle()
        yield from self._select("ORDER BY key")

    def __len__(self) -> int:
        self.settle()
        try:
            return int(self._con.execute("SELECT count(*) FROM entries").fetchone()[0])
        except sqlite3.Error as exc:
            raise self._error(exc, self.path) from exc

    def stats(self) -> dict[str, Any]:
        """Counts by outcome and provider, plus the file's path and size."""
        self.settle()
        try:
            return self._stats()
        except sqlite3.Error as exc:
            raise self._error(exc, self.path) from exc

    def _stats(self) -> dict[str, Any]:
        con = self._con
        total, found, pinned = con.execute(
            "SELECT count(*), coalesce(sum(found), 0), coalesce(sum(pinned), 0) FROM entries"
        ).fetchone()
        providers = dict(
            con.execute(
                "SELECT provider, count(*) FROM entries GROUP BY provider ORDER BY provider"
            )
        )
        oldest, newest = con.execute("SELECT min(updated), max(updated) FROM entries").fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path),
            "entries": total,
            "found": found,
            "not_found": total - found,
            "pinned": pinned,
            "providers": providers,
            "oldest": oldest,
            "newest": newest,
            "size_bytes": size,
            "read_only": self.read_only,
        }

    # -- writing -----------------------------------------------------------

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> int:
        """Run ``sql`` for every row in one write transaction (all or nothing); rows changed."""
        self.settle()  # held answers first: writes land in the order they were made
        if self.unwritable:
            raise CacheError(self.unwritable)
        try:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                cur = self._con.executemany(sql, rows)
                self._con.execute("COMMIT")
            except BaseException:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._error(exc, self.path) from exc
        self.generation += 1
        return cur.rowcount

    def _write(self, rows: list[tuple[Any, ...]], *, replace_pins: bool) -> None:
        # never overwrite a pin with an automatic answer
        guard = "" if replace_pins else " WHERE entries.pinned = 0 OR excluded.pinned = 1"
        sql = (
            f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
            " ON CONFLICT(key) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("key", "created"))
            + guard
        )
        self._executemany(sql, rows)

    def put(self, entry: CacheEntry) -> None:
        """Store an answer.  A pinned entry is never replaced by an unpinned one."""
        self.put_many([entry])

    def remember(self, entry: CacheEntry, *, hold: bool = False) -> bool:
        """Store an automatic answer; False (noted once) when the cache cannot be written.

        A write that fails (a full disk, a lock held too long) makes the cache
        read-only for the rest of this session: the answers still work.
        ``hold``: keep it in memory until :meth:`settle` (every read sees it
        meanwhile), so that a document's new answers take one write.
        """
        if not self.unwritable:
            if hold:
                stamp = now()  # stamped when made, as put() would have
                entry.created = entry.created or stamp
                entry.updated = entry.updated or stamp
                self._pending[entry.key] = entry
                self.generation += 1  # what the geocoder's memo sees of a write
                return True
            try:
                self.put(entry)
                return True
            except CacheError as exc:
                self.unwritable = str(exc)
        self._note_unwritable()
        return False

    def _note_unwritable(self) -> None:
        if not self._noted:
            log.warning("New answers are not stored: %s", self.unwritable)
            self._noted = True

    def settle(self) -> None:
        """Write the answers :meth:`remember` holds, in one transaction (they counted as
        writes when made).  A failure makes the cache read-only, as in :meth:`remember`."""
        if not self._pending:
            return
        rows = [entry.to_row() for entry in self._pending.values()]
        self._pending.clear()
        generation = self.generation
        try:
            self._write(rows, replace_pins=False)
        except CacheError as exc:
            self.unwritable = str(exc)
            self._note_unwritable()
        self.generation = generation

    def put_many(self, entries: Iterable[CacheEntry]) -> None:
        """Store answers in one transaction (pins are kept, as with :meth:`put`)."""
        stamp = now()
        rows = []
        for entry in entries:
            entry.created = entry.created or stamp
            entry.updated = entry.updated or stamp
            rows.append(entry.to_row())
        self._write(rows, replace_pins=False)

    def pin(
        self,
        name: str,
        latitude: float | str,
        longitude: float | str,
        *,
        country: str | None = None,
        force: bool = False,
    ) -> CacheEntry:
        """Pin ``name`` to a point (a manual override that wins everywhere).

        The point is checked as ingest checks a row: in range, and (with a
        ``country``) inside that country, where a point outside whose swap lies
        inside is called swapped.  ``force`` pins a point outside its country
        anyway; a point out of range is never pinned.
        """
        lat, lon = check_coordinates(latitude, longitude)
        key = normalize(name)
        if not key or len(name) > MAX_TEXT_CHARS:
            what = "a place name" if not key else f"a name of at most {MAX_TEXT_CHARS:,} characters"
            raise InputError(
                f"A pin needs {what}, instead got: {quote(name)}. Fix: give the name to pin."
            )
        if country is not None and not (len(country.strip()) == 2 and country.strip().isalpha()):
            raise ConfigurationError(
                f"The country must be an ISO 3166-1 alpha-2 code, instead got: {quote(country)}."
                " Fix: use a two-letter code such as SY."
            )
        if country is not None and not force:
            _check_pin_country(name, lat, lon, country.strip().upper())
        pin_key = cache_key(name, country=country)
        old = self.get(pin_key)
        stamp = now()
        entry = CacheEntry(
            key=pin_key,
            query=name,
            name_key=key,
            hints=hints_for(country=country),
            latitude=lat,
            longitude=lon,
            geonameid=None,
            found=True,
            provider="pin",
            confidence=1.0,
            created=old.created if old else stamp,
            updated=stamp,
            pinned=True,
            raw={"name": name},
        )
        self._write([entry.to_row()], replace_pins=True)
        return entry

    def unpin(self, name: str, *, country: str | None = None) -> bool:
        """Remove a pin; True when there was one."""
        key = cache_key(name, country=country)
        return self._executemany("DELETE FROM entries WHERE key = ? AND pinned = 1", [(key,)]) > 0

    # -- sharing -----------------------------------------------------------

    def export(self, path: str | os.PathLike[str]) -> int:
        """Write every entry to ``path`` (``.csv`` or ``.json``); returns the count."""
        return write_export(path, self.entries())

    def import_(self, path: str | os.PathLike[str], *, accept_pins: bool = False) -> ImportReport:
        """Merge an exported cache (``.csv`` or ``.json``) into this one.

        Every row is checked first (:mod:`~geomap.geocoding.checks`); one bad
        row rejects the whole file and leaves the cache untouched.  Then, in
        one transaction: new keys are added; an unpinned local entry takes the
        incoming answer when that one is newer; a local pin is never replaced:
        a differing incoming row is reported as a conflict instead.  Pins in
        the file are taken only with ``accept_pins`` (otherwise they are listed
        in :attr:`ImportReport.pins`).
        """
        incoming = read_export(path)
        report = ImportReport(path=str(Path(path)))
        writes = plan_import(incoming, self.get, report, accept_pins=accept_pins)
        if writes:
            self._write_exact([e.to_row() for e in writes])
        return report

    def _write_exact(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or fully replace rows (created kept as given), in one transaction."""
        sql = (
            f"INSERT OR REPLACE INTO entries ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})"
        )
        self._executemany(sql, rows)


def _check_pin_country(name: str, latitude: float, longitude: float, country: str) -> None:
    """Refuse a pin outside its country (ingest's rule and tolerance)."""
    try:
        countries.check_in_country(latitude, longitude, country)
    except CoordinateError as exc:
        detail, _, fix = str(exc).partition(" Fix: ")
        raise CoordinateError(
            f"The pin for {quote(name)} was refused: {detail.rstrip('.')}. Fix: {fix.rstrip('.')}"
            " (or pin it anyway with --force)."
        ) from None
