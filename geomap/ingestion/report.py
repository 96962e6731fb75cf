"""What one ingest run did: counts, rejected rows, unresolved names and file errors.

The summary lists at most :data:`~geomap.formats.limits.SHOWN_ITEMS` rows or
names of each kind (then a count of the rest), and clips every quoted
value, so a file of a million bad rows or a 100,000-character place name
still gives a short summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geomap.formats.limits import SHOWN_ITEMS, clip, listing


@dataclass(slots=True)
class Rejected:
    """A row that was skipped, and why; ``what`` says what ``line`` counts ("line", "event")."""

    path: str
    line: int
    reason: str
    what: str = "line"

    def __str__(self) -> str:
        reason = self.reason if len(self.reason) <= 400 else self.reason[:400] + "..."
        if self.line <= 0:
            return f"{self.path}: {reason}"
        if self.what == "line":
            return f"{self.path}:{self.line}: {reason}"
        return f"{self.path} ({self.what} {self.line}): {reason}"


@dataclass(slots=True)
class Unresolved:
    """A place name nothing could locate (its row is stored without coordinates)."""

    path: str
    line: int
    name: str


@dataclass
class IngestReport:
    """What one ingest run did.

    ``stored`` counts source rows added, ``updated`` rows replaced (only with
    ``replace``), ``unchanged`` rows that came again with the same values;
    ``not_replaced`` lists rows whose id was stored already with other values
    (or from another input format), which were kept as they were.
    ``context`` counts context figures, stored apart from events.
    ``unknown_types`` counts free-text types outside ACLED's taxonomy (kept as
    "Other", the original text in ``extra["original_type"]``).
    """

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    context: int = 0
    geocoded: int = 0
    from_cache: int = 0
    documents: int = 0
    mentions: int = 0
    unresolved: list[Unresolved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    not_replaced: list[Rejected] = field(default_factory=list)
    unknown_types: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    events_in_store: int = 0
    sources_in_store: int = 0

    def summary(self) -> str:
        """The few lines ``geomap ingest`` prints."""
        files = listing((f"{Path(p).name}: {f}" for p, f in self.formats.items()), width=80)
        lines = [
            f"files: {len(self.files)}" + (f" ({files})" if files else ""),
            f"rows read: {self.rows_read}",
            f"stored: {self.stored} source rows"
            + (f", {self.documents} documents, {self.mentions} mentions" if self.documents else ""),
        ]
        if self.updated or self.unchanged:
            lines.append(f"updated: {self.updated}, unchanged: {self.unchanged}")
        if self.not_replaced:
            lines.append(f"not replaced: {len(self.not_replaced)} (their ids are stored already)")
            lines += shown_rows(self.not_replaced)
        if self.context:
            lines.append(f"context figures: {self.context} (kept apart from events)")
        lines.append(f"geocoded: {self.geocoded} (from cache: {self.from_cache})")
        names = sorted({u.name for u in self.unresolved})
        lines.append(
            f"unresolved: {len(self.unresolved)}"
            + (f" ({listing(names, width=60)})" if names else "")
        )
        if self.unknown_types:
            kinds = listing(f"{clip(t, 40)} ({n})" for t, n in self.unknown_types.most_common())
            lines.append(f'types outside ACLED\'s taxonomy, kept as "Other": {kinds}')
        lines.append(f"rejected: {len(self.rejected)}")
        lines += shown_rows(self.rejected)
        lines.append(
            f"store: {self.events_in_store} events from {self.sources_in_store} source rows"
        )
        return "\n".join(lines)


def shown_rows(rows: Sequence[Rejected]) -> list[str]:
    """The first rows, indented, then how many more there are."""
    out = [f"  {r}" for r in rows[:SHOWN_ITEMS]]
    if len(rows) > SHOWN_ITEMS:
        out.append(f"  ... and {len(rows) - SHOWN_ITEMS:,} more")
    return out
