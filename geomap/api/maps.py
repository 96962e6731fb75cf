"""Public functions for maps: build, save, and the whole map job."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.model import EventFilter
from geomap.workspace import Workspace

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from geomap.mapping import MapReport
    from geomap.model import Event, Mention

PathLike = str | os.PathLike[str]


def build_map(
    events: Sequence[Event] | gpd.GeoDataFrame,
    *,
    mentions: Sequence[Mention] = (),
    title: str | None = None,
    self_contained: bool = False,
) -> folium.Map:
    """A layered folium map of ``events`` (Event objects, records or a GeoDataFrame
    such as :func:`near` returns): a layer per event type, casualty-scaled
    markers, clusters, heat, admin-1 shading and a date slider.

    ``self_contained=True`` builds a map that needs no network at all (no tile
    layer; save it with :func:`save_map` to inline every asset).

    Examples
    --------
    >>> import geomap
    >>> result = geomap.extract_text(
    ...     "Strikes on Rastan\\nRussian airstrikes killed at least 33 civilians in Rastan "
    ...     "on Wednesday, a doctor said.", date="2015-09-30")
    >>> m = geomap.build_map(result.events, title="Rastan")
    >>> m.event_layers.data["n"]
    1
    """
    from geomap.render import build_map as build

    return build(events, mentions=mentions, title=title, self_contained=self_contained)


def save_map(m: folium.Map, path: PathLike, *, self_contained: bool | None = None) -> Path:
    """Write a map to an HTML file (atomically); ``self_contained`` inlines every
    asset so that the page opens with no network (default: as the map was built).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> _ = geomap.ingest(table, location_column="town", country="SY")
    >>> m = geomap.build_map(geomap.read_events(), title="Homs, autumn 2015")
    >>> path = geomap.save_map(m, table.with_name("map.html"))
    >>> path.name, "Homs, autumn 2015" in path.read_text()
    ('map.html', True)
    """
    from geomap.render import save_map as save

    return save(m, path, self_contained=self_contained)


def make_map(
    inputs: Sequence[PathLike] = (),
    *,
    output: PathLike = "map.html",
    flt: EventFilter | None = None,
    self_contained: bool = False,
    title: str | None = None,
    store: PathLike | None = None,
    workspace: Workspace | None = None,
) -> MapReport:
    """What ``geomap map`` runs: ingest ``inputs`` (if any), map the store's events
    (filtered by ``flt``) and save the page; with no input and an empty store,
    the demo seed article is mapped.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> report = geomap.make_map([table], output=table.with_name("map.html"))
    >>> report.events, report.ingest.stored, report.path.name
    (2, 2, 'map.html')
    """
    from geomap.mapping import make_map as run

    return run(inputs, output=output, store=store, flt=flt, self_contained=self_contained,
               title=title, workspace=workspace)  # fmt: skip
