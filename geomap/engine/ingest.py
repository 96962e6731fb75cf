"""``ingest`` on a cluster: tables cut into ranges, parts written by the workers, one index.

The client checks each table as one process does (decoding, quoting, the
columns its format needs: :func:`~geomap.ingestion.tables.read_table`), cuts
it into ranges of whole records (:mod:`geomap.engine.ranges`) and sends only
paths and offsets.  Each worker parses, checks and names its rows and keeps
them in its memory (:mod:`geomap.engine.parts`); the client then applies,
over the whole run and in file and line order, the rules one process applies
when it stores rows: a row repeating an id of its file is skipped, a row
whose id came already from another file is kept out unless ``replace`` lets
it update that row.  Each worker also sends the dedup matcher's view of
each row it kept; from those the client finds the rows that describe one
event as the event store groups them (:mod:`geomap.dataset.dedup`: the
matching pairs of each (grid cell x month) partition are found on the
workers).  Each worker then drops from its rows those that the id rules left
out or that merge into an event, hands back the merged ones and cuts the rest
by (source, year); the client merges the groups, and one task per partition
writes its pieces from every range, with the merged events in it, as one
Hilbert-sorted file; then the client writes the index.  Every row is written
once.

The dataset is built in a hidden folder beside the target and renamed into
place at the end: a failed run leaves the old dataset (or nothing).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.dataset import GroupEntry, is_dataset
from geomap.dataset.index import write_index
from geomap.dataset.write import check_target as check_dataset_target
from geomap.dataset.write import swap_in
from geomap.engine.plugin import PLUGIN_NAME, GeomapPlugin
from geomap.engine.ranges import RANGE_ROWS, TableRange
from geomap.engine.settle import Settled, settle_file
from geomap.engine.tables import TablePlan, plan_table
from geomap.errors import InputError
from geomap.formats.limits import clip
from geomap.ingestion import IngestReport
from geomap.ingestion.report import shown_rows
from geomap.model import Event

if TYPE_CHECKING:
    from distributed import Client, Future

    from geomap.engine.parts import RangeResult, RangeRows

@dataclass
class ClusterIngest:
    """What an ingest on a cluster wrote into its dataset."""

    #: rows read, rejected and not replaced, file errors: as one process reports them
    report: IngestReport
    dataset: Path
    #: events written: one per group of source rows that describe one event
    events: int = 0
    #: the source rows they merge
    sources: int = 0
    files: int = 0
    row_groups: int = 0
    workers: int = 0
    tasks: int = 0
    #: the CPU seconds each task took on its worker
    task_cpu_s: list[float] = field(default_factory=list)

    def summary(self) -> str:
        """The lines ``geomap ingest --cluster`` prints."""
        r = self.report
        files = ", ".join(f"{Path(p).name}: {f}" for p, f in r.formats.items())
        lines = [f"files: {len(r.files)}" + (f" ({files})" if files else ""),
                 f"rows read: {r.rows_read}",
                 f"written: {self.events} events from {self.sources} source rows"]  # fmt: skip
        if r.updated or r.unchanged:
            lines.append(f"updated: {r.updated}, unchanged: {r.unchanged}")
        if r.not_replaced:
            lines.append(f"not replaced: {len(r.not_replaced)} (their ids came in already)")
            lines += shown_rows(r.not_replaced)
        lines.append(f"rejected: {len(r.rejected)}")
        lines += shown_rows(r.rejected)
        lines.append(f"dataset: {self.dataset} ({self.files} files, {self.row_groups} row groups;"
                     f" {self.tasks} tasks on {self.workers} workers)")  # fmt: skip
        return "\n".join(lines)


def check_target(root: Path, *, overwrite: bool) -> None:
    """Refuse what :func:`~geomap.dataset.write.check_target` refuses and, without
    ``overwrite``, a dataset already there."""
    check_dataset_target(root)
    if is_dataset(root) and not overwrite:
        raise InputError(
            f"The dataset {str(root)!r} exists already; ingest --cluster writes a whole "
            "dataset and never adds to one (the ids in it would go unchecked). Fix: pass a "
            "new folder, or --overwrite to replace it once the new one is complete."
        )


def ingest_on(
    connect: Callable[[], AbstractContextManager[Client]],
    paths: Iterable[str | os.PathLike[str]],
    *,
    fmt: str,
    dataset: Path,
    gazetteer: Path,
    replace: bool = False,
    overwrite: bool = False,
    row_group_size: int = 65536,
    range_rows: int = RANGE_ROWS,
) -> ClusterIngest:
    """Ingest the tables ``paths`` on the workers of the client ``connect()`` opens (only
    once some table can go) into a new dataset at ``dataset``.

    The workers must see the files and the dataset's folder (a LocalCluster
    does; a remote cluster needs a shared file system).
    """
    check_target(dataset, overwrite=overwrite)
    run = ClusterIngest(IngestReport(), dataset)
    plans: list[TablePlan] = []
    for raw in paths:
        first = sum(len(p.ranges) for p in plans)
        plan = plan_table(Path(raw), fmt, run.report, first_task=first, range_rows=range_rows)
        if plan is not None:
            plans.append(plan)
    if not plans:  # every input failed: nothing is written, an old dataset stays
        return run
    tmp = dataset.with_name(f".{dataset.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        tmp.mkdir()
        with connect() as client:
            results, held = _run_tasks(client, plans, gazetteer, run)
            settled = Settled()
            for plan in plans:
                settle_file(plan, results, settled, run.report, replace=replace)
            entries = _dedupe(client, tmp, results, held, settled.drops, row_group_size, run)
        write_index(tmp, entries)
        swap_in(tmp, dataset)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    run.events = sum(e.rows for e in entries)
    run.files = len({e.file for e in entries})
    run.row_groups = len(entries)
    return run


def _run_tasks(
    client: Client, plans: list[TablePlan], gazetteer: Path, run: ClusterIngest,
) -> tuple[list[RangeResult], list[Future[RangeRows]]]:  # fmt: skip
    """Every range of every plan on the workers: their results in task order, and the
    futures of their rows (held on the workers until they are written)."""
    from geomap.engine.parts import ingest_range, range_result

    run.workers = len(client.scheduler_info()["workers"])
    tasks: list[tuple[TableRange, str]] = [(r, p.fmt) for p in plans for r in p.ranges]
    run.tasks = len(tasks)
    if not tasks:
        return [], []
    client.register_plugin(GeomapPlugin(str(gazetteer), None, [], index_names=False))
    try:
        held = [client.submit(ingest_range, part, fmt, pure=False) for part, fmt in tasks]
        futures = [client.submit(range_result, rows, pure=False) for rows in held]
        results = [_result(f, part) for f, (part, _fmt) in zip(futures, tasks, strict=True)]
    finally:
        client.unregister_worker_plugin(PLUGIN_NAME)
    return results, held


def _result(future: Future[RangeResult], part: TableRange) -> RangeResult:
    """A task's result; a file that can no longer be read is one clear error."""
    try:
        return future.result()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"A worker could not read {part.path!r} from line {part.line} ({type(exc).__name__}:"
            f" {clip(str(exc))}); did it change while it was ingested? Fix: ingest it again"
            " (a remote cluster's workers must see the file at the same path)."
        ) from None


