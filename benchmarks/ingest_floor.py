"""The least an ingest written in Python can spend on an ACLED CSV with the store's schema.

    python benchmarks/ingest_floor.py FILE.csv STORE.sqlite [--reader csv|arrow|both]
                                      [--checked]

``STORE.sqlite`` is the store ``geomap ingest FILE.csv`` made: its tables are
copied empty into a temporary folder, and only the rows it stored are written
(their ids are read before the clock starts), so both write the same rows.
The CSV is one that ``benchmarks/bench_ingest.py`` writes (its columns are
known here).

Each row of the CSV is read once, turned into the row ``event_sources``
holds (the event columns, ``extra`` coded as the store codes it, the day
interval, the content hash, the provenance ids) and written with the store's
own table, CHECKs, indexes and R*Tree, 20,000 rows per transaction, as the
store writes them, with the cycle collector paused.  Nothing else: no check
but the ones that keep SQLite's CHECKs from refusing a row (bad numbers and
dates are skipped), no admin-1, no country test (the rows the store refused
are skipped by their ids), no id rules, no report, no dedup.  ``geomap
ingest`` does all of those besides, so this is the least it could spend with
the store as it is; ``bench_ingest.py`` prints it beside the whole command.

Two readers: Python's ``csv`` module (what ``geomap ingest`` uses), and
pyarrow's CSV reader, which reads and trims the columns and parses the numbers
and dates in C (pyarrow is one of geomap's dependencies).

With ``checked`` it also does, a batch at a time and with geomap's own column-wise
code, the work the acceptance of an ingest asks for beside writing: the store's
checks of every value column (:func:`geomap.store.validate_batch` column tests;
a doubted row is skipped, where geomap reads it again alone), the test that each
point lies inside its country (:func:`geomap.countries.outside_country`), the
admin-1 join (one shapely query per country against the admin-1 polygons, the
names taken as the boundary data gives them, without geomap's gazetteer lookup
or ``extra`` notes) and the first-row-wins rule for repeated ids.  Still no
report, no messages, no second read and no dedup.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.store.extra import PlainExtra, encode_rows, json_encoder  # noqa: E402
from geomap.store.rows import SPATIAL_ORDER  # noqa: E402
from geomap.store.schema import rtree_days  # noqa: E402

BATCH = 20_000
#: The columns the event takes from an ACLED row; the others go to ``extra``.
_USED = {"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
         "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
         "fatalities", "source", "notes", "time_precision"}  # fmt: skip
_TEXTS = ["event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2",
          "location"]  # fmt: skip
_INSERT = ["event_id", "event_date", *_TEXTS, "latitude", "longitude", "geo_precision",
           "fatalities", "source", "notes", "deaths_low", "deaths_best", "deaths_high",
           "civilians", "children", "is_context", "origin", "coords_from_source",
           "precision_source", "extra", "day_min", "day_max", "type_class", "admin1_id",
           "coarse", "input_format", "file_id", "content_hash", "place_key"]  # fmt: skip
_EXTRA = _INSERT.index("extra")
_JSON = json_encoder(ensure_ascii=False)
_QUOTE = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]

#: One batch as columns: name -> values (texts stripped; numbers and ordinals parsed,
#: None where unusable).
Columns = dict[str, list[Any]]


#: Index the rows written since the largest sid was ``?`` in the R*Tree, as the store does.
RTREE_INSERT = (
    "INSERT INTO sources_rtree SELECT s.sid, s.longitude, s.longitude, s.latitude, "
    f"s.latitude, {rtree_days('s')} FROM event_sources s WHERE s.sid > ? "
    "AND s.latitude IS NOT NULL " + SPATIAL_ORDER.format(t="s")
)


def empty_copy(store: Path, db: Path, tables: tuple[str, ...]) -> sqlite3.Connection:
    """A new file ``db`` (any old one removed) holding ``tables`` of ``store`` empty, with
    their indexes and the store's page size and settings (autocommit)."""
    src = sqlite3.connect(store)
    ddl = [sql for (sql,) in src.execute(
        f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({','.join('?' * len(tables))}) "
        "AND sql IS NOT NULL AND name NOT LIKE 'sources_rtree_%' ORDER BY type DESC",
        tables)]  # fmt: skip
    page_size = src.execute("PRAGMA page_size").fetchone()[0]
    src.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in (f"page_size = {page_size}", "journal_mode = WAL", "synchronous = NORMAL",
                   "cache_size = -65536", "temp_store = MEMORY"):  # fmt: skip
        conn.execute(f"PRAGMA {pragma}")
    for sql in ddl:
        conn.execute(sql)
    return conn


