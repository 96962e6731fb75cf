"""Ingest on a Dask LocalCluster into a GeoParquet dataset (geomap.engine.ingest): the
same source rows, fields and bad-row reports as one process ingesting into the store.

One LocalCluster of 2 worker processes serves the whole module (reached by its
scheduler address, as ``--scheduler`` does); the module skips when the
``geomap[dask]`` extra is not installed.  The tables are made up here.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

import geomap
from geomap.errors import ConfigurationError, InputError

distributed = pytest.importorskip("distributed", reason="needs the geomap[dask] extra")

import tests.test_engine as engine_tests  # noqa: E402

#: a LocalCluster of 2 processes for the module, by its scheduler address
scheduler = engine_tests.scheduler

pytestmark = pytest.mark.gazetteer

#: Towns the made-up rows sit near: (country, admin-1 as the source spells it, town, lat, lon).
TOWNS = [
    ("Syria", "Homs", "Ar Rastan", 34.926, 36.733),
    ("Syria", "Idlib", "Maarat al-Numan", 35.648, 36.674),
    ("Syria", "Aleppo", "Al Bab", 36.371, 37.517),
    ("Iraq", "Ninewa", "Tal Afar", 36.379, 42.449),
    ("Yemen", "Taizz", "Al Mukha", 13.319, 43.250),
    ("Afghanistan", "Helmand", "Lashkar Gah", 31.593, 64.371),
]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]  # fmt: skip
ACLED_HEADER = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                "actor2", "country", "admin1", "location", "latitude", "longitude",
                "geo_precision", "fatalities", "civilian_targeting", "notes", "tags"]  # fmt: skip
#: Bad cells planted every so often: (column, value); each must be refused by one process.
BAD = [("fatalities", "many"), ("event_date", "2015-13-45"), ("latitude", "north"),
       ("latitude", "95"), ("event_date", ""), ("geo_precision", "7"),
       ("latitude", "48.85")]  # fmt: skip


def acled_rows(n: int, seed: int) -> list[list[str]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        country, admin1, town, lat, lon = rnd.choice(TOWNS)
        kind, sub = rnd.choice(TYPES)
        year = rnd.choice([2014, 2015, 2016])
        row = [f"{country[:3].upper()}{seed}{i:05d}",
               f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
               kind, sub, rnd.choice(["Military Forces", "Rebel group", "Unidentified"]),
               rnd.choice(["", "Civilians", "Police"]), country, admin1, town,
               f"{lat + rnd.uniform(-0.05, 0.05):.4f}", f"{lon + rnd.uniform(-0.05, 0.05):.4f}",
               str(rnd.randint(1, 3)), str(rnd.randint(0, 40)),
               rnd.choice(["", "Civilian targeting"]),
               rnd.choice(["Shelling reported.", 'Two "strikes" hit the\nmarket, a witness said.',
                           "Clashes, then a lull."]),
               rnd.choice(["", "crowd size=no report"])]  # fmt: skip
        if i % 97 == 5:
            column, value = BAD[(i // 97) % len(BAD)]
            row[ACLED_HEADER.index(column)] = value
        rows.append(row)
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, blank_at: int = -1) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        if i == blank_at:
            out.write("\n")
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, Path]:
    """Two ACLED tables (the second repeats ids of the first) and a UCDP table."""
    folder = tmp_path_factory.mktemp("tables")
    rows = acled_rows(1600, 1)
    rows[1300][0] = rows[30][0]  # an id repeated two ranges later
    rows[41][0] = rows[40][0]  # and next to its first line
    rows[600][0] = ""  # no id: named by its content
    again = [list(r) for r in rows[100:160]] + acled_rows(40, 2)
    for r in again[:20]:
        r[12] = str(int(r[12]) + 1) if r[12].isdigit() else r[12]  # other values, same ids
    return {
        "acled": write_csv(folder / "acled.csv", ACLED_HEADER, rows, blank_at=900),
        "acled2": write_csv(folder / "acled-revised.csv", ACLED_HEADER, again),
        "ucdp": write_csv(folder / "ged.csv", *ucdp_table()),
    }


def ucdp_table() -> tuple[list[str], list[list[str]]]:
    header = ["id", "date_start", "date_end", "type_of_violence", "side_a", "side_b",
              "country", "adm_1", "where_coordinates", "latitude", "longitude", "where_prec",
              "best", "low", "high", "deaths_civilians", "source_article"]  # fmt: skip
    rnd = random.Random(7)
    rows = []
    for i in range(300):
        country, admin1, town, lat, lon = rnd.choice(TOWNS)
        best = rnd.randint(0, 30)
        start = f"2015-{rnd.randint(1, 12):02d}-{rnd.randint(1, 20):02d}"
        rows.append([str(900000 + i), start, start, str(rnd.randint(1, 3)),
                     f"Government of {country}", rnd.choice(["IS", "Civilians"]), country,
                     f"{admin1} province", town, f"{lat + rnd.uniform(-0.03, 0.03):.4f}",
                     f"{lon + rnd.uniform(-0.03, 0.03):.4f}", str(rnd.randint(1, 7)), str(best),
                     str(max(0, best - 2)), str(best + 3), str(rnd.randint(0, best)),
                     "A wire report"])  # fmt: skip
    rows[10][13], rows[10][14] = "9", "3"  # low above high
    rows[20][11] = "9"  # no such where_prec
    rows[30][2] = "2014-01-01"  # ends before it starts
    return header, rows


def dataset_rows(root: Path) -> dict[str, dict[str, object]]:
    """Every row of a dataset by event id (geometry and bbox aside)."""
    import pyarrow.parquet as pq

    out: dict[str, dict[str, object]] = {}
    for part in sorted(root.glob("events/source=*/year=*/part-*.parquet")):
        for rec in pq.read_table(part).drop_columns(["geometry", "bbox"]).to_pylist():
            assert rec["event_id"] not in out
            out[rec["event_id"]] = rec
    return out


def source_rows(store: Path) -> dict[str, dict[str, object]]:
    """The store's source rows as dataset rows (its grouping aside)."""
    from geomap.dataset.columns import ALL_COLUMNS, event_row

    with geomap.Workspace(store=store) as ws:
        sources = ws.store.sources()
    rows = {}
    for event in sources:
        event.extra.pop("group_id", None)
        rows[event.event_id] = dict(zip(ALL_COLUMNS, event_row(event), strict=True))
    return rows


