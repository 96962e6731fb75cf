"""ACLED rows: fatalities as low/best/high, precision kept, ids from ACLED."""

from __future__ import annotations

import pytest

from geomap.ingestion.acled import acled_row
from geomap.ingestion.values import RowError


def test_acled_deaths_mapping():
    a = acled_row(
        {
            "event_id_cnty": "X1",
            "event_date": "30 September 2015",
            "latitude": "34.9",
            "longitude": "36.7",
            "fatalities": "33",
            "geo_precision": "2",
            "country": "Syria",
            "tags": "local",
        }
    )
    assert (a.deaths_low, a.deaths_best, a.deaths_high, a.fatalities) == (33, 33, 33, 33)
    assert a.precision_source == "acled:2" and a.coords_from_source and a.event_id == "acled:X1"
    assert a.extra["tags"] == "local"


def test_acled_row_without_an_id_is_named_by_its_content():
    row = {"event_date": "2015-09-30", "latitude": "34.9", "longitude": "36.7", "fatalities": ""}
    first, again = acled_row(row), acled_row(dict(row))
    assert first.event_id.startswith("acled:") and first.event_id == again.event_id
    assert (
        first.fatalities == 0 and first.deaths_best is None and first.precision_source == "acled:"
    )


@pytest.mark.parametrize(
    "row, match",
    [
        ({"event_date": ""}, "empty event_date"),
        ({"event_date": "2015-09-30", "geo_precision": "4"}, "geo_precision must be 1, 2 or 3"),
        ({"event_date": "2015-09-30", "fatalities": "-1"}, "negative value in column 'fatalities'"),
    ],
)
def test_acled_bad_rows(row, match):
    with pytest.raises(RowError, match=match):
        acled_row({"latitude": "34.9", "longitude": "36.7", **row})
