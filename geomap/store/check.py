"""``geomap store check``: is the store sound, and (with ``--repair``) make it so.

Four things are checked: SQLite's own ``integrity_check`` (the only check
whose failure calls the file corrupt), the R*Trees against their tables,
rows that break the typed checks (:mod:`geomap.store.quarantine`), and the
schema version (an older store is upgraded by ``--repair``, or by any
ingest).  ``--repair`` moves bad rows to ``quarantine``, whole, with their
reason, and recomputes the events they belonged to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from geomap.formats.limits import SHOWN_ITEMS
from geomap.store.db import EventStore
from geomap.store.quarantine import BadRow
from geomap.store.schema import SCHEMA_VERSION


@dataclass
class StoreCheck:
    """What ``geomap store check`` found (and, with ``repair``, moved to quarantine)."""

    path: Path
    schema_version: int | None
    integrity: str  # "ok", or SQLite's first problem
    index_problems: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)  # still in the store
    repaired: list[BadRow] = field(default_factory=list)  # moved to quarantine by this check
    quarantined: int = 0  # rows in the quarantine table, all told
    events: int = 0
    sources: int = 0
    context_figures: int = 0

    @property
    def ok(self) -> bool:
        """Sound: integrity ok, indexes in step, no bad row, the current schema."""
        return (
            self.integrity == "ok"
            and not self.index_problems
            and not self.bad_rows
            and self.schema_version == SCHEMA_VERSION
        )

    def summary(self) -> str:
        """The lines ``geomap store check`` prints."""
        lines = [f"store: {self.path} (schema version {self.schema_version})"]
        if self.schema_version != SCHEMA_VERSION:
            lines.append(f"  older than this geomap ({SCHEMA_VERSION}): --repair upgrades it")
        lines.append(
            "integrity: ok" if self.integrity == "ok" else
            f"integrity: FAILED, the file is corrupt (SQLite: {self.integrity})"
        )  # fmt: skip
        lines.append(f"indexes: {'ok' if not self.index_problems else len(self.index_problems)}")
        lines += [f"  {p}" for p in self.index_problems[:SHOWN_ITEMS]]
        lines.append(
            f"events: {self.events} from {self.sources} source rows; "
            f"context figures: {self.context_figures} (kept apart)"
        )
        lines.append(f"bad rows: {len(self.bad_rows)}")
        lines += [f"  {b.table} {b.ident}: {b.reason}" for b in self.bad_rows[:SHOWN_ITEMS]]
        if self.repaired:
            lines.append(f"moved to quarantine now: {len(self.repaired)}")
            lines += [f"  {b.table} {b.ident}: {b.reason}" for b in self.repaired[:SHOWN_ITEMS]]
        lines.append(f"quarantine: {self.quarantined} rows (table 'quarantine', kept whole)")
        return "\n".join(lines)


def check_store(store: EventStore, *, repair: bool = False) -> StoreCheck:
    """Check ``store``; with ``repair`` (the store writable) quarantine its bad rows first."""
    repaired = store.repair() if repair else []
    return StoreCheck(
        path=store.path,
        schema_version=store.schema_version(),
        integrity=store.integrity_check(),
        index_problems=store.check_indexes(),
        bad_rows=store.bad_rows(),
        repaired=repaired,
        quarantined=store.quarantined(),
        events=store.count(),
        sources=store.count_sources(),
        context_figures=store.count_context(),
    )