def one_process(paths: list[Path], tmp: Path, **options) -> tuple[geomap.IngestReport, Path]:
    store = tmp / "single.sqlite"
    report = geomap.ingest(paths, store=store, create=True, **options)
    return report, store


def cluster_run(scheduler, paths, dataset, **options):
    """The cluster ingest with small ranges, so that each table spans several tasks."""
    from geomap.engine.client import open_client
    from geomap.engine.ingest import ingest_on

    with geomap.Workspace() as ws:
        gazetteer = ws.gazetteer.path
    return ingest_on(lambda: open_client(scheduler=scheduler), paths, fmt="auto",
                     dataset=dataset, gazetteer=gazetteer, range_rows=500, **options)  # fmt: skip


def lines(rejected) -> list[str]:
    return sorted(str(r) for r in rejected)


def test_acled_and_ucdp_give_the_events_of_one_process(scheduler, tables, tmp_path):
    """Rows of the three tables merge across sources: the dataset holds the events (and
    groups) the store holds, and the same reports."""
    paths = [tables["acled"], tables["ucdp"], tables["acled2"]]
    single, store = one_process(paths, tmp_path)
    geomap.export(tmp_path / "exported", to="dataset", store=store)
    run = cluster_run(scheduler, paths, tmp_path / "ds")
    assert run.tasks >= 5 and run.workers == 2
    want, got = dataset_rows(tmp_path / "exported"), dataset_rows(tmp_path / "ds")
    assert set(got) == set(want) and len(got) == run.events
    assert [k for k in want if want[k] != got[k]] == []
    assert run.sources == single.stored and run.events < run.sources  # some rows merged
    assert sum(r["n_sources"] for r in got.values()) == run.sources
    assert lines(run.report.rejected) == lines(single.rejected)
    assert lines(run.report.not_replaced) == lines(single.not_replaced)
    assert (run.report.rows_read, run.report.unchanged) == (single.rows_read, single.unchanged)
    assert len(single.rejected) > 20 and len(single.not_replaced) == 19  # and one bad row
    assert sum("too; this row is skipped" in str(r) for r in run.report.rejected) == 2
    assert run.report.errors == []


