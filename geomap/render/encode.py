"""Events and mentions as the page's data: compact column-oriented JSON.

Events reach the page once, as columns of numbers plus one table of unique
strings; ``templates/geomap.js`` builds the markers, clusters and heat layer
from them in the browser.  A column whose rows are all equal is written as
``{"k": value}``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from geomap.countries import iso3 as country_iso3
from geomap.errors import InputError
from geomap.model import Event, Mention
from geomap.render.labels import MapLabel, encode_labels, event_places
from geomap.render.layers import (
    M_PER_DEGREE,
    OTHER_TYPE,
    SVG_LIMIT,
    AdminLayer,
    admin_layer,
    shape_bounds,
    type_styles,
    world_layer,
)

if TYPE_CHECKING:
    import pandas as pd

#: What the renderer draws: Events, event records (dicts with
#: :data:`geomap.model.EVENT_COLUMNS`) or a (Geo)DataFrame of them.
EventSource: TypeAlias = "Iterable[Event | dict[str, Any]] | pd.DataFrame | None"

MAX_QUOTE = 400
_EPOCH = dt.date(1970, 1, 1)


# ----------------------------------------------------------- input handling


def as_events(events: EventSource) -> list[Event]:
    """Accept Events, records (dicts) or a (Geo)DataFrame with EVENT_COLUMNS."""
    if events is None:
        return []
    if hasattr(events, "to_dict") and hasattr(events, "columns"):
        return [_frame_event(rec) for rec in events.to_dict("records")]
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


def _frame_event(record: dict[str, Any]) -> Event:
    """One DataFrame row as an Event; a GeoDataFrame's point gives missing coordinates."""
    geom: Any = record.get("geometry")  # a shapely geometry, or whatever a plain frame holds
    clean = {k: _none_if_nan(v) for k, v in record.items() if k != "geometry"}
    if clean.get("latitude") is None and getattr(geom, "geom_type", "") == "Point":
        clean["latitude"], clean["longitude"] = geom.y, geom.x  # shapely is (lon, lat)
    return Event.from_record(clean)


def _none_if_nan(value: Any) -> Any:
    """None for pandas' and numpy's missing values (NaN, NA, NaT); anything else as is."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def _int_or(value: object, default: int = -1) -> int:
    """A whole number from an int, float or numeric text; ``default`` when there is none."""
    if value is None:
        return default
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(f) else int(round(f))


def _ints(values: Iterable[object], default: int = -1) -> list[int]:
    try:
        return [default if v is None else int(v) for v in values]  # type: ignore[call-overload]
    except (TypeError, ValueError):  # NaN or text from a table: the slow, careful way
        return [_int_or(v, default) for v in values]


def _day(value: str | None) -> int:
    """Days since 1970-01-01 of an ISO date; -1 when undated or unreadable."""
    if value is None:
        return -1
    text = str(value).strip()[:10]
    try:
        return (dt.date.fromisoformat(text) - _EPOCH).days
    except ValueError:
        return -1


def _valid(lat: float, lon: float) -> bool:
    """Whether a point can be drawn (a fast, non-raising form of geo.check_coordinates)."""
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


def _coord(event: Event) -> tuple[float, float] | None:
    """The event's drawable (latitude, longitude), or None."""
    try:
        lat, lon = float(event.latitude), float(event.longitude)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return (lat, lon) if _valid(lat, lon) else None


def _mappable(events: Sequence[Event]) -> tuple[list[tuple[Event, float, float]], list[str]]:
    """The events that can be drawn with their coordinates, and notes on those left out."""
    notes: list[str] = []
    context = no_coords = 0
    kept: list[tuple[Event, float, float]] = []
    for event in events:
        if event.is_context:
            context += 1
            continue
        coord = _coord(event)
        if coord is None:
            no_coords += 1
            continue
        kept.append((event, coord[0], coord[1]))
    if no_coords:
        notes.append(f"{no_coords} event{'' if no_coords == 1 else 's'} without usable "
                     f"coordinates {'is' if no_coords == 1 else 'are'} not shown.")
    if context:
        notes.append(f"{context} background or cumulative figure{'' if context == 1 else 's'} "
                     f"({'a toll' if context == 1 else 'tolls'} for a whole period or place) "
                     f"{'is' if context == 1 else 'are'} not mapped as events.")
    return kept, notes


