"""Dedup of source rows across partitions: the event store's groups, without the store.

The rows are checked as the store checks them
(:func:`geomap.store.writes.check_events`), described as the store describes
them (:func:`geomap.store.groups.source_row`), split into (grid cell x month)
partitions with a halo (:mod:`geomap.dataset.halo`), and the matching pairs
of every partition are found by the store's predicates.  The pairs are few:
:func:`geomap.store.dedupe.cluster` groups the rows they join on one machine,
with the store's tie rules (a place-less or region-level row joins at most
one group: the one with the nearest member), and every group of two or more
becomes one event by :func:`geomap.store.dedupe.merge`.  The groups are the
ones the store makes of the same rows, whatever order they came in.

:func:`dedupe_serial` does it in this process; :func:`dedupe_on` sends the
partitions to a Dask client's workers (the ``geomap[dask]`` extra) and
groups the pairs they send back here.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, cast

from geomap.dataset.halo import CELL_DEGREES, Member, PartitionKey, candidate_parts, partition_pairs
from geomap.errors import InputError, quote
from geomap.model import Event
from geomap.store.dedupe import Node, cluster, merge
from geomap.store.groups import source_row
from geomap.store.schema import DATA_COLUMNS, SOURCE_COLUMNS
from geomap.store.writes import check_events

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

_ROW_COLUMNS = ["event_id", *DATA_COLUMNS, *SOURCE_COLUMNS]
#: Where each :class:`Node` field sits in a :func:`source_row` (``sid`` is the row's position).
_NODE_AT = [_ROW_COLUMNS.index(c) for c in (
    "event_id", "latitude", "longitude", "geo_precision", "day_min", "day_max", "type_class",
    "admin1_key", "origin", "place_key", "geonameid", "input_file", "content_hash",
)]  # fmt: skip
#: Rows of partitions a worker task gets at most (several small partitions share a task).
TASK_ROWS = 20_000


@dataclass
class DedupResult:
    """What a dedup of source rows found.

    ``groups`` holds the ``event_id`` of every member of each group (one
    tuple per merged event, sorted, groups in the order of their first id);
    ``events`` the merged event of each group, in the same order, with
    ``extra["n_sources"]`` and ``extra["source_ids"]`` as the store reads
    them back; ``context`` the context figures (kept apart, never grouped, as
    the store keeps them); ``rejected`` (position, reason) for rows the store
    would refuse (a repeated id is refused after its first row).
    """

    groups: list[tuple[str, ...]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    context: list[Event] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    pairs: int = 0  # matching pairs found across the partitions
    partitions: int = 0  # (cell or admin-1) x month partitions that may hold a pair


def _events_of(events: Iterable[Event] | pd.DataFrame) -> list[Event]:
    """Events as given, or the rows of a frame with the result columns (the provenance of a
    single-source row, which says nothing, left out)."""
    pandas = sys.modules.get("pandas")
    if pandas is None or not isinstance(events, pandas.DataFrame):
        return list(events)
    from geomap.dataset.read import table_events
    from geomap.dataset.write import frame_table

    out = table_events(frame_table(events))
    for e in out:
        if e.extra.get("n_sources") == 1 and e.extra.get("source_ids") == [e.event_id]:
            del e.extra["n_sources"], e.extra["source_ids"]
    return out


def source_nodes(
    events: Sequence[Event], input_files: Sequence[str] | None = None
) -> tuple[list[Node], list[Event], DedupResult]:
    """The matcher's view of every row that would be grouped, the rows themselves (by
    sid), and a result holding the context figures and the rejected rows.

    ``input_files`` gives the file (or article) each row came from: rows of one
    file never merge unless identical, as in the store.
    """
    if input_files is not None and len(input_files) != len(events):
        raise InputError(
            f"input_files names {len(input_files)} files for {len(events)} events. Fix: give "
            "one file per event (\"\" when unknown), or leave input_files out."
        )
    good, bad = check_events([dataclasses.replace(e, extra=dict(e.extra)) for e in events])
    result = DedupResult(rejected=list(bad))
    nodes: list[Node] = []
    rows: list[Event] = []
    for position, e in good:
        if e.is_context:
            result.context.append(e)
            continue
        where = input_files[position] if input_files is not None else ""
        nodes.append(Node(len(nodes), *node_fields(e, where or "")))
        rows.append(e)
    return nodes, rows, result


#: A :class:`Node` without its ``sid``: what a worker sends for each row it wrote.
#: (event_id, latitude, longitude, geo_precision, day_min, day_max, type_class,
#: admin1_key, origin, place_key, geonameid, input_file, content_hash)
NodeFields = tuple[str, float | None, float | None, int | None, int | None, int | None, str,
                   str, str, str, int | None, str, str]  # fmt: skip


def node_fields(event: Event, input_file: str = "") -> NodeFields:
    """The matcher's view of one checked row, as :class:`Node` fields after ``sid``."""
    row = source_row(event, "", input_file)
    return cast(NodeFields, tuple(row[i] for i in _NODE_AT))


