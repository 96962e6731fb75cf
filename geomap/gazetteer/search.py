"""Searching the offline gazetteer: GeoNames places in one SQLite file, by name.

:class:`Gazetteer` opens a file the builder wrote (:mod:`geomap.gazetteer.builder`)
and answers exact lookups by id, country or admin-1 code, and ranked searches by
name with optional country, admin-1, feature and distance hints.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import sys
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from geomap import config, geo
from geomap.errors import ConfigurationError, GazetteerError, quote
from geomap.gazetteer.builder import build
from geomap.gazetteer.names import name_keys, split_type_word
from geomap.gazetteer.schema import (
    FEATURE_CODE,
    FEATURES,
    KIND_WEIGHT,
    KeyIndex,
    how_to_build,
    index_keys,
    is_built,
    key_index_readable,
    key_rows,
    unpack_key_index,
    unpack_keys,
)
from geomap.geo import haversine_km
from geomap.model import Place


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked answer to :meth:`Gazetteer.search`."""

    place: Place
    score: float  # 0..1, higher is better
    matched: str  # the name key that matched


#: name keys whose places :meth:`Gazetteer.lookup` keeps
_KEY_CACHE_SIZE = 50_000

_PLACE_COLUMNS = (
    "geonameid, name, latitude, longitude, feature, country_code, admin1_code, population"
)


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
        # name key -> its places: a name recurs across documents; bounded (cleared when full)
        self._key_cache: dict[str, tuple[Place, ...]] = {}
        # district name key -> its districts: the event rules ask for the same names again
        self._district_cache: dict[str, tuple[Place, ...]] = {}

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open a built gazetteer (default: ``config.gazetteer_path()``).

        Raises :class:`GazetteerError` when the file is missing, half-built,
        of an older format or unreadable.
        """
        path = Path(path) if path is not None else config.gazetteer_path()
        if not path.is_file():
            raise GazetteerError(f"No offline gazetteer at {str(path)!r}. {how_to_build(path)}")
        if not is_built(path):
            raise GazetteerError(
                f"The offline gazetteer {str(path)!r} is half-built, corrupt or of an older format."
                f" {how_to_build(path)}"
            )
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            con.execute("PRAGMA query_only = 1")
            return cls(con, path)
        except sqlite3.Error as exc:
            raise GazetteerError(
                f"Cannot read the offline gazetteer {str(path)!r}: {exc}. {how_to_build(path)}"
            ) from exc

    @classmethod
    def open_or_build(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the gazetteer, building it first (with a note on stderr) when missing."""
        path = Path(path) if path is not None else config.gazetteer_path()
        if not is_built(path):
            if not config.show_progress():  # the progress bar names the build itself
                print(
                    f"geomap: building the offline gazetteer at {path} (once: from half a"
                    " minute to a few minutes; GEOMAP_PROGRESS=1 shows its stages and the"
                    " time left)...",
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

    def places_near(
        self,
        points: Sequence[tuple[float, float]],
        radius_km: float,
        *,
        per_point: int = 4,
        exclude: Collection[int] = (),
    ) -> list[list[Place]]:
        """For each (latitude, longitude) point, the most populous places within ``radius_km``.

        A place goes to the nearest of the points it is within reach of, so no
        place is listed twice; ``exclude`` leaves out places by GeoNames id (the
        points' own places).  Countries and admin-1 regions are left out.  One
        pass over the places of the points' bounding box.
        """
        if not points:
            return []
        boxes = [b for lat, lon in points for b in geo.bounding_boxes(lat, lon, radius_km)]
        west, east = min(b[0] for b in boxes), max(b[1] for b in boxes)
        south, north = min(b[2] for b in boxes), max(b[3] for b in boxes)
        band = radius_km / 100.0  # degrees of latitude: wider than radius_km everywhere
        by_band: dict[int, list[int]] = {}
        for i, (lat, _) in enumerate(points):
            by_band.setdefault(math.floor(lat / band), []).append(i)
        chosen: list[list[int]] = [[] for _ in points]
        skip = set(exclude)
        rows = self._con.execute(
            "SELECT geonameid, latitude, longitude FROM places WHERE feature = ?"
            " AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
            " ORDER BY population DESC",
            (FEATURE_CODE["city"], south, north, west, east),
        )
        for gid, lat, lon in rows:  # the most populous first
            if gid in skip:
                continue
            row = math.floor(lat / band)
            reach = [(geo.haversine_km(points[i][0], points[i][1], lat, lon), i)
                     for b in (row - 1, row, row + 1) for i in by_band.get(b, ())]  # fmt: skip
            reach = [pair for pair in reach if pair[0] <= radius_km]
            if reach:
                nearest = min(reach)[1]
                if len(chosen[nearest]) < per_point:
                    chosen[nearest].append(gid)
        return [[p for gid in gids if (p := self.get(gid)) is not None] for gids in chosen]

    # -- name lookups ------------------------------------------------------

    def _rows_for_key(self, key: str) -> list[tuple]:
        return self._con.execute(
            f"SELECT n.kind, {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}"
            " FROM names n JOIN places p ON p.geonameid = n.geonameid WHERE n.key = ?",
            (key,),
        ).fetchall()

    def lookup(self, key: str) -> list[Place]:
        """Every place with exactly this normalised name key (unranked).

        Answers are remembered per key (a file opened read-only does not change), so
        a name asked for again costs no query."""
        found = self._key_cache.get(key)
        if found is None:
            found = tuple(self._place(row[1:]) for row in self._rows_for_key(key))
            if len(self._key_cache) >= _KEY_CACHE_SIZE:
                self._key_cache.clear()
            self._key_cache[key] = found
        return list(found)

    def districts(
        self, name: str, *, country: str | None = None, admin1: str | None = None
    ) -> list[Place]:
        """The admin-2 districts called ``name`` (any of its name keys; "X District" too),
        in ``country`` (ISO alpha-2) and its admin-1 region ``admin1`` (a GeoNames code)
        when given; the most populous first.

        Districts are not returned by :meth:`lookup` or :meth:`search`: only a caller that
        knows the text names a district asks for them (see :mod:`geomap.gazetteer.schema`).
        """
        found: dict[int, Place] = {}
        for key in name_keys(name):
            for place in self._districts_of_key(key):
                if country is not None and place.country_code != country.strip().upper():
                    continue
                if admin1 is not None and place.admin1_code != admin1.strip():
                    continue
                found.setdefault(place.geonameid, place)
        return sorted(found.values(), key=lambda p: (-p.population, p.geonameid))

    def _districts_of_key(self, key: str) -> tuple[Place, ...]:
        """The admin-2 districts with the name key ``key``, in the order the file gives
        them; remembered like :meth:`lookup`'s answers."""
        found = self._district_cache.get(key)
        if found is None:
            found = tuple(
                self._place(row)
                for row in self._con.execute(
                    f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLUMNS.split(','))}"
                    " FROM district_names n JOIN places p ON p.geonameid = n.geonameid"
                    " WHERE n.key = ?",
                    (key,),
                )
            )
            if len(self._district_cache) >= _KEY_CACHE_SIZE:
                self._district_cache.clear()
            self._district_cache[key] = found
        return found

    def iter_keys(self) -> Iterator[tuple[str, int]]:
        """Each name key with the largest population among the places it names.

        Read from a compressed list stored at build time (a tenth of the time
        of the equivalent GROUP BY); files without it fall back to the query.
        """
        blob = self._blob("keys")
        if blob is None:
            yield from key_rows(self._con)
            return
        yield from unpack_keys(blob)

    def key_index(self) -> KeyIndex:
        """The :data:`~geomap.gazetteer.schema.KeyIndex` of :meth:`iter_keys` (new dicts
        at each call): stored at build time, loaded in about a third of the time it takes
        to build; built here when the file has none or another Python wrote it."""
        blob = self._blob("key_index")
        index = unpack_key_index(blob) if blob is not None else None
        return index if index is not None else index_keys(self.iter_keys())

    def stores_key_index(self) -> bool:
        """Whether :meth:`key_index` loads a stored index (rather than building one)."""
        blob = self._blob("key_index")
        return blob is not None and key_index_readable(blob)

    def _blob(self, name: str) -> bytes | None:
        """The stored blob ``name`` (``None`` when the file has none)."""
        if not self._con.execute("SELECT 1 FROM sqlite_master WHERE name = 'blobs'").fetchone():
            return None
        row = self._con.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

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
                f"Unknown feature level, instead got: {quote(feature)}."
                f" Fix: use one of {', '.join(FEATURES)}."
            )
        cc = country.strip().upper() if country else None
        if cc is not None and not re.fullmatch(r"[A-Z]{2}", cc):
            raise ConfigurationError(
                f"Country hint must be an ISO 3166-1 alpha-2 code, instead got: {quote(country)}."
                " Fix: pass a two-letter code such as SY."
            )
        keys = name_keys(name)
        if not keys:
            return []
        found = self._gather(keys, query_feature=None)
        wanted = feature
        split = split_type_word(keys[0])
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
                weight = KIND_WEIGHT[kind] * query_weight
                old = found.get(row[0])
                if old is None or weight > old[0]:
                    found[row[0]] = (weight, tuple(row), key)
        return found

    def _admin1_codes(self, hint: str) -> set[tuple[str, str]]:
        """(country, admin-1 code) of every admin-1 region called ``hint``."""
        keys = name_keys(hint)
        split = split_type_word(keys[0]) if keys else None
        if split is not None and split[1] == "admin1":
            keys += name_keys(split[0])
        return {
            (row[6], row[7])
            for key in keys
            for row in self._rows_for_key(key)
            if row[5] == FEATURE_CODE["admin1"]
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
            code = FEATURE_CODE[feature]
            rows = [r for r in rows if r[1][4] == code]
        if admin1:
            regions = self._admin1_codes(admin1)
            inside = [r for r in rows if r[1][6] == admin1.strip() or (r[1][5], r[1][6]) in regions]
            rows = inside or rows
        # cities keyed by (country, admin1, matched key), to demote same-named admin-1s
        city_spots = {(r[1][5], r[1][6], r[2]) for r in rows if r[1][4] == FEATURE_CODE["city"]}
        scored: list[tuple[float, int, Candidate]] = []
        for weight, row, key in rows:
            gid, _name, lat, lon, feat, rcc, ra1, pop = row
            importance = _importance(feat, pop)
            if feat == FEATURE_CODE["admin1"] and (rcc, ra1, key) in city_spots:
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
