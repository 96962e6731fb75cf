"""Values of a table row: dates, numbers and a checked lat/lon pair."""

from __future__ import annotations

import pytest

from geomap.ingestion.values import Cells, RowError, parse_date, parse_number


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-09-30", "2015-09-30"),
        ("30 September 2015", "2015-09-30"),
        ("2015-09-30 00:00:00.000", "2015-09-30"),
        ("20150930", "2015-09-30"),
        ("Sep 30, 2015", "2015-09-30"),
        ("", None),
    ],
)
def test_parse_date_good(value, expected):
    assert parse_date(value, "event_date") == expected


@pytest.mark.parametrize("value", ["31 Septembre 2015", "2015-02-30", "yesterday", "30/09/2015"])
def test_parse_date_bad(value):
    with pytest.raises(RowError, match="unparseable date in column 'event_date'"):
        parse_date(value, "event_date")


@pytest.mark.parametrize(
    "value, integer, expected",
    [
        ("33", True, 33),
        ("1,234", True, 1234),
        (" 7.0 ", True, 7),
        ("NA", True, None),
        ("34.5", False, 34.5),
        ("", False, None),
        ("", True, None),
        ("007", True, 7),
        ("123456789012345", True, 123456789012345),
        ("1234567890123456", True, 1234567890123456),
        ("\u0663", True, 3),  # an Arabic-Indic digit reads as its value
        ("12", False, 12.0),
    ],
)
def test_parse_number_good(value, integer, expected):
    assert parse_number(value, "x", integer=integer) == expected


@pytest.mark.parametrize(
    "value, match",
    [
        ("thirty", "unparseable number"),
        ("3.5", "whole number"),
        ("-2", "negative"),
        ("inf", "unparseable number"),
    ],
)
def test_parse_number_bad(value, match):
    with pytest.raises(RowError, match=match):
        parse_number(value, "fatalities", integer=True, minimum=0)


def test_parse_number_whole_below_the_minimum_is_refused():
    with pytest.raises(RowError, match="negative value in column 'x': '3'"):
        parse_number("3", "x", integer=True, minimum=5)
    assert type(parse_number("12", "x", integer=True)) is int
    assert type(parse_number("12", "x")) is float


@pytest.mark.parametrize(
    "row, match",
    [
        ({"lat": "34.9267", "lon": ""}, "missing lat/lon"),
        ({"lat": "north", "lon": "36.7"}, "unparseable number in column 'lat'"),
        ({"lat": "134.9", "lon": "36.7"}, "out of range"),
        ({"lat": "36.7324", "lon": "34.9267"}, "latitude/longitude look swapped"),
    ],
)
def test_coordinates_bad(row, match):
    with pytest.raises(RowError, match=match):
        Cells(row).coordinates("lat", "lon", "Syria")


def test_coordinates_good_without_a_known_country():
    cells = Cells({"Lat": " 34.9267", "LON": 36.7324})
    assert cells.coordinates("lat", "lon", "") == (34.9267, 36.7324)


def test_cells():
    cells = Cells({" Place ": " Homs ", "Deaths": 3, "Blank": "", "Note": None, "When": "20150930"})
    assert cells.values == {
        "place": "Homs",
        "deaths": 3,
        "blank": "",
        "note": None,
        "when": "20150930",
    }
    assert cells.text(None, "missing", "blank", "place") == "Homs" and cells.text("note") == ""
    assert cells.count("deaths") == 3 and cells.count(None) is None
    assert cells.date("when") == "2015-09-30" and cells.date(None) is None
    assert cells.leftover(["place", "when"]) == {"deaths": 3}
    with pytest.raises(RowError, match="unparseable date in column 'WHEN'"):
        Cells({"when": "soon"}).date("when", "WHEN")
    with pytest.raises(RowError, match="unparseable date in column 'WHEN'"):  # not remembered
        Cells({"when": "soon"}).date("when", "WHEN")
    with pytest.raises(RowError, match="whole number in column 'Type'"):
        Cells({"type": "1.5"}).integer("type", "Type")


def test_texts_reads_each_column_as_text_does():
    cells = Cells({"A": " x ", "B": "", "N": 3, "Z": None})
    assert cells.texts("a", "b") == ["x", ""]
    for columns in (("a", "n"), ("missing", "a"), ("z", "b", "n")):
        assert cells.texts(*columns) == [cells.text(c) for c in columns]


def test_cells_of_tables_with_other_headers():
    # column names are worked out once per header; each header keeps its own
    first = Cells({"A": "1", " b ": "2"})
    second = Cells({" A ": "x", "B": "y", "a": "z"})  # a later column of the same name wins
    third = Cells({1: " one ", "A": None})
    assert first.values == {"a": "1", "b": "2"}
    assert second.values == {"a": "z", "b": "y"}
    assert third.values == {"1": "one", "a": None}


@pytest.mark.parametrize("used", [["a", "b"], {"a", "b"}, frozenset({"a", "b"})])
def test_leftover_keeps_the_other_non_empty_cells_in_column_order(used: object) -> None:
    row = {" A ": "1", "z": " 2 ", "B": "", "y": "", "Z ": "3", "x": " x "}
    for _ in range(2):  # the second time from what the first found
        assert Cells(row).leftover(used) == {"z": "3", "x": "x"}  # type: ignore[arg-type]
    assert Cells({"a": 1, "q": 0, "r": None}).leftover(used) == {"q": 0}  # type: ignore[arg-type]