def joined_groups(nodes: Sequence[Node], pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The sids of each group of two or more rows the matching ``pairs`` make (the store's
    tie rules apply: a place-less or region-level row joins at most one group)."""
    edges = sorted(set(pairs))
    joined = sorted({s for p in edges for s in p})
    clusters = cluster([nodes[s] for s in joined], edges) if edges else []
    return [[n.sid for n in c] for c in clusters if len(c) > 1]


def merged_event(group: Sequence[Event]) -> Event:
    """The event of one group of source rows (a single row stands for itself), with the
    provenance the store reads back: ``extra["n_sources"]`` and ``extra["source_ids"]``."""
    rows = sorted(group, key=lambda e: e.event_id)
    merged = merge(rows) if len(rows) > 1 else rows[0]  # a checked copy of its own
    merged.extra["n_sources"] = len(rows)
    merged.extra["source_ids"] = [e.event_id for e in rows]
    return merged


def group_pairs(
    nodes: Sequence[Node], rows: Sequence[Event], pairs: Iterable[tuple[int, int]],
    result: DedupResult,
) -> DedupResult:  # fmt: skip
    """Fill ``result`` with the groups the matching ``pairs`` make and their merged events."""
    edges = set(pairs)
    members = joined_groups(nodes, edges)
    in_group = {s for m in members for s in m}
    members += [[n.sid] for n in nodes if n.sid not in in_group]
    members.sort(key=lambda m: min(rows[s].event_id for s in m))
    result.pairs = len(edges)
    for sids in members:
        merged = merged_event([rows[s] for s in sids])
        result.groups.append(tuple(merged.extra["source_ids"]))
        result.events.append(merged)
    return result


def dedupe_serial(
    events: Iterable[Event] | pd.DataFrame,
    *,
    input_files: Sequence[str] | None = None,
    cell_degrees: float = CELL_DEGREES,
) -> DedupResult:
    """Group and merge source rows in this process, partition by partition."""
    rows = _events_of(events)
    nodes, kept, result = source_nodes(rows, input_files)
    parts = candidate_parts(nodes, _cell(cell_degrees))
    pairs = [p for key, members in parts.items() for p in partition_pairs(key, members)]
    result.partitions = len(parts)
    return group_pairs(nodes, kept, pairs, result)


def _cell(cell_degrees: float) -> float:
    if not 0.25 <= float(cell_degrees) <= 90:
        raise InputError(
            f"cell_degrees takes 0.25 to 90 (degrees), instead got: {quote(cell_degrees)}."
            " Fix: pass e.g. 1.0."
        )
    return float(cell_degrees)


def tasks(parts: dict[PartitionKey, list[Member]], size: int = TASK_ROWS
          ) -> list[list[tuple[PartitionKey, list[Member]]]]:  # fmt: skip
    """Partitions packed into tasks of about ``size`` rows (a big partition is a task alone)."""
    out: list[list[tuple[PartitionKey, list[Member]]]] = []
    current: list[tuple[PartitionKey, list[Member]]] = []
    rows = 0
    for key in sorted(parts, key=str):
        members = parts[key]
        if current and rows + len(members) > size:
            out.append(current)
            current, rows = [], 0
        current.append((key, members))
        rows += len(members)
    if current:
        out.append(current)
    return out


def task_pairs(task: Iterable[tuple[PartitionKey, list[Member]]]) -> list[tuple[int, int]]:
    """The matching pairs of every partition of one task (what a worker runs)."""
    return [p for key, members in task for p in partition_pairs(key, members)]


def dedupe_on(
    client: Client,
    events: Iterable[Event] | pd.DataFrame,
    *,
    input_files: Sequence[str] | None = None,
    cell_degrees: float = CELL_DEGREES,
    task_rows: int = TASK_ROWS,
) -> DedupResult:
    """:func:`dedupe_serial` with the partitions' pairs found on ``client``'s workers.

    The partitions are packed into tasks of about ``task_rows`` rows,
    scattered to the workers and mapped over; only the matching pairs come
    back, and they are grouped here.  The result equals :func:`dedupe_serial`'s.
    """
    rows = _events_of(events)
    nodes, kept, result = source_nodes(rows, input_files)
    pairs, result.partitions = pairs_on(client, nodes, cell_degrees, task_rows)
    return group_pairs(nodes, kept, pairs, result)


def pairs_on(
    client: Client, nodes: Sequence[Node], cell_degrees: float = CELL_DEGREES,
    task_rows: int = TASK_ROWS,
) -> tuple[list[tuple[int, int]], int]:  # fmt: skip
    """The matching pairs of the rows ``nodes``, found partition by partition on
    ``client``'s workers, and how many partitions there were."""
    parts = candidate_parts(nodes, _cell(cell_degrees))
    work = tasks(parts, max(1, int(task_rows)))
    if not work:
        return [], len(parts)
    # each task crosses as one pickled blob: dask would otherwise walk the
    # nested lists and serialise every row on its own, which costs more than
    # finding the pairs; the blobs are scattered to the workers rather than
    # embedded in the task graph, which would then be sent (and hashed) whole
    blobs = [pickle.dumps(_packed(task), protocol=pickle.HIGHEST_PROTOCOL) for task in work]
    held = client.scatter(blobs, hash=False)
    found = client.gather(client.map(_blob_pairs, held, pure=False))
    return [(int(a), int(b)) for pairs in found for a, b in pairs], len(parts)


#: A task as it crosses processes: each row a plain tuple of its :class:`Node` fields
#: (a row in several partitions is one tuple, pickled once).
_Packed = list[tuple[PartitionKey, list[tuple[tuple[object, ...], bool]]]]
_NODE_FIELDS = attrgetter(*(f.name for f in dataclasses.fields(Node)))


def _packed(task: list[tuple[PartitionKey, list[Member]]]) -> _Packed:
    rows: dict[int, tuple[object, ...]] = {}
    out: _Packed = []
    for key, members in task:
        packed = []
        for node, home in members:
            row = rows.get(node.sid)
            if row is None:
                row = rows[node.sid] = _NODE_FIELDS(node)
            packed.append((row, home))
        out.append((key, packed))
    return out


def _blob_pairs(blob: bytes) -> list[tuple[int, int]]:
    """What a worker runs: the pairs of one task."""
    nodes: dict[int, Node] = {}
    task: list[tuple[PartitionKey, list[Member]]] = []
    for key, packed in pickle.loads(blob):
        members: list[Member] = []
        for row, home in packed:
            node = nodes.get(id(row))
            if node is None:
                node = nodes[id(row)] = Node(*row)  # type: ignore[arg-type]
            members.append((node, home))
        task.append((key, members))
    return task_pairs(task)
