"""The event store: one SQLite file with R*Tree spatial indexes.

Default location: ``config.store_path()`` (``$GEOMAP_STORE``, else
``<data dir>/events.sqlite``); ``--store PATH`` picks another file.

Tables
------
``documents``      one row per ingested article (full text kept).
``mentions``       toponyms found in documents, with the cache key that resolved them.
``event_sources``  one row per input row or extracted event (ACLED row, UCDP
                   row, CSV row, text event), upserted by its stable
                   ``event_id``; never dropped by deduplication.  Holds every
                   :data:`~geomap.models.EVENT_COLUMNS` plus ``extra`` (JSON),
                   its date interval, type class, admin-1 key and ``group_id``.
``events``         one merged event per dedup group (see :mod:`geomap.store.dedupe`),
                   ``event_id`` = the group id; what queries, maps and exports read.
``dedup_groups``   one row per group: member count and why they were merged.
``events_rtree``   R*Tree (lon, lat) over ``events`` for "near" queries.
``sources_rtree``  R*Tree (lon, lat, day) over ``event_sources`` for dedup candidates.

Every write runs in ONE ``BEGIN IMMEDIATE`` transaction (WAL journal,
``busy_timeout``), so concurrent writers queue instead of failing, and a
killed writer leaves the last committed state.  Rows are appended or updated
in place; the file is never rewritten.

Geocode refresh (issue 6): ``event_sources.geocode_key`` and
``coords_from_source`` are indexed/kept; a refresh re-locates source rows by
calling :meth:`EventStore.upsert_events` with the moved rows inside
:meth:`EventStore.transaction`, which recomputes the dedup groups and both
R*Trees in the same transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geomap import config, sqlite
from geomap.errors import StoreError
from geomap.geo import bounding_boxes
from geomap.model import EVENT_COLUMNS, Event, EventFilter, Mention, Place
from geomap.store import dedupe
from geomap.taxonomy import type_class, types_compatible

SCHEMA_VERSION = 1
_BUSY_MS = 60_000

_COL_TYPES: dict[str, str] = {}
for _f in dataclasses.fields(Event):
    if _f.name == "extra":
        continue
    _t = str(_f.type)
    _COL_TYPES[_f.name] = (
        "INTEGER"
        if _t.startswith(("int", "bool"))
        else "REAL"
        if _t.startswith("float")
        else "TEXT"
    )
_BOOL_COLS = frozenset(f.name for f in dataclasses.fields(Event) if str(f.type).startswith("bool"))
_DATA_COLS = [c for c in EVENT_COLUMNS if c != "event_id"]
_EVENT_COLS_SQL = ",\n    ".join(f"{c} {_COL_TYPES[c]}" for c in _DATA_COLS)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT, date TEXT, source TEXT, url TEXT, path TEXT,
    text TEXT, added_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, text TEXT, span_start INTEGER,
    span_end INTEGER, geonameid INTEGER, place TEXT, latitude REAL, longitude REAL,
    geo_precision INTEGER, confidence REAL, role TEXT, reason TEXT, cache_key TEXT,
    UNIQUE (doc_id, span_start, span_end)
);
CREATE INDEX IF NOT EXISTS mentions_cache_key ON mentions (cache_key);
CREATE TABLE IF NOT EXISTS event_sources (
    sid INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    {_EVENT_COLS_SQL},
    extra TEXT,
    day_min INTEGER, day_max INTEGER, type_class TEXT, admin1_key TEXT, coarse INTEGER,
    group_id TEXT,
    updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS sources_group ON event_sources (group_id);
CREATE INDEX IF NOT EXISTS sources_geocode_key ON event_sources (geocode_key);
CREATE INDEX IF NOT EXISTS sources_admin1 ON event_sources (admin1_key, coarse, day_min)
    WHERE admin1_key <> '';
CREATE INDEX IF NOT EXISTS sources_doc ON event_sources (doc_id) WHERE doc_id <> '';
CREATE TABLE IF NOT EXISTS events (
    rowid INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    {_EVENT_COLS_SQL},
    extra TEXT, type_class TEXT, n_sources INTEGER, source_ids TEXT
);
CREATE INDEX IF NOT EXISTS events_date ON events (event_date);
CREATE INDEX IF NOT EXISTS events_geocode_key ON events (geocode_key);
CREATE TABLE IF NOT EXISTS dedup_groups (
    group_id TEXT PRIMARY KEY, n_sources INTEGER, rule TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree (
    id, min_lon, max_lon, min_lat, max_lat
);
CREATE VIRTUAL TABLE IF NOT EXISTS sources_rtree USING rtree (
    id, min_lon, max_lon, min_lat, max_lat, min_day, max_day
);
"""

