"""Reading input files: decoding, CSV/TSV and XLSX tables, and telling their format."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from geomap.errors import InputError
from geomap.ingestion import gdelt
from geomap.ingestion.progress import progress
from geomap.ingestion.report import Rejected
from geomap.ingestion.values import Row, RowError

T = TypeVar("T")

#: What ``--format`` accepts ("auto" guesses from the file name and header).
FORMATS = ("auto", "acled", "ucdp", "gdelt", "csv", "xlsx", "extract", "article")
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def decode(path: Path) -> str:
    """The text of a UTF-8 file (a BOM allowed); an unreadable or empty file is an InputError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read {str(path)!r}: {exc.strerror}. Fix: check the path."
        ) from exc
    if not data.strip():
        raise InputError(
            f"The file {str(path)!r} is empty. Fix: pass a file with a header and rows."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The file {str(path)!r} is not UTF-8 (bad byte at offset {exc.start}). "
            "Fix: re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)."
        ) from exc


@dataclass
class Table:
    """A table's column names and its non-blank rows, each with its line number."""

    path: Path
    columns: list[str]
    rows: list[tuple[int, Row]]

    def require(self, needed: Iterable[str], fmt: str) -> None:
        """Raise an InputError naming the columns of ``needed`` the table lacks (any case)."""
        lower = {c.lower() for c in self.columns}
        missing = [c for c in needed if c.lower() not in lower]
        if missing:
            raise InputError(
                f"The {fmt} file {str(self.path)!r} has no column "
                f"{', '.join(map(repr, missing))}; its columns are: {', '.join(self.columns)}. "
                f"Fix: rename the column, or pass the right --format."
            )

    def pick(self, candidates: Sequence[str]) -> str | None:
        """The first of ``candidates`` (lower-case) that the table has, or None."""
        lower = {c.lower() for c in self.columns}
        return next((c for c in candidates if c in lower), None)


def parse_rows(
    table: Table,
    parse: Callable[[Row], T],
    rejected: list[Rejected],
    *,
    show_progress: bool | None = False,
) -> Iterator[tuple[int, T]]:
    """(line, ``parse(row)``) for each row; a row that raises RowError is added to
    ``rejected`` and skipped, so one bad row never stops the table."""
    for line, row in progress(table.rows, table.path.name, show=show_progress):
        try:
            value = parse(row)
        except RowError as exc:
            rejected.append(Rejected(str(table.path), line, str(exc)))
            continue
        yield line, value


def read_table(path: Path) -> Table:
    """A CSV/TSV or XLSX file as (line number, {column: value}) rows."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path)
    return _read_csv(path)


def _delimiter(first_line: str) -> str:
    delimiter = max(",\t;|", key=first_line.count)
    return delimiter if first_line.count(delimiter) else ","


def _read_csv(path: Path) -> Table:
    text = decode(path)
    if text.startswith(("PK\x03\x04", "{", "[")):
        raise InputError(
            f"The file {str(path)!r} is not a CSV table (it looks like "
            f"{'a zip/xlsx archive' if text.startswith('PK') else 'JSON'}). "
            "Fix: pass --format extract for geomap extract output, or save the sheet as CSV/XLSX."
        )
    delimiter = _delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a file with rows.") from exc
    rows: list[tuple[int, Row]] = []
    columns = gdelt.headerless_columns(header, delimiter)
    if columns is not None:
        rows.append((1, dict(zip(columns, header, strict=False))))
    else:
        columns = [h.strip() for h in header]
    try:
        for record in reader:
            if any(v.strip() for v in record):
                rows.append((reader.line_num, dict(zip(columns, record, strict=False))))
    except csv.Error as exc:
        raise InputError(
            f"The file {str(path)!r} is not valid CSV near line {reader.line_num}: {exc}. "
            "Fix: check quoting in that line."
        ) from exc
    return Table(path, columns, rows)


def _read_xlsx(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError as exc:
        raise InputError(
            f"Reading {str(path)!r} needs openpyxl. Fix: pip install 'geomap[xlsx]'"
        ) from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException variants
        raise InputError(
            f"The file {str(path)!r} is not a readable XLSX workbook ({type(exc).__name__}). "
            "Fix: open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    it = book.worksheets[0].iter_rows(values_only=True)
    header = next(it, None)
    if header is None or not any(h is not None for h in header):
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a sheet with a header row.")
    columns = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
    rows: list[tuple[int, Row]] = []
    for n, values in enumerate(it, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((n, dict(zip(columns, values, strict=False))))
    book.close()
    return Table(path, columns, rows)


def detect_format(path: Path, columns: Sequence[str] | None = None) -> str:
    """The format of ``path``: from its name alone ("extract", "article" or "table"),
    or, given the table's ``columns``, "acled", "ucdp", "gdelt" or "csv"."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "extract"
    if columns is None:
        return _format_from_name(path)
    lower = {c.lower() for c in columns}
    if {"globaleventid", "sqldate"} <= lower:
        return "gdelt"
    if "date_start" in lower and ("where_prec" in lower or "best" in lower):
        return "ucdp"
    if (
        "event_date" in lower
        and "latitude" in lower
        and ("fatalities" in lower or "geo_precision" in lower)
    ):
        return "acled"
    return "csv"


def _format_from_name(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".md", ".text"}:
        return "article"
    if suffix in {".csv", ".tsv"} | XLSX_SUFFIXES:
        return "table"
    if suffix == ".txt":
        first = decode(path).splitlines()[0]
        if first.count(",") >= 3 or first.count("\t") >= 3:
            return "table"
        return "article"
    raise InputError(
        f"Cannot tell the format of {str(path)!r} from its name. "
        f"Fix: pass --format (one of {', '.join(FORMATS[1:])})."
    )
