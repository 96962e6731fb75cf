"""Distances, offsets and bounding boxes on the Earth: the one home of geodesy in geomap.

Three distances, each for its own job:

* :func:`geodesic_km` and :func:`geodesic_km_from`: exact WGS84 geodesics
  (pyproj), for anything a user reads or filters on (``near``, dedup radii,
  how far a refresh moved a point);
* :func:`haversine_km`: the great circle on the mean sphere, for scoring
  (accuracy harness, gazetteer ranking) where metres do not matter;
* :func:`equirectangular_km`: the cheapest approximation, close to the great
  circle within the few hundred km where nearness counts, for the geoparser's
  inner loops.

Latitude comes before longitude in every signature; pyproj's (lon, lat)
order stays inside this module.
"""

from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from geomap.errors import CoordinateError, quote

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from pyproj import Geod

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: km per degree of latitude, lower bound (WGS84 meridian at the equator).
KM_PER_DEG_MIN = 110.574
#: Smallest radius of curvature on WGS84 (meridional, at the equator), km.
R_MIN_KM = 6335.439

#: (min_lon, max_lon, min_lat, max_lat)
Box = tuple[float, float, float, float]


@lru_cache(maxsize=1)
def _geod() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """WGS84 geodesic distance in km between two points."""
    _, _, metres = _geod().inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def geodesic_km_from(
    latitude: float,
    longitude: float,
    lats: Sequence[float] | np.ndarray,
    lons: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """WGS84 geodesic distances in km from one point to many (array-likes of equal length)."""
    import numpy as np

    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    if lats.size == 0:
        return np.zeros(0)
    _, _, metres = _geod().inv(
        np.full_like(lons, longitude), np.full_like(lats, latitude), lons, lats
    )
    return np.asarray(metres) / 1000.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on the mean sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_haversine(
    points: Sequence[tuple[float, float]], lats: np.ndarray, lons: np.ndarray
) -> list[int]:
    """For each (latitude, longitude) in ``points`` (degrees), the index of the nearest of
    the targets whose latitudes and longitudes (radians) are ``lats`` and ``lons``, by the
    haversine formula; numpy, 64 points at a time so memory stays small."""
    import numpy as np

    out: list[int] = []
    for i in range(0, len(points), 64):
        chunk = np.radians(np.asarray(points[i : i + 64], dtype=float))
        p, q = chunk[:, :1], chunk[:, 1:]
        h = np.sin((lats - p) / 2) ** 2 + np.cos(p) * np.cos(lats) * np.sin((lons - q) / 2) ** 2
        out.extend(int(j) for j in np.argmin(h, axis=1))
    return out


def equirectangular_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km by the equirectangular approximation (wraps at the antimeridian)."""
    dlon = abs(lon1 - lon2)
    if dlon > 180.0:
        dlon = 360.0 - dlon
    x = dlon * math.cos(math.radians((lat1 + lat2) / 2))
    return 111.195 * math.hypot(x, lat1 - lat2)


def nearest_equirectangular_km(
    latitude: float,
    longitude: float,
    points: Sequence[tuple[float, float]],
    lats: Sequence[float],
    tags: Sequence[str] | None = None,
    skip: str | None = None,
) -> float:
    """The least :func:`equirectangular_km` from a point to ``points`` (``inf`` if none).

    ``points`` are (latitude, longitude) pairs sorted by latitude and ``lats`` their
    latitudes; points whose entry in ``tags`` equals ``skip`` are left out.  They are
    visited outwards from ``latitude`` and the search stops once the latitude gap alone
    (``111.195 * |dlat|``, never more than the distance, as ``hypot(x, y) >= |y|``)
    reaches the nearest found so far.  Each distance is computed exactly as
    :func:`equirectangular_km` computes it (inlined: this is the geoparser's inner loop).
    Coordinates must be finite.
    """
    cos, radians, hypot = math.cos, math.radians, math.hypot
    hi = bisect.bisect_left(lats, latitude)
    lo = hi - 1
    n = len(points)
    best = math.inf
    while lo >= 0 or hi < n:
        gap_lo = 111.195 * abs(latitude - lats[lo]) if lo >= 0 else math.inf
        gap_hi = 111.195 * abs(latitude - lats[hi]) if hi < n else math.inf
        if gap_lo <= gap_hi:
            if gap_lo >= best:
                break
            k = lo
            lo -= 1
        else:
            if gap_hi >= best:
                break
            k = hi
            hi += 1
        if tags is not None and tags[k] == skip:
            continue
        olat, olon = points[k]
        dlon = abs(longitude - olon)
        if dlon > 180.0:
            dlon = 360.0 - dlon
        d = 111.195 * hypot(dlon * cos(radians((latitude + olat) / 2)), latitude - olat)
        if d < best:
            best = d
    return best


def destination(
    latitude: float, longitude: float, bearing_deg: float, km: float
) -> tuple[float, float]:
    """The point ``km`` from (latitude, longitude) along ``bearing_deg``, on the great circle."""
    d = km / EARTH_RADIUS_KM
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(latitude), math.radians(longitude)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    y = math.sin(b) * math.sin(d) * math.cos(p1)
    l2 = l1 + math.atan2(y, math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def shift_degrees(
    latitude: float, longitude: float, dlat: float, dlon: float
) -> tuple[float, float]:
    """(latitude + dlat, longitude + dlon), clamped at the poles, wrapped at the
    antimeridian and rounded to 6 decimals (about 0.1 m)."""
    new_lat = max(-90.0, min(90.0, latitude + dlat))
    new_lon = (longitude + dlon + 540.0) % 360.0 - 180.0
    return round(new_lat, 6), round(new_lon, 6)


def bounding_boxes(latitude: float, longitude: float, radius_km: float) -> list[Box]:
    """(min_lon, max_lon, min_lat, max_lat) boxes that surely contain the geodesic circle.

    Conservative on the WGS84 ellipsoid: latitudes use the shortest degree
    of latitude; longitudes use the spherical tangent formula on the
    smallest radius of curvature, plus a margin.  A circle reaching a pole,
    or wider than a hemisphere, gets the full longitude range; one crossing
    the antimeridian is split into two boxes.
    """
    margin = 1.01
    dlat = radius_km / KM_PER_DEG_MIN * margin + 1e-6
    lat_min, lat_max = latitude - dlat, latitude + dlat
    theta = radius_km / R_MIN_KM * margin + 1e-9
    full = lat_max >= 90.0 or lat_min <= -90.0 or theta >= math.pi / 2
    if not full:
        ratio = math.sin(theta) / math.cos(math.radians(latitude))
        # the cap's extreme meridians touch it poleward of the centre; when
        # the ratio approaches 1 the cap nearly contains a pole.
        full = ratio >= 0.999
    lat_min, lat_max = max(lat_min, -90.0), min(lat_max, 90.0)
    if full:
        return [(-180.0, 180.0, lat_min, lat_max)]
    dlon = math.degrees(math.asin(ratio)) * margin + 1e-6
    lon_min, lon_max = longitude - dlon, longitude + dlon
    if lon_min < -180.0:
        return [(-180.0, lon_max, lat_min, lat_max), (lon_min + 360.0, 180.0, lat_min, lat_max)]
    if lon_max > 180.0:
        return [(lon_min, 180.0, lat_min, lat_max), (-180.0, lon_max - 360.0, lat_min, lat_max)]
    return [(lon_min, lon_max, lat_min, lat_max)]


# --------------------------------------------------------------------------
# reading and checking coordinates


def check_coordinates(
    latitude: float | str | None, longitude: float | str | None
) -> tuple[float, float]:
    """Parse (strings allowed) and range-check a latitude/longitude pair.

    Raises :class:`~geomap.errors.CoordinateError` naming the first bad
    value; when the pair is out of range but would fit swapped, the message
    says so.
    """
    lat = _coordinate("latitude", latitude, 90.0, longitude)
    lon = _coordinate("longitude", longitude, 180.0, latitude)
    return lat, lon


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _coordinate(
    label: str, value: float | str | None, limit: float, other: float | str | None
) -> float:
    number = _number(value)
    if number is None or not math.isfinite(number):
        raise CoordinateError(
            f"The {label} must be a decimal number, instead got: {quote(value)}."
            " Fix: write it like 34.927 (south and west are negative)."
        )
    if abs(number) > limit:
        other_number = _number(other)
        other_limit = 270.0 - limit  # 180 for a latitude, 90 for a longitude
        swapped = (
            other_number is not None and abs(other_number) <= limit and abs(number) <= other_limit
        )
        hint = " (latitude and longitude look swapped)" if swapped else ""
        raise CoordinateError(
            f"latitude/longitude out of range: the {label} must be between -{limit:g}"
            f" and {limit:g}, instead got: {quote(value)}{hint}."
            " Fix: check the order (LAT then LON) and the sign."
        )
    return number


_LATLON = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[, ]\s*([-+]?\d+(?:\.\d+)?)\s*$")


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"34.93,36.73"`` -> (34.93, 36.73); None when ``text`` is not a number pair.

    A pair out of range raises :class:`~geomap.errors.CoordinateError`.
    """
    m = _LATLON.match(text)
    if not m:
        return None
    return check_coordinates(float(m.group(1)), float(m.group(2)))
