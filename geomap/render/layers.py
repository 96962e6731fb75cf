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
    from shapely.geometry.base import BaseGeometry

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

    ``radius``, ``area`` and ``region`` have one entry per point given to
    :func:`admin_layer`.  ``region`` is the index of the feature the point
    lies in (-1: none), which the page uses to re-count each region as
    filters change.  For a precision-3 point (a whole region), ``radius`` is
    the radius in metres of a circle as large as its region and ``area`` the
    index of the region's feature; 0 and -1 for every other point.
    """

    geojson: dict[str, Any] | None  # a FeatureCollection; None when no country has outlines
    max_deaths: int
    radius: list[int]
    area: list[int]
    region: list[int]

    @classmethod
    def empty(cls, points: int) -> AdminLayer:
        """No regions: every point is drawn where it is."""
        return cls(None, 0, [0] * points, [-1] * points, [-1] * points)


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
    of the first ``counted`` points (the events' main locations) inside it.

    Each region's outline is clipped to its country's Natural Earth outline
    (the one the basemap draws), so no sliver of sea shows between them.
    """
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
        outline = _country_outline(iso3)
        for feature in data["features"]:
            features.append(_region_feature(feature, points, len(features), outline))
    layer = points.regions
    if features:
        layer.geojson = {"type": "FeatureCollection", "features": features}
        layer.max_deaths = max(0, *(f["properties"]["deaths"] for f in features))
    return layer


def _country_outline(iso3: str) -> BaseGeometry | None:
    """The country's 50m Natural Earth outline (what the basemap draws), or None."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    numeric = [c.numeric for c in all_countries() if c.iso3 == iso3]
    if not numeric:
        return None
    found = boundaries.world_countries("50m", ids=numeric)["features"]
    shapes = [shape(f["geometry"]).buffer(0) for f in found]
    return unary_union(shapes) if shapes else None


def _clipped(geometry: dict[str, Any], outline: BaseGeometry | None) -> dict[str, Any]:
    """A region's geometry cut to its country's outline (as it was when they do not meet)."""
    if outline is None:
        return geometry
    import shapely
    from shapely.geometry import MultiPolygon, mapping, shape

    geom = shape(geometry)
    if not geom.is_valid:
        geom = geom.buffer(0)
    parts = [p for p in shapely.get_parts(geom.intersection(outline))
             if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return geometry
    return dict(mapping(parts[0] if len(parts) == 1 else MultiPolygon(parts)))


def _region_feature(
    feature: dict[str, Any], points: _Points, index: int, outline: BaseGeometry | None
) -> dict[str, Any]:
    """One region's light feature with its counts; marks the points inside it."""
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
    region = points.regions.region
    for i in np.nonzero(main)[0]:
        if region[int(i)] < 0:
            region[int(i)] = index
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
        "geometry": _light_geometry(_clipped(feature["geometry"], outline), 0.004, 3),
    }


# ----------------------------------------------------------------- world

#: Countries whose outline comes within this many degrees of a country with
#: events are drawn from the 50m data too, so shared borders match exactly.
NEIGHBOUR_MARGIN_DEG = 4.0


def _near(bounds: tuple[float, float, float, float],
          box: tuple[float, float, float, float]) -> bool:
    """Whether two (west, south, east, north) boxes overlap."""
    return not (bounds[2] < box[0] or bounds[0] > box[2] or bounds[3] < box[1]
                or bounds[1] > box[3])


def world_layer(focus_iso3: set[str]) -> dict[str, Any]:
    """Natural Earth outlines: 50m for the countries with events and their
    neighbours (borders that meet exactly: no sliver of sea between them),
    110m for the rest of the world."""
    from shapely.geometry import shape

    numeric = {c.numeric for c in all_countries() if c.iso3 in focus_iso3}
    coarse = boundaries.world_countries("110m")["features"]
    detailed: set[str] = set()
    if numeric:
        focus = boundaries.world_countries("50m", ids=numeric)["features"]
        boxes = [shape(f["geometry"]).bounds for f in focus]
        m = NEIGHBOUR_MARGIN_DEG
        box = (min(b[0] for b in boxes) - m, min(b[1] for b in boxes) - m,
               max(b[2] for b in boxes) + m, max(b[3] for b in boxes) + m)
        detailed = numeric | {str(f.get("id")) for f in coarse
                              if f.get("id") and _near(shape(f["geometry"]).bounds, box)}
        coarse_ids = {str(f.get("id")) for f in coarse}
        small = boundaries.world_countries(
            "50m", ids=[c.numeric for c in all_countries() if c.numeric not in coarse_ids])
        detailed |= {str(f.get("id")) for f in small["features"]
                     if _near(shape(f["geometry"]).bounds, box)}
    features = [{"type": "Feature", "properties": {},
                 "geometry": _light_geometry(f["geometry"], 0, 2)}
                for f in coarse if str(f.get("id")) not in detailed]
    if detailed:
        for feature in boundaries.world_countries("50m", ids=detailed)["features"]:
            features.append({"type": "Feature", "properties": {},
                             "geometry": _light_geometry(feature["geometry"], 0, 3)})
    return {"type": "FeatureCollection", "features": features}
