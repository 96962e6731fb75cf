"""The layered event map: one ``folium.Map`` that stays fast at 100k events.

Events are passed to the page ONCE, as compact column-oriented JSON; markers,
clusters and the heat layer are built in the browser by ``templates/geomap.js``
(no ``folium.Marker`` per event).  Layers: one filter overlay per ACLED event
type, events as points (shape and colour by type, size by deaths, hollow when
deaths are unknown, dashed or an area for imprecise locations), clusters, a
heat layer weighted by deaths, admin-1 outlines with events and deaths per
region, places only mentioned (off by default), a time filter, a legend, a
title and a scale bar.

``save_map(..., self_contained=True)`` inlines every JS/CSS asset from the npm
install (``geomap.render.assets``) so the page makes no network request at all.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geomap import boundaries
from geomap.countries import all_countries
from geomap.countries import iso3 as country_iso3
from geomap.errors import InputError, RenderError
from geomap.files import open_replacing
from geomap.model import Event, EventFilter, Mention
from geomap.render import assets

TEMPLATES = Path(__file__).resolve().parent / "templates"

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
MAX_QUOTE = 400
_EPOCH = dt.date(1970, 1, 1)


# ----------------------------------------------------------- input handling


def _as_events(events: Any) -> list[Event]:
    """Accept Events, records (dicts) or a (Geo)DataFrame with EVENT_COLUMNS."""
    if events is None:
        return []
    if hasattr(events, "to_dict") and hasattr(events, "columns"):
        records = events.to_dict("records")
        out = []
        for rec in records:
            geom = rec.get("geometry")
            clean = {k: _none_if_nan(v) for k, v in rec.items() if k != "geometry"}
            if clean.get("latitude") is None and getattr(geom, "geom_type", "") == "Point":
                clean["latitude"], clean["longitude"] = geom.y, geom.x  # shapely is (lon, lat)
            out.append(Event.from_record(clean))
        return out
    out = []
    for i, item in enumerate(events):
        if isinstance(item, Event):
            out.append(item)
        elif isinstance(item, dict):
            out.append(Event.from_record(item))
        else:
            raise InputError(
                f"build_map needs Event objects or event records; item {i} instead got: "
                f"{type(item).__name__} {item!r:.80}. Fix: pass geomap.models.Event values"
            )
    return out


def _none_if_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def _int_or(value: Any, default: int = -1) -> int:
    if value is None:
        return default
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(f) else int(round(f))


def _day(value: Any) -> int:
    if value is None:
        return -1
    text = str(value).strip()[:10]
    try:
        return (dt.date.fromisoformat(text) - _EPOCH).days
    except ValueError:
        return -1


def _coord(event: Event) -> tuple[float, float] | None:
    try:
        lat, lon = float(event.latitude), float(event.longitude)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def _type_styles(names: Iterable[str]) -> list[dict[str, Any]]:
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


# ------------------------------------------------------------ boundaries


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], ndigits), round(coords[1], ndigits)]
    return [_round_coords(c, ndigits) for c in coords]


def _light_geometry(geometry: dict[str, Any], tolerance: float, ndigits: int) -> dict[str, Any]:
    from shapely.geometry import mapping, shape

    if not tolerance:
        return {"type": geometry["type"],
                "coordinates": _round_coords(geometry["coordinates"], ndigits)}

    geom = shape(geometry)
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    out = mapping(geom)
    return {"type": out["type"], "coordinates": _round_coords(out["coordinates"], ndigits)}


def _admin_layer(
    countries: Iterable[str], lats: Any, lons: Any, deaths: Any, precision: Any, radius: list[int],
    counted: int, area: list[int],
) -> tuple[dict[str, Any] | None, int]:
    """Admin-1 features with per-region event and death counts (of the first
    ``counted`` points: the events' main locations).  For every precision-3
    point, fills ``area`` (index of its region's feature) and ``radius``
    (metres, a circle of the region's area, used for large maps)."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    iso3s = []
    for name in countries:
        iso3 = country_iso3(name)
        if iso3 and iso3 not in iso3s:
            iso3s.append(iso3)
    features = []
    max_deaths = 0
    lon_arr, lat_arr = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    best = np.asarray(deaths, dtype=float)
    prec3 = np.asarray(precision) == 3
    for iso3 in iso3s[:15]:
        data = boundaries.admin1_boundaries(iso3)
        if not data:
            continue
        for feature in data["features"]:
            geom = shape(feature["geometry"])
            shapely.prepare(geom)
            inside = shapely.contains_xy(geom, lon_arr, lat_arr)
            main = inside[:counted]
            n = int(main.sum())
            dead = int(best[:counted][main & (best[:counted] > 0)].sum())
            max_deaths = max(max_deaths, dead)
            if inside.any() and prec3.any():
                lat0 = geom.centroid.y
                area_m2 = geom.area * (111_320.0**2) * math.cos(math.radians(lat0))
                r = int(min(150_000, math.sqrt(area_m2 / math.pi)))
                for i in np.nonzero(inside & prec3)[0]:
                    radius[int(i)] = r
                    area[int(i)] = len(features)
            props = feature["properties"]
            features.append({
                "type": "Feature",
                "properties": {"name": props["name"], "country": props["iso3"], "events": n,
                               "deaths": dead},
                "geometry": _light_geometry(feature["geometry"], 0.004, 3),
            })
    if not features:
        return None, 0
    return {"type": "FeatureCollection", "features": features}, max_deaths


def _shape_bounds(feature: dict[str, Any]) -> tuple[float, float, float, float]:
    from shapely.geometry import shape

    return shape(feature["geometry"]).bounds


def _world_layer(focus_iso3: set[str]) -> dict[str, Any]:
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


# --------------------------------------------------------------- encoding


def _compact(column: list[Any]) -> Any:
    """A column, or ``{"k": value}`` when every row has the same value."""
    if column and all(v == column[0] for v in column):
        return {"k": column[0]}
    return column


def encode_events(
    events: Any, mentions: Sequence[Mention] = (), *, boundaries: bool = True
) -> dict[str, Any]:
    """The page's data: columns of numbers plus one table of unique strings."""
    rows = _as_events(events)
    notes: list[str] = []
    context = no_coords = 0
    kept: list[tuple[Event, float, float]] = []
    for event in rows:
        if event.is_context:
            context += 1
            continue
        coord = _coord(event)
        if coord is None:
            no_coords += 1
            continue
        kept.append((event, coord[0], coord[1]))
    if no_coords:
        notes.append(f"{no_coords} event(s) without usable coordinates are not shown.")
    if context:
        notes.append(f"{context} background/cumulative figure(s) are not mapped as events.")

    type_names = []
    seen = set()
    for event, _, _ in kept:
        seen.add(event.event_type or OTHER_TYPE)
    type_names = [t for t in EVENT_TYPE_STYLES if t in seen] + sorted(
        seen - set(EVENT_TYPE_STYLES)
    )
    types = _type_styles(type_names)
    type_index = {t["name"]: k for k, t in enumerate(types)}

    string_index: dict[str, int] = {"": 0}

    def texts(values: Iterable[Any], limit: int = 0) -> list[Any]:
        """Indexes into one shared table of unique strings, or the strings themselves."""
        vals = [v if v.__class__ is str else "" if v is None else str(v) for v in values]
        if limit:
            vals = [t if len(t) <= limit else t[: limit - 1] + "…" for t in vals]
        unique = dict.fromkeys(vals)  # first-seen order
        if len(unique) > 0.5 * len(vals) > 50:
            return vals  # mostly unique (ids, quotes): an index would only add bytes
        for text in unique:
            if text not in string_index:
                string_index[text] = len(string_index)
        return list(map(string_index.__getitem__, vals))

    def ints(values: Iterable[Any], default: int = -1) -> list[int]:
        try:
            return [default if v is None else int(v) for v in values]
        except (TypeError, ValueError):  # NaN or text from a table: the slow, careful way
            return [_int_or(v, default) for v in values]

    evs = [e for e, _, _ in kept]
    day_of: dict[Any, int] = {}
    cols: dict[str, list[Any]] = {
        "lat": [round(lat, 4) for _, lat, _ in kept],  # 4 decimals: ~11 m, as ACLED
        "lon": [round(lon, 4) for _, _, lon in kept],
        "t": [type_index[e.event_type or OTHER_TYPE] for e in evs],
        "d": ints(e.deaths_best for e in evs),
        "lo": ints(e.deaths_low for e in evs),
        "hi": ints(e.deaths_high for e in evs),
        "civ": ints(e.deaths_civilians for e in evs),
        "f": [(1 if e.civilians else 0) | (2 if e.children else 0) for e in evs],
        "p": ints((e.geo_precision for e in evs), 0),
        "day": [day_of[d] if d in day_of else day_of.setdefault(d, _day(d))
                for d in (e.event_date for e in evs)],
        "date": texts(e.event_date for e in evs),
        "sub": texts(e.sub_event_type for e in evs),
        "a1": texts(e.actor1 for e in evs),
        "a2": texts(e.actor2 for e in evs),
        "loc": texts(e.location for e in evs),
        "adm": texts(e.admin1 for e in evs),
        "country": texts(e.country for e in evs),
        "src": texts(e.source for e in evs),
        "quote": texts((e.quote or e.notes for e in evs), MAX_QUOTE),
        "url": texts(e.source_url for e in evs),
        "id": texts(e.event_id for e in evs),
    }
    for k in cols["t"]:
        types[k]["count"] += 1
    strings = list(string_index)

    n = len(kept)
    sec = _secondary_locations(evs, cols["lat"], cols["lon"])
    all_lat, all_lon = cols["lat"] + sec["lat"], cols["lon"] + sec["lon"]
    radius = [0] * len(all_lat)
    area = [-1] * len(all_lat)
    data: dict[str, Any] = {"n": n, "types": types}
    countries = sorted({e.country for e, _, _ in kept if e.country})
    admin = None
    if boundaries and n:
        admin, max_deaths = _admin_layer(
            countries, all_lat, all_lon, cols["d"] + [-1] * len(sec["lat"]),
            cols["p"] + sec["p"], radius, n, area,
        )
        data["admin"] = admin
        data["adminMaxDeaths"] = max_deaths
    if boundaries:
        focus = {iso3 for iso3 in map(country_iso3, countries) if iso3}
        data["world"] = _world_layer(focus)
    cols["r"] = radius[:n]
    cols["fa"] = area[:n]
    if sec["ev"]:
        sec["r"] = radius[n:]
        sec["fa"] = area[n:]
        data["sec"] = sec

    days = [d for d in cols["day"] if d >= 0]
    if days:
        day0, day1 = min(days), max(days)
        if day0 == day1:  # pad so the slider can move at all
            day0, day1 = day0 - 1, day1 + 1
    else:
        today = (dt.date(2000, 1, 1) - _EPOCH).days
        day0, day1 = today, today
    data.update(day0=day0, day1=day1, undated=len(cols["day"]) - len(days))
    positive = sorted(d for d in cols["d"] if d > 0)
    data["heatMax"] = positive[int(0.95 * (len(positive) - 1))] if positive else 1

    points_for_bounds = list(zip(cols["lat"], cols["lon"], strict=True))
    mention_cols = _encode_mentions(mentions)
    if mention_cols:
        data["mentions"] = mention_cols
        if not points_for_bounds:
            points_for_bounds = list(zip(mention_cols["lat"], mention_cols["lon"], strict=True))
    if points_for_bounds:
        lats = [p[0] for p in points_for_bounds]
        lons = [p[1] for p in points_for_bounds]
        lats += sec["lat"]
        lons += sec["lon"]
        south, west, north, east = min(lats), min(lons), max(lats), max(lons)
        for i, r in enumerate(radius):  # whole-region events: fit their area, not a point
            if area[i] >= 0 and admin and n <= SVG_LIMIT:  # drawn as the region's outline
                b_west, b_south, b_east, b_north = _shape_bounds(admin["features"][area[i]])
                south, north = min(south, b_south), max(north, b_north)
                west, east = min(west, b_west), max(east, b_east)
            elif r:
                dlat = r / 111_320.0
                dlon = dlat / max(0.1, math.cos(math.radians(all_lat[i])))
                south, north = min(south, all_lat[i] - dlat), max(north, all_lat[i] + dlat)
                west, east = min(west, all_lon[i] - dlon), max(east, all_lon[i] + dlon)
        data["bounds"] = [[south, west], [north, east]]
    if not n:
        notes.append("No events to show.")
    data["notes"] = notes
    data["strings"] = strings
    for key, column in cols.items():
        data[key] = _compact(column) if key not in ("lat", "lon") else column
    return data


def _secondary_locations(
    events: Sequence[Event], lats: Sequence[float], lons: Sequence[float]
) -> dict[str, list[Any]]:
    """Further places of one event (``extra["locations"]`` from text extraction):
    e.g. "Rastan" (precision 1) and "Homs province" (precision 3) of one strike."""
    sec: dict[str, list[Any]] = {"ev": [], "lat": [], "lon": [], "p": [], "name": []}
    for i, event in enumerate(events):
        locations = event.extra.get("locations") if isinstance(event.extra, dict) else None
        if not isinstance(locations, list):
            continue
        for loc in locations:
            if not isinstance(loc, dict):
                continue
            try:
                lat, lon = float(loc["latitude"]), float(loc["longitude"])
            except (KeyError, TypeError, ValueError):
                continue
            if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
                continue
            if abs(lat - lats[i]) < 1e-3 and abs(lon - lons[i]) < 1e-3:
                continue  # the main location itself
            sec["ev"].append(i)
            sec["lat"].append(round(lat, 4))
            sec["lon"].append(round(lon, 4))
            sec["p"].append(_int_or(loc.get("geo_precision"), 0))
            sec["name"].append(str(loc.get("mention") or loc.get("name") or ""))
    return sec


def _encode_mentions(mentions: Sequence[Mention]) -> dict[str, list[Any]] | None:
    out: dict[str, list[Any]] = {"lat": [], "lon": [], "text": [], "doc": []}
    seen = set()
    for m in mentions or ():
        if m.role == "event":
            continue
        lat = m.latitude if m.latitude is not None else (m.place.latitude if m.place else None)
        lon = m.longitude if m.longitude is not None else (m.place.longitude if m.place else None)
        if lat is None or lon is None:
            continue
        key = (m.text.lower(), round(lat, 4), round(lon, 4))
        if key in seen:
            continue
        seen.add(key)
        out["lat"].append(round(float(lat), 5))
        out["lon"].append(round(float(lon), 5))
        out["text"].append(m.text)
        out["doc"].append(m.doc_id)
    return out if out["lat"] else None


def _json_for_html(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ------------------------------------------------------------ map elements


class _Raw(Element):
    """Literal HTML (never run through Jinja, so data cannot inject template code)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def _folium_url(cls: type, name: str, kind: str = "js") -> tuple[str, str]:
    table = cls.default_js if kind == "js" else cls.default_css  # type: ignore[attr-defined]
    for key, url in table:
        if key == name:
            return key, url
    raise RenderError(f"folium {folium.__version__} no longer names asset {name!r}")


class EventLayers(JSCSSMixin, MacroElement):
    """All geomap layers and controls, fed by one JSON block."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geomap.init({
            map: {{ this._parent.get_name() }},
            dataId: {{ this.data_id|tojson }},
            tiles: {{ this.tiles_name or "null" }},
            svgLimit: {{ this.svg_limit }},
            clustersOn: {{ this.clusters_on|tojson }},
            collapsed: {{ this.collapsed|tojson }}
        });
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, title: str | None, tiles_name: str | None,
                 collapsed: bool = False) -> None:
        super().__init__()
        self._name = "GeomapLayers"
        self.data = data
        self.data_id = f"geomap-data-{self.get_name()}"
        self.title = title
        self.tiles_name = tiles_name
        self.svg_limit = SVG_LIMIT
        self.clusters_on = data["n"] > SVG_LIMIT
        self.collapsed = collapsed
        # Clusters are geomap's own grid clusters (templates/geomap.js):
        # Leaflet.markercluster needs 10-20 s to index 100k markers.
        self.default_js = [_folium_url(folium.plugins.HeatMap, "leaflet-heat.js")]
        self.default_css = []

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        super().render(**kwargs)
        figure: Any = self.get_root()  # a branca Figure
        css = (TEMPLATES / "geomap.css").read_text(encoding="utf-8")
        js = (TEMPLATES / "geomap.js").read_text(encoding="utf-8")
        figure.header.add_child(_Raw(f"<style>{css}</style>"), name="geomap_css")
        figure.header.add_child(_Raw(f"<script>{js}</script>"), name="geomap_js")
        if self.title:
            figure.html.add_child(
                _Raw(f'<div class="gm-title">{html.escape(self.title)}</div>'), name="geomap_title"
            )
        figure.html.add_child(
            _Raw(f'<script type="application/json" id="{self.data_id}">'
                 f"{_json_for_html(self.data)}</script>"),
            name="geomap_data",
        )


def build_map(
    events: Any,
    *,
    mentions: Sequence[Mention] = (),
    title: str | None = None,
    self_contained: bool = False,
    tiles: str | None = "default",
    boundaries: bool = True,
    collapsed_control: bool = False,
) -> folium.Map:
    """A layered folium map of ``events`` (Events, records or a GeoDataFrame).

    ``self_contained`` builds a map that needs no network: no tile layer (the
    Natural Earth outlines are the basemap) unless ``tiles`` names one, and
    ``save_map`` then inlines every asset.  ``tiles`` is "default" (OSM when
    not self-contained), None, or a folium tile name such as "OpenStreetMap".
    """
    if tiles == "default":
        tiles = None if self_contained else "OpenStreetMap"
    data = encode_events(events, mentions, boundaries=boundaries)
    bounds = data.get("bounds")
    center = [20.0, 0.0]
    if bounds:
        center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(location=center, zoom_start=6 if bounds else 2, tiles=None,
                   control_scale=True, max_zoom=18, min_zoom=1)
    # Only Leaflet itself: geomap draws its own markers, so jQuery, Bootstrap,
    # awesome-markers, Font Awesome and glyphicons are never loaded.
    m.default_js = [_folium_url(folium.Map, "leaflet")]
    m.default_css = [_folium_url(folium.Map, "leaflet_css", "css")]
    tiles_name = None
    if tiles:
        layer = folium.TileLayer(tiles, name=str(tiles), max_zoom=18, control=False)
        layer.add_to(m)
        tiles_name = layer.get_name()
    if title:
        figure: Any = m.get_root()
        figure.title = html.escape(title)
    m.add_child(EventLayers(data, title=title, tiles_name=tiles_name,
                            collapsed=collapsed_control), name="geomap_layers")
    m._geomap_self_contained = self_contained  # type: ignore[attr-defined]
    return m


# ------------------------------------------------------------------ saving

_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')


def _label(asset: assets.Asset) -> str:
    return f"{asset.package}@{assets.package_version(asset.package)}"


def inline_assets(page: str) -> str:
    """Replace every external <script src> and stylesheet <link> with the npm copy."""
    missing: list[str] = []

    def script(match: re.Match[str]) -> str:
        asset = assets.asset_for_url(match.group(1))
        if asset is None:
            missing.append(match.group(1))
            return match.group(0)
        text = assets.asset_text(asset.key).replace("</script", "<\\/script")
        return f"<script>/* {_label(asset)} */\n{text}\n</script>"

    def style(match: re.Match[str]) -> str:
        asset = assets.asset_for_url(match.group(1))
        if asset is None:
            missing.append(match.group(1))
            return match.group(0)
        text = assets.asset_text(asset.key).replace("</style", "<\\/style")
        return f"<style>/* {_label(asset)} */\n{text}\n</style>"

    page = _SCRIPT_SRC.sub(script, page)
    page = _CSS_LINK.sub(style, page)
    if missing:
        raise RenderError(
            f"Cannot inline these assets for a self-contained map instead got: {missing!r}. "
            "Fix: remove the elements that need them, or save without --self-contained"
        )
    return page


def render_html(m: folium.Map, *, self_contained: bool | None = None) -> str:
    """The map as one HTML page (inlined when self-contained)."""
    if self_contained is None:
        self_contained = bool(getattr(m, "_geomap_self_contained", False))
    if self_contained and not assets.installed():
        raise RenderError(
            f"Offline map assets are not installed (looked in {assets.npm_root()}). "
            f"Fix: {assets.INSTALL_HINT}"
        )
    page = m.get_root().render()
    return inline_assets(page) if self_contained else page


def save_map(m: folium.Map, path: str | os.PathLike[str], *,
             self_contained: bool | None = None) -> Path:
    """Write the map to ``path`` atomically; returns the path written.

    ``self_contained=None`` follows how the map was built.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(
            f"Map output path is a directory instead got: {str(target)!r}. "
            "Fix: give a file name such as map.html"
        )
    page = render_html(m, self_contained=self_contained)
    target.parent.mkdir(parents=True, exist_ok=True)
    # errors="replace": a stray surrogate in one quote must not lose the map
    with open_replacing(target, errors="replace") as fh:
        fh.write(page)
    return target


# ------------------------------------------------------------- the command

#: The demo input mapped when the store is empty and no input is given.
DEMO_SEED = (
    Path(__file__).resolve().parents[2] / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
)
DEMO_DATE = "2015-09-30"


@dataclass
class MapReport:
    """What ``make_map`` did: where the file went and what is on it."""

    path: Path
    events: int
    mentions: int
    self_contained: bool
    demo: bool = False
    ingest: Any = None  # the store engineer's IngestReport, when inputs were given
    notes: list[str] = field(default_factory=list)


def _demo_events(flt: EventFilter | None) -> tuple[list[Event], list[Mention], str]:
    from geomap.text import extract_article, read_article

    if not DEMO_SEED.is_file():
        raise InputError(
            f"The demo seed article is missing instead got: {str(DEMO_SEED)!r}. "
            "Fix: give an INPUT file, or run from a geomap checkout"
        )
    article = read_article(DEMO_SEED, date=DEMO_DATE)
    result = extract_article(article)
    events = flt.apply(result.events) if flt is not None else list(result.events)
    return events, list(result.mentions), article.title or article.doc_id


def make_map(
    inputs: Sequence[str | os.PathLike[str]] = (),
    *,
    output: str | os.PathLike[str] = "map.html",
    store: str | os.PathLike[str] | None = None,
    flt: EventFilter | None = None,
    self_contained: bool = False,
    title: str | None = None,
) -> MapReport:
    """Ingest ``inputs`` (if any) into the store, map its events, save the page.

    With no inputs and an empty store, the demo seed article is extracted and
    mapped (the store is left untouched).
    """
    from geomap.store import EventStore

    ingest_report = None
    demo = False
    with EventStore.open(Path(store) if store is not None else None) as st:
        if inputs:
            from geomap.ingest import ingest_paths

            ingest_report = ingest_paths([str(p) for p in inputs], store=st)
        if not inputs and st.count() == 0:
            events, mentions, demo_title = _demo_events(flt)
            demo = True
            title = title or f"{demo_title} (demo)"
        else:
            events = st.events(flt)
            doc_ids = {e.doc_id for e in events if e.doc_id}
            mentions = [m for m in st.mentions() if m.doc_id in doc_ids]
    if title is None:
        dates = sorted(e.event_date for e in events if e.event_date)
        span = f", {dates[0]} to {dates[-1]}" if dates and dates[0] != dates[-1] else (
            f", {dates[0]}" if dates else "")
        title = f"{len(events)} conflict events{span}"
    m = build_map(events, mentions=mentions, title=title, self_contained=self_contained)
    path = save_map(m, output, self_contained=self_contained)
    layers = next(iter(c for c in m._children.values() if isinstance(c, EventLayers)))
    return MapReport(path=path, events=layers.data["n"],
                     mentions=len((layers.data.get("mentions") or {}).get("lat", [])),
                     self_contained=self_contained, demo=demo, ingest=ingest_report,
                     notes=list(layers.data["notes"]))
