"""Making a new store, and bringing an older one up to :data:`~geomap.store.schema.SCHEMA_VERSION`.

:func:`create_or_migrate` runs in the caller's write transaction, so a
migration that fails (or is killed) leaves the store as it was.

Version 2 -> 3 (:func:`to_version_3`):

1. rows that break the new checks (a death count of "lots" or 1e400, a date
   of "yesterday", a latitude of 91 ...) are moved to ``quarantine`` with
   their reason (:mod:`geomap.store.quarantine`); nothing is deleted unseen;
2. ``event_sources`` and ``events`` are rebuilt with typed columns (``CHECK``),
   keeping every row id, so both R*Trees stay valid; text longer than its
   cap is cut, an empty flag or fatalities becomes 0;
3. each source row gets its provenance: ``input_format`` from its origin,
   ``content_hash`` and ``place_key`` computed as new rows get them;
4. context figures leave their groups and ``events``; every group with more
   than one member (or touched above) is recomputed under the current rules.

On a store of a million rows this takes a few minutes, once.

Version 3 -> 4 (:func:`to_version_4`): each input row is stored once.

1. a source row that is the only member of its group (its merged event has
   ``n_sources`` 1) loses its ``group_id``: it is its own event, so its copy
   in ``events`` (and ``events_rtree``) goes; ``events`` is rebuilt with the
   merged events of two or more rows, keeping their row ids;
2. ``points_rtree`` indexes every located non-context source row, for the
   "near" queries of rows alone in their group;
3. the indexes of ``events`` go, and those of ``group_id`` and ``geocode_key``
   are re-made partial (rows alone in their group, or placed without a cache
   key, are not in them);
4. a row whose group has no merged event (a store left inconsistent) is
   regrouped, so it is never lost from the events;
5. the ``extra`` of every source row is stored keyed (its key names once, in
   ``extra_keys``: :mod:`geomap.store.extra`).

Version 4 -> 5 (:func:`to_version_5`): fewer bytes per source row.

1. ``event_sources`` is rebuilt (keeping every ``sid``): the file a row came
   from becomes the id of its path in ``input_files`` (``file_id``), its
   admin-1 key the id of the key in ``admin1_keys`` (``admin1_id``), its
   content hash the first 64 bits of the same SHA-1 as an integer
   (:func:`geomap.store.groups.stored_hash`, so an unchanged row is still
   seen as unchanged), and ``updated_at`` unix seconds;
2. ``points_rtree`` goes: ``sources_rtree`` is made again over every located
   non-context row, dated or not, its days scaled
   (:data:`~geomap.store.schema.DAY_SCALE`) so that it serves "near" as fast
   as the 2-D tree did, and dedup candidates as before.

The groups an earlier step leaves to recompute (steps 3 -> 4 above) are
recomputed once the store has the current layout.

Nothing a reader sees changes; the file keeps its size (the freed pages are
reused by later rows, or given back by ``VACUUM``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from geomap.store import groups, quarantine, schema
from geomap.store.dedupe import is_coarse, settlement_key
from geomap.store.extra import PlainExtra, decode, encode_rows, is_keyed, key_lists, plain_extra
from geomap.store.rows import SPATIAL_ORDER, event_from_row, event_values
from geomap.store.schema import DATA_COLUMNS, STORED_COLUMNS

_ORIGIN_FORMATS = "CASE WHEN origin IN ('acled', 'ucdp', 'gdelt', 'csv', 'text') THEN origin " \
    "ELSE '' END"  # fmt: skip


def create_or_migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Create every table, or bring an older store up to date; inside the caller's transaction."""
    found = schema.schema_version(conn)
    schema.check_not_newer(found, path)
    if found is None:
        for statement in schema.create_statements():
            conn.execute(statement)
    else:
        seeds: set[int] = set()
        dirty: set[str] = set()
        if found < 2:
            conn.execute(schema.VERSION_2)
        if found < 3:
            dirty = to_version_3(conn)
        if found < 4:
            seeds = to_version_4(conn)
        if found < 5:
            to_version_5(conn)
        if seeds or dirty:
            groups.regroup(conn, seeds, dirty)
    schema.set_version(conn)


def _copy(conn: sqlite3.Connection, table: str, key: str, extra_columns: list[str],
          extra_values: list[str], where: str) -> None:  # fmt: skip
    new = f"{table}_v3"
    create = (schema.sources_table(new, version=4) if table == "event_sources"
              else schema.events_table(new))  # fmt: skip
    conn.execute(create)
    columns = [key, "event_id", *DATA_COLUMNS, "extra", *extra_columns]
    values = [key, "event_id", *(quarantine.normalised(c) for c in DATA_COLUMNS), "extra",
              *extra_values]  # fmt: skip
    conn.execute(
        f"INSERT INTO {new} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} "
        f"WHERE {where}"
    )
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {new} RENAME TO {table}")


