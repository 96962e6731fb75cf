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

import csv
import hashlib
import io
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap import countries, dates
from geomap.errors import CoordinateError, GeomapError, InputError
from geomap.geo import check_coordinates
from geomap.model import EVENT_COLUMNS, Event, Mention, Place
from geomap.store import EventStore, dedupe, stable_event_id

FORMATS = ("auto", "acled", "ucdp", "gdelt", "csv", "xlsx", "extract", "article")
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip"}
ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}

UCDP_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
GDELT_PRECISION = {1: 3, 2: 3, 3: 1, 4: 1, 5: 3}
UCDP_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}
GDELT_ROOT = {
    "14": "Protest",
    "15": "Exhibit force posture",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
GDELT_CODE = {
    "183": "Suicide, car, or other non-military bombing",
    "190": "Use conventional military force",
    "193": "Fight with small arms and light weapons",
    "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons (air strike)",
    "202": "Engage in mass killings",
}

_GDELT_ACTOR = [
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
]  # fmt: skip


def _gdelt_columns(adm2: bool) -> list[str]:
    geo = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else [])
    geo += ["Lat", "Long", "FeatureID"]
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"Actor1{c}" for c in _GDELT_ACTOR] + [f"Actor2{c}" for c in _GDELT_ACTOR]
    cols += ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
             "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]  # fmt: skip
    for who in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        cols += [who + g for g in geo]
    return cols + ["DATEADDED", "SOURCEURL"]


GDELT_V2_COLUMNS = _gdelt_columns(adm2=True)  # 61
GDELT_V1_COLUMNS = _gdelt_columns(adm2=False)  # 58

LOCATION_COLUMNS = ("location", "place", "place_name", "placename", "locality", "town",
                    "city", "village", "site", "name", "where", "location_name")  # fmt: skip
DATE_COLUMNS = ("event_date", "date", "day", "date_start")
TYPE_COLUMNS = ("event_type", "type", "category", "incident_type")
DEATH_COLUMNS = ("deaths", "fatalities", "killed", "dead", "deaths_best", "best", "death_toll")
ACTOR_COLUMNS = ("actor1", "actor", "perpetrator", "attacker")
NOTE_COLUMNS = ("notes", "note", "description", "comment", "comments", "summary")


