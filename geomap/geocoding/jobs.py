"""What ``geomap geocode`` and ``geomap cache refresh`` run, on a :class:`Workspace`.

Each entry point works on the cache and gazetteer of the workspace it is
given; without one it opens the default files (:mod:`geomap.config`) for the
call and closes them after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geomap.errors import ConfigurationError
from geomap.geocoding.reresolve import CacheRefresh, refresh_entries
from geomap.geocoding.result import GeocodeResult
from geomap.workspace import Workspace


def _no_online_with(workspace: Workspace, **online: object) -> None:
    given = sorted(name for name, value in online.items() if value)
    if given:
        raise ConfigurationError(
            f"{', '.join(given)} cannot be combined with a workspace, instead got both."
            " Fix: make the Workspace with them (Workspace(online=..., user_agent=...))."
        )


def geocode_names(
    names: Iterable[str],
    *,
    country: str | None = None,
    admin1: str | None = None,
    online: str | None = None,
    user_agent: str | None = None,
    online_options: dict[str, Any] | None = None,
    workspace: Workspace | None = None,
) -> list[GeocodeResult]:
    """Resolve several names (what ``geomap geocode`` runs).

    A name that fails comes back not found with its error; the others are
    still resolved and cached.  ``online``, ``user_agent`` and
    ``online_options`` set up the workspace opened here; a given workspace
    brings its own.
    """
    if workspace is not None:
        _no_online_with(
            workspace, online=online, user_agent=user_agent, online_options=online_options
        )
        return workspace.geocoder.resolve_many(names, country=country, admin1=admin1)
    with Workspace(online=online, user_agent=user_agent, online_options=online_options) as ws:
        return ws.geocoder.resolve_many(names, country=country, admin1=admin1)


def refresh_cache(
    *,
    offline: bool = True,
    online: str | None = None,
    user_agent: str | None = None,
    workspace: Workspace | None = None,
) -> CacheRefresh:
    """Re-resolve every unpinned cache entry (what ``geomap cache refresh`` runs).

    ``offline=True`` (the default) consults only the gazetteer, never the
    network; otherwise ``online`` (a geopy service name) answers again for the
    entries it gave.  See :mod:`geomap.geocoding.reresolve` for the rule.
    """
    if offline and online:
        raise ConfigurationError(
            f"refresh was asked to be offline and to use the online service {online!r}."
            " Fix: drop one of the two."
        )
    if workspace is not None:
        _no_online_with(workspace, online=online, user_agent=user_agent)
        if offline and workspace.online:
            raise ConfigurationError(
                f"refresh was asked to be offline with a workspace that uses the online"
                f" service {workspace.online!r}. Fix: pass offline=False or an offline workspace."
            )
        return refresh_entries(workspace.geocoder)
    with Workspace(online=online, user_agent=user_agent) as ws:
        return refresh_entries(ws.geocoder)