def test_one_table_equals_ingest_then_export(scheduler, tables, tmp_path):
    _single, store = one_process([tables["acled"]], tmp_path)
    geomap.export(tmp_path / "exported", to="dataset", store=store)
    run = cluster_run(scheduler, [tables["acled"]], tmp_path / "ds")
    assert dataset_rows(tmp_path / "ds") == dataset_rows(tmp_path / "exported")
    index = json.loads((tmp_path / "ds" / "_geomap_index.json").read_text())
    assert sum(g["rows"] for g in index["groups"]) == run.events
    assert {Path(g["file"]).parent.as_posix() for g in index["groups"]} == {
        f"events/source=acled/year={y}" for y in (2014, 2015, 2016)}


def test_each_partition_is_one_hilbert_sorted_file_whatever_the_tasks(scheduler, tables, tmp_path):
    """The pieces of one (source, year) from every task, and the merged events in it, are
    written as one file, sorted along the Hilbert curve, in full row groups."""
    import numpy as np
    import pyarrow.parquet as pq

    from geomap.dataset.hilbert import hilbert_keys

    paths = [tables["acled"], tables["ucdp"]]
    run = cluster_run(scheduler, paths, tmp_path / "ds", row_group_size=200)
    assert run.tasks >= 4  # ranges of 500 records: every year's rows come from several tasks
    files = sorted((tmp_path / "ds").glob("events/source=*/year=*/*.parquet"))
    assert len(files) == len({f.parent for f in files}) >= 4
    rows = 0
    for f in files:
        meta = pq.ParquetFile(f).metadata
        sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
        assert all(n == 200 for n in sizes[:-1]) and 0 < sizes[-1] <= 200
        table = pq.read_table(f, columns=["latitude", "longitude"])
        keys = hilbert_keys(table.column("latitude").to_numpy(zero_copy_only=False),
                            table.column("longitude").to_numpy(zero_copy_only=False))  # fmt: skip
        assert bool(np.all(np.diff(keys.astype(np.int64)) >= 0))
        rows += meta.num_rows
    assert rows == run.events


def test_replace_updates_the_row_that_came_first(scheduler, tables, tmp_path):
    paths = [tables["acled"], tables["acled2"]]
    single, store = one_process(paths, tmp_path, replace=True)
    geomap.export(tmp_path / "exported", to="dataset", store=store)
    run = cluster_run(scheduler, paths, tmp_path / "ds", replace=True)
    assert run.report.updated == single.updated == 19
    assert dataset_rows(tmp_path / "ds") == dataset_rows(tmp_path / "exported")


def test_replace_of_a_row_that_another_task_merges_with(scheduler, tables, tmp_path):
    """A revised row whose first version merged with a row of another table (so another
    task) gives the merged event of the store: the revision's values, the same members."""
    header, rows = ucdp_table()
    acled = list(csv.reader(tables["acled"].open(encoding="utf-8")))[1:]
    twins = []
    for i, row in enumerate(r for r in acled[100:160] if r[2] == "Battles"):
        country, admin1, town, lat, lon = row[6], row[7], row[8], row[9], row[10]
        twins.append([str(990000 + i), row[1], row[1], "1", f"Government of {country}", "IS",
                      country, f"{admin1} province", town, lat, lon, "1", row[12], row[12],
                      row[12], "0", "A wire report"])  # fmt: skip
    assert len(twins) >= 3
    paths = [tables["acled"], write_csv(tmp_path / "twins.csv", header, twins), tables["acled2"]]
    single, store = one_process(paths, tmp_path, replace=True)
    geomap.export(tmp_path / "exported", to="dataset", store=store)
    run = cluster_run(scheduler, paths, tmp_path / "ds", replace=True)
    want = dataset_rows(tmp_path / "exported")
    again = list(csv.reader(tables["acled2"].open(encoding="utf-8")))[1:21]  # other values
    revised = {f"acled:{r[0]}" for r in again}
    merged = [k for k, v in want.items() if v["n_sources"] > 1
              and revised & set(json.loads(v["source_ids"]))]  # fmt: skip
    assert merged, "the revised rows should merge with their twins"
    assert run.report.updated == single.updated
    assert dataset_rows(tmp_path / "ds") == want


