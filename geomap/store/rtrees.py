"""Checking that the R*Trees hold exactly the located rows of their tables, at their points."""

from __future__ import annotations

import sqlite3


def index_problems(conn: sqlite3.Connection, *, version: int) -> list[str]:
    """Inconsistencies between the tables and their R*Trees (empty when sound).

    Every located merged event has exactly one ``events_rtree`` entry at its
    point and every R*Tree entry belongs to a located row; the same for the
    located non-context source rows in ``sources_rtree`` (before version 5,
    ``version``, only those with a date, and from version 4 every one of them
    in ``points_rtree``).
    """
    problems: list[str] = []
    located = "AND t.is_context = 0 "
    # before version 5 only the dated source rows were in sources_rtree
    sources = located if version >= 5 else "AND t.day_min IS NOT NULL " + located
    checks = [("events", "events_rtree", "rowid", "events", ""),
              ("event_sources", "sources_rtree", "sid", "source rows", sources)]  # fmt: skip
    if version == 4:
        checks.append(("event_sources", "points_rtree", "sid", "source points", located))
    for table, rtree, idcol, label, dated in checks:
        for (ident,) in conn.execute(
            f"SELECT t.event_id FROM {table} t LEFT JOIN {rtree} r ON r.id = t.{idcol} "
            "WHERE t.latitude IS NOT NULL AND t.longitude IS NOT NULL "
            + dated
            + "AND (r.id IS NULL OR abs(r.min_lat - t.latitude) > 1e-4 "
            "OR abs(r.min_lon - t.longitude) > 1e-4)"
        ):
            problems.append(f"{label}: {ident} has no R*Tree entry at its point")
        for (ident,) in conn.execute(
            f"SELECT r.id FROM {rtree} r LEFT JOIN {table} t ON t.{idcol} = r.id "
            f"WHERE t.{idcol} IS NULL OR t.latitude IS NULL OR t.is_context = 1"
        ):
            problems.append(f"{rtree}: entry {ident} has no located row")
    return problems
