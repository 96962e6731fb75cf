"""Refresh benchmark (run on demand, not a test).

    python benchmarks/bench_refresh.py [--events 100000] [--names 10000] [--changed 1000]

A store of N events placed from a names-only table (location, country,
date, type, deaths) (every row geocoded
through the cache, so every row depends on a cache entry) over M distinct
place names; then C names are pinned 5-15 km away, and the store is brought up
to date two ways, each timed in its own process:

* ``geomap refresh --offline`` (:func:`geomap.relocation.refresh_store`) on the
  existing store;
* the baseline: re-ingesting the whole table into a fresh store (what one
  would do without refresh).

Prints both times and their ratio, the peak memory (ru_maxrss) of each
process, and checks that both stores end up with the same event points.
The names' cache entries are "online" answers (a colleague's or a service's),
so the offline refresh takes them from the cache as they are.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Where the synthetic places lie: a box inside Syria (a table with a country
#: column, as analysts keep them; admin-1 comes from the polygons).
LAT, LON = (33.6, 36.2), (36.8, 40.5)
TYPES = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Protests"]


def name_of(i: int) -> str:
    return f"Bench place {i:05d}"


def setup(folder: Path, n_events: int, n_names: int, seed: int = 11) -> Path:
    """Write the cache (one online answer per name) and the names-only CSV."""
    from geomap.gazetteer import normalize
    from geomap.geocoding import CacheEntry, GeocodeCache, cache_key, now

    rng = random.Random(seed)
    stamp = now()
    cache = GeocodeCache.open(folder / "cache.sqlite")
    entries = []
    for i in range(n_names):
        name = name_of(i)
        entries.append(CacheEntry(
            key=cache_key(name, country="SY"), query=name, name_key=normalize(name),
            hints={"country": "SY"}, latitude=round(rng.uniform(*LAT), 5),
            longitude=round(rng.uniform(*LON), 5), found=True, provider="online:bench",
            confidence=0.8, created=stamp, updated=stamp, raw={"address": name},
        ))  # fmt: skip
    cache._write([e.to_row() for e in entries], replace_pins=False)  # one transaction
    cache.close()
    table = folder / "events.csv"
    with open(table, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["location", "country", "event_date", "event_type", "fatalities", "source"])
        for _ in range(n_events):
            day = 1 + rng.randrange(28)
            month = 1 + rng.randrange(12)
            year = 2012 + rng.randrange(8)
            w.writerow([name_of(rng.randrange(n_names)), "Syria", f"{year}-{month:02d}-{day:02d}",
                        TYPES[rng.randrange(len(TYPES))], rng.randrange(6),
                        f"bench source {rng.randrange(50)}"])  # fmt: skip
    return table


def pin_some(folder: Path, n_names: int, changed: int, seed: int = 12) -> None:
    import math

    from geomap.geocoding import GeocodeCache

    rng = random.Random(seed)
    cache = GeocodeCache.open(folder / "cache.sqlite")
    for i in rng.sample(range(n_names), changed):
        e = cache.get(cache_key_of(i))
        km, bearing = rng.uniform(5, 15), math.radians(rng.uniform(0, 360))
        dlat = km / 111.0 * math.cos(bearing)
        dlon = km / (111.0 * math.cos(math.radians(e.latitude))) * math.sin(bearing)
        cache.pin(name_of(i), round(e.latitude + dlat, 5), round(e.longitude + dlon, 5),
                  country="SY")
    cache.close()


def cache_key_of(i: int) -> str:
    from geomap.geocoding import cache_key

    return cache_key(name_of(i), country="SY")


def points(store: Path) -> collections.Counter:
    import sqlite3

    con = sqlite3.connect(store)
    out = collections.Counter(
        (loc, date, round(lat, 5), round(lon, 5))
        for loc, date, lat, lon in con.execute(
            "SELECT location, event_date, latitude, longitude FROM event_sources"
        )
    )
    con.close()
    return out


# -- phases, each in its own process so that its peak memory is its own ----


def phase(name: str, folder: Path) -> dict:
    os.environ["GEOMAP_CACHE"] = str(folder / "cache.sqlite")
    started = time.perf_counter()
    info: dict = {}
    if name in ("ingest", "reingest"):
        from geomap.ingestion import ingest_paths

        store = folder / ("events.sqlite" if name == "ingest" else "reingested.sqlite")
        report = ingest_paths([folder / "events.csv"], store=store, format="csv", progress=False)
        info = {"rows": report.rows_read, "stored": report.stored, "errors": report.errors[:3]}
    elif name == "refresh":
        from geomap.relocation import refresh_store

        report = refresh_store(store=folder / "events.sqlite", offline=True)
        info = {"keys": report.keys, "rows": report.rows, "events_moved": len(report.event_moves),
                "events_before": report.events_before, "events_after": report.events_after}
    info["seconds"] = time.perf_counter() - started
    info["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return info


def run_phase(name: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", name, str(folder)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--names", type=int, default=10_000)
    ap.add_argument("--changed", type=int, default=1_000)
    ap.add_argument("--phase", nargs=2, metavar=("NAME", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase[0], Path(args.phase[1]))))
        return
    os.environ.setdefault("GEOMAP_GAZETTEER", str(REPO / "data" / "gazetteer.sqlite"))
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        folder = Path(tmp)
        os.environ["GEOMAP_DATA_DIR"] = str(folder)
        t0 = time.perf_counter()
        setup(folder, args.events, args.names)
        print(f"setup: {args.events:,} rows over {args.names:,} names "
              f"({time.perf_counter() - t0:.1f} s)")  # fmt: skip
        first = run_phase("ingest", folder)
        print(f"initial ingest: {first['seconds']:.1f} s, {first['stored']:,} rows stored, "
              f"peak {first['maxrss_mb']:.0f} MB")  # fmt: skip
        t0 = time.perf_counter()
        pin_some(folder, args.names, args.changed)
        print(f"pinned {args.changed:,} names 5-15 km away ({time.perf_counter() - t0:.1f} s)")
        refresh = run_phase("refresh", folder)
        baseline = run_phase("reingest", folder)
        same = points(folder / "events.sqlite") == points(folder / "reingested.sqlite")
        print()
        print(f"refresh --offline:      {refresh['seconds']:8.2f} s"
              f"  peak {refresh['maxrss_mb']:6.0f} MB"
              f"  ({refresh['events_moved']:,} events moved; {refresh['keys']:,} keys,"
              f" {refresh['rows']:,} dependent rows; merged events"
              f" {refresh['events_before']:,} -> {refresh['events_after']:,})")  # fmt: skip
        print(f"re-ingest everything:   {baseline['seconds']:8.2f} s"
              f"  peak {baseline['maxrss_mb']:6.0f} MB"
              f"  ({baseline['stored']:,} rows)")  # fmt: skip
        ratio = baseline["seconds"] / refresh["seconds"]
        print(f"ratio: refresh is {ratio:.1f}x faster than re-ingesting")
        print(f"same event points in both stores: {same}")


if __name__ == "__main__":
    main()
