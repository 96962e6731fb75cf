"""Reading a dataset through its index: pruned by bbox and dates, no engine per query.

:class:`EventDataset` opens the index once.  A query looks only at the row
groups whose bbox meets one of its boxes (and whose dates meet the filter's),
reads their ``bbox`` covering column to find the points inside, and then
only the columns asked for.  Decoded row groups are kept (a bounded cache), so
a long-lived reader answers later queries from memory, as SQLite's page
cache does for the store.  Filters are :meth:`geomap.model.EventFilter.matches`,
the same rule the store's SQL applies.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.dataset.columns import ALL_COLUMNS
from geomap.dataset.index import Box, GroupEntry, is_dataset, read_index
from geomap.dataset.points import PointIndex
from geomap.errors import InputError
from geomap.model import Event, EventFilter

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

#: Columns a filter reads (see EventFilter.matches).
FILTER_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2",
                  "deaths_best", "fatalities")  # fmt: skip
#: How many decoded row-group tables a reader keeps.
CACHED_GROUPS = 256


class EventDataset:
    """A GeoParquet events dataset, read through its index."""

    def __init__(self, root: Path, entries: list[GroupEntry]) -> None:
        self.path = root
        self.entries = entries
        self._files: dict[str, pq.ParquetFile] = {}
        self._points = PointIndex()
        self._tables: OrderedDict[tuple[str, int, tuple[str, ...]], pa.Table] = OrderedDict()
        self._joined: dict[tuple[str, ...], tuple[int, pa.Table]] = {}

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> EventDataset:
        """Open the dataset at ``path`` (a folder with a geomap dataset index)."""
        root = Path(path)
        if not is_dataset(root):
            raise InputError(
                f"{str(root)!r} is not a geomap dataset (no index file in it). Fix: write one "
                "with `geomap export --to dataset DIR`, or pass an event store file."
            )
        return cls(root, read_index(root))

    def close(self) -> None:
        self._files.clear()
        self._points = PointIndex()
        self._tables.clear()
        self._joined.clear()

    def __enter__(self) -> EventDataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        """How many events the dataset holds."""
        return sum(e.rows for e in self.entries)

    # -- reading ---------------------------------------------------------------
    def rows_in_boxes(
        self,
        boxes: Sequence[Box],
        flt: EventFilter | None = None,
        columns: Sequence[str] = ALL_COLUMNS,
    ) -> pa.Table:
        """The events whose point falls in any box (min_lon, max_lon, min_lat, max_lat),
        filtered (``limit`` aside), with ``columns`` (``event_id``, latitude, longitude too)."""

        import numpy as np

        need = _needed(columns, flt)
        groups = self._touched(boxes, flt)
        missing = [g for g in np.flatnonzero(groups).tolist() if g not in self._points]
        if missing:
            self._points.add([(g, *self._group_points(self.entries[g])) for g in missing])
        owners, rows, positions = self._points.inside(boxes, groups)
        joined = self._joined.get(need)
        if joined is not None and joined[0] == len(self._points.groups):
            return _filtered(joined[1].take(positions), flt)
        pieces = []
        for group in np.unique(owners).tolist():
            table = self._group_table(self.entries[group], need)
            pieces.append(table.take(rows[owners == group]))
        self._join(need)
        return _filtered(_concat(pieces, need), flt)

    def _join(self, need: tuple[str, ...]) -> None:
        """Once every row group of the point index is decoded with ``need``, one table of
        them all in the index's order: a query then takes its rows in one step."""
        import pyarrow as pa

        keys = [(self.entries[g].file, self.entries[g].row_group, need)
                for g in self._points.groups]  # fmt: skip
        if not keys or len(keys) > CACHED_GROUPS or not all(k in self._tables for k in keys):
            return
        table = pa.concat_tables([self._tables[k] for k in keys]).combine_chunks()
        self._joined[need] = (len(keys), table)

    def _touched(self, boxes: Sequence[Box], flt: EventFilter | None) -> np.ndarray:
        """A mask of the row groups whose bbox meets a box and whose dates meet the filter's."""
        import numpy as np

        since, until = (flt.since, flt.until) if flt is not None else (None, None)
        return np.array([e.touches(boxes) and e.in_dates(since, until) for e in self.entries],
                        dtype=bool)  # fmt: skip

    def read(self, flt: EventFilter | None = None,
             columns: Sequence[str] = ALL_COLUMNS) -> pa.Table:  # fmt: skip
        """Every event (filtered, ``limit`` applied) by date then id, with ``columns``."""
        import pyarrow.compute as pc

        need = _needed(columns, flt)
        since, until = (flt.since, flt.until) if flt is not None else (None, None)
        pieces = [self._read_group(e, need) for e in self.entries if e.in_dates(since, until)]
        table = _filtered(_concat(pieces, need), flt)
        if table.num_rows:
            dated = pc.is_valid(table.column("event_date"))
            keys = [(c, "ascending") for c in ("undated", "event_date", "event_id")]
            table = table.append_column("undated", pc.invert(dated))
            table = table.take(pc.sort_indices(table, sort_keys=keys)).drop(["undated"])
        if flt is not None and flt.limit is not None:
            table = table.slice(0, flt.limit)
        return table

    def events(self, flt: EventFilter | None = None) -> list[Event]:
        """Every event (filtered) as :class:`~geomap.model.Event` objects, by date then id."""
        return table_events(self.read(flt))

    # -- row groups ----------------------------------------------------------------
    def _file(self, rel: str) -> pq.ParquetFile:
        import pyarrow.parquet as pq

        if rel not in self._files:
            path = self.path / rel
            try:
                self._files[rel] = pq.ParquetFile(path)
            except OSError as exc:
                raise InputError(
                    f"The dataset file {str(path)!r} cannot be read ({str(exc)[:80]}). "
                    "Fix: write the dataset again with `geomap export --to dataset DIR`."
                ) from None
        return self._files[rel]

    def _read_group(self, entry: GroupEntry, columns: Sequence[str]) -> pa.Table:
        return self._file(entry.file).read_row_group(entry.row_group, columns=list(columns))

    def _group_points(self, entry: GroupEntry) -> tuple[np.ndarray, np.ndarray]:
        """Longitudes and latitudes of a row group, from its bbox covering column."""
        bbox = self._read_group(entry, ["bbox"]).column("bbox").combine_chunks()
        x = bbox.field("xmin").to_numpy(zero_copy_only=False)
        y = bbox.field("ymin").to_numpy(zero_copy_only=False)
        return x, y

    def _group_table(self, entry: GroupEntry, columns: tuple[str, ...]) -> pa.Table:
        key = (entry.file, entry.row_group, columns)
        table = self._tables.get(key)
        if table is None:
            table = self._read_group(entry, columns).combine_chunks()
            self._tables[key] = table
            if len(self._tables) > CACHED_GROUPS:
                self._tables.popitem(last=False)
        else:
            self._tables.move_to_end(key)
        return table


