"""Whole-command ingest benchmark (run on demand, not a test).

    python benchmarks/bench_ingest.py [--rows 20000,100000] [--rounds 2]
                                      [--against /work/main] [--keep DIR]
    python benchmarks/bench_ingest.py --write FILE.csv --rows 20000   # the CSV only
    python benchmarks/bench_ingest.py --dump STORE.sqlite             # stored rows and events
    python benchmarks/bench_ingest.py --instructions --rows 20000 [--against DIR]

Writes a synthetic ACLED CSV per size (the columns ACLED exports; six
countries, each a box of coordinates that reaches into its neighbours, so
about 9% of rows are refused as outside their country; 3% of rows reported
again nearby by another source; 0.2% bad dates, latitudes or counts) and
runs ``geomap ingest FILE --store NEW`` as a user runs it (a subprocess),
for this checkout and, with ``--against``, another checkout (same
interpreter, its own ``PYTHONPATH``, run from the checkout), rounds
alternating.  For each: user+sys CPU of the child (``RUSAGE_CHILDREN``),
wall time, peak RSS of the child (measured by ``/usr/bin/time``), rows per
CPU-second (range over the rounds, and the median with each round's CPU),
bytes per event of the store.  Beside them, in the same run: a
raw SQLite ``executemany`` of every column of the same rows into one table,
the same plus one (lon, lat) R*Tree, the store's SQLite alone (the rows
geomap stored, read back and written again into the store's own table,
checks, indexes and R*Tree, a transaction per 20,000 rows: the part of an
ingest no Python can save), the CSV read once by Python's csv module (keeping
nothing: what any ingest in Python spends reading), the least ingest in
Python with the store's schema (``benchmarks/ingest_floor.py``: each row read
once, built as the store holds it, ``extra`` coded and hashed, and written
with the store's table, checks, indexes and R*Tree, but with no check,
admin-1, country test, id rule or dedup of geomap's; once with Python's csv
module and once with pyarrow's CSV reader; then the same two with geomap's
column-wise checks, country test, admin-1 join and id rule added), a
GeoParquet write (geopandas
``to_parquet``; skipped when pyarrow is missing) and a DuckDB table read
from the CSV on one thread (skipped when duckdb is missing: it is not a
dependency; put it on ``PYTHONPATH`` to compare), each with its bytes per
row.  The machine's load average is printed before and after.

The two checkouts must store the same rows and print the same summary:
``--dump`` prints every stored source row (with its provenance and group)
and every event as readers see it, sorted by id (time stamps left out; the
same whatever the store's schema version, so a store that keeps each row
once is compared by what it holds), and the benchmark compares the dumps
and summaries of the two checkouts and says whether they are identical.

``--instructions`` counts the instructions of the same command instead
(valgrind's callgrind, when installed), on ``--rows`` rows and on one row,
for both checkouts: a figure that shared-machine noise does not move.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import importlib.util
import itertools
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
from ingest_floor import RTREE_INSERT, empty_copy, least_ingest

HERE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
           "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
           "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
           "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
           "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
           "timestamp"]  # fmt: skip
# (country, ISO numeric, region, lat range, lon range, admin-1 names the source uses)
COUNTRIES = [
    ("Syria", 760, "Middle East", (32.5, 37.0), (36.0, 41.5), ["Aleppo", "Idlib", "Homs"]),
    ("Yemen", 887, "Middle East", (13.0, 17.5), (43.0, 50.0), ["Taizz", "Marib", "Al Hudaydah"]),
    ("Nigeria", 566, "Western Africa", (5.0, 13.0), (3.5, 13.5), ["Borno", "Kaduna", "Zamfara"]),
    ("Sudan", 729, "Northern Africa", (10.0, 19.0), (23.0, 35.0), ["Khartoum", "North Darfur"]),
    ("Ukraine", 804, "Europe", (46.5, 51.0), (30.0, 39.5), ["Donetsk", "Kharkiv", "Zaporizhia"]),
    ("Mali", 466, "Western Africa", (12.0, 20.0), (-8.0, 3.0), ["Mopti", "Gao", "Segou"]),
]
TYPES = [("Political violence", "Battles", "Armed clash"),
         ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
         ("Political violence", "Explosions/Remote violence",
          "Shelling/artillery/missile attack"),
         ("Political violence", "Violence against civilians", "Attack"),
         ("Demonstrations", "Protests", "Peaceful protest")]  # fmt: skip


def write_csv(path: Path, n: int, seed: int = 13) -> None:
    """``n`` ACLED rows: ~3% re-reported nearby by another source, ~0.2% bad."""
    rng = np.random.default_rng(seed)
    day0 = np.datetime64("2018-01-01")
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for start in range(0, n, 10000):
            k = min(10000, n - start)
            ci = rng.integers(0, len(COUNTRIES), k)
            ti = rng.integers(0, len(TYPES), k)
            u, v = rng.random(k), rng.random(k)
            days = rng.integers(0, 6 * 365, k)
            deaths = rng.poisson(1.5, k)
            prec = rng.choice([1, 1, 1, 2, 3], k)
            again = rng.random(k) < 0.03
            bad = rng.random(k) < 0.002
            prev: list[str] | None = None
            for i in range(k):
                name, iso, region, la, lo, admins = COUNTRIES[ci[i]]
                # now and then the last event again, from another source
                if again[i] and prev is not None and prev[28].isdigit():
                    row = list(prev)
                    row[0] = f"{prev[0]}R"
                    row[22] = f"{float(prev[22]) + 0.01:.4f}"
                    row[25] = "Local Source"
                    row[28] = str(int(prev[28]) + 1)
                else:
                    kind = TYPES[ti[i]]
                    date = str(day0 + int(days[i]))
                    lat = la[0] + u[i] * (la[1] - la[0])
                    lon = lo[0] + v[i] * (lo[1] - lo[0])
                    row = [f"{name[:3].upper()}{start + i}", date, date[:4], "1", kind[0],
                           kind[1], kind[2], f"Military Forces of {name}", "",
                           "1", f"Rebels {ti[i]}", "", "2", "12",
                           "Civilian targeting" if ti[i] == 3 else "", str(iso), region, name,
                           admins[(start + i) % len(admins)], f"District {i % 17}", "",
                           f"Town {i % 311}", f"{lat:.4f}", f"{lon:.4f}", str(prec[i]),
                           "Reuters; Local Media", "National-International",
                           f"On {date}, forces clashed near Town {i % 311}.",
                           str(deaths[i]), "", "1700000000"]  # fmt: skip
                if bad[i]:
                    row[[1, 22, 28][i % 3]] = ["someday", "91.5", "lots"][i % 3]
                prev = row
                out.writerow(row)


def dump(store: Path) -> Iterator[str]:
    """Every stored source row (with its provenance and group) and every event as readers
    see it, sorted, time stamps left out, a line each: the same for two stores that hold
    the same rows, whatever their schema version (so identical means identical)."""
    from geomap.store import EventStore

    with EventStore.open(store, read_only=True) as s:
        conn = s.connection
        have = {r[1] for r in conn.execute("PRAGMA table_info(event_sources)")}
        if "file_id" in have:  # version 5: file and admin-1 by id, the hash a 64-bit integer
            have |= {"input_file", "admin1_key"}
        cols = [c for c in ("day_min", "day_max", "type_class", "admin1_key", "coarse",
                            "input_format", "input_file", "content_hash", "place_key") if c in have]
        # the first 64 bits of the content hash (all a store keeps from version 5)
        stored = {"input_file": "COALESCE((SELECT f.path FROM input_files f "
                                "WHERE f.id = s.file_id), '')",
                  "admin1_key": "COALESCE((SELECT a.key FROM admin1_keys a "
                                "WHERE a.id = s.admin1_id), '')",
                  "content_hash": "iif(content_hash IS NULL, '', printf('%016x', content_hash))"
                  } if "file_id" in have else {"content_hash": "substr(content_hash, 1, 16)"}
        provenance = {r[0]: r[1:] for r in conn.execute(
            f"SELECT event_id, {','.join(stored.get(c, c) for c in cols)} "
            "FROM event_sources s")}  # fmt: skip
        yield f"# source rows: record, group, {','.join(cols)}\n"
        for e in s.sources():  # by event_id
            group = e.extra.pop("group_id", None)
            yield "\t".join(map(repr, [_record(e), group, *provenance[e.event_id]])) + "\n"
        yield "# events (each input row alone in its group, and merged events)\n"
        yield from (repr(_record(e)) + "\n"
                    for e in sorted(s.events(), key=lambda e: e.event_id))  # fmt: skip
        yield "# context figures\n"
        yield from (repr(_record(e)) + "\n" for e in s.context_figures())
        yield (f"# counts: {s.count()} events, {s.count_sources()} source rows, "
               f"{s.count_context()} context figures; index problems: "
               f"{len(s.check_indexes())}\n")  # fmt: skip


def _record(e: Any) -> list[tuple[str, object]]:
    """An event's fields and ``extra``, keys sorted."""
    record = {f.name: getattr(e, f.name) for f in dataclasses.fields(e)}
    extra = record.pop("extra", None) or {}
    return sorted(record.items()) + [("extra", sorted(extra.items()))]


