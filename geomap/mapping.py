"""The map job behind ``geomap map``: ingest, read the store, name the places, draw, save.

:func:`make_map` ingests the given inputs into the store, reads its events
(filtered by an :class:`~geomap.model.EventFilter`) and their documents'
mentions, looks up place names for the map in the gazetteer
(:func:`gazetteer_labels`), and hands all of it to :mod:`geomap.render` as
plain data: the renderer only draws.  With no input and an empty store it
maps the demo seed article instead.  Context figures (cumulative or
background tolls) are never mapped.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geomap import boundaries, countries, geo
from geomap.errors import InputError
from geomap.ingestion import IngestReport, ingest_paths
from geomap.model import Event, EventFilter, Mention
from geomap.render import MapLabel, build_map, save_map
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer
    from geomap.model import Place
    from geomap.store import EventStore

#: The demo input mapped when the store is empty and no input is given.
DEMO_SEED = Path(__file__).resolve().parent / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
DEMO_DATE = "2015-09-30"


@dataclass
class MapReport:
    """What :func:`make_map` did: where the file went and what is on it."""

    path: Path
    events: int
    mentions: int
    self_contained: bool
    demo: bool = False
    ingest: IngestReport | None = None  # when inputs were given
    notes: list[str] = field(default_factory=list)


def _demo_events(
    workspace: Workspace, flt: EventFilter | None
) -> tuple[list[Event], list[Mention], str]:
    """The demo seed article's events (filtered), mentions and title."""
    from geomap.text import extract_article, read_article  # only the demo reads text

    if not DEMO_SEED.is_file():
        raise InputError(
            f"The demo seed article is missing instead got: {str(DEMO_SEED)!r}. "
            "Fix: give an INPUT file, or run from a geomap checkout"
        )
    article = read_article(DEMO_SEED, date=DEMO_DATE)
    result = extract_article(article, gazetteer=workspace.gazetteer, geocoder=workspace.geocoder)
    events = flt.apply(result.events) if flt is not None else list(result.events)
    return events, list(result.mentions), article.title or article.doc_id


def _stored_events(
    store: EventStore, flt: EventFilter | None
) -> tuple[list[Event], list[Mention]]:
    """The store's events that pass ``flt``, and the mentions of their documents."""
    events = store.events(flt)
    doc_ids = {e.doc_id for e in events if e.doc_id}
    return events, [m for m in store.mentions() if m.doc_id in doc_ids]


# ------------------------------------------------------------------ place names

#: Admin-1 regions (and their main cities) are named for at most this many countries.
MAX_LABEL_COUNTRIES = 15

#: At most this many towns with events are named from the gazetteer.
MAX_EVENT_TOWNS = 500

#: The points with most events also get their neighbours named: the largest
#: populated places within NEIGHBOUR_KM of each, up to NEIGHBOURS_PER_TOWN.
NEIGHBOUR_TOWNS = 150
NEIGHBOUR_KM = 15.0
NEIGHBOURS_PER_TOWN = 4
SAME_PLACE_KM = 2.0


def _label(place: Place, kind: str) -> MapLabel:
    return MapLabel(place.name, place.latitude, place.longitude, kind, place.population)


def gazetteer_labels(gazetteer: Gazetteer, events: Sequence[Event]) -> list[MapLabel]:
    """Place names for a map of ``events``, from the gazetteer.

    Every country; the admin-1 regions of the countries with events and
    the main city of each region (the city that shares its name, as Homs in
    Homs Governorate); the towns the events were placed at; and the largest
    neighbours of the points with most events, so that an event's town can
    be found among the places around it.
    """
    labels = [_label(p, "country") for c in countries.all_countries()
              if (p := gazetteer.country(c.iso2)) is not None]
    by_country = Counter(e.country for e in events if e.country)
    focus = dict.fromkeys(code for name, _ in by_country.most_common()
                          if (code := countries.iso2(name)))
    for code in list(focus)[:MAX_LABEL_COUNTRIES]:
        labels += _region_labels(gazetteer, code)
    towns: dict[int, int] = {}
    for e in events:
        if e.geonameid:
            towns[e.geonameid] = towns.get(e.geonameid, 0) + 1
    event_towns = []
    for gid in sorted(towns, key=lambda g: -towns[g])[:MAX_EVENT_TOWNS]:
        place = gazetteer.get(gid)
        if place is not None and place.feature == "city":
            labels.append(_label(place, "city"))
            event_towns.append(place)
    labels += [_label(p, "city") for p in _neighbours(gazetteer, events, event_towns)]
    return labels


