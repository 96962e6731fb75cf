"""Located table rows (ACLED, UCDP, GDELT) to events a chunk of rows at a time.

Each row is read by its format's row reader, except that the test "is the
point inside the row's country" runs once per chunk and country over all
its points (:func:`geomap.countries.outside_country`).  A row that fails
anything goes through the row reader again with every check, so its message
is exactly the one the row reader gives alone (the country test comes before
the date and count tests there); a row refused only for its country is named
by the same test the row reader makes.  Rows come out in file order.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from geomap import countries
from geomap.errors import CoordinateError
from geomap.ingestion import acled, gdelt, ucdp
from geomap.ingestion.progress import progress
from geomap.ingestion.report import Rejected
from geomap.ingestion.tables import Table
from geomap.ingestion.values import Row, RowError
from geomap.model import Event

#: Rows read and checked together (memory stays flat whatever the file's size).
CHUNK_ROWS = 10_000

#: Collector thresholds while a table is read and stored: a chunk makes tens of
#: thousands of objects that live until its batch is written, none of them in a
#: reference cycle, so the default thresholds (700, 10, 10) run the collector
#: over them again and again for nothing (about a tenth of an ingest's CPU).
GC_THRESHOLDS = (10_000, 100, 1_000)

#: Row readers that can leave the country test to the chunk (``in_country=False``).
_BATCH_COUNTRY: dict[str, Callable[..., Event]] = {
    "acled": acled.acled_row,
    "ucdp": ucdp.ucdp_row,
}
#: Row readers by format, with every check.
_READERS: dict[str, Callable[[Row], Event]] = {
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
    quick = _BATCH_COUNTRY.get(fmt)
    if quick is None:
        return [_read(reader, path, line, row) for line, row in rows]
    out: list[Parsed] = []
    for line, row in rows:
        try:
            out.append((line, quick(row, in_country=False)))
        except RowError:  # read again whole: a point outside its country is named first
            out.append(_read(reader, path, line, row))
    located = [i for i, item in enumerate(out) if not isinstance(item, Rejected)]
    events = [out[i][1] for i in located]  # type: ignore[index]
    outside = countries.outside_country(
        [e.latitude for e in events],  # type: ignore[misc]
        [e.longitude for e in events],  # type: ignore[misc]
        [e.country for e in events],
    )
    for k in outside:  # the row passed every other test: only the country's message is left
        try:
            countries.check_in_country(events[k].latitude, events[k].longitude,  # type: ignore[arg-type]
                                       events[k].country)  # fmt: skip
        except CoordinateError as exc:
            out[located[k]] = Rejected(path, rows[located[k]][0], str(exc))
    return out


def _read(reader: Callable[[Row], Event], path: str, line: int, row: Row) -> Parsed:
    try:
        return line, reader(row)
    except RowError as exc:
        return Rejected(path, line, str(exc))


def parse_table(table: Table, fmt: str, *, show_progress: bool | None = False) -> Iterator[Parsed]:
    """Every row of a located table as :func:`parse_chunk` gives it, in file order,
    read :data:`CHUNK_ROWS` rows at a time."""
    rows: Iterable[tuple[int, Row]] = progress(table.rows, table.path.name, show=show_progress)
    it = iter(rows)
    while chunk := list(islice(it, CHUNK_ROWS)):
        yield from parse_chunk(chunk, fmt, str(table.path))


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with the collector at :data:`GC_THRESHOLDS` (the caller's thresholds
    are put back after it, however it ends); cycles are still collected, less often."""
    old = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
