"""Write stored events to GIS files: GeoJSON, CSV, GeoPackage, GeoParquet.

Every format carries the full event schema (plus ``n_sources``,
``source_ids`` and ``extra`` as JSON text) with point geometry in WGS84
(EPSG:4326), and opens in QGIS and geopandas.  Events without coordinates
are kept with an empty geometry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.files import replacing
from geomap.model import EventFilter
from geomap.query import check_one_store, events_frame
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.store import EventStore

EXPORT_FORMATS = ("geojson", "csv", "gpkg", "parquet")
_SUFFIX = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg",
           ".parquet": "parquet", ".geoparquet": "parquet"}  # fmt: skip


@dataclass
class ExportReport:
    """What one export wrote: the file, its format and how many events."""

    path: Path
    format: str
    events: int


def export_format(path: str | os.PathLike[str], fmt: str | None) -> str:
    """The export format: ``fmt`` checked, or guessed from the file name's suffix."""
    if fmt:
        f = fmt.strip().lower()
        if f not in EXPORT_FORMATS:
            raise InputError(
                f"Unknown export format, instead got: {fmt!r}. "
                f"Fix: use one of {', '.join(EXPORT_FORMATS)}."
            )
        return f
    guess = _SUFFIX.get(Path(path).suffix.lower())
    if guess is None:
        raise InputError(
            f"Cannot tell the export format from the file name {str(path)!r}. "
            f"Fix: pass --format ({', '.join(EXPORT_FORMATS)})."
        )
    return guess


def export_events(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    flt: EventFilter | None = None,
    store: EventStore | str | os.PathLike[str] | None = None,
    workspace: Workspace | None = None,
) -> ExportReport:
    """Write the store's merged events (filtered) to ``path``; replaces an existing file.

    The store comes from ``workspace``; without one, from a
    :class:`~geomap.workspace.Workspace` over ``store`` (an open store or a
    path; default ``config.store_path()``), closed at the end.
    """
    check_one_store(store, workspace)
    fmt = export_format(path, format)
    out = Path(path)
    if out.exists() and out.is_dir():
        raise InputError(
            f"{str(out)!r} is a directory. Fix: pass a file name such as events.{fmt}."
        )
    if not out.parent.exists():
        raise InputError(
            f"The folder of {str(out)!r} does not exist. Fix: create it or pick another path."
        )
    if workspace is None:
        with Workspace(store=store) as ws:
            events = ws.store.events(flt)
    else:
        events = workspace.store.events(flt)
    frame = events_frame(events)
    # a temporary sibling, renamed at the end: a failed export never leaves half a file
    with replacing(out) as tmp:
        if fmt == "csv":
            frame.drop(columns="geometry").to_csv(tmp, index=False)
        elif fmt == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError as exc:
                raise InputError("Parquet export needs pyarrow. Fix: pip install pyarrow") from exc
            frame.to_parquet(tmp, index=False)
        else:
            driver = "GeoJSON" if fmt == "geojson" else "GPKG"
            # the layer is named for the file, never for the temporary file written first
            extra = {"layer": "events" if fmt == "gpkg" else out.stem}
            frame.to_file(tmp, driver=driver, engine="pyogrio", **extra)
    return ExportReport(out, fmt, len(frame))
