"""geomap.dataset.write: the GeoParquet 1.1 layout, Hilbert order, row groups, the index."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from geomap.dataset import INDEX_NAME, EventDataset, is_dataset, write_dataset
from geomap.dataset.hilbert import hilbert_keys
from geomap.dataset.index import read_index
from geomap.errors import InputError
from geomap.query import events_frame


def _grid_events(make_event, n=60):
    """Events on a small grid near Rastan, two origins and two years."""
    out = []
    for i in range(n):
        out.append(make_event(
            event_id=f"{'acled' if i % 2 else 'ucdp'}:{i}", origin="acled" if i % 2 else "ucdp",
            event_date="2014-05-01" if i % 3 == 0 else "2015-09-30",
            latitude=34.0 + (i % 8) * 0.05, longitude=36.0 + (i // 8) * 0.05, deaths_best=i,
        ))  # fmt: skip
    return out


def test_layout_partitions_row_groups_and_index(tmp_path, make_event):
    events = _grid_events(make_event)
    report = write_dataset(events, tmp_path / "ds", row_group_size=7)
    root = tmp_path / "ds"
    assert is_dataset(root) and (root / INDEX_NAME).is_file()
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert files == [f"events/source={s}/year={y}/part-00000.parquet"
                     for s in ("acled", "ucdp") for y in ("2014", "2015")]  # fmt: skip
    entries = read_index(root)
    assert sum(e.rows for e in entries) == report.events == 60
    assert report.files == 4 and report.row_groups == len(entries)
    for e in entries:  # the index agrees with the files
        meta = pq.ParquetFile(root / e.file).metadata
        assert meta.row_group(e.row_group).num_rows == e.rows <= 7
        table = pq.ParquetFile(root / e.file).read_row_group(e.row_group)
        lats, lons = table.column("latitude").to_numpy(), table.column("longitude").to_numpy()
        assert e.bbox == (lons.min(), lats.min(), lons.max(), lats.max())
        dates = table.column("event_date").to_pylist()
        assert e.dates == (min(dates), max(dates))


def test_geoparquet_metadata_and_covering(tmp_path, make_event):
    write_dataset(_grid_events(make_event), tmp_path / "ds")
    path = next((tmp_path / "ds").rglob("*.parquet"))
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    column = geo["columns"]["geometry"]
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    import geopandas as gpd

    frame = gpd.read_parquet(path)
    assert frame.crs.to_string() == "OGC:CRS84"  # GeoParquet's default: lon/lat WGS84
    assert (frame.geometry.x == frame["longitude"]).all()
    bbox = pq.read_table(path, columns=["bbox", "latitude"])
    ymin = bbox.column("bbox").combine_chunks().field("ymin")
    assert ymin == bbox.column("latitude").combine_chunks()


def test_rows_follow_the_hilbert_curve_within_a_partition(tmp_path, make_event):
    write_dataset(_grid_events(make_event), tmp_path / "ds")
    table = pq.read_table(next((tmp_path / "ds").rglob("year=2015/*.parquet")))
    keys = hilbert_keys(table.column("latitude").to_numpy(), table.column("longitude").to_numpy())
    assert list(keys) == sorted(keys)


def test_hilbert_keys_are_a_curve():
    # the four quadrants of a 2x2 grid in Hilbert order: SW, NW, NE, SE
    lats = np.array([-45.0, 45.0, 45.0, -45.0])
    lons = np.array([-90.0, -90.0, 90.0, 90.0])
    assert list(hilbert_keys(lats, lons, order=1)) == [0, 1, 2, 3]
    # neighbouring cells get neighbouring keys (a curve, not a z-order jump)
    grid = [(la, lo) for la in np.linspace(-80, 80, 16) for lo in np.linspace(-170, 170, 16)]
    keys = hilbert_keys(np.array([g[0] for g in grid]), np.array([g[1] for g in grid]), order=4)
    assert sorted(keys) == list(range(256))
    assert hilbert_keys(np.array([np.nan]), np.array([1.0]))[0] == np.iinfo(np.int64).max


def test_a_frame_and_unlocated_events_are_written(tmp_path, make_event):
    events = [make_event(), make_event(None, event_id="text:x", origin="text", event_date=None)]
    write_dataset(events_frame(events), tmp_path / "ds")
    with EventDataset.open(tmp_path / "ds") as ds:
        got = {e.event_id: e for e in ds.events()}
    assert set(got) == {"acled:rastan", "text:x"}
    assert got["text:x"].latitude is None and got["text:x"].event_date is None
    assert got["acled:rastan"].latitude == pytest.approx(events[0].latitude)


def test_rewriting_replaces_the_dataset_and_a_foreign_folder_is_refused(tmp_path, make_event):
    root = tmp_path / "ds"
    write_dataset(_grid_events(make_event), root)
    write_dataset([make_event()], root)
    with EventDataset.open(root) as ds:
        assert ds.count() == 1
    assert [p.name for p in tmp_path.iterdir() if p.name != "geomap-data"] == ["ds"]
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"x")
    with pytest.raises(InputError, match="not empty and holds no geomap dataset"):
        write_dataset([make_event()], other)
    assert [p.name for p in other.iterdir()] == ["cat.jpg"]
    with pytest.raises(InputError, match="does not exist"):
        write_dataset([make_event()], tmp_path / "missing" / "ds")
