"""Writing events as a GeoParquet 1.1 dataset.

Layout under the dataset's root::

    _geomap_index.json                       the index (geomap.dataset.index)
    events/source=<origin>/year=<YYYY>/part-00000.parquet

Within a partition the rows are sorted along a Hilbert curve
(:mod:`geomap.dataset.hilbert`), so a row group covers a compact area; row
groups hold ``row_group_size`` rows (64k by default).  Every file carries the
``geo`` metadata of GeoParquet 1.1: a WKB point column ``geometry`` (OGC:CRS84,
longitude/latitude) and a ``bbox`` covering column (a struct of xmin, ymin,
xmax, ymax) that readers use to skip rows without decoding geometries.

The whole dataset is written in a hidden folder beside the target and
renamed into place at the end: a failed write leaves the old dataset (or
nothing), never half of one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.dataset.columns import ALL_COLUMNS, arrow_type, events_table
from geomap.dataset.hilbert import hilbert_keys
from geomap.dataset.index import INDEX_NAME, GroupEntry, is_dataset, write_index
from geomap.errors import InputError
from geomap.model import Event

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: Rows per row group (GeoParquet's usual advice: tens of thousands).
ROW_GROUP_SIZE = 65536


@dataclass
class DatasetReport:
    """What one dataset write made: its root, events, files and row groups."""

    path: Path
    events: int
    files: int
    row_groups: int


def write_dataset(
    events: Sequence[Event] | pd.DataFrame | pa.Table,
    path: str | os.PathLike[str],
    *,
    row_group_size: int = ROW_GROUP_SIZE,
) -> DatasetReport:
    """Write ``events`` (Event objects, a frame with the result columns, or an Arrow table
    of :data:`~geomap.dataset.columns.ALL_COLUMNS`) as a dataset at ``path``, replacing a
    dataset already there; any other non-empty folder is refused."""
    import pyarrow as pa

    root = Path(path)
    check_target(root)
    if isinstance(events, pa.Table):
        arrow = events
    elif isinstance(events, list | tuple):
        arrow = events_table(events)
    else:
        arrow = frame_table(events)
    tmp = root.with_name(f".{root.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        tmp.mkdir(parents=False)
        entries = write_partitions(arrow, tmp, max(1, int(row_group_size)))
        write_index(tmp, entries)
        swap_in(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = len({e.file for e in entries})
    return DatasetReport(root, arrow.num_rows, files, len(entries))


def check_target(root: Path) -> None:
    """Refuse a target that is a file, a non-empty folder holding no dataset, or a path
    whose folder does not exist (a dataset there is replaced)."""
    if root.exists() and not root.is_dir():
        raise InputError(f"{str(root)!r} is a file, not a folder. Fix: pass a folder name "
                         "for the dataset (e.g. events-dataset).")  # fmt: skip
    if root.is_dir() and any(root.iterdir()) and not is_dataset(root):
        raise InputError(f"The folder {str(root)!r} is not empty and holds no geomap dataset. "
                         "Fix: pass a new or empty folder.")  # fmt: skip
    if not root.parent.is_dir():
        raise InputError(f"The folder of {str(root)!r} does not exist. "
                         "Fix: create it or pick another path.")  # fmt: skip


def swap_in(tmp: Path, root: Path) -> None:
    """Put the finished dataset at ``root``; an old one is removed only once it is replaced."""
    old = None
    if root.exists():
        old = root.with_name(f".{root.name}.{secrets.token_hex(4)}.old")
        os.replace(root, old)
    os.replace(tmp, root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def frame_table(frame: pd.DataFrame) -> pa.Table:
    """A frame's result columns as an Arrow table (a column it lacks is all null)."""
    import pyarrow as pa

    n = len(frame)
    data = {}
    for c in ALL_COLUMNS:
        if c in frame.columns:
            values = [None if _missing(v) else v for v in frame[c].tolist()]
            data[c] = pa.array(values, type=arrow_type(c))
        else:
            data[c] = pa.nulls(n, type=arrow_type(c))
    return pa.table(data)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == "<NA>"


_SAFE = re.compile(r"[^a-z0-9_.-]+")


def partition_keys(table: pa.Table) -> list[tuple[str, str]]:
    """Each row's (source, year) partition: its origin and the year of its date."""
    origins = table.column("origin").to_pylist()
    dates = table.column("event_date").to_pylist()
    return [
        (_SAFE.sub("_", (o or "").lower())[:40] or "unknown",
         d[:4] if d and d[:4].isdigit() else "unknown")
        for o, d in zip(origins, dates, strict=True)
    ]  # fmt: skip


