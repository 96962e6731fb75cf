"""Tables whose rows name a place instead of giving its coordinates.

The place-name column is ``location``, ``place``, ``town`` ... or the one
given; optional columns are date, type (free text such as "air strike" or
"barrel bomb", put onto ACLED's taxonomy, the original kept in
``extra["original_type"]``), sub_event_type, deaths/fatalities, actor,
source, notes, country, and latitude/longitude (used as given when
present).  The
names are geocoded in one batch per country through the geocode cache and
gazetteer; a name nothing can place is reported and its row is still stored,
without coordinates, so that a later pin can place it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geomap import countries
from geomap.errors import InputError
from geomap.formats.limits import listing
from geomap.ingestion.progress import progress
from geomap.ingestion.report import IngestReport, Unresolved
from geomap.ingestion.tables import Table, parse_rows
from geomap.ingestion.values import Cells, Row, RowError, normalise_type
from geomap.model import Event

if TYPE_CHECKING:
    from geomap.geocoding import Geocoder, GeocodeResult

LOCATION_COLUMNS = ("location", "place", "place_name", "placename", "locality", "town",
                    "city", "village", "site", "name", "where", "location_name")  # fmt: skip
DATE_COLUMNS = ("event_date", "date", "day", "date_start")
TYPE_COLUMNS = ("event_type", "type", "category", "incident_type")
DEATH_COLUMNS = ("deaths", "fatalities", "killed", "dead", "deaths_best", "best", "death_toll")
ACTOR_COLUMNS = ("actor1", "actor", "perpetrator", "attacker")
SOURCE_COLUMNS = ("source", "sources", "publisher")
NOTE_COLUMNS = ("notes", "note", "description", "comment", "comments", "summary")
COUNTRY_COLUMNS = ("country", "country_code", "iso2")
LATITUDE_COLUMNS = ("latitude", "lat")
LONGITUDE_COLUMNS = ("longitude", "lon", "lng", "long")
#: Columns read by name whatever the table calls its others.
_FIXED = ["actor2", "admin1", "source_url", "url", "sub_event_type"]


@dataclass(frozen=True, slots=True)
class NameColumns:
    """Which (lower-case) column holds what; None when the table has no such column."""

    location: str
    date: str | None = None
    type: str | None = None
    deaths: str | None = None
    actor: str | None = None
    source: str | None = None
    notes: str | None = None
    country: str | None = None
    lat: str | None = None
    lon: str | None = None

    @classmethod
    def find(cls, table: Table, location_column: str | None = None) -> NameColumns:
        """The columns of ``table``; ``location_column`` names the place column when given."""
        if location_column:
            table.require((location_column,), "names")
            location: str | None = location_column.lower()
        else:
            location = table.pick(LOCATION_COLUMNS)
        if location is None:
            raise InputError(
                f"The file {str(table.path)!r} has no place-name column (looked for "
                f"{', '.join(LOCATION_COLUMNS[:6])}, ...); its columns are: "
                f"{listing(table.columns)}. Fix: pass --location-column NAME."
            )
        return cls(
            location=location,
            date=table.pick(DATE_COLUMNS),
            type=table.pick(TYPE_COLUMNS),
            deaths=table.pick(DEATH_COLUMNS),
            actor=table.pick(ACTOR_COLUMNS),
            source=table.pick(SOURCE_COLUMNS),
            notes=table.pick(NOTE_COLUMNS),
            country=table.pick(COUNTRY_COLUMNS),
            lat=table.pick(LATITUDE_COLUMNS),
            lon=table.pick(LONGITUDE_COLUMNS),
        )

    def used(self) -> list[str]:
        """Every column read into an event field (the others go to ``extra``)."""
        optional = (self.date, self.type, self.deaths, self.actor, self.source, self.notes,
                    self.country, self.lat, self.lon)  # fmt: skip
        return [self.location, *(c for c in optional if c), *_FIXED]


@dataclass(slots=True)
class NameRow:
    """One row: the place name, the country to geocode it in, and its event."""

    line: int
    name: str
    country: str
    event: Event


def name_row(row: Row, columns: NameColumns, country: str) -> tuple[str, str, Event]:
    """(place name, country to geocode it in, event) of one row; the event is located
    only when the row gives coordinates."""
    r = Cells(row)
    name = r.text(columns.location)
    if not name:
        raise RowError(f"empty {columns.location!r}")
    row_country = r.text(columns.country)
    date = r.date(columns.date)
    deaths = r.count(columns.deaths)
    lat = lon = None
    if columns.lat and columns.lon and r.text(columns.lat) and r.text(columns.lon):
        lat, lon = r.coordinates(columns.lat, columns.lon, row_country)
    event = Event(
        event_date=date,
        event_type=r.text(columns.type),
        sub_event_type=r.text("sub_event_type"),
        actor1=r.text(columns.actor),
        actor2=r.text("actor2"),
        location=name,
        country=row_country,
        admin1=r.text("admin1"),
        fatalities=deaths or 0,
        deaths_low=deaths,
        deaths_best=deaths,
        deaths_high=deaths,
        source=r.text(columns.source),
        notes=r.text(columns.notes),
        source_url=r.text("source_url", "url"),
        origin="csv",
        latitude=lat,
        longitude=lon,
        coords_from_source=lat is not None,
        precision_source="csv:coordinates" if lat is not None else "",
        geo_precision=1 if lat is not None else None,
        extra=r.leftover(columns.used()),
    )
    normalise_type(event)
    return name, row_country or country, event


def geocode_rows(
    rows: list[NameRow], geocoder: Geocoder, *, desc: str = "", show_progress: bool | None = None
) -> dict[tuple[str, str], GeocodeResult]:
    """The geocoder's answer for each (ISO-2 country, name) of the rows without coordinates:
    each distinct name once, in one batch per country (a batch takes a single country)."""
    by_country: dict[str, set[str]] = {}
    for row in rows:
        if row.event.latitude is None:
            by_country.setdefault(countries.iso2(row.country), set()).add(row.name)
    results: dict[tuple[str, str], GeocodeResult] = {}
    for code, names in by_country.items():
        batch = sorted(names)
        answers = geocoder.resolve_many(
            progress(batch, desc, show=show_progress), country=code or None
        )
        results.update(zip(((code, name) for name in batch), answers, strict=False))
    return results


def apply_geocode(event: Event, result: GeocodeResult) -> None:
    """Put the geocoder's place (or bare point) on ``event``, with its precision and source."""
    place = result.place
    provider = result.provider or "gazetteer"
    event.confidence = result.confidence
    if place is None:
        event.latitude, event.longitude = result.latitude, result.longitude
        event.geo_precision = 1
        event.precision_source = f"{provider}:point"
        return
    event.latitude = result.latitude if result.latitude is not None else place.latitude
    event.longitude = result.longitude if result.longitude is not None else place.longitude
    event.geonameid = place.geonameid
    event.country = event.country or place.country
    event.admin1 = event.admin1 or place.admin1
    event.geo_precision = 1 if place.feature == "city" else 3
    event.precision_source = f"{provider}:{place.feature}"


