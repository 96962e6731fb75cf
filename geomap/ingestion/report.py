"""What one ingest run did: counts, rejected rows, unresolved names and file errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Rejected:
    """A row that was skipped, and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(slots=True)
class Unresolved:
    """A place name nothing could locate (its row is stored without coordinates)."""

    path: str
    line: int
    name: str


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    stored: int = 0
    geocoded: int = 0
    from_cache: int = 0
    documents: int = 0
    mentions: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events_in_store: int = 0
    sources_in_store: int = 0

    def summary(self) -> str:
        """The few lines ``geomap ingest`` prints."""
        lines = [
            f"files: {len(self.files)} ("
            + ", ".join(f"{Path(p).name}: {f}" for p, f in self.formats.items())
            + ")",
            f"rows read: {self.rows_read}",
            f"stored: {self.stored} source rows"
            + (f", {self.documents} documents, {self.mentions} mentions" if self.documents else ""),
            f"geocoded: {self.geocoded} (from cache: {self.from_cache})",
            f"unresolved: {len(self.unresolved)}"
            + (
                " (" + ", ".join(sorted({u.name for u in self.unresolved})) + ")"
                if self.unresolved
                else ""
            ),
            f"rejected: {len(self.rejected)}",
        ]
        lines += [f"  {r}" for r in self.rejected]
        lines.append(
            f"store: {self.events_in_store} events from {self.sources_in_store} source rows"
        )
        return "\n".join(lines)
