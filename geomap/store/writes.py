"""Writing source rows: every value checked once on the way in, and no silent overwrite.

:func:`check_events` runs each event through
:func:`geomap.store.validate.clean_event` (the one check every value entering
the store goes through) and gives an id-less row its content-derived id.

:func:`plan_writes` decides what happens to a row whose ``event_id`` is
stored already:

* the same values (``content_hash``): nothing is written ("unchanged");
* from another input format (an extract JSON event named ``acled:...``):
  the stored row is kept and the new one reported, ``replace`` or not;
* from the same format: replaced only with ``replace`` ("updated", e.g. an
  ACLED revision), otherwise kept and reported.

A store row written without a format (by :meth:`EventStore.upsert_events`)
may be replaced by any format with ``replace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from geomap.model import Event
from geomap.store.groups import HASH_INDEX
from geomap.store.rows import SqlValue, stable_event_id
from geomap.store.validate_batch import clean_events

#: Input formats, by the family whose rows may replace each other.
FORMAT_FAMILIES = {"acled": "acled", "ucdp": "ucdp", "gdelt": "gdelt", "csv": "csv",
                   "xlsx": "csv", "table": "csv", "extract": "text", "article": "text",
                   "text": "text"}  # fmt: skip


def input_family(input_format: str) -> str:
    """The family of an input format ("extract" and "article" are "text"; "" stays "")."""
    fmt = input_format.strip().lower()
    return FORMAT_FAMILIES.get(fmt, fmt[:20])


@dataclass
class WriteResult:
    """What one write of source rows did.  Positions count from 0 in the rows given."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    context: int = 0  # context figures among the rows written
    kept: list[tuple[int, str]] = field(default_factory=list)  # (position, why not written)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (position, bad value)

    @property
    def written(self) -> int:
        """Rows added or updated."""
        return self.added + self.updated

    def merge(self, other: WriteResult) -> None:
        """Add ``other``'s counts and lists to this result."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.context += other.context
        self.kept += other.kept
        self.rejected += other.rejected


def check_events(
    events: Sequence[Event], offset: int = 0, *, refuse_repeats: bool = True
) -> tuple[list[tuple[int, Event]], list[tuple[int, str]]]:
    """The events that pass the store's checks (normalised, with their position), and
    (position, reason) for the others.  A later row repeating an id is rejected, unless
    ``refuse_repeats`` is false (the caller applies its own rule to repeated ids)."""
    good: list[tuple[int, Event]] = []
    bad: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    missing = [not e.event_id for e in events]
    for e, lacks in zip(events, missing, strict=True):
        if lacks:
            e.event_id = "?"
    errors = clean_events(events)
    for i, (e, lacks, error) in enumerate(zip(events, missing, errors, strict=True), start=offset):
        if error is not None:
            bad.append((i, str(error)))
            continue
        if lacks:
            e.event_id = stable_event_id(e)
        if refuse_repeats and e.event_id in seen:
            bad.append((i, f"event_id {e.event_id!r} repeats the row at {seen[e.event_id]}"))
            continue
        seen[e.event_id] = i
        good.append((i, e))
    return good, bad


def other_format(event_id: str, stored: str, family: str) -> str:
    """Why a row is kept out whose id is stored from another input format (one wording for
    the store and for a cluster's dataset)."""
    return (f"event_id {event_id!r} is stored already from another format ({stored}); "
            f"a {family} row never replaces it")  # fmt: skip


def other_values(event_id: str) -> str:
    """Why a row is kept out whose id is stored with other values, without ``--replace``."""
    return f"event_id {event_id!r} is stored with other values; pass --replace to update it"


def plan_writes(
    rows: Sequence[tuple[int, Event, list[SqlValue]]],
    stored: dict[str, tuple[str | None, str, str]],
    *,
    family: str,
    replace: bool,
) -> tuple[list[list[SqlValue]], set[str], WriteResult]:
    """The rows to write, the groups they leave, and what happened to each row.

    ``rows`` are (position, event, source row); ``stored`` is
    :func:`geomap.store.groups.stored_rows` for their ids.
    """
    result = WriteResult()
    out: list[list[SqlValue]] = []
    dirty: set[str] = set()
    for position, event, row in rows:
        old = stored.get(event.event_id)
        if old is not None:
            group, old_family, old_hash = old
            if old_hash and old_hash == row[HASH_INDEX]:
                result.unchanged += 1
                continue
            if old_family and family and old_family != family:
                result.kept.append((position, other_format(event.event_id, old_family, family)))
                continue
            if not replace:
                result.kept.append((position, other_values(event.event_id)))
                continue
            result.updated += 1
            if group:
                dirty.add(group)
        else:
            result.added += 1
        result.context += 1 if event.is_context else 0
        out.append(row)
    return out, dirty, result
