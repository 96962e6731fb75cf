"""How well *could* events be placed with the offline gazetteer?  The ceiling of
"location within 25 km" on a coded event file.

Run on demand (not a test)::

    PYTHONPATH=. .venv/bin/python benchmarks/events_ceiling.py \
        [../shared/eval/events-dev/acled-notes-dev.jsonl] [--radius 25]

For every coded event (a JSONL row with ``latitude``, ``longitude``, ``country``
and ``location``; the file is read at run time, never copied), the share of
gold points with, within the radius:

* **city**: any cities500 place of the gazetteer;
* **admin-1**: any admin-1 region's point (the centre of its cities);
* **admin-2**: any admin-2 district's point as the build places them (the most
  populous of its cities500 places); and, for comparison, the centre of its
  places' extent (the admin-1 rule) and its namesake town;
* **any of the above** (the ceiling of placing at one of those points);
* **name**: the gold ``location`` name (its name keys) is a name of a city,
  region or district of the gold country, within the radius;

each split by ACLED's geo_precision (1 town, 2 near / district, 3 region).
Reads the built gazetteer (``config.gazetteer_path()``); the admin-2 figures
need a gazetteer of format 6 or later.  Also prints the machine's load.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

from geomap import config, countries
from geomap.gazetteer import name_keys, sources
from geomap.gazetteer.regions import district_centre
from geomap.gazetteer.schema import FEATURE_CODE
from geomap.geo import haversine_km

DEFAULT = Path(__file__).resolve().parents[2] / "shared/eval/events-dev/acled-notes-dev.jsonl"
Grid = dict[tuple[int, int], list[tuple[float, float, int]]]


def _grid(points: list[tuple[float, float, int]]) -> Grid:
    grid: Grid = defaultdict(list)
    for lat, lon, gid in points:
        grid[(math.floor(lat), math.floor(lon))].append((lat, lon, gid))
    return grid


def _near(grid: Grid, lat: float, lon: float, radius: float) -> list[int]:
    """Ids of the grid's points within ``radius`` km (cells of one degree; +-2 around)."""
    reach = 1 + int(radius / 111.0 / max(0.2, math.cos(math.radians(lat))))
    out = []
    for i in range(math.floor(lat) - 1, math.floor(lat) + 2):
        for j in range(math.floor(lon) - reach, math.floor(lon) + reach + 1):
            for plat, plon, gid in grid.get((i, j), ()):
                if haversine_km(lat, lon, plat, plon) <= radius:
                    out.append(gid)
    return out


def _district_variants(con: sqlite3.Connection) -> dict[str, list[tuple[float, float, int]]]:
    """Other points a district could have: the centre of its places, its namesake town."""
    city = {
        gid: (lat, lon, pop, name)
        for gid, lat, lon, pop, name in con.execute(
            "SELECT geonameid, latitude, longitude, population, name FROM places WHERE feature = ?",
            (FEATURE_CODE["city"],),
        )
    }
    members: dict[int, list[int]] = defaultdict(list)
    for gid, row in sources.city_districts().items():
        if gid in city:
            members[row].append(gid)
    namesake, centre = [], []
    for d in sources.districts():
        own = members.get(d.row)
        if not own:
            continue
        keys = set(name_keys(d.name))
        same = [g for g in own if keys & set(name_keys(city[g][3]))]
        if same:
            g = max(same, key=lambda g: city[g][2])
            namesake.append((city[g][0], city[g][1], d.geonameid))
        lat, lon = district_centre([city[g][:3] for g in own])
        centre.append((lat, lon, d.geonameid))
    return {"admin-2 namesake town": namesake, "admin-2 centre of its places": centre}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--radius", type=float, default=25.0)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    rows = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    con = sqlite3.connect(f"file:{config.gazetteer_path()}?mode=ro", uri=True)
    layers: dict[str, list[tuple[float, float, int]]] = {}
    for feature in ("city", "admin1", "admin2"):
        layers[feature] = con.execute(
            "SELECT latitude, longitude, geonameid FROM places WHERE feature = ?",
            (FEATURE_CODE[feature],),
        ).fetchall()
    layers.update(_district_variants(con))
    grids = {name: _grid(points) for name, points in layers.items()}
    has_districts = bool(
        con.execute("SELECT 1 FROM sqlite_master WHERE name = 'district_names'").fetchone()
    )
    tables = ["names", "district_names"] if has_districts else ["names"]
    place_cc = dict(con.execute("SELECT geonameid, country_code FROM places"))

    def named_near(row: dict, near_ids: set[int]) -> bool:
        cc = countries.iso2(row["country"]) if row.get("country") else ""
        for key in name_keys(row.get("location") or ""):
            for table in tables:
                for (gid,) in con.execute(f"SELECT geonameid FROM {table} WHERE key = ?", (key,)):
                    if gid in near_ids and place_cc.get(gid) == cc:
                        return True
        return False

    hits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        lat, lon = float(row["latitude"]), float(row["longitude"])
        groups = ("all", f"precision {row.get('geo_precision')}")
        near = {name: _near(grid, lat, lon, args.radius) for name, grid in grids.items()}
        near_ids = {g for ids in near.values() for g in ids}
        verdicts = {name: bool(ids) for name, ids in near.items()}
        verdicts["city, admin-1 or admin-2"] = any(
            verdicts[k] for k in ("city", "admin1", "admin2")
        )
        verdicts["location name, right country"] = named_near(row, near_ids)
        for g in groups:
            totals[g] += 1
            for name, ok in verdicts.items():
                hits[g][name] += ok
    names = list(next(iter(hits.values())))
    groups = sorted(totals)
    print(f"{args.file}: {len(rows)} rows, within {args.radius:g} km of the gold point")
    print(f"{'':34}" + "".join(f"{g + f' ({totals[g]})':>18}" for g in groups))
    for name in names:
        cells = "".join(f"{hits[g][name] / totals[g]:>18.3f}" for g in groups)
        print(f"{name:34}{cells}")
    counts = {k: len(v) for k, v in layers.items()}
    print(f"points: {counts}")
    load = os.getloadavg()
    print(
        f"wall {time.perf_counter() - started:.1f} s, CPU {time.process_time() - cpu:.1f} s,"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


if __name__ == "__main__":
    main()
