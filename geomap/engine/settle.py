"""The rules one process applies as it stores rows, applied by the client over a whole run.

Workers see only their own range, so the client goes through every row's
note, file by file and line by line, as one ingest into a new store does
(:mod:`geomap.ingestion.pipeline` and :mod:`geomap.store.writes`):

* a row repeating an id met earlier in its file is skipped and reported
  with the line that id is on;
* a row the store's checks refuse is reported with their reason;
* a row whose id came already (from another file): the same values are
  "unchanged"; from another format it is kept out; from the same format it
  is kept out unless ``replace``, which updates the row that came first.

Rows a worker wrote that these rules leave out are collected in
:attr:`Settled.drops` (task, event id), for the client to take out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from geomap.ingestion.report import Rejected
from geomap.store.writes import input_family, other_format, other_values

if TYPE_CHECKING:
    from geomap.engine.parts import RangeResult, RowNote
    from geomap.engine.tables import TablePlan
    from geomap.ingestion import IngestReport


class Kept(NamedTuple):
    """The row an id stands for so far: its format family, values and task."""

    family: str
    digest: str
    task: int


@dataclass
class Settled:
    """The rows of the run so far, by id, and what to take out of each task's parts."""

    kept: dict[str, Kept] = field(default_factory=dict)
    drops: dict[int, set[str]] = field(default_factory=dict)

    def drop(self, task: int, event_id: str) -> None:
        self.drops.setdefault(task, set()).add(event_id)


def settle_file(
    plan: TablePlan, results: list[RangeResult], settled: Settled, report: IngestReport,
    *, replace: bool,
) -> None:  # fmt: skip
    """Apply the rules to one file's rows (its tasks' results), reporting as one process."""
    path, family = str(plan.path), input_family(plan.fmt)
    first_lines: dict[str, int] = {}
    rejected: list[Rejected] = []
    for task in range(plan.first_task, plan.first_task + len(plan.ranges)):
        result = results[task]
        rejected += [Rejected(path, line, why) for line, why in result.parse_errors]
        for note in result.notes:
            first = first_lines.setdefault(note.raw_id, note.line) if note.raw_id else note.line
            if first != note.line:
                rejected.append(Rejected(path, note.line, (
                    f"event_id {note.raw_id!r} is on line {first} too; this row is "
                    "skipped (an id names one row of a file)")))  # fmt: skip
                _drop_written(settled, task, note)
            elif note.error:
                rejected.append(Rejected(path, note.line, note.error))
            else:
                _store(note, task, family, settled, report, path, replace)
    rejected.sort(key=lambda r: r.line)
    report.rejected += rejected


def _drop_written(settled: Settled, task: int, note: RowNote) -> None:
    if note.written:
        settled.drop(task, note.event_id)


def _store(
    note: RowNote, task: int, family: str, settled: Settled, report: IngestReport, path: str,
    replace: bool,
) -> None:  # fmt: skip
    """One checked row against the rows already in: added, unchanged, kept out or updated."""
    old = settled.kept.get(note.event_id)
    if old is None:
        settled.kept[note.event_id] = Kept(family, note.digest, task)
        report.stored += 1
        return
    _drop_written(settled, task, note)
    if old.digest == note.digest:
        report.unchanged += 1
        return
    if old.family != family:
        why = other_format(note.event_id, old.family, family)
    elif not replace:
        why = other_values(note.event_id)
    else:
        settled.drop(old.task, note.event_id)
        if note.written:
            settled.drops[task].discard(note.event_id)
        settled.kept[note.event_id] = Kept(family, note.digest, task)
        report.stored += 1
        report.updated += 1
        return
    report.not_replaced.append(Rejected(path, note.line, why))
