"""What a worker does with one range of a table: events parsed, checked, named, written.

:func:`ingest_range` reads its records from the file itself
(:func:`~geomap.engine.ranges.read_range`), turns each into an event with
the format's row function (:data:`~geomap.ingestion.pipeline.ROW_FORMATS`),
runs the store's checks on it (:func:`~geomap.store.writes.check_events`),
names admin-1 regions with the worker's gazetteer (the boundaries are
loaded once per worker process) and writes its events as a small dataset
in its own folder.  It returns a note per row (line, id, why refused, a
digest of its values), so the client can decide, over the whole run, which
rows repeat an id, exactly as one process does, and the dedup matcher's view
of each row it wrote, so the client can find the rows of one event without
reading the rows back.  :func:`without_rows` writes a task's parts again
without some of their rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geomap.dataset import GroupEntry, table_events, write_dataset
from geomap.dataset.dedup import NodeFields, node_fields
from geomap.dataset.index import read_index
from geomap.engine.plugin import worker_state
from geomap.engine.ranges import TableRange, read_range
from geomap.ingestion.pipeline import ROW_FORMATS
from geomap.ingestion.values import RowError
from geomap.model import Event
from geomap.store import assign_admin
from geomap.store.writes import check_events


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
    #: rows written into the range's folder (a small dataset)
    written: int = 0
    #: the matcher's view of each row written (:func:`~geomap.dataset.dedup.node_fields`)
    nodes: list[NodeFields] = field(default_factory=list)
    entries: list[GroupEntry] = field(default_factory=list)
    cpu_s: float = 0.0


_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.name != "extra")


def digest(event: Event) -> str:
    """A digest of every value of the event, ``extra`` included (what "the same values"
    compares; ``extra`` by key, whatever order its keys came in)."""
    values: list[object] = [getattr(event, name) for name in _FIELDS]
    values.append(sorted(event.extra.items()))
    return hashlib.blake2b(repr(values).encode("utf-8"), digest_size=8).hexdigest()


def ingest_range(part: TableRange, fmt: str, folder: str, row_group_size: int) -> RangeResult:
    """Parse, check, name and write the rows of ``part`` (a table of format ``fmt``)."""
    cpu = time.process_time()
    to_event = ROW_FORMATS[fmt].to_event
    result = RangeResult()
    lines: list[tuple[int, str]] = []
    read: list[Event] = []
    for line, row in read_range(part):
        try:
            event = to_event(row)
        except RowError as exc:
            result.parse_errors.append((line, str(exc)))
            continue
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
    if events:
        write_dataset(events, folder, row_group_size=row_group_size)
        result.entries = read_index_of(folder)
        result.nodes = [node_fields(e, part.path) for e in events]
    result.written = len(events)
    result.cpu_s = time.process_time() - cpu
    return result


def read_index_of(folder: str) -> list[GroupEntry]:
    """The row groups of the small dataset at ``folder``."""
    return read_index(Path(folder))


def without_rows(
    folder: str, event_ids: Sequence[str], row_group_size: int, wanted: Sequence[str] = ()
) -> tuple[list[GroupEntry], list[Event]]:
    """Write the small dataset at ``folder`` again without the rows ``event_ids``: the
    row groups left (none when no row is), and the rows taken out whose ids are in
    ``wanted`` (as source rows, without provenance of their own)."""
    import pyarrow.parquet as pq

    root = Path(folder)
    gone, want = set(event_ids), set(wanted)
    kept: list[Event] = []
    taken: list[Event] = []
    for rel in sorted({g.file for g in read_index(root)}):
        for e in table_events(pq.read_table(root / rel).drop_columns(["geometry", "bbox"])):
            if e.event_id not in gone:
                kept.append(e)
            elif e.event_id in want:
                e.extra.pop("n_sources", None)
                e.extra.pop("source_ids", None)
                taken.append(e)
    shutil.rmtree(root)
    if not kept:
        return [], taken
    write_dataset(kept, root, row_group_size=row_group_size)
    return read_index(root), taken
