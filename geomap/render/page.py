"""The map page: a ``folium.Map`` holding one element that draws every geomap layer.

No ``folium.Marker`` per event: :class:`EventLayers` writes the encoded events
(:mod:`geomap.render.encode`) once, as a JSON block, plus geomap's own script
and style (``templates/``), which build points, clusters, the heat layer,
boundaries, the time filter, the legend and the title in the browser.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geomap.errors import RenderError
from geomap.model import Mention
from geomap.render.assets import HTML_TO_IMAGE_URL
from geomap.render.encode import EventSource, encode_events
from geomap.render.labels import MapLabel
from geomap.render.layers import SVG_LIMIT

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _json_for_html(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Raw(Element):
    """Literal HTML (never run through Jinja, so data cannot inject template code)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def _folium_url(cls: type[JSCSSMixin], name: str, kind: str = "js") -> tuple[str, str]:
    """The (name, URL) pair folium uses for one of its assets."""
    table = cls.default_js if kind == "js" else cls.default_css
    for key, url in table:
        if key == name:
            return key, url
    raise RenderError(f"folium {folium.__version__} no longer names asset {name!r}")


#: geomap's own scripts, in the order the page runs them.
SCRIPTS = ("geomap.js", "geomap-layers.js", "geomap-filters.js", "geomap-chart.js",
           "geomap-tools.js", "geomap-controls.js")

#: Shown in place of the map when Leaflet cannot load (a CDN page opened offline).
_OFFLINE_GUARD = """<script>(function () {
  function show() {
    if (window.L) return;
    var note = document.getElementById('gm-offline');
    if (note) note.hidden = false;
  }
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t.tagName === 'SCRIPT' && /leaflet/i.test(t.src || '')) {
      document.addEventListener('DOMContentLoaded', show);
      if (document.readyState !== 'loading') show();
    }
  }, true);
  window.addEventListener('load', show);
})();</script>"""

_OFFLINE_NOTE = (
    '<div id="gm-offline" class="gm-offline" hidden role="alert"><b>This map needs a network '
    "connection.</b><br>It loads Leaflet and its map tiles from the internet, and they could not "
    "be loaded. Connect to the internet and reload, or make a map that works offline: "
    "<code>geomap map</code> (without <code>--cdn</code>).</div>"
)


def default_title(data: dict[str, Any]) -> str:
    """"N events, first date to last date" of the encoded events."""
    n = data["n"]
    days = [d for d in (data["day"] if isinstance(data.get("day"), list)
                        else [data["day"]["k"]] * n if n else []) if d >= 0]
    noun = "event" if n == 1 else "events"
    if not days:
        return f"{n} {noun}"
    first, last = (_iso_day(min(days)), _iso_day(max(days)))
    return f"{n} {noun}, {first}" + (f" to {last}" if last != first else "")


def _iso_day(day: int) -> str:
    import datetime as dt

    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


class EventLayers(JSCSSMixin, MacroElement):
    """All geomap layers and controls, fed by one JSON block.

    ``data`` is the page data from :func:`geomap.render.encode.encode_events`:
    ``data["n"]`` events are drawn, ``data["notes"]`` says what was left out.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        geomap.init({
            map: {{ this._parent.get_name() }},
            dataId: {{ this.data_id|tojson }},
            tiles: {{ this.tiles_name or "null" }},
            svgLimit: {{ this.svg_limit }},
            clustersOn: {{ this.clusters_on|tojson }},
            collapsed: {{ this.collapsed|tojson }},
            autoTitle: {{ this.auto_title|tojson }}
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
        self.auto_title = title is None
        self.title = default_title(data) if title is None else title
        self.tiles_name = tiles_name
        self.svg_limit = SVG_LIMIT
        self.clusters_on = data["n"] > SVG_LIMIT
        self.collapsed = collapsed
        # Clusters are geomap's own grid clusters (templates/geomap-layers.js):
        # Leaflet.markercluster needs 10-20 s to index 100k markers.
        self.default_js = [_folium_url(folium.plugins.HeatMap, "leaflet-heat.js"),
                           ("html_to_image", HTML_TO_IMAGE_URL)]
        self.default_css = []

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        super().render(**kwargs)
        figure = cast(Figure, self.get_root())
        css = (TEMPLATES / "geomap.css").read_text(encoding="utf-8")
        js = "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in SCRIPTS)
        figure.header.add_child(_Raw(_OFFLINE_GUARD), name="geomap_guard", index=0)
        figure.header.add_child(_Raw(f"<style>{css}</style>"), name="geomap_css")
        figure.header.add_child(_Raw(f"<script>{js}</script>"), name="geomap_js")
        figure.html.add_child(_Raw(_OFFLINE_NOTE), name="geomap_offline")
        figure.html.add_child(
            _Raw(f'<div class="gm-title"><span class="gm-title-text">{html.escape(self.title)}'
                 '</span><small class="gm-title-sub"></small></div>'), name="geomap_title"
        )
        figure.html.add_child(
            _Raw(f'<script type="application/json" id="{self.data_id}">'
                 f"{_json_for_html(self.data)}</script>"),
            name="geomap_data",
        )


class EventMap(folium.Map):
    """The ``folium.Map`` that :func:`build_map` returns.

    Attributes
    ----------
    event_layers
        The :class:`EventLayers` element drawing the events; its ``data`` is
        the page data (how many events are drawn, notes on those left out).
    self_contained
        Whether the map was built to need no network; :func:`geomap.render.save_map`
        then inlines every asset unless told otherwise.
    """

    event_layers: EventLayers
    self_contained: bool = False


def build_map(
    events: EventSource,
    *,
    mentions: Sequence[Mention] = (),
    labels: Iterable[MapLabel] = (),
    title: str | None = None,
    self_contained: bool = False,
    tiles: str | None = "default",
    boundaries: bool = True,
    collapsed_control: bool = False,
) -> EventMap:
    """A layered folium map of ``events`` (Events, records or a GeoDataFrame).

    ``labels`` are place names to draw and search (plain data from the
    gazetteer, see :class:`~geomap.render.labels.MapLabel`); the events' own
    places are always added.  ``title`` defaults to the number of events and
    their dates, kept up to date in the page as filters change.
    ``self_contained`` builds a map that needs no network: no tile layer (the
    Natural Earth outlines are the basemap) unless ``tiles`` names one, and
    ``save_map`` then inlines every asset.  ``tiles`` is "default" (OSM when
    not self-contained), None, or a folium tile name such as "OpenStreetMap".
    ``collapsed_control`` opens the page with its panels folded (they fold by
    themselves on small screens).
    """
    if tiles == "default":
        tiles = None if self_contained else "OpenStreetMap"
    data = encode_events(events, mentions, labels=labels, boundaries=boundaries)
    bounds = data.get("bounds")
    center = [20.0, 0.0]
    if bounds:
        center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = EventMap(location=center, zoom_start=6 if bounds else 2, tiles=None,
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
    m.event_layers = EventLayers(data, title=title, tiles_name=tiles_name,
                                 collapsed=collapsed_control)
    cast(Figure, m.get_root()).title = html.escape(m.event_layers.title)
    m.add_child(m.event_layers, name="geomap_layers")
    m.self_contained = self_contained
    return m
