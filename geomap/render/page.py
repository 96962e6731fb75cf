"""The map page: a ``folium.Map`` holding one element that draws every geomap layer.

No ``folium.Marker`` per event: :class:`EventLayers` writes the encoded events
(:mod:`geomap.render.encode`) once, as a JSON block, plus geomap's own script
and style (``templates/``), which build points, clusters, the heat layer,
boundaries, the time filter, the legend and the title in the browser.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geomap.errors import RenderError
from geomap.model import Mention
from geomap.render.encode import EventSource, encode_events
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
        figure = cast(Figure, self.get_root())
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
    title: str | None = None,
    self_contained: bool = False,
    tiles: str | None = "default",
    boundaries: bool = True,
    collapsed_control: bool = False,
) -> EventMap:
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
    if title:
        cast(Figure, m.get_root()).title = html.escape(title)
    m.event_layers = EventLayers(data, title=title, tiles_name=tiles_name,
                                 collapsed=collapsed_control)
    m.add_child(m.event_layers, name="geomap_layers")
    m.self_contained = self_contained
    return m
