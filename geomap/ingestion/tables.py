"""Reading input files: decoding, CSV/TSV and XLSX tables, and telling their format.

Reading is bounded (:mod:`geomap.formats.limits`): a CSV field longer than
1 MiB, a table of more than 10,000 columns and an XLSX archive that would
unpack to more than 256 MiB are refused with a one-line error.  A quote left
open that swallows the lines after it is reported with the lines it spans.

A UTF-8 CSV file is read twice rather than held in memory: once to check it
(decoding, quoting, the rows it holds) before anything is stored, then row
by row as its events are stored (:class:`StreamedRows`), so memory stays
flat whatever the file's size.  Other files are read whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from geomap.errors import InputError
from geomap.formats.limits import MAX_FIELD_CHARS, clip, listing
from geomap.ingestion import gdelt
from geomap.ingestion.progress import progress
from geomap.ingestion.report import Rejected
from geomap.ingestion.values import Row, RowError

if TYPE_CHECKING:
    from _csv import Reader

T = TypeVar("T")

#: What ``--format`` accepts ("auto" guesses from the file name and header).
FORMATS = ("auto", "acled", "ucdp", "gdelt", "csv", "xlsx", "extract", "article")
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


#: Most columns a table may have.
MAX_COLUMNS = 10_000


def decode(path: Path) -> str:
    """The text of a UTF-8 file (a BOM allowed) or a UTF-16 file with its BOM.

    An unreadable, empty or binary file, and UTF-16 without a BOM, are an
    InputError that says which.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read {str(path)!r}: {exc.strerror}. Fix: check the path."
        ) from exc
    empty = InputError(
        f"The file {str(path)!r} is empty. Fix: pass a file with a header and rows."
    )
    if not data.strip():
        raise empty
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-16")
            if not text.strip():  # a byte-order mark and nothing else
                raise empty
            return text
    if b"\x00" in data[:4096]:
        raise InputError(_nul_message(path, data[:4096]))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The file {str(path)!r} is not UTF-8 (bad byte at offset {exc.start}). "
            "Fix: re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)."
        ) from exc
    if not text.strip():
        raise empty
    return text


def _nul_message(path: Path, head: bytes) -> str:
    """Why a file with NUL bytes cannot be read: UTF-16 without its BOM, or binary."""
    even, odd = head[0::2], head[1::2]
    for name, zeros, text in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
            return (
                f"The file {str(path)!r} is {name} text without a byte-order mark. "
                f"Fix: re-save it as UTF-8 (e.g. iconv -f {name} -t UTF-8)."
            )
    return (
        f"The file {str(path)!r} is binary (it holds NUL bytes), not a text table. "
        "Fix: pass a CSV/TSV/XLSX table, extract JSON or an article."
    )