def _csv_batches(path: Path) -> Iterator[Columns]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        names = [h.strip().lower() for h in next(reader)]
        days: dict[str, int | None] = {}
        while chunk := list(itertools.islice(reader, BATCH)):
            cells = zip(*chunk, strict=True)
            cols: Columns = {n: list(map(str.strip, c)) for n, c in zip(names, cells, strict=True)}
            for name, kind in (("latitude", float), ("longitude", float),
                               ("geo_precision", int), ("fatalities", int)):  # fmt: skip
                cols[name] = _numbers(cols[name], kind)
            for d in set(cols["event_date"]) - days.keys():
                days[d] = _ordinal(d)
            cols["day"] = [days[d] for d in cols["event_date"]]
            yield cols


def _numbers(values: list[str], kind: Callable[[str], Any]) -> list[Any]:
    try:
        return list(map(kind, values))
    except ValueError:
        out = []
        for v in values:
            try:
                out.append(kind(v))
            except ValueError:
                out.append(None)
        return out


def _ordinal(text: str) -> int | None:
    try:
        return dt.date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def _arrow_batches(path: Path) -> Iterator[Columns]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    with path.open(encoding="utf-8") as fh:
        header = next(iter(fh)).rstrip("\r\n").split(",")
    reader = pcsv.open_csv(
        path, read_options=pcsv.ReadOptions(use_threads=False, block_size=1 << 22),
        convert_options=pcsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                            strings_can_be_null=False),
    )  # fmt: skip
    names = [h.strip().lower() for h in header]
    epoch = dt.date(1970, 1, 1).toordinal()
    for batch in reader:
        arrays = {n: pc.utf8_trim_whitespace(batch.column(i)) for i, n in enumerate(names)}
        cols: Columns = {}
        for name, kind in (("latitude", pa.float64()), ("longitude", pa.float64()),
                           ("geo_precision", pa.int64()), ("fatalities", pa.int64())):  # fmt: skip
            try:
                cols[name] = pc.cast(arrays[name], kind).to_pylist()
            except pa.ArrowInvalid:
                py = float if kind == pa.float64() else int
                cols[name] = _numbers(arrays[name].to_pylist(), py)
        stamps = pc.strptime(arrays["event_date"], format="%Y-%m-%d", unit="s",
                             error_is_null=True)  # fmt: skip
        cols["day"] = pc.add(pc.divide(pc.cast(stamps, pa.int64()), 86_400), epoch).to_pylist()
        for name, array in arrays.items():
            cols.setdefault(name, array.to_pylist())
        yield cols


def _rows(cols: Columns, stored: set[str], skip: set[int]) -> list[list[Any]]:
    """The ``event_sources`` rows of one batch (``extra`` still plain; :func:`encode_rows`
    codes it), leaving out the rows SQLite's CHECKs would refuse and those not ``stored``."""
    left = [n for n in cols if n not in _USED and n != "day"]
    keys = [_QUOTE(n) + ": " for n in left] + ['"time_precision": ', '"acled_id": ']
    quoted = []
    for name in left:  # each distinct value written once
        seen = {v: _QUOTE(v) for v in set(cols[name])}
        quoted.append([seen[v] for v in cols[name]])
    main = zip(*(cols[n] for n in ("event_id_cnty", "event_date", "day", "latitude",
                                   "longitude", "geo_precision", "fatalities", "time_precision",
                                   "source", "notes", *_TEXTS)), strict=True)  # fmt: skip
    raw = zip(*(cols[n] for n in left), strict=True)
    templates: dict[tuple[int, ...], str] = {}
    rows = []
    for k, ((ident, date, day, lat, lon, gp, fat, tp, src, notes, *texts), cells, parts) in (
        enumerate(zip(main, raw, zip(*quoted, strict=True), strict=True))
    ):  # fmt: skip
        event_id = f"acled:{ident}"
        if event_id not in stored or k in skip:
            continue
        if day is None or lat is None or lon is None or fat is None or fat < 0:
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or gp not in (1, 2, 3):
            continue
        keep = [i for i, v in enumerate(cells) if v]
        data: dict[str, Any] = {left[i]: cells[i] for i in keep}
        data["time_precision"] = int(tp or 1)
        data["acled_id"] = ident
        values = [parts[i] for i in keep] + [str(data["time_precision"]), _QUOTE(ident)]
        template = templates.get(tuple(keep))
        if template is None:  # the JSON text of each set of keys, with "%s" for the values
            names = [keys[i] for i in keep] + keys[-2:]
            template = templates[tuple(keep)] = "{" + ", ".join(
                name.replace("%", "%%") + "%s" for name in names) + "}"  # fmt: skip
        text = template % tuple(values)
        extra = PlainExtra(text, data, values)
        event = [date, *texts, lat, lon, gp, fat, src, notes, fat, fat, fat, None, None, None,
                 None, 0, 0, 0, "acled", "", "", None, None, "", None, None, f"acled:{gp}", "",
                 1]  # fmt: skip
        digest = hashlib.sha1(_JSON([*event, text]).encode()).hexdigest()[:16]
        rows.append([event_id, date, *texts, lat, lon, gp, fat, src, notes, fat, fat,
                     fat, 0, 0, 0, "acled", 1, f"acled:{gp}", extra, day, day, "violence", 1,
                     0, "acled", 1, int(digest, 16) - (1 << 63), texts[-1].lower()])  # fmt: skip
    return rows


