"""What readers see as "the events": rows alone in their group and merged events, as one.

Since schema version 4 each input row is stored once: a non-context source
row alone in its dedup group (``group_id`` NULL) is its own event, read from
``event_sources`` with ``n_sources`` 1 and ``source_ids`` its own id, and
only groups of two or more have a row in ``events``.  Every query here is
the union of those two parts, each with the caller's filter and, for "near"
queries, its own R*Tree (``sources_rtree`` over every day, ``events_rtree``),
so no query scans a table it need not.  A read-only store of version 4 has
its ``points_rtree`` for that (``points``); one older than version 4 still
holds every event in ``events``: it is read there alone (``legacy``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geomap.model import Event
from geomap.store.extra import is_keyed, key_lists, plain
from geomap.store.rows import EVENT_READ_COLUMNS, SqlValue, event_from_row
from geomap.store.schema import DATA_COLUMNS

#: A box test of an R*Tree aliased ``r`` (parameters: max lon, min lon, max lat, min lat).
BOX = "r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ?"

_SINGLE_COLUMNS = ", ".join(
    [*(f"e.{c}" for c in ["event_id", *DATA_COLUMNS, "extra"]),
     "1 AS n_sources", "json_array(e.event_id) AS source_ids"]
)  # fmt: skip
_MERGED_COLUMNS = ", ".join(f"e.{c}" for c in EVENT_READ_COLUMNS)
#: A source row that is its own event.
ALONE = "e.group_id IS NULL AND e.is_context = 0"


@dataclass(frozen=True)
class Part:
    """One part of the events: its columns (:data:`EVENT_READ_COLUMNS` order) and its
    FROM clause with the condition every row of it meets (the table aliased ``e``)."""

    columns: str
    source: str


SINGLES = Part(_SINGLE_COLUMNS, f"FROM event_sources e WHERE {ALONE}")
MERGED = Part(_MERGED_COLUMNS, "FROM events e WHERE 1")
# CROSS JOIN: the R*Tree drives the loop (never a scan of the table it joins); the day
# axis of sources_rtree left open, so SQLite searches it as a 2-D tree
SINGLES_NEAR = Part(
    _SINGLE_COLUMNS,
    f"FROM sources_rtree r CROSS JOIN event_sources e ON e.sid = r.id WHERE {BOX} AND {ALONE}",
)
#: The same in a store of version 4 (read-only), by its 2-D tree of source rows.
SINGLES_NEAR_4 = Part(
    _SINGLE_COLUMNS,
    f"FROM points_rtree r CROSS JOIN event_sources e ON e.sid = r.id WHERE {BOX} AND {ALONE}",
)
MERGED_NEAR = Part(
    _MERGED_COLUMNS, f"FROM events_rtree r CROSS JOIN events e ON e.rowid = r.id WHERE {BOX}"
)


def parts(*, near: bool = False, legacy: bool = False, points: bool = False
          ) -> tuple[Part, ...]:  # fmt: skip
    """The parts of the events of a store (``legacy``: older than version 4; ``points``:
    version 4, whose rows alone in their group are found near a point by ``points_rtree``)."""
    if legacy:
        return (MERGED_NEAR,) if near else (MERGED,)
    if near:
        return (SINGLES_NEAR_4 if points else SINGLES_NEAR, MERGED_NEAR)
    return (SINGLES, MERGED)


def select(part: Part, where: str) -> str:
    """The SELECT of one part, with ``where`` (may be "") added to its condition."""
    sql = f"SELECT {part.columns} {part.source}"
    return f"{sql} AND {where}" if where else sql


def union(chosen: tuple[Part, ...], where: str) -> str:
    """Every part's SELECT with ``where``, as one compound query (parameters: those
    of ``where`` once per part, in order)."""
    return " UNION ALL ".join(select(p, where) for p in chosen)


def read_events(
    conn: sqlite3.Connection, where: str, params: Sequence[Any], limit: int | None, *,
    legacy: bool,
) -> list[Event]:  # fmt: skip
    """The events that meet ``where`` (its ``params``), by date then id, at most ``limit``."""
    chosen = parts(legacy=legacy)
    sql = (f"SELECT * FROM ({union(chosen, where)}) "
           "ORDER BY event_date IS NULL, event_date, event_id")  # fmt: skip
    args = list(params) * len(chosen)
    if limit is not None:
        sql += " LIMIT ?"
        args.append(int(limit))
    keys = key_lists(conn)
    return [event_from_row(r, EVENT_READ_COLUMNS, keys) for r in conn.execute(sql, args)]


def find_event(conn: sqlite3.Connection, event_id: str, guard: str, *, legacy: bool
               ) -> Event | None:  # fmt: skip
    """The event ``event_id`` that meets ``guard`` (may be ""), or None."""
    where = " AND ".join(w for w in ("e.event_id = ?", guard) if w)
    for part in parts(legacy=legacy):
        row = conn.execute(select(part, where), (event_id,)).fetchone()
        if row:
            return event_from_row(row, EVENT_READ_COLUMNS, key_lists(conn))
    return None


def count_events(conn: sqlite3.Connection, guard: str, *, legacy: bool) -> int:
    """How many events meet ``guard`` (may be "")."""
    merged = "SELECT count(*) FROM events e WHERE 1" + (f" AND {guard}" if guard else "")
    n = int(conn.execute(merged).fetchone()[0])
    if not legacy:
        # rows alone in their group: all but context figures and group members (no
        # context figure is ever in a group), each counted on an index, not the table
        all_rows, context, members = (int(conn.execute(q).fetchone()[0]) for q in (
            "SELECT count(*) FROM event_sources",
            "SELECT count(*) FROM event_sources WHERE is_context = 1",
            "SELECT count(*) FROM event_sources WHERE group_id IS NOT NULL",
        ))  # fmt: skip
        n += all_rows - context - members
    return n


_EXTRA = EVENT_READ_COLUMNS.index("extra")


def rows_in_boxes(
    conn: sqlite3.Connection, boxes: Sequence[tuple[float, float, float, float]], where: str,
    params: Sequence[Any], *, legacy: bool, points: bool = False,
) -> tuple[list[str], list[tuple[SqlValue, ...]]]:  # fmt: skip
    """Column names and rows of the events in any of ``boxes`` (lon0, lon1, lat0, lat1)
    that meet ``where``, each once; ``extra`` as plain JSON object text (``legacy`` and
    ``points`` as for :func:`parts`)."""
    chosen = parts(near=True, legacy=legacy, points=points)
    sql = union(chosen, where)
    rows: list[tuple[SqlValue, ...]] = []
    seen: set[SqlValue] = set()
    for lo0, lo1, la0, la1 in boxes:
        args = [v for _p in chosen for v in (lo1, lo0, la1, la0, *params)]
        for r in conn.execute(sql, args):
            if r[0] not in seen:
                seen.add(r[0])
                rows.append(r)
    if any(is_keyed(r[_EXTRA]) for r in rows):
        keys = key_lists(conn)
        rows = [(*r[:_EXTRA], plain(r[_EXTRA], keys), *r[_EXTRA + 1 :]) for r in rows]
    return list(EVENT_READ_COLUMNS), rows
