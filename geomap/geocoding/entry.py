"""One cached geocode answer (or "not found") with its provenance, and its row form."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

#: The columns of the ``entries`` table, in the order of :meth:`CacheEntry.to_row`.
COLUMNS = (
    "key",
    "query",
    "name_key",
    "hints",
    "latitude",
    "longitude",
    "geonameid",
    "found",
    "provider",
    "confidence",
    "created",
    "updated",
    "pinned",
    "raw",
)


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1e6):06d}Z"


@dataclass(slots=True)
class CacheEntry:
    """One cached answer (or "not found") with its provenance."""

    key: str
    query: str
    name_key: str
    hints: dict[str, Any] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    found: bool = False
    provider: str = "gazetteer"
    confidence: float | None = None
    created: str = ""
    updated: str = ""
    pinned: bool = False
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def country(self) -> str | None:
        """The country hint of the query (a pin's country), if any."""
        return self.hints.get("country")

    def to_record(self) -> dict[str, Any]:
        """Every field by name (what a cache export holds per entry)."""
        return dataclasses.asdict(self)

    def same_answer(self, other: CacheEntry) -> bool:
        """True when both give the same result (times ignored)."""
        mine, theirs = self.to_record(), other.to_record()
        for name in ("created", "updated"):
            mine.pop(name)
            theirs.pop(name)
        return mine == theirs

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple[Any, ...]) -> CacheEntry:
        """The entry of one ``entries`` row (columns in :data:`COLUMNS` order)."""
        values = dict(zip(COLUMNS, row, strict=True))
        values["hints"] = json.loads(values["hints"] or "{}")
        values["raw"] = json.loads(values["raw"] or "{}")
        values["found"] = bool(values["found"])
        values["pinned"] = bool(values["pinned"])
        return cls(**values)

    def to_row(self) -> tuple[Any, ...]:
        """The ``entries`` row of this entry (hints and raw as JSON text)."""
        return (
            self.key,
            self.query,
            self.name_key,
            json.dumps(self.hints, sort_keys=True, ensure_ascii=False),
            self.latitude,
            self.longitude,
            self.geonameid,
            int(self.found),
            self.provider,
            self.confidence,
            self.created,
            self.updated,
            int(self.pinned),
            json.dumps(self.raw, sort_keys=True, ensure_ascii=False),
        )
