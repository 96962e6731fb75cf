"""Ingest event tables and articles into the event store.

Formats (``format="auto"`` guesses from the file name and header):

``acled``    ACLED-style CSV/XLSX: event_date, event_type, sub_event_type,
             actor1, actor2, admin1, location, latitude, longitude,
             geo_precision, fatalities, source, notes (+ any other ACLED column,
             kept in ``extra``).
``ucdp``     UCDP GED CSV/XLSX: date_start, date_end, best, low, high,
             deaths_civilians, where_prec, latitude, longitude, adm_1,
             where_coordinates, source_article (+ id, side_a, side_b, ...).
``gdelt``    GDELT event table: with a header (GLOBALEVENTID, SQLDATE, ...) or
             the raw tab-separated 58/61-column export files.
``csv``      any CSV/XLSX with a place-name column (``location``, ``place``,
             ``town`` ... or ``--location-column``); names are geocoded in one
             batch through the geocode cache and gazetteer.  Optional columns:
             date, type, deaths/fatalities, actor, source, notes, country, and
             latitude/longitude (used as given when present).
``extract``  ``geomap extract`` JSON / JSON-lines output.
``article``  article files (.txt, .html, .md): run through ``geomap.text.extract``.

One precision scale.  ``geo_precision`` keeps ACLED's 1-3 meaning (1 = the
town itself, 2 = near a town / a small area, 3 = a region, placed at its
admin-1 or a representative point); the original code is kept in
``precision_source`` ("acled:2", "ucdp:4", "gdelt:4", "gazetteer:city").
UCDP ``where_prec`` maps as::

    1 exact place                      -> 1
    2 within ~25 km of a known place   -> 2
    3 second-order admin area (admin-2)-> 2
    4 first-order admin area (admin-1) -> 3
    5 larger area / linear feature     -> 3
    6 country                          -> 3
    7 waters / airspace / unclear      -> 3

GDELT ``ActionGeo_Type`` 3/4 (city) -> 1, 2/5 (state, admin-1) -> 3, 1 (country) -> 3.

Deaths: ACLED fatalities -> deaths_low = deaths_best = deaths_high;
UCDP low/best/high as given; ``fatalities`` is always the best estimate.

A bad row never stops a batch: it is reported (file, line, reason) and
skipped.  A bad file (not UTF-8, empty, wrong format, missing column) is
reported and the other files are still ingested.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from geomap import countries
from geomap.errors import CoordinateError, GeomapError, InputError
from geomap.geo import check_coordinates
from geomap.ingest import acled, gdelt, ucdp
from geomap.ingest.progress import progress
from geomap.ingest.report import IngestReport, Rejected, Unresolved
from geomap.ingest.tables import FORMATS, Table, decode, detect_format, parse_rows, read_table
from geomap.ingest.values import Cells, Row, RowError
from geomap.model import EVENT_COLUMNS, Event, Mention, Place
from geomap.store import EventStore, dedupe, stable_event_id


class RowFormat(NamedTuple):
    """A table format whose every row is one located event."""

    label: str  # for messages ("UCDP GED")
    required: tuple[str, ...]  # columns it cannot do without
    to_event: Callable[[Row], Event]


ROW_FORMATS = {
    "acled": RowFormat(acled.LABEL, acled.REQUIRED, acled.acled_row),
    "ucdp": RowFormat(ucdp.LABEL, ucdp.REQUIRED, ucdp.ucdp_row),
    "gdelt": RowFormat(gdelt.LABEL, gdelt.REQUIRED, gdelt.gdelt_row),
}

LOCATION_COLUMNS = ("location", "place", "place_name", "placename", "locality", "town",
                    "city", "village", "site", "name", "where", "location_name")  # fmt: skip
DATE_COLUMNS = ("event_date", "date", "day", "date_start")
TYPE_COLUMNS = ("event_type", "type", "category", "incident_type")
DEATH_COLUMNS = ("deaths", "fatalities", "killed", "dead", "deaths_best", "best", "death_toll")
ACTOR_COLUMNS = ("actor1", "actor", "perpetrator", "attacker")
NOTE_COLUMNS = ("notes", "note", "description", "comment", "comments", "summary")


@dataclass
class _NameRow:
    line: int
    name: str
    country: str
    event: Event


def names_row(row: Row, loc_col: str, cols: dict[str, str | None], country: str):
    r = Cells(row)
    name = r.text(loc_col)
    if not name:
        raise RowError(f"empty {loc_col!r}")
    row_country = r.text(cols["country"])
    date = r.date(cols["date"])
    deaths = r.count(cols["deaths"])
    lat = lon = None
    lat_col, lon_col = cols["lat"], cols["lon"]
    if lat_col and lon_col and r.text(lat_col) and r.text(lon_col):
        lat, lon = r.coordinates(lat_col, lon_col, row_country)
    used = [loc_col, *(c for c in cols.values() if c)]
    event = Event(
        event_date=date,
        event_type=r.text(cols["type"]),
        actor1=r.text(cols["actor"]),
        actor2=r.text("actor2"),
        location=name,
        country=row_country,
        admin1=r.text("admin1"),
        fatalities=deaths or 0,
        deaths_low=deaths,
        deaths_best=deaths,
        deaths_high=deaths,
        source=r.text(cols["source"]),
        notes=r.text(cols["notes"]),
        source_url=r.text("source_url", "url"),
        origin="csv",
        latitude=lat,
        longitude=lon,
        coords_from_source=lat is not None,
        precision_source="csv:coordinates" if lat is not None else "",
        geo_precision=1 if lat is not None else None,
        extra=r.leftover(used + ["actor2", "admin1", "source_url", "url"]),
    )
    return name, row_country or country, event


# ---------------------------------------------------------------------------
# the pipeline


class _Ingest:
    def __init__(self, store, report, *, geocoder, country, location_column, date, progress):
        self.store: EventStore = store
        self.report: IngestReport = report
        self._geocoder = geocoder
        self.country = (country or "").strip().upper()
        self.location_column = location_column
        self.date = date
        self.progress = progress
        self._gazetteer: Any = None
        self._gaz_tried = False
        self._own_geocoder: Any = None

    # lazy resources
    def gazetteer(self) -> Any:
        if not self._gaz_tried:
            self._gaz_tried = True
            try:
                from geomap.gazetteer import Gazetteer

                self._gazetteer = Gazetteer.open_or_build()
            except (ImportError, GeomapError):
                self._gazetteer = None
        return self._gazetteer

    def geocoder(self) -> Any:
        if self._geocoder is None:
            try:
                from geomap.geocoding import GeocodeCache, Geocoder
            except ImportError as exc:
                raise InputError(
                    "Geocoding place names needs geomap.geocoding.geocoder and geomap.geocoding.cache, which are not "
                    f"available ({exc}). Fix: install the full geomap package."
                ) from exc
            self._own_geocoder = Geocoder(cache=GeocodeCache.open(), gazetteer=self.gazetteer())
            self._geocoder = self._own_geocoder
        return self._geocoder

    def country_name(self) -> str:
        if not self.country:
            return ""
        gaz = self.gazetteer()
        place = gaz.country(self.country) if gaz is not None else None
        return place.country if place is not None else ""

    # storing
    def store_events(self, events: list[Event]) -> None:
        if not events:
            return
        dedupe.assign_admin(events, gazetteer=self.gazetteer())
        self.report.stored += self.store.upsert_events(events)

    # per format
    def table(self, path: Path, fmt: str) -> None:
        table = read_table(path)
        if fmt in ("table", "auto", "xlsx"):
            fmt = detect_format(path, table.columns)
        self.report.formats[str(path)] = fmt
        row_format = ROW_FORMATS.get(fmt)
        if row_format is None:
            self.names_table(table)
            return
        table.require(row_format.required, row_format.label)
        self.report.rows_read += len(table.rows)
        events: list[Event] = []
        rows = parse_rows(
            table, row_format.to_event, self.report.rejected, show_progress=self.progress
        )
        for _, event in rows:
            events.append(event)
            if len(events) >= 5000:
                self.store_events(events)
                events = []
        self.store_events(events)

    def names_table(self, table: Table) -> None:
        path = table.path
        loc = self.location_column
        if loc:
            table.require((loc,), "names")
            loc = loc.lower()
        else:
            loc = table.pick(LOCATION_COLUMNS)
            if loc is None:
                raise InputError(
                    f"The file {str(path)!r} has no place-name column (looked for "
                    f"{', '.join(LOCATION_COLUMNS[:6])}, ...); its columns are: "
                    f"{', '.join(table.columns)}. Fix: pass --location-column NAME."
                )
        cols = {
            "date": table.pick(DATE_COLUMNS),
            "type": table.pick(TYPE_COLUMNS),
            "deaths": table.pick(DEATH_COLUMNS),
            "actor": table.pick(ACTOR_COLUMNS),
            "source": table.pick(("source", "sources", "publisher")),
            "notes": table.pick(NOTE_COLUMNS),
            "country": table.pick(("country", "country_code", "iso2")),
            "lat": table.pick(("latitude", "lat")),
            "lon": table.pick(("longitude", "lon", "lng", "long")),
        }
        self.report.rows_read += len(table.rows)
        parsed = [
            _NameRow(line, *values)
            for line, values in parse_rows(
                table, lambda row: names_row(row, loc, cols, self.country), self.report.rejected
            )
        ]
        todo = [p for p in parsed if p.event.latitude is None]
        default_country = self.country_name()
        # one batch per country hint: resolve_many takes a single country
        by_country: dict[str, list[_NameRow]] = {}
        for p in todo:
            by_country.setdefault(countries.iso2(p.country), []).append(p)
        results: dict[tuple[str, str], Any] = {}
        for cc, rows in by_country.items():
            names = sorted({p.name for p in rows})
            geocoder = self.geocoder()
            out = geocoder.resolve_many(
                progress(names, f"geocoding {path.name}", show=self.progress), country=cc or None
            )
            for name, res in zip(names, out, strict=False):
                results[(cc, name)] = res
        for p in parsed:
            e = p.event
            if e.latitude is None:
                res = results[(countries.iso2(p.country), p.name)]
                e.geocode_key = getattr(res, "key", "") or ""
                if res.place is None and res.latitude is None:
                    self.report.unresolved.append(Unresolved(str(path), p.line, p.name))
                    e.precision_source = "unresolved"
                else:
                    self.report.geocoded += 1
                    self.report.from_cache += 1 if res.from_cache else 0
                    _apply_geocode(e, res)
            if not e.country:
                e.country = default_country
        # Row identity: file name + place, date, type, actor (+ occurrence), so
        # re-ingesting an edited sheet updates its rows instead of adding new ones.
        seen: dict[str, int] = {}
        for p in parsed:
            e = p.event
            if e.event_id:
                continue
            key = "|".join(
                [path.name, p.name.lower(), e.event_date or "", e.event_type.lower(), e.actor1]
            )
            seen[key] = seen.get(key, 0) + 1
            digest = hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
            e.event_id = f"csv:{digest}"
        self.store_events([p.event for p in parsed])

    def extract_json(self, path: Path) -> None:
        self.report.formats[str(path)] = "extract"
        text = decode(path)
        try:
            if path.suffix.lower() in {".jsonl", ".ndjson"}:
                items = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                data = json.loads(text)
                items = data if isinstance(data, list) else [data]
        except json.JSONDecodeError as exc:
            raise InputError(
                f"The file {str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg}). "
                "Fix: pass the output of `geomap extract --format json`."
            ) from exc
        results = _extract_items(items, path)
        for doc, mentions, events in results:
            self._store_extracted(doc, mentions, events)

    def articles(self, paths: list[Path]) -> None:
        try:
            from geomap.text import extract_paths
        except ImportError as exc:
            self.report.errors.append(
                f"Ingesting articles needs geomap.text.extract, which is not available ({exc}). "
                "Fix: install the full geomap package, or ingest `geomap extract` JSON."
            )
            return
        for p in paths:
            self.report.formats[str(p)] = "article"
        kwargs: dict[str, Any] = {"date": self.date} if self.date else {}
        for result in extract_paths([str(p) for p in paths], **kwargs):
            if isinstance(result, GeomapError):
                self.report.errors.append(str(result))
                continue
            for err in getattr(result, "errors", []) or []:
                self.report.rejected.append(Rejected(result.article.path or "", 0, str(err)))
            self._store_extracted(result.article, result.mentions, result.events)

    def _store_extracted(self, doc: Any, mentions: list[Mention], events: list[Event]) -> None:
        if doc is not None:
            self.store.add_document(doc)
            self.report.documents += 1
        if mentions:
            self.report.mentions += self.store.add_mentions(mentions)
        self.report.rows_read += len(events)
        keyed: dict[tuple[int | None, int | None], str] = {}
        for m in mentions:
            if m.cache_key:
                keyed[(m.span_start, m.span_end)] = m.cache_key
        for e in events:
            e.origin = e.origin or "text"
            if not e.geocode_key and (e.span_start, e.span_end) in keyed:
                e.geocode_key = keyed[(e.span_start, e.span_end)]
            if e.latitude is not None and e.longitude is not None:
                try:
                    check_coordinates(e.latitude, e.longitude)
                except CoordinateError as exc:
                    self.report.rejected.append(Rejected(e.doc_id or "", 0, str(exc)))
                    continue
            if not e.event_id:
                e.event_id = stable_event_id(e)
        self.store_events([e for e in events if e.event_id])


def _apply_geocode(event: Event, res: Any) -> None:
    place: Place | None = res.place
    event.latitude = res.latitude if res.latitude is not None else place.latitude  # type: ignore[union-attr]
    event.longitude = res.longitude if res.longitude is not None else place.longitude  # type: ignore[union-attr]
    event.confidence = getattr(res, "confidence", None)
    provider = getattr(res, "provider", "") or "gazetteer"
    if place is not None:
        event.geonameid = place.geonameid
        event.country = event.country or place.country
        event.admin1 = event.admin1 or place.admin1
        event.geo_precision = 1 if place.feature == "city" else 3
        event.precision_source = f"{provider}:{place.feature}"
    else:
        event.geo_precision = 1
        event.precision_source = f"{provider}:point"


def _place_from(value: Any) -> Place | None:
    if isinstance(value, Place) or value is None:
        return value
    if isinstance(value, dict):
        try:
            return Place(**{k: value[k] for k in Place.__slots__ if k in value})  # type: ignore[attr-defined]
        except TypeError:
            return None
    return None


def _extract_items(items: list[Any], path: Path) -> list[tuple[Any, list[Mention], list[Event]]]:
    """Parse `geomap extract` JSON: results with article/mentions/events, or bare events."""
    out: list[tuple[Any, list[Mention], list[Event]]] = []
    bare: list[Event] = []
    mention_fields = set(Mention.__slots__)  # type: ignore[attr-defined]
    for item in items:
        if not isinstance(item, dict):
            raise InputError(
                f"The file {str(path)!r} does not look like geomap extract output "
                f"(found a {type(item).__name__}). Fix: pass --format csv/acled/ucdp for tables."
            )
        if isinstance(item.get("documents"), list):  # `geomap extract --format json`
            for d in item["documents"]:
                if isinstance(d, dict):
                    skip = ("mentions", "events", "errors")
                    fields = {k: v for k, v in d.items() if k not in skip}
                    out.extend(_extract_items([{**d, "article": fields}], path))
            continue
        if "events" in item or "mentions" in item:
            doc: Any = item.get("article") or item.get("document")
            if isinstance(doc, dict) and not doc.get("doc_id"):
                doc = None
            mentions = []
            for m in item.get("mentions") or []:
                data = {k: v for k, v in m.items() if k in mention_fields}
                data["place"] = _place_from(m.get("place"))
                try:
                    mentions.append(Mention(**data))
                except TypeError:
                    continue
            events = [_event_from(e) for e in item.get("events") or []]
            out.append((doc, mentions, events))
        elif any(k in item for k in EVENT_COLUMNS):
            bare.append(_event_from(item))
        elif "features" in item:  # a GeoJSON FeatureCollection of events
            for f in item["features"]:
                bare.append(_event_from(dict(f.get("properties") or {})))
        else:
            raise InputError(
                f"The file {str(path)!r} does not look like geomap extract output (keys: "
                f"{', '.join(list(item)[:8])}). Fix: pass the JSON written by `geomap extract`."
            )
    if bare:
        out.append((None, [], bare))
    return out


def _event_from(record: dict[str, Any]) -> Event:
    record = dict(record)
    extra = record.pop("extra", None) or {}
    event = Event.from_record(record)
    event.extra.update(extra)
    if event.fatalities is None:
        event.fatalities = 0
    return event


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    store: EventStore | str | Path | None = None,
    format: str = "auto",
    location_column: str | None = None,
    country: str | None = None,
    geocoder: Any = None,
    date: str | None = None,
    progress: bool | None = None,
) -> IngestReport:
    """Ingest tables, extract output and articles into the store; never dies on one bad row."""
    fmt = (format or "auto").lower()
    if fmt not in FORMATS:
        raise InputError(
            f"Unknown ingest format, instead got: {format!r}. Fix: use one of {', '.join(FORMATS)}."
        )
    if country and not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        raise InputError(
            f"--country must be an ISO 3166-1 alpha-2 code, instead got: {country!r}. "
            "Fix: pass e.g. SY."
        )
    own = not isinstance(store, EventStore)
    st = store if isinstance(store, EventStore) else EventStore.open(store)
    report = IngestReport()
    job = _Ingest(
        st, report, geocoder=geocoder, country=country, location_column=location_column,
        date=date, progress=progress,
    )  # fmt: skip
    try:
        articles: list[Path] = []
        for raw in paths:
            path = Path(raw)
            report.files.append(str(path))
            try:
                if not path.exists():
                    raise InputError(f"No such file: {str(path)!r}. Fix: check the path.")
                if path.is_dir():
                    raise InputError(
                        f"{str(path)!r} is a directory. Fix: pass the files inside it."
                    )
                kind = fmt if fmt != "auto" else detect_format(path)
                if kind == "article":
                    articles.append(path)
                elif kind == "extract":
                    job.extract_json(path)
                else:
                    job.table(path, kind)
            except InputError as exc:
                report.errors.append(str(exc))
        if articles:
            job.articles(articles)
        report.events_in_store = st.count()
        report.sources_in_store = st.count_sources()
    finally:
        if own:
            st.close()
        if job._own_geocoder is not None:
            job._own_geocoder.close()
            if job._own_geocoder.cache is not None:
                job._own_geocoder.cache.close()
        if job._gazetteer is not None:
            job._gazetteer.close()
    return report