# --------------------------------------------------------------- columns


class _Strings:
    """One table of unique strings shared by every text column, in first-seen order."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def column(self, values: Iterable[object], limit: int = 0) -> list[Any]:
        """Indexes into the table, or the strings themselves when they are mostly unique."""
        vals = [v if v.__class__ is str else "" if v is None else str(v) for v in values]
        if limit:
            vals = [t if len(t) <= limit else t[: limit - 1] + "…" for t in vals]
        unique = dict.fromkeys(vals)  # first-seen order
        if len(unique) > 0.5 * len(vals) > 50:
            return vals  # mostly unique (ids, quotes): an index would only add bytes
        for text in unique:
            if text not in self.index:
                self.index[text] = len(self.index)
        return list(map(self.index.__getitem__, vals))


def _columns(
    kept: Sequence[tuple[Event, float, float]], type_index: dict[str, int], strings: _Strings
) -> dict[str, list[Any]]:
    """One column per field of the kept events (the text columns index ``strings``)."""
    evs = [e for e, _, _ in kept]
    text = strings.column
    day_of: dict[str | None, int] = {}
    return {
        "lat": [round(lat, 4) for _, lat, _ in kept],  # 4 decimals: ~11 m, as ACLED
        "lon": [round(lon, 4) for _, _, lon in kept],
        "t": [type_index[e.event_type or OTHER_TYPE] for e in evs],
        "d": _ints(e.deaths_best for e in evs),
        "lo": _ints(e.deaths_low for e in evs),
        "hi": _ints(e.deaths_high for e in evs),
        "civ": _ints(e.deaths_civilians for e in evs),
        "f": [(1 if e.civilians else 0) | (2 if e.children else 0) for e in evs],
        "p": _ints((e.geo_precision for e in evs), 0),
        "conf": [-1 if e.confidence is None else _int_or(100 * e.confidence) for e in evs],
        "day": [day_of[d] if d in day_of else day_of.setdefault(d, _day(d))
                for d in (e.event_date for e in evs)],
        "date": text(e.event_date for e in evs),
        "sub": text(e.sub_event_type for e in evs),
        "a1": text(e.actor1 for e in evs),
        "a2": text(e.actor2 for e in evs),
        "loc": text(e.location for e in evs),
        "adm": text(e.admin1 for e in evs),
        "country": text(e.country for e in evs),
        "src": text(e.source for e in evs),
        "quote": text((e.quote or e.notes for e in evs), MAX_QUOTE),
        "url": text(e.source_url for e in evs),
        "id": text(e.event_id for e in evs),
    }


def _compact(column: list[Any]) -> Any:
    """A column, or ``{"k": value}`` when every row has the same value."""
    if column and all(v == column[0] for v in column):
        return {"k": column[0]}
    return column


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
            if not _valid(lat, lon):
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
    """Places only mentioned (not where an event happened), each once per name and point."""
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


# ---------------------------------------------------------------- layers


@dataclass
class _Points:
    """Every point drawn: the events' main locations, then their further places."""

    lat: list[float]
    lon: list[float]
    events: int  # how many of the points are main locations
    regions: AdminLayer


def _regions(
    data: dict[str, Any], cols: dict[str, list[Any]], sec: dict[str, list[Any]],
    countries: Sequence[str], boundaries: bool,
) -> _Points:
    """Adds the boundary layers to ``data`` and each point's region (``r``, ``fa``) to
    ``cols`` and ``sec``."""
    n = len(cols["lat"])
    points = _Points(cols["lat"] + sec["lat"], cols["lon"] + sec["lon"], n,
                     AdminLayer.empty(len(cols["lat"]) + len(sec["lat"])))
    iso3s = list(dict.fromkeys(i for i in map(country_iso3, countries) if i))
    if boundaries and n:
        points.regions = admin_layer(
            iso3s, points.lat, points.lon, cols["d"] + [-1] * len(sec["lat"]),
            cols["p"] + sec["p"], n,
        )
        data["admin"] = points.regions.geojson
        data["adminMaxDeaths"] = points.regions.max_deaths
    if boundaries:
        data["world"] = world_layer(set(iso3s))
    radius, area = points.regions.radius, points.regions.area
    cols["r"] = radius[:n]
    cols["fa"] = area[:n]
    cols["rg"] = points.regions.region[:n]
    if sec["ev"]:
        sec["r"] = radius[n:]
        sec["fa"] = area[n:]
        data["sec"] = sec
    return points


