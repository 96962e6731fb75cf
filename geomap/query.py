"""Reading the event store: "what happened near X?", events as a GeoDataFrame, exports.

:func:`near` finds merged events within a geodesic radius (WGS84, via
``pyproj.Geod``; never degrees, never a planar CRS).  The store's R*Tree
gives the candidates in one or two bounding boxes (split at the
antimeridian, full longitude range near a pole, see
:func:`geomap.geo.bounding_boxes`); the exact geodesic distance then
filters them.  Results are nearest first with a ``distance_km`` column.
:func:`events_frame` turns events into a GeoDataFrame; :func:`export_events`
writes the store's events (or, apart, its context figures) to a GIS file
(:mod:`geomap.formats.events`).  Reading never changes the store: without a
workspace, the store is opened read-only, and it must exist.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.dataset import ALL_COLUMNS, RESULT_COLUMNS, EventDataset, choose_columns
from geomap.dataset.columns import BOOL_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, event_row
from geomap.errors import ConfigurationError, GeocodeError, InputError, quote
from geomap.geo import bounding_boxes, geodesic_km_from, parse_latlon
from geomap.model import Event, EventFilter
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geopandas import GeoDataFrame
    from pyproj import CRS

    from geomap.store import EventStore

#: A place name, a "LAT,LON" string, or a (lat, lon) pair.
PlaceOrPoint = str | tuple[float, float] | list[float]

__all__ = ["RESULT_COLUMNS", "Center", "ExportReport", "events_frame", "export_events",
           "near", "parse_radius", "reading", "resolve_center", "totals"]  # fmt: skip



def parse_radius(value: object) -> float:
    """A radius in km: a finite number > 0."""
    try:
        radius = float(str(value).strip().lower().removesuffix("km").strip())
    except ValueError:
        radius = math.nan
    if not math.isfinite(radius) or radius <= 0:
        raise InputError(
            f"Radius must be a positive number of kilometres, instead got: {quote(value)}. "
            "Fix: pass e.g. --radius 25."
        )
    return radius


@dataclass
class Center:
    """Where a near query is centred, and what the input resolved to."""

    query: str
    latitude: float
    longitude: float
    name: str = ""
    geonameid: int | None = None
    provider: str = ""


def resolve_center(place_or_latlon: PlaceOrPoint, *, workspace: Workspace | None = None) -> Center:
    """A (lat, lon) tuple, a "LAT,LON" string, or a place name geocoded through the cache.

    A name is geocoded by the workspace's geocoder (without a workspace, one
    over the default cache and gazetteer, closed again at the end).
    """
    if isinstance(place_or_latlon, (tuple, list)) and len(place_or_latlon) == 2:
        lat, lon = (float(v) for v in place_or_latlon)
        parse_latlon(f"{lat},{lon}")
        return Center(f"{lat},{lon}", lat, lon)
    text = str(place_or_latlon or "").strip()
    if not text:
        raise InputError(
            f"A place name or LAT,LON is needed, instead got: {quote(place_or_latlon)}. "
            "Fix: pass e.g. Rastan or 34.93,36.73."
        )
    pair = parse_latlon(text)
    if pair is not None:
        return Center(text, pair[0], pair[1])
    if workspace is None:
        with Workspace() as ws:
            return resolve_center(text, workspace=ws)
    result = workspace.geocoder.resolve(text)
    if result.latitude is None or result.longitude is None:
        raise GeocodeError(
            f"Cannot place {text!r} (not in the geocode cache or the gazetteer). "
            "Fix: check the spelling, pass LAT,LON, or pin it with `geomap cache pin`."
        )
    place = result.place
    return Center(
        text, result.latitude, result.longitude,
        name=place.name if place is not None else text,
        geonameid=place.geonameid if place is not None else None,
        provider=result.provider,
    )  # fmt: skip


@lru_cache(maxsize=1)
def _wgs84() -> CRS:
    from pyproj import CRS

    return CRS.from_epsg(4326)


def frame_of(
    columns: Sequence[str], rows: Sequence[Sequence[object]], lats: Sequence[float | None],
    lons: Sequence[float | None],
) -> GeoDataFrame:  # fmt: skip
    """A GeoDataFrame of ``rows`` (one value per column) and point geometry.

    Built column by column from typed arrays, and assembled the way
    geopandas assembles the frames its own operations return: near() is
    latency-bound, and the checks of ``GeoDataFrame(...)`` cost more than a
    whole query (see benchmarks/bench_near.py).
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    n = len(rows)
    values_by_col = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    arrays: list[Any] = []
    for name, values in zip(columns, values_by_col, strict=True):
        if name in INT_COLUMNS:  # whole numbers with unknowns (None -> <NA>)
            mask = np.fromiter((v is None for v in values), bool, n)
            ints = np.fromiter((0 if v is None else v for v in values), np.int64, n)
            arrays.append(pd.arrays.IntegerArray(ints, mask))
        elif name in FLOAT_COLUMNS:
            arrays.append(np.fromiter((np.nan if v is None else v for v in values), float, n))
        elif name in BOOL_COLUMNS:
            arrays.append(np.fromiter((bool(v) for v in values), bool, n))
        else:
            arrays.append(_text_array(values))
    x = np.fromiter((np.nan if v is None else v for v in lons), float, n)
    y = np.fromiter((np.nan if v is None else v for v in lats), float, n)
    points = shapely.points(x, y) if n else np.empty(0, dtype=object)
    arrays.append(gpd.array.GeometryArray(points, crs=_wgs84()))
    frame = pd.DataFrame._from_arrays(arrays, columns=[*columns, "geometry"],
                                      index=pd.RangeIndex(n), verify_integrity=False)  # fmt: skip
    out = gpd.GeoDataFrame._from_mgr(frame._mgr, frame._mgr.axes)
    out._geometry_column_name = "geometry"
    return out


