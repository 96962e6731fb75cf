"""Public functions for a Dask cluster: extract, ingest tables, refresh the cache, merge
cache shards, dedup.

They need the optional extra (``pip install "geomap[dask]"``); without it they
raise one :class:`~geomap.errors.ConfigurationError` naming the install line.
``merge_caches``, and ``dedupe_events`` without a client, need nothing more than geomap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, InputError
from geomap.workspace import Workspace

if TYPE_CHECKING:
    import dask_geopandas
    import pandas as pd
    from distributed import Client

    from geomap.dataset.dedup import DedupResult
    from geomap.engine.extract import ClusterExtract
    from geomap.engine.ingest import ClusterIngest
    from geomap.engine.tasks import ExtractOptions
    from geomap.geocoding.merge import MergeReport
    from geomap.geocoding.reresolve import CacheRefresh
    from geomap.model import Event

PathLike = str | os.PathLike[str]


def _options(date: str | None, source: str | None, url: str | None, title: str | None,
             max_bytes: int | None) -> ExtractOptions:  # fmt: skip
    from geomap.api.articles import parse_date
    from geomap.engine.tasks import ExtractOptions
    from geomap.text import MAX_ARTICLE_BYTES

    return ExtractOptions(
        date=parse_date(date, what="date") if date is not None else None, source=source,
        url=url, title=title, max_bytes=MAX_ARTICLE_BYTES if max_bytes is None else max_bytes,
    )  # fmt: skip


def _gazetteer_path(workspace: Workspace | None) -> Path:
    """The gazetteer file the workers open (built here first when missing)."""
    if workspace is not None:
        return workspace.gazetteer.path
    with Workspace() as ws:
        return ws.gazetteer.path


def extract_cluster(
    paths: PathLike | Iterable[PathLike],
    *,
    cluster: str | None = None,
    scheduler: str | None = None,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    use_cache: bool = True,
    max_bytes: int | None = None,
    workspace: Workspace | None = None,
) -> ClusterExtract:
    """:func:`extract` on a Dask cluster: ``cluster="local:N"`` (N worker processes
    on this machine) or ``scheduler="tcp://HOST:8786"``.

    Returns a :class:`~geomap.engine.extract.ClusterExtract` whose ``items``
    are what :func:`extract` yields, in the same order and equal to them;
    each worker records its places in its own cache shard, and ``merge``
    says how the shards went into the workspace's cache (conflicts included).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "rastan.txt").write_text(
    ...     "Strikes on Rastan\\nAirstrikes killed 12 people in Rastan on Monday.\\n")
    >>> run = geomap.extract_cluster(folder, cluster="local:1", date="2015-10-05")
    >>> [event.location for item in run.items for event in item.events]
    ['Ar Rastan']
    >>> run.merge.conflicts
    []
    """
    from geomap.engine.client import open_client
    from geomap.engine.extract import extract_on

    options = _options(date, source, url, title, max_bytes)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if workspace is None:
        with Workspace() as ws:
            return extract_cluster(paths, cluster=cluster, scheduler=scheduler, date=date,
                                   source=source, url=url, title=title, use_cache=use_cache,
                                   max_bytes=max_bytes, workspace=ws)  # fmt: skip
    gazetteer = workspace.gazetteer.path  # built here first when missing
    cache = workspace.cache if use_cache else None
    with open_client(cluster, scheduler) as client:
        return extract_on(client, paths, options=options, gazetteer=gazetteer, cache=cache)


def refresh_cache_cluster(
    *,
    cluster: str | None = None,
    scheduler: str | None = None,
    offline: bool = True,
    online: str | None = None,
    user_agent: str | None = None,
    workspace: Workspace | None = None,
) -> CacheRefresh:
    """:func:`refresh_cache` with the gazetteer asked again on a Dask cluster.

    The report equals :func:`refresh_cache`'s; names the gazetteer does not
    find are asked of ``online`` (when allowed) on this machine, paced.

    Examples
    --------
    >>> import geomap
    >>> _ = geomap.geocode("Homs")
    >>> geomap.refresh_cache_cluster(cluster="local:1").changes
    []
    """
    from geomap.api.places import refresh_workspace
    from geomap.engine.client import check_target, open_client
    from geomap.engine.refresh import refresh_on

    check_target(cluster, scheduler)
    with refresh_workspace(offline=offline, online=online, user_agent=user_agent,
                           workspace=workspace) as ws:  # fmt: skip
        geocoder = ws.geocoder
        gazetteer = ws.gazetteer.path
        with open_client(cluster, scheduler) as client:
            return refresh_on(client, geocoder, gazetteer=gazetteer)


def merge_caches(
    shards: Sequence[PathLike], *, into: PathLike | None = None,
    workspace: Workspace | None = None,
) -> MergeReport:  # fmt: skip
    """Union geocode-cache shards (files with the cache's schema) into one cache.

    ``into`` is the cache to merge into (default: the workspace's cache).  A
    key answered differently by two files is a conflict: reported, and the
    answer already there kept; a pin is never overwritten, and pins in the
    shards are not taken (listed in ``pins_left_out``).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with geomap.Workspace(cache=folder / "a.sqlite") as ws:
    ...     _ = ws.geocoder.resolve("Homs")
    >>> report = geomap.merge_caches([folder / "a.sqlite"], into=folder / "all.sqlite")
    >>> report.added, report.conflicts
    (1, [])
    """
    from geomap.geocoding import GeocodeCache
    from geomap.geocoding.merge import merge_shards

    if not shards:
        raise InputError("No shard was given. Fix: name the shard files to merge.")
    paths = [Path(s) for s in shards]
    for path in paths:
        if not path.is_file():
            raise InputError(
                f"The cache shard {str(path)!r} does not exist. Fix: check the path."
            )
    if workspace is None:
        with Workspace(cache=into) as ws:
            return merge_caches(paths, workspace=ws)
    if into is not None:
        raise ConfigurationError(
            "into cannot be combined with a workspace, instead got both."
            " Fix: make the Workspace with cache=into."
        )
    target = workspace.cache
    opened = []
    try:
        for path in paths:
            if path.resolve() == Path(target.path).resolve():
                raise InputError(
                    f"The shard {str(path)!r} is the cache being merged into."
                    " Fix: leave it out of the shards."
                )
            opened.append(GeocodeCache.open(path))
        return merge_shards(target, opened)
    finally:
        for shard in opened:
            shard.close()


def events_dataframe(
    paths: PathLike | Iterable[PathLike],
    *,
    client: Client,
    shard_dir: PathLike | None = None,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    max_bytes: int | None = None,
    workspace: Workspace | None = None,
) -> dask_geopandas.GeoDataFrame:
    """The events of the articles under ``paths`` as a lazy dask GeoDataFrame (EPSG:4326).

    One partition per task of up to 1,000 articles, extracted on ``client``'s
    workers when computed; the columns are :func:`read_events`'.  With
    ``shard_dir``, each worker records its places in its own cache shard
    there (merge them with :func:`merge_caches`).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> from distributed import Client, LocalCluster
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "rastan.txt").write_text(
    ...     "Strikes on Rastan\\nAirstrikes killed 12 people in Rastan on Monday.\\n")
    >>> with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as lc:
    ...     with Client(lc) as client:
    ...         frame = geomap.events_dataframe(folder, client=client, date="2015-10-05")
    ...         events = frame.compute()
    >>> events[["location", "deaths_best"]].values.tolist()
    [['Ar Rastan', 12]]
    """
    from geomap.engine.client import require_dask
    from geomap.engine.frame import events_dataframe as frame

    require_dask()
    options = _options(date, source, url, title, max_bytes)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    gazetteer = _gazetteer_path(workspace)
    shards = Path(shard_dir) if shard_dir is not None else None
    return frame(client, paths, options=options, gazetteer=gazetteer, shard_dir=shards)


def ingest_cluster(
    paths: PathLike | Iterable[PathLike],
    *,
    dataset: PathLike,
    cluster: str | None = None,
    scheduler: str | None = None,
    format: str = "auto",
    replace: bool = False,
    overwrite: bool = False,
    workspace: Workspace | None = None,
) -> ClusterIngest:
    """:func:`ingest` of ACLED, UCDP and GDELT tables on a Dask cluster, into a new
    GeoParquet dataset folder ``dataset`` (as :func:`write_dataset` writes one).

    Each worker reads its own ranges of rows from the files, checks them and
    names their admin-1 as one process does, and writes its Parquet parts;
    the rows that describe one event are then grouped and merged as the event
    store does (:func:`dedupe_events`, the pairs found on the workers), the
    merged events written and the folder renamed into place: the events
    :func:`ingest` and :func:`export` to a dataset give.  Bad rows are in
    ``report.rejected``, as :func:`ingest` reports them; a file that cannot
    go (a names table, extract output, articles, a spreadsheet) is in
    ``report.errors`` and the others go on.  An existing dataset is replaced
    only with ``overwrite``.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = folder / "acled.csv"
    >>> _ = table.write_text(
    ...     "event_id_cnty,event_date,country,location,latitude,longitude,fatalities\\n"
    ...     "SYR1,2015-09-30,Syria,Ar Rastan,34.92,36.73,33\\n"
    ...     "SYR2,2015-10-02,Syria,Talbiseh,34.84,36.73,four\\n")
    >>> run = geomap.ingest_cluster(table, dataset=folder / "events", cluster="local:1")
    >>> run.events, [str(r) for r in run.report.rejected]  # doctest: +ELLIPSIS
    (1, [".../acled.csv:3: ..."])
    >>> list(geomap.near((34.92, 36.73), radius_km=5, store=folder / "events")["location"])
    ['Ar Rastan']
    """
    from geomap.engine.client import check_target, open_client
    from geomap.engine.ingest import check_target as check_dataset
    from geomap.engine.ingest import ingest_on
    from geomap.engine.tables import CLUSTER_FORMATS

    check_target(cluster, scheduler)
    fmt = (format or "auto").lower()
    if fmt not in CLUSTER_FORMATS:
        raise InputError(
            f"A cluster ingests the formats {', '.join(CLUSTER_FORMATS)}, instead got:"
            f" {format!r}. Fix: ingest it without --cluster (into the event store)."
        )
    root = Path(dataset)
    check_dataset(root, overwrite=overwrite)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    gazetteer = _gazetteer_path(workspace)
    return ingest_on(lambda: open_client(cluster, scheduler), paths, fmt=fmt, dataset=root,
                     gazetteer=gazetteer, replace=replace, overwrite=overwrite)  # fmt: skip


def dedupe_events(
    events: Iterable[Event] | pd.DataFrame,
    *,
    input_files: Sequence[str] | None = None,
    client: Client | None = None,
    cell_degrees: float = 1.0,
) -> DedupResult:
    """Group source rows that describe one event and merge each group, as the event store
    does, without a store: over (grid cell x month) partitions, on a Dask client or here.

    ``events`` are source rows (Event objects, or a frame with the result
    columns), checked as the store checks them; ``input_files`` the file (or
    article) each came from, since rows of one file never merge unless
    identical.  The groups are the ones the store makes of the same rows (the
    same rules, tie rules and merge); with ``client`` the partitions' matching
    pairs are found on its workers and grouped here.  ``cell_degrees`` is the
    side of a partition's grid cell.

    Returns a :class:`~geomap.dataset.dedup.DedupResult`: ``groups`` (the
    source ids of each group), ``events`` (one merged event per group, ready
    for :func:`write_dataset`), ``context`` and ``rejected`` rows.

    Examples
    --------
    >>> import geomap
    >>> def strike(event_id, origin, name, deaths):
    ...     return geomap.Event(event_id=event_id, origin=origin, event_date="2015-09-30",
    ...         event_type="Battles", location=name, latitude=34.9267, longitude=36.7324,
    ...         geo_precision=1, country="Syria", admin1="Homs", deaths_best=deaths)
    >>> result = geomap.dedupe_events([strike("acled:1", "acled", "Ar Rastan", 3),
    ...                                strike("text:1", "text", "Rastan", 5)])
    >>> result.groups
    [('acled:1', 'text:1')]
    >>> result.events[0].deaths_best, result.events[0].extra["n_sources"]
    (3, 2)
    """
    from geomap.dataset.dedup import dedupe_on, dedupe_serial

    if client is None:
        return dedupe_serial(events, input_files=input_files, cell_degrees=cell_degrees)
    from geomap.engine.client import require_dask

    require_dask()
    return dedupe_on(client, events, input_files=input_files, cell_degrees=cell_degrees)
