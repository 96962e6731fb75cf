"""The client's look at each input of a cluster ingest: checked as one process checks it.

:func:`plan_table` reads a table's header and checks the whole file (as
``geomap ingest`` does before it stores anything: decoding, quoting, the
columns its format needs), records what one process would record for it
(its format, the rows it read, the rows the reader left out, or the file's
error) and cuts it into ranges.  Only ACLED, UCDP and GDELT tables in
UTF-8 CSV/TSV go to a cluster: their rows carry their coordinates.  Any
other input is refused with one line, and the other files go on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from geomap.engine.ranges import RANGE_ROWS, TableRange, cut_ranges
from geomap.errors import InputError
from geomap.ingestion import IngestReport
from geomap.ingestion.gdelt import headerless_columns
from geomap.ingestion.pipeline import ROW_FORMATS
from geomap.ingestion.tables import XLSX_SUFFIXES, StreamedRows, detect_format, read_table

#: The formats a cluster ingests (``auto`` finds one of them from the header).
CLUSTER_FORMATS = ("auto", *ROW_FORMATS)


@dataclass
class TablePlan:
    """One table to ingest on the cluster: its format and its ranges of records."""

    path: Path
    fmt: str
    ranges: list[TableRange] = field(default_factory=list)
    #: the index of its first range among all the run's tasks
    first_task: int = 0


def _refuse(path: Path, what: str) -> InputError:
    return InputError(
        f"{str(path)!r} is {what}; a cluster ingests ACLED, UCDP and GDELT tables saved as "
        "UTF-8 CSV or TSV. Fix: ingest it without --cluster (into the event store), or save "
        "it as a UTF-8 CSV."
    )


def plan_table(
    path: Path, fmt: str, report: IngestReport, *, first_task: int = 0,
    range_rows: int = RANGE_ROWS,
) -> TablePlan | None:  # fmt: skip
    """The plan for ``path``; None (with the error in ``report.errors``) when it cannot go."""
    report.files.append(str(path))
    try:
        return _plan(path, fmt, report, first_task, range_rows)
    except InputError as exc:
        report.errors.append(str(exc))
        return None


def _plan(path: Path, fmt: str, report: IngestReport, first_task: int, size: int) -> TablePlan:
    if not path.exists():
        raise InputError(f"No such file: {str(path)!r}. Fix: check the path.")
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a directory. Fix: pass the files inside it.")
    kind = fmt if fmt != "auto" else detect_format(path)
    if kind in ("extract", "article"):
        raise _refuse(path, f"{'extract output' if kind == 'extract' else 'an article'}")
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise _refuse(path, "a spreadsheet")
    table = read_table(path, stream=True)
    if not isinstance(table.rows, StreamedRows) and table.rows:
        raise _refuse(path, "not a plain UTF-8 table (UTF-16, or a single line)")
    if kind in ("table", "auto", "xlsx"):
        kind = detect_format(path, table.columns)
    report.formats[str(path)] = kind
    report.rows_read += len(table.problems)
    report.rejected += table.problems
    row_format = ROW_FORMATS.get(kind)
    if row_format is None:
        raise _refuse(path, "a table of place names (geocoded in one batch)")
    table.require(row_format.required, row_format.label)
    report.rows_read += len(table.rows)
    if not isinstance(table.rows, StreamedRows):
        return TablePlan(path, kind, [], first_task)
    delimiter = table.rows.delimiter
    skip = frozenset(r.line for r in table.problems)
    ranges = cut_ranges(path, table.columns, delimiter, headerless=_headerless(path, delimiter),
                        skip_lines=skip, size=size)  # fmt: skip
    return TablePlan(path, kind, ranges, first_task)


def _headerless(path: Path, delimiter: str) -> bool:
    """Whether the file's first line is already data (a raw GDELT export)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = next(csv.reader([fh.readline()], delimiter=delimiter), [])
    return headerless_columns(first, delimiter) is not None