#: Insert R*Tree rows in a rough space-filling order (1-degree latitude bands,
#: then longitude): neighbouring inserts touch the same tree pages.
_SPATIAL_ORDER = "ORDER BY CAST(({t}.latitude + 90) AS INTEGER), {t}.longitude"


def stable_event_id(event: Event) -> str:
    """A content-derived id for rows that came without one."""
    record = {k: v for k, v in event.to_record().items() if k != "event_id"}
    digest = hashlib.sha1(
        json.dumps(record, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()[:16]
    return f"{event.origin or 'event'}:{digest}"


def _value(col: str, value: Any) -> Any:
    if col in _BOOL_COLS:
        return 1 if value else 0
    return value


def _row_values(event: Event) -> list[Any]:
    return [_value(c, getattr(event, c)) for c in _DATA_COLS]


def _event_from_row(row: Sequence[Any], names: Sequence[str]) -> Event:
    data = dict(zip(names, row, strict=False))
    kwargs: dict[str, Any] = {}
    for c in EVENT_COLUMNS:
        v = data.get(c)
        if c in _BOOL_COLS:
            v = bool(v)
        elif v is None and _COL_TYPES[c] == "TEXT" and c != "event_date":
            v = ""
        elif c == "fatalities" and v is None:
            v = 0
        kwargs[c] = v
    extra = json.loads(data["extra"]) if data.get("extra") else {}
    for c in ("n_sources", "source_ids"):
        if c in data and data[c] is not None:
            extra[c] = json.loads(data[c]) if c == "source_ids" else data[c]
    return Event(**kwargs, extra=extra)


def _chunks(items: Sequence[Any], size: int = 800) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class EventStore:
    """Documents, mentions, source rows and merged events in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path
        self._depth = 0

    # -- opening --------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> EventStore:
        """Open (creating if needed) the store at ``path`` or ``config.store_path()``."""
        p = Path(path) if path is not None else config.store_path()
        if p.exists() and p.is_dir():
            raise StoreError(
                f"The event store path is a directory, instead got: {str(p)!r}. "
                "Fix: pass a file path with --store (e.g. events.sqlite)."
            )
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite.connect(p, timeout_s=_BUSY_MS / 1000)
            # 64 MB page cache: index and R*Tree inserts into a large store stay in memory
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, p)
            if store._schema_version() == SCHEMA_VERSION:
                return store  # no write lock needed: readers never wait for a writer
            with store.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                    )
                elif int(row[0]) > SCHEMA_VERSION:
                    raise StoreError(
                        f"The event store {str(p)!r} has schema version {row[0]}, newer than this "
                        f"geomap ({SCHEMA_VERSION}). Fix: upgrade geomap or use another --store."
                    )
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"Cannot open the event store {str(p)!r}: {exc}. "
                "Fix: check the file is a geomap store (or move it away) and retry."
            ) from exc
        return store

    def _schema_version(self) -> int | None:
        try:
            row = self._conn.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.OperationalError:  # no meta table yet: a new file
            return None
        return int(row[0]) if row else None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
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
    def add_document(self, article: Any) -> str:
        """Store an article (``geomap.articles.Article`` or anything with its fields)."""

        def get(name: str) -> Any:
            if isinstance(article, dict):
                return article.get(name)
            return getattr(article, name, None)

        doc_id = get("doc_id")
        if not doc_id:
            raise StoreError(
                f"A document needs a doc_id, instead got: {doc_id!r}. Fix: read it with "
                "geomap.articles.read_article()."
            )
        path = get("path")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO documents (doc_id, title, date, source, url, path, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
                "title=excluded.title, date=excluded.date, source=excluded.source, "
                "url=excluded.url, path=excluded.path, text=excluded.text",
                (
                    str(doc_id),
                    get("title"),
                    get("date"),
                    get("source"),
                    get("url"),
                    str(path) if path is not None else None,
                    get("text"),
                ),
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
        for e in events:
            if not e.event_id:
                e.event_id = stable_event_id(e)
            for name, value in (("latitude", e.latitude), ("longitude", e.longitude)):
                if value is not None and not math.isfinite(float(value)):
                    raise StoreError(
                        f"Event {e.event_id!r} has a non-finite {name}, instead got: {value!r}. "
                        "Fix: drop the coordinate or correct it."
                    )
        # the last row wins when one batch repeats an event_id
        unique = list({e.event_id: e for e in events}.values())
        cols = ["event_id", *_DATA_COLS, "extra", "day_min", "day_max", "type_class",
                "admin1_key", "coarse", "group_id"]  # fmt: skip
        placeholders = ",".join("?" * len(cols))
        updates = ",".join(f"{c}=excluded.{c}" for c in cols[1:-1])
        sql = (
            f"INSERT INTO event_sources ({','.join(cols)}) VALUES ({placeholders}) "
            f"ON CONFLICT (event_id) DO UPDATE SET {updates}, "
            "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        )
        rows = []
        widest = 0  # longest day interval in this batch (bounds the admin-1 search)
        for e in unique:
            d0, d1 = dedupe.day_range(e)
            if d0 is not None and d1 is not None:
                widest = max(widest, d1 - d0)
            rows.append(
                [e.event_id, *_row_values(e), json.dumps(e.extra, default=str) if e.extra else None,
                 d0, d1, type_class(e.event_type, e.sub_event_type),
                 dedupe.admin1_key(e.country, e.admin1),
                 1 if dedupe.is_coarse(e.geo_precision) else 0,
                 None]
            )  # fmt: skip
        ids = [e.event_id for e in unique]
        with self.transaction() as conn:
            dirty_groups: set[str] = set()
            for chunk in _chunks(ids):
                q = ",".join("?" * len(chunk))
                dirty_groups.update(
                    g for (g,) in conn.execute(
                        f"SELECT group_id FROM event_sources WHERE event_id IN ({q})", chunk
                    ) if g
                )  # fmt: skip
            conn.executemany(sql, rows)
            sids: list[int] = []
            for chunk in _chunks(ids):
                q = ",".join("?" * len(chunk))
                sids.extend(
                    s for (s,) in conn.execute(
                        f"SELECT sid FROM event_sources WHERE event_id IN ({q})", chunk
                    )
                )  # fmt: skip
            conn.executemany("DELETE FROM sources_rtree WHERE id = ?", [(s,) for s in sids])
            self._temp_tables()
            conn.execute("DELETE FROM _batch")
            conn.executemany("INSERT INTO _batch VALUES (?)", [(s,) for s in sids])
            conn.execute(
                "INSERT INTO sources_rtree SELECT s.sid, s.longitude, s.longitude, s.latitude, "
                "s.latitude, s.day_min, s.day_max FROM event_sources s JOIN _batch b USING (sid) "
                "WHERE s.latitude IS NOT NULL AND s.longitude IS NOT NULL "
                "AND s.day_min IS NOT NULL " + _SPATIAL_ORDER.format(t="s")
            )
            if widest > self._max_window():
                conn.execute(
                    "INSERT INTO meta VALUES ('max_day_window', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(widest),),
                )
            self._regroup(set(sids), dirty_groups)
        return len(unique)

    def _temp_tables(self) -> None:
        self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS _batch (sid INTEGER PRIMARY KEY)")
        self._conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _probe (sid INTEGER, lo0 REAL, lo1 REAL, la0 REAL, "
            "la1 REAL, d0 INTEGER, d1 INTEGER, origin TEXT, akey TEXT, coarse INTEGER)"
        )

    _NODE_COLS = (
        "sid, event_id, latitude, longitude, geo_precision, day_min, day_max, type_class, "
        "admin1_key, origin, group_id"
    )

    def _load_nodes(self, sids: Iterable[int]) -> dict[int, tuple[dedupe.Node, str | None]]:
        out: dict[int, tuple[dedupe.Node, str | None]] = {}
        items = list(sids)
        for chunk in _chunks(items):
            q = ",".join("?" * len(chunk))
            for r in self._conn.execute(
                f"SELECT {self._NODE_COLS} FROM event_sources WHERE sid IN ({q})", chunk
            ):
                out[r[0]] = (dedupe.Node(*r[:10]), r[10])
        return out

    def _candidate_pairs(self, nodes: Sequence[dedupe.Node]) -> list[tuple[int, int, str]]:
        """(sid, other sid, other's type class) for every stored row that may match.

        One SQL join per call (probe boxes x R*Tree, and same admin-1 for
        region-level rows), so the loop runs inside SQLite.  Rows that can
        never match (same curated dataset) are left out here.
        """
        conn = self._conn
        conn.execute("DELETE FROM _probe")
        rows = []
        for n in nodes:
            if n.day_min is None or n.latitude is None or n.longitude is None:
                continue
            origin = n.origin if n.origin in dedupe.CURATED else ""
            coarse = 1 if dedupe.is_coarse(n.geo_precision) else 0
            boxes = bounding_boxes(n.latitude, n.longitude, dedupe.MAX_RADIUS_KM)
            for i, (lo0, lo1, la0, la1) in enumerate(boxes):
                akey = n.admin1_key if i == 0 else ""
                rows.append((n.sid, lo0, lo1, la0, la1, n.day_min, n.day_max, origin, akey, coarse))
        if not rows:
            return []
        conn.executemany("INSERT INTO _probe VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        spatial = conn.execute(
            "SELECT p.sid, r.id, s.type_class FROM _probe p "
            "JOIN sources_rtree r ON r.min_lon <= p.lo1 AND r.max_lon >= p.lo0 "
            "AND r.min_lat <= p.la1 AND r.max_lat >= p.la0 "
            "AND r.min_day <= p.d1 AND r.max_day >= p.d0 "
            "JOIN event_sources s ON s.sid = r.id "
            "WHERE r.id <> p.sid AND (p.origin = '' OR s.origin <> p.origin)"
        ).fetchall()
        # Same admin-1: rows of the other precision class whose day interval
        # overlaps.  day_min is bounded below by d0 - (longest interval in the
        # store), so the index range scan stays small as the store grows.
        window = self._max_window()
        same_admin1: list[tuple[int, int, str]] = []
        for other_coarse, probe_filter in ((1, ""), (0, " AND p.coarse = 1")):
            same_admin1 += conn.execute(
                # "s.admin1_key <> ''" lets SQLite use the partial index
                "SELECT p.sid, s.sid, s.type_class FROM _probe p "
                "JOIN event_sources s ON s.admin1_key = p.akey AND s.admin1_key <> '' "
                "AND s.coarse = ? AND s.day_min >= p.d0 - ? AND s.day_min <= p.d1 "
                "WHERE p.akey <> ''" + probe_filter + " AND s.day_max >= p.d0 "
                "AND s.latitude IS NOT NULL AND s.sid <> p.sid "
                "AND (p.origin = '' OR s.origin <> p.origin)",
                (other_coarse, window),
            ).fetchall()
        return spatial + same_admin1

    def _max_window(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'max_day_window'").fetchone()
        return int(row[0]) if row else 0

    def _regroup(self, seeds: set[int], dirty_groups: set[str]) -> None:
        conn = self._conn
        frontier = set(seeds)
        for g in dirty_groups:
            frontier.update(
                s for (s,) in conn.execute("SELECT sid FROM event_sources WHERE group_id = ?", (g,))
            )
        nodes: dict[int, dedupe.Node] = {}
        old_groups: set[str] = set(dirty_groups)
        pairs: set[tuple[int, int]] = set()
        while frontier:
            loaded = self._load_nodes(frontier - nodes.keys())
            nxt: set[int] = set()
            new_groups: set[str] = set()
            for sid, (node, group) in loaded.items():
                nodes[sid] = node
                if group and group not in old_groups:
                    new_groups.add(group)
            old_groups |= new_groups
            # every member of a touched group is regrouped with it, so no member
            # is left pointing at a merged event that is about to be replaced
            for chunk in _chunks(sorted(new_groups)):
                q = ",".join("?" * len(chunk))
                nxt.update(
                    s for (s,) in conn.execute(
                        "SELECT s.sid FROM events e JOIN event_sources s "
                        "ON s.group_id = e.event_id "
                        f"WHERE e.event_id IN ({q}) AND e.n_sources > 1", chunk
                    ) if s not in nodes
                )  # fmt: skip
            compatible = types_compatible
            for sid, other, other_type in self._candidate_pairs([n for n, _g in loaded.values()]):
                if compatible(nodes[sid].type_class, other_type or ""):
                    pairs.add((min(sid, other), max(sid, other)))
                    if other not in nodes:
                        nxt.add(other)
            frontier = nxt
        clusters = dedupe.cluster(list(nodes.values()), pairs)

        # old canonical events of every touched group go; new ones come in
        old = sorted(old_groups)
        for chunk in _chunks(old):
            q = ",".join("?" * len(chunk))
            rowids = [(r,) for (r,) in conn.execute(
                f"SELECT rowid FROM events WHERE event_id IN ({q})", chunk)]  # fmt: skip
            conn.executemany("DELETE FROM events_rtree WHERE id = ?", rowids)
            conn.execute(f"DELETE FROM events WHERE event_id IN ({q})", chunk)
            conn.execute(f"DELETE FROM dedup_groups WHERE group_id IN ({q})", chunk)

        singles = [c[0].sid for c in clusters if len(c) == 1]
        multi = [c for c in clusters if len(c) > 1]
        ev_cols = ",".join(["event_id", *_DATA_COLS, "extra", "type_class"])
        conn.execute("DELETE FROM _batch")
        conn.executemany("INSERT INTO _batch VALUES (?)", [(s,) for s in singles])
        conn.execute(
            "UPDATE event_sources SET group_id = event_id WHERE sid IN (SELECT sid FROM _batch)"
        )
        conn.execute(
            f"INSERT INTO events ({ev_cols}, n_sources, source_ids) "
            f"SELECT {ev_cols}, 1, json_array(event_id) FROM event_sources "
            "WHERE sid IN (SELECT sid FROM _batch)"
        )
        rows = []
        group_rows = []
        for members in multi:
            events = self._source_events([n.sid for n in members])
            merged = dedupe.merge(events)
            gid = merged.event_id
            conn.executemany(
                "UPDATE event_sources SET group_id = ? WHERE sid = ?",
                [(gid, n.sid) for n in members],
            )
            extra = dict(merged.extra)
            rows.append(
                [gid, *_row_values(merged), json.dumps(extra, default=str),
                 type_class(merged.event_type, merged.sub_event_type),
                 len(members), json.dumps([n.event_id for n in members])]
            )  # fmt: skip
            group_rows.append(
                (gid, len(members), "same day window, nearby or same admin-1, compatible type")
            )
        if rows:
            conn.executemany(
                f"INSERT INTO events ({ev_cols}, n_sources, source_ids) "
                f"VALUES ({','.join('?' * (len(_DATA_COLS) + 5))})",
                rows,
            )
            conn.executemany("INSERT INTO dedup_groups VALUES (?, ?, ?)", group_rows)
        conn.execute("DELETE FROM _batch")
        conn.executemany(
            "INSERT INTO _batch SELECT rowid FROM events WHERE event_id = ?",
            [(c[0].event_id,) for c in clusters],
        )
        conn.execute(
            "INSERT INTO events_rtree SELECT e.rowid, e.longitude, e.longitude, e.latitude, "
            "e.latitude FROM events e JOIN _batch b ON b.sid = e.rowid "
            "WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL "
            + _SPATIAL_ORDER.format(t="e")
        )

    def _source_events(self, sids: Sequence[int]) -> list[Event]:
        cols = ["event_id", *_DATA_COLS, "extra"]
        out: list[Event] = []
        for chunk in _chunks(list(sids)):
            q = ",".join("?" * len(chunk))
            cur = self._conn.execute(
                f"SELECT {','.join(cols)} FROM event_sources WHERE sid IN ({q})", chunk
            )
            out.extend(_event_from_row(r, cols) for r in cur)
        return out

    def delete_events(self, event_ids: Iterable[str]) -> int:
        """Remove source rows by event_id (and regroup what they belonged to)."""
        ids = list(event_ids)
        with self.transaction() as conn:
            groups: set[str] = set()
            sids: list[int] = []
            for chunk in _chunks(ids):
                q = ",".join("?" * len(chunk))
                for s, g in conn.execute(
                    f"SELECT sid, group_id FROM event_sources WHERE event_id IN ({q})", chunk
                ):
                    sids.append(s)
                    if g:
                        groups.add(g)
            conn.executemany("DELETE FROM sources_rtree WHERE id = ?", [(s,) for s in sids])
            conn.executemany("DELETE FROM event_sources WHERE sid = ?", [(s,) for s in sids])
            self._temp_tables()
            self._regroup(set(), groups)
        return len(sids)

    # -- reading --------------------------------------------------------------
    _EVENT_READ_COLS = ["event_id", *_DATA_COLS, "extra", "n_sources", "source_ids"]

    def events(self, flt: EventFilter | None = None) -> list[Event]:
        """Merged events, filtered, by date then id."""
        where, params = flt.sql() if flt is not None else ("", [])
        sql = f"SELECT {','.join('e.' + c for c in self._EVENT_READ_COLS)} FROM events e"
        if where:
            sql += " WHERE " + where
        sql += " ORDER BY e.event_date IS NULL, e.event_date, e.event_id"
        limit = flt.limit if flt is not None else None
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_event_from_row(r, self._EVENT_READ_COLS) for r in self._conn.execute(sql, params)]

    def event(self, event_id: str) -> Event | None:
        cur = self._conn.execute(
            f"SELECT {','.join(self._EVENT_READ_COLS)} FROM events WHERE event_id = ?", (event_id,)
        )
        row = cur.fetchone()
        return _event_from_row(row, self._EVENT_READ_COLS) if row else None

    def sources(
        self, event_id: str | None = None, *, geocode_keys: Iterable[str] | None = None
    ) -> list[Event]:
        """Source rows: all, those merged into ``event_id``, or those placed by ``geocode_keys``."""
        cols = ["event_id", *_DATA_COLS, "extra", "group_id"]
        sql = f"SELECT {','.join(cols)} FROM event_sources"
        params: list[Any] = []
        if event_id is not None:
            sql += " WHERE group_id = ?"
            params.append(event_id)
        elif geocode_keys is not None:
            keys = list(geocode_keys)
            out: list[Event] = []
            for chunk in _chunks(keys):
                q = ",".join("?" * len(chunk))
                cur = self._conn.execute(sql + f" WHERE geocode_key IN ({q})", chunk)
                out.extend(self._with_group(r, cols) for r in cur)
            return out
        cur = self._conn.execute(sql + " ORDER BY event_id", params)
        return [self._with_group(r, cols) for r in cur]

    @staticmethod
    def _with_group(row: Sequence[Any], cols: Sequence[str]) -> Event:
        e = _event_from_row(row, cols)
        e.extra["group_id"] = row[-1]
        return e

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def count_sources(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM event_sources").fetchone()[0])

    def rows_in_boxes(
        self, boxes: Sequence[tuple[float, float, float, float]], flt: EventFilter | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Merged events whose point falls in any box (R*Tree), with the filter applied."""
        where, fparams = flt.sql() if flt is not None else ("", [])
        cols = self._EVENT_READ_COLS
        sql = (
            f"SELECT {','.join('e.' + c for c in cols)} FROM events_rtree r "
            "JOIN events e ON e.rowid = r.id "
            "WHERE r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ?"
        )
        if where:
            sql += " AND " + where
        rows: list[tuple[Any, ...]] = []
        seen: set[str] = set()
        for lo0, lo1, la0, la1 in boxes:
            for r in self._conn.execute(sql, (lo1, lo0, la1, la0, *fparams)):
                if r[0] not in seen:
                    seen.add(r[0])
                    rows.append(r)
        return list(cols), rows

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])
