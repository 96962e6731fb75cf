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

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import ConfigurationError, GeocodeError, InputError, quote
from geomap.formats import export_format, write_frame
from geomap.geo import bounding_boxes, geodesic_km_from, parse_latlon
from geomap.model import EVENT_COLUMNS, Event, EventFilter
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geopandas import GeoDataFrame
    from pyproj import CRS

    from geomap.store import EventStore, SqlValue

#: A place name, a "LAT,LON" string, or a (lat, lon) pair.
PlaceOrPoint = str | tuple[float, float] | list[float]

#: Columns of query and export frames: the event schema plus merge provenance.
RESULT_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "n_sources", "source_ids")
_INT_COLUMNS = ("geo_precision", "fatalities", "deaths_low", "deaths_best", "deaths_high",
                "deaths_civilians", "injured_low", "injured_best", "injured_high", "geonameid",
                "span_start", "span_end", "n_sources")  # fmt: skip


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


_FLOAT_COLUMNS = frozenset({"latitude", "longitude", "confidence", "distance_km"})
_BOOL_COLUMNS = frozenset({"civilians", "children", "is_context", "coords_from_source"})


@lru_cache(maxsize=1)
def _wgs84() -> CRS:
    from pyproj import CRS

    return CRS.from_epsg(4326)


def _frame(columns: list[str], rows: Sequence[tuple[SqlValue, ...]]) -> GeoDataFrame:
    """A GeoDataFrame built column by column (near() is latency-bound; see benchmarks/)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    n = len(rows)
    values_by_col = list(zip(*rows, strict=False)) if rows else [()] * len(columns)
    data: dict[str, Any] = {}
    for name, values in zip(columns, values_by_col, strict=False):
        if name in _INT_COLUMNS:  # whole numbers with unknowns (None -> <NA>)
            mask = np.fromiter((v is None for v in values), bool, n)
            ints = np.fromiter((0 if v is None else v for v in values), np.int64, n)
            data[name] = pd.arrays.IntegerArray(ints, mask)
        elif name in _FLOAT_COLUMNS:
            data[name] = np.fromiter((np.nan if v is None else v for v in values), float, n)
        elif name in _BOOL_COLUMNS:
            data[name] = np.fromiter((bool(v) for v in values), bool, n)
        else:
            column = np.empty(n, dtype=object)
            column[:] = values
            data[name] = column
    points = shapely.points(data["longitude"], data["latitude"]) if n else np.empty(0, dtype=object)
    data["geometry"] = gpd.array.GeometryArray(points, crs=_wgs84())
    return gpd.GeoDataFrame(data, geometry="geometry")


def events_frame(events: Sequence[Event]) -> GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) of events in :data:`RESULT_COLUMNS` order."""
    rows = []
    for e in events:
        rec = e.to_record()
        rec["n_sources"] = e.extra.get("n_sources", 1)
        rec["source_ids"] = json.dumps(e.extra.get("source_ids", [e.event_id]))
        extra = {k: v for k, v in e.extra.items() if k not in ("n_sources", "source_ids")}
        rec["extra"] = json.dumps(extra, default=str, ensure_ascii=False) if extra else None
        rows.append(tuple(rec[c] for c in (*RESULT_COLUMNS, "extra")))
    return _frame([*RESULT_COLUMNS, "extra"], rows)


def check_one_store(store: object, workspace: Workspace | None) -> None:
    """A service takes its store from the workspace, or as ``store``: never both."""
    if store is not None and workspace is not None:
        raise ConfigurationError(
            f"Pass the event store in the workspace or as store=, not both; instead got "
            f"store={store!r} with a workspace. Fix: drop store= (or the workspace)."
        )


def near(
    place_or_latlon: PlaceOrPoint | Center,
    *,
    radius_km: float | str = 25,
    flt: EventFilter | None = None,
    store: EventStore | str | os.PathLike[str] | None = None,
    workspace: Workspace | None = None,
) -> GeoDataFrame:
    """Merged events within ``radius_km`` (geodesic) of a place, nearest first.

    The store (and, for a place name, the geocoder) come from ``workspace``;
    without one, from a :class:`~geomap.workspace.Workspace` over ``store``
    (an open store or a path; default ``config.store_path()``), closed at the
    end.  Returns a GeoDataFrame with :data:`RESULT_COLUMNS`, ``distance_km``
    and point geometry; ``frame.attrs["center"]`` holds the resolved centre.
    """
    radius = parse_radius(radius_km)
    check_one_store(store, workspace)
    if workspace is None:
        with Workspace(store=store, read_only=True) as ws:
            return near(place_or_latlon, radius_km=radius, flt=flt, workspace=ws)
    center = (
        place_or_latlon
        if isinstance(place_or_latlon, Center)
        else resolve_center(place_or_latlon, workspace=workspace)
    )
    boxes = bounding_boxes(center.latitude, center.longitude, radius)
    columns, rows = workspace.store.rows_in_boxes(boxes, flt)
    ilat, ilon = columns.index("latitude"), columns.index("longitude")
    lats = [float(r[ilat]) for r in rows]  # type: ignore[arg-type]  # located rows only
    lons = [float(r[ilon]) for r in rows]  # type: ignore[arg-type]
    distances = geodesic_km_from(center.latitude, center.longitude, lats, lons).tolist()
    keep = sorted(
        (d, rows[i][0], i) for i, d in enumerate(distances) if d <= radius
    )  # ties broken by event_id
    limit = flt.limit if flt is not None else None
    if limit is not None:
        keep = keep[:limit]
    out_rows = [(*_decode_row(rows[i]), d) for d, _id, i in keep]
    frame = _frame([*RESULT_COLUMNS, "extra", "distance_km"], out_rows)
    frame.attrs["center"] = {
        "query": center.query, "latitude": center.latitude, "longitude": center.longitude,
        "name": center.name, "geonameid": center.geonameid, "radius_km": radius,
    }  # fmt: skip
    return frame


def _decode_row(row: tuple[SqlValue, ...]) -> tuple[SqlValue, ...]:
    # store row: event_id, data columns..., extra, n_sources, source_ids
    *fields, extra, n_sources, source_ids = row
    return (*fields, n_sources or 1, source_ids or "[]", extra or None)


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
    context: bool = False,
    escape_formulas: bool = True,
) -> ExportReport:
    """Write the store's merged events (filtered) to ``path``; replaces an existing file.

    With ``context`` the store's context figures are written instead (they are
    never among the events).  A CSV neutralises cells that a spreadsheet would
    run as a formula unless ``escape_formulas`` is False
    (:func:`geomap.formats.events.neutralise_formula`).  The store comes from
    ``workspace``; without one, from a read-only
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
        with Workspace(store=store, read_only=True) as ws:
            events = read_stored(ws.store, flt, context=context)
    else:
        events = read_stored(workspace.store, flt, context=context)
    frame = events_frame(events)
    write_frame(frame, out, fmt, escape_formulas=escape_formulas)
    return ExportReport(out, fmt, len(frame))


def read_stored(store: EventStore, flt: EventFilter | None, *, context: bool) -> list[Event]:
    """The store's merged events, or (``context``) its context figures, filtered."""
    return store.context_figures(flt) if context else store.events(flt)
