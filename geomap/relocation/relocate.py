"""Where each stored row goes when the answer of the cache key that placed it changes.

A row sits at its cache answer plus a small offset (a mention of "northern
Homs countryside" is the Homs answer moved 25 km north).  The offset is
kept, so the row moves exactly as far as its answer moved.  The answer a row
was last placed with (its *basis*) is recorded in the store
(:meth:`EventStore.record_bases`); for rows that were never refreshed it is
reconstructed from the pre-refresh cache entry, or from the place the row's
text mention was resolved to.  A row whose text resolution chose another
gazetteer place than its cache entry ("Homs province" -> the governorate
while the entry ``homs|cc=SY`` is the city), or that sits more than
:data:`MAX_OFFSET_KM` from its basis, is left alone and listed as skipped.

Rows that carried their own coordinates (``coords_from_source``: ACLED, UCDP,
GDELT, tables with latitude/longitude) never move.

Everything that depends on a row's point moves with it: a moved source row
takes its answer's country (or, for a pin or an online point, the country
the new point lies in) and precision, and its admin-1 is recomputed; a text
event's further places (``extra["locations"]``, the "Also placed" of its
map popup) follow the mentions they were placed from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geomap import countries
from geomap.errors import CoordinateError
from geomap.geo import geodesic_km, shift_degrees
from geomap.model import Event, Mention, Place
from geomap.relocation.answers import Answer, AnswerMap
from geomap.relocation.report import Move, RefreshReport
from geomap.store import Basis, EventStore, Placement

if TYPE_CHECKING:
    from geomap.workspace import Workspace

#: A row further than this from every candidate answer was not placed by its
#: cache entry (the largest derived offset geomap makes is a 25 km direction shift).
MAX_OFFSET_KM = 60.0
#: Moves smaller than this (about 1 m) are rounding, not moves.
MIN_MOVE_KM = 0.001

Bases = dict[tuple[str, str], Answer]
_Span = tuple[str, int, int]


def recorded_bases(store: EventStore) -> Bases:
    """The answer each row was last placed with, by (kind, ref)."""
    return {
        (b.kind, b.ref): Answer(b.key, b.latitude, b.longitude, b.geonameid, b.provider)
        for b in store.recorded_bases()
        if b.latitude is not None and b.longitude is not None
    }


def _precision(old: int | None, answer: Answer) -> int | None:
    """ACLED precision for a row re-placed on ``answer``.

    A gazetteer answer sets the level (1 for a town, 3 for a region or
    country); a pin or online point keeps the row's level; a row that was
    "near"/part of a place (2) stays 2.
    """
    if answer.feature:
        base = 1 if answer.feature == "city" else 3
    else:
        base = old if old is not None else 1
    if old == 2:
        return 2
    return base


def _near(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 1e-6


def _may_move(row: Placement, answer: Answer) -> bool:
    """Whether a row is off its answer's point, or at another precision than it gives."""
    return (
        not _near(row.latitude, answer.latitude)
        or not _near(row.longitude, answer.longitude)
        or _precision(row.geo_precision, answer) != row.geo_precision
    )


def keys_to_visit(
    store: EventStore, keys: set[str], new: AnswerMap, bases: Bases, report: RefreshReport
) -> tuple[set[str], set[str]]:
    """Keys whose source rows / mentions may move (cheap column scan first).

    A row placed exactly on its answer, at the precision that answer gives,
    stays; text rows (which may carry an offset) and rows with a recorded
    basis are always looked at.  Counts the rows seen and those kept for
    their own coordinates.
    """
    event_keys: set[str] = set()
    for row in store.source_placements():
        if row.key not in keys:
            continue
        report.rows += 1
        if row.coords_from_source:
            report.kept_own_coordinates += 1
            continue
        answer = new.get(row.key)
        if answer is None or row.key in event_keys:
            continue
        if row.origin == "text" or ("event", row.event_id) in bases or _may_move(row, answer):
            event_keys.add(row.key)
    mention_keys: set[str] = set()
    for row in store.mention_placements():
        if row.key not in keys:
            continue
        report.rows += 1
        answer = new.get(row.key)
        if answer is not None and row.key not in mention_keys and _may_move(row, answer):
            mention_keys.add(row.key)
    return event_keys, mention_keys


def _mention_ref(m: Mention) -> str:
    return f"{m.doc_id}:{m.span_start}-{m.span_end}"


def _span_of(doc_id: str, location: object) -> _Span | None:
    """The mention span an entry of ``extra["locations"]`` was placed from, if it says."""
    if not isinstance(location, dict):
        return None
    start, end = location.get("span_start"), location.get("span_end")
    return (doc_id, start, end) if isinstance(start, int) and isinstance(end, int) else None


def _origin_mention(e: Event, by_span: dict[_Span, Mention]) -> Mention | None:
    """The stored mention a text event was placed from (its first location), if any."""
    if e.origin != "text" or not e.doc_id:
        return None
    locations = e.extra.get("locations") or []
    span = _span_of(e.doc_id, locations[0]) if locations else None
    return by_span.get(span) if span is not None else None


