"""A CSV table cut into ranges of whole records that workers read from the file themselves.

The client finds, in one pass, the byte offset and line number where every
:data:`RANGE_ROWS`-th record starts (a record may span lines inside quotes:
the cut is always between records, as Python's csv reader sees them); only
the path and these numbers cross processes.  A worker seeks to its offset
and reads its records with the same reader settings, numbering lines as one
process numbers them (the physical line a record starts on).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from geomap.formats.limits import MAX_FIELD_CHARS

#: Records per task: large enough that scheduling costs nothing, small enough to spread.
RANGE_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class TableRange:
    """Records of one table file from byte ``offset`` (the start of line ``line``) on,
    ``records`` of them (blank and swallowed ones included)."""

    path: str
    columns: tuple[str, ...]
    delimiter: str
    offset: int
    line: int
    records: int
    #: lines of records to leave out (a quote never closed: reported by the client)
    skip_lines: frozenset[int] = frozenset()


def _lines(fh: BinaryIO, counter: list[int]) -> Iterator[str]:
    """The file's lines as text, adding each line's bytes to ``counter[0]``."""
    for raw in fh:
        counter[0] += len(raw)
        yield raw.decode("utf-8-sig" if counter[0] == len(raw) else "utf-8")


def cut_ranges(
    path: Path, columns: list[str], delimiter: str, *, headerless: bool,
    skip_lines: frozenset[int] = frozenset(), size: int = RANGE_ROWS,
) -> list[TableRange]:  # fmt: skip
    """The file's records as ranges of ``size`` records (the header is in none of them)."""
    ranges: list[TableRange] = []
    counter = [0]
    old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        with path.open("rb") as fh:
            reader = csv.reader(_lines(fh, counter), delimiter=delimiter)
            if not headerless:
                next(reader, None)
            start, line, count = counter[0], reader.line_num + 1, 0
            for _record in reader:
                count += 1
                if count == size:
                    ranges.append(_range(path, columns, delimiter, start, line, count, skip_lines))
                    start, line, count = counter[0], reader.line_num + 1, 0
    finally:
        csv.field_size_limit(old_limit)
    if count:
        ranges.append(_range(path, columns, delimiter, start, line, count, skip_lines))
    return ranges


def _range(
    path: Path, columns: list[str], delimiter: str, offset: int, line: int, records: int,
    skip: frozenset[int],
) -> TableRange:  # fmt: skip
    return TableRange(str(path), tuple(columns), delimiter, offset, line, records,
                      frozenset(n for n in skip if n >= line))  # fmt: skip


def read_records(part: TableRange) -> Iterator[tuple[int, list[str]]]:
    """(line, [value, ...]) for each non-blank record of the range, as the file holds it
    and as one process reads it (:meth:`~geomap.ingestion.tables.StreamedRows.records`)."""
    old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        with open(part.path, "rb") as fh:
            fh.seek(part.offset)
            text = io.TextIOWrapper(fh, encoding="utf-8-sig" if part.offset == 0 else "utf-8",
                                    newline="")  # fmt: skip
            reader = csv.reader(text, delimiter=part.delimiter)
            end = part.line - 1
            for n, record in enumerate(reader):
                if n >= part.records:
                    break
                start, end = end + 1, part.line - 1 + reader.line_num
                if start in part.skip_lines or not any(v.strip() for v in record):
                    continue
                yield start, record
    finally:
        csv.field_size_limit(old_limit)