def to_version_3(conn: sqlite3.Connection) -> set[str]:
    """Typed tables, quarantine, provenance columns, context figures out of ``events``;
    returns the groups to recompute (once the store has the current layout)."""
    conn.execute(schema.QUARANTINE)
    bad = [b for t in ("event_sources", "events", "mentions")
           for b in quarantine.find_bad(conn, t)]  # fmt: skip
    dirty = quarantine.quarantine(conn, bad)
    dirty.update(g for (g,) in conn.execute(
        "SELECT group_id FROM event_sources WHERE is_context = 1 AND group_id IS NOT NULL"))
    dirty.update(g for (g,) in conn.execute(
        "SELECT event_id FROM events WHERE is_context = 1 OR n_sources > 1"))  # fmt: skip
    passthrough = ["day_min", "day_max", "type_class", "admin1_key", "coarse"]
    _copy(conn, "event_sources", "sid", [*passthrough, "group_id", "input_format", "updated_at"],
          [*passthrough, "CASE WHEN is_context = 1 THEN NULL ELSE group_id END",
           _ORIGIN_FORMATS, "updated_at"], "1")  # fmt: skip
    _copy(conn, "events", "rowid", ["type_class", "n_sources", "source_ids"],
          ["type_class", "n_sources", "source_ids"], "is_context = 0")
    _make_indexes(conn, 4)
    conn.execute(
        "DELETE FROM sources_rtree WHERE id NOT IN "
        "(SELECT sid FROM event_sources WHERE is_context = 0)"
    )
    conn.execute("DELETE FROM events_rtree WHERE id NOT IN (SELECT rowid FROM events)")
    _fill_provenance(conn)
    return dirty


def _fill_provenance(conn: sqlite3.Connection) -> None:
    """``content_hash`` and ``place_key`` of every source row, as a new row gets them."""
    cols = ["event_id", *DATA_COLUMNS, "extra"]
    last = -1
    sql = f"SELECT sid, {', '.join(cols)} FROM event_sources WHERE sid > ? ORDER BY sid LIMIT 5000"
    while rows := conn.execute(sql, (last,)).fetchall():
        last = rows[-1][0]
        updates = []
        for row in rows:
            e = event_from_row(row[1:], cols)
            extra = json.dumps(e.extra, default=str) if e.extra else None
            named = e.location if not is_coarse(e.geo_precision) else ""
            updates.append((groups.content_hash(event_values(e), extra),
                            settlement_key(named) if named else "", row[0]))  # fmt: skip
        conn.executemany(
            "UPDATE event_sources SET content_hash = ?, place_key = ? WHERE sid = ?", updates
        )


def _make_indexes(conn: sqlite3.Connection, version: int = schema.SCHEMA_VERSION) -> None:
    for statement in schema.indexes(version):
        conn.execute(statement)


#: A merged event of two or more source rows (what ``events`` keeps from version 4).
_MERGED = "n_sources > 1"


