"""Source rows in, merged events out: ``event_sources``, dedup groups and the R*Trees kept in step.

Every function here runs inside the caller's write transaction
(:meth:`geomap.store.EventStore.transaction`).  Writing source rows re-indexes
them in ``sources_rtree`` and recomputes the dedup groups they touch
(:func:`regroup`): every row that may match them is found through the R*Tree
and the admin-1 index, clustered by :func:`geomap.store.dedupe.cluster`, and
the merged events of every touched group are replaced.  A row alone in its
group gets no merged event (nor ``group_id``): it is its own event
(:mod:`geomap.store.views`).  Context figures (``is_context``) are stored as
source rows but never indexed, grouped or merged, so no event is ever one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from operator import itemgetter

from geomap.geo import bounding_boxes
from geomap.model import Event
from geomap.store import dedupe
from geomap.store.dedupe import Node
from geomap.store.extra import encode_rows, json_encoder, key_lists, plain_extra, text_id
from geomap.store.origins import never_match, record_origins
from geomap.store.rows import (
    SPATIAL_ORDER,
    SqlValue,
    chunks,
    event_from_row,
    event_values,
    marks,
)
from geomap.store.schema import (
    DATA_COLUMNS,
    DAY_SCALE,
    KEY_TABLES,
    KEYED_COLUMNS,
    SOURCE_COLUMNS,
    STORED_COLUMNS,
    rtree_days,
)
from geomap.taxonomy import type_class, types_compatible

_SOURCE_COLUMNS = ["event_id", *DATA_COLUMNS, *SOURCE_COLUMNS]
_STORED_COLUMNS = ["event_id", *DATA_COLUMNS, *STORED_COLUMNS]
#: Provenance a rewrite without it (a refresh moving rows) leaves as it was.
_KEPT_WHEN_EMPTY = {"input_format": "NULLIF(excluded.input_format, '')",
                    "file_id": "excluded.file_id"}  # fmt: skip
_UPSERT_SOURCE = (
    f"INSERT INTO event_sources ({','.join(_STORED_COLUMNS)}) "
    f"VALUES ({','.join('?' * len(_STORED_COLUMNS))}) "
    f"ON CONFLICT (event_id) DO UPDATE SET "
    + ",".join(
        f"{c}=COALESCE({_KEPT_WHEN_EMPTY[c]}, {c})" if c in _KEPT_WHEN_EMPTY
        else f"{c}=excluded.{c}"
        for c in _STORED_COLUMNS[1:] if c != "group_id"
    )
    + ", updated_at=CAST(strftime('%s', 'now') AS INTEGER)"
)  # fmt: skip
#: A stored content hash as :func:`content_hash` gives it ("" when the row has none).
_HASH_TEXT = "iif(s.content_hash IS NULL, '', printf('%016x', s.content_hash))"
_NODE_COLUMNS = (
    "s.sid, s.event_id, s.latitude, s.longitude, s.geo_precision, s.day_min, s.day_max, "
    "s.type_class, COALESCE(a.key, ''), s.origin, s.place_key, s.geonameid, "
    f"COALESCE(f.path, ''), {_HASH_TEXT}, s.group_id"
)
#: The admin-1 key and the file of each source row ``s`` (aliased ``a`` and ``f``).
_WITH_KEYS = ("event_sources s LEFT JOIN admin1_keys a ON a.id = s.admin1_id "
              "LEFT JOIN input_files f ON f.id = s.file_id")  # fmt: skip
_MERGED_COLUMNS = ",".join(["event_id", *DATA_COLUMNS, "extra", "type_class"])
_MERGE_RULE = "same day window, nearby or same admin-1, compatible type"
#: Each located row of the batch ``_batch`` (joined as ``s``), in a space-filling order.
_LOCATED_BATCH = (
    "FROM _batch b CROSS JOIN event_sources s ON s.sid = b.sid "
    "WHERE s.latitude IS NOT NULL AND s.longitude IS NOT NULL "
)


# -- writing source rows -------------------------------------------------------


#: ``json.dumps`` with ``default=str`` and without ASCII escapes, made once.
_JSON_TEXT = json_encoder(ensure_ascii=False)


def content_hash(values: Sequence[SqlValue], extra: str | None) -> str:
    """A digest of a row's values (its id left out), equal for identical rows: the first
    64 bits of their SHA-1, as 16 hex digits (:func:`stored_hash` gives the stored form)."""
    data = _JSON_TEXT([*values, extra])
    return hashlib.sha1(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def stored_hash(digest: str | None) -> int | None:
    """A content hash as ``event_sources`` keeps it: its first 64 bits as a signed integer
    (a store before version 5 kept all 40 hex digits of the SHA-1); None for none.

    64 bits are plenty: a hash is only ever compared with the stored row of the same id
    (is it unchanged?) and with the rows of the same file a row may merge with (identical
    rows of one file may), so a collision would take two different rows with the same
    64 bits among a handful of comparisons each, about 1 in 10**19 per comparison.
    """
    if not digest:
        return None
    value = int(digest[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def source_row(e: Event, input_format: str = "", input_file: str = "") -> list[SqlValue]:
    """The ``event_sources`` row of a checked event (:data:`_SOURCE_COLUMNS` order)."""
    d0, d1 = dedupe.day_range(e)
    values = event_values(e)
    extra = plain_extra(e.extra) if e.extra else None
    coarse = dedupe.is_coarse(e.geo_precision)
    named = e.location if not coarse else ""
    return [e.event_id, *values, extra, d0, d1, type_class(e.event_type, e.sub_event_type),
            dedupe.admin1_key(e.country, e.admin1), 1 if coarse else 0, None, input_format,
            input_file[-4096:], content_hash(values, extra),
            dedupe.settlement_key(named) if named else ""]  # fmt: skip


_DAY_MIN, _DAY_MAX = _SOURCE_COLUMNS.index("day_min"), _SOURCE_COLUMNS.index("day_max")
_EXTRA = _SOURCE_COLUMNS.index("extra")
#: Where a :func:`source_row` holds the text of each column stored by id, with the column.
_KEYED = [(_SOURCE_COLUMNS.index(c), k) for c, k in KEYED_COLUMNS.items()]
#: Where a :func:`source_row` holds its content hash.
HASH_INDEX = _SOURCE_COLUMNS.index("content_hash")


def _stored_rows(conn: sqlite3.Connection, rows: Sequence[list[SqlValue]]) -> list[list[SqlValue]]:
    """:func:`source_row` rows as ``event_sources`` stores them: ``extra`` keyed, the file
    and the admin-1 key by their ids (added when new), the content hash as an integer."""
    out = [list(r) for r in rows]
    for at, column in _KEYED:
        ids: dict[str, int | None] = {"": None}
        for row in out:
            text = str(row[at] or "")
            if text not in ids:
                ids[text] = key_id(conn, column, text)
            row[at] = ids[text]
    for row in out:
        row[HASH_INDEX] = stored_hash(str(row[HASH_INDEX] or ""))
    return encode_rows(conn, out, _EXTRA, copy=False)


def key_id(conn: sqlite3.Connection, column: str, text: str) -> int:
    """The id of ``text`` in the table of the keyed ``column`` (``file_id``, ``admin1_id``),
    added when the store does not hold it yet."""
    return text_id(conn, *KEY_TABLES[column], text)


def _widest(rows: Iterable[list[SqlValue]]) -> int:
    """The longest day interval among source rows (it bounds the admin-1 candidate search)."""
    spans = (r[_DAY_MAX] - r[_DAY_MIN] for r in rows  # type: ignore[operator]
             if r[_DAY_MIN] is not None and r[_DAY_MAX] is not None)  # fmt: skip
    return int(max(spans, default=0))


def _added_sids(conn: sqlite3.Connection, event_ids: Sequence[str], top: int) -> dict[str, int]:
    """The sid of each of ``event_ids`` just upserted, when the largest sid was ``top``
    before.  SQLite gives a new row the largest sid plus one, so when the largest is now
    ``top`` plus the number of rows, every row was new and they are numbered in order;
    otherwise they are looked up."""
    now = conn.execute("SELECT max(sid) FROM event_sources").fetchone()[0] or 0
    if now - top == len(event_ids):
        return dict(zip(event_ids, range(top + 1, now + 1), strict=True))
    return _sids(conn, event_ids)


def _sids(conn: sqlite3.Connection, event_ids: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in chunks(event_ids):
        q = f"SELECT event_id, sid FROM event_sources WHERE event_id IN ({marks(chunk)})"
        out.update(conn.execute(q, chunk))
    return out


#: The :class:`Node` fields after ``sid`` of a :func:`source_row`.
_NODE_FIELDS = itemgetter(*(_SOURCE_COLUMNS.index(c) for c in (
    "event_id", "latitude", "longitude", "geo_precision", "day_min", "day_max", "type_class",
    "admin1_key", "origin", "place_key", "geonameid", "input_file", "content_hash",
)))  # fmt: skip
_CONTEXT = _SOURCE_COLUMNS.index("is_context")
_ORIGIN = _SOURCE_COLUMNS.index("origin")


def _new_nodes(rows: Sequence[list[SqlValue]], sids: dict[str, int], top: int
               ) -> dict[int, Node]:  # fmt: skip
    """The matcher's view of the rows just added (sid above ``top``; context figures left
    out), from the rows themselves: what :func:`_load_nodes` would read back."""
    out: dict[int, Node] = {}
    for row in rows:
        sid = sids[str(row[0])]
        if sid > top and not row[_CONTEXT]:
            out[sid] = Node(sid, *_NODE_FIELDS(row))
    return out


def stored_rows(
    conn: sqlite3.Connection, event_ids: Sequence[str]
) -> dict[str, tuple[str | None, str, str]]:
    """(group_id, input_format, content_hash) of the stored rows among ``event_ids``:
    one query per chunk of ids, whatever the batch holds."""
    out: dict[str, tuple[str | None, str, str]] = {}
    for chunk in chunks(event_ids):
        q = (f"SELECT s.event_id, s.group_id, s.input_format, {_HASH_TEXT} FROM event_sources s "
             f"WHERE s.event_id IN ({marks(chunk)})")  # fmt: skip
        out.update((r[0], (r[1], r[2] or "", r[3] or "")) for r in conn.execute(q, chunk))
    return out


def write_sources(
    conn: sqlite3.Connection, rows: Sequence[list[SqlValue]], dirty_groups: set[str]
) -> None:
    """Upsert :func:`source_row` rows by ``event_id``, re-index them and regroup what they
    touch (``dirty_groups``: the groups the stored rows of these ids belonged to)."""
    ids = [str(r[0]) for r in rows]
    # a new row gets a sid above every stored one: only rows stored before have entries
    top = conn.execute("SELECT max(sid) FROM event_sources").fetchone()[0] or 0
    conn.executemany(_UPSERT_SOURCE, _stored_rows(conn, rows))
    sid_of = _added_sids(conn, ids, top)
    sids = list(sid_of.values())
    conn.executemany("DELETE FROM sources_rtree WHERE id = ?", [(s,) for s in sids if s <= top])
    _temp_tables(conn)
    _set_batch(conn, sids)
    # context figures never join a group: they leave any group they were in
    conn.execute(
        "UPDATE event_sources SET group_id = NULL WHERE is_context = 1 "
        "AND sid IN (SELECT sid FROM _batch)"
    )
    conn.execute(
        "DELETE FROM _batch WHERE sid IN (SELECT s.sid FROM _batch b CROSS JOIN event_sources s "
        "ON s.sid = b.sid WHERE s.is_context = 1)"
    )
    sids = [s for (s,) in conn.execute("SELECT sid FROM _batch")]
    conn.execute("INSERT INTO sources_rtree SELECT s.sid, s.longitude, s.longitude, s.latitude, "
                 f"s.latitude, {rtree_days('s')} {_LOCATED_BATCH} "
                 + SPATIAL_ORDER.format(t="s"))  # fmt: skip
    if (widest := _widest(rows)) > _max_window(conn):
        conn.execute(
            "INSERT INTO meta VALUES ('max_day_window', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(widest),),
        )
    origins = record_origins(conn, {str(r[_ORIGIN] or "") for r in rows})
    if not dirty_groups and never_match(origins):
        return  # no row the store holds can match another: no group to find or to leave
    regroup(conn, set(sids), dirty_groups, _new_nodes(rows, sid_of, top))


def delete_sources(conn: sqlite3.Connection, event_ids: Sequence[str]) -> int:
    """Remove source rows by ``event_id`` and regroup what they belonged to."""
    groups: set[str] = set()
    sids: list[int] = []
    for chunk in chunks(event_ids):
        q = f"SELECT sid, group_id FROM event_sources WHERE event_id IN ({marks(chunk)})"
        for s, g in conn.execute(q, chunk):
            sids.append(s)
            if g:
                groups.add(g)
    conn.executemany("DELETE FROM sources_rtree WHERE id = ?", [(s,) for s in sids])
    conn.executemany("DELETE FROM event_sources WHERE sid = ?", [(s,) for s in sids])
    _temp_tables(conn)
    regroup(conn, set(), groups)
    return len(sids)


def _temp_tables(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _batch (sid INTEGER PRIMARY KEY)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _probe (sid INTEGER, lo0 REAL, lo1 REAL, la0 REAL, "
        "la1 REAL, d0 INTEGER, d1 INTEGER, origin TEXT, akey TEXT, coarse INTEGER)"
    )


def _set_batch(conn: sqlite3.Connection, sids: Iterable[int]) -> None:
    conn.execute("DELETE FROM _batch")
    conn.executemany("INSERT INTO _batch VALUES (?)", zip(sids))


def _max_window(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'max_day_window'").fetchone()
    return int(row[0]) if row else 0


# -- finding what may group together -------------------------------------------


def _load_nodes(
    conn: sqlite3.Connection, sids: Iterable[int]
) -> dict[int, tuple[Node, str | None]]:
    out: dict[int, tuple[Node, str | None]] = {}
    for chunk in chunks(list(sids)):
        q = f"SELECT {_NODE_COLUMNS} FROM {_WITH_KEYS} WHERE s.sid IN ({marks(chunk)})"
        for r in conn.execute(q, chunk):
            out[r[0]] = (Node(*r[:14]), r[14])
    return out


def _probe_rows(nodes: Sequence[Node]) -> list[tuple[SqlValue, ...]]:
    rows: list[tuple[SqlValue, ...]] = []
    for n in nodes:
        if n.day_min is None or n.latitude is None or n.longitude is None:
            continue
        origin = n.origin if n.origin in dedupe.CURATED else ""
        coarse = 1 if dedupe.is_coarse(n.geo_precision) else 0
        boxes = bounding_boxes(n.latitude, n.longitude, dedupe.MAX_RADIUS_KM)
        for i, (lo0, lo1, la0, la1) in enumerate(boxes):
            akey = n.admin1_key if i == 0 else ""
            rows.append((n.sid, lo0, lo1, la0, la1, n.day_min, n.day_max, origin, akey, coarse))
    return rows


def _candidate_pairs(conn: sqlite3.Connection, nodes: Sequence[Node]) -> list[tuple[int, int, str]]:
    """(sid, other sid, other's type class) for every stored row that may match.

    One SQL join per call (probe boxes x R*Tree, and same admin-1 for
    region-level rows), so the loop runs inside SQLite.  Rows that can
    never match (same curated dataset) are left out here.
    """
    conn.execute("DELETE FROM _probe")
    rows = _probe_rows(nodes)
    if not rows:
        return []
    conn.executemany("INSERT INTO _probe VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    # the R*Tree's days are scaled (and rounded outwards): the rows' own days decide
    spatial = conn.execute(
        "SELECT p.sid, r.id, s.type_class FROM _probe p "
        "JOIN sources_rtree r ON r.min_lon <= p.lo1 AND r.max_lon >= p.lo0 "
        "AND r.min_lat <= p.la1 AND r.max_lat >= p.la0 "
        f"AND r.min_day <= p.d1 * {DAY_SCALE!r} AND r.max_day >= p.d0 * {DAY_SCALE!r} "
        "JOIN event_sources s ON s.sid = r.id "
        "WHERE r.id <> p.sid AND s.day_min <= p.d1 AND s.day_max >= p.d0 "
        "AND (p.origin = '' OR s.origin <> p.origin)"
    ).fetchall()
    # Same admin-1: rows of the other precision class whose day interval
    # overlaps.  day_min is bounded below by d0 - (longest interval in the
    # store), so the index range scan stays small as the store grows.
    window = _max_window(conn)
    same_admin1: list[tuple[int, int, str]] = []
    for other_coarse, probe_filter in ((1, ""), (0, " AND p.coarse = 1")):
        same_admin1 += conn.execute(
            # "s.admin1_id IS NOT NULL", "s.latitude IS NOT NULL" and "s.is_context = 0"
            # let SQLite use the partial index, which holds every column read here
            "SELECT p.sid, s.sid, s.type_class FROM _probe p "
            "JOIN admin1_keys a ON a.key = p.akey "
            "JOIN event_sources s ON s.admin1_id = a.id AND s.admin1_id IS NOT NULL "
            "AND s.coarse = ? AND s.day_min >= p.d0 - ? AND s.day_min <= p.d1 "
            "WHERE p.akey <> ''" + probe_filter + " AND s.day_max >= p.d0 "
            "AND s.latitude IS NOT NULL AND s.sid <> p.sid AND s.is_context = 0 "
            "AND (p.origin = '' OR s.origin <> p.origin)",
            (other_coarse, window),
        ).fetchall()
    return spatial + same_admin1


def _merged_members(conn: sqlite3.Connection, groups: set[str], known: dict[int, Node]) -> set[int]:
    """Members of the merged events of ``groups`` not yet ``known``.

    Every member of a touched group is regrouped with it, so no member is
    left pointing at a merged event that is about to be replaced.
    """
    out: set[int] = set()
    for chunk in chunks(sorted(groups)):
        q = ("SELECT s.sid FROM events e JOIN event_sources s ON s.group_id = e.event_id "
             f"WHERE e.event_id IN ({marks(chunk)}) AND e.n_sources > 1")  # fmt: skip
        out.update(s for (s,) in conn.execute(q, chunk) if s not in known)
    return out


def _expand(
    conn: sqlite3.Connection, seeds: set[int], dirty_groups: set[str], known: dict[int, Node]
) -> tuple[dict[int, Node], set[str], set[tuple[int, int]], set[int]]:
    """Every row that may group with the seeds, the groups they belonged to, matching pairs,
    and the rows among them that belonged to a group.

    Grows outwards from the seeds (and the members of ``dirty_groups``)
    through candidate matches and the members of every group met, until
    nothing new is found.  ``known`` are nodes of rows in no group, not read again.
    """
    frontier = set(seeds)
    for g in dirty_groups:
        frontier.update(s for (s,) in conn.execute(
            "SELECT sid FROM event_sources WHERE group_id = ? AND is_context = 0", (g,)
        ))  # fmt: skip
    nodes: dict[int, Node] = {}
    old_groups: set[str] = set(dirty_groups)
    pairs: set[tuple[int, int]] = set()
    grouped: set[int] = set()
    while frontier:
        loaded = _load_nodes(conn, frontier - nodes.keys() - known.keys())
        if ready := frontier & known.keys() - nodes.keys():
            loaded.update((s, (known[s], None)) for s in ready)
            loaded = dict(sorted(loaded.items()))  # in sid order, as read
        new_groups: set[str] = set()
        for sid, (node, group) in loaded.items():
            nodes[sid] = node
            if group is not None:
                grouped.add(sid)
            if group and group not in old_groups:
                new_groups.add(group)
        old_groups |= new_groups
        frontier = _merged_members(conn, new_groups, nodes)
        for sid, other, other_type in _candidate_pairs(conn, [n for n, _g in loaded.values()]):
            if types_compatible(nodes[sid].type_class, other_type or ""):
                pairs.add((min(sid, other), max(sid, other)))
                if other not in nodes:
                    frontier.add(other)
    return nodes, old_groups, pairs, grouped


# -- replacing the merged events -----------------------------------------------


def regroup(conn: sqlite3.Connection, seeds: set[int], dirty_groups: set[str],
            known: dict[int, Node] | None = None) -> None:  # fmt: skip
    """Recompute the dedup groups around ``seeds`` and replace their merged events
    (``known``: the nodes of rows just added, see :func:`_new_nodes`)."""
    _temp_tables(conn)
    nodes, old_groups, pairs, grouped = _expand(conn, seeds, dirty_groups, known or {})
    clusters = dedupe.cluster(list(nodes.values()), pairs)
    _drop_merged(conn, sorted(old_groups))
    # a row alone that belonged to no group has nothing to leave
    _write_singles(conn, [c[0].sid for c in clusters if len(c) == 1 and c[0].sid in grouped])
    merged = [c for c in clusters if len(c) > 1]
    if not merged:
        return
    _write_merged(conn, merged)
    _set_batch_rowids(conn, [c[0].event_id for c in merged])
    conn.execute(
        "INSERT INTO events_rtree SELECT e.rowid, e.longitude, e.longitude, e.latitude, "
        "e.latitude FROM _batch b CROSS JOIN events e ON e.rowid = b.sid "
        "WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL " + SPATIAL_ORDER.format(t="e")
    )


def _drop_merged(conn: sqlite3.Connection, groups: Sequence[str]) -> None:
    """The old merged events of every touched group go (new ones come in after)."""
    for chunk in chunks(groups):
        q = marks(chunk)
        rowids = [(r,) for (r,) in conn.execute(
            f"SELECT rowid FROM events WHERE event_id IN ({q})", chunk)]  # fmt: skip
        conn.executemany("DELETE FROM events_rtree WHERE id = ?", rowids)
        conn.execute(f"DELETE FROM events WHERE event_id IN ({q})", chunk)
        conn.execute(f"DELETE FROM dedup_groups WHERE group_id IN ({q})", chunk)


def _write_singles(conn: sqlite3.Connection, sids: Sequence[int]) -> None:
    """A row alone in its group is its own event: it leaves any group it was in."""
    _set_batch(conn, sids)
    conn.execute(
        "UPDATE event_sources SET group_id = NULL "
        "WHERE sid IN (SELECT sid FROM _batch) AND group_id IS NOT NULL"
    )


def _write_merged(conn: sqlite3.Connection, clusters: Sequence[list[Node]]) -> None:
    rows: list[list[SqlValue]] = []
    group_rows: list[tuple[str, int, str]] = []
    for members in clusters:
        merged = dedupe.merge(source_events(conn, [n.sid for n in members]))
        gid = merged.event_id
        conn.executemany(
            "UPDATE event_sources SET group_id = ? WHERE sid = ?", [(gid, n.sid) for n in members]
        )
        rows.append(
            [gid, *event_values(merged), json.dumps(dict(merged.extra), default=str),
             type_class(merged.event_type, merged.sub_event_type),
             len(members), json.dumps([n.event_id for n in members])]
        )  # fmt: skip
        group_rows.append((gid, len(members), _MERGE_RULE))
    if rows:
        conn.executemany(
            f"INSERT INTO events ({_MERGED_COLUMNS}, n_sources, source_ids) "
            f"VALUES ({','.join('?' * (len(DATA_COLUMNS) + 5))})",
            rows,
        )
        conn.executemany("INSERT INTO dedup_groups VALUES (?, ?, ?)", group_rows)


def _set_batch_rowids(conn: sqlite3.Connection, event_ids: Sequence[str]) -> None:
    conn.execute("DELETE FROM _batch")
    conn.executemany("INSERT INTO _batch SELECT rowid FROM events WHERE event_id = ?",
                     zip(event_ids))  # fmt: skip


def source_events(conn: sqlite3.Connection, sids: Sequence[int]) -> list[Event]:
    """The source rows ``sids`` as events."""
    cols = ["event_id", *DATA_COLUMNS, "extra"]
    out: list[Event] = []
    keys = key_lists(conn)
    for chunk in chunks(list(sids)):
        q = f"SELECT {','.join(cols)} FROM event_sources WHERE sid IN ({marks(chunk)})"
        out.extend(event_from_row(r, cols, keys) for r in conn.execute(q, chunk))
    return out
