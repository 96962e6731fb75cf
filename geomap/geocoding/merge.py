"""Cache shards merged into one cache: a union, conflicts reported, pins never overwritten.

Workers of a cluster run each write their own shard (a file with the cache's
schema).  Offline answers depend only on the gazetteer and the name, so two
shards normally agree on every key they share; a key answered differently
(by two shards, or by a shard and the target) is a *conflict*: it is
reported, and the answer already there (the target's, else the first
shard's) is kept.  Pins are people's overrides: a target pin is never
replaced, and pins found in shards (copies of the pins a run broadcast to its
workers) are not merged: a pin the target lacks is listed as left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geomap.geocoding.cache import GeocodeCache
from geomap.geocoding.entry import CacheEntry


@dataclass(slots=True)
class MergeReport:
    """What :func:`merge_shards` did."""

    into: str
    shards: list[str] = field(default_factory=list)
    added: int = 0
    unchanged: int = 0
    #: one line per key answered differently: the key, both answers, where from
    conflicts: list[str] = field(default_factory=list)
    #: pins in shards that the target does not hold (left out)
    pins_left_out: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: the counts."""
        left = f", {len(self.pins_left_out)} pins left out" if self.pins_left_out else ""
        return (
            f"Merged {len(self.shards)} shard(s) into {self.into}: {self.added} added, "
            f"{self.unchanged} unchanged, {len(self.conflicts)} conflicts{left}"
        )


def describe_answer(entry: CacheEntry) -> str:
    """A cached answer in a few words (for conflict lines)."""
    if not entry.found:
        return f"not found via {entry.provider}"
    pin = "pin " if entry.pinned else ""
    return (
        f"{pin}{entry.geonameid or '-'} ({entry.latitude:.5f}, {entry.longitude:.5f})"
        f" via {entry.provider}"
    )


def same_answer(one: CacheEntry, other: CacheEntry) -> bool:
    """Both give the same result: times and the query's spelling aside."""
    return one.same_answer(dataclasses.replace(other, query=one.query))


def merge_shards(
    target: GeocodeCache,
    shards: Sequence[GeocodeCache],
    *,
    first_queries: Mapping[str, str] | None = None,
) -> MergeReport:
    """Union the entries of ``shards`` into ``target`` in one transaction.

    A key new to the target is added; a key the target (or an earlier shard)
    already answers the same way is unchanged; a key answered differently is
    a conflict (reported, the earlier answer kept).  Nothing the target holds
    is overwritten, so a pin is never replaced.  ``first_queries`` gives the
    spelling an added key is stored under (the first met in article order,
    as one process stores it); otherwise the first shard's is kept.
    """
    report = MergeReport(into=str(target.path), shards=[str(s.path) for s in shards])
    planned: dict[str, tuple[CacheEntry, str]] = {}
    for shard in shards:
        for entry in shard.entries():
            _merge_one(target, entry, str(shard.path), planned, report)
    first = first_queries or {}
    if planned:
        target.put_many([
            dataclasses.replace(entry, query=first[key]) if key in first else entry
            for key, (entry, _) in planned.items()
        ])  # fmt: skip
    report.added = len(planned)
    return report


def _merge_one(
    target: GeocodeCache,
    entry: CacheEntry,
    origin: str,
    planned: dict[str, tuple[CacheEntry, str]],
    report: MergeReport,
) -> None:
    """Plan one shard entry: added, unchanged, a conflict, or a pin left out."""
    existing: CacheEntry | None
    earlier = planned.get(entry.key)
    if earlier is not None:
        existing, where = earlier
    else:
        found = target.get(entry.key)
        existing, where = (found, report.into) if found is not None else (None, "")
    if entry.pinned:
        if existing is None or not (existing.pinned and same_answer(existing, entry)):
            report.pins_left_out.append(f"{entry.key}: {describe_answer(entry)} in {origin}")
        return
    if existing is None:
        planned[entry.key] = (entry, origin)
    elif same_answer(existing, entry):
        report.unchanged += 1
    else:
        report.conflicts.append(
            f"{entry.key}: {describe_answer(existing)} in {where}, kept;"
            f" {describe_answer(entry)} in {origin}"
        )
