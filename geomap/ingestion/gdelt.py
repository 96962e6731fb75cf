"""GDELT event tables: with a header (GLOBALEVENTID, SQLDATE, ...) or raw 58/61-column exports.

``ActionGeo_Type`` maps to the one precision scale: 3/4 (city) -> 1,
2/5 (state, admin-1) -> 3, 1 (country) -> 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geomap.ingestion.values import Cells, Row, RowError
from geomap.model import Event

LABEL = "GDELT"
REQUIRED = ("GLOBALEVENTID", "SQLDATE", "ActionGeo_Lat", "ActionGeo_Long")

PRECISION = {1: 3, 2: 3, 3: 1, 4: 1, 5: 3}
ROOT = {
    "14": "Protest",
    "15": "Exhibit force posture",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
CODE = {
    "183": "Suicide, car, or other non-military bombing",
    "190": "Use conventional military force",
    "193": "Fight with small arms and light weapons",
    "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons (air strike)",
    "202": "Engage in mass killings",
}
_EXTRA = ("actiongeo_countrycode", "actiongeo_adm1code", "numarticles", "goldsteinscale")

_ACTOR = [
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
]  # fmt: skip


def _columns(adm2: bool) -> list[str]:
    geo = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else [])
    geo += ["Lat", "Long", "FeatureID"]
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    cols += ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
             "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]  # fmt: skip
    for who in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        cols += [who + g for g in geo]
    return cols + ["DATEADDED", "SOURCEURL"]


V2_COLUMNS = _columns(adm2=True)  # 61
V1_COLUMNS = _columns(adm2=False)  # 58


def headerless_columns(first_row: Sequence[str], delimiter: str) -> list[str] | None:
    """The column names of a raw GDELT export whose first line is already data, or None."""
    if delimiter != "\t" or len(first_row) not in (58, 61):
        return None
    if re.fullmatch(r"\d+", first_row[0].strip()) is None:
        return None
    return V2_COLUMNS if len(first_row) == 61 else V1_COLUMNS


def gdelt_row(row: Row) -> Event:
    """One GDELT event (its ActionGeo is where it happened)."""
    r = Cells(row)
    lat, lon = r.coordinates("actiongeo_lat", "actiongeo_long", "")
    date = r.date("sqldate", "SQLDATE")
    if date is None:
        raise RowError("empty SQLDATE")
    gt = r.integer("actiongeo_type", "ActionGeo_Type")
    code, root = r.text("eventcode"), r.text("eventrootcode") or r.text("eventcode")[:2]
    ident = r.text("globaleventid")
    return Event(
        event_id=f"gdelt:{ident}" if ident else "",
        event_date=date,
        event_type=ROOT.get(root, f"CAMEO {root}" if root else ""),
        sub_event_type=CODE.get(code, f"CAMEO {code}" if code else ""),
        actor1=r.text("actor1name"),
        actor2=r.text("actor2name"),
        location=r.text("actiongeo_fullname"),
        latitude=lat,
        longitude=lon,
        geo_precision=PRECISION.get(gt or 0),
        source="GDELT",
        source_url=r.text("sourceurl"),
        origin="gdelt",
        precision_source=f"gdelt:{gt}" if gt is not None else "gdelt:",
        coords_from_source=True,
        extra={k: r.get(k) for k in _EXTRA if r.get(k)},
    )
