"""Reading the first sheet of an XLSX workbook, streamed and bounded.

Before anything is parsed, the archive's own table of contents is checked:
a workbook that would unpack to more than 256 MiB
(:data:`~geomap.formats.limits.MAX_XLSX_BYTES`) is refused, so a small file
holding a 600 MB cell (a "zip bomb") costs nothing; then the sheets' XML is
streamed once to count their rows, and a sheet of more than
:data:`~geomap.formats.limits.MAX_XLSX_ROWS` rows (twenty million empty
ones, say) is refused too.  The first sheet is then read in openpyxl's
streaming (read-only) mode, with no cell longer than
:data:`~geomap.formats.limits.MAX_FIELD_CHARS`; after
:data:`MAX_BLANK_RUN` blank rows in a row the rest of the sheet is left
unread, and the report says so.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from geomap.errors import InputError
from geomap.formats.limits import MAX_FIELD_CHARS, MAX_XLSX_BYTES, MAX_XLSX_ROWS
from geomap.ingestion.report import Rejected
from geomap.ingestion.values import Row

#: Blank rows in a row after which the rest of a sheet is not read.
MAX_BLANK_RUN = 100_000


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """How many ``<row`` elements a sheet's XML holds, streamed (never held whole)."""
    count, tail = 0, b""
    with archive.open(info) as fh:
        while chunk := fh.read(1 << 22):
            data = tail + chunk  # a tag split between chunks is counted once
            count += data.count(b"<row") - data.count(b"<rowBreaks")
            tail = data[-3:]
    return count


def _check_archive(path: Path) -> None:
    """Refuse what is not a zip archive, or would unpack to more than the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            sheets = [i for i in infos if i.filename.startswith("xl/worksheets/")]
            if unpacked <= MAX_XLSX_BYTES:
                rows = max((_count_rows(archive, i) for i in sheets), default=0)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(
            f"The file {str(path)!r} is not a readable XLSX workbook ({type(exc).__name__}). "
            "Fix: open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    if unpacked > MAX_XLSX_BYTES:
        raise InputError(
            f"The workbook {str(path)!r} would unpack to {unpacked / 2**20:,.0f} MiB, more "
            f"than the {MAX_XLSX_BYTES >> 20} MiB geomap reads (a huge cell or millions of "
            "empty rows?). Fix: delete the empty rows and columns, or export the sheet as CSV."
        )
    if rows > MAX_XLSX_ROWS:
        raise InputError(
            f"The workbook {str(path)!r} has a sheet of {rows:,} rows, more than the "
            f"{MAX_XLSX_ROWS:,} geomap reads (Excel's own limit). Fix: delete the empty rows, "
            "or split the sheet."
        )


def read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, Row]], list[Rejected]]:
    """The first sheet's column names, its non-blank rows (each with its sheet row number),
    and what was left unread."""
    try:
        import openpyxl
    except ImportError as exc:
        raise InputError(
            f"Reading {str(path)!r} needs openpyxl. Fix: pip install 'geomap[xlsx]'"
        ) from exc
    _check_archive(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException variants
        raise InputError(
            f"The file {str(path)!r} is not a readable XLSX workbook ({type(exc).__name__}). "
            "Fix: open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    try:
        return _rows(path, book.worksheets[0].iter_rows(values_only=True))
    except InputError:
        raise
    except Exception as exc:  # a malformed sheet fails inside openpyxl's XML parsing
        raise InputError(
            f"The sheet of {str(path)!r} cannot be read ({type(exc).__name__}). "
            "Fix: open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    finally:
        book.close()


def _rows(
    path: Path, it: Iterable[tuple[object, ...]]
) -> tuple[list[str], list[tuple[int, Row]], list[Rejected]]:
    rows_iter = iter(it)
    header = next(rows_iter, None)
    if header is None or not any(h is not None for h in header):
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a sheet with a header row.")
    _check_cells(path, 1, header)
    columns = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
    rows: list[tuple[int, Row]] = []
    blank = 0
    for n, values in enumerate(rows_iter, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            blank += 1
            if blank > MAX_BLANK_RUN:
                return columns, rows, [Rejected(str(path), n, (
                    f"more than {MAX_BLANK_RUN:,} blank rows in a row: the sheet was not read "
                    f"past row {n}. Fix: delete the blank rows"))]  # fmt: skip
            continue
        blank = 0
        _check_cells(path, n, values)
        rows.append((n, dict(zip(columns, values, strict=False))))
    return columns, rows, []


def _check_cells(path: Path, row: int, values: tuple[object, ...]) -> None:
    for value in values:
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise InputError(
                f"The workbook {str(path)!r} has a cell longer than {MAX_FIELD_CHARS:,} "
                f"characters (1 MiB, the limit) on row {row}. Fix: shorten that cell."
            )