def partition_rows(table: pa.Table) -> dict[tuple[str, str], list[int]]:
    """The positions of the table's rows in each (source, year) partition."""
    parts: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(partition_keys(table)):
        parts.setdefault(key, []).append(i)
    return parts


def split_partitions(table: pa.Table) -> dict[tuple[str, str], pa.Table]:
    """The table's rows cut by (source, year) partition, in their order."""
    import numpy as np

    return {key: table.take(np.asarray(rows, dtype=np.int64))
            for key, rows in partition_rows(table).items()}  # fmt: skip


def write_partitions(table: pa.Table, root: Path, row_group_size: int) -> list[GroupEntry]:
    """Write the table's rows into ``root`` (an existing folder), one Hilbert-sorted file per
    (source, year) partition; their index entries."""
    import numpy as np

    parts = partition_rows(table)
    lats = table.column("latitude").to_numpy(zero_copy_only=False).astype(float)
    lons = table.column("longitude").to_numpy(zero_copy_only=False).astype(float)
    order = hilbert_keys(lats, lons)
    entries: list[GroupEntry] = []
    for (source, year), rows in sorted(parts.items()):
        idx = np.asarray(rows, dtype=np.int64)
        idx = idx[np.argsort(order[idx], kind="stable")]
        rel = f"events/source={source}/year={year}/part-00000.parquet"
        entries += _write_file(table.take(idx), root, rel, row_group_size)
    return entries


def _write_file(part: pa.Table, root: Path, rel: str, row_group_size: int) -> list[GroupEntry]:
    """One Parquet file with geometry, bbox covering and geo metadata; its index entries."""
    import pyarrow.parquet as pq

    full = with_geometry(part)
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(full.schema.metadata or {})
    meta[b"geo"] = json.dumps(geo_metadata(part)).encode("utf-8")
    full = full.replace_schema_metadata(meta)
    pq.write_table(full, target, row_group_size=row_group_size, compression="zstd")
    entries = []
    for g, start in enumerate(range(0, part.num_rows, row_group_size)):
        chunk = part.slice(start, row_group_size)
        entries.append(GroupEntry(rel, g, chunk.num_rows, _bbox(chunk), _dates(chunk)))
    return entries


def with_geometry(part: pa.Table) -> pa.Table:
    """The table with a WKB ``geometry`` column and a ``bbox`` covering struct."""
    import numpy as np
    import pyarrow as pa
    import shapely

    lats = part.column("latitude").to_numpy(zero_copy_only=False).astype(float)
    lons = part.column("longitude").to_numpy(zero_copy_only=False).astype(float)
    located = ~(np.isnan(lats) | np.isnan(lons))
    wkb = np.full(len(lats), None, dtype=object)
    if located.any():
        wkb[located] = shapely.to_wkb(shapely.points(lons[located], lats[located]))
    mask = pa.array(~located)
    x, y = pa.array(lons, mask=~located), pa.array(lats, mask=~located)
    bbox = pa.StructArray.from_arrays([x, y, x, y], names=["xmin", "ymin", "xmax", "ymax"],
                                      mask=mask)  # fmt: skip
    return part.append_column("geometry", pa.array(wkb, type=pa.binary())).append_column(
        "bbox", bbox
    )


def geo_metadata(part: pa.Table) -> dict[str, object]:
    """GeoParquet 1.1 ``geo`` metadata: WKB points in CRS84, the bbox covering column."""
    box = _bbox(part)
    column: dict[str, object] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
    }
    if box is not None:
        column["bbox"] = list(box)
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


def _bbox(chunk: pa.Table) -> tuple[float, float, float, float] | None:
    import pyarrow.compute as pc

    lat, lon = chunk.column("latitude"), chunk.column("longitude")
    if pc.count(lat).as_py() == 0:
        return None
    return (pc.min(lon).as_py(), pc.min(lat).as_py(), pc.max(lon).as_py(), pc.max(lat).as_py())


def _dates(chunk: pa.Table) -> tuple[str, str] | None:
    import pyarrow.compute as pc

    dates = chunk.column("event_date")
    if pc.count(dates).as_py() == 0:
        return None
    bounds = pc.min_max(dates).as_py()
    return (bounds["min"], bounds["max"])


__all__ = ["INDEX_NAME", "ROW_GROUP_SIZE", "DatasetReport", "frame_table", "write_dataset"]
