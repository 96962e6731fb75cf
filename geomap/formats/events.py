"""Events as tables and GIS files.

* :func:`events_to_geojson` and :func:`write_events_csv` write event records
  (:data:`~geomap.model.EVENT_COLUMNS`) with no heavy dependency: what
  ``geomap extract`` writes.
* :func:`write_frame` writes a GeoDataFrame of stored events (the event
  schema plus ``n_sources``, ``source_ids`` and ``extra``, point geometry in
  WGS84) as GeoJSON, CSV, GeoPackage or GeoParquet: what ``geomap export``
  writes.  Every file opens in QGIS and geopandas.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.files import replacing
from geomap.model import EVENT_COLUMNS, Event

if TYPE_CHECKING:
    import geopandas as gpd

EXPORT_FORMATS = ("geojson", "csv", "gpkg", "parquet")
_SUFFIX = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg",
           ".parquet": "parquet", ".geoparquet": "parquet"}  # fmt: skip


def events_to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``events`` (unlocated ones with a null geometry)."""
    features = []
    for e in events:
        geometry = None
        if e.latitude is not None and e.longitude is not None:
            geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
        features.append(
            {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": e.to_record()}
        )
    return {"type": "FeatureCollection", "features": features}


def write_events_csv(events: Iterable[Event], fh: IO[str]) -> None:
    """One CSV row per event under an :data:`~geomap.model.EVENT_COLUMNS` header."""
    writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for e in events:
        rec = e.to_record()
        writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})


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


def write_frame(frame: gpd.GeoDataFrame, path: str | os.PathLike[str], fmt: str) -> None:
    """Write an events frame to ``path`` in ``fmt`` (see :data:`EXPORT_FORMATS`).

    The file is written beside ``path`` and renamed over it at the end, so a
    failed export never leaves half a file.
    """
    out = Path(path)
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
            layer = "events" if fmt == "gpkg" else out.stem
            frame.to_file(tmp, driver=driver, engine="pyogrio", layer=layer)
