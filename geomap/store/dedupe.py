"""Join and deduplicate events reported by several sources.

The same strike reported by Reuters and by AP, or by an article and by an
ACLED row, becomes ONE event with several sources.  Every source row is kept
(``event_sources`` in the store); the merged event is derived from them and
recomputed whenever a member is added, changed or moved.

Matching rules (two source rows describe the same event when all hold):

* **time** - their date intervals overlap.  A row's interval is its day, or
  the window its time precision allows: ACLED ``time_precision`` 2 = +-3 days,
  3 = +-15 days; UCDP ``date_start``..``date_end``.  Undated rows never merge.
* **type** - compatible event types (:func:`type_class`): "Air/drone strike",
  "airstrike" and "air raid" are the same class; UCDP's violence categories
  (state-based, non-state, one-sided) carry no means of attack, so they match
  any violent class but not protests, riots or strategic developments; a row
  with no type at all matches anything.
* **dataset** - two rows of the same curated dataset (ACLED, UCDP) never
  merge: their makers already deduplicated them.  Two rows of one input file
  (or one article) never merge unless they are identical: a table lists each
  of its events once.
* **settlement** - two rows that name settlements (a ``location`` or a
  ``geonameid``) merge only when they name the same one: the same geonameid,
  or the same :func:`settlement_key` ("Ar-Rastan", "Ar Rastan town" and
  "al-Rastan" are one; "Kafr Zeita" and "Kafr Zita" are one; Rastan and
  Talbiseh, 9.6 km apart, never), whatever the distance.
* **place** - both at the town (geo_precision 1 and 1): within
  :data:`EXACT_RADIUS_KM` (10 km, geodesic); one of them "near" (precision 2):
  within :data:`NEAR_RADIUS_KM` (25 km); either coarse (precision 3, placed at
  an admin-1): same country and admin-1.

Only a place-less row (a point without a settlement name) or a region-level
row may join a town-level event, and each joins at most ONE group (the one
with the nearest member), so neither ever bridges two distinct town-level
events.  Place-less rows that join no town merge among themselves by the
place rule; so do coarse rows.

The merged event (:func:`merge`):

* location, date, actors and notes come from the *primary* source: the most
  precise location (lowest geo_precision), then a row that names its place,
  then a row carrying its own coordinates, then the narrowest date interval,
  then the smallest event_id;
* ``deaths_low`` = min of the known lows, ``deaths_high`` = max of the known
  highs, ``deaths_best`` = the **median of the known bests** (lower median for
  an even count, so the estimate stays conservative), clipped into
  [low, high]; ``fatalities`` = deaths_best (0 when unknown);
* ``source`` lists every source name once; ``extra["sources"]`` records every
  merged row (event_id, origin, source, url, deaths), and the store keeps
  the rows themselves;
* the merged ``event_id`` is the smallest member event_id, so a
  single-source event keeps its own id.

Admin-1 names are made consistent before matching (:mod:`geomap.store.admin1`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from geomap.gazetteer.names import CITY_WORDS, name_key_tuple
from geomap.geo import geodesic_km
from geomap.model import Event
from geomap.store.admin1 import assign_admin  # noqa: F401 - callers of dedupe.assign_admin
from geomap.taxonomy import types_compatible

#: Both sources give the town itself (geo_precision 1).
EXACT_RADIUS_KM = 10.0
#: At least one source says "near" the town (geo_precision 2).
NEAR_RADIUS_KM = 25.0
#: Largest radius any rule uses (the store's candidate search box).
MAX_RADIUS_KM = NEAR_RADIUS_KM

#: ACLED time_precision -> half-width of the date window in days.
ACLED_TIME_WINDOW = {1: 0, 2: 3, 3: 15}


def _ordinal(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def day_range(event: Event) -> tuple[int | None, int | None]:
    """The event's date interval as proleptic ordinals (both None when undated)."""
    start = _ordinal(event.event_date)
    if start is None:
        return None, None
    end = _ordinal(event.extra.get("date_end")) if event.extra else None
    if end is not None and end >= start:
        return start, end
    try:
        window = ACLED_TIME_WINDOW.get(int(event.extra.get("time_precision", 1)), 0)
    except (TypeError, ValueError):
        window = 0
    return start - window, start + window


_ADMIN_SUFFIX = re.compile(
    r"\b(governorate|province|prefecture|region|oblast|state|district|muhafazat)\b"
)


@lru_cache(maxsize=16384)
def admin1_key(country: str, admin1: str) -> str:
    """Comparable key for "same admin-1": ``"syria|homs"``; "" when admin1 is unknown."""
    if not admin1:
        return ""

    def fold(text: str) -> str:
        text = text.lower().replace("-", " ").replace("'", "").replace("\u2019", "")
        text = _ADMIN_SUFFIX.sub(" ", text)
        text = re.sub(r"^(al|ar|as|ad|ash|an|at|az|el)\s+", "", text.strip())
        return re.sub(r"\s+", " ", text).strip()

    return f"{fold(country)}|{fold(admin1)}"