def differing(a: object, b: object) -> int:
    """How many lines of two dump files differ (line by line)."""
    with Path(str(a)).open(encoding="utf-8") as fa, Path(str(b)).open(encoding="utf-8") as fb:
        return sum(x != y for x, y in itertools.zip_longest(fa, fb))


def run_ingest(checkout: Path, csv_path: Path, store: Path) -> dict[str, float | str]:
    """One ``geomap ingest`` subprocess: CPU, wall, peak RSS, summary, dump digest.

    CPU is the user+sys of the children (``RUSAGE_CHILDREN``).  Peak RSS is
    measured by ``/usr/bin/time`` around the command: a child forked from this
    process would count this process's memory (held dumps, geopandas) in its own.
    """
    env = dict(os.environ, PYTHONPATH=str(checkout), GEOMAP_DEBUG="")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.NamedTemporaryFile("w+", suffix=".rss") as rss:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss.name, PYTHON, "-m", "geomap", "ingest",
             str(csv_path), "--store", str(store), "--no-progress"],
            env=env, capture_output=True, text=True, cwd=checkout, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        peak_kb = float(Path(rss.name).read_text().split()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed in {checkout}:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    kept = store.with_suffix(".dump")  # a file: 1,000,000 rows' dumps are gigabytes each
    digest = hashlib.sha256()
    with kept.open("w", encoding="utf-8") as fh:
        for line in dump(store):
            fh.write(line)
            digest.update(line.encode("utf-8"))
    return {"cpu": cpu, "wall": wall, "rss": peak_kb / 1024,
            "summary": proc.stdout + proc.stderr, "dump": str(kept),
            "digest": digest.hexdigest()[:16], "bytes": store.stat().st_size}  # fmt: skip


def csv_once(csv_path: Path) -> float:
    """CPU seconds for Python's csv module to read every row of the CSV once, keeping
    none: what any ingest written in Python spends before its first check (geomap reads
    the file twice, once to check and count it and once to ingest it)."""
    t0 = time.process_time()
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for _row in csv.reader(fh):
            pass
    return time.process_time() - t0


def raw_sqlite(csv_path: Path, db: Path) -> float:
    """CPU seconds to read the CSV and executemany every column into one table."""
    t0 = time.process_time()
    with csv_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        conn = sqlite3.connect(db)
        conn.execute(f"CREATE TABLE t ({', '.join(h + ' TEXT' for h in header)})")
        conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(header))})", reader)
        conn.commit()
        conn.close()
    return time.process_time() - t0


