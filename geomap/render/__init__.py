"""Drawing events on a layered Folium map, and saving it (optionally self-contained).

The renderer takes events (Event objects, records or a (Geo)DataFrame) and
returns a ``folium.Map``; it never reads a store.  The ``geomap map`` job
(ingest, read the store, draw, save) is :func:`geomap.mapping.make_map`.
"""

from geomap.render.encode import encode_events
from geomap.render.page import EventLayers, EventMap, build_map
from geomap.render.save import render_html, save_map

__all__ = ["EventLayers", "EventMap", "build_map", "encode_events", "render_html", "save_map"]
