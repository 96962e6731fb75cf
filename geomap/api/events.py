"""Public functions for the event store: ingest, read, near, export, check, refresh."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from geomap.model import EventFilter
from geomap.workspace import Workspace

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    from typing_extensions import Unpack

    from geomap.dataset import DatasetReport, EventDataset
    from geomap.ingestion import IngestReport
    from geomap.model import Event, FilterOptions
    from geomap.query import ExportReport
    from geomap.relocation import RefreshReport
    from geomap.store import EventStore, StoreCheck

PathLike = str | os.PathLike[str]


def ingest(
    paths: PathLike | Iterable[PathLike],
    *,
    format: str = "auto",
    location_column: str | None = None,
    country: str | None = None,
    date: str | None = None,
    progress: bool | None = None,
    replace: bool = False,
    create: bool = False,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
) -> IngestReport:
    """Load tables (ACLED, UCDP GED, GDELT, any CSV/XLSX with a place-name column),
    ``geomap extract`` output and articles into the event store, deduplicating.

    Every value is checked on its way in.  A bad row or file is reported in
    the returned :class:`~geomap.ingestion.IngestReport` (``rejected``,
    ``errors``) and the rest is still stored.  A row whose id is stored
    already replaces the stored row only with ``replace`` and from the same
    input format (``updated``); otherwise it is kept out and reported
    (``not_replaced``).  Names-only tables are geocoded in one batch
    (``country`` narrows them); their free-text types are put onto ACLED's
    taxonomy.  Only ingest creates a store; its missing folders are made
    inside the data directory, elsewhere only with ``create``.

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
        country=country, date=date, progress=progress, replace=replace, create=create,
        store=store, workspace=workspace,
    )  # fmt: skip


