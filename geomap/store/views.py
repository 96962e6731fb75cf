"""What readers see as "the events": rows alone in their group and merged events, as one.

Since schema version 4 each input row is stored once: a non-context source
row alone in its dedup group (``group_id`` NULL) is its own event, read from
``event_sources`` with ``n_sources`` 1 and ``source_ids`` its own id, and
only groups of two or more have a row in ``events``.  Every query here is
the union of those two parts, each with the caller's filter and, for "near"
queries, its own R*Tree (``points_rtree``, ``events_rtree``), so no query
scans a table it need not.  A read-only store older than version 4 still
holds every event in ``events``: it is read there alone (``legacy``).
"""

from __future__ import annotations

from dataclasses import dataclass

from geomap.store.rows import EVENT_READ_COLUMNS
from geomap.store.schema import DATA_COLUMNS

#: A box test of an R*Tree aliased ``r`` (parameters: max lon, min lon, max lat, min lat).
BOX = "r.min_lon <= ? AND r.max_lon >= ? AND r.min_lat <= ? AND r.max_lat >= ?"

_SINGLE_COLUMNS = ", ".join(
    [*(f"e.{c}" for c in ["event_id", *DATA_COLUMNS, "extra"]),
     "1 AS n_sources", "json_array(e.event_id) AS source_ids"]
)  # fmt: skip
_MERGED_COLUMNS = ", ".join(f"e.{c}" for c in EVENT_READ_COLUMNS)
#: A source row that is its own event.  The unary ``+`` keeps SQLite from walking
#: the group index for a condition nearly every row meets.
ALONE = "+e.group_id IS NULL AND e.is_context = 0"


@dataclass(frozen=True)
class Part:
    """One part of the events: its columns (:data:`EVENT_READ_COLUMNS` order) and its
    FROM clause with the condition every row of it meets (the table aliased ``e``)."""

    columns: str
    source: str


SINGLES = Part(_SINGLE_COLUMNS, f"FROM event_sources e WHERE {ALONE}")
MERGED = Part(_MERGED_COLUMNS, "FROM events e WHERE 1")
# CROSS JOIN: the R*Tree drives the loop (never a scan of the table it joins)
SINGLES_NEAR = Part(
    _SINGLE_COLUMNS,
    f"FROM points_rtree r CROSS JOIN event_sources e ON e.sid = r.id WHERE {BOX} AND {ALONE}",
)
MERGED_NEAR = Part(
    _MERGED_COLUMNS, f"FROM events_rtree r CROSS JOIN events e ON e.rowid = r.id WHERE {BOX}"
)


def parts(*, near: bool = False, legacy: bool = False) -> tuple[Part, ...]:
    """The parts of the events of a store (``legacy``: older than version 4)."""
    if legacy:
        return (MERGED_NEAR,) if near else (MERGED,)
    return (SINGLES_NEAR, MERGED_NEAR) if near else (SINGLES, MERGED)


def select(part: Part, where: str) -> str:
    """The SELECT of one part, with ``where`` (may be "") added to its condition."""
    sql = f"SELECT {part.columns} {part.source}"
    return f"{sql} AND {where}" if where else sql


def union(chosen: tuple[Part, ...], where: str) -> str:
    """Every part's SELECT with ``where``, as one compound query (parameters: those
    of ``where`` once per part, in order)."""
    return " UNION ALL ".join(select(p, where) for p in chosen)
