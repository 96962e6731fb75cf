"""Documents and place mentions as table rows, and back."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from geomap.model import Article, Mention, Place
from geomap.store import quarantine


def write_document(conn: sqlite3.Connection, article: Article) -> None:
    """Insert or replace a checked document."""
    values = [str(article.doc_id), article.title, article.date, article.source, article.url,
              str(article.path) if article.path is not None else None,
              article.text or None]  # fmt: skip
    conn.execute(
        "INSERT INTO documents (doc_id, title, date, source, url, path, text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
        "title=excluded.title, date=excluded.date, source=excluded.source, "
        "url=excluded.url, path=excluded.path, text=excluded.text",
        values,
    )


def read_documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every document's fields (its text left out), by id."""
    cur = conn.execute(
        "SELECT doc_id, title, date, source, url, path, added_at FROM documents ORDER BY doc_id"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]


def write_mentions(conn: sqlite3.Connection, mentions: Sequence[Mention]) -> None:
    """Insert or update checked mentions by (document, span)."""
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


def read_mentions(
    conn: sqlite3.Connection, doc_id: str | None, cache_key: str | None, *, checked: bool
) -> list[Mention]:
    """Mentions of a document, or placed by a cache key (all without either); ``checked``
    leaves out rows that break the mention checks (an older store, read as it is)."""
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
    if checked:
        clauses.append(quarantine.good_rows_sql("mentions"))
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    out = []
    for r in conn.execute(sql + " ORDER BY doc_id, span_start", params):
        place = Place(**json.loads(r[4])) if r[4] else None
        out.append(
            Mention(
                doc_id=r[0], text=r[1], span_start=r[2], span_end=r[3], place=place,
                latitude=r[5], longitude=r[6], geo_precision=r[7], confidence=r[8] or 0.0,
                role=r[9] or "mentioned", reason=r[10] or "", cache_key=r[11] or "",
            )
        )  # fmt: skip
    return out
