"""Public functions for the event store: ingest, read, near, export, refresh."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from geomap.model import EventFilter
from geomap.workspace import Workspace

if TYPE_CHECKING:
    import geopandas as gpd
    from typing_extensions import Unpack

    from geomap.ingestion import IngestReport
    from geomap.model import FilterOptions
    from geomap.query import ExportReport
    from geomap.relocation import RefreshReport
    from geomap.store import EventStore

PathLike = str | os.PathLike[str]


def ingest(
    paths: PathLike | Iterable[PathLike],
    *,
    format: str = "auto",
    location_column: str | None = None,
    country: str | None = None,
    date: str | None = None,
    progress: bool | None = None,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
) -> IngestReport:
    """Load tables (ACLED, UCDP GED, GDELT, any CSV/XLSX with a place-name column),
    ``geomap extract`` output and articles into the event store, deduplicating.

    A bad row or file is reported in the returned
    :class:`~geomap.ingestion.IngestReport` (``rejected``, ``errors``) and the rest is
    still stored.  Names-only tables are geocoded in one batch (``country``
    narrows them).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = folder / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> report = geomap.ingest(table, location_column="town", country="SY")
    >>> report.stored, report.unresolved
    (2, [])
    """
    from geomap.ingestion import ingest_paths

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return ingest_paths(
        [str(p) for p in paths], format=format, location_column=location_column,
        country=country, date=date, progress=progress, store=store, workspace=workspace,
    )  # fmt: skip


def read_events(
    *,
    flt: EventFilter | None = None,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> gpd.GeoDataFrame:
    """The store's (deduplicated) events as a GeoDataFrame in EPSG:4326, by date.

    Filter with the keyword options of :class:`~geomap.model.EventFilter`
    (``since``/``until`` are inclusive dates, a month or a year;
    ``event_type`` also takes a class such as "airstrike"; ``actor``,
    ``min_fatalities``, ``limit``) or with an EventFilter as ``flt``.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> frame = geomap.read_events(since="2015-10")
    >>> list(frame["location"]), frame.crs.to_epsg()
    (['Talbiseh'], 4326)
    """
    from geomap.query import check_one_store, events_frame

    chosen = EventFilter.of(flt, **filters)
    check_one_store(store, workspace)
    if workspace is None:
        with Workspace(store=store) as ws:
            return events_frame(ws.store.events(chosen))
    return events_frame(workspace.store.events(chosen))


def near(
    place: str | tuple[float, float],
    radius_km: float | str = 25,
    *,
    flt: EventFilter | None = None,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> gpd.GeoDataFrame:
    """What happened near a place: stored events within ``radius_km`` (geodesic), nearest first.

    ``place`` is a name (geocoded through the cache), a ``"LAT,LON"`` string or
    a (lat, lon) tuple.  Filters as for :func:`read_events`.  The frame has a
    ``distance_km`` column; ``frame.attrs["center"]`` says where the centre is.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> frame = geomap.near("Rastan", radius_km=25)
    >>> [(row.location, round(row.distance_km, 1)) for row in frame.itertuples()]
    [('Rastan', 0.0), ('Talbiseh', 9.5)]
    >>> len(geomap.near((34.7268, 36.7234), radius_km=5))  # Homs: no event within 5 km
    0
    """
    from geomap.query import near as near_query

    chosen = EventFilter.of(flt, **filters)
    return near_query(place, radius_km=radius_km, flt=chosen, store=store, workspace=workspace)


def totals(frame: gpd.GeoDataFrame) -> dict[str, int]:
    """Events and summed deaths (low, best, high; unknown counted as 0) of an events frame.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> geomap.totals(geomap.near("Rastan", radius_km=25))
    {'events': 2, 'deaths_low': 37, 'deaths_best': 37, 'deaths_high': 37}
    """
    from geomap.query import totals as frame_totals

    return frame_totals(frame)


def export(
    path: PathLike,
    *,
    format: str | None = None,
    flt: EventFilter | None = None,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> ExportReport:
    """Write the store's events (filtered as for :func:`read_events`) to GeoJSON, CSV,
    GeoPackage or GeoParquet (``format``, or from the file name).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> out = table.with_name("events.gpkg")
    >>> report = geomap.export(out, min_fatalities=10)
    >>> report.events, report.format
    (1, 'gpkg')
    """
    from geomap.query import export_events

    chosen = EventFilter.of(flt, **filters)
    return export_events(path, format=format, flt=chosen, store=store, workspace=workspace)


def refresh(
    *,
    offline: bool = True,
    names: Sequence[str] | None = None,
    dry_run: bool = False,
    online: str | None = None,
    user_agent: str | None = None,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
) -> RefreshReport:
    """Move the stored events and mentions whose geocodes changed (a pin, an import,
    a rebuilt gazetteer), in one transaction; ``dry_run`` only reports.

    Rows that came with their own coordinates (ACLED, UCDP) never move; pins
    always win; ``names`` limits the refresh to those places.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> with geomap.Workspace() as ws:
    ...     _ = ws.cache.pin("Rastan", 35.017, 36.732, country="SY")
    >>> report = geomap.refresh(offline=True)
    >>> [(m.name, round(m.km, 1)) for m in report.event_moves]
    [('Rastan', 10.0)]
    """
    from geomap.relocation import refresh_store

    return refresh_store(
        offline=offline, names=names, dry_run=dry_run, online=online, user_agent=user_agent,
        store=store, workspace=workspace,
    )  # fmt: skip
