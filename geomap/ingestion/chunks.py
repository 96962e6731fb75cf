"""Located table rows (ACLED, UCDP, GDELT) to events a chunk of rows at a time.

Each row is read by its format's row reader, except that the test "is the
point inside the row's country" runs once per chunk and country over all
its points (:func:`geomap.countries.outside_country`).  A row that fails
anything goes through the row reader again with every check, so its message
is exactly the one the row reader gives alone (the country test comes before
the date and count tests there); a row refused only for its country is named
by the same test the row reader makes.  Rows come out in file order.

The ACLED rows of a plain UTF-8 CSV file are read a column at a time
(:func:`geomap.ingestion.acled.acled_records`: each distinct date or count
parsed once, no dict per row); a row that any column's test doubts is read
alone by the row reader, so events and messages are the same either way.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from geomap import countries
from geomap.ingestion import acled, gdelt, ucdp
from geomap.ingestion.progress import progress
from geomap.ingestion.report import Rejected
from geomap.ingestion.tables import StreamedRows, Table
from geomap.ingestion.values import Row, RowError
from geomap.model import Event

#: Rows read and checked together (memory stays flat whatever the file's size).
CHUNK_ROWS = 10_000

#: Formats whose row reader can leave the country test to the chunk (``in_country=False``).
_BATCH_COUNTRY = frozenset({"acled", "ucdp"})
#: Row readers by format, with every check.
_READERS: dict[str, Callable[..., Event]] = {
    "acled": acled.acled_row,
    "ucdp": ucdp.ucdp_row,
    "gdelt": gdelt.gdelt_row,
}

Parsed = tuple[int, Event] | Rejected


def parse_chunk(rows: Sequence[tuple[int, Row]], fmt: str, path: str) -> list[Parsed]:
    """Each (line, row) of a located table in format ``fmt`` ("acled", "ucdp" or
    "gdelt") as (line, event), or as the :class:`Rejected` naming ``path``, the
    line and why, in row order; nothing is stored (the store's own checks and
    admin-1 come when the events are stored)."""
    reader = _READERS[fmt]
    if fmt not in _BATCH_COUNTRY:
        return [_read(reader, path, line, row) for line, row in rows]
    return _in_country([_quickly(reader, path, line, row) for line, row in rows], path)


def parse_records(
    records: Sequence[tuple[int, list[str]]], columns: Sequence[str], fmt: str, path: str
) -> list[Parsed]:
    """:func:`parse_chunk` of rows given as (line, cells) with the table's ``columns``
    (stripped): the same items.  ACLED rows are read a column at a time
    (:func:`geomap.ingestion.acled.acled_records`) when no two column names are the
    same in lower case."""
    if fmt != "acled" or len({c.lower() for c in columns}) < len(columns):
        rows: list[tuple[int, Row]] = [
            (line, dict(zip(columns, cells, strict=False))) for line, cells in records
        ]
        return parse_chunk(rows, fmt, path)
    names = [c.lower() for c in columns]
    whole = [i for i, (_line, cells) in enumerate(records) if len(cells) == len(names)]
    read = acled.acled_records(names, [records[i][1] for i in whole])
    events: list[Event | None] = [None] * len(records)
    for i, event in zip(whole, read, strict=True):
        events[i] = event
    out: list[Parsed] = []
    for (line, cells), event in zip(records, events, strict=True):
        if event is None:  # doubted: read alone, from the row as any table gives it
            row: Row = dict(zip(columns, cells, strict=False))
            out.append(_quickly(acled.acled_row, path, line, row))
        else:
            out.append((line, event))
    return _in_country(out, path)


def _quickly(reader: Callable[..., Event], path: str, line: int, row: Row) -> Parsed:
    """The row read by ``reader`` without the country test, else read again with it (so a
    point outside its country is named first)."""
    try:
        return line, reader(row, in_country=False)
    except RowError:
        return _read(reader, path, line, row)


def _in_country(out: list[Parsed], path: str) -> list[Parsed]:
    """``out`` with each event whose point lies outside its country replaced by the
    :class:`Rejected` that names it (tested over all the points at once)."""
    located = [i for i, item in enumerate(out) if not isinstance(item, Rejected)]
    events = [out[i][1] for i in located]  # type: ignore[index]
    outside = countries.outside_country(
        [e.latitude for e in events],  # type: ignore[misc]
        [e.longitude for e in events],  # type: ignore[misc]
        [e.country for e in events],
    )
    for k, why in outside.items():  # the row passed every other test: only its country is left
        out[located[k]] = Rejected(path, out[located[k]][0], why)  # type: ignore[index]
    return out


def _read(reader: Callable[[Row], Event], path: str, line: int, row: Row) -> Parsed:
    try:
        return line, reader(row)
    except RowError as exc:
        return Rejected(path, line, str(exc))


def parse_table(table: Table, fmt: str, *, show_progress: bool | None = False) -> Iterator[Parsed]:
    """Every row of a located table as :func:`parse_chunk` gives it, in file order,
    read :data:`CHUNK_ROWS` rows at a time."""
    path = str(table.path)
    if isinstance(table.rows, StreamedRows):
        records = iter(progress(table.rows.records(), table.path.name, show=show_progress))
        while some := list(islice(records, CHUNK_ROWS)):
            yield from parse_records(some, table.columns, fmt, path)
        return
    rows: Iterable[tuple[int, Row]] = progress(table.rows, table.path.name, show=show_progress)
    it = iter(rows)
    while chunk := list(islice(it, CHUNK_ROWS)):
        yield from parse_chunk(chunk, fmt, path)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with Python's cycle collector paused (the caller's state is put back
    after it, however it ends).

    A table's rows make no reference cycles (reading and storing 100,000 rows leaves
    16 unreachable objects), but each chunk makes hundreds of thousands of objects
    that live until its batch is written.  With the collector on, each batch's are
    scanned again after it is written, and whatever is young is scanned every few
    thousand objects: about 0.66 CPU-seconds a 100,000-row table, a fourteenth of its
    ingest.  Paused, they are freed as their counts drop, and anything cyclic is
    collected once the collector resumes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