def _needed(columns: Sequence[str], flt: EventFilter | None) -> tuple[str, ...]:
    base = ("event_id", "latitude", "longitude", *columns)
    if flt is not None:
        base += FILTER_COLUMNS
    return tuple(dict.fromkeys(base))


def _concat(pieces: list[pa.Table], columns: Sequence[str]) -> pa.Table:
    import pyarrow as pa

    from geomap.dataset.columns import arrow_type

    if not pieces:
        return pa.table({c: pa.array([], type=arrow_type(c)) for c in columns})
    return pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]


def _filtered(table: pa.Table, flt: EventFilter | None) -> pa.Table:
    """The rows that pass ``flt`` (``limit`` aside), by :meth:`EventFilter.matches`."""
    import pyarrow as pa

    if flt is None or not table.num_rows:
        return table
    cols = {c: table.column(c).to_pylist() for c in FILTER_COLUMNS}
    keep = [
        flt.matches(Event(**{c: cols[c][i] for c in FILTER_COLUMNS if cols[c][i] is not None}))
        for i in range(table.num_rows)
    ]
    return table.filter(pa.array(keep, type=pa.bool_()))


def table_events(table: pa.Table) -> list[Event]:
    """Rows of a dataset table as events (provenance and ``extra`` decoded)."""
    import json

    from geomap.model import EVENT_COLUMNS

    out = []
    for rec in table.to_pylist():
        fields = {c: rec[c] for c in EVENT_COLUMNS if c in rec and rec[c] is not None}
        extra = json.loads(rec["extra"]) if rec.get("extra") else {}
        if rec.get("n_sources") is not None:
            extra["n_sources"] = rec["n_sources"]
        if rec.get("source_ids"):
            extra["source_ids"] = json.loads(rec["source_ids"])
        out.append(Event(**fields, extra=extra))
    return out
