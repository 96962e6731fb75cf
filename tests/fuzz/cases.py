"""The fuzz categories: for each, a strategy of whole cases (files and commands).

The test modules run each category under the fuzz profile in force;
``benchmarks/fuzz_long.py`` runs them all for as long as it is given and
counts what broke.  :data:`CATEGORIES` maps a category's name to its strategy.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz import strategies as fz
from tests.fuzz.harness import Case, InputFile

ingest_options = st.one_of(
    st.just(()),
    st.just(("--country", "SY")),
    st.just(("--replace",)),
    st.sampled_from(["auto", "acled", "ucdp", "csv", "xlsx", "extract", "gdelt"]).map(
        lambda f: ("--format", f)
    ),
    fz.texts.map(lambda name: ("--location-column", name.replace("\x00", ""))),
)


def ingest_case(category: str, file: InputFile, options: tuple[str, ...]) -> Case:
    """``geomap ingest FILE OPTIONS``."""
    return Case(category, (file,), (("ingest", file.name, *options),))


def _ingest(category: str, files: st.SearchStrategy[InputFile]) -> st.SearchStrategy[Case]:
    return st.builds(ingest_case, st.just(category), files, ingest_options)


def _batch(files: list[InputFile]) -> Case:
    named = tuple(InputFile(f"{n}-{f.name}", f.data) for n, f in enumerate(files))
    return Case("ingest batch", named, (("ingest", *(f.name for f in named)),))


def _extract(article: InputFile, fmt: str, date: tuple[str, ...]) -> Case:
    out = f"out.{fmt}"
    ingest = ("ingest", "--format", "extract", out) if fmt == "geojson" else ("ingest", out)
    return Case("extract", (article,),
                (("extract", article.name, "--format", fmt, "-o", out, *date), ingest))  # fmt: skip


def _cache_import(file: InputFile, pins: tuple[str, ...]) -> Case:
    commands = (("cache", "import", file.name, *pins), ("geocode", "Homs", "--country", "SY"),
                ("cache", "stats"))  # fmt: skip
    return Case("cache import", (file,), commands)


def _as_import(file: InputFile) -> Case:
    name = "import.json" if file.name.endswith("json") else "import.csv"
    return Case("cache import bytes", (InputFile(name, file.data),),
                (("cache", "import", name),))  # fmt: skip


# -- the command line in general ---------------------------------------------------------

numbers = st.one_of(fz.counts, fz.latitudes, st.sampled_from(["-12.05", "1e-3", "25", "0"]))
words = st.one_of(fz.texts, fz.places, numbers, fz.dates)
relative_paths = st.sampled_from(
    ["out.csv", "out.geojson", "out.gpkg", "out.parquet", "out.json", "out.txt", "nosuch/x.csv",
     "x.sqlite", "nosuch/deeper/events.sqlite", ".", "", "out.html"]
)  # fmt: skip
Args = tuple[str, ...]


def _flat(*parts: st.SearchStrategy[Args]) -> st.SearchStrategy[Args]:
    return st.tuples(*parts).map(lambda groups: tuple(x for group in groups for x in group))


def _option(names: list[str], values: st.SearchStrategy[str]) -> st.SearchStrategy[Args]:
    """Nothing, or one of ``names`` followed by a value."""
    pair = st.tuples(st.sampled_from(names), values)
    return st.one_of(st.just(()), pair)


filters = st.lists(st.one_of(
    st.tuples(st.sampled_from(["--since", "--until"]), fz.dates),
    st.tuples(st.sampled_from(["--type", "--actor"]), words),
    st.tuples(st.sampled_from(["--min-fatalities", "--limit"]), numbers),
    st.tuples(st.just("--store"), relative_paths),
), max_size=3).map(lambda pairs: tuple(x for pair in pairs for x in pair))  # fmt: skip

points = st.sampled_from(["34.9,36.7", "-33.9,18.4", "nan,nan", "1e400,0", "91,0", "34.9"])
arguments = st.one_of(
    _flat(st.just(("near",)), (words | points).map(lambda p: (p,)),
          _option(["--radius"], numbers),
          _option(["--format"], st.sampled_from(["table", "json", "geojson", "csv", "xml"])),
          filters),
    _flat(st.just(("export",)), relative_paths.map(lambda p: (p,)),
          _option(["--format"], st.sampled_from(["csv", "geojson", "kml"])), filters),
    _flat(st.just(("geocode",)), words.map(lambda w: (w,)),
          _option(["--country", "--admin1", "--format"],
                  st.sampled_from(["SY", "ZZ", "", "Homs", "json"]))),
    _flat(st.just(("cache", "pin")), st.tuples(words, numbers, numbers),
          st.sampled_from([(), ("--country", "SY"), ("--country", "FR", "--force")])),
    _flat(st.just(("cache", "unpin")), words.map(lambda w: (w,)),
          st.sampled_from([(), ("--country", "SY")])),
    st.sampled_from([("cache", "stats"), ("cache", "stats", "--format", "json"),
                     ("cache", "export", "c.json"), ("cache", "export", "c.csv"),
                     ("cache", "export", "c.txt"), ("cache", "refresh"), ("gazetteer", "info"),
                     ("refresh", "--offline"), ("refresh", "--offline", "--dry-run"),
                     ("refresh", "--offline", "--names", "Homs")]),
    _flat(st.just(("extract", "article.txt")),
          _option(["--max-size", "--date", "--format", "--title", "--source"], words)),
    _flat(st.just(("ingest",)), (relative_paths | st.just("article.txt")).map(lambda p: (p,)),
          _option(["--date", "--country", "--format", "--location-column"], words)),
    _flat(st.just(("map", "-o", "m.html")), filters),
    st.lists(words | st.sampled_from(["--help", "--debug", "--version", "-x", "--", "cache"]),
             max_size=4).map(tuple),
)  # fmt: skip
ARTICLE = InputFile("article.txt", b"Strike on Rastan\nAn air strike on Rastan killed 3 people.\n")


def _cli(args: Args) -> Case:
    args = tuple(a.replace("\x00", "") for a in args)  # an argv cannot hold NUL
    return Case("cli", (ARTICLE,), (args,))


CATEGORIES: dict[str, st.SearchStrategy[Case]] = {
    "ingest csv": _ingest("ingest csv", fz.csv_files()),
    "ingest xlsx": _ingest("ingest xlsx", fz.xlsx_files()),
    "ingest json": _ingest("ingest json", fz.extract_json_files()),
    "ingest bytes": _ingest("ingest bytes", fz.random_files()),
    "ingest batch": st.lists(
        st.one_of(fz.csv_files(), fz.extract_json_files(), fz.random_files(), fz.xlsx_files()),
        min_size=2, max_size=3).map(_batch),  # fmt: skip
    "extract": st.builds(_extract, fz.articles(), st.sampled_from(["json", "geojson", "csv"]),
                         st.sampled_from([(), ("--date", "2015-09-30")])),  # fmt: skip
    "extract bytes": fz.random_files().map(
        lambda f: Case("extract bytes", (f,), (("extract", f.name, "-o", "out.json"),))
    ),
    "cache import": st.builds(_cache_import, fz.cache_files(),
                              st.sampled_from([(), ("--accept-pins",)])),  # fmt: skip
    "cache import bytes": fz.random_files().map(_as_import),
    "cli": arguments.map(_cli),
    "map input": st.one_of(fz.csv_files(), fz.extract_json_files(), fz.random_files()).map(
        lambda f: Case("map input", (f,), (("map", "-o", "m.html", f.name),))
    ),
}