@lru_cache(maxsize=1)
def _text_dtype() -> Any:
    """The dtype pandas gives text ("str" from pandas 3, object before)."""
    import pandas as pd

    return pd.Series(["text"]).dtype


def _text_array(values: Sequence[object]) -> Any:
    """A text column in pandas' own text dtype (None is missing)."""
    import numpy as np
    import pandas as pd

    dtype = _text_dtype()
    column = np.empty(len(values), dtype=object)
    column[:] = values
    if isinstance(dtype, np.dtype):  # object: the text as it is
        return column
    try:
        import pyarrow as pa

        return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()), dtype=dtype)
    except (ImportError, TypeError, ValueError):  # pyarrow missing, or a value not text
        return pd.array(column, dtype=dtype)


def events_frame(events: Sequence[Event]) -> GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) of events: :data:`RESULT_COLUMNS` and ``extra``."""
    rows = [event_row(e) for e in events]
    return frame_of(ALL_COLUMNS, rows, [e.latitude for e in events],
                    [e.longitude for e in events])  # fmt: skip


def check_one_store(store: object, workspace: Workspace | None) -> None:
    """A service takes its store from the workspace, or as ``store``: never both."""
    if store is not None and workspace is not None:
        raise ConfigurationError(
            f"Pass the event store in the workspace or as store=, not both; instead got "
            f"store={store!r} with a workspace. Fix: drop store= (or the workspace)."
        )


@contextlib.contextmanager
def reading(
    store: EventStore | EventDataset | str | os.PathLike[str] | None,
    workspace: Workspace | None,
) -> Iterator[tuple[Workspace, EventStore | EventDataset]]:
    """The workspace (for geocoding) and what to read events from: the workspace's store,
    a dataset (an open one, or a folder holding one), or a store file opened read-only."""
    check_one_store(store, workspace)
    if workspace is not None:
        yield workspace, workspace.store
    elif isinstance(store, EventDataset):
        with Workspace(read_only=True) as ws:
            yield ws, store
    elif isinstance(store, (str, os.PathLike)) and Path(store).is_dir():
        with EventDataset.open(store) as ds, Workspace(read_only=True) as ws:
            yield ws, ds
    else:
        with Workspace(store=store, read_only=True) as ws:
            yield ws, ws.store


def near(
    place_or_latlon: PlaceOrPoint | Center,
    *,
    radius_km: float | str = 25,
    flt: EventFilter | None = None,
    columns: str | Sequence[str] | None = None,
    store: EventStore | EventDataset | str | os.PathLike[str] | None = None,
    workspace: Workspace | None = None,
) -> GeoDataFrame:
    """Merged events within ``radius_km`` (geodesic) of a place, nearest first.

    The events come from ``workspace``'s store, or from ``store``: an open
    store or dataset, a store file, or a dataset folder (default
    ``config.store_path()``), read-only.  Returns a GeoDataFrame with
    ``columns`` (default :data:`~geomap.dataset.LEAN_COLUMNS`; "all" for every
    column), ``distance_km`` and point geometry; ``frame.attrs["center"]``
    holds the resolved centre.
    """
    radius = parse_radius(radius_km)
    wanted = choose_columns(columns)
    with reading(store, workspace) as (ws, source):
        center = (
            place_or_latlon
            if isinstance(place_or_latlon, Center)
            else resolve_center(place_or_latlon, workspace=ws)
        )
        boxes = bounding_boxes(center.latitude, center.longitude, radius)
        names, rows = _candidates(source, boxes, flt, wanted)
    ilat, ilon = names.index("latitude"), names.index("longitude")
    lats = [float(r[ilat]) for r in rows]  # type: ignore[arg-type]  # located rows only
    lons = [float(r[ilon]) for r in rows]  # type: ignore[arg-type]
    distances = geodesic_km_from(center.latitude, center.longitude, lats, lons).tolist()
    keep = sorted(
        (d, rows[i][0], i) for i, d in enumerate(distances) if d <= radius
    )  # ties broken by event_id
    limit = flt.limit if flt is not None else None
    if limit is not None:
        keep = keep[:limit]
    take = [names.index(c) for c in wanted]
    out_rows = [(*(_value(c, rows[i][j]) for c, j in zip(wanted, take, strict=True)), d)
                for d, _id, i in keep]  # fmt: skip
    frame = frame_of([*wanted, "distance_km"], out_rows, [lats[i] for _d, _id, i in keep],
                     [lons[i] for _d, _id, i in keep])  # fmt: skip
    frame.attrs["center"] = {
        "query": center.query, "latitude": center.latitude, "longitude": center.longitude,
        "name": center.name, "geonameid": center.geonameid, "radius_km": radius,
    }  # fmt: skip
    return frame


def _candidates(
    source: EventStore | EventDataset,
    boxes: Sequence[tuple[float, float, float, float]],
    flt: EventFilter | None,
    wanted: Sequence[str],
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows (event_id first) of the events in ``boxes`` that pass ``flt``."""
    if isinstance(source, EventDataset):
        table = source.rows_in_boxes(boxes, flt, wanted)
        return table.column_names, list(zip(*(c.to_pylist() for c in table.columns), strict=True))
    return source.rows_in_boxes(boxes, flt)


