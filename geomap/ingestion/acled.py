"""ACLED-style tables (CSV/XLSX).

Columns: event_date, event_type, sub_event_type, actor1, actor2, admin1,
location, latitude, longitude, geo_precision, fatalities, source, notes; any
other ACLED column is kept in ``extra``.  ``geo_precision`` keeps ACLED's 1-3
meaning, and fatalities fill deaths_low = deaths_best = deaths_high.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from geomap.ingestion.values import (
    Cells,
    Row,
    RowError,
    parse_date,
    parse_number,
    with_source_id,
)
from geomap.model import Event

LABEL = "ACLED"
REQUIRED = ("event_date", "latitude", "longitude", "fatalities")

_USED = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
         "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities",
         "source", "notes", "event_id_cnty", "data_id", "event_id",
         "time_precision"]  # fmt: skip
_USED_SET = frozenset(_USED)
_TEXTS = ("event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2", "location",
          "source", "notes", "civilian_targeting")  # fmt: skip


def acled_row(row: Row, *, in_country: bool = True) -> Event:
    """One ACLED event, named by its ACLED id when the row has one."""
    r = Cells(row)
    country = r.text("country")
    lat, lon = r.coordinates("latitude", "longitude", country, in_country=in_country)
    date = r.date("event_date")
    if date is None:
        raise RowError("empty event_date")
    gp = r.integer("geo_precision")
    if gp is not None and gp not in (1, 2, 3):
        raise RowError(f"geo_precision must be 1, 2 or 3: {r.get('geo_precision')!r}")
    fat = r.count("fatalities")
    tp = r.integer("time_precision")
    ident = r.text("event_id_cnty", "data_id", "event_id")
    return _event(date, country, lat, lon, gp, fat, tp, ident, r.leftover(_USED_SET),
                  r.texts(*_TEXTS))  # fmt: skip


def _event(date: str, country: str, lat: float, lon: float, gp: int | None, fat: int | None,
           tp: int | None, ident: str, extra: dict[str, object], texts: Sequence[str]
           ) -> Event:  # fmt: skip
    """The event of one row's checked values (``texts`` those of :data:`_TEXTS`), named by
    its ACLED id when it has one."""
    if tp:
        extra["time_precision"] = tp
    if ident:
        extra["acled_id"] = ident
    event_type, sub_event_type, actor1, actor2, admin1, admin2, location, source, notes, civ = (
        texts
    )
    event = Event(
        event_date=date,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        actor2=actor2,
        country=country,
        admin1=admin1,
        admin2=admin2,
        location=location,
        latitude=lat,
        longitude=lon,
        geo_precision=gp,
        fatalities=fat or 0,
        source=source,
        notes=notes,
        deaths_low=fat,
        deaths_best=fat,
        deaths_high=fat,
        civilians="civilian" in civ.lower(),
        origin="acled",
        precision_source=f"acled:{gp}" if gp is not None else "acled:",
        coords_from_source=True,
        extra=extra,
    )
    return with_source_id(event, ident)


#: Marks a cell that its column's test refuses (the row is then read alone).
_BAD = object()


def acled_records(names: Sequence[str], records: Sequence[Sequence[str]]) -> list[Event | None]:
    """The events of CSV records read a column at a time, as :func:`acled_row` reads each
    record alone with ``in_country=False`` (the caller tests the country).

    ``names`` are the table's column names, stripped, lower-case and all different,
    and every record has one text cell per name.  A record that any column's test
    doubts is None: the caller reads it alone, so its event or its message is
    exactly the one :func:`acled_row` gives.  Each distinct date, precision and
    count is parsed once.
    """
    if not records:
        return []
    at = {name: i for i, name in enumerate(names)}
    cells = [list(map(str.strip, column)) for column in zip(*records, strict=True)]
    empty = [""] * len(records)

    def column(name: str) -> list[str]:
        i = at.get(name)
        return cells[i] if i is not None else empty

    lats = _each(column("latitude"), "latitude", False)
    lons = _each(column("longitude"), "longitude", False)
    days = _distinct(column("event_date"), "event_date", parse_date)
    precisions = _distinct(column("geo_precision"), "geo_precision", _whole)
    counts = _distinct(column("fatalities"), "fatalities", _count)
    times = _distinct(column("time_precision"), "time_precision", _whole)
    idents = [next((v for v in vs if v), "") for vs in zip(
        *(column(c) for c in ("event_id_cnty", "data_id", "event_id")), strict=True)]  # fmt: skip
    left = [name for name in names if name not in _USED_SET]
    lefts = zip(*(cells[at[name]] for name in left), strict=True) if left else [()] * len(records)
    texts = zip(*(column(c) for c in _TEXTS), strict=True)
    out: list[Event | None] = []
    for country, lat, lon, date, gp, fat, tp, ident, kept, words in zip(
        column("country"), lats, lons, days, precisions, counts, times, idents, lefts, texts,
        strict=True,
    ):  # fmt: skip
        if (
            lat is _BAD or lon is _BAD or lat is None or lon is None
            or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0)  # type: ignore[operator]
            or date is _BAD or date is None or fat is _BAD or tp is _BAD
            or (gp is not None and gp not in (1, 2, 3))
        ):  # fmt: skip
            out.append(None)
            continue
        extra: dict[str, object] = {k: v for k, v in zip(left, kept, strict=True) if v}
        out.append(_event(date, country, lat, lon, gp, fat, tp, ident, extra, words))  # type: ignore[arg-type]
    return out


def _whole(value: str, column: str) -> int | None:
    return parse_number(value, column, integer=True)


def _count(value: str, column: str) -> int | None:
    return parse_number(value, column, integer=True, minimum=0)


def _each(values: list[str], column: str, integer: bool) -> list[object]:
    """Each value as :func:`parse_number` reads it, or :data:`_BAD` where it refuses it."""
    out: list[object] = []
    for value in values:
        try:
            out.append(parse_number(value, column, integer=integer))  # type: ignore[call-overload]
        except RowError:
            out.append(_BAD)
    return out


def _distinct(values: list[str], column: str, parse: Callable[[str, str], object]) -> list[object]:
    """Each value as ``parse`` reads it (or :data:`_BAD`), parsing each distinct value once."""
    seen: dict[str, object] = {}
    for value in set(values):
        try:
            seen[value] = parse(value, column)
        except RowError:
            seen[value] = _BAD
    return [seen[value] for value in values]
