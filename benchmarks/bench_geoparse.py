"""Geoparsing speed and memory, beside a baseline measured in the same run.

    python benchmarks/bench_geoparse.py [--repeats 300] [--corpus PATH] [--limit N]

Each side runs in its own child process (one core, so peak memory is its own):

* geomap: ``geomap.resolve.geoparse`` (recognition + resolution, no geocode
  cache), after the name-key index is built (its build time is reported);
* baseline: spaCy's small English NER (``en_core_web_sm``) when it is
  installed, otherwise geotext (``pip install geotext``), otherwise a naive
  scan that looks every capitalised word up in the gazetteer's name keys.

Inputs: the seed article repeated, and the articles of a corpus (default
``../shared/eval/TR-News.xml``; skipped when absent).  Figures: articles per
second by CPU time and by wall-clock time, words per article, and the peak
resident memory of the process.  Target: >= 300 articles/s for ~1,000-word
articles on one core.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "TR-News.xml"


def _texts(corpus: str | None, limit: int | None) -> list[str]:
    if not corpus or not Path(corpus).is_file():
        return []
    from geomap.evaluation import read_corpus

    return [a.text for a in read_corpus(corpus, limit=limit)]


def _baseline():
    """(name, function text -> list of names) for the best baseline installed."""
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm", disable=["parser", "lemmatizer"])
        return "spaCy en_core_web_sm NER", lambda t: [
            e.text for e in nlp(t).ents if e.label_ in ("GPE", "LOC")
        ]
    except (ImportError, OSError):
        pass
    try:
        from geotext import GeoText

        return "geotext", lambda t: (lambda g: g.cities + g.countries)(GeoText(t))
    except ImportError:
        pass
    from geomap.gazetteer import Gazetteer
    from geomap.text import name_index

    keys = name_index(Gazetteer.open_or_build()).population
    word = re.compile(r"\b[A-Z][a-z]+\b")
    return "naive capitalised-word scan", lambda t: [
        w for w in word.findall(t) if w.lower() in keys
    ]


def _run(fn, texts: list[str]) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    found = 0
    for text in texts:
        found += len(fn(text))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "articles": len(texts),
        "words_per_article": round(sum(len(t.split()) for t in texts) / max(1, len(texts))),
        "places_found": found,
        "cpu_s": round(cpu, 3),
        "per_s_cpu": round(len(texts) / cpu, 1) if cpu else None,
        "per_s_wall": round(len(texts) / wall, 1) if wall else None,
    }


def child(side: str, repeats: int, corpus: str | None, limit: int | None) -> dict:
    seed = SEED.read_text(encoding="utf-8")
    texts = _texts(corpus, limit)
    out: dict = {"side": side}
    if side == "geomap":
        from geomap.gazetteer import Gazetteer
        from geomap.text import geoparse, name_index

        started = time.perf_counter()
        gaz = Gazetteer.open_or_build()
        index = name_index(gaz)
        out["index_build_s"] = round(time.perf_counter() - started, 2)
        out["index_keys"] = len(index.population)
        out["name"] = "geomap geoparse"

        def fn(text: str) -> list:
            return geoparse(text, gazetteer=gaz)
    else:
        started = time.perf_counter()
        out["name"], fn = _baseline()
        out["index_build_s"] = round(time.perf_counter() - started, 2)
    fn(seed)  # warm up
    out["seed"] = _run(fn, [seed] * repeats)
    if texts:
        out["corpus"] = _run(fn, texts)
        out["corpus_name"] = Path(corpus).name
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300, help="times the seed article is parsed")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="LGL/TR-News/GeoVirus XML")
    parser.add_argument("--limit", type=int, default=None, help="first N corpus articles only")
    parser.add_argument("--child", choices=["geomap", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeats, args.corpus, args.limit)))
        return
    results = {}
    for side in ("geomap", "baseline"):
        cmd = [sys.executable, __file__, "--child", side, "--repeats", str(args.repeats),
               "--corpus", args.corpus]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results[side] = json.loads(proc.stdout.strip().splitlines()[-1])
    g, b = results["geomap"], results["baseline"]
    print(f"geomap: index of {g['index_keys']:,} name keys built in {g['index_build_s']} s")
    print(f"baseline: {b['name']}")
    print(f"{'input':<28} {'side':<30} {'words/art':>9} {'art/s cpu':>10} {'art/s wall':>10} "
          f"{'places':>7}")
    for label in ("seed", "corpus"):
        if label not in g:
            continue
        name = f"seed x{args.repeats}" if label == "seed" else g.get("corpus_name", "corpus")
        for side in (g, b):
            r = side[label]
            print(f"{name:<28} {side['name']:<30} {r['words_per_article']:>9} "
                  f"{r['per_s_cpu']:>10} {r['per_s_wall']:>10} {r['places_found']:>7}")
        ratio = g[label]["per_s_cpu"] / b[label]["per_s_cpu"]
        print(f"{'':<28} ratio geomap/baseline (cpu): {ratio:.3f}")
    print(f"peak RSS: geomap {g['peak_rss_mb']} MB, baseline {b['peak_rss_mb']} MB")
    seed_rate = g["seed"]["per_s_cpu"]
    verdict = "meets" if seed_rate >= 300 else "misses"
    print(f"target >= 300 articles/s on ~1,000-word articles: {verdict} ({seed_rate}/s on the "
          f"{g['seed']['words_per_article']}-word seed)")


if __name__ == "__main__":
    main()
