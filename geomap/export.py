"""``geomap export``: the store's events (filtered) to a GIS file.

GeoJSON, CSV, GeoPackage or GeoParquet (see :mod:`geomap.formats.events`):
every format carries the full event schema (plus ``n_sources``,
``source_ids`` and ``extra`` as JSON text) with point geometry in WGS84
(EPSG:4326).  Events without coordinates are kept with an empty geometry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.formats import export_format, write_frame
from geomap.model import EventFilter
from geomap.query import check_one_store, events_frame
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.store import EventStore


@dataclass
class ExportReport:
    """What one export wrote: the file, its format and how many events."""

    path: Path
    format: str
    events: int


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
    write_frame(frame, out, fmt)
    return ExportReport(out, fmt, len(frame))
