"""Reading tables and telling their format."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.formats.limits import MAX_FIELD_CHARS
from geomap.ingestion.report import Rejected
from geomap.ingestion.tables import decode, detect_format, parse_rows, read_table
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


# ---------------------------------------------------------------------------
# bounded reading, swallowed lines, encodings


def test_a_field_over_128_kb_is_read_and_one_over_the_cap_is_a_clear_error(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("place,notes\nHoms," + "n" * 200_000 + "\n")
    (row,) = read_table(path).rows
    assert len(row[1]["notes"]) == 200_000
    path.write_text("place,notes\nHoms,ok\nHama," + "n" * (MAX_FIELD_CHARS + 1) + "\n")
    with pytest.raises(InputError, match=r"a field longer than 1,048,576 characters \(1 MiB, the "
                                         r"limit\) on line 3"):  # fmt: skip
        read_table(path)


def test_an_unclosed_quote_is_reported_with_the_lines_it_swallows(tmp_path):
    path = tmp_path / "uq.csv"
    path.write_text(
        "id,place,date,deaths\n"
        "UQ001,Rastan,2015-09-30,3\n"
        'UQ002,"Homs,2015-09-30,4\n'
        "UQ003,Hama,2015-09-30,5\n"
    )
    table = read_table(path)
    assert [r[1]["id"] for r in table.rows] == ["UQ001"]
    (problem,) = table.problems
    assert str(problem).startswith(f"{path}:3: lines 3-4 were read as one row: a quote opened "
                                   "on line 3 is never closed")  # fmt: skip


def test_a_quoted_field_may_span_lines(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('place,notes\nHoms,"first line\nsecond line"\nHama,x\n')
    table = read_table(path)
    assert [(n, r["place"]) for n, r in table.rows] == [(2, "Homs"), (4, "Hama")]
    assert table.problems == []


def test_utf16_with_a_bom_is_read_and_without_one_is_named(tmp_path):
    text = "event_id,place\nE1,Homs\n"
    path = tmp_path / "u16.csv"
    path.write_bytes(text.encode("utf-16"))  # with its byte-order mark
    assert read_table(path).columns == ["event_id", "place"]
    path.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(InputError, match="is UTF-16LE text without a byte-order mark. Fix: "
                                         "re-save it as UTF-8"):  # fmt: skip
        read_table(path)
    path.write_bytes(b"\x00\x01\x02binary\x00\xff" * 50)
    with pytest.raises(InputError, match="is binary"):
        read_table(path)


def test_a_million_column_header_gets_a_short_error(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 10 + "\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    message = str(info.value)
    assert "has 1,000,000 columns (starting c0, c1, c2, c3, c4 (and 999,995 more))" in message
    assert len(message) < 400


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf \r\n"])
def test_a_byte_order_mark_alone_is_an_empty_file(tmp_path, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"blob\.txt' is empty\. Fix: pass a file with a header"):
        decode(path)


@pytest.mark.parametrize(
    "data",
    [
        b'\xef\xbb\xbfa,b\r\n1,2\r\n\r\n,\r\n3,"x\r\ny"\r\n',  # BOM, CRLF, a field over lines
        b'id,place,notes\nUQ001,Homs,"open\nUQ002,Hama,fine\nUQ003,Idlib,fine\n',  # unclosed
        b"a;b\n1;2\n",
        b"a,b\r1,2\r3,4\r",  # old Mac line ends: read whole
        b"a,b\n1,\xff\n",  # not UTF-8
        b"a,b\n1,2",  # no line end at the end
        b"a,b\n",  # a header alone
        b"\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00",  # UTF-16 with its BOM
        b'a,b\n1,"' + b"x" * (MAX_FIELD_CHARS + 5) + b'"\n',  # a field over the cap
        b"20150101\t20150101\t201501\t2015\t2015.0027\n",  # a GDELT export without a header
    ],
)
def test_a_streamed_table_reads_what_a_whole_one_does(tmp_path, data):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    try:
        whole = read_table(path)
    except InputError as exc:
        with pytest.raises(InputError) as streamed_error:
            read_table(path, stream=True)
        assert str(streamed_error.value) == str(exc)
        return
    streamed = read_table(path, stream=True)
    assert streamed.columns == whole.columns and streamed.problems == whole.problems
    assert list(streamed.rows) == list(whole.rows) and len(streamed.rows) == len(whole.rows)
    assert list(streamed.rows) == list(streamed.rows)  # read again, the same rows


def test_a_plain_csv_is_streamed_not_held(tmp_path):
    from geomap.ingestion.tables import StreamedRows

    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n\n3,4\n")
    table = read_table(path, stream=True)
    assert isinstance(table.rows, StreamedRows) and len(table.rows) == 2
    assert (4, {"a": "3", "b": "4"}) in table.rows
    path.write_bytes(b"a,b\n1,\xff\n")  # changed between the two reads
    with pytest.raises(InputError, match="could not be read again"):
        list(table.rows)
