"""Drawing events on a layered Folium map, and saving it (optionally self-contained).

The renderer takes events (Event objects, records or a (Geo)DataFrame) and
plain place names (:class:`MapLabel`) and returns a ``folium.Map``; it never
reads a store or the gazetteer.  The ``geomap map`` job (ingest, read the
store, name the places, draw, save) is :func:`geomap.mapping.make_map`.
"""

from geomap.render.encode import as_events, encode_events
from geomap.render.labels import MapLabel
from geomap.render.page import EventLayers, EventMap, build_map
from geomap.render.save import render_html, save_map

__all__ = ["EventLayers", "EventMap", "MapLabel", "as_events", "build_map", "encode_events",
           "render_html", "save_map"]
