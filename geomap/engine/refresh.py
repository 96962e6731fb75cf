"""``cache refresh`` on a cluster: workers re-derive the answers, the client decides.

The expensive part of a refresh is asking the gazetteer again for every
entry; the workers do that, in batches, with an offline geocoder and no
cache.  The client then runs the one refresh rule
(:func:`~geomap.geocoding.reresolve.refresh_entries`) with a geocoder whose
fresh answers are those the workers gave, so what changes, what is skipped
and what is written is exactly what one process would do.  A name the
gazetteer does not find is asked of the online service (when there is one)
on the client, in one paced pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.engine.plugin import PLUGIN_NAME, GeomapPlugin
from geomap.engine.tasks import BATCH_KEYS, Question, fresh_batch
from geomap.errors import CacheError, GeocodeError
from geomap.geocoding import CacheEntry, Geocoder
from geomap.geocoding.keys import parse_key
from geomap.geocoding.reresolve import CacheRefresh, refresh_entries

if TYPE_CHECKING:
    from collections.abc import Sequence

    from distributed import Client


class PrecomputedGeocoder(Geocoder):
    """``base``'s geocoder, whose offline fresh answers were computed elsewhere.

    A question it has no answer for, and (with an online service) a name the
    gazetteer did not find, are asked of ``base`` itself.
    """

    def __init__(self, base: Geocoder, answers: dict[Question, tuple[Any, str]]) -> None:
        cache = base.cache
        super().__init__(gazetteer=lambda: base.gazetteer, cache=cache, memo=False)
        self.online = base.online
        self._base = base
        self._answers = answers

    def fresh_entry(
        self,
        query: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        bias: Sequence[float] | None = None,
        pins: bool = True,
    ) -> CacheEntry | None:
        question: Question = (query, country, admin1, tuple(bias) if bias is not None else None)
        got = self._answers.get(question)
        if got is None or pins:
            return self._base.fresh_entry(query, country=country, admin1=admin1, bias=bias,
                                          pins=pins)  # fmt: skip
        row, error = got
        if error:
            raise GeocodeError(error)
        entry = CacheEntry.from_row(row) if row is not None else None
        if entry is not None and not entry.found and self._base.online is not None:
            return self._base.fresh_entry(query, country=country, admin1=admin1, bias=bias,
                                          pins=False)  # fmt: skip
        return entry


def questions(geocoder: Geocoder) -> list[Question]:
    """What a refresh will ask the gazetteer: one question per re-derivable entry."""
    cache = geocoder.cache
    if cache is None:
        raise CacheError(
            "Refreshing the geocode cache needs a geocoder with a cache."
            " Fix: make the Geocoder with cache=GeocodeCache.open(...)."
        )
    out: list[Question] = []
    for entry in cache.entries():
        if entry.pinned or (entry.provider != "gazetteer" and geocoder.online is None):
            continue
        _, hints = parse_key(entry.key)
        bias = hints.get("bias")
        out.append((entry.query, hints.get("country"), hints.get("admin1"),
                    tuple(bias) if bias is not None else None))  # fmt: skip
    return out


def refresh_on(client: Client, geocoder: Geocoder, *, gazetteer: Path) -> CacheRefresh:
    """Refresh ``geocoder``'s cache with ``client``'s workers asking the gazetteer."""
    asked = questions(geocoder)
    client.register_plugin(GeomapPlugin(str(gazetteer), None, []))
    try:
        tasks = [asked[i : i + BATCH_KEYS] for i in range(0, len(asked), BATCH_KEYS)]
        answers: dict[Question, tuple[Any, str]] = {}
        for task, future in zip(tasks, client.map(fresh_batch, tasks, pure=False), strict=True):
            answers.update(zip(task, future.result(), strict=True))
    finally:
        client.unregister_worker_plugin(PLUGIN_NAME)
    return refresh_entries(PrecomputedGeocoder(geocoder, answers))
