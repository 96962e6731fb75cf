"""Drawing events on a layered Folium map, and saving it (optionally self-contained)."""

from geomap.render.maps import build_map, make_map, render_html, save_map

__all__ = ["build_map", "make_map", "render_html", "save_map"]
