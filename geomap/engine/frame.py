"""Events of many articles as a dask GeoDataFrame: one partition per task of articles."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.engine.extract import batches
from geomap.engine.plugin import GeomapPlugin
from geomap.engine.tasks import ExtractOptions, frame_batch
from geomap.text.articles import iter_paths

if TYPE_CHECKING:
    import dask_geopandas
    from distributed import Client


def events_dataframe(
    client: Client,
    paths: Iterable[str | os.PathLike[str]],
    *,
    options: ExtractOptions,
    gazetteer: Path,
    shard_dir: Path | None,
) -> dask_geopandas.GeoDataFrame:
    """A lazy dask GeoDataFrame (EPSG:4326) of the events of every article under ``paths``.

    The worker plugin is registered on ``client`` now and stays there for the
    frame's computations; with ``shard_dir``, every worker records its places
    in its own cache shard there (merge them with ``geomap cache merge``).
    """
    import dask
    import dask.dataframe as dd
    import dask_geopandas

    from geomap.query import events_frame

    files = [str(p) for p in iter_paths(paths)]
    client.register_plugin(
        GeomapPlugin(str(gazetteer), str(shard_dir) if shard_dir is not None else None, [])
    )
    workers = len(client.scheduler_info()["workers"])
    parts = [dask.delayed(frame_batch, pure=False)(task, options)
             for task in batches(files, workers)]  # fmt: skip
    meta = events_frame([])
    if not parts:
        return dask_geopandas.from_geopandas(meta, npartitions=1)
    frame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    if not isinstance(frame, dask_geopandas.GeoDataFrame):
        frame = dask_geopandas.from_dask_dataframe(frame, geometry="geometry")
    return frame