def is_coarse(geo_precision: int | None) -> bool:
    return geo_precision is None or geo_precision >= 3


#: Words that say what kind of place a name is, not which ("Ar Rastan town").
_PLACE_WORDS = CITY_WORDS | {"district", "countryside", "outskirts", "area", "camp", "suburb",
                             "suburbs", "neighbourhood", "neighborhood", "centre"}  # fmt: skip
_NOT_SKELETON = re.compile(r"[aeiouyhw\s]+")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def settlement_key(location: str) -> str:
    """What a settlement name comes to once spelling is set aside ("" for no name).

    The name is folded (:func:`geomap.gazetteer.names.name_key_tuple`: case,
    accents, punctuation, a leading Arabic article), words such as "town" or
    "district" are dropped, and what is left is reduced to its consonant
    skeleton, since transliterations of one name differ mostly in vowels,
    "h" and doubled letters: "Ar-Rastan", "Ar Rastan town" -> "rstn";
    "Kafr Zeita", "Kafr Zita" -> "kfrzt"; "Talbiseh" -> "tlbs".
    """
    keys = name_key_tuple(location)
    if not keys:
        return ""
    words = [w for w in keys[0].split() if w not in _PLACE_WORDS] or keys[0].split()
    base = min(name_key_tuple(" ".join(words)), key=len)
    skeleton = _REPEATS.sub(r"\1", _NOT_SKELETON.sub("", base))
    return skeleton if len(skeleton) >= 2 else base.replace(" ", "")


@dataclass(slots=True)
class Node:
    """What the matcher needs to know about one stored source row."""

    sid: int
    event_id: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    day_min: int | None
    day_max: int | None
    type_class: str
    admin1_key: str
    origin: str = ""
    place_key: str = ""  # settlement_key of its location ("" when it names none)
    geonameid: int | None = None
    input_file: str = ""  # the file (or article) it came from; "" when unknown
    content_hash: str = ""  # of every value but its id

    @property
    def named(self) -> bool:
        """Whether the row names a settlement (a place name or a gazetteer entry)."""
        return bool(self.place_key) or self.geonameid is not None


def _days_overlap(a: Node, b: Node) -> bool:
    return (
        a.day_min is not None
        and b.day_min is not None
        and a.day_min <= (b.day_max or b.day_min)
        and b.day_min <= (a.day_max or a.day_min)
    )


#: Curated datasets are deduplicated by their makers: two rows of the same one never merge.
CURATED = frozenset({"acled", "ucdp"})


def _same_dataset(a: Node, b: Node) -> bool:
    """Rows that may never merge: one curated dataset, or one file unless identical."""
    if a.origin in CURATED and a.origin == b.origin:
        return True
    return bool(a.input_file) and a.input_file == b.input_file and (
        not a.content_hash or a.content_hash != b.content_hash
    )


def same_settlement(a: Node, b: Node) -> bool:
    """Whether two named rows name one settlement: one geonameid, or one settlement key."""
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    return bool(a.place_key) and a.place_key == b.place_key


def _mergeable(a: Node) -> bool:
    return a.day_min is not None and a.latitude is not None and a.longitude is not None


def precise_match(a: Node, b: Node) -> float | None:
    """Distance in km when two precise rows match, else None (two named rows must
    name the same settlement)."""
    if _same_dataset(a, b) or not (
        _days_overlap(a, b) and types_compatible(a.type_class, b.type_class)
    ):
        return None
    if a.named and b.named and not same_settlement(a, b):
        return None
    radius = EXACT_RADIUS_KM if (a.geo_precision == 1 and b.geo_precision == 1) else NEAR_RADIUS_KM
    d = geodesic_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
    return d if d <= radius else None


def _town(n: Node) -> bool:
    return n.named and not is_coarse(n.geo_precision)


def _placeless(n: Node) -> bool:
    return not n.named and not is_coarse(n.geo_precision)


def coarse_match(coarse: Node, other: Node) -> bool:
    return bool(
        coarse.admin1_key
        and not _same_dataset(coarse, other)
        and coarse.admin1_key == other.admin1_key
        and _days_overlap(coarse, other)
        and types_compatible(coarse.type_class, other.type_class)
    )


