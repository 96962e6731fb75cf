"""What a worker does with one range of a table: events parsed, checked, named, written.

:func:`ingest_range` reads its records from the file itself
(:func:`~geomap.engine.ranges.read_records`), turns them into events as one
process does (:func:`~geomap.ingestion.chunks.parse_records`), runs the
store's checks on them (:func:`~geomap.store.writes.check_events`) and
names admin-1 regions with the worker's gazetteer (the boundaries are
loaded once per worker process).  It keeps its rows on the worker as an
Arrow table (:class:`RangeRows`) and returns a note per row (line, id, why
refused, a digest of its values), so the client can decide, over the whole
run, which rows repeat an id, exactly as one process does, and the dedup
matcher's view of each row, so the client can find the rows of one event
without reading any row back.  Once the client knows which rows leave the
range (ids kept out, rows merged into an event), :func:`split_range` drops
them, hands back the merged ones and cuts the rest by (source, year)
partition; :func:`write_partition` then writes each partition as one
Hilbert-sorted file from the pieces of every range (Dask moves the pieces
between workers): each row is written once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.dataset import GroupEntry, table_events
from geomap.dataset.columns import events_table
from geomap.dataset.dedup import NodeFields, node_fields
from geomap.dataset.write import split_partitions, write_partitions
from geomap.engine.plugin import worker_state
from geomap.engine.ranges import TableRange, read_records
from geomap.ingestion.chunks import CHUNK_ROWS, collector_paused, parse_records
from geomap.ingestion.report import Rejected
from geomap.model import Event
from geomap.store import assign_admin
from geomap.store.writes import check_events

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True, slots=True)
class RowNote:
    """One parsed row: its line, the id it came with, and what the checks made of it."""

    line: int
    raw_id: str
    #: the id after the checks ("" when they refused the row)
    event_id: str = ""
    #: why the checks refused it ("" when they passed it)
    error: str = ""
    #: a digest of the row's values after the checks and admin-1 ("" when refused)
    digest: str = ""
    #: whether the worker wrote it (the first row of its id in the range)
    written: bool = False


@dataclass(slots=True)
class RangeResult:
    """What one range gave: rows the format refused, a note per parsed row, what was written."""

    parse_errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    #: rows kept to be written (the first of each id in the range)
    written: int = 0
    #: the matcher's view of each row kept (:func:`~geomap.dataset.dedup.node_fields`)
    nodes: list[NodeFields] = field(default_factory=list)
    cpu_s: float = 0.0


@dataclass(slots=True)
class RangeRows:
    """A range's result and its rows, held on the worker until they are written."""

    result: RangeResult
    table: pa.Table | None


def range_result(rows: RangeRows) -> RangeResult:
    """The part of a range's outcome the client reads (its rows stay on the worker)."""
    return rows.result


_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.name != "extra")


def digest(event: Event) -> str:
    """A digest of every value of the event, ``extra`` included (what "the same values"
    compares; ``extra`` by key, whatever order its keys came in)."""
    values: list[object] = [getattr(event, name) for name in _FIELDS]
    values.append(sorted(event.extra.items()))
    return hashlib.blake2b(repr(values).encode("utf-8"), digest_size=8).hexdigest()


def ingest_range(part: TableRange, fmt: str) -> RangeRows:
    """Parse, check and name the rows of ``part`` (a table of format ``fmt``), with the
    cycle collector paused as one process pauses it for a table."""
    with collector_paused():
        return _ingest_range(part, fmt)


def _ingest_range(part: TableRange, fmt: str) -> RangeRows:
    cpu = time.process_time()
    result = RangeResult()
    lines: list[tuple[int, str]] = []
    read: list[Event] = []
    records = read_records(part)
    while some := list(islice(records, CHUNK_ROWS)):
        for item in parse_records(some, part.columns, fmt, str(part.path)):
            if isinstance(item, Rejected):
                result.parse_errors.append((item.line, item.reason))
                continue
            line, event = item
            lines.append((line, event.event_id))
            read.append(event)
    # the checks of one process, run on the whole range at once (the id rules come below)
    good, bad = check_events(read, refuse_repeats=False)
    verdicts: list[tuple[Event | None, str]] = [(None, "")] * len(read)
    for i, event in good:
        verdicts[i] = (event, "")
    for i, why in bad:
        verdicts[i] = (None, why)
    parsed = [(line, raw, e, why) for (line, raw), (e, why) in zip(lines, verdicts, strict=True)]
    assign_admin([e for _l, _r, e, _w in parsed if e is not None],
                 gazetteer=worker_state().gazetteer)  # fmt: skip
    events = []
    raw_seen: set[str] = set()
    ids_seen: set[str] = set()
    for line, raw, checked, why in parsed:
        first = not raw or raw not in raw_seen
        raw_seen.add(raw)
        if checked is None:
            result.notes.append(RowNote(line, raw, error=why))
            continue
        write = first and checked.event_id not in ids_seen  # later rows: the client reports them
        result.notes.append(RowNote(line, raw, checked.event_id, "", digest(checked), write))
        if write:
            ids_seen.add(checked.event_id)
            events.append(checked)
    result.nodes = [node_fields(e, part.path) for e in events]
    result.written = len(events)
    table = events_table(events) if events else None
    result.cpu_s = time.process_time() - cpu
    return RangeRows(result, table)


#: A dataset partition: (source, year), as :func:`~geomap.dataset.write.partition_keys` names it.
PartKey = tuple[str, str]


@dataclass(slots=True)
class RangeSplit:
    """A range's rows once the id rules and the merges are settled: the rows left, by
    partition (held on the worker), and the merged rows taken out (sent to the client)."""

    pieces: dict[PartKey, pa.Table]
    taken: list[Event]
    cpu_s: float


def split_range(
    rows: RangeRows, event_ids: Sequence[str], wanted: Sequence[str] = ()
) -> RangeSplit:
    """The range's rows but ``event_ids``, cut by partition, and the rows left out whose ids
    are in ``wanted`` (as source rows, without provenance of their own)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cpu = time.process_time()
    if rows.table is None:
        return RangeSplit({}, [], time.process_time() - cpu)
    table = rows.table
    taken: list[Event] = []
    if event_ids:
        ids = table.column("event_id")
        out = pc.is_in(ids, value_set=pa.array(sorted(set(event_ids)), type=ids.type))
        if wanted:
            want = pc.is_in(ids, value_set=pa.array(sorted(set(wanted)), type=ids.type))
            for e in table_events(table.filter(want)):
                e.extra.pop("n_sources", None)
                e.extra.pop("source_ids", None)
                taken.append(e)
        table = table.filter(pc.invert(out))
    return RangeSplit(split_partitions(table), taken, time.process_time() - cpu)


def split_outline(split: RangeSplit) -> tuple[list[PartKey], list[Event], float]:
    """What the client reads of a split: its partitions, the merged rows, its CPU seconds."""
    return sorted(split.pieces), split.taken, split.cpu_s


def piece_of(split: RangeSplit, key: PartKey) -> pa.Table:
    """The rows of one partition in one range."""
    return split.pieces[key]


def write_partition(
    pieces: Sequence[pa.Table], root: str, row_group_size: int
) -> tuple[list[GroupEntry], float]:
    """Write the pieces of one partition (from every range, and the merged events) as its
    one Hilbert-sorted file under ``root``; its index entries and the CPU seconds it took."""
    import pyarrow as pa

    cpu = time.process_time()
    table = pa.concat_tables(pieces)
    entries = write_partitions(table, Path(root), row_group_size)
    return entries, time.process_time() - cpu
