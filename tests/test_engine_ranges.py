"""Cutting a CSV table into ranges of whole records (geomap.engine.ranges): read back
range by range, the rows and line numbers are the ones one process reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.engine.ranges import cut_ranges, read_records
from geomap.ingestion.tables import StreamedRows, read_table

#: Quoted fields spanning lines, a blank line, a BOM and CRLF line ends: all made up here.
TABLE = (
    "\ufeffid,date,notes\r\n"
    "1,2015-01-01,plain\r\n"
    '2,2015-01-02,"two\r\nlines"\r\n'
    "\r\n"
    '3,2015-01-03,"three\r\nshort\r\nlines"\r\n'
    "4,2015-01-04,après\r\n"
    '5,2015-01-05,"a ""quoted"" word"\r\n'
    "6,2015-01-06,last\r\n"
)


@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_ranges_read_back_as_one_process_reads(tmp_path: Path, size: int) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(TABLE.encode("utf-8"))
    table = read_table(path, stream=True)
    assert isinstance(table.rows, StreamedRows)
    ranges = cut_ranges(path, table.columns, table.rows.delimiter, headerless=False, size=size)
    got = [item for part in ranges for item in read_records(part)]
    assert got == list(table.rows.records())
    assert [line for line, _row in got] == [2, 3, 6, 9, 10, 11]
    assert sum(part.records for part in ranges) == 7  # the blank line is a record too


def test_skipped_lines_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(TABLE.encode("utf-8"))
    ranges = cut_ranges(path, ["id", "date", "notes"], ",", headerless=False,
                        skip_lines=frozenset({3, 10}), size=2)  # fmt: skip
    assert [line for part in ranges for line, _ in read_records(part)] == [2, 6, 9, 11]


def test_a_table_with_only_a_header_has_no_range(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,date\n", encoding="utf-8")
    assert cut_ranges(path, ["id", "date"], ",", headerless=False) == []