def place_rows(
    rows: list[NameRow],
    results: dict[tuple[str, str], GeocodeResult],
    report: IngestReport,
    path: str,
) -> None:
    """Locate the rows from the geocoder's answers; count the placed ones and report the rest."""
    for row in rows:
        event = row.event
        if event.latitude is not None:
            continue
        result = results[(countries.iso2(row.country), row.name)]
        event.geocode_key = result.key
        if result.place is None and result.latitude is None:
            report.unresolved.append(Unresolved(path, row.line, row.name))
            event.precision_source = "unresolved"
        else:
            report.geocoded += 1
            report.from_cache += 1 if result.from_cache else 0
            apply_geocode(event, result)


def assign_ids(rows: list[NameRow], file_name: str) -> None:
    """Name each row by file name + place, date, type as written and actor (+ its
    occurrence), so that re-ingesting an edited sheet meets its rows again (and updates
    them with ``--replace``) instead of adding new ones."""
    seen: dict[str, int] = {}
    for row in rows:
        e = row.event
        written = str(e.extra.get("original_type") or e.event_type)
        key = "|".join([file_name, row.name.lower(), e.event_date or "", written.lower(), e.actor1])
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
        e.event_id = f"csv:{digest}"


def names_events(
    table: Table,
    report: IngestReport,
    *,
    geocoder: Callable[[], Geocoder],
    country: str,
    country_name: Callable[[], str],
    location_column: str | None = None,
    show_progress: bool | None = None,
) -> list[tuple[int, Event]]:
    """The events of a names table with their lines, geocoded; bad rows, unplaced names
    and types outside ACLED's taxonomy go to ``report``.

    ``country`` (ISO-2) is where names of rows without a country are looked
    for, and ``country_name()`` the country such rows get when geocoding gave
    none.  ``geocoder()`` is called only when some row needs geocoding.
    """
    columns = NameColumns.find(table, location_column)
    report.rows_read += len(table.rows)

    def parse(row: Row) -> tuple[str, str, Event]:
        return name_row(row, columns, country)

    rows = [NameRow(line, *parsed) for line, parsed in parse_rows(table, parse, report.rejected)]
    if any(row.event.latitude is None for row in rows):
        results = geocode_rows(
            rows, geocoder(), desc=f"geocoding {table.path.name}", show_progress=show_progress
        )
        place_rows(rows, results, report, str(table.path))
    if any(not row.event.country for row in rows):
        default = country_name()
        for row in rows:
            row.event.country = row.event.country or default
    assign_ids(rows, table.path.name)
    for row in rows:
        if row.event.event_type == "Other" and "original_type" in row.event.extra:
            report.unknown_types[str(row.event.extra["original_type"])] += 1
    return [(row.line, row.event) for row in rows]
