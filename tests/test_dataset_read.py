"""geomap.dataset.read: pruning by the index, box queries, filters, broken datasets."""

from __future__ import annotations

import pytest

from geomap.dataset import EventDataset, write_dataset
from geomap.dataset.index import INDEX_NAME
from geomap.errors import InputError
from geomap.model import EventFilter


@pytest.fixture
def dataset(tmp_path, make_event):
    events = [
        make_event(deaths_best=33, actor1="Military Forces of Russia (2000-)"),
        make_event("Homs", event_date="2015-10-03", event_type="Battles", deaths_best=2,
                   actor1="Syrian army"),
        make_event("Aleppo", event_id="acled:far", event_date="2016-11-01"),
    ]  # fmt: skip
    write_dataset(events, tmp_path / "ds", row_group_size=1)
    with EventDataset.open(tmp_path / "ds") as ds:
        yield ds


def _box(place, places, pad=0.1):
    lat, lon = places.point(place)
    return (lon - pad, lon + pad, lat - pad, lat + pad)


def test_box_query_reads_only_the_row_groups_it_needs(dataset, places):
    table = dataset.rows_in_boxes([_box("Homs", places)], columns=["location"])
    assert table.column("location").to_pylist() == ["Homs"]
    assert len(dataset._points.groups) == 1  # only Homs's row group was opened


@pytest.mark.parametrize(
    "flt, expected",
    [
        (EventFilter(since="2015-10-01"), ["acled:homs"]),
        (EventFilter(event_type="airstrike"), ["acled:rastan"]),
        (EventFilter(actor="SYRIAN"), ["acled:homs"]),
        (EventFilter(min_fatalities=3), ["acled:rastan"]),
    ],
)
def test_filters_mean_what_they_mean_in_the_store(dataset, places, flt, expected):
    boxes = [_box("Rastan", places, 0.5)]
    assert dataset.rows_in_boxes(boxes, flt).column("event_id").to_pylist() == expected


def test_read_orders_by_date_and_applies_the_limit(dataset):
    assert [e.event_id for e in dataset.events()] == ["acled:rastan", "acled:homs", "acled:far"]
    assert [e.event_id for e in dataset.events(EventFilter(limit=1, since="2015-10"))] == [
        "acled:homs"
    ]
    assert dataset.read(EventFilter(until="2014")).num_rows == 0


def test_not_a_dataset_and_a_broken_index_are_one_clear_error(tmp_path, dataset):
    with pytest.raises(InputError, match="not a geomap dataset.*Fix:"):
        EventDataset.open(tmp_path)
    (dataset.path / INDEX_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read.*Fix: write the dataset again"):
        EventDataset.open(dataset.path)


def test_a_missing_file_is_one_clear_error(tmp_path, make_event, places):
    write_dataset([make_event()], tmp_path / "ds")
    next((tmp_path / "ds").rglob("*.parquet")).unlink()
    with EventDataset.open(tmp_path / "ds") as ds, pytest.raises(InputError, match="Fix:"):
        ds.rows_in_boxes([_box("Rastan", places)])


def test_the_point_index_finds_exactly_the_points_in_the_boxes():
    import numpy as np

    from geomap.dataset.points import PAGE_ROWS, PointIndex

    rng = np.random.default_rng(5)
    index, groups = PointIndex(), []
    for size in (PAGE_ROWS * 3 + 17, 5, PAGE_ROWS):  # pages that are not full, a tiny group
        lons, lats = rng.uniform(-180, 180, size), rng.uniform(-90, 90, size)
        lons[::50] = np.nan  # unlocated rows are never inside
        order = np.argsort(lons)  # pages of neighbouring points, as a curve gives
        groups.append((lons[order], lats[order]))
    index.add([(0, *groups[0]), (2, *groups[1])])
    index.add([(1, *groups[2])])  # added later, as a query first needs it
    wanted = np.array([True, False, True])
    for boxes in ([(-10.0, 10.0, -30.0, 30.0)], [(170.0, 180.0, -90.0, 90.0),
                  (-180.0, -175.0, -90.0, 90.0)], [(0.0, 0.0, 0.0, 0.0)]):  # fmt: skip
        expected = []
        for g in (0, 2):
            lons, lats = groups[1 if g == 2 else 0]
            mask = np.zeros(len(lons), dtype=bool)
            for lo0, lo1, la0, la1 in boxes:
                mask |= (lons >= lo0) & (lons <= lo1) & (lats >= la0) & (lats <= la1)
            expected += [(g, int(r)) for r in np.flatnonzero(mask)]
        owners, rows, _positions = index.inside(boxes, wanted)
        assert sorted(zip(owners.tolist(), rows.tolist(), strict=True)) == sorted(expected)