@dataclass
class Table:
    """A table's column names and its non-blank rows, each with its line number;
    ``problems`` are rows the reader itself had to leave out (an unclosed quote)."""

    path: Path
    columns: list[str]
    rows: Collection[tuple[int, Row]]
    problems: list[Rejected] = field(default_factory=list)

    def require(self, needed: Iterable[str], fmt: str) -> None:
        """Raise an InputError naming the columns of ``needed`` the table lacks (any case)."""
        lower = {c.lower() for c in self.columns}
        missing = [c for c in needed if c.lower() not in lower]
        if missing:
            raise InputError(
                f"The {fmt} file {str(self.path)!r} has no column "
                f"{', '.join(map(repr, missing))}; its columns are: {listing(self.columns)}. "
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


def read_table(path: Path, *, stream: bool = False) -> Table:
    """A CSV/TSV or XLSX file as (line number, {column: value}) rows.

    With ``stream`` the rows of a UTF-8 CSV file are read from the file again
    each time they are iterated (:class:`StreamedRows`) instead of held in memory.
    """
    if path.suffix.lower() in XLSX_SUFFIXES:
        from geomap.ingestion.xlsx import read_xlsx

        columns, rows, problems = read_xlsx(path)
        return Table(path, check_columns(path, columns), rows, problems)
    streamed = _stream_csv(path) if stream else None
    return streamed if streamed is not None else _read_csv(path)


def check_columns(path: Path, columns: list[str]) -> list[str]:
    """The columns, when there are at most :data:`MAX_COLUMNS`."""
    if len(columns) > MAX_COLUMNS:
        raise InputError(
            f"The file {str(path)!r} has {len(columns):,} columns (starting "
            f"{listing(columns, 5)}); geomap reads at most {MAX_COLUMNS:,}. "
            "Fix: check the delimiter, or keep only the columns you need."
        )
    return columns


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
    delimiter = _delimiter(text[: text.find("\n")] if "\n" in text else text)
    old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        return _csv_rows(path, text, delimiter)
    finally:
        csv.field_size_limit(old_limit)


def _csv_rows(path: Path, text: str, delimiter: str) -> Table:
    rows: list[tuple[int, Row]] = []
    problems: list[Rejected] = []
    columns, records = _scan(path, io.StringIO(text, newline=""), delimiter)
    for item in records:
        if isinstance(item, Rejected):
            problems.append(item)
        else:
            rows.append(item)
    return Table(path, columns, rows, problems)


def _scan(
    path: Path, lines: Iterable[str], delimiter: str, *, shape: str = "dict"
) -> tuple[list[str], Iterator[tuple[int, Any] | Rejected]]:
    """The columns, and an iterator over each non-blank row and each row that swallowed
    the lines after it (a Rejected), in file order.  A row is (line, {column: value});
    with ``shape`` "list", (line, [value, ...]) as the file holds it; with "none",
    (line, {}) (for counting them)."""
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError(f"The file {str(path)!r} is empty. Fix: pass a file with rows.") from exc
    except csv.Error as exc:
        raise InputError(_csv_error(path, reader.line_num, exc)) from exc
    columns = gdelt.headerless_columns(header, delimiter)
    if columns is not None:
        return columns, _records(path, reader, columns, header, shape)
    return check_columns(path, [h.strip() for h in header]), _records(
        path, reader, [h.strip() for h in header], None, shape
    )


def _records(
    path: Path, reader: Reader, columns: list[str], first: list[str] | None, shape: str
) -> Iterator[tuple[int, Any] | Rejected]:
    """The rows of ``reader`` after its header (``first``: a header that is a row), as
    :func:`_scan` gives them."""
    if first is not None:
        yield (1, first if shape == "list" else dict(zip(columns, first, strict=False)))
    delimiter = reader.dialect.delimiter
    end = reader.line_num
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if end > start and _swallowed(record, delimiter, len(columns)):
                yield Rejected(str(path), start, (
                    f"lines {start}-{end} were read as one row: a quote opened on line {start} "
                    "is never closed, so it swallows the lines after it. Fix: close the quote "
                    '(a quote inside a quoted field is written "")'))  # fmt: skip
            elif any(map(str.strip, record)):
                yield (start, record if shape == "list" else
                       dict(zip(columns, record, strict=False)) if shape == "dict" else {})
    except csv.Error as exc:
        raise InputError(_csv_error(path, reader.line_num, exc)) from exc


class StreamedRows:
    """The rows of a checked UTF-8 CSV file, read from the file again at each iteration.

    ``count`` is the number of rows the checking pass found; a file that
    changes between the passes is an InputError.
    """

    def __init__(self, path: Path, delimiter: str, count: int) -> None:
        self.path, self.delimiter, self.count = path, delimiter, count

    def __len__(self) -> int:
        return self.count

    def __contains__(self, item: object) -> bool:
        return any(row == item for row in self)

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        return self._rows("dict")

    def records(self) -> StreamedRecords:
        """The same rows, each as (line, its cells as the file holds them)."""
        return StreamedRecords(self)

    def _rows(self, shape: str) -> Iterator[tuple[int, Any]]:
        old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                for item in _scan(self.path, fh, self.delimiter, shape=shape)[1]:
                    if not isinstance(item, Rejected):
                        yield item
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"The file {str(self.path)!r} could not be read again ({clip(str(exc))}); "
                "did it change while it was ingested? Fix: ingest it again."
            ) from exc
        finally:
            csv.field_size_limit(old_limit)


class StreamedRecords:
    """The rows of a :class:`StreamedRows`, each as (line, its cells as the file holds
    them), read from the file again at each iteration."""

    def __init__(self, rows: StreamedRows) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, item: object) -> bool:
        return any(row == item for row in self)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self.rows._rows("list")


def _stream_csv(path: Path) -> Table | None:
    """The table of a plain UTF-8 CSV file, checked in one pass without holding its rows;
    None for any other file (or any problem), which :func:`_read_csv` then reads whole
    (and reports exactly)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        if (
            not head.strip()
            or head.startswith((b"\xff\xfe", b"\xfe\xff"))
            or b"\x00" in head
            or head.removeprefix(b"\xef\xbb\xbf").startswith((b"PK\x03\x04", b"{", b"["))
        ):
            return None
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
        if not first.endswith("\n"):
            return None
        delimiter = _delimiter(first[:-1])
        old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                columns, records = _scan(path, fh, delimiter, shape="none")
                count, problems = 0, []
                for item in records:
                    if isinstance(item, Rejected):
                        problems.append(item)
                    else:
                        count += 1
        finally:
            csv.field_size_limit(old_limit)
    except (OSError, UnicodeDecodeError, InputError):
        return None
    return Table(path, columns, StreamedRows(path, delimiter, count), problems)


def _swallowed(record: list[str], delimiter: str, n_columns: int) -> bool:
    """Whether a row that spans lines holds what look like whole rows of the table."""
    needed = max(1, n_columns - 2)
    return any(
        line.count(delimiter) >= needed
        for value in record if "\n" in value for line in value.split("\n")[1:]
    )  # fmt: skip


def _csv_error(path: Path, line: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"The file {str(path)!r} has a field longer than {MAX_FIELD_CHARS:,} characters "
            f"(1 MiB, the limit) on line {line}. Fix: shorten that field, or check for a "
            "quote left open before it."
        )
    return (
        f"The file {str(path)!r} is not valid CSV near line {line}: {clip(str(exc))}. "
        "Fix: check quoting in that line."
    )


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
