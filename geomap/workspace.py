"""The files one piece of work uses: gazetteer, geocode cache and event store, opened once.

Services (extract, ingest, near, export, refresh, the map job) never open
these files themselves: they take the open objects, or a :class:`Workspace`
that opens each one on first use and closes them together::

    with Workspace() as ws:                     # the default files (geomap.config)
        ws.geocoder.resolve("Rastan", country="SY")
        ws.store.events()

A part given as an object is used as it is and left open; a part given as a
path (or left to the default) is opened here and closed by :meth:`close`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from geomap import config

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding.cache import GeocodeCache
    from geomap.geocoding.geocoder import Geocoder
    from geomap.store import EventStore

PathLike = str | os.PathLike[str]


class Closeable(Protocol):
    def close(self) -> None: ...


class Workspace:
    """Gazetteer, geocode cache, geocoder and event store, each opened on first use.

    Parameters
    ----------
    gazetteer, cache, store
        An open object to use, or a path to open; ``None`` means the default
        path from :mod:`geomap.config`.
    read_only
        Open the store read-only: it must exist, and nothing can change it.
    create_dirs
        Let a writable store be created with its missing folders even outside
        the data directory (``geomap ingest --create``); inside it they are
        always made.
    online, user_agent, online_options
        The opt-in online geocoding service (see
        :class:`geomap.geocoding.Geocoder`); offline when ``online`` is None.
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | PathLike | None = None,
        cache: GeocodeCache | PathLike | None = None,
        store: EventStore | PathLike | None = None,
        read_only: bool = False,
        create_dirs: bool = False,
        online: str | None = None,
        user_agent: str | None = None,
        online_options: dict[str, Any] | None = None,
    ) -> None:
        self._given = {"gazetteer": gazetteer, "cache": cache, "store": store}
        self._opened: dict[str, Any] = {}
        self.read_only = read_only
        self.create_dirs = create_dirs
        self.online = online
        self.user_agent = user_agent
        self.online_options = online_options
        self._geocoder: Geocoder | None = None

    # -- the parts ----------------------------------------------------------
    def _part(self, name: str, opener: Callable[[Path | None], Closeable]) -> Any:
        given = self._given[name]
        if given is not None and not isinstance(given, (str, os.PathLike)):
            return given
        if name not in self._opened:
            self._opened[name] = opener(Path(given) if given is not None else None)
        return self._opened[name]

    @property
    def gazetteer(self) -> Gazetteer:
        """The offline gazetteer, built first (once, with a progress note) when missing."""
        from geomap.gazetteer import Gazetteer

        return self._part(
            "gazetteer", lambda path: Gazetteer.open_or_build(path or config.gazetteer_path())
        )

    @property
    def cache(self) -> GeocodeCache:
        """The persistent geocode cache (created when missing)."""
        from geomap.geocoding.cache import GeocodeCache

        return self._part("cache", lambda path: GeocodeCache.open(path or config.cache_path()))

    @property
    def geocoder(self) -> Geocoder:
        """The geocoder over this workspace's cache and gazetteer.

        Making it opens nothing: the cache is opened by the first lookup, the
        gazetteer by the first lookup the pins and the cache cannot answer.
        """
        if self._geocoder is None:
            from geomap.geocoding.geocoder import Geocoder

            self._geocoder = Geocoder(
                cache=lambda: self.cache,
                gazetteer=lambda: self.gazetteer,
                online=self.online,
                user_agent=self.user_agent,
                online_options=self.online_options,
            )
        return self._geocoder

    @property
    def store(self) -> EventStore:
        """The event store (read-only when the workspace is)."""
        from geomap.store import EventStore

        def open_store(path: Path | None) -> EventStore:
            path = path or config.store_path()
            if self.read_only:
                return EventStore.open(path, read_only=True)
            return EventStore.open(path, make_dirs=self.create_dirs)

        return self._part("store", open_store)

    @property
    def store_path(self) -> Path:
        """Where the store is (or would be), without opening it."""
        given = self._given["store"]
        if given is None:
            return config.store_path()
        if isinstance(given, (str, os.PathLike)):
            return Path(given)
        return Path(given.path)

    # -- closing ------------------------------------------------------------
    def close(self) -> None:
        """Close what this workspace opened (objects passed in stay open)."""
        self._geocoder = None
        for part in reversed(list(self._opened.values())):
            part.close()
        self._opened.clear()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
