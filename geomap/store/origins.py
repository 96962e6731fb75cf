"""The origins a store's source rows have had, kept in ``meta`` so a write can tell at once
whether its rows could match anything.

Rows of one curated dataset (:data:`~geomap.store.dedupe.CURATED`) never
match each other, so while every row a store has held is of one such
dataset (a store of one ACLED export, say) no row can join a group, and a
write need not look for candidates.  The set only ever grows (a row's
deletion leaves its origin in it), so it is never smaller than the truth.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from geomap.store.dedupe import CURATED

_KEY = "origins"


def record_origins(conn: sqlite3.Connection, batch: Iterable[str]) -> frozenset[str]:
    """Add the ``batch``'s origins to the store's, after its rows are written; every origin
    the store has held (read from the rows once, for a store that has not kept them)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    if row is None:
        known = {o or "" for (o,) in conn.execute("SELECT DISTINCT origin FROM event_sources")}
    else:
        known = set(json.loads(row[0]))
    grown = known | set(batch)
    if row is None or grown != known:
        conn.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_KEY, json.dumps(sorted(grown))),
        )
    return frozenset(grown)


def never_match(origins: frozenset[str]) -> bool:
    """Whether rows of these origins can never match each other: all of one curated dataset."""
    return len(origins) == 1 and next(iter(origins)) in CURATED
