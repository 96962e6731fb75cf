"""geomap.dates: one date parser for articles, tables and options."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.dates import parse_date


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-09-30", "2015-09-30"),
        (" '2015-09-30' ", "2015-09-30"),
        ("2015-09-30T14:05:00Z", "2015-09-30"),
        ("2015-09-30 14:05", "2015-09-30"),
        ("30 September 2015", "2015-09-30"),
        ("30 Sep 2015", "2015-09-30"),
        ("September 30, 2015", "2015-09-30"),
        ("2015/09/30", "2015-09-30"),
        ("20150930", "2015-09-30"),
        (dt.date(2015, 9, 30), "2015-09-30"),
        (dt.datetime(2015, 9, 30, 23, 59), "2015-09-30"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2015-13-01", "2015-02-30", "30/09/2015", "2015"])
def test_not_a_date(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)
