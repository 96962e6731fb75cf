"""Extraction on a Dask LocalCluster of 2 workers against one process: same output, per-core rate.

Run on demand (not a test; needs the geomap[dask] extra)::

    GEOMAP_GAZETTEER=data/gazetteer.sqlite .venv/bin/python benchmarks/bench_cluster.py

What it measures, all in this one run, on the texts of the three shared
corpora (LGL, TR-News, GeoVirus from ``../shared/eval``, read at run time and
written to a temporary folder as one text file per article, never copied into
the repository), repeated ``--repeat`` times under new file names:

* the **whole commands** as a user runs them, each with a fresh geocode cache,
  alternated ``--rounds`` times so that the load of a shared machine falls on
  both alike: ``geomap extract DIR -o one.json`` (the baseline) and
  ``geomap extract DIR --cluster local:2 -o many.json``; wall time and CPU
  time (user + sys of the command and every process it started: client,
  scheduler, nannies, workers), articles per CPU-second and per wall-second,
  and the ratio of the per-core rates (cluster / one process);
* what running in parallel costs on this machine whatever the tool: the
  baseline command started ``--workers`` times at once, each on its share of
  the articles (``N at once``), CPU of them all; the cluster's per-core rate
  can be no better than theirs;
* that the outputs are **identical**: the JSON written, and the cache answers
  (same keys, same answer for each);
* the **set-up per worker** (opening the gazetteer and building its name index
  and the cache shard), wall and CPU, as the workers report it;
* the machine's **load average** before and after.

With ``--ingest ROWS`` it measures ingest instead, on a made-up ACLED table of
ROWS rows (written at run time; a few bad rows among them), alternated
``--rounds`` times: ``geomap ingest FILE --store S`` followed by ``geomap
export --to dataset`` (the baseline, one process) against ``geomap ingest FILE
--cluster local:2 --dataset D``; rows per CPU-second of the whole commands
(every process they start), the work alone (the tasks' CPU on the workers),
and whether the events written are identical (event ids, groups and every
field)::

    .venv/bin/python benchmarks/bench_cluster.py --ingest 100000 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
CORPORA = ("lgl.xml", "TR-News.xml", "GeoVirus.xml")


def write_articles(folder: Path, repeat: int) -> int:
    """One text file per article of the three corpora (title line, then text); how many."""
    n = 0
    for name in CORPORA:
        path = EVAL / name
        if not path.is_file():
            sys.exit(f"{path} is missing: this benchmark reads the shared corpora")
        for i, art in enumerate(ET.parse(path).getroot().iter("article")):
            text = (art.findtext("text") or "").strip()
            title = (art.findtext("title") or text.split(".")[0])[:200].strip() or "untitled"
            for r in range(repeat):
                stem = re.sub(r"\W+", "-", name.lower())
                (folder / f"{stem}-{i:04d}-r{r}.txt").write_text(f"{title}\n{text}\n", "utf-8")
                n += 1
    return n


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command (its descendants included) and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def run_at_once(commands: list[tuple[list[str], dict[str, str]]]) -> tuple[float, float]:
    """Wall and CPU seconds (all of them) of commands (with their environments) started
    together."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    running = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True) for c, env in commands]  # fmt: skip
    for proc, (command, _env) in zip(running, commands, strict=True):
        _out, err = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{err[-2000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def shares(folder: Path, work: Path, n: int) -> list[Path]:
    """The articles of ``folder`` split into ``n`` folders (hard links), in name order."""
    files = sorted(folder.iterdir())
    out = []
    for k in range(n):
        share = work / f"share-{k}"
        share.mkdir()
        for f in files[k * len(files) // n : (k + 1) * len(files) // n]:
            os.link(f, share / f.name)
        out.append(share)
    return out


def cache_answers(path: Path) -> dict[str, dict]:
    from geomap.geocoding import GeocodeCache

    with GeocodeCache.open(path) as cache:
        out = {}
        for e in cache.entries():
            record = e.to_record()
            record.pop("created")
            record.pop("updated")
            out[e.key] = record
        return out


WORK = """
import json, sys, tempfile, time, geomap
from geomap.text.names import name_index
folder, workers = sys.argv[1], int(sys.argv[2])
with geomap.Workspace(cache=tempfile.mktemp(suffix=".sqlite")) as ws:
    cpu = time.process_time()
    name_index(ws.gazetteer)
    index_cpu = time.process_time() - cpu
    cpu = time.process_time()
    n = sum(1 for _ in geomap.extract(folder, date="2020-01-01", workspace=ws))
    one_cpu = time.process_time() - cpu
with geomap.Workspace(cache=tempfile.mktemp(suffix=".sqlite")) as ws:
    wall = time.perf_counter()
    run = geomap.extract_cluster(folder, cluster=f"local:{workers}", date="2020-01-01",
                                 workspace=ws)
    wall = time.perf_counter() - wall
print(json.dumps({"n": n, "index_cpu": index_cpu, "one_cpu": one_cpu,
                  "task_cpu": sum(run.task_cpu_s), "tasks": run.tasks, "wall": wall,
                  "setup": sorted(run.setup.values())}))
"""


def work_rates(folder: Path, workers: int, env: dict[str, str]) -> None:
    """The work itself, set-up aside: CPU per article in one process and on the workers."""
    done = subprocess.run([sys.executable, "-c", WORK, str(folder), str(workers)], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    got = json.loads(done.stdout.strip().splitlines()[-1])
    n = got["n"]
    print(f"the work alone (set-up aside), {n:,} articles:")
    print(f"  one process: {n / got['one_cpu']:6.1f} articles per CPU-second"
          f" (its name index: {got['index_cpu']:.1f} s CPU, once)")
    print(f"  on {workers} workers: {n / got['task_cpu']:6.1f} articles per CPU-second of the"
          f" tasks ({got['tasks']} tasks); ratio {got['one_cpu'] / got['task_cpu']:.2f};"
          f" the run's wall time {got['wall']:.1f} s")
    for wall, cpu in got["setup"]:
        print(f"  set-up of one worker (gazetteer, name index, shard): wall {wall:.1f} s,"
              f" CPU {cpu:.1f} s")


def medians(figures: dict[str, list[tuple[float, float]]], n: int, unit: str) -> dict[str, float]:
    """Print each command's median wall and CPU time and its rates; the per-CPU-second rates."""
    rates = {}
    for label, runs in figures.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        rates[label] = n / cpu
        print(f"{label:12s}: median wall {wall:7.1f} s ({n / wall:8,.1f} {unit}/s),"
              f" CPU {cpu:7.1f} s ({n / cpu:8,.1f} {unit} per CPU-second)")
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="copies of each article")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each command")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ingest", type=int, default=0, metavar="ROWS",
                        help="measure ingest of a made-up ACLED table of ROWS rows instead")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        if args.ingest:
            return bench_ingest(work, args.ingest, args.rounds, args.workers)
        return bench(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(work: Path, args: argparse.Namespace) -> int:
    folder = work / "articles"
    folder.mkdir()
    n = write_articles(folder, args.repeat)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GEOMAP_PROGRESS": "0"}
    geomap_cmd = [sys.executable, "-m", "geomap", "extract", str(folder), "--date", "2020-01-01"]
    print(f"{n:,} articles (LGL, TR-News, GeoVirus x {args.repeat}); load before:",
          os.getloadavg())  # fmt: skip
    at_once = f"{args.workers} at once"
    figures: dict[str, list[tuple[float, float]]] = {"one process": [], "cluster": [],
                                                     at_once: []}  # fmt: skip
    parts = shares(folder, work, args.workers)
    for r in range(args.rounds):
        spread = ["--cluster", f"local:{args.workers}"]
        for label, extra in (("one process", []), ("cluster", spread), (at_once, None)):
            if extra is None:
                wall, cpu = run_at_once([
                    ([*geomap_cmd[:4], str(p), *geomap_cmd[5:], "-o",
                      str(work / f"share-{k}-{r}.json")],
                     {**env, "GEOMAP_CACHE": str(work / f"share-{k}-{r}.sqlite")})
                    for k, p in enumerate(parts)
                ])  # fmt: skip
                figures[label].append((wall, cpu))
                print(f"  round {r + 1} {label:12s} wall {wall:7.1f} s  CPU {cpu:7.1f} s"
                      f"  load {os.getloadavg()[0]:.1f}")  # fmt: skip
                continue
            cache = work / f"{label.replace(' ', '-')}-{r}.sqlite"
            out = work / f"{label.replace(' ', '-')}-{r}.json"
            wall, cpu, _ = run([*geomap_cmd, *extra, "-o", str(out)],
                               {**env, "GEOMAP_CACHE": str(cache)})  # fmt: skip
            figures[label].append((wall, cpu))
            print(f"  round {r + 1} {label:12s} wall {wall:7.1f} s  CPU {cpu:7.1f} s"
                  f"  load {os.getloadavg()[0]:.1f}")  # fmt: skip
    same_json = json.loads((work / "one-process-0.json").read_text()) == json.loads(
        (work / "cluster-0.json").read_text()
    )
    one = cache_answers(work / "one-process-0.sqlite")
    many = cache_answers(work / "cluster-0.sqlite")
    same_cache = one == many
    print(f"identical output: events and mentions (the JSON) {same_json};"
          f" cache answers {same_cache} ({len(one):,} vs {len(many):,} keys)")  # fmt: skip
    rates = medians(figures, n, "articles")
    print(f"per-core rate, cluster / one process: {rates['cluster'] / rates['one process']:.2f}"
          f" (target >= 0.85 on a quiet machine); {at_once} / one process:"
          f" {rates[at_once] / rates['one process']:.2f}")
    work_rates(folder, args.workers, env)
    print("load after:", os.getloadavg())
    return 0 if same_json and same_cache else 1


INGEST_WORK = """
import json, sys, geomap
from geomap.engine.client import open_client
from geomap.engine.ingest import ingest_on
table, target, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
with geomap.Workspace() as ws:
    gazetteer = ws.gazetteer.path
run = ingest_on(lambda: open_client(cluster=f"local:{workers}"), [table], fmt="auto",
                dataset=__import__("pathlib").Path(target), gazetteer=gazetteer)
print(json.dumps({"task_cpu": sum(run.task_cpu_s), "tasks": run.tasks, "rows": run.events}))
"""


def dataset_rows(root: Path) -> dict[str, tuple]:
    """A dataset's rows as dataset rows, by id."""
    import pyarrow.parquet as pq

    from geomap.dataset import table_events
    from geomap.dataset.columns import event_row

    out = {}
    for part in sorted(root.glob("events/source=*/year=*/part-*.parquet")):
        for event in table_events(pq.read_table(part).drop_columns(["geometry", "bbox"])):
            out[event.event_id] = event_row(event)
    return out


def bench_ingest(work: Path, rows: int, rounds: int, workers: int) -> int:
    """``geomap ingest`` + ``export --to dataset`` against ``ingest --cluster``."""
    from bench_ingest import write_csv

    table = work / "acled.csv"
    write_csv(table, rows)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GEOMAP_PROGRESS": "0"}
    cmd = [sys.executable, "-m", "geomap"]
    print(f"{rows:,} made-up ACLED rows; {workers} workers; load before:", os.getloadavg())
    figures: dict[str, list[tuple[float, float]]] = {"one process": [], "ingest": [],
                                                     "cluster": []}  # fmt: skip
    for r in range(rounds):
        store, exported, ds = work / f"s{r}.sqlite", work / f"e{r}", work / f"d{r}"
        wall, cpu, _ = run([*cmd, "ingest", str(table), "--store", str(store)], env)
        figures["ingest"].append((wall, cpu))
        w2, c2, _ = run([*cmd, "export", str(exported), "--to", "dataset", "--store", str(store)],
                        env)  # fmt: skip
        figures["one process"].append((wall + w2, cpu + c2))
        wc, cc, _ = run([*cmd, "ingest", str(table), "--cluster", f"local:{workers}",
                         "--dataset", str(ds)], env)  # fmt: skip
        figures["cluster"].append((wc, cc))
        print(f"  round {r + 1}: ingest {cpu:6.1f} s CPU, + export {c2:5.1f} s;"
              f" cluster {cc:6.1f} s CPU (wall {wall + w2:5.1f} vs {wc:5.1f} s);"
              f" load {os.getloadavg()[0]:.1f}")  # fmt: skip
    want, got = dataset_rows(work / "e0"), dataset_rows(work / "d0")
    same = want == got
    differ = sum(want[k] != got.get(k) for k in want)
    print(f"identical events: {same} ({len(want):,} exported from the store, {len(got):,} in"
          f" the cluster's dataset; {differ} differ)")  # fmt: skip
    rate = medians(figures, rows, "rows")
    print(f"per-core rate, cluster / (ingest + export): {rate['cluster'] / rate['one process']:.2f}"
          f"; cluster / ingest alone: {rate['cluster'] / rate['ingest']:.2f}")
    args = [sys.executable, "-c", INGEST_WORK, str(table), str(work / "w"), str(workers)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    got_work = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"the tasks alone on the workers: {rows / got_work['task_cpu']:8,.0f} rows per"
          f" CPU-second ({got_work['tasks']} tasks)")
    print("load after:", os.getloadavg())
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
