"""Dedup across partitions against the event store's dedup (run on demand, not a test).

    python benchmarks/bench_dedup.py [--events 100000] [--cluster 2]

Prints, for N synthetic source rows from four inputs:

* the event store: ``EventStore.add_events`` of each input in turn (its
  source-row insert, R*Trees and incremental regrouping: the store has no
  way to group without storing), CPU and wall time, groups per CPU-second;
* :func:`geomap.dataset.dedup.dedupe_serial` on the same rows (checks,
  partitions, pairs, grouping and merged events), the same figures;
* with ``--cluster N``, :func:`geomap.dataset.dedup.dedupe_on` on a
  LocalCluster of N processes (client CPU, and wall time);
* whether the groups are identical, and the machine's load.

Synthetic rows: reported events spread over a 6 x 8 degree box (so cells
and month edges are crossed everywhere) over two years; each is reported by
one to three inputs, the copies a few km and a day or two apart, some with
an ACLED time precision of 2 or 3, 8% at admin-1 level, 8% without a place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.dataset.dedup import dedupe_on, dedupe_serial  # noqa: E402
from geomap.model import Event  # noqa: E402
from geomap.store import EventStore  # noqa: E402

ORIGINS = ["acled", "ucdp", "text", "gdelt"]
TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]  # fmt: skip
DAY0 = dt.date(2015, 1, 1).toordinal()


def synthetic(n: int, seed: int = 5) -> tuple[list[Event], list[str]]:
    """``n`` source rows and the input file of each."""
    rng = random.Random(seed)
    towns = [(f"Town {k}", rng.uniform(32.0, 38.0), rng.uniform(36.0, 44.0)) for k in range(3000)]
    events: list[Event] = []
    files: list[str] = []
    k = 0
    while len(events) < n:
        name, lat, lon = towns[rng.randrange(len(towns))]
        day = DAY0 + rng.randrange(730)
        kind = TYPES[rng.randrange(len(TYPES))]
        for origin in rng.sample(ORIGINS, rng.choice([1, 1, 2, 3])):
            roll = rng.random()
            prec = 3 if roll < 0.08 else rng.choice([1, 1, 2])
            extra: dict[str, object] = {}
            if origin == "acled":
                extra["time_precision"] = rng.choice([1, 1, 1, 2, 3])
            jitter = rng.uniform(-0.03, 0.03)
            events.append(Event(
                event_id=f"{origin}:{k}", origin=origin,
                event_date=dt.date.fromordinal(day + rng.choice([0, 0, 1, -1])).isoformat(),
                event_type=kind[0], sub_event_type=kind[1],
                location="" if 0.08 <= roll < 0.16 else name,
                latitude=lat + jitter, longitude=lon - jitter, geo_precision=prec,
                country="Testland", admin1=f"R{int(lat // 2)}_{int(lon // 2)}",
                deaths_best=rng.randrange(6), extra=extra,
            ))  # fmt: skip
            files.append(f"{origin}.csv" if origin != "text" else f"article-{k // 50}")
            k += 1
    return events[:n], files[:n]


def clock() -> tuple[float, float]:
    t = os.times()
    return t.user + t.system, time.perf_counter()


def since(start: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = clock()
    return cpu - start[0], wall - start[1]


def store_groups(events: list[Event], files: list[str]) -> tuple[set[frozenset[str]], float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        start = clock()
        with EventStore.open(Path(tmp) / "events.sqlite") as store:
            for name in dict.fromkeys(files):
                batch = [e for e, f in zip(events, files, strict=True) if f == name]
                store.add_events(batch, input_format="csv", input_file=name)
            cpu, wall = since(start)
            groups = {frozenset(e.extra["source_ids"]) for e in store.events()}
    return groups, cpu, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--cluster", type=int, default=0, help="also on a LocalCluster of N")
    args = ap.parse_args()
    events, files = synthetic(args.events)
    print(f"load average before: {os.getloadavg()}")
    print(f"{len(events)} source rows, {len(set(files))} input files")

    start = clock()
    result = dedupe_serial(events, input_files=files)
    cpu, wall = since(start)
    ours = {frozenset(g) for g in result.groups}
    print(f"dedupe_serial:      {cpu:8.1f} s CPU {wall:8.1f} s wall  {len(ours)} groups  "
          f"{len(ours) / cpu:8.0f} groups/CPU-s  {len(events) / cpu:8.0f} rows/CPU-s  "
          f"({result.partitions} partitions, {result.pairs} pairs)")

    if args.cluster:
        from distributed import Client, LocalCluster

        local = LocalCluster(n_workers=args.cluster, threads_per_worker=1, processes=True,
                             host="127.0.0.1", dashboard_address=None)  # fmt: skip
        with local, Client(local) as client:
            start = clock()
            spread = dedupe_on(client, events, input_files=files)
            cpu, wall = since(start)
        print(f"dedupe_on local:{args.cluster} {cpu:6.1f} s client CPU {wall:8.1f} s wall  "
              f"identical to serial: {spread.groups == result.groups}")

    stored, cpu, wall = store_groups(events, files)
    print(f"store add_events:   {cpu:8.1f} s CPU {wall:8.1f} s wall  {len(stored)} groups  "
          f"{len(stored) / cpu:8.0f} groups/CPU-s  {len(events) / cpu:8.0f} rows/CPU-s")
    print(f"groups identical to the store's: {ours == stored}  "
          f"(multi-row groups: {sum(len(g) > 1 for g in stored)})")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
