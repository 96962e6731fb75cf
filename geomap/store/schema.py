"""The event store's tables, all in one place, and how an older store is brought up to date.

Tables
------
``meta``           key/value: ``schema_version``, ``max_day_window``, ``origins`` (see
                   :mod:`geomap.store.origins`).
``documents``      one row per ingested article (full text kept).
``mentions``       toponyms found in documents, with the cache key that resolved them.
``event_sources``  one row per input row or extracted event (ACLED row, UCDP
                   row, CSV row, text event), by its stable ``event_id``;
                   never dropped by deduplication.  Holds every
                   :data:`~geomap.model.EVENT_COLUMNS` plus ``extra`` (JSON, keyed:
                   ``[keys id, value, ...]``, see :mod:`geomap.store.extra`),
                   its date interval, type class, admin-1 key (``admin1_id``,
                   by its id in ``admin1_keys``), ``group_id``,
                   and where it came from: ``input_format`` (acled, ucdp,
                   gdelt, csv, text), ``file_id`` (the file, or the
                   document of a text event, by its id in ``input_files``),
                   ``content_hash`` (of every value but the id: the first 64
                   bits of a SHA-1, :func:`geomap.store.groups.stored_hash`),
                   ``place_key`` (the settlement it names, see
                   :func:`geomap.store.dedupe.settlement_key`) and
                   ``updated_at`` (unix seconds).  Context
                   figures (``is_context``: cumulative or background tolls)
                   are kept here too, but never grouped, indexed or merged.
``extra_keys``     each list of ``extra`` key names source rows use, once (id, JSON array;
                   a coded key written as a one-name array).
``extra_values``   each coded ``extra`` value, once (id, JSON text; :mod:`geomap.store.extra`).
``input_files``    each file source rows came from, once (id, path).
``admin1_keys``    each admin-1 key source rows name, once (id, key).
``events``         the merged event of each dedup group of two or more source
                   rows (see :mod:`geomap.store.dedupe`), ``event_id`` = the
                   group id, with ``n_sources`` and ``source_ids``.  Never a
                   context figure.  A source row alone in its group is not
                   copied here: its ``group_id`` is NULL and it is its own event.
``dedup_groups``   one row per merged group: member count and why they were merged.
``events_rtree``   R*Tree (lon, lat) over ``events``, for "near" queries.
``sources_rtree``  R*Tree (lon, lat, day) over the located non-context rows of
                   ``event_sources`` (by ``sid``): dedup candidates (a box and
                   a day interval) and the "near" queries of rows alone in
                   their group (a box, every day).  A day is stored as
                   ``day * DAY_SCALE`` (a row without a date at
                   ``UNDATED_DAY``), so ten years span about as much as a few
                   degrees: the tree's nodes stay compact in space and a box
                   over every day visits few of them, while many rows at one
                   point are still told apart by day.  Float32 bounds are
                   rounded outwards; the rows' own days decide.

``refresh_basis``  the cache answer each re-located row was last placed with
                   (``kind`` "event" or "mention", ``ref`` its id), so a later
                   refresh moves it by exactly as far as its answer moved.
``quarantine``     rows found stored badly by the upgrade to version 3 or by
                   ``geomap store check --repair``: the table they came from,
                   their id, why, and the whole row as JSON (a source row's
                   ``extra`` as stored: ``extra_keys`` names its keys,
                   ``extra_values`` holds its coded values).  Nothing
                   is lost.

What queries, maps and exports read as "the events" is the union of the
non-context source rows alone in their group (``n_sources`` 1, ``source_ids``
their own id) and the merged events (:mod:`geomap.store.views`): each input
row is stored once.

Every event column of ``event_sources`` and ``events`` carries the ``CHECK``
of its kind (:mod:`geomap.store.validate`), so SQLite itself refuses a
value no reader could use.

Versions
--------
1. every table above but ``refresh_basis``, ``quarantine``, ``extra_keys`` and
   ``points_rtree``;
2. ``refresh_basis`` (a version-1 store may already hold it, made by an older
   ``geomap refresh``: its rows are kept);
3. typed columns (``CHECK``), ``quarantine``, the provenance columns, and
   context figures out of ``events`` (:mod:`geomap.store.migrate`);
4. each input row stored once: ``events`` keeps only merged groups, a row
   alone in its group has no ``group_id``, ``points_rtree`` (lon, lat)
   indexes source rows for "near", the indexes of ``events`` go, and the
   ``extra`` of source rows is stored keyed (``extra_keys``);
5. fewer bytes per source row: ``input_files`` and ``file_id`` for the
   ``input_file`` text, ``admin1_keys`` and ``admin1_id`` for ``admin1_key``,
   ``sources_admin1`` covering its search, ``content_hash`` and
   ``updated_at`` as integers,
   ``extra_values`` (repeated ``extra`` values coded), and ``sources_rtree``
   (days scaled, undated rows too) in place of ``points_rtree``.

:func:`geomap.store.migrate.create_or_migrate` runs, in the caller's
transaction, the steps from the store's version up to :data:`SCHEMA_VERSION`,
so an older store is migrated in place when it is first opened for writing.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from geomap.errors import StoreError
from geomap.model import EVENT_COLUMNS, Event
from geomap.store.validate import MAX_ID_CHARS, ROW_CHECK, column_check

SCHEMA_VERSION = 5
#: The first version whose ``events`` table holds only merged groups.
ONE_ROW_VERSION = 4


def _sql_type(annotation: str) -> str:
    if annotation.startswith(("int", "bool")):
        return "INTEGER"
    return "REAL" if annotation.startswith("float") else "TEXT"


_EVENT_FIELDS = [f for f in dataclasses.fields(Event) if f.name != "extra"]
#: SQL type of every event column ("INTEGER", "REAL" or "TEXT").
COLUMN_TYPES: dict[str, str] = {f.name: _sql_type(str(f.type)) for f in _EVENT_FIELDS}
#: Event columns stored as 0/1.
BOOL_COLUMNS = frozenset(f.name for f in _EVENT_FIELDS if str(f.type).startswith("bool"))
#: Event columns other than ``event_id``, in schema order.
DATA_COLUMNS: list[str] = [c for c in EVENT_COLUMNS if c != "event_id"]

#: Columns a source row adds to the event columns (:func:`geomap.store.groups.source_row`);
#: ``event_sources`` stores ``input_file`` as ``file_id`` (see :data:`STORED_COLUMNS`).
SOURCE_COLUMNS: list[str] = ["extra", "day_min", "day_max", "type_class", "admin1_key", "coarse",
                             "group_id", "input_format", "input_file", "content_hash",
                             "place_key"]  # fmt: skip
#: Columns ``event_sources`` keeps by id in a table of their own (from version 5).
KEYED_COLUMNS = {"input_file": "file_id", "admin1_key": "admin1_id"}
#: The same as ``event_sources`` stores them.
STORED_COLUMNS: list[str] = [KEYED_COLUMNS.get(c, c) for c in SOURCE_COLUMNS]


def _typed_columns() -> str:
    return ",\n    ".join(
        f"{c} {COLUMN_TYPES[c]} CHECK ({column_check(c)})" for c in DATA_COLUMNS
    )


_ID = f"event_id TEXT NOT NULL UNIQUE CHECK ({column_check('event_id')})"
_EXTRA = "extra TEXT CHECK (extra IS NULL OR json_valid(extra))"

#: The tables of a store at :data:`SCHEMA_VERSION` (a new store gets these).
CREATE = """
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
{sources}
{events}
{extra_keys};
CREATE TABLE IF NOT EXISTS dedup_groups (
    group_id TEXT PRIMARY KEY, n_sources INTEGER, rule TEXT
);
{input_files};
{events_rtree};
{sources_rtree};
CREATE TABLE IF NOT EXISTS refresh_basis (
    kind TEXT NOT NULL, ref TEXT NOT NULL, key TEXT NOT NULL,
    latitude REAL, longitude REAL, geonameid INTEGER, provider TEXT, updated TEXT,
    PRIMARY KEY (kind, ref)
);
{quarantine}
"""


def sources_table(name: str = "event_sources", version: int = SCHEMA_VERSION) -> str:
    """``CREATE TABLE`` of the source rows (``name`` lets a migration build it beside the old;
    ``version`` 4 gives the layout before version 5, for the upgrades up to it)."""
    if version < 5:
        admin1 = "admin1_key TEXT"
        provenance = """input_file TEXT NOT NULL DEFAULT '' CHECK (length(input_file) <= 4096),
    content_hash TEXT NOT NULL DEFAULT '' CHECK (length(content_hash) <= 64),"""
        stamp = "updated_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
    else:
        admin1 = "admin1_id INTEGER CHECK (admin1_id IS NULL OR typeof(admin1_id) = 'integer')"
        provenance = """file_id INTEGER CHECK (file_id IS NULL OR typeof(file_id) = 'integer'),
    content_hash INTEGER CHECK (content_hash IS NULL OR typeof(content_hash) = 'integer'),"""
        stamp = "updated_at INTEGER DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
    return f"""CREATE TABLE IF NOT EXISTS {name} (
    sid INTEGER PRIMARY KEY,
    {_ID},
    {_typed_columns()},
    {_EXTRA},
    day_min INTEGER, day_max INTEGER, type_class TEXT, {admin1}, coarse INTEGER,
    group_id TEXT,
    input_format TEXT NOT NULL DEFAULT '' CHECK (length(input_format) <= 20),
    {provenance}
    place_key TEXT NOT NULL DEFAULT '' CHECK (length(place_key) <= {MAX_ID_CHARS * 4}),
    {stamp},
    CHECK ({ROW_CHECK})
)"""


def events_table(name: str = "events") -> str:
    """``CREATE TABLE`` of the merged events: never a context figure."""
    return f"""CREATE TABLE IF NOT EXISTS {name} (
    rowid INTEGER PRIMARY KEY,
    {_ID},
    {_typed_columns()},
    {_EXTRA}, type_class TEXT, n_sources INTEGER, source_ids TEXT,
    CHECK ({ROW_CHECK}),
    CHECK (is_context = 0)
)"""


#: Indexes of ``event_sources`` (re-made after the table is rebuilt).  Those a row whose
#: value is empty never needs are partial, so rows alone in their group, and rows placed
#: by their source (no cache key), cost them nothing.  ``sources_admin1`` holds every
#: column the same-admin-1 candidate search reads (from version 5), so that search
#: never reads the table: in a store larger than the page cache each such read was a
#: random read from disk.
INDEXES = """
CREATE INDEX IF NOT EXISTS sources_members ON event_sources (group_id)
    WHERE group_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sources_geocoded ON event_sources (geocode_key)
    WHERE geocode_key <> '';
