"""The event store: one SQLite file with R*Tree spatial indexes.

Default location: ``config.store_path()`` (``$GEOMAP_STORE``, else
``<data dir>/events.sqlite``); ``--store PATH`` picks another file.  The
tables are described in :mod:`geomap.store.schema`.

Every write runs in ONE ``BEGIN IMMEDIATE`` transaction (WAL journal,
``busy_timeout``), so concurrent writers queue instead of failing, and a
killed writer leaves the last committed state.  Rows are appended or updated
in place; the file is never rewritten.  Every event, mention and document
goes through :mod:`geomap.store.validate` on its way in.  A SQLite failure
becomes a one-line :class:`StoreError` that tells a full disk, a read-only
file, a lock and a damaged file apart (:mod:`geomap.store.failures`).

Opening: a writable open creates a missing store, but creates missing
parent folders only inside the data directory (or with ``make_dirs``).  A
store opened with ``read_only=True`` must exist and goes through SQLite's
read-only mode: nothing, not even a schema migration, is written, and every
write raises :class:`StoreError`.  In a folder it may not write to (where
SQLite cannot make its ``-shm`` file) it is opened as immutable, which is
safe as long as no committed changes wait in a ``-wal`` file.  An older
store read this way is read as it keeps its events (before version 4, every
event in ``events``: :mod:`geomap.store.views`) and through the checks of the
current one: a row that breaks them is left out, and so are context figures.

Re-locating rows (a geocode refresh): :meth:`EventStore.geocode_keys`,
:meth:`~EventStore.source_placements` and :meth:`~EventStore.mention_placements`
tell which rows a cache key placed; :meth:`~EventStore.upsert_events` with the
moved rows, inside :meth:`~EventStore.transaction`, recomputes the dedup groups
and the R*Trees in the same transaction; :meth:`~EventStore.record_bases`
keeps the answer each row was moved to.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geomap import config
from geomap.errors import InputError, StoreError
from geomap.formats.limits import clip
from geomap.model import Article, Event, EventFilter, Mention
from geomap.store import (
    documents,
    groups,
    migrate,
    opening,
    placements,
    quarantine,
    rtrees,
    schema,
    views,
    writes,
)
from geomap.store.extra import KeyLists, key_lists
from geomap.store.failures import store_failure
from geomap.store.placements import Basis, Placement
from geomap.store.rows import SqlValue, chunks, event_from_row, marks
from geomap.store.validate import InvalidValue, clean_article, clean_mention
from geomap.store.writes import WriteResult

#: A source row's group as readers see it: a row alone in its group is its own.
_GROUP = "CASE WHEN is_context = 0 THEN COALESCE(group_id, event_id) END"
#: How SQLite's integrity check names a row that breaks a constraint (not damage).
_CONSTRAINT_FAILED = ("CHECK constraint failed", "NOT NULL constraint failed")


class EventStore:
    """Documents, mentions, source rows and merged events in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False):
        self._conn = conn
        self.path = path
        self.read_only = read_only
        self._depth = 0
        version = schema.schema_version(conn)
        #: What a read of merged events adds to its WHERE: nothing for a current store;
        #: for an older one (read-only) the current checks, and no context figures.
        self._guard = "" if version is None or version >= schema.SCHEMA_VERSION else (
            f"e.is_context = 0 AND {quarantine.good_rows_sql('events')}"
        )
        #: An older store (read-only) keeps every event in ``events`` (see :mod:`views`).
        self._legacy = version is not None and version < schema.ONE_ROW_VERSION
        #: The schema version it is read as (a new store is made at the current one).
        self._version = schema.SCHEMA_VERSION if version is None else version

    # -- opening --------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        make_dirs: bool = False,
    ) -> EventStore:
        """Open the store at ``path`` or ``config.store_path()``.

        Created (or an older one migrated) when needed; its missing parent
        folders are made only inside the data directory, or with
        ``make_dirs``.  With ``read_only`` the file must exist and is never
        changed.
        """
        p = Path(path) if path is not None else config.store_path()
        if p.exists() and p.is_dir():
            raise StoreError(
                f"The event store path is a directory, instead got: {str(p)!r}. "
                "Fix: pass a file path with --store (e.g. events.sqlite)."
            )
        return cls._open_read_only(p) if read_only else cls._open_writable(p, make_dirs)

    @classmethod
    def _open_writable(cls, p: Path, make_dirs: bool) -> EventStore:
        conn, version = opening.connect_writable(p, make_dirs=make_dirs)
        store = cls(conn, p)
        if version != schema.SCHEMA_VERSION:
            with store.transaction("create or upgrade"):
                migrate.create_or_migrate(conn, p)
            store._guard, store._legacy, store._version = "", False, schema.SCHEMA_VERSION
        return store

    @classmethod
    def _open_read_only(cls, p: Path) -> EventStore:
        return cls(opening.connect_read_only(p), p, read_only=True)

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
    def transaction(self, doing: str = "write to") -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one.

        A SQLite failure inside it rolls everything back and raises a
        one-line :class:`StoreError` saying what happened (``doing`` names
        the work in it).
        """
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
        except sqlite3.Error as exc:
            raise store_failure(exc, self.path, doing) from exc
        self._depth = 1
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_failure(exc, self.path, doing) from exc
            raise
        finally:
            self._depth = 0

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """Reads: a SQLite failure becomes a one-line :class:`StoreError`."""
        try:
            yield self._conn
        except sqlite3.ProgrammingError:
            raise  # a closed store, say: a bug in the caller, not in the file
        except sqlite3.Error as exc:
            raise store_failure(exc, self.path, "read") from exc

    # -- documents and mentions ----------------------------------------------
    def add_document(self, article: Article) -> str:
        """Store an article's metadata and text (replacing an earlier copy); returns its id.

        An article read back from extract JSON has no text: NULL is stored.  A
        field the store cannot hold raises :class:`~geomap.errors.InputError`.
        """
        doc_id = article.doc_id
        if not doc_id:
            raise StoreError(
                f"A document needs a doc_id, instead got: {doc_id!r}. Fix: read it with "
                "geomap.text.read_article()."
            )
        try:
            clean_article(article)
        except InvalidValue as exc:
            raise InputError(
                f"The document {clip(doc_id)} cannot be stored: {exc}. Fix: correct that field."
            ) from None
        with self.transaction() as conn:
            documents.write_document(conn, article)
        return str(article.doc_id)

    def documents(self) -> list[dict[str, Any]]:
        with self._reading() as conn:
            return documents.read_documents(conn)

    def add_mentions(
        self, mentions: Iterable[Mention], *, rejected: list[tuple[int, str]] | None = None
    ) -> int:
        """Store place mentions (by document and span); returns how many were written.

        A mention the store cannot hold raises :class:`StoreError`, or, given
        a ``rejected`` list, is left out and added to it as (position, reason).
        """
        good: list[Mention] = []
        for i, m in enumerate(mentions):
            try:
                good.append(clean_mention(m))
            except InvalidValue as exc:
                if rejected is None:
                    raise StoreError(
                        f"A mention cannot be stored: {exc}. Fix: correct that field."
                    ) from None
                rejected.append((i, str(exc)))
        with self.transaction() as conn:
            documents.write_mentions(conn, good)
        return len(good)

    def mentions(self, doc_id: str | None = None, *, cache_key: str | None = None) -> list[Mention]:
        """Place mentions, of one document or placed by one cache key, by document and span."""
        with self._reading() as conn:
            return documents.read_mentions(conn, doc_id, cache_key, checked=bool(self._guard))

    # -- events ---------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event], *, batch_size: int = 5000) -> int:
        """Insert or update source rows by ``event_id``, then recompute their dedup groups.

        Every row is checked first (:mod:`geomap.store.validate`); one that
        fails raises :class:`StoreError` and nothing of its batch is written.
        Each batch is one transaction (or part of the caller's
        :meth:`transaction`).  Returns the number of rows written.  Ingest
        goes through :meth:`add_events`, which never overwrites silently.
        """
        self._check_writable()
        n = 0
        for batch in _batches(events, batch_size):
            good, bad = writes.check_events(batch)
            if bad:
                raise StoreError(
                    f"Event {n + bad[0][0] + 1} of the batch cannot be stored: {bad[0][1]}. "
                    "Fix: correct that value (geomap ingest reports such rows and skips them)."
                )
            unique = list({e.event_id: groups.source_row(e) for _i, e in good}.values())
            with self.transaction() as conn:
                stored = groups.stored_rows(conn, [str(r[0]) for r in unique])
                groups.write_sources(conn, unique, {g for g, _f, _h in stored.values() if g})
            n += len(unique)
        return n

    def add_events(
        self,
        events: Iterable[Event],
        *,
        input_format: str,
        input_file: str = "",
        replace: bool = False,
        before_write: Callable[[list[Event]], object] | None = None,
        batch_size: int = 5000,
    ) -> WriteResult:
        """Store source rows from one input, checked, never overwriting silently.

        ``input_format`` is the input's format (acled, ucdp, gdelt, csv,
        extract, article) and ``input_file`` the file (or, for a text event,
        its document): rows of one file never merge unless identical.  A row
        whose id is stored already is replaced only from the same format and
        with ``replace`` (see :mod:`geomap.store.writes`).  ``before_write``
        gets each batch's checked events first (to name their admin-1, say).
        Each batch is one transaction.  Positions in the result count from 0
        over ``events``.
        """
        self._check_writable()
        family = writes.input_family(input_format)
        total = WriteResult()
        offset = 0
        for batch in _batches(events, batch_size):
            with _collector_paused():
                good, bad = writes.check_events(batch, offset)
                offset += len(batch)
                if before_write is not None and good:
                    before_write([e for _i, e in good])
                rows = [(i, e, groups.source_row(e, family, input_file)) for i, e in good]
                with self.transaction() as conn:
                    stored = groups.stored_rows(conn, [e.event_id for _i, e in good])
                    out, dirty, result = writes.plan_writes(rows, stored, family=family,
                                                             replace=replace)  # fmt: skip
                    if out:
                        groups.write_sources(conn, out, dirty)
            result.rejected += bad
            total.merge(result)
        return total

    def delete_events(self, event_ids: Iterable[str]) -> int:
        """Remove source rows by event_id (and regroup what they belonged to)."""
        ids = list(event_ids)
        with self.transaction() as conn:
            return groups.delete_sources(conn, ids)

    # -- reading --------------------------------------------------------------
    def events(self, flt: EventFilter | None = None) -> list[Event]:
        """Events (never a context figure), filtered, by date then id.

        Each is a source row alone in its group or the merged event of a
        group (:mod:`geomap.store.views`).
        """
        where, params = flt.sql() if flt is not None else ("", [])
        where = " AND ".join(w for w in (where, self._guard) if w)
        with self._reading() as conn:
            return views.read_events(conn, where, params, flt.limit if flt else None,
                                     legacy=self._legacy)  # fmt: skip

    def context_figures(self, flt: EventFilter | None = None) -> list[Event]:
        """Context figures (cumulative or background tolls), stored apart from events."""
        cols = ["event_id", *schema.DATA_COLUMNS, "extra"]
        where, params = flt.sql("s") if flt is not None else ("", [])
        guard = quarantine.good_rows_sql("event_sources") if self._guard else ""
        sql = f"SELECT {','.join('s.' + c for c in cols)} FROM event_sources s " + " AND ".join(
            ["WHERE s.is_context = 1", *(w for w in (where, guard) if w)]
        )
        sql += " ORDER BY s.event_date IS NULL, s.event_date, s.event_id"
        if flt is not None and flt.limit is not None:
            sql += " LIMIT ?"
            params.append(int(flt.limit))
        with self._reading() as conn:
            keys = key_lists(conn)
            return [event_from_row(r, cols, keys) for r in conn.execute(sql, params)]

    def event(self, event_id: str) -> Event | None:
        """The event ``event_id`` (a source row alone in its group, or a merged event)."""
        with self._reading() as conn:
            return views.find_event(conn, event_id, self._guard, legacy=self._legacy)

    def sources(
        self, event_id: str | None = None, *, geocode_keys: Iterable[str] | None = None
    ) -> list[Event]:
        """Source rows: all, those merged into ``event_id``, or those placed by ``geocode_keys``."""
        cols = ["event_id", *schema.DATA_COLUMNS, "extra", _GROUP]
        sql = f"SELECT {','.join(cols)} FROM event_sources"
        keys = key_lists(self._conn)
        if geocode_keys is not None and event_id is None:
            wanted = list(geocode_keys)
            out: list[Event] = []
            for chunk in chunks(wanted):
                where = f" WHERE geocode_key IN ({marks(chunk)}) AND geocode_key <> ''"
                cur = self._conn.execute(sql + where, chunk)
                out.extend(_with_group(r, cols, keys) for r in cur)
            return out
        params: list[str] = []
        if event_id is not None:  # its members, or the row that is its own event
            sql += " WHERE group_id = ? OR (event_id = ? AND group_id IS NULL AND is_context = 0)"
            params += [event_id, event_id]
        cur = self._conn.execute(sql + " ORDER BY event_id", params)
        return [_with_group(r, cols, keys) for r in cur]

    def count(self) -> int:
        """How many events the store holds (rows alone in their group and merged events)."""
        with self._reading() as conn:
            return views.count_events(conn, self._guard, legacy=self._legacy)

    def count_sources(self) -> int:
        """How many source rows (context figures included) the store holds."""
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM event_sources").fetchone()[0])

    def count_context(self) -> int:
        """How many context figures the store holds."""
        with self._reading() as conn:
            sql = "SELECT count(*) FROM event_sources WHERE is_context = 1"
            return int(conn.execute(sql).fetchone()[0])

    def rows_in_boxes(
        self, boxes: Sequence[tuple[float, float, float, float]], flt: EventFilter | None = None
    ) -> tuple[list[str], list[tuple[SqlValue, ...]]]:
        """Events whose point falls in any box (an R*Tree per part), with the filter applied."""
        where, params = flt.sql() if flt is not None else ("", [])
        where = " AND ".join(w for w in (where, self._guard) if w)
        with self._reading() as conn:
            return views.rows_in_boxes(conn, boxes, where, params, legacy=self._legacy,
                                       points=self._version == schema.ONE_ROW_VERSION)

    # -- checking ---------------------------------------------------------------
    def integrity_check(self) -> str:
        """SQLite's own check of the file: "ok", or the first problem it found.

        Rows that break a column's CHECK are not damage to the file: they are
        :meth:`bad_rows` (SQLite lists them here too, and they are left out).
        """
        with self._reading() as conn:
            found = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(100)")]
        problems = [p for p in found if p != "ok" and not p.startswith(_CONSTRAINT_FAILED)]
        return problems[0] if problems else "ok"

    def schema_version(self) -> int | None:
        """The store's schema version."""
        with self._reading() as conn:
            return schema.schema_version(conn)

    def bad_rows(self) -> list[quarantine.BadRow]:
        """Rows stored badly (values no reader can use), each with its reason."""
        with self._reading() as conn:
            return [b for t in ("event_sources", "events", "mentions")
                    for b in quarantine.find_bad(conn, t)]  # fmt: skip

    def repair(self) -> list[quarantine.BadRow]:
        """Move every badly stored row to ``quarantine`` and regroup; one transaction."""
        with self.transaction("repair") as conn:
            return quarantine.repair(conn)

    def quarantined(self) -> int:
        """How many rows the ``quarantine`` table holds."""
        with self._reading() as conn:
            if not schema.has_table(conn, "quarantine"):
                return 0
            return int(conn.execute("SELECT count(*) FROM quarantine").fetchone()[0])

    def check_indexes(self) -> list[str]:
        """Inconsistencies between the tables and their R*Trees (empty when sound)."""
        return rtrees.index_problems(self._conn, version=self._version)

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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while one batch is written: a batch makes many
    objects that live until it is written (rows, nodes), which the collector would
    otherwise scan again and again; whatever the batch leaves is collected once it
    resumes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _with_group(row: Sequence[SqlValue], cols: Sequence[str], keys: KeyLists) -> Event:
    e = event_from_row(row, cols, keys)
    e.extra["group_id"] = row[-1]
    return e