@dataclass(slots=True)
class Plan:
    """The rows to write back: moved source rows and mentions, and their new bases."""

    events: list[Event] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    bases: list[Basis] = field(default_factory=list)


class Relocation:
    """Moves the rows of changed keys by as far as their answers moved (into a :class:`Plan`)."""

    def __init__(self, workspace: Workspace, report: RefreshReport, *, old: AnswerMap,
                 new: AnswerMap, bases: Bases, stamp: str) -> None:  # fmt: skip
        self.workspace = workspace
        self.report = report
        self.old = old
        self.new = new
        self.bases = bases
        self.stamp = stamp
        self.plan = Plan()
        #: the moved mentions, by (doc_id, span_start, span_end), with their answers
        self.moved: dict[_Span, tuple[Mention, Answer]] = {}

    def place_of(self, geonameid: int | None) -> Place | None:
        if not geonameid:
            return None
        try:
            return self.workspace.gazetteer.get(int(geonameid))
        except Exception:  # noqa: BLE001 - a missing place only loses one candidate
            return None

    def target(self, answer: Answer, *, kind: str, ref: str, lat: float | None,
               lon: float | None, geonameid: int | None,
               origin: Mention | None) -> tuple[float, float] | None:  # fmt: skip
        """Where a row goes, or None when it does not follow its cache key.

        ``origin`` is the text mention the row was placed from (itself, for a
        mention); its place, as stored at ingest, is where the row was put
        before any offset ("northern X" is X moved 25 km north).
        """
        key = answer.key
        if lat is None or lon is None:
            return answer.latitude, answer.longitude  # newly located (a pinned unresolved name)
        basis = self.bases.get((kind, ref)) or self._reconstructed_basis(
            kind=kind, ref=ref, key=key, lat=lat, lon=lon, geonameid=geonameid, origin=origin
        )
        if basis is None:
            return None
        if geodesic_km(lat, lon, basis.latitude, basis.longitude) > MAX_OFFSET_KM:
            self.report.skipped.append(
                f"{kind} {ref}: sits more than {MAX_OFFSET_KM:g} km from the place it was "
                f"resolved to ({key}); left alone"
            )
            return None
        dlat, dlon = lat - basis.latitude, lon - basis.longitude
        return shift_degrees(answer.latitude, answer.longitude, dlat, dlon)

    def _reconstructed_basis(
        self,
        *,
        kind: str,
        ref: str,
        key: str,
        lat: float,
        lon: float,
        geonameid: int | None,
        origin: Mention | None,
    ) -> Answer | None:
        """The answer a never-refreshed row was placed with; None when not its cache entry."""
        # the entry as it was before this refresh (a pin replaces the entry
        # of its own key, so a pinned one says nothing of the past)
        old = self.old.get(key)
        before = old if old is not None and not old.pinned else None
        if (
            geonameid
            and before is not None
            and before.geonameid
            and (before.geonameid != geonameid)
        ):
            place = self.place_of(geonameid)
            self.report.skipped.append(
                f"{kind} {ref}: placed on {place.name if place else geonameid} by its text, "
                f"not on its cache entry {key} ({before.geonameid}); left alone"
            )
            return None
        if (
            origin is not None
            and origin.place is not None
            and "pinned in the geocode cache" not in (origin.reason or "")
        ):
            return Answer(key, origin.place.latitude, origin.place.longitude,
                          origin.place.geonameid)  # fmt: skip
        return Answer(key, lat, lon)  # placed exactly on its answer: no offset

    def _move(self, answer: Answer, kind: str, ref: str, name: str, lat: float | None,
              lon: float | None, precision: int | None,
              dest: tuple[float, float]) -> Move | None:  # fmt: skip
        """The move of one row to ``dest`` (listed in the report), or None when it stays."""
        km = None if lat is None or lon is None else geodesic_km(lat, lon, *dest)
        new_precision = _precision(precision, answer)
        if km is not None and km < MIN_MOVE_KM and new_precision == precision:
            return None
        move = Move(kind, ref, name, answer.key, lat, lon, dest[0], dest[1], km, precision,
                    new_precision, answer.provider)  # fmt: skip
        self.report.moves.append(move)
        return move

    def _basis(self, kind: str, ref: str, answer: Answer) -> None:
        self.plan.bases.append(Basis(kind, ref, answer.key, answer.latitude, answer.longitude,
                                     answer.geonameid, answer.provider, self.stamp))  # fmt: skip

    def move_sources(self, sources: Iterable[Event], by_span: dict[_Span, Mention]) -> None:
        """Plan the moves of source rows (those with their own coordinates stay)."""
        for e in sources:
            e.extra.pop("group_id", None)
            answer = self.new.get(e.geocode_key)
            if e.coords_from_source or answer is None:
                continue
            dest = self.target(answer, kind="event", ref=e.event_id, lat=e.latitude,
                               lon=e.longitude, geonameid=e.geonameid,
                               origin=_origin_mention(e, by_span))  # fmt: skip
            if dest is None:
                continue
            if e.origin == "text":  # rows placed exactly on their answer need no record
                self._basis("event", e.event_id, answer)
            move = self._move(answer, "event", e.event_id, e.location or e.geocode_key,
                              e.latitude, e.longitude, e.geo_precision, dest)  # fmt: skip
            if move is not None:
                _apply_to_event(e, move, answer, self.stamp)
                self.plan.events.append(e)

    def move_mentions(self, mentions: dict[str, list[Mention]], keys: Iterable[str]) -> None:
        """Plan the moves of the mentions of ``keys``."""
        for key in sorted(keys):
            answer = self.new.get(key)
            if answer is None:
                continue
            for m in mentions[key]:
                ref = _mention_ref(m)
                geonameid = m.place.geonameid if m.place is not None else None
                dest = self.target(answer, kind="mention", ref=ref, lat=m.latitude,
                                   lon=m.longitude, geonameid=geonameid, origin=m)  # fmt: skip
                if dest is None:
                    continue
                self._basis("mention", ref, answer)
                move = self._move(answer, "mention", ref, m.text, m.latitude, m.longitude,
                                  m.geo_precision, dest)  # fmt: skip
                if move is None:
                    continue
                m.latitude, m.longitude = dest
                m.geo_precision = move.new_precision
                if answer.geonameid and (m.place is None or m.place.geonameid != answer.geonameid):
                    m.place = self.place_of(answer.geonameid) or m.place
                m.reason = (m.reason + "; " if m.reason else "") + (
                    f"refreshed {self.stamp[:19]}Z from {answer.provider}")  # fmt: skip
                self.plan.mentions.append(m)
                self.moved[(m.doc_id, m.span_start, m.span_end)] = (m, answer)

    def follow_locations(self, store: EventStore) -> None:
        """Text events whose places moved: each entry of ``extra["locations"]`` follows
        its mention (events whose only change is there are written too)."""
        if not self.moved:
            return
        docs = {doc for doc, _, _ in self.moved}
        keys = {m.cache_key for doc in sorted(docs) for m in store.mentions(doc) if m.cache_key}
        planned = {e.event_id: e for e in self.plan.events}
        for stored in store.sources(geocode_keys=sorted(keys)):
            if stored.origin != "text" or stored.doc_id not in docs:
                continue
            event = planned.get(stored.event_id, stored)
            if _follow_mentions(event, self.moved) and event is stored:
                stored.extra.pop("group_id", None)
                self.plan.events.append(stored)