def _dedupe(
    client: Client, tmp: Path, results: list[RangeResult], held: list[Future[RangeRows]],
    drops: dict[int, set[str]], row_group_size: int, run: ClusterIngest,
) -> list[GroupEntry]:  # fmt: skip
    """Merge the rows that describe one event, as the store does, and write the dataset's
    partitions; their entries.

    The matcher's view of every row the id rules keep (sent by the workers)
    gives the pairs (found per partition on the workers) and the groups; only
    the rows of groups of two or more come back here and are merged.  Each
    range drops, on its worker, the rows that leave it (the id rules' ``drops``
    and the rows merged) and cuts the rest by (source, year); each partition is
    then written as one file by one task, from its pieces in every range and
    the merged events that fall in it.
    """
    from geomap.dataset.columns import events_table
    from geomap.dataset.dedup import joined_groups, merged_event, pairs_on
    from geomap.dataset.write import split_partitions
    from geomap.engine.parts import piece_of, split_outline, split_range, write_partition
    from geomap.store.dedupe import Node

    nodes: list[Node] = []
    task_of: list[int] = []
    for k, result in enumerate(results):
        left_out = drops.get(k, set())
        for fields in result.nodes:
            if fields[0] not in left_out:
                nodes.append(Node(len(nodes), *fields))
                task_of.append(k)
    run.sources = len(nodes)
    pairs, _partitions = pairs_on(client, nodes)
    groups = joined_groups(nodes, pairs)
    wanted: dict[int, set[str]] = {}  # the merged rows, by the task that kept them
    for sids in groups:
        for s in sids:
            wanted.setdefault(task_of[s], set()).add(nodes[s].event_id)
    splits = [client.submit(split_range, rows, sorted(drops.get(k, set()) | wanted.get(k, set())),
                            sorted(wanted.get(k, ())), pure=False)
              for k, rows in enumerate(held)]  # fmt: skip
    outlines = client.gather([client.submit(split_outline, s, pure=False) for s in splits])
    del held[:]  # the splits hold the rows from now on
    rows: dict[str, Event] = {}
    pieces: dict[tuple[str, str], list[Any]] = {}
    for k, (keys, taken, cpu_s) in enumerate(outlines):
        results[k].cpu_s += cpu_s
        rows.update((e.event_id, e) for e in taken)
        for key in keys:
            pieces.setdefault(key, []).append(client.submit(piece_of, splits[k], key, pure=False))
    merged = [merged_event([rows[nodes[s].event_id] for s in sids]) for sids in groups]
    if merged:
        for key, piece in split_partitions(events_table(merged)).items():
            pieces.setdefault(key, []).append(piece)
    writes = [client.submit(write_partition, pieces[key], str(tmp), row_group_size, pure=False)
              for key in sorted(pieces)]  # fmt: skip
    entries: list[GroupEntry] = []
    run.task_cpu_s = [r.cpu_s for r in results]
    for written, cpu_s in client.gather(writes):
        entries += written
        run.task_cpu_s.append(cpu_s)
    return sorted(entries, key=lambda g: (g.file, g.row_group))
