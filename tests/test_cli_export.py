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
