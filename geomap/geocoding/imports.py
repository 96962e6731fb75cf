"""Merging a checked cache export into the cache: what is added, updated, kept or refused.

The rules (:func:`plan_import`):

* a new key is added, an unpinned local entry takes the incoming answer when
  that one is newer;
* a local pin is never replaced: an incoming row that disagrees with it is
  reported as a conflict;
* a pin in the file is a person's override that would win everywhere, so it
  is taken only when asked (``accept_pins``); otherwise it is listed and left
  out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from geomap.errors import quote
from geomap.geocoding.entry import CacheEntry


@dataclass(slots=True)
class ImportReport:
    """What ``GeocodeCache.import_`` did."""

    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # local pins kept over incoming rows
    #: pins in the file that were left out (importing pins needs ``accept_pins``)
    pins: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.conflicts) + len(self.pins)


def _point(entry: CacheEntry) -> str:
    return f"({entry.latitude}, {entry.longitude})"


def _conflict(entry: CacheEntry, local: CacheEntry) -> str:
    kind = "pin" if entry.pinned else entry.provider
    return (
        f"{quote(entry.query)} [{entry.key}]: kept the local pin {_point(local)} over the"
        f" imported {kind} answer {_point(entry)}"
    )


def _left_out(entry: CacheEntry) -> str:
    return f"{quote(entry.query)} [{entry.key}]: pinned at {_point(entry)} in the file"


def plan_import(
    incoming: Iterable[CacheEntry],
    local_entry: Callable[[str], CacheEntry | None],
    report: ImportReport,
    *,
    accept_pins: bool,
) -> list[CacheEntry]:
    """The incoming entries to write (counted into ``report``); ``local_entry`` reads the cache."""
    writes: list[CacheEntry] = []
    for entry in incoming:
        local = local_entry(entry.key)
        if local is not None and local.to_record() == entry.to_record():
            report.unchanged += 1
        elif local is not None and local.pinned and not (entry.pinned and entry.same_answer(local)):
            if local.same_answer(entry):
                report.unchanged += 1
            else:
                report.conflicts.append(_conflict(entry, local))
        elif entry.pinned and not accept_pins and not (local is not None and local.pinned):
            report.pins.append(_left_out(entry))
        elif local is None:
            report.added += 1
            writes.append(entry)
        elif entry.updated > local.updated or (entry.pinned and not local.pinned):
            report.updated += 1
            writes.append(entry)
        else:
            report.unchanged += 1
    return writes