def _neighbours(
    gazetteer: Gazetteer, events: Sequence[Event], towns: Sequence[Place]
) -> list[Place]:
    """The largest places within NEIGHBOUR_KM of the town-level points with most events.

    The events' own towns are left out, and so is a place within
    SAME_PLACE_KM of an event point (the event's town under another name).
    """
    at = Counter((round(e.latitude, 3), round(e.longitude, 3)) for e in events
                 if e.latitude is not None and e.longitude is not None
                 and e.geo_precision in (1, 2))  # fmt: skip
    points = [point for point, _ in at.most_common(NEIGHBOUR_TOWNS)]
    found = gazetteer.places_near(points, NEIGHBOUR_KM, per_point=NEIGHBOURS_PER_TOWN + 1,
                                  exclude={t.geonameid for t in towns})  # fmt: skip
    out = []
    for (lat, lon), places in zip(points, found, strict=True):
        apart = [p for p in places
                 if geo.haversine_km(lat, lon, p.latitude, p.longitude) > SAME_PLACE_KM]
        out += apart[:NEIGHBOURS_PER_TOWN]
    return out


def _region_labels(gazetteer: Gazetteer, iso2: str) -> list[MapLabel]:
    """A country's admin-1 regions and the main city of each, from the gazetteer."""
    iso3 = countries.iso3(iso2)
    data = boundaries.admin1_boundaries(iso3) if iso3 else None
    out: list[MapLabel] = []
    for feature in (data or {}).get("features", []):
        props = feature["properties"]
        code = props.get("admin1_code") or ""
        region = gazetteer.admin1(iso2, code) if code else None
        if region is None:
            continue
        out.append(_label(region, "admin1"))
        short = region.name.rsplit(" ", 1)[0]  # "Homs Governorate" -> "Homs"
        for name in dict.fromkeys((props.get("name") or "", region.name, short)):
            city = _main_city(gazetteer, name, iso2, code)
            if city is not None:
                out.append(_label(city, "city"))
                break
    return out


def _main_city(gazetteer: Gazetteer, name: str, iso2: str, admin1_code: str) -> Place | None:
    """The city of region ``admin1_code`` that shares the region's ``name``, if any."""
    if not name:
        return None
    for candidate in gazetteer.search(name, country=iso2, feature="city", limit=5):
        place = candidate.place
        if place.admin1_code == admin1_code and place.population >= 10_000:
            return place
    return None


# ------------------------------------------------------------------- the job


def make_map(
    inputs: Sequence[str | os.PathLike[str]] = (),
    *,
    output: str | os.PathLike[str] = "map.html",
    store: str | os.PathLike[str] | None = None,
    flt: EventFilter | None = None,
    self_contained: bool = True,
    title: str | None = None,
    labels: bool = True,
    demo: bool = True,
    workspace: Workspace | None = None,
) -> MapReport:
    """Ingest ``inputs`` (if any) into the store, map its events, save the page.

    With no inputs and an empty store, the demo seed article is extracted and
    mapped (the store is left untouched), unless ``demo`` is False.  The map
    is self-contained (it opens with no network) unless ``self_contained``
    is False; ``labels`` names countries, regions and towns from the
    gazetteer.  The store is ``workspace``'s; with no workspace, one is made
    for ``store`` (a path, or the default store) and closed at the end.
    """
    if workspace is None:
        with Workspace(store=store) as ws:
            return make_map(inputs, output=output, flt=flt, self_contained=self_contained,
                            title=title, labels=labels, demo=demo, workspace=ws)
    ingest_report = None
    is_demo = False
    st = workspace.store
    if inputs:
        ingest_report = ingest_paths([str(p) for p in inputs], workspace=workspace)
    if demo and not inputs and st.count() == 0:
        events, mentions, demo_title = _demo_events(workspace, flt)
        is_demo = True
        title = title or f"{demo_title} (demo)"
    else:
        events, mentions = _stored_events(st, flt)
    events_only = [e for e in events if not e.is_context]  # the renderer notes the others
    names = gazetteer_labels(workspace.gazetteer, events_only) if labels else []
    m = build_map(events, mentions=mentions, labels=names, title=title,
                  self_contained=self_contained)
    path = save_map(m, output, self_contained=self_contained)
    data = m.event_layers.data
    return MapReport(path=path, events=data["n"],
                     mentions=len((data.get("mentions") or {}).get("lat", [])),
                     self_contained=self_contained, demo=is_demo, ingest=ingest_report,
                     notes=list(data["notes"]))