def raw_sqlite_rtree(csv_path: Path, db: Path) -> float:
    """CPU seconds for :func:`raw_sqlite` plus one (lon, lat) R*Tree over the rows."""
    t0 = time.process_time()
    with csv_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        lat, lon = header.index("latitude"), header.index("longitude")
        conn = sqlite3.connect(db)
        conn.execute(f"CREATE TABLE t ({', '.join(h + ' TEXT' for h in header)})")
        conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, x0, x1, y0, y1)")
        insert = f"INSERT INTO t VALUES ({', '.join('?' * len(header))})"
        while chunk := list(itertools.islice(reader, 50_000)):
            conn.executemany(insert, chunk)
        conn.execute(
            f"INSERT INTO r SELECT rowid, {header[lon]}, {header[lon]}, {header[lat]}, "
            f"{header[lat]} FROM t WHERE CAST({header[lat]} AS REAL) BETWEEN -90 AND 90"
        )
        conn.commit()
        conn.close()
    return time.process_time() - t0


def store_schema(store: Path, db: Path, batch: int = 20_000) -> float:
    """CPU seconds to write the source rows a ``geomap ingest`` stored (read back from its
    store ``store`` first, untimed) into a new file with the store's own table, checks,
    indexes and R*Tree, a transaction per ``batch`` rows as the store writes them, with
    the store's settings and page size: what the store's SQLite costs alone, with every
    row already made (no reading, checking, naming or dedup)."""
    with closing(sqlite3.connect(store)) as src:
        rows = src.execute("SELECT * FROM event_sources ORDER BY sid").fetchall()
    conn = empty_copy(store, db, ("event_sources", "sources_rtree"))
    insert = f"INSERT INTO event_sources VALUES ({', '.join('?' * len(rows[0]))})"
    t0 = time.process_time()
    for i in range(0, len(rows), batch):
        part = rows[i : i + batch]
        conn.execute("BEGIN")
        conn.executemany(insert, part)
        conn.execute(RTREE_INSERT, (part[0][0] - 1,))
        conn.execute("COMMIT")
    conn.close()
    return time.process_time() - t0