def _checked(cols: Columns) -> set[int]:
    """The rows of a batch that geomap's checks, country test or id rule take out (or
    read again alone); the admin-1 column named by the admin-1 polygons, in place."""
    from geomap import countries
    from geomap.store import admin1
    from geomap.store.validate import CHECKS
    from geomap.store.validate_batch import _doubtful

    checks = dict(CHECKS)
    skip: set[int] = set()
    for name in ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
                 "admin1", "admin2", "location", "source", "notes"):  # fmt: skip
        skip.update(_doubtful(name, checks[name], cols[name]))
    for name in ("geo_precision", "fatalities"):
        skip.update(_doubtful(name, checks[name], cols[name]))
    located = [i for i, (la, lo) in enumerate(zip(cols["latitude"], cols["longitude"],
               strict=True)) if la is not None and lo is not None]  # fmt: skip
    lats = [cols["latitude"][i] for i in located]
    lons = [cols["longitude"][i] for i in located]
    names = [cols["country"][i] for i in located]
    skip.update(located[k] for k in countries.outside_country(lats, lons, names))
    by_country: dict[str, list[int]] = {}
    for k, name in enumerate(names):
        by_country.setdefault(name, []).append(k)
    for name, ks in by_country.items():
        iso3 = countries.iso3(name) if name else None
        regions = admin1._boundaries(iso3) if iso3 else None
        if regions is None:
            continue
        found = admin1.regions_at(regions, [lons[k] for k in ks], [lats[k] for k in ks])
        for k, (region, _cc, _code) in zip(ks, found, strict=True):
            if isinstance(region, str) and region:
                cols["admin1"][located[k]] = region
    first: dict[str, int] = {}
    for i, ident in enumerate(cols["event_id_cnty"]):
        if first.setdefault(ident, i) != i:
            skip.add(i)
    return skip


def least_ingest(csv_path: Path, store: Path, db: Path, reader: str = "csv", *,
                 checked: bool = False) -> float:  # fmt: skip
    """CPU seconds to read ``csv_path`` with ``reader`` ("csv" or "arrow") and write its
    rows, built as the module docstring says, into ``db`` (made with ``store``'s tables);
    with ``checked``, the checks, country test, admin-1 and id rule too."""
    with closing(sqlite3.connect(store)) as src:
        stored = {i for (i,) in src.execute("SELECT event_id FROM event_sources")}
    conn = empty_copy(store, db, ("event_sources", "sources_rtree", "extra_keys",
                                  "extra_values"))  # fmt: skip
    marks = ",".join("?" * len(_INSERT))
    insert = f"INSERT INTO event_sources ({','.join(_INSERT)}) VALUES ({marks})"
    batches = _arrow_batches if reader == "arrow" else _csv_batches
    if reader == "arrow":  # imported before the clock starts
        import pyarrow.compute  # noqa: F401
        import pyarrow.csv  # noqa: F401
    top = 0
    gc.disable()  # as geomap ingest does: the rows make no cycles
    t0 = time.process_time()
    try:
        for cols in batches(csv_path):
            conn.execute("BEGIN")
            skip = _checked(cols) if checked else set()
            rows = encode_rows(conn, _rows(cols, stored, skip), _EXTRA, copy=False)
            conn.executemany(insert, rows)
            conn.execute(RTREE_INSERT, (top,))
            top = conn.execute("SELECT max(sid) FROM event_sources").fetchone()[0] or 0
            conn.execute("COMMIT")
        cpu = time.process_time() - t0
    finally:
        gc.enable()
    conn.close()
    return cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("store", type=Path)
    ap.add_argument("--reader", choices=("csv", "arrow", "both"), default="both")
    ap.add_argument("--checked", action="store_true", help="with the checks (see above)")
    args = ap.parse_args()
    with args.csv.open(newline="", encoding="utf-8") as fh:
        read = sum(1 for _row in csv.reader(fh)) - 1
    with tempfile.TemporaryDirectory() as tmp:
        for reader in ("csv", "arrow") if args.reader == "both" else (args.reader,):
            db = Path(tmp) / f"least-{reader}.sqlite"
            cpu = least_ingest(args.csv, args.store, db, reader, checked=args.checked)
            n = sqlite3.connect(db).execute("SELECT count(*) FROM event_sources").fetchone()[0]
            what = f"{reader}, checked" if args.checked else reader
            print(f"least ingest ({what}): {read:,} CSV rows ({n:,} stored), {cpu:.2f} CPU s, "
                  f"{read / cpu:,.0f} rows/CPU-s, {db.stat().st_size / n:.0f} B/stored row, "
                  f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
