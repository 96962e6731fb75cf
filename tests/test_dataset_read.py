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
    assert len(dataset._points) == 1  # only Homs's row group was opened


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
