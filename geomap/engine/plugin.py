"""What each worker opens once: gazetteer, name index, geocoder, its cache shard.

A :class:`GeomapPlugin` carries only paths and plain rows across processes
(a SQLite connection cannot be pickled); ``setup`` opens the files in the
worker, builds the gazetteer's name index there, and writes the broadcast
entries (the pins and the answers no gazetteer can re-derive) into the
worker's own shard first, so a pin always wins on every worker as it does in
one process.  Tasks find the open objects with :func:`worker_state`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin, get_worker

from geomap.gazetteer import Gazetteer
from geomap.geocoding import GeocodeCache, Geocoder
from geomap.geocoding.entry import CacheEntry
from geomap.text.names import name_index

if TYPE_CHECKING:
    from distributed import Worker

#: The plugin's name on every worker (registering again replaces it).
PLUGIN_NAME = "geomap"


@dataclass(slots=True)
class WorkerState:
    """The open objects of one worker."""

    gazetteer: Gazetteer
    #: the geocoder over the shard (None when places are kept out of the cache)
    geocoder: Geocoder | None
    #: an offline geocoder without a cache, for re-deriving answers
    offline: Geocoder
    shard: GeocodeCache | None
    setup_s: float
    setup_cpu_s: float

    def close(self) -> None:
        if self.shard is not None:
            self.shard.close()
        self.gazetteer.close()


def shard_name(worker_name: str) -> str:
    """A file name for a worker's shard (worker names hold ':' and '/')."""
    return "shard-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", worker_name).strip("_") + ".sqlite"


class GeomapPlugin(WorkerPlugin):
    """Opens a worker's gazetteer, name index, geocoder and cache shard once."""

    name = PLUGIN_NAME
    idempotent = False

    def __init__(
        self, gazetteer: str, shard_dir: str | None, seed_rows: list[tuple[Any, ...]],
        *, index_names: bool = True,
    ) -> None:  # fmt: skip
        self.gazetteer_path = gazetteer
        #: build the name index (extraction needs it; ingesting tables does not)
        self.index_names = index_names
        self.shard_dir = shard_dir
        self.seed_rows = seed_rows
        self.state: WorkerState | None = None

    def setup(self, worker: Worker) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        gazetteer = Gazetteer.open(self.gazetteer_path)
        if self.index_names:
            name_index(gazetteer)  # the ~1M-key index: built here once, not per task
        shard = None
        if self.shard_dir is not None:
            shard = GeocodeCache.open(Path(self.shard_dir) / shard_name(str(worker.name)))
            if self.seed_rows:
                shard.put_many(CacheEntry.from_row(row) for row in self.seed_rows)
        self.state = WorkerState(
            gazetteer=gazetteer,
            geocoder=Geocoder(gazetteer=gazetteer, cache=shard) if shard is not None else None,
            offline=Geocoder(gazetteer=gazetteer, cache=None),
            shard=shard,
            setup_s=time.perf_counter() - started,
            setup_cpu_s=time.process_time() - cpu,
        )

    def teardown(self, worker: Worker) -> None:
        if self.state is not None:
            self.state.close()
            self.state = None


def worker_state() -> WorkerState:
    """The open objects of the worker this task runs on."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, GeomapPlugin) and plugin.state is not None
    return plugin.state
