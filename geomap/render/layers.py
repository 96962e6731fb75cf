"""What the map draws besides the events: event-type styles and boundary layers.

The admin-1 layer holds each region's outline with its count of events and
deaths; the world layer holds Natural Earth country outlines, the basemap of
a map without tiles.  Both come from :mod:`geomap.boundaries`, lightened
(simplified, rounded) so a page stays small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap import boundaries
from geomap.countries import all_countries

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: ACLED event types -> (colour, marker shape).  Colours from the Okabe-Ito
#: palette (readable with colour-blindness); shapes repeat the distinction.
EVENT_TYPE_STYLES: dict[str, tuple[str, str]] = {
    "Explosions/Remote violence": ("#D55E00", "circle"),
    "Battles": ("#0072B2", "square"),
    "Violence against civilians": ("#CC79A7", "triangle"),
    "Protests": ("#009E73", "diamond"),
    "Riots": ("#E69F00", "invtriangle"),
    "Strategic developments": ("#555555", "hexagon"),
}
_EXTRA_STYLES = [("#56B4E9", "circle"), ("#8C6D31", "square"), ("#7B3294", "diamond"),
                 ("#999999", "hexagon")]
OTHER_TYPE = "Other / unclassified"

#: Above this many events the points are drawn on a canvas (not SVG), and the
#: map opens with clusters rather than individual points.
SVG_LIMIT = 3000

#: Admin-1 outlines are drawn for at most this many countries (in order of
#: their names): beyond that the page grows faster than it gains.
MAX_ADMIN_COUNTRIES = 15

#: A whole-region event is drawn as a circle of its region's area, at most this wide (metres).
MAX_REGION_RADIUS = 150_000

#: Metres in a degree of latitude: enough to size circles and fit the view.
M_PER_DEGREE = 111_320.0


def type_styles(seen: Iterable[str]) -> list[dict[str, Any]]:
    """Style rows (name, colour, shape, count 0) for the event types ``seen``.

    ACLED's types come first in their usual order, then any other type by name.
    """
    present = set(seen)
    names = [t for t in EVENT_TYPE_STYLES if t in present] + sorted(
        present - set(EVENT_TYPE_STYLES)
    )
    styles = []
    extra = 0
    for name in names:
        if name in EVENT_TYPE_STYLES:
            color, shape = EVENT_TYPE_STYLES[name]
        else:
            color, shape = _EXTRA_STYLES[extra % len(_EXTRA_STYLES)]
            extra += 1
        styles.append({"name": name, "color": color, "shape": shape, "count": 0})
    return styles


# ------------------------------------------------------------ geometries


def _round_coords(coords: Any, ndigits: int) -> Any:
    """GeoJSON coordinates (nested lists of any depth) rounded to ``ndigits``."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], ndigits), round(coords[1], ndigits)]
    return [_round_coords(c, ndigits) for c in coords]


def _light_geometry(geometry: dict[str, Any], tolerance: float, ndigits: int) -> dict[str, Any]:
    """A GeoJSON geometry simplified to ``tolerance`` degrees (0: as is) and rounded."""
    from shapely.geometry import mapping, shape

    if not tolerance:
        return {"type": geometry["type"],
                "coordinates": _round_coords(geometry["coordinates"], ndigits)}
    out = mapping(shape(geometry).simplify(tolerance, preserve_topology=True))
    return {"type": out["type"], "coordinates": _round_coords(out["coordinates"], ndigits)}


def shape_bounds(feature: dict[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON feature."""
    from shapely.geometry import shape

    return shape(feature["geometry"]).bounds


# --------------------------------------------------------------- admin-1


@dataclass
class AdminLayer:
    """Admin-1 regions with their events and deaths, and the regions of whole-region points.

    ``radius`` and ``area`` have one entry per point given to
    :func:`admin_layer`: for a precision-3 point (a whole region), the radius
    in metres of a circle as large as its region and the index of the
    region's feature; 0 and -1 for every other point.
    """

    geojson: dict[str, Any] | None  # a FeatureCollection; None when no country has outlines
    max_deaths: int
    radius: list[int]
    area: list[int]

    @classmethod
    def empty(cls, points: int) -> AdminLayer:
        """No regions: every point is drawn where it is."""
        return cls(None, 0, [0] * points, [-1] * points)


@dataclass
class _Points:
    """The points tested against each region (numpy arrays)."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    deaths: NDArray[np.float64]
    whole_region: NDArray[np.bool_]  # precision 3
    counted: int  # the first ``counted`` points are the events' main locations
    regions: AdminLayer  # filled in region by region


def admin_layer(
    iso3s: Sequence[str],
    lats: Sequence[float],
    lons: Sequence[float],
    deaths: Sequence[int],
    precision: Sequence[int],
    counted: int,
) -> AdminLayer:
    """Admin-1 features of the countries ``iso3s``, each with the events and deaths
    of the first ``counted`` points (the events' main locations) inside it."""
    import numpy as np

    points = _Points(
        lon=np.asarray(lons, dtype=float), lat=np.asarray(lats, dtype=float),
        deaths=np.asarray(deaths, dtype=float), whole_region=np.asarray(precision) == 3,
        counted=counted, regions=AdminLayer.empty(len(lats)),
    )
    features: list[dict[str, Any]] = []
    for iso3 in iso3s[:MAX_ADMIN_COUNTRIES]:
        data = boundaries.admin1_boundaries(iso3)
        if not data:
            continue
        for feature in data["features"]:
            features.append(_region_feature(feature, points, len(features)))
    layer = points.regions
    if features:
        layer.geojson = {"type": "FeatureCollection", "features": features}
        layer.max_deaths = max(0, *(f["properties"]["deaths"] for f in features))
    return layer


def _region_feature(feature: dict[str, Any], points: _Points, index: int) -> dict[str, Any]:
    """One region's light feature with its counts; marks the whole-region points inside it."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    geom = shape(feature["geometry"])
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, points.lon, points.lat)
    main = inside[:points.counted]
    best = points.deaths[:points.counted]
    events = int(main.sum())
    dead = int(best[main & (best > 0)].sum())
    if inside.any() and points.whole_region.any():
        lat0 = geom.centroid.y
        area_m2 = geom.area * (M_PER_DEGREE**2) * math.cos(math.radians(lat0))
        radius = int(min(MAX_REGION_RADIUS, math.sqrt(area_m2 / math.pi)))
        for i in np.nonzero(inside & points.whole_region)[0]:
            points.regions.radius[int(i)] = radius
            points.regions.area[int(i)] = index
    props = feature["properties"]
    return {
        "type": "Feature",
        "properties": {"name": props["name"], "country": props["iso3"], "events": events,
                       "deaths": dead},
        "geometry": _light_geometry(feature["geometry"], 0.004, 3),
    }


# ----------------------------------------------------------------- world


def world_layer(focus_iso3: set[str]) -> dict[str, Any]:
    """Natural Earth outlines: 110m for the world, 50m for the countries with events."""
    numeric = {c.numeric for c in all_countries() if c.iso3 in focus_iso3}
    features = []
    for feature in boundaries.world_countries("110m")["features"]:
        if str(feature.get("id")) in numeric:
            continue
        features.append({"type": "Feature", "properties": {},
                         "geometry": _light_geometry(feature["geometry"], 0, 2)})
    if numeric:
        for feature in boundaries.world_countries("50m", ids=numeric)["features"]:
            features.append({"type": "Feature", "properties": {},
                             "geometry": _light_geometry(feature["geometry"], 0, 3)})
    return {"type": "FeatureCollection", "features": features}