def read_events(
    *,
    flt: EventFilter | None = None,
    context: bool = False,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> gpd.GeoDataFrame:
    """The store's (deduplicated) events as a GeoDataFrame in EPSG:4326, by date.

    Filter with the keyword options of :class:`~geomap.model.EventFilter`
    (``since``/``until`` are inclusive dates, a month or a year;
    ``event_type`` also takes a class such as "airstrike"; ``actor``,
    ``min_fatalities``, ``limit``) or with an EventFilter as ``flt``.
    Context figures (cumulative or background tolls) are never events; with
    ``context`` they are returned instead.  The store is opened read-only,
    and must exist.

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
    from geomap.query import check_one_store, events_frame, read_stored

    chosen = EventFilter.of(flt, **filters)
    check_one_store(store, workspace)
    if workspace is None:
        with Workspace(store=store, read_only=True) as ws:
            return events_frame(read_stored(ws.store, chosen, context=context))
    return events_frame(read_stored(workspace.store, chosen, context=context))


def near(
    place: str | tuple[float, float],
    radius_km: float | str = 25,
    *,
    columns: str | Sequence[str] | None = None,
    flt: EventFilter | None = None,
    store: EventStore | EventDataset | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> gpd.GeoDataFrame:
    """What happened near a place: stored events within ``radius_km`` (geodesic), nearest first.

    ``place`` is a name (geocoded through the cache), a ``"LAT,LON"`` string or
    a (lat, lon) tuple.  Filters as for :func:`read_events`.  ``columns`` are
    the lean ones by default (id, date, type and sub-type, actors, country,
    admin-1, place, point, precision, deaths low/best/high, sources), "all"
    for every stored column, or a list of names.  The frame has a
    ``distance_km`` column; ``frame.attrs["center"]`` says where the centre
    is.  ``store`` may be an event store file or a dataset folder written by
    :func:`export` with ``to="dataset"``.

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
    >>> list(geomap.near("Rastan", columns=["event_id", "source"]).columns)
    ['event_id', 'source', 'distance_km', 'geometry']
    """
    from geomap.query import near as near_query

    chosen = EventFilter.of(flt, **filters)
    return near_query(place, radius_km=radius_km, flt=chosen, columns=columns, store=store,
                      workspace=workspace)  # fmt: skip


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
    to: str = "file",
    flt: EventFilter | None = None,
    context: bool = False,
    escape_formulas: bool = True,
    store: EventStore | EventDataset | PathLike | None = None,
    workspace: Workspace | None = None,
    **filters: Unpack[FilterOptions],
) -> ExportReport:
    """Write the store's events (filtered as for :func:`read_events`) to GeoJSON, CSV,
    GeoPackage or GeoParquet (``format``, or from the file name), to a GeoParquet
    dataset folder (``to="dataset"``) or to a new event store file (``to="sqlite"``).

    A dataset (``events/source=.../year=.../part-*.parquet``, GeoParquet 1.1 with a
    bbox covering column and an index of its row groups) is read by :func:`near`,
    :func:`export` and :func:`make_map` as ``store``.  A new store holds each
    exported event as one row; ``make_map`` and :func:`refresh` work on it.
    With ``context`` the context figures are written instead: they are never
    exported with the events.  In a CSV, a text cell a spreadsheet would run
    as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return) gets a leading ``'``, unless ``escape_formulas`` is False.

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
    >>> folder = table.with_name("dataset")
    >>> geomap.export(folder, to="dataset").events
    2
    >>> list(geomap.near("Rastan", store=folder)["location"])
    ['Rastan', 'Talbiseh']
    >>> geomap.export(table.with_name("slice.sqlite"), to="sqlite", store=folder,
    ...               since="2015-10").events
    1
    """
    from geomap.query import export_events

    chosen = EventFilter.of(flt, **filters)
    return export_events(path, format=format, to=to, flt=chosen, store=store,
                         workspace=workspace, context=context,
                         escape_formulas=escape_formulas)  # fmt: skip


def write_dataset(
    events: Sequence[Event] | pd.DataFrame,
    path: PathLike,
    *,
    row_group_size: int = 65536,
) -> DatasetReport:
    """Write events (Event objects, or a frame such as :func:`read_events` or
    :func:`near` returns) as a GeoParquet 1.1 dataset folder at ``path``.

    ``events/source=<origin>/year=<YYYY>/part-00000.parquet``, Hilbert-sorted
    within each partition, ``row_group_size`` rows per row group, a ``bbox``
    covering column, and an index of the row groups; a dataset already at
    ``path`` is replaced, any other non-empty folder refused.  :func:`near`,
    :func:`export` and :func:`make_map` read the folder as ``store``.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "events"
    >>> events = [geomap.Event(event_id="acled:1", event_date="2015-09-30", origin="acled",
    ...                        location="Ar Rastan", latitude=34.92, longitude=36.73)]
    >>> report = geomap.write_dataset(events, folder)
    >>> report.events, report.files
    (1, 1)
    >>> list(geomap.near((34.93, 36.73), radius_km=5, store=folder)["location"])
    ['Ar Rastan']
    """
    from geomap.dataset import write_dataset as write

    return write(events, path, row_group_size=row_group_size)


def check_store(
    *,
    repair: bool = False,
    store: EventStore | PathLike | None = None,
    workspace: Workspace | None = None,
) -> StoreCheck:
    """Check the event store: SQLite's integrity check, its indexes, and rows stored badly.

    Without ``repair`` nothing is written (the store is opened read-only, so
    a store in a read-only folder can be checked).  With ``repair`` an older
    store is upgraded and every badly stored row (a death toll of "lots", a
    date of "yesterday") is moved to the ``quarantine`` table, whole, with
    its reason; the events it belonged to are recomputed.  Only a failed
    integrity check calls the file corrupt.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,7\\n2015-09-30,Talbiseh,\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> check = geomap.check_store()
    >>> check.ok, check.integrity, check.events, check.bad_rows
    (True, 'ok', 2, [])
    """
    from geomap.query import check_one_store
    from geomap.store import check_store as run_check

    check_one_store(store, workspace)
    if workspace is not None:
        return run_check(workspace.store, repair=repair)
    with Workspace(store=store, read_only=True) as ws:
        found = ws.store  # must exist: a check never creates a store
        if not repair:
            return run_check(found, repair=False)
    with Workspace(store=store) as ws:
        return run_check(ws.store, repair=True)


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
