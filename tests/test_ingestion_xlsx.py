"""geomap.ingestion.xlsx: the first sheet, streamed, with bounded size, rows and cells."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.ingestion import xlsx
from geomap.ingestion.tables import read_table

openpyxl = pytest.importorskip("openpyxl")


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def swap_member(path: Path, name: str, chunks) -> Path:
    """Rewrite the workbook with member ``name`` streamed from ``chunks`` (text pieces)."""
    out = path.with_name("bomb-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info.filename))
        with dst.open(name, "w", force_zip64=True) as fh:
            for chunk in chunks:
                fh.write(chunk.encode("ascii"))
    return out


@pytest.fixture(scope="module")
def huge_cell_book(tmp_path_factory) -> Path:
    """About 600 KB on disk holding one 600 MB cell (a shared string of "a"s)."""
    path = workbook(tmp_path_factory.mktemp("bomb") / "cell.xlsx", [["place"], ["x"]])
    block = "a" * (1 << 20)

    def text():
        yield '<?xml version="1.0" encoding="UTF-8"?>'
        yield '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
        yield 'uniqueCount="2"><si><t>place</t></si><si><t>'
        for _ in range(600):
            yield block
        yield "</t></si></sst>"

    return swap_member(path, "xl/sharedStrings.xml", text())


@pytest.fixture(scope="module")
def empty_rows_book(tmp_path_factory) -> Path:
    """A few hundred KB on disk holding twenty million empty rows (120 MB unpacked)."""
    path = workbook(tmp_path_factory.mktemp("bomb") / "rows.xlsx", [["place"]])

    def sheet():
        yield '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        yield 'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>place</t></is></c></row>'
        for _ in range(20):
            yield "<row/>" * 1_000_000
        yield "</sheetData></worksheet>"

    return swap_member(path, "xl/worksheets/sheet1.xml", sheet())


@pytest.mark.slow
@pytest.mark.parametrize(
    "book, match",
    [
        ("huge_cell_book", r"would unpack to [\d,]+ MiB, more than the 256 MiB"),
        ("empty_rows_book", r"has a sheet of 20,000,001 rows, more than the 1,048,576"),
    ],
)
def test_zip_bombs_are_refused_before_parsing(request, book, match, monkeypatch):
    path = request.getfixturevalue(book)
    assert path.stat().st_size < 1 << 20

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(InputError, match=match):
        read_table(path)


def test_rows_and_cells_are_bounded(tmp_path, monkeypatch):
    path = workbook(tmp_path / "t.xlsx", [["place", "notes"], ["Homs", "x" * 50], ["Hama", "y"]])
    assert [r[1]["place"] for r in read_table(path).rows] == ["Homs", "Hama"]
    monkeypatch.setattr(xlsx, "MAX_FIELD_CHARS", 20)
    with pytest.raises(InputError, match="cell longer than 20 characters .* on row 2"):
        read_table(path)
    monkeypatch.setattr(xlsx, "MAX_FIELD_CHARS", 1 << 20)
    monkeypatch.setattr(xlsx, "MAX_XLSX_ROWS", 2)
    with pytest.raises(InputError, match="has a sheet of 3 rows, more than the 2"):
        read_table(path)


def test_a_long_blank_run_ends_the_sheet_and_is_reported(tmp_path, monkeypatch):
    path = workbook(tmp_path / "t.xlsx", [["place"], ["Homs"], [None], [None], [None], ["Hama"]])
    monkeypatch.setattr(xlsx, "MAX_BLANK_RUN", 2)
    table = read_table(path)
    assert [r[1]["place"] for r in table.rows] == ["Homs"]
    assert [str(p) for p in table.problems] == [
        f"{path}:5: more than 2 blank rows in a row: the sheet was not read past row 5. "
        "Fix: delete the blank rows"
    ]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        read_table(path)
