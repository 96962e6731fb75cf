"""Near-query benchmark: lean vs all columns, SQLite store vs dataset, beside baselines.

    python benchmarks/bench_near.py [--sizes 100000,1000000] [--queries 200]
                                    [--commands 20] [--radius 25] [--dir DIR]

For each size N it builds (or, with ``--dir``, reuses) an event store of N
synthetic events through ``EventStore.upsert_events`` (the events of
``bench_store.py``: uniform over Africa and the Middle East, ten years, three
origins), writes it as a dataset (``export --to dataset``), and times, for
the same random centres:

* the inner call ``geomap.query.near(...)`` on an open store and on an open
  dataset, with the lean columns and with all of them: p50/p90 CPU time
  (user+sys of this process) and wall time per query; the dataset first
  with a fresh reader (its first queries read row groups) and then warm;
* the whole command ``geomap near LAT,LON --radius R --store S --format csv``
  as a user runs it (a new process each time: CPU of the child);
* baselines in the same run, over the same events held in memory:
  geopandas (an STRtree box query on the points, then the exact geodesic
  filter, a lean frame of the hits) and scikit-learn's BallTree (haversine,
  a radius widened to cover the ellipsoid, then the exact geodesic filter),
  when scikit-learn can be imported (``--extra-path`` adds a folder holding it);

and checks that every method returns the same events.  The load average is
printed at the start and the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import LAT, LON, synthetic  # noqa: E402

from geomap.dataset import LEAN_COLUMNS, EventDataset  # noqa: E402
from geomap.geo import bounding_boxes, geodesic_km_from  # noqa: E402
from geomap.query import export_events, near  # noqa: E402
from geomap.store import EventStore  # noqa: E402


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def stats(cpu: list[float], wall: list[float]) -> str:
    def q(values: list[float], p: float) -> float:
        return float(np.percentile(values, p)) * 1000

    return (f"CPU p50 {q(cpu, 50):7.2f} ms  p90 {q(cpu, 90):7.2f} ms   "
            f"wall p50 {q(wall, 50):7.2f} ms  p90 {q(wall, 90):7.2f} ms")  # fmt: skip


def timed(fn, centres) -> tuple[list[float], list[float], list[list[str]]]:
    cpu, wall, answers = [], [], []
    for centre in centres:
        c0, w0 = time.process_time(), time.perf_counter()
        answer = fn(centre)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        answers.append(answer)
    return cpu, wall, answers


def build(n: int, folder: Path) -> tuple[Path, Path]:
    """The store and dataset of N synthetic events (reused when already built)."""
    store, dataset = folder / f"events-{n}.sqlite", folder / f"dataset-{n}"
    if not store.exists():
        t0, c0 = time.perf_counter(), time.process_time()
        with EventStore.open(store, make_dirs=True) as s:
            s.upsert_events(synthetic(n), batch_size=5000)
        print(f"  built the store in {time.perf_counter() - t0:.0f} s "
              f"({time.process_time() - c0:.0f} s CPU)")  # fmt: skip
    if not (dataset / "_geomap_index.json").exists():
        t0, c0 = time.perf_counter(), time.process_time()
        report = export_events(dataset, to="dataset", store=store)
        size = sum(p.stat().st_size for p in dataset.rglob("*.parquet")) / 1e6
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"  export --to dataset: {report.events:,} events in {wall:.1f} s "
              f"({cpu:.1f} s CPU), {size:.0f} MB of Parquet")  # fmt: skip
    return store, dataset


def ids(frame) -> list[str]:
    return list(frame["event_id"])


def inner(store_path: Path, dataset_path: Path, centres, radius: float) -> list[list[str]]:
    """The inner call on an open store and an open dataset, lean and all columns."""
    results = {}
    with EventStore.open(store_path, read_only=True) as store:
        near(centres[0], radius_km=radius, store=store)  # warm up the connection
        for columns in (None, "all"):
            cpu, wall, got = timed(
                lambda c, cols=columns: ids(near(c, radius_km=radius, columns=cols, store=store)),
                centres)  # fmt: skip
            results[("sqlite", columns)] = got
            print(f"  near() SQLite store, {columns or 'lean'} columns:  {stats(cpu, wall)}")
    for columns in (None, "all"):
        dataset = EventDataset.open(dataset_path)
        for state in ("first pass", "warm"):
            cpu, wall, got = timed(
                lambda c, cols=columns, ds=dataset: ids(near(c, radius_km=radius, columns=cols,
                                                             store=ds)), centres)  # fmt: skip
            results[("dataset", columns)] = got
            print(f"  near() dataset ({state}), {columns or 'lean'} columns: {stats(cpu, wall)}")
        dataset.close()
    reference = results[("sqlite", None)]
    for key, got in results.items():
        assert got == reference, f"{key} differs from the SQLite store's answers"
    return reference


def commands(store_path: Path, dataset_path: Path, centres, radius: float, reference) -> None:
    """The whole `geomap near` command, one process per query: CPU of the child."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for label, path in (("SQLite store", store_path), ("dataset", dataset_path)):
        cpu, wall = [], []
        for i, (lat, lon) in enumerate(centres):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            w0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-m", "geomap", "near", f"{lat},{lon}", "--radius",
                 str(radius), "--store", str(path), "--format", "csv", "--columns", "event_id"],
                env=env, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            wall.append(time.perf_counter() - w0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            assert out.split()[1:] == [f"{e},{d}" for e, d in reference[i]], label
        print(f"  geomap near (whole command), {label}: {stats(cpu, wall)}")


def baselines(store_path: Path, centres, radius: float, reference: list[list[str]]) -> None:
    """geopandas (STRtree + geodesic filter) and BallTree over the same events in memory."""
    import geopandas as gpd

    from geomap.query import read_stored

    with EventStore.open(store_path, read_only=True) as store:
        events = read_stored(store, None, context=False)
    lats = np.array([e.latitude for e in events])
    lons = np.array([e.longitude for e in events])
    frame = gpd.GeoDataFrame(
        {c: [getattr(e, c) for e in events] for c in LEAN_COLUMNS if c != "n_sources"},
        geometry=gpd.points_from_xy(lons, lats), crs=4326)  # fmt: skip
    del events
    tree = frame.sindex
    ids_all = frame["event_id"].to_numpy()

    def with_geopandas(centre):
        import shapely

        hits = np.unique(np.concatenate([
            tree.query(shapely.box(b[0], b[2], b[1], b[3]))
            for b in bounding_boxes(centre[0], centre[1], radius)]))  # fmt: skip
        d = geodesic_km_from(centre[0], centre[1], lats[hits], lons[hits])
        keep = hits[d <= radius]
        order = np.lexsort((ids_all[keep], d[d <= radius]))
        return list(frame.iloc[keep[order]].assign(distance_km=np.sort(d[d <= radius]))["event_id"])

    cpu, wall, got = timed(with_geopandas, centres)
    print(f"  baseline geopandas (STRtree + geodesic, lean frame): {stats(cpu, wall)}")
    assert got == reference, "geopandas baseline differs"
    try:
        from sklearn.neighbors import BallTree
    except ImportError:
        print("  baseline BallTree: scikit-learn is not installed (pass --extra-path)")
        return
    ball = BallTree(np.radians(np.c_[lats, lons]), metric="haversine")

    def with_balltree(centre):
        (hits,) = ball.query_radius(np.radians([centre]), r=radius * 1.01 / 6356.0)
        d = geodesic_km_from(centre[0], centre[1], lats[hits], lons[hits])
        keep = hits[d <= radius]
        order = np.lexsort((ids_all[keep], d[d <= radius]))
        return list(frame.iloc[keep[order]]["event_id"])

    cpu, wall, got = timed(with_balltree, centres)
    print(f"  baseline BallTree (haversine + geodesic, lean frame): {stats(cpu, wall)}")
    assert got == reference, "BallTree baseline differs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--commands", type=int, default=20)
    ap.add_argument("--radius", type=float, default=25.0)
    ap.add_argument("--dir", default=None, help="where stores are built (and kept for reuse)")
    ap.add_argument("--extra-path", default=None, help="a folder holding scikit-learn")
    ap.add_argument("--no-baselines", action="store_true", help="skip geopandas and BallTree")
    args = ap.parse_args()
    if args.extra_path:
        sys.path.append(args.extra_path)
    import tempfile

    holder = None if args.dir else tempfile.TemporaryDirectory()
    folder = Path(args.dir or holder.name)  # type: ignore[union-attr]
    print(f"geomap near benchmark, {args.queries} centres, radius {args.radius:g} km; {load()}")
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"{n:,} stored events:")
        store, dataset = build(n, folder)
        rng = np.random.default_rng(11)
        centres = list(zip(rng.uniform(*LAT, args.queries).tolist(),
                           rng.uniform(*LON, args.queries).tolist(), strict=True))  # fmt: skip
        reference = inner(store, dataset, centres, args.radius)
        with EventStore.open(store, read_only=True) as s:
            dist = [[(e, f"{d:.1f}") for e, d in zip(*pair, strict=True)] for pair in (
                (list(f["event_id"]), list(f["distance_km"]))
                for f in (near(c, radius_km=args.radius, columns=["event_id"], store=s)
                          for c in centres[: args.commands]))]  # fmt: skip
        if args.commands:
            commands(store, dataset, centres[: args.commands], args.radius, dist)
        if not args.no_baselines:
            baselines(store, centres, args.radius, reference)
        print(f"  events per answer: mean {statistics.mean(len(r) for r in reference):.1f}; "
              f"{load()}")  # fmt: skip
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; {load()}")


if __name__ == "__main__":
    main()
