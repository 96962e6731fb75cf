"""Reading tables and telling their format."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.ingestion.report import Rejected
from geomap.ingestion.tables import detect_format, parse_rows, read_table
from geomap.ingestion.values import RowError


@pytest.mark.parametrize(
    "name, header, expected",
    [
        ("a.csv", ["event_date", "latitude", "longitude", "fatalities"], "acled"),
        ("u.csv", ["id", "date_start", "best", "where_prec", "latitude"], "ucdp"),
        ("g.csv", ["GLOBALEVENTID", "SQLDATE", "ActionGeo_Lat"], "gdelt"),
        ("n.csv", ["date", "place", "deaths"], "csv"),
    ],
)
def test_detect_format(tmp_path, name, header, expected):
    assert detect_format(tmp_path / name, header) == expected


@pytest.mark.parametrize(
    "text, delimiter",
    [("a,b\n1,2\n", ","), ("a;b\n1;2\n", ";"), ("a\tb\n1\t2\n", "\t"), ("a|b\n1|2\n", "|")],
)
def test_read_table_finds_the_delimiter_and_skips_blank_rows(tmp_path, text, delimiter):
    path = tmp_path / "t.csv"
    path.write_text("\ufeff" + text + "\n" + delimiter + "\n" + text.splitlines()[1] + "\n")
    table = read_table(path)
    assert table.columns == ["a", "b"]
    assert table.rows == [(2, {"a": "1", "b": "2"}), (5, {"a": "1", "b": "2"})]


def test_read_xlsx_rows_keep_their_sheet_line(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in [["place", None], ["Homs", 3], [None, None], ["Hama", 2.5]]:
        book.active.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.columns == ["place", "column2"]
    assert table.rows == [
        (2, {"place": "Homs", "column2": 3}),
        (4, {"place": "Hama", "column2": 2.5}),
    ]


def test_require_pick_and_parse_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Place,Deaths\nHoms,3\nHama,x\n")
    table = read_table(path)
    assert table.pick(["town", "place"]) == "place" and table.pick(["town"]) is None
    table.require(["PLACE"], "names")
    with pytest.raises(InputError, match="has no column 'date'; its columns are: Place, Deaths"):
        table.require(["date", "place"], "names")

    def deaths(row):
        if not row["Deaths"].isdigit():
            raise RowError("not a count")
        return int(row["Deaths"])

    rejected: list[Rejected] = []
    assert list(parse_rows(table, deaths, rejected)) == [(2, 3)]
    assert [str(r) for r in rejected] == [f"{path}:3: not a count"]


@pytest.mark.parametrize(
    "name, first_line, expected",
    [
        ("a.html", None, "article"),
        ("a.md", None, "article"),
        ("a.tsv", None, "table"),
        ("a.xlsx", None, "table"),
        ("a.jsonl", None, "extract"),
        ("a.txt", "date,place,type,deaths", "table"),
        ("a.txt", "Russian jets strike Rastan, Talbiseh", "article"),
    ],
)
def test_detect_format_from_the_name(tmp_path, name, first_line, expected):
    path = tmp_path / name
    if first_line is not None:
        path.write_text(first_line + "\nmore\n")
    assert detect_format(path) == expected
