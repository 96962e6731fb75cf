"""What a refresh found and did: each move, each re-derived cache entry, and the summary."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Move:
    """One stored row re-located (or that would be, on a dry run)."""

    kind: str  # "event" (a source row) or "mention"
    ref: str  # event_id, or "doc_id:start-end" for a mention
    name: str
    key: str
    old_latitude: float | None
    old_longitude: float | None
    new_latitude: float
    new_longitude: float
    km: float | None  # geodesic; None when the row had no coordinates before
    old_precision: int | None
    new_precision: int | None
    provider: str

    def describe(self) -> str:
        def pt(lat: float | None, lon: float | None) -> str:
            return "(unlocated)" if lat is None or lon is None else f"({lat:.5f}, {lon:.5f})"

        km = "newly located" if self.km is None else f"{self.km:.2f} km"
        prec = f"precision {self.old_precision or '-'} -> {self.new_precision or '-'}"
        return (
            f"{self.kind} {self.ref}  {self.name!r}  "
            f"{pt(self.old_latitude, self.old_longitude)} -> "
            f"{pt(self.new_latitude, self.new_longitude)}  {km}  {prec}  "
            f"[{self.provider}; {self.key}]"
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class EntryChange:
    """A cache entry the refresh re-derived from the gazetteer."""

    key: str
    query: str
    before: str
    after: str


@dataclass(slots=True)
class RefreshReport:
    """What :func:`refresh_store` found and did."""

    store: str
    offline: bool
    dry_run: bool
    keys: int = 0  # cache keys the store uses (after the --names filter)
    rows: int = 0  # dependent rows looked at
    moves: list[Move] = field(default_factory=list)
    entry_changes: list[EntryChange] = field(default_factory=list)
    kept_own_coordinates: int = 0
    skipped: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    events_before: int = 0
    events_after: int = 0
    seconds: float = 0.0

    @property
    def event_moves(self) -> list[Move]:
        return [m for m in self.moves if m.kind == "event"]

    @property
    def mention_moves(self) -> list[Move]:
        return [m for m in self.moves if m.kind == "mention"]

    def summary(self) -> str:
        mode = "offline" if self.offline else "online allowed"
        head = "Dry run (nothing changed)" if self.dry_run else "Refreshed"
        verb = "would move" if self.dry_run else "moved"
        return (
            f"{head} ({mode}): {self.keys} cache keys, "
            f"{len(self.entry_changes)} entries re-derived; "
            f"{len(self.event_moves)} events and {len(self.mention_moves)} mentions {verb}; "
            f"{self.kept_own_coordinates} rows kept their own coordinates; "
            f"{len(self.skipped)} skipped; {len(self.conflicts)} conflicts; "
            f"merged events {self.events_before} -> {self.events_after}; {self.seconds:.2f} s"
        )

    def lines(self) -> list[str]:
        """The human-readable diff, one line each, then the summary."""
        out = [
            f"cache entry {c.query!r} [{c.key}]: {c.before} -> {c.after}"
            for c in self.entry_changes
        ]
        out += [m.describe() for m in self.moves]
        out += [f"conflict: {c}" for c in self.conflicts]
        out += [f"skipped: {s}" for s in self.skipped]
        out += [f"not found: {s}" for s in self.not_found]
        out.append(self.summary())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": self.store, "offline": self.offline, "dry_run": self.dry_run,
            "keys": self.keys, "rows": self.rows,
            "moves": [m.to_dict() for m in self.moves],
            "entry_changes": [dataclasses.asdict(c) for c in self.entry_changes],
            "kept_own_coordinates": self.kept_own_coordinates,
            "skipped": self.skipped, "not_found": self.not_found, "conflicts": self.conflicts,
            "events_before": self.events_before, "events_after": self.events_after,
            "seconds": round(self.seconds, 3),
        }  # fmt: skip


def format_report(report: RefreshReport, fmt: str = "table") -> str:
    """The diff as text lines (``table``) or JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    return "\n".join(report.lines())