def test_cli_writes_a_dataset_that_near_reads(scheduler, tables, tmp_path, cli):
    target = tmp_path / "events"
    result = cli("ingest", str(tables["ucdp"]), "--scheduler", scheduler, "--dataset", str(target))
    assert result.code == 0, result.err
    assert "written: 297 events from 297 source rows" in result.out
    assert f"{tables['ucdp']}:12: low 9 is above high 3" in result.out
    near = cli("near", "35.648,36.674", "--radius", "10", "--store", str(target),
               "--format", "csv")  # fmt: skip
    assert near.code == 0, near.err
    assert "Maarat al-Numan" in near.out
    again = cli("ingest", str(tables["ucdp"]), "--scheduler", scheduler, "--dataset", str(target))
    assert again.code != 0 and "exists already" in again.err
    assert "--overwrite" in again.err and "Traceback" not in again.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "local:2"], "no --dataset was given. Fix: pass --dataset DIR"),
        (["--dataset", "DS"], "no cluster was named. Fix: add --cluster local:N"),
        (["--cluster", "local:2", "--dataset", "DS", "--store", "x.sqlite"],
         "--store cannot be combined with --cluster/--scheduler"),
        (["--cluster", "local:2", "--dataset", "DS", "--format", "extract"],
         "A cluster ingests the formats auto, acled, ucdp, gdelt"),
        (["--cluster", "remote", "--dataset", "DS"], "--cluster takes local:N"),
    ],
)
def test_refusals_are_one_line(cli, tables, tmp_path, args, message):
    args = [str(tmp_path / a) if a == "DS" else a for a in args]
    result = cli("ingest", str(tables["ucdp"]), *args)
    assert result.code != 0
    assert message in result.err and result.err.startswith("Error: ")
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "DS").exists()


def test_inputs_a_cluster_cannot_take_are_reported_and_the_rest_goes_on(
    scheduler, tables, tmp_path
):
    names = tmp_path / "towns.csv"
    names.write_text("date,town,killed\n2015-09-30,Rastan,3\n", encoding="utf-8")
    article = tmp_path / "note.md"
    article.write_text("Shelling in Rastan.\n", encoding="utf-8")
    run = cluster_run(scheduler, [names, tables["ucdp"], article, tmp_path / "gone.csv"],
                      tmp_path / "ds")  # fmt: skip
    assert run.events == 297
    assert [e.split(";")[0].split(" is ")[-1] for e in run.report.errors[:2]] == [
        "a table of place names (geocoded in one batch)", "an article"]
    assert "No such file" in run.report.errors[2]


def test_a_folder_holding_something_else_is_refused(tmp_path):
    from geomap.engine.ingest import check_target

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x")
    with pytest.raises(InputError, match="not empty and holds no geomap dataset"):
        check_target(tmp_path / "notes", overwrite=True)
    with pytest.raises(ConfigurationError, match="--cluster and --scheduler were both given"):
        geomap.ingest_cluster([], dataset=tmp_path / "d", cluster="local:1", scheduler="tcp://x:1")


def test_nothing_is_written_when_every_input_fails(tmp_path, cli):
    """No cluster is even started (this address has none)."""
    result = cli("ingest", str(tmp_path / "gone.csv"), "--scheduler", "tcp://127.0.0.1:9",
                 "--dataset", str(tmp_path / "ds"))  # fmt: skip
    assert result.code == 1 and "No such file" in result.err
    assert not (tmp_path / "ds").exists()
    assert not list(tmp_path.glob(".ds.*"))  # and no hidden folder left behind


def test_a_range_that_cannot_be_read_again_is_one_error():
    from geomap.engine.ingest import _result
    from geomap.engine.ranges import TableRange

    class Lost:
        def result(self):
            raise FileNotFoundError(2, "No such file or directory")

    part = TableRange("acled.csv", ("event_date",), ",", 1234, 50_001, 50_000)
    with pytest.raises(InputError, match=r"could not read 'acled.csv' from line 50001 .*Fix: "):
        _result(Lost(), part)  # type: ignore[arg-type]
