"""The event store: one SQLite file with R*Tree spatial indexes.

Default location: ``config.store_path()`` (``$GEOMAP_STORE``, else
``<data dir>/events.sqlite``); ``--store PATH`` picks another file.  The
tables are described in :mod:`geomap.store.schema`.

Every write runs in ONE ``BEGIN IMMEDIATE`` transaction (WAL journal,
``busy_timeout``), so concurrent writers queue instead of failing, and a
killed writer leaves the last committed state.  Rows are appended or updated
in place; the file is never rewritten.  A store opened with
``read_only=True`` goes through SQLite's read-only mode: nothing, not even
a schema migration, is written, and every write raises :class:`StoreError`.

Re-locating rows (a geocode refresh): :meth:`EventStore.geocode_keys`,
:meth:`~EventStore.source_placements` and :meth:`~EventStore.mention_placements`
tell which rows a cache key placed; :meth:`~EventStore.upsert_events` with the
moved rows, inside :meth:`~EventStore.transaction`, recomputes the dedup groups
and both R*Trees in the same transaction; :meth:`~EventStore.record_bases`
keeps the answer each row was moved to.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geomap import config, sqlite
from geomap.errors import StoreError
from geomap.model import Article, Event, EventFilter, Mention, Place
from geomap.store import groups, placements, schema
from geomap.store.placements import Basis, Placement
from geomap.store.rows import EVENT_READ_COLUMNS, SqlValue, chunks, event_from_row, marks

_BUSY_MS = 60_000


class EventStore:
    """Documents, mentions, source rows and merged events in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False):
        self._conn = conn
        self.path = path
        self.read_only = read_only
        self._depth = 0

    # -- opening --------------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, read_only: bool = False
    ) -> EventStore:
        """Open the store at ``path`` or ``config.store_path()``.

        Created (or an older one migrated) when needed; with ``read_only``
        the file must exist and is never changed.
        """
        p = Path(path) if path is not None else config.store_path()
        if p.exists() and p.is_dir():
            raise StoreError(
                f"The event store path is a directory, instead got: {str(p)!r}. "
                "Fix: pass a file path with --store (e.g. events.sqlite)."
            )
        return cls._open_read_only(p) if read_only else cls._open_writable(p)

    @classmethod
    def _open_writable(cls, p: Path) -> EventStore:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite.connect(p, timeout_s=_BUSY_MS / 1000)
            _tune(conn)
            store = cls(conn, p)
            if schema.schema_version(conn) == schema.SCHEMA_VERSION:
                return store  # no write lock needed: readers never wait for a writer
            with store.transaction():
                schema.create_or_migrate(conn, p)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"Cannot open the event store {str(p)!r}: {exc}. "
                "Fix: check the file is a geomap store (or move it away) and retry."
            ) from exc
        return store

    @classmethod
    def _open_read_only(cls, p: Path) -> EventStore:
        if not p.is_file():
            raise StoreError(
                f"There is no event store at {str(p)!r}. "
                "Fix: ingest something first (`geomap ingest FILE`) or pass --store PATH."
            )
        try:
            conn = sqlite3.connect(
                f"{p.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                timeout=_BUSY_MS / 1000, check_same_thread=False,
            )  # fmt: skip
            _tune(conn)
            version = schema.schema_version(conn)
            if version is None:
                raise sqlite3.DatabaseError("no geomap schema version in it")
            schema.check_not_newer(version, p)
        except (sqlite3.DatabaseError, StoreError) as exc:
            with contextlib.suppress(UnboundLocalError):
                conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(
                f"Cannot read the event store {str(p)!r}: {exc}. "
                "Fix: check it is a geomap store (run `geomap ingest` once to create it)."
            ) from exc
        return cls(conn, p, read_only=True)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection, for diagnostics (geomap itself goes through the methods)."""
        return self._conn

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"The event store {str(self.path)!r} was opened read-only; nothing can be "
                "written to it. Fix: open it without read_only (or drop --dry-run)."
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
        self._check_writable()
        if self._depth:
            self._depth += 1
            try:
                yield self._conn
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"The event store {str(self.path)!r} is locked or read-only: {exc}. "
                "Fix: wait for the other geomap process to finish, or check file permissions."
            ) from exc
        self._depth = 1
        try:
            yield self._conn
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    # -- documents and mentions ----------------------------------------------
    def add_document(self, article: Article) -> str:
        """Store an article's metadata and text (replacing an earlier copy); returns its id.

        An article read back from extract JSON has no text: NULL is stored.
        """
        doc_id = article.doc_id
        if not doc_id:
            raise StoreError(
                f"A document needs a doc_id, instead got: {doc_id!r}. Fix: read it with "
                "geomap.text.read_article()."
            )
        values = [str(doc_id), article.title, article.date, article.source, article.url,
                  str(article.path) if article.path is not None else None,
                  article.text or None]  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO documents (doc_id, title, date, source, url, path, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
                "title=excluded.title, date=excluded.date, source=excluded.source, "
                "url=excluded.url, path=excluded.path, text=excluded.text",
                values,
            )
        return str(doc_id)

    def documents(self) -> list[dict[str, Any]]:
        cur = self._conn.execute(
            "SELECT doc_id, title, date, source, url, path, added_at FROM documents ORDER BY doc_id"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]

    def add_mentions(self, mentions: Iterable[Mention]) -> int:
        rows = []
        for m in mentions:
            place = dataclasses.asdict(m.place) if m.place is not None else None
            rows.append(
                (
                    m.doc_id, m.text, m.span_start, m.span_end,
                    m.place.geonameid if m.place is not None else None,
                    json.dumps(place) if place else None,
                    m.latitude, m.longitude, m.geo_precision, m.confidence, m.role,
                    m.reason, m.cache_key,
                )
            )  # fmt: skip
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO mentions (doc_id, text, span_start, span_end, geonameid, place, "
                "latitude, longitude, geo_precision, confidence, role, reason, cache_key) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (doc_id, span_start, span_end) "
                "DO UPDATE SET text=excluded.text, geonameid=excluded.geonameid, "
                "place=excluded.place, latitude=excluded.latitude, longitude=excluded.longitude, "
                "geo_precision=excluded.geo_precision, confidence=excluded.confidence, "
                "role=excluded.role, reason=excluded.reason, cache_key=excluded.cache_key",
                rows,
            )
        return len(rows)

    def mentions(self, doc_id: str | None = None, *, cache_key: str | None = None) -> list[Mention]:
        sql = (
            "SELECT doc_id, text, span_start, span_end, place, latitude, longitude, "
            "geo_precision, confidence, role, reason, cache_key FROM mentions"
        )
        clauses, params = [], []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if cache_key is not None:
            clauses.append("cache_key = ?")
            params.append(cache_key)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        out = []
        for r in self._conn.execute(sql + " ORDER BY doc_id, span_start", params):
            place = Place(**json.loads(r[4])) if r[4] else None
            out.append(
                Mention(
                    doc_id=r[0], text=r[1], span_start=r[2], span_end=r[3], place=place,
                    latitude=r[5], longitude=r[6], geo_precision=r[7], confidence=r[8] or 0.0,
                    role=r[9] or "mentioned", reason=r[10] or "", cache_key=r[11] or "",
                )
            )  # fmt: skip
        return out

    # -- events ---------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event], *, batch_size: int = 5000) -> int:
        """Insert or update source rows by ``event_id``, then recompute their dedup groups.

        Each batch is one transaction (or part of the caller's
        :meth:`transaction`).  Returns the number of rows written.
        """
        self._check_writable()
        n = 0
        batch: list[Event] = []
        for event in events:
            batch.append(event)
            if len(batch) >= batch_size:
                n += self._upsert_batch(batch)
                batch = []
        if batch:
            n += self._upsert_batch(batch)
        return n

    def _upsert_batch(self, events: list[Event]) -> int:
        unique = groups.prepare(events)
        with self.transaction() as conn:
            groups.write_sources(conn, unique)
        return len(unique)

    def delete_events(self, event_ids: Iterable[str]) -> int:
        """Remove source rows by event_id (and regroup what they belonged to)."""
        ids = list(event_ids)
        with self.transaction() as conn:
            return groups.delete_sources(conn, ids)

    # -- reading --------------------------------------------------------------
    def events(self, flt: EventFilter | None = None) -> list[Event]:
        """Merged events, filtered, by date then id."""
        where, params = flt.sql() if flt is not None else ("", [])
        sql = f"SELECT {','.join('e.' + c for c in EVENT_READ_COLUMNS)} FROM events e"
        if where:
            sql += " WHERE " + where
        sql += " ORDER BY e.event_date IS NULL, e.event_date, e.event_id"
        limit = flt.limit if flt is not None else None
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [event_from_row(r, EVENT_READ_COLUMNS) for r in self._conn.execute(sql, params)]

    def event(self, event_id: str) -> Event | None:
        cur = self._conn.execute(
            f"SELECT {','.join(EVENT_READ_COLUMNS)} FROM events WHERE event_id = ?", (event_id,)
        )
        row = cur.fetchone()
        return event_from_row(row, EVENT_READ_COLUMNS) if row else None

    def sources(
        self, event_id: str | None = None, *, geocode_keys: Iterable[str] | None = None
    ) -> list[Event]:
        """Source rows: all, those merged into ``event_id``, or those placed by ``geocode_keys``."""
        cols = ["event_id", *schema.DATA_COLUMNS, "extra", "group_id"]
        sql = f"SELECT {','.join(cols)} FROM event_sources"
        if geocode_keys is not None and event_id is None:
            keys = list(geocode_keys)
            out: list[Event] = []
            for chunk in chunks(keys):
                cur = self._conn.execute(sql + f" WHERE geocode_key IN ({marks(chunk)})", chunk)
                out.extend(_with_group(r, cols) for r in cur)
            return out
        params: list[str] = []
        if event_id is not None:
            sql += " WHERE group_id = ?"
            params.append(event_id)
        cur = self._conn.execute(sql + " ORDER BY event_id", params)
        return [_with_group(r, cols) for r in cur]

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def count_sources(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM event_sources").fetchone()[0])

    def rows_in_boxes(
        self, boxes: Sequence[tuple[float, float, float, float]], flt: EventFilter | None = None
    ) -> tuple[list[str], list[tuple[SqlValue, ...]]]:
        """Merged events whose point falls in any box (R*Tree), with the filter applied."""
        where, fparams = flt.sql() if flt is not None else ("", [])
        cols = EVENT_READ_COLUMNS
        sql = (
            f"SELECT {','.join('e.' + c for c in cols)} FROM events_rtree r "
            "JOIN events e ON e.rowid = r.id "
            "WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ?"
        )
        if where:
            sql += " AND " + where
        rows: list[tuple[SqlValue, ...]] = []
        seen: set[str] = set()
        for lo0, lo1, la0, la1 in boxes:
            for r in self._conn.execute(sql, (lo1, lo0, la1, la0, *fparams)):
                if r[0] not in seen:
                    seen.add(r[0])
                    rows.append(r)
        return list(cols), rows

    # -- checking ---------------------------------------------------------------
    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def check_indexes(self) -> list[str]:
        """Inconsistencies between the tables and their R*Trees (empty when sound)."""
        return groups.index_problems(self._conn)

    # -- placements: what a geocode refresh reads and records --------------------
    def geocode_keys(self) -> list[str]:
        """Every geocode cache key a source row or a mention was placed by, sorted."""
        return placements.geocode_keys(self._conn)

    def source_placements(self) -> list[Placement]:
        """Point, precision, origin and cache key of every source row placed by a cache key."""
        return placements.source_placements(self._conn)

    def mention_placements(self) -> list[Placement]:
        """Point, precision and cache key of every mention placed by a cache key."""
        return placements.mention_placements(self._conn)

    def recorded_bases(self) -> list[Basis]:
        """The answer each re-located row was last placed with."""
        return placements.read_bases(self._conn)

    def record_bases(self, bases: Iterable[Basis]) -> int:
        """Record the answer each row was placed with (one transaction, or the caller's)."""
        with self.transaction() as conn:
            return placements.write_bases(conn, bases)


def _tune(conn: sqlite3.Connection) -> None:
    # 64 MB page cache: index and R*Tree inserts into a large store stay in memory
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")


def _with_group(row: Sequence[SqlValue], cols: Sequence[str]) -> Event:
    e = event_from_row(row, cols)
    e.extra["group_id"] = row[-1]
    return e
