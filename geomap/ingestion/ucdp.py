"""UCDP GED tables (CSV/XLSX).

Columns: date_start, date_end, best, low, high, deaths_civilians, where_prec,
latitude, longitude, adm_1, where_coordinates, source_article (+ id, side_a,
side_b, type_of_violence ...).  Deaths are kept as low/best/high, and
``where_prec`` maps to the one precision scale as::

    1 exact place                      -> 1
    2 within ~25 km of a known place   -> 2
    3 second-order admin area (admin-2)-> 2
    4 first-order admin area (admin-1) -> 3
    5 larger area / linear feature     -> 3
    6 country                          -> 3
    7 waters / airspace / unclear      -> 3
"""

from __future__ import annotations

from geomap.ingestion.values import Cells, Row, RowError, with_source_id
from geomap.model import Event

LABEL = "UCDP GED"
REQUIRED = ("date_start", "latitude", "longitude", "best")

PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}

_USED = ["id", "relid", "date_start", "date_end", "best", "low", "high", "deaths_civilians",
         "where_prec", "latitude", "longitude", "adm_1", "adm_2", "where_coordinates",
         "source_article", "country", "side_a", "side_b", "type_of_violence"]  # fmt: skip
_USED_SET = frozenset(_USED)


def _dates(r: Cells) -> tuple[str, str | None]:
    start = r.date("date_start")
    if start is None:
        raise RowError("empty date_start")
    end = r.date("date_end")
    if end is not None and end < start:
        raise RowError(f"date_end {end} is before date_start {start}")
    return start, end


def ucdp_row(row: Row, *, in_country: bool = True) -> Event:
    """One UCDP GED event, named by its UCDP id when the row has one."""
    r = Cells(row)
    country = r.text("country")
    lat, lon = r.coordinates("latitude", "longitude", country, in_country=in_country)
    start, end = _dates(r)
    best, low, high = r.count("best"), r.count("low"), r.count("high")
    if low is not None and high is not None and low > high:
        raise RowError(f"low {low} is above high {high}")
    civ = r.count("deaths_civilians")
    wp = r.integer("where_prec")
    if wp is not None and wp not in PRECISION:
        raise RowError(f"where_prec must be 1-7: {r.get('where_prec')!r}")
    tov = r.integer("type_of_violence")
    ident = r.text("id", "relid")
    extra = r.leftover(_USED_SET)
    if end and end != start:
        extra["date_end"] = end
    if ident:
        extra["ucdp_id"] = ident
    event = Event(
        event_date=start,
        event_type=VIOLENCE.get(tov or 0, ""),
        actor1=r.text("side_a"),
        actor2=r.text("side_b"),
        country=country,
        admin1=r.text("adm_1"),
        admin2=r.text("adm_2"),
        location=r.text("where_coordinates"),
        latitude=lat,
        longitude=lon,
        geo_precision=PRECISION.get(wp) if wp is not None else None,
        fatalities=best or 0,
        source=r.text("source_article") or "UCDP GED",
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
    return with_source_id(event, ident)