def to_version_4(conn: sqlite3.Connection) -> set[int]:
    """Each input row stored once: ``events`` keeps only groups of two or more; returns
    the rows to regroup (once the store has the current layout)."""
    conn.execute("UPDATE event_sources SET group_id = NULL WHERE is_context = 1")
    conn.execute(
        "UPDATE event_sources SET group_id = NULL WHERE group_id = event_id AND group_id IN "
        f"(SELECT event_id FROM events WHERE NOT ({_MERGED}))"
    )
    orphans = {s for (s,) in conn.execute(
        "SELECT sid FROM event_sources WHERE group_id IS NOT NULL AND group_id NOT IN "
        f"(SELECT event_id FROM events WHERE {_MERGED})"
    )}  # fmt: skip
    columns = ", ".join(["rowid", "event_id", *DATA_COLUMNS, "extra", "type_class",
                         "n_sources", "source_ids"])  # fmt: skip
    conn.execute(schema.events_table("events_v4"))
    conn.execute(
        f"INSERT INTO events_v4 ({columns}) SELECT {columns} FROM events WHERE {_MERGED}"
    )
    conn.execute("DROP TABLE events")  # its indexes go with it
    conn.execute("DELETE FROM dedup_groups WHERE group_id NOT IN (SELECT event_id FROM events_v4)")
    conn.execute("ALTER TABLE events_v4 RENAME TO events")
    conn.execute("DROP TABLE events_rtree")
    conn.execute(schema.EVENTS_RTREE)
    conn.execute(
        "INSERT INTO events_rtree SELECT rowid, longitude, longitude, latitude, latitude "
        "FROM events WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    conn.execute(schema.POINTS_RTREE)
    conn.execute(
        "INSERT INTO points_rtree SELECT s.sid, s.longitude, s.longitude, s.latitude, s.latitude "
        "FROM event_sources s WHERE s.is_context = 0 AND s.latitude IS NOT NULL "
        "AND s.longitude IS NOT NULL " + SPATIAL_ORDER.format(t="s")
    )
    for name in schema.OLD_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    _make_indexes(conn, 4)
    conn.execute(schema.EXTRA_KEYS)
    conn.execute(schema.EXTRA_VALUES)  # keying codes repeated values (version 5's table)
    _key_extras(conn)
    return orphans


def _key_extras(conn: sqlite3.Connection) -> None:
    """Every source row's plain ``extra`` object stored keyed, as a new row's is."""
    last = -1
    sql = ("SELECT sid, extra FROM event_sources WHERE sid > ? AND extra IS NOT NULL "
           "ORDER BY sid LIMIT 5000")  # fmt: skip
    while rows := conn.execute(sql, (last,)).fetchall():
        last = rows[-1][0]
        plain = [[text, sid] for sid, text in rows if str(text).startswith("{")]
        for row in plain:
            row[0] = PlainExtra(row[0], json.loads(row[0]))
        conn.executemany("UPDATE event_sources SET extra = ? WHERE sid = ?",
                         encode_rows(conn, plain, 0))  # fmt: skip


def to_version_5(conn: sqlite3.Connection) -> None:
    """Files and admin-1 keys by id, content hashes and time stamps as integers, one R*Tree
    of source rows, repeated ``extra`` values coded."""
    conn.execute(schema.INPUT_FILES)
    conn.execute(schema.ADMIN1_KEYS)
    conn.execute(schema.EXTRA_VALUES)
    conn.execute("INSERT INTO input_files (path) SELECT DISTINCT input_file FROM event_sources "
                 "WHERE input_file <> '' ORDER BY input_file "
                 "ON CONFLICT (path) DO NOTHING")  # fmt: skip
    conn.execute("INSERT INTO admin1_keys (key) SELECT DISTINCT admin1_key FROM event_sources "
                 "WHERE admin1_key <> '' ORDER BY admin1_key "
                 "ON CONFLICT (key) DO NOTHING")  # fmt: skip
    conn.create_function("stored_hash", 1, groups.stored_hash, deterministic=True)
    converted = {
        "file_id": "(SELECT f.id FROM input_files f WHERE f.path = input_file)",
        "admin1_id": "(SELECT a.id FROM admin1_keys a WHERE a.key = admin1_key)",
        "content_hash": "stored_hash(content_hash)",
        "updated_at": "CASE WHEN typeof(updated_at) = 'text' "
                      "THEN CAST(strftime('%s', updated_at) AS INTEGER) ELSE updated_at END",
    }  # fmt: skip
    columns = ["sid", "event_id", *DATA_COLUMNS, *STORED_COLUMNS, "updated_at"]
    values = [converted.get(c, c) for c in columns]
    conn.execute(schema.sources_table("event_sources_v5"))
    conn.execute(f"INSERT INTO event_sources_v5 ({', '.join(columns)}) "
                 f"SELECT {', '.join(values)} FROM event_sources ORDER BY sid")  # fmt: skip
    conn.execute("DROP TABLE event_sources")  # its indexes go with it
    conn.execute("ALTER TABLE event_sources_v5 RENAME TO event_sources")
    _make_indexes(conn)
    for rtree in ("points_rtree", "sources_rtree"):
        conn.execute(f"DROP TABLE IF EXISTS {rtree}")
    conn.execute(schema.SOURCES_RTREE)
    conn.execute(
        "INSERT INTO sources_rtree SELECT s.sid, s.longitude, s.longitude, s.latitude, "
        f"s.latitude, {schema.rtree_days('s')} FROM event_sources s WHERE s.is_context = 0 "
        "AND s.latitude IS NOT NULL AND s.longitude IS NOT NULL " + SPATIAL_ORDER.format(t="s")
    )
    _code_extras(conn)


def _code_extras(conn: sqlite3.Connection) -> None:
    """Every source row's keyed ``extra`` stored again with its repeated values coded, as
    a new row's is (:func:`geomap.store.extra.encode_rows`, 5,000 rows at a time)."""
    keys = key_lists(conn)
    last = -1
    sql = ("SELECT sid, extra FROM event_sources WHERE sid > ? AND extra IS NOT NULL "
           "ORDER BY sid LIMIT 5000")  # fmt: skip
    while rows := conn.execute(sql, (last,)).fetchall():
        last = rows[-1][0]
        keyed = [[text, sid] for sid, text in rows if is_keyed(text)]
        for row in keyed:
            row[0] = plain_extra(decode(row[0], keys))
        conn.executemany("UPDATE event_sources SET extra = ? WHERE sid = ?",
                         encode_rows(conn, keyed, 0))  # fmt: skip
