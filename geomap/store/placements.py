"""Which geocode cache key placed each stored row, and the answers rows were last moved to.

A source row names the cache entry that placed it (``event_sources.geocode_key``),
a mention too (``mentions.cache_key``); ``refresh_basis`` records the answer a
re-located row was last placed with.  This is what a geocode refresh reads to
decide which rows follow a changed answer, and what it records when it moves them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from geomap.store.schema import has_table


class Placement(NamedTuple):
    """Where one stored row sits and the cache key that placed it."""

    key: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    event_id: str = ""  # source rows only
    origin: str = ""  # source rows only
    coords_from_source: bool = False  # the row came with its own coordinates


class Basis(NamedTuple):
    """The cache answer a row was last placed with (a refresh keeps the row's offset from it)."""

    kind: str  # "event" (a source row) or "mention"
    ref: str  # the event_id, or "doc_id:start-end" for a mention
    key: str
    latitude: float | None
    longitude: float | None
    geonameid: int | None = None
    provider: str = ""
    updated: str = ""


def geocode_keys(conn: sqlite3.Connection) -> list[str]:
    """Every cache key a source row or a mention was placed by, sorted."""
    sources = "SELECT DISTINCT geocode_key FROM event_sources WHERE geocode_key <> ''"
    mentions = "SELECT DISTINCT cache_key FROM mentions WHERE cache_key <> ''"
    keys = {k for (k,) in conn.execute(sources)} | {k for (k,) in conn.execute(mentions)}
    return sorted(keys)


def source_placements(conn: sqlite3.Connection) -> list[Placement]:
    """Every source row placed by a cache key (a cheap column scan: no ``extra`` decoding)."""
    return [
        Placement(key, lat, lon, prec, eid, origin or "", bool(own))
        for eid, key, own, lat, lon, origin, prec in conn.execute(
            "SELECT event_id, geocode_key, coords_from_source, latitude, longitude, origin, "
            "geo_precision FROM event_sources WHERE geocode_key <> ''"
        )
    ]


def mention_placements(conn: sqlite3.Connection) -> list[Placement]:
    """Every mention placed by a cache key."""
    return [
        Placement(key, lat, lon, prec)
        for key, lat, lon, prec in conn.execute(
            "SELECT cache_key, latitude, longitude, geo_precision FROM mentions "
            "WHERE cache_key <> ''"
        )
    ]


def read_bases(conn: sqlite3.Connection) -> list[Basis]:
    """Every recorded basis (none in a read-only store older than the table)."""
    if not has_table(conn, "refresh_basis"):
        return []
    return [
        Basis(kind, ref, key, lat, lon, gid, provider or "", updated or "")
        for kind, ref, key, lat, lon, gid, provider, updated in conn.execute(
            "SELECT kind, ref, key, latitude, longitude, geonameid, provider, updated "
            "FROM refresh_basis"
        )
    ]


def write_bases(conn: sqlite3.Connection, bases: Iterable[Basis]) -> int:
    """Record (or replace) the basis of each row; returns how many."""
    rows = [tuple(b) for b in bases]
    conn.executemany("INSERT OR REPLACE INTO refresh_basis VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
