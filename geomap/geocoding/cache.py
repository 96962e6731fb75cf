"""The persistent geocode cache: every answer, with its provenance, in SQLite.

One file (``config.cache_path()``), separate from the gazetteer so that it
outlives gazetteer rebuilds.  It runs in WAL mode with a busy timeout and every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes can write at
once without losing either's rows.

Each entry (:class:`~geomap.geocoding.entry.CacheEntry`) records the query, its
key and hints, the result or "not found", the provider, the confidence, when it
was made and changed, and whether a person pinned it.  The cache stores; it
does not decide: which pin applies to a query, and that it wins, is the
geocoder's rule (:meth:`geomap.geocoding.Geocoder.pin_for`).  What the cache
does guarantee is that an automatic answer never overwrites a pin.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap import config, sqlite
from geomap.errors import CacheError, ConfigurationError, InputError
from geomap.gazetteer import normalize
from geomap.geo import check_coordinates
from geomap.geocoding.entry import COLUMNS, CacheEntry, now
from geomap.geocoding.keys import cache_key, hints_for
from geomap.geocoding.transfer import read_export, write_export

SCHEMA_VERSION = "1"

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


@dataclass(slots=True)
class ImportReport:
    """What ``import_`` did."""

    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # local pins kept over incoming rows

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.conflicts)


class GeocodeCache:
    """The geocode cache file.  Open with :meth:`open`."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self.path = path
        #: bumped on every write made through this object, so in-process memos
        #: (see geomap.geocoding.geocoder) know when to forget.
        self.generation = 0

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> GeocodeCache:
        """Open (creating if needed) the cache at ``path`` (default ``config.cache_path()``)."""
        path = Path(path) if path is not None else config.cache_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite.connect(path, timeout_s=30.0)
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name='entries'").fetchone():
                con.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        con.execute(statement)
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                con.execute("COMMIT")
            con.execute("SELECT count(*) FROM entries").fetchone()
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"The geocode cache {str(path)!r} is corrupt or unreadable ({exc})."
                " Fix: move it aside (the next run starts a new cache) or point GEOMAP_CACHE"
                " at another file."
            ) from exc
        except OSError as exc:
            raise CacheError(
                f"Cannot create the geocode cache {str(path)!r} ({exc})."
                " Fix: set GEOMAP_CACHE or GEOMAP_DATA_DIR to a writable place."
            ) from exc
        return cls(con, path)

    def close(self) -> None:
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
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"Cannot read the geocode cache {str(self.path)!r} ({exc})."
                " Fix: move the file aside and run again."
            ) from exc
        return [CacheEntry.from_row(r) for r in rows]

    def get(self, key: str) -> CacheEntry | None:
        """The entry stored under ``key`` exactly, or None."""
        found = self._select("WHERE key = ?", (key,))
        return found[0] if found else None

    def pins(self, name: str) -> list[CacheEntry]:
        """Every pin stored for ``name`` (any country), by the name's normalised key."""
        return self._select("WHERE name_key = ? AND pinned = 1", (normalize(name),))

    def entries(self) -> Iterator[CacheEntry]:
        """Every entry, pins included, in key order."""
        yield from self._select("ORDER BY key")

    def __len__(self) -> int:
        return self._con.execute("SELECT count(*) FROM entries").fetchone()[0]

    def stats(self) -> dict[str, Any]:
        """Counts by outcome and provider, plus the file's path and size."""
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
        }

    # -- writing -----------------------------------------------------------

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run ``sql`` for every row in one write transaction (all or nothing)."""
        try:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                self._con.executemany(sql, rows)
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise CacheError(
                f"Cannot write the geocode cache {str(self.path)!r} ({exc})."
                " Fix: check the file is writable and not held by a stuck process."
            ) from exc
        self.generation += 1

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
    ) -> CacheEntry:
        """Pin ``name`` to a point (a manual override that wins everywhere)."""
        lat, lon = check_coordinates(latitude, longitude)
        key = normalize(name)
        if not key:
            raise InputError(
                f"A pin needs a place name, instead got: {name!r}. Fix: give the name to pin."
            )
        if country is not None and not (len(country.strip()) == 2 and country.strip().isalpha()):
            raise ConfigurationError(
                f"The country must be an ISO 3166-1 alpha-2 code, instead got: {country!r}."
                " Fix: use a two-letter code such as SY."
            )
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
        cur = self._con.execute("DELETE FROM entries WHERE key = ? AND pinned = 1", (key,))
        self.generation += 1
        return cur.rowcount > 0

    # -- sharing -----------------------------------------------------------

    def export(self, path: str | os.PathLike[str]) -> int:
        """Write every entry to ``path`` (``.csv`` or ``.json``); returns the count."""
        return write_export(path, self.entries())

    def import_(self, path: str | os.PathLike[str]) -> ImportReport:
        """Merge an exported cache (``.csv`` or ``.json``) into this one.

        Every row is checked first; one bad row rejects the whole file and
        leaves the cache untouched.  Then, in one transaction: new keys are
        added; an unpinned local entry takes the incoming answer when that one
        is newer; a local pin is never replaced: a differing incoming row is
        reported as a conflict instead.
        """
        incoming = read_export(path)
        report = ImportReport(path=str(Path(path)))
        rows: list[tuple[Any, ...]] = []
        for entry in incoming:
            local = self.get(entry.key)
            if local is None:
                report.added += 1
            elif local.to_record() == entry.to_record():
                report.unchanged += 1
                continue
            elif local.pinned and not (entry.pinned and entry.same_answer(local)):
                if local.same_answer(entry):
                    report.unchanged += 1
                else:
                    report.conflicts.append(
                        f"{entry.query!r} [{entry.key}]: kept the local pin"
                        f" ({local.latitude}, {local.longitude}) over the imported"
                        f" {'pin' if entry.pinned else entry.provider} answer"
                        f" ({entry.latitude}, {entry.longitude})"
                    )
                continue
            elif entry.updated > local.updated or (entry.pinned and not local.pinned):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            rows.append(entry.to_row())
        if rows:
            self._write_exact(rows)
        return report

    def _write_exact(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or fully replace rows (created kept as given), in one transaction."""
        sql = (
            f"INSERT OR REPLACE INTO entries ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})"
        )
        self._executemany(sql, rows)