def _value(column: str, value: object) -> object:
    """A stored value as a result frame holds it (provenance of an unmerged event filled in)."""
    if column == "n_sources":
        return value or 1
    if column == "source_ids":
        return value or "[]"
    if column == "extra":
        return value or None
    return value


def totals(frame: GeoDataFrame) -> dict[str, int]:
    """Events and summed deaths (low, best, high) of a result frame, never a high below the low.

    An event's unknown low counts as its best (or 0), an unknown best as its
    low, and an open high (unknown) as the larger of the two.  When any
    event's high is unknown (``frame["deaths_high"].isna().any()``), the total
    high is unknown too and ``deaths_high`` is only the least it can be.
    """
    if not len(frame):
        return {"events": 0, "deaths_low": 0, "deaths_best": 0, "deaths_high": 0}
    low, best, high = (frame[c].astype("Float64") for c in ("deaths_low", "deaths_best",
                                                            "deaths_high"))
    low_or = low.fillna(best).fillna(0)
    best_or = best.fillna(low).fillna(0)
    floor = low_or.where(low_or > best_or, best_or)
    return {
        "events": int(len(frame)),
        "deaths_low": int(low_or.sum()),
        "deaths_best": int(best_or.sum()),
        "deaths_high": int(high.fillna(floor).where(lambda h: h >= floor, floor).sum()),
    }


@dataclass
class ExportReport:
    """What one export wrote: the file (or dataset folder), its format and how many events."""

    path: Path
    format: str
    events: int
    skipped: int = 0  # events a new store refused (with export --to sqlite)


#: What ``export`` can write: a file (GeoJSON, CSV, GeoPackage, GeoParquet), a dataset
#: folder, or an event store file.
EXPORT_TARGETS = ("file", "dataset", "sqlite")