def _time_range(days: Sequence[int]) -> dict[str, int]:
    """The time slider's first and last day, and how many events have no date."""
    dated = [d for d in days if d >= 0]
    if dated:
        day0, day1 = min(dated), max(dated)
        if day0 == day1:  # pad so the slider can move at all
            day0, day1 = day0 - 1, day1 + 1
    else:
        today = (dt.date(2000, 1, 1) - _EPOCH).days
        day0, day1 = today, today
    return {"day0": day0, "day1": day1, "undated": len(days) - len(dated)}


def _heat_max(deaths: Sequence[int]) -> int:
    """The heat layer's full intensity: the 95th percentile of known, non-zero deaths."""
    positive = sorted(d for d in deaths if d > 0)
    return positive[int(0.95 * (len(positive) - 1))] if positive else 1


def _bounds(lats: list[float], lons: list[float], points: _Points) -> list[list[float]]:
    """[[south, west], [north, east]] around every point, whole regions included."""
    south, west, north, east = min(lats), min(lons), max(lats), max(lons)
    admin = points.regions.geojson
    for i, r in enumerate(points.regions.radius):  # whole-region events: fit their area
        area = points.regions.area[i]
        if area >= 0 and admin and points.events <= SVG_LIMIT:  # drawn as the region's outline
            b_west, b_south, b_east, b_north = shape_bounds(admin["features"][area])
            south, north = min(south, b_south), max(north, b_north)
            west, east = min(west, b_west), max(east, b_east)
        elif r:
            dlat = r / M_PER_DEGREE
            dlon = dlat / max(0.1, math.cos(math.radians(points.lat[i])))
            south, north = min(south, points.lat[i] - dlat), max(north, points.lat[i] + dlat)
            west, east = min(west, points.lon[i] - dlon), max(east, points.lon[i] + dlon)
    return [[south, west], [north, east]]


# ------------------------------------------------------------- the page data


def encode_events(
    events: EventSource,
    mentions: Sequence[Mention] = (),
    *,
    labels: Iterable[MapLabel] = (),
    boundaries: bool = True,
) -> dict[str, Any]:
    """The page's data: columns of numbers plus one table of unique strings.

    ``labels`` are place names from the gazetteer (plain data); the events'
    own places are added to them.
    """
    kept, notes = _mappable(as_events(events))
    evs = [e for e, _, _ in kept]
    types = type_styles(e.event_type or OTHER_TYPE for e in evs)
    strings = _Strings()
    cols = _columns(kept, {t["name"]: k for k, t in enumerate(types)}, strings)
    for k in cols["t"]:
        types[k]["count"] += 1

    n = len(kept)
    data: dict[str, Any] = {"n": n, "types": types}
    sec = _secondary_locations(evs, cols["lat"], cols["lon"])
    countries = sorted({e.country for e in evs if e.country})
    points = _regions(data, cols, sec, countries, boundaries)
    data.update(_time_range(cols["day"]))
    data["heatMax"] = _heat_max(cols["d"])

    lats, lons = cols["lat"], cols["lon"]
    mention_cols = _encode_mentions(mentions)
    if mention_cols:
        data["mentions"] = mention_cols
        if not lats:
            lats, lons = mention_cols["lat"], mention_cols["lon"]
    if lats:
        data["bounds"] = _bounds(lats + sec["lat"], lons + sec["lon"], points)
    data["labels"] = encode_labels(
        labels, event_places([e.location for e in evs], cols["lat"], cols["lon"]))
    if not n:
        notes.append("No events to show.")
    data["notes"] = notes
    data["strings"] = list(strings.index)
    for key, column in cols.items():
        data[key] = _compact(column) if key not in ("lat", "lon") else column
    return data
