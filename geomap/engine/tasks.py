"""What runs on a worker: a batch of articles, a batch of cache keys.

Each function finds the worker's open gazetteer, geocoder and shard with
:func:`~geomap.engine.plugin.worker_state` and returns plain picklable values.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap.engine.plugin import worker_state
from geomap.errors import GeomapError, InputError
from geomap.model import ExtractResult
from geomap.text import extract_paths

if TYPE_CHECKING:
    from geomap.geocoding import Geocoder, GeocodeResult
    from geomap.text.resolve import PlaceResolver

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

#: Articles per task: large enough that scheduling costs nothing, small enough to spread.
BATCH_ARTICLES = 1000
#: Cache keys per re-derivation task.
BATCH_KEYS = 5000


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """The options of one extraction, the same for every batch."""

    date: str | None
    source: str | None
    url: str | None
    title: str | None
    max_bytes: int


class FirstQueries:
    """A geocoder that notes, per cache key, the name it was first asked with.

    One process stores a key's entry under the first spelling met in article
    order ("HARTFORD" before "Hartford"); a worker meets names in its own
    order, so each task reports its first spellings and the merge takes the
    earliest task's.
    """

    def __init__(self, geocoder: Geocoder) -> None:
        self.geocoder = geocoder
        self.queries: dict[str, str] = {}

    def resolve(
        self, query: str, *, country: str | None = None, admin1: str | None = None
    ) -> GeocodeResult:
        result = self.geocoder.resolve(query, country=country, admin1=admin1)
        if result.key:
            self.queries.setdefault(result.key, query)
        return result


@dataclass(slots=True)
class BatchResult:
    """One task's results, its first spelling of every cache key, and its CPU seconds."""

    items: list[ExtractResult | InputError]
    queries: dict[str, str]
    cpu_s: float


def timed_batch(paths: list[str], options: ExtractOptions) -> BatchResult:
    """Extract the articles ``paths`` (files, in order) on this worker, noting spellings."""
    cpu = time.process_time()
    state = worker_state()
    noted = FirstQueries(state.geocoder) if state.geocoder is not None else None
    items = _extract(paths, options, noted)
    return BatchResult(items, noted.queries if noted else {}, time.process_time() - cpu)


def extract_batch(paths: list[str], options: ExtractOptions) -> list[ExtractResult | InputError]:
    """Extract the articles ``paths`` (files, in order) on this worker."""
    return _extract(paths, options, worker_state().geocoder)


def _extract(
    paths: list[str], options: ExtractOptions, geocoder: PlaceResolver | None
) -> list[ExtractResult | InputError]:
    return list(
        extract_paths(
            paths, date=options.date, source=options.source, url=options.url,
            title=options.title, gazetteer=worker_state().gazetteer, geocoder=geocoder,
            max_bytes=options.max_bytes,
        )  # fmt: skip
    )


def frame_batch(paths: list[str], options: ExtractOptions) -> GeoDataFrame:
    """The events of the articles ``paths`` as a GeoDataFrame (one partition)."""
    from geomap.query import events_frame

    items = extract_batch(paths, options)
    return events_frame([e for r in items if isinstance(r, ExtractResult) for e in r.events])


#: what a refresh asks the gazetteer: (query, country, admin1, bias)
Question = tuple[str, "str | None", "str | None", "tuple[float, ...] | None"]


def fresh_batch(asked: list[Question]) -> list[tuple[tuple[Any, ...] | None, str]]:
    """Each question's answer from the gazetteer alone, pins aside (no cache used):
    the entry's row (None when there is none) and the error ("" when none)."""
    offline = worker_state().offline
    out: list[tuple[tuple[Any, ...] | None, str]] = []
    for query, country, admin1, bias in asked:
        try:
            entry = offline.fresh_entry(query, country=country, admin1=admin1, bias=bias,
                                        pins=False)  # fmt: skip
        except (GeomapError, sqlite3.Error) as exc:
            out.append((None, str(exc)))
            continue
        out.append((entry.to_row() if entry is not None else None, ""))
    return out
