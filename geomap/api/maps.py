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
    from geomap.render import MapLabel

PathLike = str | os.PathLike[str]


def build_map(
    events: Sequence[Event] | gpd.GeoDataFrame,
    *,
    mentions: Sequence[Mention] = (),
    title: str | None = None,
    self_contained: bool = False,
    labels: bool = True,
    workspace: Workspace | None = None,
) -> folium.Map:
    """A layered folium map of ``events`` (Event objects, records or a GeoDataFrame
    such as :func:`near` returns): a layer per event type, casualty-scaled
    markers, clusters, heat, an admin-1 choropleth, place names, filters, a
    date slider with a time chart, a search box and exports.

    ``self_contained=True`` builds a map that needs no network at all (no tile
    layer; save it with :func:`save_map` to inline every asset).  ``labels``
    names countries, regions and towns from the gazetteer: the workspace's,
    or the default one when it has been built.

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
    from geomap.render import as_events
    from geomap.render import build_map as build

    names: list[MapLabel] = []
    if labels:
        events = as_events(events)
        names = _labels(events, workspace)
    return build(events, mentions=mentions, labels=names, title=title,
                 self_contained=self_contained)


def _labels(events: Sequence[Event], workspace: Workspace | None) -> list[MapLabel]:
    """Place names from the workspace's gazetteer, or from the default one if it is built."""
    from geomap import config
    from geomap.gazetteer import is_built
    from geomap.mapping import gazetteer_labels

    if workspace is not None:
        return gazetteer_labels(workspace.gazetteer, events)
    if not is_built(config.gazetteer_path()):
        return []
    with Workspace() as ws:
        return gazetteer_labels(ws.gazetteer, events)


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
    self_contained: bool = True,
    title: str | None = None,
    labels: bool = True,
    demo: bool = True,
    store: PathLike | None = None,
    workspace: Workspace | None = None,
) -> MapReport:
    """What ``geomap map`` runs: ingest ``inputs`` (if any), map the store's events
    (filtered by ``flt``) and save the page; with no input and an empty store,
    the demo seed article is mapped (unless ``demo`` is False).

    The page is self-contained (it opens with no network at all) unless
    ``self_contained`` is False: it then loads Leaflet and OpenStreetMap
    tiles online.  ``labels`` names places from the gazetteer.  Context
    figures (cumulative tolls) are never mapped or counted.  ``store`` may be
    a dataset folder (:func:`export` with ``to="dataset"``): its events are
    mapped as they are (nothing can be ingested into it).

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "towns.csv"
    >>> _ = table.write_text("date,town,killed\\n2015-09-30,Rastan,33\\n2015-10-02,Talbiseh,4\\n")
    >>> report = geomap.make_map([table], output=table.with_name("map.html"))
    >>> report.events, report.ingest.stored, report.path.name
    (2, 2, 'map.html')
    >>> folder = table.with_name("dataset")
    >>> _ = geomap.export(folder, to="dataset")
    >>> geomap.make_map(output=folder.with_name("dataset.html"), store=folder).events
    2
    """
    from geomap.dataset import is_dataset
    from geomap.mapping import make_map as run

    if workspace is None and store is not None and is_dataset(store):
        return _map_dataset(inputs, store, output=output, flt=flt, title=title,
                            self_contained=self_contained, labels=labels)  # fmt: skip
    return run(inputs, output=output, store=store, flt=flt, self_contained=self_contained,
               title=title, labels=labels, demo=demo, workspace=workspace)  # fmt: skip


def _map_dataset(
    inputs: Sequence[PathLike],
    store: PathLike,
    *,
    output: PathLike,
    flt: EventFilter | None,
    title: str | None,
    self_contained: bool,
    labels: bool,
) -> MapReport:
    """The map job over a dataset folder: its events (filtered), drawn and saved."""
    from geomap.dataset import EventDataset
    from geomap.errors import InputError
    from geomap.mapping import MapReport
    from geomap.render import build_map as build
    from geomap.render import save_map as save

    if inputs:
        raise InputError(
            f"A dataset cannot take inputs; instead got {len(inputs)} with --store "
            f"{str(store)!r}. Fix: ingest into an event store file, or map the dataset alone."
        )
    with EventDataset.open(store) as dataset:
        events = dataset.events(flt)
    names = _labels(events, None) if labels else []
    m = build(events, labels=names, title=title, self_contained=self_contained)
    path = save(m, output, self_contained=self_contained)
    data = m.event_layers.data
    return MapReport(path=path, events=data["n"], mentions=0, self_contained=self_contained,
                     notes=list(data["notes"]))  # fmt: skip