CREATE INDEX IF NOT EXISTS sources_admin1 ON event_sources
    (admin1_id, coarse, day_min, day_max, origin, type_class, is_context, latitude)
    WHERE admin1_id IS NOT NULL AND is_context = 0 AND latitude IS NOT NULL;
CREATE INDEX IF NOT EXISTS sources_doc ON event_sources (doc_id) WHERE doc_id <> '';
CREATE INDEX IF NOT EXISTS sources_context ON event_sources (event_date) WHERE is_context = 1;
"""

#: ``sources_admin1`` as versions 3 and 4 made it (their upgrades run before version 5's).
ADMIN1_INDEX_4 = """CREATE INDEX IF NOT EXISTS sources_admin1 ON event_sources
    (admin1_key, coarse, day_min) WHERE admin1_key <> ''"""


def indexes(version: int = SCHEMA_VERSION) -> list[str]:
    """The ``CREATE INDEX`` statements of ``event_sources`` at ``version`` (4 or the current)."""
    out = [st for st in INDEXES.split(";") if st.strip()]
    if version < 5:
        out = [ADMIN1_INDEX_4 if "sources_admin1" in st else st for st in out]
    return out


#: Indexes of versions before 4, dropped by the upgrade to it.
OLD_INDEXES = ("sources_group", "sources_geocode_key", "events_date", "events_geocode_key")

EVENTS_RTREE = """CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree (
    id, min_lon, max_lon, min_lat, max_lat
)"""

EXTRA_KEYS = """CREATE TABLE IF NOT EXISTS extra_keys (
    id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE CHECK (json_valid(keys))
)"""

EXTRA_VALUES = """CREATE TABLE IF NOT EXISTS extra_values (
    id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE CHECK (json_valid(value))
)"""

#: The 2-D R*Tree of source rows of version 4 (made by the upgrade to it, dropped by the next).
POINTS_RTREE = """CREATE VIRTUAL TABLE IF NOT EXISTS points_rtree USING rtree (
    id, min_lon, max_lon, min_lat, max_lat
)"""

SOURCES_RTREE = """CREATE VIRTUAL TABLE IF NOT EXISTS sources_rtree USING rtree (
    id, min_lon, max_lon, min_lat, max_lat, min_day, max_day
)"""

#: From version 5, ``sources_rtree`` holds a day as ``day * DAY_SCALE`` (see the module docstring).
DAY_SCALE = 1e-3
#: Where a located source row without a date sits on the day axis of ``sources_rtree``
#: (before any date: ordinals start at 1).
UNDATED_DAY = 0


def rtree_days(t: str) -> str:
    """SQL of the (min, max) day coordinates in ``sources_rtree`` of the source row ``t``."""
    return (f"COALESCE({t}.day_min, {UNDATED_DAY}) * {DAY_SCALE!r}, "
            f"COALESCE({t}.day_max, {UNDATED_DAY}) * {DAY_SCALE!r}")  # fmt: skip


INPUT_FILES = """CREATE TABLE IF NOT EXISTS input_files (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE CHECK (length(path) <= 4096)
)"""

ADMIN1_KEYS = """CREATE TABLE IF NOT EXISTS admin1_keys (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 4096)
)"""

#: The table and column that hold the text of each keyed column.
KEY_TABLES = {"file_id": ("input_files", "path"), "admin1_id": ("admin1_keys", "key")}

QUARANTINE = """CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY, source_table TEXT NOT NULL, event_id TEXT, reason TEXT NOT NULL,
    row TEXT NOT NULL, quarantined_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)"""

#: What brings a version-1 store to version 2.
VERSION_2 = """
CREATE TABLE IF NOT EXISTS refresh_basis (
    kind TEXT NOT NULL, ref TEXT NOT NULL, key TEXT NOT NULL,
    latitude REAL, longitude REAL, geonameid INTEGER, provider TEXT, updated TEXT,
    PRIMARY KEY (kind, ref)
);
"""


def create_statements() -> list[str]:
    """Every statement that makes a new store at :data:`SCHEMA_VERSION`."""
    sql = CREATE.format(sources=sources_table() + ";", events=events_table() + ";",
                        events_rtree=EVENTS_RTREE, sources_rtree=SOURCES_RTREE,
                        extra_keys=EXTRA_KEYS + ";" + EXTRA_VALUES,
                        input_files=INPUT_FILES + ";" + ADMIN1_KEYS,
                        quarantine=QUARANTINE + ";") + INDEXES  # fmt: skip
    return [s for s in sql.split(";") if s.strip()]


def schema_version(conn: sqlite3.Connection) -> int | None:
    """The store's schema version; None for a file that is not (yet) a store."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no meta table: a new file
        return None
    return int(row[0]) if row else None


def check_not_newer(version: int | None, path: Path) -> None:
    """Refuse a store written by a newer geomap (its tables may mean something else)."""
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"The event store {str(path)!r} has schema version {version}, newer than this "
            f"geomap ({SCHEMA_VERSION}). Fix: upgrade geomap or use another --store."
        )


def set_version(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> None:
    """Record the store's schema version."""
    conn.execute(
        "INSERT INTO meta VALUES ('schema_version', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(version),),
    )


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the table exists (a read-only store of an older version may lack one)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None
