"""Typed values that flow through geomap: places, mentions, casualties, events.

Data flows one way: text or table -> places and events -> store -> query or map.
Every value carries its provenance (document, character span, the gazetteer
entry or provider that resolved it, and how confident that was).

Latitude and longitude are always spelled out by name; shapely's (lon, lat)
order is used only at the geometry boundary.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from geomap.errors import InputError, quote
from geomap.taxonomy import type_class

if TYPE_CHECKING:
    from typing_extensions import Unpack

FeatureLevel = Literal["country", "admin1", "admin2", "city", "continent"]

#: ACLED-style geo precision: 1 = the town itself, 2 = near / part of a region,
#: 3 = a whole region (placed at the admin-1).  UCDP's where_prec 1-7 maps onto
#: this scale (see geomap.ingestion.pipeline); the original code is kept in ``precision_source``.
GeoPrecision = Literal[1, 2, 3]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry (a GeoNames feature)."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature: FeatureLevel
    country_code: str  # ISO 3166-1 alpha-2, "" when unknown
    country: str  # English short name, e.g. "Syria"
    admin1_code: str  # GeoNames admin1 code within the country, e.g. "11"
    admin1: str  # English admin-1 name, e.g. "Homs"
    population: int = 0


@dataclass(frozen=True, slots=True)
class Casualties:
    """A reported figure as a range.  ``None`` means unknown, not zero.

    "at least 33" -> low=33, best=33, high=None; "more than 250,000" ->
    low=250001, best=250001, high=None; "dozens" -> low=24, best=36, high=None.
    """

    low: int | None = None
    best: int | None = None
    high: int | None = None
    qualifier: str = ""  # "exact", "at least", "more than", "about", "up to", "vague"
    text: str = ""  # the phrase it came from


@dataclass(slots=True)
class Mention:
    """A toponym found in a document, resolved or not."""

    doc_id: str
    text: str
    span_start: int
    span_end: int
    place: Place | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    confidence: float = 0.0
    role: Literal["event", "mentioned"] = "mentioned"
    reason: str = ""  # why it is unresolved, or how it was resolved
    cache_key: str = ""  # geocode cache key (normalised name + hints) that resolved it

    @property
    def resolved(self) -> bool:
        return self.place is not None or self.latitude is not None


@dataclass(slots=True)
class Article:
    """One article; ``text`` is what every offset refers to."""

    doc_id: str
    title: str
    text: str
    date: str | None = None  # ISO YYYY-MM-DD or None (unknown)
    source: str = ""  # publisher, e.g. "CBC News"
    url: str = ""
    path: str = ""
    date_basis: str = ""  # "argument", "front matter", "html metadata", "file name" or ""
    format: str = "text"  # "text" or "html"
    meta: dict[str, str] = field(default_factory=dict)  # other front-matter keys


#: Columns of the one event schema, in output order.  ACLED-compatible names
#: first, then UCDP-style deaths, then provenance.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "source",
    "notes",
    "deaths_low",
    "deaths_best",
    "deaths_high",
    "deaths_civilians",
    "injured_low",
    "injured_best",
    "injured_high",
    "civilians",
    "children",
    "is_context",
    "origin",
    "doc_id",
    "source_url",
    "geonameid",
    "confidence",
    "quote",
    "span_start",
    "span_end",
    "precision_source",
    "geocode_key",
    "coords_from_source",
)


@dataclass(slots=True)
class Event:
    """One located event in the shared schema (see :data:`EVENT_COLUMNS`).

    ``event_date`` is an ISO ``YYYY-MM-DD`` string or ``None`` when unknown
    (never today's date by default).  ``fatalities`` mirrors ACLED: the best
    estimate, 0 when unknown.  ``deaths_*`` keep the range and use ``None``
    for unknown.  ``is_context`` marks cumulative or background figures ("the
    war has killed more than 250,000") that are not a new event.
    ``geocode_key`` names the geocode-cache entry that placed the event, so a
    refreshed geocode can be traced to the events it moves;
    ``coords_from_source`` is true when the input carried its own coordinates
    (ACLED/UCDP rows), which a refresh must never move.
    """

    event_id: str = ""
    event_date: str | None = None
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    source: str = ""
    notes: str = ""
    deaths_low: int | None = None
    deaths_best: int | None = None
    deaths_high: int | None = None
    deaths_civilians: int | None = None
    injured_low: int | None = None
    injured_best: int | None = None
    injured_high: int | None = None
    civilians: bool = False
    children: bool = False
    is_context: bool = False
    origin: str = ""  # "text", "acled", "ucdp", "gdelt", "csv"
    doc_id: str = ""
    source_url: str = ""
    geonameid: int | None = None
    confidence: float | None = None
    quote: str = ""
    span_start: int | None = None
    span_end: int | None = None
    precision_source: str = ""  # e.g. "acled:2", "ucdp:4", "text:near"
    geocode_key: str = ""
    coords_from_source: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # anything else worth keeping

    def to_record(self) -> dict[str, Any]:
        """A flat dict in :data:`EVENT_COLUMNS` order (``extra`` left out)."""
        return {name: getattr(self, name) for name in EVENT_COLUMNS}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Event:
        """Build an event from a dict; unknown keys go to ``extra``."""
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        known = {k: v for k, v in record.items() if k in names}
        extra = {k: v for k, v in record.items() if k not in names}
        return cls(**known, extra=extra)


def _iso(value: object, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if len(text) == width:
            return text
    raise InputError(
        f"{name} must be a date like 2015-10-01 (or 2015-10, 2015), instead got: {quote(value)}. "
        f"Fix: pass --{name.replace('_', '-')} YYYY-MM-DD."
    )


class FilterOptions(TypedDict, total=False):
    """The conditions of an :class:`EventFilter`, as keyword options."""

    since: str | None
    until: str | None
    event_type: str | None
    actor: str | None
    min_fatalities: int | None
    limit: int | None


@dataclass
class EventFilter:
    """Which events to keep: one filter for ``near``, ``export`` and ``map``.

    ``since``/``until`` are inclusive ISO dates (a month or year means all of
    it); ``event_type`` matches event_type, sub_event_type or the type class
    ("airstrike", see :func:`geomap.taxonomy.type_class`); ``actor`` is a
    case-insensitive substring of actor1/actor2; ``min_fatalities`` compares
    the best estimate; ``limit`` keeps the first N.

    :meth:`matches` tests one event in Python and :meth:`sql` writes the same
    test as SQL for the store, so a filter means the same wherever the events
    are.
    """

    since: str | None = None
    until: str | None = None
    event_type: str | None = None
    actor: str | None = None
    min_fatalities: int | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        self.since = _iso(self.since, "since")
        until = _iso(self.until, "until")
        if until is not None and len(until) < 10:  # "2015-10" -> through the month's end
            until = until + ("-12-31" if len(until) == 4 else "-31")
        self.until = until
        if self.since and self.until and self.since > self.until:
            raise InputError(
                f"since ({self.since}) is after until ({self.until}). Fix: swap the two dates."
            )
        for name in ("min_fatalities", "limit"):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if number < 0 or str(value).strip() not in (str(number), f"{number}.0"):
                raise InputError(
                    f"{name} must be a whole number >= 0, instead got: {quote(value)}. "
                    f"Fix: pass e.g. --{name.replace('_', '-')} 10."
                )
            setattr(self, name, number)

    @classmethod
    def of(
        cls, flt: EventFilter | None = None, **options: Unpack[FilterOptions]
    ) -> EventFilter | None:
        """``flt``, or a filter made of the keyword options (None when neither is given).

        Raises :class:`~geomap.errors.InputError` when both are given.
        """
        given = sorted(k for k, v in options.items() if v is not None)
        if flt is not None and given:
            raise InputError(
                f"Pass either flt= or filter options, instead got both (options: "
                f"{', '.join(given)}). Fix: put the options in the EventFilter."
            )
        return cls(**options) if given else flt

    def matches(self, event: Event) -> bool:
        """Whether ``event`` passes every condition (``limit`` aside)."""
        date = event.event_date or ""
        if self.since and (not date or date < self.since):
            return False
        if self.until and (not date or date > self.until):
            return False
        if self.event_type:
            wanted = self.event_type.strip().lower()
            etype, sub = event.event_type.lower(), event.sub_event_type.lower()
            if not (
                wanted == etype
                or wanted == sub
                or type_class(event.event_type, event.sub_event_type) == type_class(wanted)
                or wanted in etype
                or wanted in sub
            ):
                return False
        if self.actor:
            actor = self.actor.strip().lower()
            if actor not in event.actor1.lower() and actor not in event.actor2.lower():
                return False
        if self.min_fatalities is not None:
            best = event.deaths_best if event.deaths_best is not None else event.fatalities
            if (best or 0) < self.min_fatalities:
                return False
        return True

    def apply(self, events: Iterable[Event]) -> list[Event]:
        """The events that match, at most ``limit`` of them, in their given order."""
        kept = [e for e in events if self.matches(e)]
        return kept if self.limit is None else kept[: self.limit]

    def sql(self, alias: str = "e") -> tuple[str, list[Any]]:
        """A WHERE fragment (without ``WHERE``; "" when no condition) and its parameters,
        for an events table with a ``type_class`` column; ``limit`` is left to the caller."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(f"{alias}.event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{alias}.event_date <= ?")
            params.append(self.until)
        if self.event_type:
            t = self.event_type.strip().lower()
            clauses.append(
                f"(lower({alias}.event_type) = ? OR lower({alias}.sub_event_type) = ? "
                f"OR {alias}.type_class = ? OR instr(lower({alias}.event_type), ?) > 0 "
                f"OR instr(lower({alias}.sub_event_type), ?) > 0)"
            )
            params += [t, t, type_class(t), t, t]
        if self.actor:
            a = self.actor.strip().lower()
            clauses.append(
                f"(instr(lower({alias}.actor1), ?) > 0 OR instr(lower({alias}.actor2), ?) > 0)"
            )
            params += [a, a]
        if self.min_fatalities is not None:
            clauses.append(f"COALESCE({alias}.deaths_best, {alias}.fatalities, 0) >= ?")
            params.append(self.min_fatalities)
        return " AND ".join(clauses), params


@dataclass(slots=True)
class ExtractResult:
    """What one article gave: its mentions and events (and what went wrong, as text).

    ``article`` is None for events read back without their document (bare
    event records, a GeoJSON FeatureCollection).
    """

    article: Article | None
    mentions: list[Mention]
    events: list[Event]
    errors: list[str] = field(default_factory=list)
