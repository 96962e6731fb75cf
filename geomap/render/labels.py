"""Place names the map draws and its search box finds.

The renderer never opens the gazetteer: the map job (:mod:`geomap.mapping`)
hands it plain :class:`MapLabel` values (countries, admin-1 regions,
cities), and the places of the events themselves are added here.  In the
page, labels show by zoom (countries when zoomed out, regions and the
largest cities at mid zoom, the towns with events up close) and never
overlap one another.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: Label kinds, in the page's code order.
LABEL_KINDS = ("country", "admin1", "city", "event")

#: At most this many places of events are labelled (the ones with most events).
MAX_EVENT_PLACES = 600


@dataclass(frozen=True, slots=True)
class MapLabel:
    """One place name for the map: a country, an admin-1 region or a city."""

    name: str
    latitude: float
    longitude: float
    kind: str  # "country", "admin1" or "city"
    population: int = 0


#: With at most this many places of events, all of them are named from zoom 5.
FEW_PLACES = 30


def min_zoom(kind: str, population: int = 0, events: int = 0, places: int = 0) -> int:
    """The zoom from which a label shows (``places``: how many places have events)."""
    if kind == "country":
        return 2 if population >= 5_000_000 else 4
    if kind == "admin1":
        return 6
    if kind == "event":
        return 5 if places <= FEW_PLACES else 8 if events >= 5 else 9
    for floor, zoom in ((1_000_000, 5), (300_000, 6), (100_000, 7), (30_000, 8), (10_000, 9)):
        if population >= floor:
            return zoom
    return 10


def _valid(label: MapLabel) -> bool:
    return (bool(label.name.strip()) and label.kind in LABEL_KINDS
            and math.isfinite(label.latitude) and math.isfinite(label.longitude)
            and abs(label.latitude) <= 90 and abs(label.longitude) <= 180)


def event_places(
    names: Sequence[str], lats: Sequence[float], lons: Sequence[float]
) -> list[tuple[MapLabel, int]]:
    """The events' own places (by name, at the first point given): label and event count."""
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        if name not in first:
            first[name] = i
        counts[name] = counts.get(name, 0) + 1
    top = sorted(first, key=lambda n: (-counts[n], first[n]))[:MAX_EVENT_PLACES]
    return [(MapLabel(n, lats[first[n]], lons[first[n]], "event"), counts[n]) for n in top]


def encode_labels(
    labels: Iterable[MapLabel], places: Sequence[tuple[MapLabel, int]] = ()
) -> dict[str, list[Any]]:
    """The page's label columns, most important first within each kind.

    ``name``, ``lat``, ``lon``, ``k`` (index in :data:`LABEL_KINDS`), ``z``
    (the zoom from which it shows) and ``n`` (population, or events for the
    events' places).
    """
    seen: set[tuple[str, str, float, float]] = set()
    rows: list[tuple[MapLabel, int]] = []
    for label in labels:
        key = (label.kind, label.name, round(label.latitude, 3), round(label.longitude, 3))
        if _valid(label) and key not in seen:
            seen.add(key)
            rows.append((label, label.population))
    rows.sort(key=lambda r: (LABEL_KINDS.index(r[0].kind), -r[1], r[0].name))
    rows += [(label, n) for label, n in places if _valid(label)]
    out: dict[str, list[Any]] = {"name": [], "lat": [], "lon": [], "k": [], "z": [], "n": []}
    for label, n in rows:
        out["name"].append(label.name)
        out["lat"].append(round(label.latitude, 4))
        out["lon"].append(round(label.longitude, 4))
        out["k"].append(LABEL_KINDS.index(label.kind))
        out["z"].append(min_zoom(label.kind, label.population, n, len(places)))
        out["n"].append(n)
    return out