def _follow_mentions(event: Event, moved: dict[_Span, tuple[Mention, Answer]]) -> bool:
    """Put each of the event's further places where its mention now is; True when one moved."""
    changed = False
    for loc in event.extra.get("locations") or []:
        span = _span_of(event.doc_id, loc)
        found = moved.get(span) if span is not None else None
        if found is None:
            continue
        mention, answer = found
        loc["latitude"], loc["longitude"] = mention.latitude, mention.longitude
        if mention.geo_precision is not None:
            loc["geo_precision"] = min(mention.geo_precision, 3)
        loc["geonameid"] = answer.geonameid
        loc["feature"] = answer.feature or loc.get("feature", "")
        changed = True
    return changed


def _country_after_move(current: str, answer: Answer, latitude: float, longitude: float) -> str:
    """The country of a row moved onto ``answer``'s point.

    The answer's own country when it has one (a gazetteer place, a pin made
    with --country); else the row's country while the point stays inside it;
    else the country the point lies in ("" at sea: admin-1 then names it).
    """
    if answer.country:
        return answer.country
    if current:
        try:
            countries.check_in_country(latitude, longitude, current)
            return current
        except CoordinateError:
            pass
    found = countries.at(latitude, longitude)
    return found.name if found is not None else ""


def _apply_to_event(e: Event, move: Move, answer: Answer, stamp: str) -> None:
    """Put a source row on its new point; admin-1 is recomputed from it before writing."""
    e.extra["geocode_refresh"] = {
        "key": move.key, "provider": answer.provider, "at": stamp,
        "previous": [e.latitude, e.longitude, e.geo_precision],
        "previous_place": [e.country, e.admin1],
    }  # fmt: skip
    e.latitude, e.longitude = move.new_latitude, move.new_longitude
    e.geo_precision = move.new_precision
    e.geonameid = answer.geonameid
    e.country = _country_after_move(e.country, answer, e.latitude, e.longitude)
    provider = e.precision_source.split(":", 1)[0]
    if provider in ("gazetteer", "pin") or e.precision_source.startswith("online:"):
        e.precision_source = f"{answer.provider}:{answer.feature or 'point'}"
    e.admin1 = ""
    e.extra.pop("admin1_method", None)
