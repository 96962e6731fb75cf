"""Finding rows stored badly and moving them to ``quarantine``, where nothing is lost.

A row is bad when a value breaks its column's check
(:func:`geomap.store.validate.column_check`, the same rule the typed tables
enforce) or the row check (a latitude without a longitude, a low above a
high).  :func:`find_bad` names each with its reason; :func:`quarantine`
copies them, whole, as JSON into the ``quarantine`` table (with the table
they came from, their id and why) and deletes them.  Source rows leave their
dedup groups, which are recomputed.  The upgrade to schema version 3 and
``geomap store check --repair`` both go through here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from geomap.store import groups
from geomap.store.rows import chunks, marks
from geomap.store.schema import DATA_COLUMNS, has_table
from geomap.store.validate import MAX_LONG_TEXT_CHARS, MAX_TEXT_CHARS, ROW_CHECK, column_check
from geomap.store.validate import kind_of as _kind_of

#: Checks of the ``mentions`` table (it has no typed columns; its rows are checked here).
_MENTION_CHECKS = {
    "latitude": "latitude IS NULL OR (typeof(latitude) IN ('integer', 'real') "
    "AND latitude BETWEEN -90 AND 90)",
    "longitude": "longitude IS NULL OR (typeof(longitude) IN ('integer', 'real') "
    "AND longitude BETWEEN -180 AND 180)",
    "span_start": "typeof(span_start) = 'integer' AND span_start >= 0",
    "span_end": "typeof(span_end) = 'integer' AND span_end >= 0",
    "geo_precision": "geo_precision IS NULL OR geo_precision IN (1, 2, 3)",
    "point": "(latitude IS NULL) = (longitude IS NULL)",
}


@dataclass(frozen=True)
class BadRow:
    """A stored row that breaks a check: its table, row id, event or document id, and why."""

    table: str
    rowid: int
    ident: str
    reason: str


def normalised(column: str) -> str:
    """SQL for a stored value as the typed table takes it: numbers written out in text
    columns, text cut to its cap, an empty flag or fatalities as 0."""
    kind = _kind_of(column).name
    if kind in ("text", "long text"):
        cap = MAX_TEXT_CHARS if kind == "text" else MAX_LONG_TEXT_CHARS
        return (f"CASE WHEN typeof({column}) IN ('integer', 'real') THEN CAST({column} AS TEXT) "
                f"WHEN typeof({column}) = 'text' THEN substr({column}, 1, {cap}) "
                f"ELSE {column} END")  # fmt: skip
    if kind in ("flag", "fatalities"):
        return f"COALESCE({column}, 0)"
    return column


def _event_checks() -> dict[str, str]:
    checks = {"event_id": column_check("event_id")}
    checks.update({c: column_check(c, f"({normalised(c)})") for c in DATA_COLUMNS})
    checks["extra"] = "extra IS NULL OR json_valid(extra)"
    checks["row"] = ROW_CHECK
    return checks


_CHECKS = {"event_sources": _event_checks(), "events": _event_checks(),
           "mentions": _MENTION_CHECKS}  # fmt: skip
_KEYS = {"event_sources": ("sid", "event_id"), "events": ("rowid", "event_id"),
         "mentions": ("id", "doc_id")}  # fmt: skip


def good_rows_sql(table: str) -> str:
    """A WHERE condition true for the rows of ``table`` that pass every check."""
    return " AND ".join(f"COALESCE(({c}), 0)" for c in _CHECKS[table].values())


def find_bad(conn: sqlite3.Connection, table: str) -> list[BadRow]:
    """Every row of ``table`` (event_sources, events or mentions) that breaks a check."""
    if not has_table(conn, table):
        return []
    rowid, ident = _KEYS[table]
    checks = _CHECKS[table]
    reasons = " ".join(
        f"WHEN NOT COALESCE(({sql}), 0) THEN "
        + (f"'bad {name}: ' || substr(quote({name}), 1, 80)" if name not in ("row", "point")
           else f"'{name} check failed'")
        for name, sql in checks.items()
    )  # fmt: skip
    sql = (f"SELECT {rowid}, {ident}, CASE {reasons} END FROM {table} "
           f"WHERE NOT ({good_rows_sql(table)})")  # fmt: skip
    return [BadRow(table, r[0], str(r[1]), str(r[2])) for r in conn.execute(sql)]


def _row_json(conn: sqlite3.Connection, table: str) -> str:
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    parts = ", ".join(
        f"'{c}', CASE typeof({c}) WHEN 'blob' THEN hex({c}) ELSE {c} END" for c in columns
    )
    return f"json_object({parts})"


def quarantine(conn: sqlite3.Connection, bad: list[BadRow]) -> set[str]:
    """Copy the bad rows into ``quarantine`` and delete them; returns the dedup groups
    they belonged to (the caller regroups them)."""
    dirty: set[str] = set()
    for table in ("event_sources", "events", "mentions"):
        rows = [b for b in bad if b.table == table]
        if not rows:
            continue
        rowid = _KEYS[table][0]
        row_json = _row_json(conn, table)
        for chunk in chunks(rows):
            ids = [b.rowid for b in chunk]
            if table == "event_sources":
                q = f"SELECT group_id FROM event_sources WHERE sid IN ({marks(ids)})"
                dirty.update(g for (g,) in conn.execute(q, ids) if g)
            elif table == "events":
                q = f"SELECT event_id FROM events WHERE rowid IN ({marks(ids)})"
                dirty.update(g for (g,) in conn.execute(q, ids))
            conn.executemany(
                "INSERT INTO quarantine (source_table, event_id, reason, row) "
                f"SELECT ?, ?, ?, {row_json} FROM {table} WHERE {rowid} = ?",
                [(table, b.ident, b.reason, b.rowid) for b in chunk],
            )
            conn.execute(f"DELETE FROM {table} WHERE {rowid} IN ({marks(ids)})", ids)
    return dirty


def repair(conn: sqlite3.Connection) -> list[BadRow]:
    """Quarantine every bad row of the store and recompute the groups they touched."""
    bad = [b for t in ("event_sources", "events", "mentions") for b in find_bad(conn, t)]
    if bad:
        dirty = quarantine(conn, bad)
        conn.execute(
            "DELETE FROM sources_rtree WHERE id NOT IN "
            "(SELECT sid FROM event_sources WHERE is_context = 0)"
        )
        conn.execute("DELETE FROM events_rtree WHERE id NOT IN (SELECT rowid FROM events)")
        groups.regroup(conn, set(), dirty)
    return bad
