"""ACLED-style tables (CSV/XLSX).

Columns: event_date, event_type, sub_event_type, actor1, actor2, admin1,
location, latitude, longitude, geo_precision, fatalities, source, notes; any
other ACLED column is kept in ``extra``.  ``geo_precision`` keeps ACLED's 1-3
meaning, and fatalities fill deaths_low = deaths_best = deaths_high.
"""

from __future__ import annotations

from geomap.ingestion.values import Cells, Row, RowError, with_source_id
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
    extra = r.leftover(_USED_SET)
    if tp:
        extra["time_precision"] = tp
    if ident:
        extra["acled_id"] = ident
    event_type, sub_event_type, actor1, actor2, admin1, admin2, location, source, notes, civ = (
        r.texts(*_TEXTS)
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
