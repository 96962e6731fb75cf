"""``extract`` on a cluster: article batches out, results back in order, shards merged.

The client lists the article files (as one process would, in the same
order), cuts them into tasks of up to :data:`~geomap.engine.tasks.BATCH_ARTICLES`
articles, and broadcasts to every worker, through :class:`GeomapPlugin`, the
paths and the cache entries that must win there: the pins, and the answers
no gazetteer can re-derive (online ones, imported ones).  Each worker
resolves places through its own cache shard; at the end the shards are
merged into the cache (:func:`~geomap.geocoding.merge.merge_shards`) and
removed.  The results equal one process's, article for article.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.engine.plugin import PLUGIN_NAME, GeomapPlugin, WorkerState
from geomap.engine.tasks import BATCH_ARTICLES, ExtractOptions, timed_batch
from geomap.errors import CacheError, GeomapError, InputError
from geomap.geocoding import GeocodeCache
from geomap.geocoding.merge import MergeReport, merge_shards
from geomap.model import ExtractResult
from geomap.text.articles import iter_paths

if TYPE_CHECKING:
    import os

    from distributed import Client, Worker


@dataclass(slots=True)
class ClusterExtract:
    """What an extraction on a cluster gave."""

    #: one result (or file error) per article, in the order one process gives them
    items: list[ExtractResult | InputError] = field(default_factory=list)
    #: how the workers' cache shards went into the cache (None: no cache used)
    merge: MergeReport | None = None
    workers: int = 0
    tasks: int = 0
    #: the CPU seconds each task took on its worker (the work itself, set-up aside)
    task_cpu_s: list[float] = field(default_factory=list)
    #: each worker's set-up (gazetteer, name index, shard): wall and CPU seconds
    setup: dict[str, tuple[float, float]] = field(default_factory=dict)


def seed_rows(cache: GeocodeCache) -> list[tuple[Any, ...]]:
    """The entries every worker needs: pins, and answers no gazetteer re-derives."""
    return [e.to_row() for e in cache.entries() if e.pinned or e.provider != "gazetteer"]


def batches(files: list[str], workers: int) -> list[list[str]]:
    """Tasks of up to BATCH_ARTICLES files, at least two per worker when there are enough."""
    if not files:
        return []
    size = max(1, min(BATCH_ARTICLES, math.ceil(len(files) / (2 * max(workers, 1)))))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _setup_times(dask_worker: Worker) -> tuple[float, float]:
    plugin = dask_worker.plugins[PLUGIN_NAME]
    state = plugin.state if isinstance(plugin, GeomapPlugin) else None
    return (state.setup_s, state.setup_cpu_s) if isinstance(state, WorkerState) else (0.0, 0.0)


def shard_files(folder: Path) -> list[Path]:
    """The shard files a run left in ``folder``, in name order."""
    return sorted(folder.glob("shard-*.sqlite"))


def merge_folder(
    cache: GeocodeCache, folder: Path, first: dict[str, str] | None = None
) -> MergeReport:
    """Merge every shard in ``folder`` into ``cache`` (``first``: see merge_shards)."""
    shards = [GeocodeCache.open(p) for p in shard_files(folder)]
    try:
        return merge_shards(cache, shards, first_queries=first)
    finally:
        for shard in shards:
            shard.close()


def extract_on(
    client: Client,
    paths: Iterable[str | os.PathLike[str]],
    *,
    options: ExtractOptions,
    gazetteer: Path,
    cache: GeocodeCache | None,
) -> ClusterExtract:
    """Extract every article under ``paths`` on ``client``'s workers.

    With a ``cache``, each worker writes a shard beside it (in a folder
    removed after the merge); the workers must see that folder (a
    LocalCluster does; a remote cluster needs a shared file system).
    """
    files = [str(p) for p in iter_paths(paths)]
    workers = len(client.scheduler_info()["workers"])
    run = ClusterExtract(workers=workers)
    folder = None
    if cache is not None:
        folder = Path(tempfile.mkdtemp(prefix=f".{cache.path.name}.shards-", dir=cache.path.parent))
    plugin = GeomapPlugin(
        str(gazetteer), str(folder) if folder else None, seed_rows(cache) if cache else []
    )
    try:
        client.register_plugin(plugin)
        try:
            tasks = batches(files, workers)
            first: dict[str, str] = {}
            run.tasks = len(tasks)
            # a task's result leaves its worker's memory once the client has it
            pending = deque(client.map(timed_batch, tasks, options=options, pure=False))
            while pending:
                batch = pending.popleft().result()
                run.items.extend(batch.items)
                run.task_cpu_s.append(batch.cpu_s)
                for key, query in batch.queries.items():
                    first.setdefault(key, query)  # tasks in article order
            run.setup = client.run(_setup_times)
        finally:
            client.unregister_worker_plugin(PLUGIN_NAME)  # closes every shard
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    if cache is not None and folder is not None:
        run.merge = _merge_and_remove(cache, folder, first)
    return run


def _merge_and_remove(cache: GeocodeCache, folder: Path, first: dict[str, str]) -> MergeReport:
    """Merge a run's shards; they are removed only once they are in the cache."""
    try:
        report = merge_folder(cache, folder, first)
    except GeomapError as exc:
        raise CacheError(
            f"The workers' cache shards could not be merged into {str(cache.path)!r}:"
            f" {str(exc).partition(' Fix: ')[0]} Fix: they are kept in {str(folder)!r};"
            f" merge them later with: geomap cache merge {folder}/shard-*.sqlite"
        ) from exc
    shutil.rmtree(folder, ignore_errors=True)
    return report