def export_events(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    to: str = "file",
    flt: EventFilter | None = None,
    store: EventStore | EventDataset | str | os.PathLike[str] | None = None,
    workspace: Workspace | None = None,
    context: bool = False,
    escape_formulas: bool = True,
) -> ExportReport:
    """Write the merged events (filtered) of a store or dataset to ``path``.

    ``to`` is "file" (``format``, or from the name; an existing file is
    replaced), "dataset" (a GeoParquet dataset folder, see
    :func:`geomap.dataset.write_dataset`) or "sqlite" (a new event store file
    that ``map`` and ``refresh`` work on; each event one row, as exported).
    With ``context`` the store's context figures are written instead (they
    are never among the events).  A CSV neutralises cells that a spreadsheet
    would run as a formula unless ``escape_formulas`` is False
    (:func:`geomap.formats.events.neutralise_formula`).  The events come from
    ``workspace``'s store or from ``store`` (see :func:`near`), read-only.
    """
    target = (to or "file").strip().lower()
    if target not in EXPORT_TARGETS:
        raise InputError(f"Unknown export target, instead got: {quote(to)}. "
                         f"Fix: use one of {', '.join(EXPORT_TARGETS)}.")  # fmt: skip
    out = Path(path)
    fmt = _check_output(out, format, target, context)
    with reading(store, workspace) as (_ws, source):
        if target == "sqlite" and _same_file(out, source):
            raise InputError(f"{str(out)!r} is the store being read. Fix: pick a new file.")
        events = read_source(source, flt, context=context)
        origin = str(source.path)
    if target == "dataset":
        from geomap.dataset import write_dataset

        return ExportReport(out, "dataset", write_dataset(events, out).events)
    if target == "sqlite":
        written, skipped = _write_store(events, out, origin)
        return ExportReport(out, "sqlite", written, skipped)
    from geomap.formats import write_frame

    write_frame(events_frame(events), out, fmt, escape_formulas=escape_formulas)
    return ExportReport(out, fmt, len(events))


def _check_output(out: Path, fmt: str | None, target: str, context: bool) -> str:
    """The file format of an export to ``out`` ("" for a dataset or a store), checked."""
    from geomap.formats import export_format

    if target == "dataset" and context:
        raise InputError("A dataset holds events only. Fix: export context figures to a file.")
    if target == "file":
        fmt = export_format(out, fmt)
        if out.exists() and out.is_dir():
            raise InputError(
                f"{str(out)!r} is a directory. Fix: pass a file name such as events.{fmt}."
            )
    elif target == "sqlite" and out.exists():
        raise InputError(f"{str(out)!r} exists already. Fix: pass a new file name for the store "
                         "(an export never writes into an existing store).")  # fmt: skip
    if not out.parent.exists():
        raise InputError(
            f"The folder of {str(out)!r} does not exist. Fix: create it or pick another path."
        )
    return fmt or ""


def _same_file(out: Path, source: EventStore | EventDataset) -> bool:
    return out.resolve() == Path(source.path).resolve()


def _write_store(events: Sequence[Event], out: Path, origin: str) -> tuple[int, int]:
    """A new store at ``out`` holding ``events``, each as one row that never merges with
    another (they are one input); written beside ``out`` and renamed at the end."""
    from geomap.files import replacing
    from geomap.store import EventStore

    rows = []
    for e in events:
        extra = {k: v for k, v in e.extra.items() if k not in ("n_sources", "source_ids")}
        if int(e.extra.get("n_sources", 1) or 1) > 1:
            extra["merged_source_ids"] = e.extra.get("source_ids", [])
        rows.append(Event(**e.to_record(), extra=extra))
    with replacing(out) as tmp:
        try:
            with EventStore.open(tmp, make_dirs=True) as new:
                result = new.add_events(rows, input_format="export", input_file=origin)
        except BaseException:
            for suffix in ("-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            raise
    return result.added, len(result.rejected) + len(result.kept)


def read_source(
    source: EventStore | EventDataset, flt: EventFilter | None, *, context: bool = False
) -> list[Event]:
    """The merged events (or, with ``context``, the context figures) of a store or dataset."""
    if isinstance(source, EventDataset):
        if context:
            raise InputError(
                f"The dataset {str(source.path)!r} holds events only, no context figures. "
                "Fix: export the context figures from the event store file."
            )
        return source.events(flt)
    return read_stored(source, flt, context=context)


def read_stored(store: EventStore, flt: EventFilter | None, *, context: bool) -> list[Event]:
    """The store's merged events, or (``context``) its context figures, filtered."""
    return store.context_figures(flt) if context else store.events(flt)
