"""Articles per second of the text pipeline (geoparse + events), one process, one core.

Run on demand (not a test)::

    GEOMAP_GAZETTEER=data/gazetteer.sqlite .venv/bin/python benchmarks/bench_extract.py

What it measures, all in this one run:

* **seed x N**: ``extract_article`` on the seed article (~900 words) repeated;
* **corpus, 1,000-word articles**: the TR-News texts, read at run time from
  ``../shared/eval/TR-News.xml`` (never copied), joined in order into articles
  of at least 1,000 words; also the TR-News articles as they are;
* the split between place resolution (``geoparse``) and the event rules
  (``extract_events``), with and without the geocode cache;
* **peak memory**: the process's maximum RSS and the Python allocation peak
  (tracemalloc, measured in a separate, slower pass);
* a **baseline** on the same inputs: spaCy's small English model (NER only)
  when it is installed; otherwise geotext (the capitalised-word city/country
  lookup the issue compares against) when installed; otherwise a plain regex
  of capitalised phrases looked up in a set of gazetteer names.  The ratio is
  ours / baseline articles per second.  The baselines only *find* names; they
  resolve nothing and extract no events, so a ratio below 1 is expected.

* with ``--against DIR``: the code before a change (a checkout whose ``geomap``
  package is in ``DIR``) and this checkout, run in turn (``--rounds`` times each,
  alternating, so that the load of a shared machine falls on both alike) on the
  1,000-word articles, each in a fresh process; wall and CPU articles per second of
  ``extract_article`` and of ``geoparse`` alone, and the start-up CPU (imports,
  gazetteer, name index, first article), median of the rounds, with the machine's
  load average;
* with ``--against DIR --command FOLDER``: the whole ``geomap extract FOLDER``
  command of each checkout in turn (a fresh geocode cache each time, the JSON
  written to /dev/null): CPU (user + sys) and wall seconds, median of the rounds.

Target: >= 300 articles/s for 1,000-word articles on one core.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
TR_NEWS = REPO.parent / "shared" / "eval" / "TR-News.xml"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rate(fn, items, *, min_seconds: float = 2.0) -> tuple[float, int]:
    """Articles per second of ``fn`` over ``items`` (repeated until ``min_seconds``)."""
    wall, _, done = rates(fn, items, min_seconds=min_seconds)
    return wall, done


def rates(fn, items, *, min_seconds: float = 2.0) -> tuple[float, float, int]:
    """(wall, CPU) articles per second of ``fn`` over ``items`` and how many were done."""
    done = 0
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    while True:
        for it in items:
            fn(it)
        done += len(items)
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return done / elapsed, done / max(time.process_time() - c0, 1e-9), done


def one_rate(args: argparse.Namespace) -> int:
    """Print ``RATE wall cpu`` for the 1,000-word articles (one round of ``--against``)."""
    started = time.process_time()
    from geomap.gazetteer import Gazetteer
    from geomap.text import article_from_text, extract_article, geoparse

    gaz = Gazetteer.open()
    reading = time.process_time()
    _, joined = load_corpus(args.corpus, args.words)
    arts = [article_from_text(t, date="2016-12-19") for t in joined]
    reading = time.process_time() - reading
    extract_article(arts[0], gazetteer=gaz)  # start-up: timed apart from the rates
    startup = time.process_time() - started - reading
    wall, cpu, _ = rates(
        lambda a: extract_article(a, gazetteer=gaz), arts, min_seconds=args.seconds
    )
    geo_wall, geo_cpu, _ = rates(
        lambda a: geoparse(a.text, gazetteer=gaz), arts, min_seconds=args.seconds
    )
    print(f"RATE {wall:.2f} {cpu:.2f} {geo_wall:.2f} {geo_cpu:.2f} {startup:.3f}")
    gaz.close()
    return 0


def against(args: argparse.Namespace) -> int:
    """Alternate fresh processes of the code in ``args.against`` and of this checkout."""
    if args.command is not None:
        return against_command(args)
    sides = {"before": str(args.against), "after": str(REPO)}
    got: dict[str, list[tuple[float, ...]]] = {k: [] for k in sides}
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for side, path in sides.items():
            env = {**os.environ, "PYTHONPATH": path}
            cmd = [sys.executable, __file__, "--one-rate", "--seconds", str(args.seconds),
                   "--words", str(args.words), "--corpus", str(args.corpus)]  # fmt: skip
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
            wall, cpu, geo_wall, geo_cpu, startup = (
                float(x) for x in out.split("RATE", 1)[1].split()
            )
            got[side].append((wall, cpu, geo_wall, geo_cpu, startup))
            loads.append(os.getloadavg()[0])
            print(f"  {side:<6} wall {wall:7.1f} a/s  CPU {cpu:7.1f} a/s   geoparse alone: wall"
                  f" {geo_wall:7.1f}  CPU {geo_cpu:7.1f}   start-up CPU {startup:5.2f} s"
                  f"  ({path})", flush=True)  # fmt: skip
    print(f"\n{args.words}-word articles, {args.rounds} alternating rounds, median a/s"
          " (extract_article; geoparse alone) and start-up CPU s:")
    for side, runs in got.items():
        wall, cpu, geo_wall, geo_cpu, startup = (
            statistics.median(r[k] for r in runs) for k in range(5)
        )
        print(f"  {side:<6} wall {wall:7.1f}  CPU {cpu:7.1f}   geoparse: wall {geo_wall:7.1f}"
              f"  CPU {geo_cpu:7.1f}   start-up CPU {startup:5.2f} s")
    print(f"load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}")
    return 0


def against_command(args: argparse.Namespace) -> int:
    """``geomap extract FOLDER`` of the code in ``args.against`` and of this checkout, in
    turn: CPU (user + sys, from the child's resource usage) and wall seconds."""
    folder = args.command.resolve()
    if not folder.is_dir():
        print(f"--command: no folder {str(folder)!r}. Fix: give a folder of article files.")
        return 2
    sides = {"before": str(args.against), "after": str(REPO)}
    got: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for side, path in sides.items():
            with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
                env = {**os.environ, "PYTHONPATH": path, "GEOMAP_DATA_DIR": tmp,
                       "GEOMAP_CACHE": str(Path(tmp) / "cache.sqlite")}  # fmt: skip
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                # run from the temporary folder: ``-m`` puts the working directory first
                # on the path, where a checkout's own package would shadow PYTHONPATH's
                subprocess.run([sys.executable, "-m", "geomap", "extract", str(folder)], env=env,
                               cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               check=True)  # fmt: skip
                wall = time.perf_counter() - t0
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            got[side].append((cpu, wall))
            loads.append(os.getloadavg()[0])
            print(f"  {side:<6} CPU {cpu:6.2f} s  wall {wall:6.2f} s  ({path})", flush=True)
    n = sum(1 for p in folder.rglob("*") if p.is_file())
    print(f"\ngeomap extract {folder} ({n} files), {args.rounds} alternating rounds, median:")
    for side, runs in got.items():
        cpu, wall = (statistics.median(r[k] for r in runs) for k in range(2))
        print(f"  {side:<6} CPU {cpu:6.2f} s  wall {wall:6.2f} s")
    print(f"load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}")
    return 0


def load_corpus(path: Path, words_per_article: int) -> tuple[list[str], list[str]]:
    """(TR-News texts as they are, the same texts joined into >= N-word articles)."""
    root = ET.parse(path).getroot()
    texts = []
    for art in root.iter("article"):
        title = (art.findtext("title") or "").strip()
        body = (art.findtext("text") or "").strip()
        if body:
            texts.append(f"{title}\n{body}")
    joined, cur, n = [], [], 0
    for t in texts:
        cur.append(t)
        n += len(t.split())
        if n >= words_per_article:
            joined.append("\n".join(cur))
            cur, n = [], 0
    return texts, joined


def make_baseline(gazetteer):
    """(name, fn(text)) of the best baseline installed, see the module docs."""
    try:
        import spacy

        nlp = spacy.load(
            "en_core_web_sm", disable=["parser", "lemmatizer", "tagger", "attribute_ruler"]
        )
        return "spaCy en_core_web_sm NER", lambda text: [
            e for e in nlp(text).ents if e.label_ in ("GPE", "LOC")
        ]
    except (ImportError, OSError):
        pass
    try:
        from geotext import GeoText

        GeoText("warm up Paris")
        return "geotext 0.4 (city/country lookup)", lambda text: GeoText(text).cities
    except ImportError:
        pass
    keys = {k for k, pop in gazetteer.iter_keys() if pop >= 1000}
    cap = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")
    return "capitalised-phrase regex + name set", lambda text: [
        m for m in cap.findall(text) if m.lower() in keys
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=50, help="copies of the seed per timing round")
    ap.add_argument("--seconds", type=float, default=3.0, help="minimum seconds per measurement")
    ap.add_argument("--words", type=int, default=1000, help="words per joined corpus article")
    ap.add_argument("--corpus", type=Path, default=TR_NEWS)
    ap.add_argument("--against", type=Path, help="a checkout's package folder to compare with")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of --against")
    ap.add_argument(
        "--command", type=Path, metavar="FOLDER",
        help="with --against: time the whole `geomap extract FOLDER` instead",
    )  # fmt: skip
    ap.add_argument("--one-rate", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("GEOMAP_GAZETTEER", str(REPO / "data" / "gazetteer.sqlite"))
    if args.one_rate:
        return one_rate(args)
    if args.against is not None:
        return against(args)

    os.environ.setdefault("GEOMAP_GAZETTEER", str(REPO / "data" / "gazetteer.sqlite"))
    tmp = tempfile.mkdtemp(prefix="bench-extract-")
    os.environ["GEOMAP_CACHE"] = str(Path(tmp) / "cache.sqlite")  # never touch the user's cache

    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeCache, Geocoder
    from geomap.text import (
        article_from_text,
        extract_article,
        extract_events,
        geoparse,
        read_article,
    )

    print(f"python {sys.version.split()[0]}, pid {os.getpid()}, 1 process")
    rss0 = rss_mib()
    gaz = Gazetteer.open()
    t0 = time.perf_counter()
    seed = read_article(SEED, date="2015-09-30")
    geoparse(seed.text, gazetteer=gaz)
    print(
        f"start-up (gazetteer open + name index, first article): {time.perf_counter() - t0:.2f} s, "
        f"RSS {rss0:.0f} -> {rss_mib():.0f} MiB"
    )

    inputs: dict[str, list] = {f"seed x{args.repeat}": [seed] * args.repeat}
    if args.corpus.exists():
        texts, joined = load_corpus(args.corpus, args.words)
        inputs[f"TR-News as is ({len(texts)} articles)"] = [
            article_from_text(t, date="2016-12-19") for t in texts
        ]
        inputs[f"TR-News joined to >= {args.words} words ({len(joined)} articles)"] = [
            article_from_text(t, date="2016-12-19") for t in joined
        ]
    else:
        print(f"(corpus {args.corpus} absent: corpus rows skipped)")

    base_name, base_fn = make_baseline(gaz)
    cache = GeocodeCache.open()
    geocoder = Geocoder(cache=cache, gazetteer=gaz)

    print(f"\nbaseline: {base_name}\n")
    header = (
        f"{'input':<44} {'words':>6} {'ours a/s':>9} {'+cache':>8} {'events':>8} "
        f"{'baseline':>9} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    results = {}
    for name, arts in inputs.items():
        words = sum(len(a.text.split()) for a in arts) / len(arts)
        ours, _ = rate(lambda a: extract_article(a, gazetteer=gaz), arts, min_seconds=args.seconds)
        cached, _ = rate(
            lambda a: extract_article(a, gazetteer=gaz, geocoder=geocoder),
            arts,
            min_seconds=args.seconds,
        )
        parsed = [(a, geoparse(a.text, gazetteer=gaz, doc_id=a.doc_id)) for a in arts]
        events_only, _ = rate(
            lambda p: extract_events(p[0], p[1]), parsed, min_seconds=args.seconds
        )
        base, _ = rate(lambda a: base_fn(a.text), arts, min_seconds=args.seconds)
        results[name] = ours
        print(
            f"{name:<44} {words:>6.0f} {ours:>9.1f} {cached:>8.1f} {events_only:>8.0f} "
            f"{base:>9.1f} "
            f"{ours / base:>6.2f}"
        )
    print(
        "\nours a/s: extract_article (geoparse + events) without the geocode cache; "
        "+cache: with it (the CLI default);\nevents: extract_events alone on already-resolved "
        "mentions; ratio: ours / baseline."
    )

    # memory: a separate pass with tracemalloc on (it slows Python down, so it is not timed)
    last = list(inputs.values())[-1][:40]
    tracemalloc.start()
    for a in last:
        extract_article(a, gazetteer=gaz, geocoder=geocoder)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\npeak memory: max RSS {rss_mib():.0f} MiB (whole process, incl. the baseline); "
        f"Python allocation peak over {len(last)} articles: {peak / 1048576:.1f} MiB"
    )
    target = 300
    worst = min(results.values())
    print(
        f"target >= {target} articles/s: {'met' if worst >= target else 'NOT met'} "
        f"(slowest input {worst:.0f} a/s)"
    )
    cache.close()
    gaz.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