@dataclass(slots=True)
class Rejected:
    """A row that was skipped, and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(slots=True)
class Unresolved:
    path: str
    line: int
    name: str


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    stored: int = 0
    geocoded: int = 0
    from_cache: int = 0
    documents: int = 0
    mentions: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events_in_store: int = 0
    sources_in_store: int = 0

    def summary(self) -> str:
        lines = [
            f"files: {len(self.files)} ("
            + ", ".join(f"{Path(p).name}: {f}" for p, f in self.formats.items())
            + ")",
            f"rows read: {self.rows_read}",
            f"stored: {self.stored} source rows"
            + (f", {self.documents} documents, {self.mentions} mentions" if self.documents else ""),
            f"geocoded: {self.geocoded} (from cache: {self.from_cache})",
            f"unresolved: {len(self.unresolved)}"
            + (
                " (" + ", ".join(sorted({u.name for u in self.unresolved})) + ")"
                if self.unresolved
                else ""
            ),
            f"rejected: {len(self.rejected)}",
        ]
        lines += [f"  {r}" for r in self.rejected]
        lines.append(
            f"store: {self.events_in_store} events from {self.sources_in_store} source rows"
        )
        return "\n".join(lines)


class RowError(ValueError):
    """A single row cannot be used (reported and skipped)."""


# ---------------------------------------------------------------------------
# values

def parse_date(value: Any, column: str) -> str | None:
    """ISO date from common table spellings; None when empty."""
    try:
        return dates.parse_date(value)
    except ValueError:
        raise RowError(
            f"unparseable date in column {column!r}: {str(value).strip()!r}"
            " (use YYYY-MM-DD or '30 September 2015')"
        ) from None


def parse_number(value: Any, column: str, *, integer: bool = False, minimum: float | None = None):
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")  # thousands separators
        if not text or text.lower() in {"na", "n/a", "nan", "null", "none", "-"}:
            return None
        if integer and re.fullmatch(r"-?\d+", text.replace(".", "", 1)) is None:
            raise RowError(f"unparseable number in column {column!r}: {str(value)!r}")
        try:
            number = float(text)
        except ValueError as exc:
            raise RowError(f"unparseable number in column {column!r}: {str(value)!r}") from exc
    if not math.isfinite(number):
        raise RowError(f"unparseable number in column {column!r}: {str(value)!r}")
    if minimum is not None and number < minimum:
        raise RowError(f"negative value in column {column!r}: {str(value)!r}")
    if integer:
        if number != int(number):
            raise RowError(f"expected a whole number in column {column!r}: {str(value)!r}")
        return int(number)
    return number


# ---------------------------------------------------------------------------
# reading files


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read {str(path)!r}: {exc.strerror}. Fix: check the path."
        ) from exc
    if not data.strip():
        raise InputError(
            f"The file {str(path)!r} is empty. Fix: pass a file with a header and rows."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The file {str(path)!r} is not UTF-8 (bad byte at offset {exc.start}). "
            "Fix: re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)."
        ) from exc


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (line number, row)


def read_table(path: Path) -> Table:
    """A CSV/TSV or XLSX file as (line number, {column: value}) rows."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    text = _decode(path)
    if text.startswith(("PK\x03\x04", "{", "[")):
        raise InputError(
            f"The file {str(path)!r} is not a CSV table (it looks like "
            f"{'a zip/xlsx archive' if text.startswith('PK') else 'JSON'}). "
            "Fix: pass --format extract for geomap extract output, or save the sheet as CSV/XLSX."
        )
    first = text.splitlines()[0]
    delimiter = max(",\t;|", key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a file with rows.") from exc
    gdelt = None
    if delimiter == "\t" and len(header) in (58, 61) and re.fullmatch(r"\d+", header[0].strip()):
        gdelt = GDELT_V2_COLUMNS if len(header) == 61 else GDELT_V1_COLUMNS
    rows: list[tuple[int, dict[str, Any]]] = []
    if gdelt is not None:
        columns = gdelt
        rows.append((1, dict(zip(columns, header, strict=False))))
    else:
        columns = [h.strip() for h in header]
    try:
        for record in reader:
            if not any(v.strip() for v in record):
                continue
            rows.append((reader.line_num, dict(zip(columns, record, strict=False))))
    except csv.Error as exc:
        raise InputError(
            f"The file {str(path)!r} is not valid CSV near line {reader.line_num}: {exc}. "
            "Fix: check quoting in that line."
        ) from exc
    return Table(path, columns, rows)


def _read_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError as exc:
        raise InputError(
            f"Reading {str(path)!r} needs openpyxl. Fix: pip install 'geomap[xlsx]'"
        ) from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException variants
        raise InputError(
            f"The file {str(path)!r} is not a readable XLSX workbook ({type(exc).__name__}). "
            "Fix: open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    header = next(it, None)
    if header is None or not any(h is not None for h in header):
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a sheet with a header row.")
    columns = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
    rows = []
    for n, values in enumerate(it, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((n, {c: v for c, v in zip(columns, values, strict=False)}))
    book.close()
    return Table(path, columns, rows)


def detect_format(path: Path, columns: Sequence[str] | None = None) -> str:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "extract"
    if columns is None:
        if suffix in {".html", ".htm", ".md", ".text"}:
            return "article"
        if suffix in {".csv", ".tsv", ".xlsx", ".xlsm"}:
            return "table"
        if suffix == ".txt":
            text = _decode(path)
            first = text.splitlines()[0]
            if first.count(",") >= 3 or first.count("\t") >= 3:
                return "table"
            return "article"
        raise InputError(
            f"Cannot tell the format of {str(path)!r} from its name. "
            f"Fix: pass --format (one of {', '.join(FORMATS[1:])})."
        )
    lower = {c.lower() for c in columns}
    if {"globaleventid", "sqldate"} <= lower:
        return "gdelt"
    if "date_start" in lower and ("where_prec" in lower or "best" in lower):
        return "ucdp"
    if (
        "event_date" in lower
        and "latitude" in lower
        and ("fatalities" in lower or "geo_precision" in lower)
    ):
        return "acled"
    return "csv"


def _missing(table: Table, needed: Iterable[str], fmt: str) -> None:
    lower = {c.lower() for c in table.columns}
    missing = [c for c in needed if c.lower() not in lower]
    if missing:
        raise InputError(
            f"The {fmt} file {str(table.path)!r} has no column {', '.join(map(repr, missing))}; "
            f"its columns are: {', '.join(table.columns)}. "
            f"Fix: rename the column, or pass the right --format."
        )


def _lower_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k is None:
            continue
        out[str(k).strip().lower()] = v.strip() if isinstance(v, str) else v
    return out


def _s(row: dict[str, Any], *names: str) -> str:
    for n in names:
        v = row.get(n)
        if v is not None and str(v).strip():
            return str(v).strip()
    return ""


def _extra(row: dict[str, Any], used: Iterable[str]) -> dict[str, Any]:
    skip = set(used)
    return {k: v for k, v in row.items() if k not in skip and v not in (None, "")}


def _coords(row: dict[str, Any], lat_col: str, lon_col: str, country: str) -> tuple[float, float]:
    lat = parse_number(row.get(lat_col), lat_col)
    lon = parse_number(row.get(lon_col), lon_col)
    if lat is None or lon is None:
        raise RowError(f"missing {lat_col}/{lon_col}")
    try:
        check_coordinates(lat, lon)
        countries.check_in_country(lat, lon, country)
    except CoordinateError as exc:
        raise RowError(str(exc)) from exc
    return lat, lon


# ---------------------------------------------------------------------------
# row mappers


def acled_row(row: dict[str, Any]) -> Event:
    r = _lower_row(row)
    country = _s(r, "country")
    lat, lon = _coords(r, "latitude", "longitude", country)
    date = parse_date(r.get("event_date"), "event_date")
    if date is None:
        raise RowError("empty event_date")
    gp = parse_number(r.get("geo_precision"), "geo_precision", integer=True)
    if gp is not None and gp not in (1, 2, 3):
        raise RowError(f"geo_precision must be 1, 2 or 3: {r.get('geo_precision')!r}")
    fat = parse_number(r.get("fatalities"), "fatalities", integer=True, minimum=0)
    tp = parse_number(r.get("time_precision"), "time_precision", integer=True)
    ident = _s(r, "event_id_cnty", "data_id", "event_id")
    used = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
            "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities",
            "source", "notes", "event_id_cnty", "data_id", "event_id",
            "time_precision"]  # fmt: skip
    extra = _extra(r, used)
    if tp:
        extra["time_precision"] = tp
    if ident:
        extra["acled_id"] = ident
    civ = "civilian" in _s(r, "civilian_targeting").lower()
    event = Event(
        event_id=f"acled:{ident}" if ident else "",
        event_date=date,
        event_type=_s(r, "event_type"),
        sub_event_type=_s(r, "sub_event_type"),
        actor1=_s(r, "actor1"),
        actor2=_s(r, "actor2"),
        country=country,
        admin1=_s(r, "admin1"),
        admin2=_s(r, "admin2"),
        location=_s(r, "location"),
        latitude=lat,
        longitude=lon,
        geo_precision=gp,
        fatalities=fat or 0,
        source=_s(r, "source"),
        notes=_s(r, "notes"),
        deaths_low=fat,
        deaths_best=fat,
        deaths_high=fat,
        civilians=civ,
        origin="acled",
        precision_source=f"acled:{gp}" if gp is not None else "acled:",
        coords_from_source=True,
        extra=extra,
    )
    if not ident:
        event.event_id = stable_event_id(event)
    return event


def ucdp_row(row: dict[str, Any]) -> Event:
    r = _lower_row(row)
    country = _s(r, "country")
    lat, lon = _coords(r, "latitude", "longitude", country)
    start = parse_date(r.get("date_start"), "date_start")
    if start is None:
        raise RowError("empty date_start")
    end = parse_date(r.get("date_end"), "date_end")
    if end is not None and end < start:
        raise RowError(f"date_end {end} is before date_start {start}")
    best = parse_number(r.get("best"), "best", integer=True, minimum=0)
    low = parse_number(r.get("low"), "low", integer=True, minimum=0)
    high = parse_number(r.get("high"), "high", integer=True, minimum=0)
    if low is not None and high is not None and low > high:
        raise RowError(f"low {low} is above high {high}")
    civ = parse_number(r.get("deaths_civilians"), "deaths_civilians", integer=True, minimum=0)
    wp = parse_number(r.get("where_prec"), "where_prec", integer=True)
    if wp is not None and wp not in UCDP_PRECISION:
        raise RowError(f"where_prec must be 1-7: {r.get('where_prec')!r}")
    tov = parse_number(r.get("type_of_violence"), "type_of_violence", integer=True)
    ident = _s(r, "id", "relid")
    used = ["id", "relid", "date_start", "date_end", "best", "low", "high", "deaths_civilians",
            "where_prec", "latitude", "longitude", "adm_1", "adm_2", "where_coordinates",
            "source_article", "country", "side_a", "side_b", "type_of_violence"]  # fmt: skip
    extra = _extra(r, used)
    if end and end != start:
        extra["date_end"] = end
    if ident:
        extra["ucdp_id"] = ident
    event = Event(
        event_id=f"ucdp:{ident}" if ident else "",
        event_date=start,
        event_type=UCDP_VIOLENCE.get(tov or 0, ""),
        actor1=_s(r, "side_a"),
        actor2=_s(r, "side_b"),
        country=country,
        admin1=_s(r, "adm_1"),
        admin2=_s(r, "adm_2"),
        location=_s(r, "where_coordinates"),
        latitude=lat,
        longitude=lon,
        geo_precision=UCDP_PRECISION.get(wp) if wp is not None else None,
        fatalities=best or 0,
        source=_s(r, "source_article") or "UCDP GED",
        deaths_low=low,
        deaths_best=best,
        deaths_high=high,
        deaths_civilians=civ,
        civilians=bool(civ),
        origin="ucdp",
        precision_source=f"ucdp:{wp}" if wp is not None else "ucdp:",
        coords_from_source=True,
        extra=extra,
    )
    if not ident:
        event.event_id = stable_event_id(event)
    return event


def gdelt_row(row: dict[str, Any]) -> Event:
    r = _lower_row(row)
    lat, lon = _coords(r, "actiongeo_lat", "actiongeo_long", "")
    date = parse_date(r.get("sqldate"), "SQLDATE")
    if date is None:
        raise RowError("empty SQLDATE")
    gt = parse_number(r.get("actiongeo_type"), "ActionGeo_Type", integer=True)
    code, root = _s(r, "eventcode"), _s(r, "eventrootcode") or _s(r, "eventcode")[:2]
    ident = _s(r, "globaleventid")
    return Event(
        event_id=f"gdelt:{ident}" if ident else "",
        event_date=date,
        event_type=GDELT_ROOT.get(root, f"CAMEO {root}" if root else ""),
        sub_event_type=GDELT_CODE.get(code, f"CAMEO {code}" if code else ""),
        actor1=_s(r, "actor1name"),
        actor2=_s(r, "actor2name"),
        location=_s(r, "actiongeo_fullname"),
        latitude=lat,
        longitude=lon,
        geo_precision=GDELT_PRECISION.get(gt or 0),
        source="GDELT",
        source_url=_s(r, "sourceurl"),
        origin="gdelt",
        precision_source=f"gdelt:{gt}" if gt is not None else "gdelt:",
        coords_from_source=True,
        extra={
            k: r[k]
            for k in (
                "actiongeo_countrycode",
                "actiongeo_adm1code",
                "numarticles",
                "goldsteinscale",
            )
            if r.get(k)
        },
    )


@dataclass
class _NameRow:
    line: int
    name: str
    country: str
    event: Event


def _pick(columns: Sequence[str], names: Sequence[str]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[n].lower() for n in names if n in lower), None)


def names_row(row: dict[str, Any], loc_col: str, cols: dict[str, str | None], country: str):
    r = _lower_row(row)
    name = _s(r, loc_col)
    if not name:
        raise RowError(f"empty {loc_col!r}")
    row_country = _s(r, cols["country"]) if cols["country"] else ""
    date = parse_date(r.get(cols["date"]), cols["date"]) if cols["date"] else None
    deaths = (
        parse_number(r.get(cols["deaths"]), cols["deaths"], integer=True, minimum=0)
        if cols["deaths"]
        else None
    )
    lat = lon = None
    if cols["lat"] and cols["lon"] and _s(r, cols["lat"]) and _s(r, cols["lon"]):
        lat, lon = _coords(r, cols["lat"], cols["lon"], row_country)
    used = [loc_col, *(c for c in cols.values() if c)]
    event = Event(
        event_date=date,
        event_type=_s(r, cols["type"]) if cols["type"] else "",
        actor1=_s(r, cols["actor"]) if cols["actor"] else "",
        actor2=_s(r, "actor2"),
        location=name,
        country=row_country,
        admin1=_s(r, "admin1"),
        fatalities=deaths or 0,
        deaths_low=deaths,
        deaths_best=deaths,
        deaths_high=deaths,
        source=_s(r, cols["source"]) if cols["source"] else "",
        notes=_s(r, cols["notes"]) if cols["notes"] else "",
        source_url=_s(r, "source_url", "url"),
        origin="csv",
        latitude=lat,
        longitude=lon,
        coords_from_source=lat is not None,
        precision_source="csv:coordinates" if lat is not None else "",
        geo_precision=1 if lat is not None else None,
        extra=_extra(r, used + ["actor2", "admin1", "source_url", "url"]),
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

    def bar(self, items: Iterable[Any], total: int, desc: str) -> Iterable[Any]:
        show = self.progress if self.progress is not None else (sys.stderr.isatty() and total > 500)
        if not show:
            return items
        from tqdm import tqdm

        return tqdm(items, total=total, desc=desc, unit="row", file=sys.stderr, leave=False)

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
        mapper: Callable[[dict[str, Any]], Event]
        if fmt == "acled":
            _missing(table, ("event_date", "latitude", "longitude", "fatalities"), "ACLED")
            mapper = acled_row
        elif fmt == "ucdp":
            _missing(table, ("date_start", "latitude", "longitude", "best"), "UCDP GED")
            mapper = ucdp_row
        elif fmt == "gdelt":
            _missing(
                table, ("GLOBALEVENTID", "SQLDATE", "ActionGeo_Lat", "ActionGeo_Long"), "GDELT"
            )
            mapper = gdelt_row
        else:
            self.names_table(table)
            return
        self.report.rows_read += len(table.rows)
        events: list[Event] = []
        for line, row in self.bar(table.rows, len(table.rows), path.name):
            try:
                events.append(mapper(row))
            except RowError as exc:
                self.report.rejected.append(Rejected(str(path), line, str(exc)))
            if len(events) >= 5000:
                self.store_events(events)
                events = []
        self.store_events(events)

    def names_table(self, table: Table) -> None:
        path = table.path
        loc = self.location_column
        if loc:
            _missing(table, (loc,), "names")
            loc = loc.lower()
        else:
            loc = _pick(table.columns, LOCATION_COLUMNS)
            if loc is None:
                raise InputError(
                    f"The file {str(path)!r} has no place-name column (looked for "
                    f"{', '.join(LOCATION_COLUMNS[:6])}, ...); its columns are: "
                    f"{', '.join(table.columns)}. Fix: pass --location-column NAME."
                )
        cols = {
            "date": _pick(table.columns, DATE_COLUMNS),
            "type": _pick(table.columns, TYPE_COLUMNS),
            "deaths": _pick(table.columns, DEATH_COLUMNS),
            "actor": _pick(table.columns, ACTOR_COLUMNS),
            "source": _pick(table.columns, ("source", "sources", "publisher")),
            "notes": _pick(table.columns, NOTE_COLUMNS),
            "country": _pick(table.columns, ("country", "country_code", "iso2")),
            "lat": _pick(table.columns, ("latitude", "lat")),
            "lon": _pick(table.columns, ("longitude", "lon", "lng", "long")),
        }
        self.report.rows_read += len(table.rows)
        parsed: list[_NameRow] = []
        for line, row in table.rows:
            try:
                name, country, event = names_row(row, loc, cols, self.country)
            except RowError as exc:
                self.report.rejected.append(Rejected(str(path), line, str(exc)))
                continue
            parsed.append(_NameRow(line, name, country, event))
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
                list(self.bar(names, len(names), f"geocoding {path.name}")), country=cc or None
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
        text = _decode(path)
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
