"""Stores as older geomap left them, for the migration tests.

Before schema version 4 every event was stored in ``events``: a source row
alone in its group was copied there (``n_sources`` 1) with its own
``events_rtree`` entry and ``group_id`` = its id; there was no
``points_rtree``; ``events`` had two indexes; ``extra`` was a plain JSON
object (no ``extra_keys``).  :func:`to_version_3_layout`
turns a store the current geomap wrote into exactly that (as the frozen
version-3 code writes it: tests/data/store-v3.sqlite is one it wrote).

Before version 5 a source row kept its file's path (``input_file``) and its
admin-1 key as text, its
content hash as 40 hex digits and ``updated_at`` as text, and two R*Trees:
``points_rtree`` (lon, lat) of every located non-context row, and
``sources_rtree`` (lon, lat, day, days as they are) of those with a date.
:func:`to_version_4_layout` turns a current store into that
(tests/data/store-v4.sqlite is one the version-4 code wrote).
"""

from __future__ import annotations

import json
import sqlite3

from geomap.store.extra import decode, key_lists, plain
from geomap.store.schema import (
    DATA_COLUMNS,
    POINTS_RTREE,
    SOURCE_COLUMNS,
    indexes,
    sources_table,
)

_COLUMNS = ",".join(["event_id", *DATA_COLUMNS, "extra", "type_class"])

VERSION_3_INDEXES = """
DROP INDEX IF EXISTS sources_members;
DROP INDEX IF EXISTS sources_geocoded;
CREATE INDEX sources_group ON event_sources (group_id);
CREATE INDEX sources_geocode_key ON event_sources (geocode_key);
CREATE INDEX events_date ON events (event_date);
CREATE INDEX events_geocode_key ON events (geocode_key);
"""


def to_version_4_layout(con: sqlite3.Connection, version: int = 4) -> None:
    """Rewrite a current store's tables the way version 4 kept them (and mark it ``version``)."""
    columns = ["sid", "event_id", *DATA_COLUMNS, *SOURCE_COLUMNS, "updated_at"]
    values = {"input_file": "COALESCE((SELECT path FROM input_files WHERE id = file_id), '')",
              "admin1_key": "COALESCE((SELECT key FROM admin1_keys WHERE id = admin1_id), '')",
              "content_hash": "CASE WHEN content_hash IS NULL THEN '' "
                              "ELSE printf('%016x', content_hash) || '0000000000000000' "
                              "|| '00000000' END",
              "updated_at": "strftime('%Y-%m-%dT%H:%M:%SZ', updated_at, 'unixepoch')"}
    con.execute(sources_table("event_sources_v4", version=4))
    con.execute(f"INSERT INTO event_sources_v4 ({', '.join(columns)}) "
                f"SELECT {', '.join(values.get(c, c) for c in columns)} FROM event_sources")
    con.execute("DROP TABLE event_sources")
    con.execute("DROP TABLE input_files")
    con.execute("DROP TABLE admin1_keys")
    con.execute("ALTER TABLE event_sources_v4 RENAME TO event_sources")
    _uncoded_extras(con)
    for statement in indexes(4):
        con.execute(statement)
    con.execute("DELETE FROM sources_rtree")
    con.execute("INSERT INTO sources_rtree SELECT sid, longitude, longitude, latitude, latitude, "
                "day_min, day_max FROM event_sources WHERE is_context = 0 "
                "AND latitude IS NOT NULL AND day_min IS NOT NULL")
    con.execute(POINTS_RTREE)
    con.execute("INSERT INTO points_rtree SELECT sid, longitude, longitude, latitude, latitude "
                "FROM event_sources WHERE is_context = 0 AND latitude IS NOT NULL")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))


def _uncoded_extras(con: sqlite3.Connection) -> None:
    """Every keyed ``extra`` with its values written out (no ``extra_values`` before 5)."""
    keys = key_lists(con)
    rows = con.execute("SELECT sid, extra FROM event_sources WHERE extra LIKE '[%'").fetchall()
    for sid, text in rows:
        data = decode(text, keys)
        names = json.dumps(list(data), separators=(",", ":"))
        con.execute("INSERT INTO extra_keys (keys) VALUES (?) ON CONFLICT DO NOTHING", (names,))
        kid = con.execute("SELECT id FROM extra_keys WHERE keys = ?", (names,)).fetchone()[0]
        keyed = json.dumps([kid, *data.values()], separators=(",", ":"))
        con.execute("UPDATE event_sources SET extra = ? WHERE sid = ?", (keyed, sid))
    con.execute("DROP TABLE extra_values")


def to_version_3_layout(con: sqlite3.Connection, version: int = 3) -> None:
    """Rewrite a current store's tables the way version 3 kept them (and mark it ``version``)."""
    to_version_4_layout(con)
    keys = key_lists(con)
    con.executemany(
        "UPDATE event_sources SET extra = ? WHERE sid = ?",
        [(plain(text, keys), sid) for sid, text in con.execute(
            "SELECT sid, extra FROM event_sources WHERE extra IS NOT NULL").fetchall()],
    )  # fmt: skip
    con.execute("DROP TABLE extra_keys")
    con.execute(
        f"INSERT INTO events ({_COLUMNS}, n_sources, source_ids) "
        f"SELECT {_COLUMNS}, 1, json_array(event_id) FROM event_sources "
        "WHERE group_id IS NULL AND is_context = 0 ORDER BY sid"
    )
    con.execute("UPDATE event_sources SET group_id = event_id "
                "WHERE group_id IS NULL AND is_context = 0")  # fmt: skip
    con.execute("DELETE FROM events_rtree")
    con.execute(
        "INSERT INTO events_rtree SELECT rowid, longitude, longitude, latitude, latitude "
        "FROM events WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    con.execute("DROP TABLE points_rtree")
    for statement in VERSION_3_INDEXES.split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