def cluster(
    nodes: Sequence[Node], pairs: Iterable[tuple[int, int]] | None = None
) -> list[list[Node]]:
    """Group nodes that describe the same event (see the module docstring).

    ``pairs`` optionally limits the precise comparisons to candidate sid pairs
    (the store finds them with its R*Tree); without it every pair is compared.
    """
    parent = {n.sid: n.sid for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    usable = {n.sid: n for n in nodes if _mergeable(n)}
    if pairs is None:
        ordered = list(usable)
        candidate_pairs: Iterable[tuple[int, int]] = (
            (x, y) for i, x in enumerate(ordered) for y in ordered[i + 1 :]
        )
    else:
        candidate_pairs = pairs
    # named town-level rows merge with each other; place-less and coarse rows
    # only look at their candidate neighbours
    neighbours: dict[int, list[int]] = {}
    for x, y in candidate_pairs:
        a, b = usable.get(x), usable.get(y)
        if a is None or b is None or a is b:
            continue
        if _town(a) and _town(b):
            if precise_match(a, b) is not None:
                union(a.sid, b.sid)
        else:
            neighbours.setdefault(a.sid, []).append(b.sid)
            neighbours.setdefault(b.sid, []).append(a.sid)

    def attach(kind: Callable[[Node], bool], target: Callable[[Node], bool],
               match: Callable[[Node, Node], bool]) -> None:
        """Each row of ``kind`` joins its nearest matching ``target`` row, or else
        the other rows of its kind that it matches."""
        rows = sorted((n for n in usable.values() if kind(n)), key=lambda n: n.event_id)
        leftover: list[Node] = []
        for c in rows:
            # ties go to the smallest event_id, so the result never depends on
            # the order rows were stored in
            best: tuple[float, str, int] | None = None
            for sid in neighbours.get(c.sid, ()):
                p = usable[sid]
                if target(p) and match(c, p):
                    d = geodesic_km(c.latitude, c.longitude, p.latitude, p.longitude)  # type: ignore[arg-type]
                    if best is None or (d, p.event_id) < best[:2]:
                        best = (d, p.event_id, p.sid)
            if best is not None:
                union(c.sid, best[2])
            else:
                leftover.append(c)
        left = {c.sid for c in leftover}
        for c in leftover:
            for sid in neighbours.get(c.sid, ()):
                if sid in left and match(c, usable[sid]):
                    union(c.sid, sid)

    attach(_placeless, _town, lambda a, b: precise_match(a, b) is not None)
    attach(lambda n: is_coarse(n.geo_precision), lambda n: not is_coarse(n.geo_precision),
           coarse_match)

    groups: dict[int, list[Node]] = {}
    for n in nodes:
        groups.setdefault(find(n.sid), []).append(n)
    return [g if len(g) == 1 else sorted(g, key=_EVENT_ID) for g in groups.values()]


_EVENT_ID = attrgetter("event_id")


def _median_low(values: list[int]) -> int:
    return int(statistics.median_low(values))


def primary_key(event: Event) -> tuple[int, int, int, int, int, str]:
    d0, d1 = day_range(event)
    span = (d1 - d0) if d0 is not None and d1 is not None else 10**6
    return (
        event.geo_precision if event.geo_precision is not None else 9,
        0 if event.location or event.geonameid is not None else 1,
        0 if event.coords_from_source else 1,
        0 if event.latitude is not None else 1,
        span,
        event.event_id,
    )


def merge(events: Sequence[Event]) -> Event:
    """One merged event from the source rows of a group (see module docstring)."""
    if not events:
        raise ValueError("merge() needs at least one event")
    members = sorted(events, key=lambda e: e.event_id)
    primary = min(members, key=primary_key)
    merged = dataclasses.replace(primary, extra=dict(primary.extra))
    merged.event_id = members[0].event_id
    lows = [e.deaths_low for e in members if e.deaths_low is not None]
    highs = [e.deaths_high for e in members if e.deaths_high is not None]
    bests = [e.deaths_best for e in members if e.deaths_best is not None]
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    best = _median_low(bests) if bests else None
    if best is not None:
        if low is not None and best < low:
            best = low
        if high is not None and best > high:
            best = high
    if high is not None and low is not None and high < low:
        high = low
    merged.deaths_low, merged.deaths_best, merged.deaths_high = low, best, high
    merged.fatalities = best or 0
    civ = [e.deaths_civilians for e in members if e.deaths_civilians is not None]
    merged.deaths_civilians = max(civ) if civ else None
    merged.civilians = any(e.civilians for e in members)
    merged.children = any(e.children for e in members)
    merged.is_context = all(e.is_context for e in members)
    for name in ("country", "admin1", "admin2", "actor1", "actor2", "sub_event_type",
                 "source_url", "doc_id", "geonameid"):  # fmt: skip
        if not getattr(merged, name):
            value = next((getattr(e, name) for e in members if getattr(e, name)), None)
            value = value if value is not None or name == "geonameid" else ""
            setattr(merged, name, value)
    names: list[str] = []
    for e in members:
        for part in re.split(r";\s*", e.source or e.origin or ""):
            if part and part not in names:
                names.append(part)
    merged.source = "; ".join(names)
    if len(members) > 1:
        merged.extra["sources"] = [
            {
                "event_id": e.event_id,
                "origin": e.origin,
                "source": e.source,
                "source_url": e.source_url,
                "doc_id": e.doc_id,
                "location": e.location,
                "latitude": e.latitude,
                "longitude": e.longitude,
                "geo_precision": e.geo_precision,
                "deaths_low": e.deaths_low,
                "deaths_best": e.deaths_best,
                "deaths_high": e.deaths_high,
            }
            for e in members
        ]
        merged.extra["origins"] = sorted({e.origin for e in members if e.origin})
        merged.extra["best_rule"] = "median_low of source bests"
    return merged
