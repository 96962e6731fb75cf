"""Events as tables and GIS files.

* :func:`events_to_geojson` and :func:`write_events_csv` write event records
  (:data:`~geomap.model.EVENT_COLUMNS`) with no heavy dependency: what
  ``geomap extract`` writes.
* :func:`write_frame` writes a GeoDataFrame of stored events (the event
  schema plus ``n_sources``, ``source_ids`` and ``extra``, point geometry in
  WGS84) as GeoJSON, CSV, GeoPackage or GeoParquet: what ``geomap export``
  writes.  Every file opens in QGIS and geopandas.

Every CSV written here neutralises formula injection as OWASP recommends: a
text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'``, so a spreadsheet shows it as text instead of
running it (``=HYPERLINK(...)``, ``=cmd|...``).  Numbers are never changed
(a longitude of -77.04 stays a number).  ``escape_formulas=False`` writes
cells as they are.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from geomap.errors import InputError, quote
from geomap.files import replacing
from geomap.model import EVENT_COLUMNS, Event

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

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


#: What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, with a leading ``'``;
    anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_events_csv(events: Iterable[Event], fh: IO[str], *, escape_formulas: bool = True) -> None:
    """One CSV row per event under an :data:`~geomap.model.EVENT_COLUMNS` header."""
    writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for e in events:
        rec = e.to_record()
        row = {k: ("" if v is None else v) for k, v in rec.items()}
        if escape_formulas:
            row = {k: neutralise_formula(v) for k, v in row.items()}
        writer.writerow(row)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`neutralise_formula`-d (numbers kept)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for column in out.columns:
        if is_object_dtype(out[column]) or is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    return out


def export_format(path: str | os.PathLike[str], fmt: str | None) -> str:
    """The export format: ``fmt`` checked, or guessed from the file name's suffix."""
    if fmt:
        f = fmt.strip().lower()
        if f not in EXPORT_FORMATS:
            raise InputError(
                f"Unknown export format, instead got: {quote(fmt)}. "
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


def write_frame(
    frame: gpd.GeoDataFrame, path: str | os.PathLike[str], fmt: str, *,
    escape_formulas: bool = True,
) -> None:  # fmt: skip
    """Write an events frame to ``path`` in ``fmt`` (see :data:`EXPORT_FORMATS`).

    The file is written beside ``path`` and renamed over it at the end, so a
    failed export never leaves half a file.  A CSV's text cells are
    neutralised (:func:`neutralise_formula`) unless ``escape_formulas`` is False.
    """
    out = Path(path)
    with replacing(out) as tmp:
        if fmt == "csv":
            table = frame.drop(columns="geometry")
            if escape_formulas:
                table = neutralise_frame(table)
            table.to_csv(tmp, index=False)
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