def duckdb_table(csv_path: Path, db: Path) -> float | None:
    """CPU seconds for DuckDB to read the CSV into a table (None when duckdb is missing)."""
    if importlib.util.find_spec("duckdb") is None:
        return None
    import duckdb

    t0 = time.process_time()
    conn = duckdb.connect(str(db), config={"threads": 1})
    conn.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}', all_varchar = true)")
    conn.close()
    return time.process_time() - t0


def geoparquet(csv_path: Path, out: Path) -> float | None:
    """CPU seconds to read the CSV with pandas and write GeoParquet (None without pyarrow)."""
    try:
        import geopandas as gpd
        import pandas as pd
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    t0 = time.process_time()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    gdf.to_parquet(out)
    return time.process_time() - t0


def _baseline(label: str, n: int, cpus: list[float | None], size: float | None,
              missing: str = "") -> None:  # fmt: skip
    """One baseline's line: rows per CPU-second (slowest–fastest round) and bytes per row."""
    got = [c for c in cpus if c is not None]
    if not got:
        print(f"{label:28} skipped: {missing}")
        return
    rate = f"{n / max(got):,.0f}–{n / min(got):,.0f}"
    print(f"{label:28} {rate:>22} {min(got):6.2f}–{max(got):6.2f} {'':14} {'':12} "
          f"{size or 0:8.0f}")  # fmt: skip


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench(n: int, rounds: int, against: Path | None, tmp: Path) -> None:
    csv_path = tmp / f"acled{n}.csv"
    write_csv(csv_path, n)
    print(f"\n== {n:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB CSV), load {loadavg()}")
    checkouts = [("this", HERE)] + ([("against", against)] if against else [])
    results: dict[str, list[dict[str, float | str]]] = {name: [] for name, _ in checkouts}
    own: list[float | None] = []
    #: the least ingest in Python, by (reader, with geomap's checks)
    least: dict[tuple[str, bool], list[float | None]] = {
        (reader, checked): [] for checked in (False, True) for reader in ("csv", "arrow")
    }
    for r in range(rounds):
        order = checkouts if r % 2 == 0 else checkouts[::-1]
        for name, checkout in order:
            store = tmp / f"{name}-{n}-{r}.sqlite"
            results[name].append(run_ingest(checkout, csv_path, store))
            if name == "this":
                own.append(store_schema(store, tmp / f"own-{n}-{r}.sqlite"))
                for (reader, checked), spent in least.items():
                    db = tmp / f"least-{reader}{'-checked' * checked}-{n}-{r}.sqlite"
                    spent.append(least_ingest(csv_path, store, db, reader, checked=checked))
                    if r or checked:  # the sizes are read from round 0's unchecked files
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{db}{suffix}").unlink(missing_ok=True)
            store.unlink()
            for suffix in ("-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
    read = [csv_once(csv_path) for _r in range(rounds)]
    raw = [raw_sqlite(csv_path, tmp / f"raw-{n}-{r}.sqlite") for r in range(rounds)]
    rtree = [raw_sqlite_rtree(csv_path, tmp / f"rtree-{n}-{r}.sqlite") for r in range(rounds)]
    parquet = [geoparquet(csv_path, tmp / f"gp-{n}-{r}.parquet") for r in range(rounds)]
    duck = [duckdb_table(csv_path, tmp / f"duck-{n}-{r}.duckdb") for r in range(rounds)]
    sizes = {name: (tmp / f"{name}-{n}-0.{suffix}").stat().st_size / n
             for name, suffix, ok in (("raw", "sqlite", True), ("rtree", "sqlite", True),
                                      ("own", "sqlite", True),
                                      ("least-csv", "sqlite", True),
                                      ("least-arrow", "sqlite", True),
                                      ("gp", "parquet", parquet[0] is not None),
                                      ("duck", "duckdb", duck[0] is not None)) if ok}  # fmt: skip
    print(f"{'':28} {'rows/CPU-s':>18} {'CPU s':>14} {'wall s':>14} {'peak RSS MB':>12} "
          f"{'B/event':>8}")  # fmt: skip
    medians: dict[str, float] = {}
    for name, checkout in checkouts:
        rs = results[name]
        cpus = [float(x["cpu"]) for x in rs]
        walls = [float(x["wall"]) for x in rs]
        medians[name] = statistics.median(cpus)
        rate = "–".join(f"{n / c:,.0f}" for c in (max(cpus), min(cpus)))
        print(f"geomap ingest ({name:>7}) {rate:>22} {min(cpus):6.2f}–{max(cpus):6.2f} "
              f"{min(walls):6.2f}–{max(walls):6.2f} {max(float(x['rss']) for x in rs):12.0f} "
              f"{float(rs[0]['bytes']) / n:8.0f}   {checkout}")  # fmt: skip
    for name in medians:
        rounds = ", ".join(f"{float(x['cpu']):.2f}" for x in results[name])
        print(f"  {name}: median {n / medians[name]:,.0f} rows/CPU-s ({medians[name]:.2f} CPU s;"
              f" rounds {rounds})")  # fmt: skip
    if against:
        print(f"  median CPU this/against: {medians['this'] / medians['against']:.2f}")
    _baseline("the CSV read once (csv)", n, read, None)
    _baseline("raw SQLite executemany", n, raw, sizes.get("raw"))
    _baseline("raw SQLite + R*Tree", n, rtree, sizes.get("rtree"))
    _baseline("the store's SQLite alone", n, own, sizes.get("own"))
    _baseline("least ingest (csv)", n, least["csv", False], sizes.get("least-csv"))
    _baseline("least ingest (pyarrow)", n, least["arrow", False], sizes.get("least-arrow"))
    _baseline("  + checks (csv)", n, least["csv", True], sizes.get("least-csv"))
    _baseline("  + checks (pyarrow)", n, least["arrow", True], sizes.get("least-arrow"))
    _baseline("GeoParquet (geopandas)", n, parquet, sizes.get("gp"), "pyarrow is not installed")
    _baseline("DuckDB (1 thread)", n, duck, sizes.get("duck"), "duckdb is not installed")
    if against:
        same_dump = results["this"][0]["digest"] == results["against"][0]["digest"]
        same_summary = results["this"][0]["summary"] == results["against"][0]["summary"]
        print(f"identical stored rows: {same_dump}; identical summary: {same_summary}")
        for name in ("this", "against"):  # each checkout against itself, and across
            print(
                f"dump lines differing, {name} (last round) against this (first round): "
                f"{differing(results[name][-1]['dump'], results['this'][0]['dump'])}"
            )
        if not same_summary:
            print("--- this\n" + str(results["this"][0]["summary"]))
            print("--- against\n" + str(results["against"][0]["summary"]))
    summary = str(results["this"][0]["summary"]).splitlines()
    print("; ".join(x for x in summary if x.startswith(("rows read", "stored", "rejected"))))
    print(f"load after: {loadavg()}")


def instructions(n: int, against: Path | None, tmp: Path) -> None:
    """Instructions the whole ``geomap ingest`` command executes (valgrind's callgrind;
    about 50 times slower than a plain run), for this checkout and ``against``, on ``n``
    rows and on 1 row (the start-up), with a fixed hash seed and no cached bytecode in
    either.  Unlike CPU time on a shared machine, the count barely moves from run to run
    (0.001% between two runs of one checkout), so a change of a few percent shows."""
    if shutil.which("valgrind") is None:
        print("instructions: skipped, valgrind is not installed")
        return
    rows, one = tmp / f"acled{n}.csv", tmp / "acled1.csv"
    write_csv(rows, n)
    write_csv(one, 1)
    checkouts = [("this", HERE)] + ([("against", against)] if against else [])
    jobs: dict[tuple[str, Path], subprocess.Popen[str]] = {}
    counts: dict[tuple[str, Path], int] = {}
    pending = [(name, checkout, path) for name, checkout in checkouts for path in (rows, one)]
    print(f"\n== instructions, {n:,} rows and 1 row, load {loadavg()}")
    while pending or jobs:
        while pending and len(jobs) < (os.cpu_count() or 1):
            name, checkout, path = pending.pop(0)
            store = tmp / f"ir-{name}-{path.stem}.sqlite"
            env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0",
                       PYTHONDONTWRITEBYTECODE="1", GEOMAP_DEBUG="")  # fmt: skip
            jobs[(name, path)] = subprocess.Popen(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={store}.out", PYTHON,
                 "-m", "geomap", "ingest", str(path), "--store", str(store), "--no-progress"],
                env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
        key = next(iter(jobs))
        _out, err = jobs.pop(key).communicate()
        found = [line for line in err.splitlines() if "Collected :" in line]
        if not found:
            raise SystemExit(f"callgrind gave no count for {key}:\n{err[-2000:]}")
        counts[key] = int(found[-1].split(":")[-1])
    per_row: dict[str, float] = {}
    for name, checkout in checkouts:
        total, start = counts[(name, rows)], counts[(name, one)]
        per_row[name] = (total - start) / (n - 1)
        print(f"geomap ingest ({name:>7}) {total / 1e9:8.3f} G instructions, start-up "
              f"{start / 1e9:6.3f} G, per row {per_row[name] / 1e3:7.1f} k  {checkout}")
    if against:
        this, other = counts[("this", rows)], counts[("against", rows)]
        print(f"  this/against: whole command {this / other:.3f}, "
              f"per row {per_row['this'] / per_row['against']:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="20000,100000")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--against", type=Path)
    ap.add_argument("--keep", type=Path, help="work in DIR and keep the files")
    ap.add_argument("--write", type=Path, help="only write one CSV of --rows rows")
    ap.add_argument("--dump", type=Path, help="only print a store's rows, sorted")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions (valgrind) at each --rows instead of timing")
    args = ap.parse_args()
    if args.dump:
        sys.stdout.writelines(dump(args.dump))
        return
    sizes = [int(x) for x in args.rows.split(",")]
    if args.write:
        write_csv(args.write, sizes[0])
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {loadavg()}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            bench(n, args.rounds, args.against, args.keep)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            if args.instructions:
                instructions(n, args.against, Path(tmp))
            else:
                bench(n, args.rounds, args.against, Path(tmp))


if __name__ == "__main__":
    main()
