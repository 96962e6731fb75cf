"""Events as table rows and back, and the small SQL helpers every store module shares."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence, Sized
from operator import attrgetter
from typing import Any, TypeVar

from geomap.model import EVENT_COLUMNS, Event
from geomap.store.extra import KeyLists, decode
from geomap.store.schema import BOOL_COLUMNS, COLUMN_TYPES, DATA_COLUMNS

#: Columns read for a merged event: the event schema, ``extra`` and merge provenance.
EVENT_READ_COLUMNS: list[str] = ["event_id", *DATA_COLUMNS, "extra", "n_sources", "source_ids"]

#: Insert R*Tree rows in a rough space-filling order (1-degree latitude bands,
#: then longitude, then row): neighbouring inserts touch the same tree pages.
SPATIAL_ORDER = "ORDER BY CAST(({t}.latitude + 90) AS INTEGER), {t}.longitude, {t}.rowid"

#: One value of a table row as SQLite returns it.
SqlValue = str | int | float | None

_T = TypeVar("_T")


def stable_event_id(event: Event) -> str:
    """A content-derived id for rows that came without one."""
    record = {k: v for k, v in event.to_record().items() if k != "event_id"}
    digest = hashlib.sha1(
        json.dumps(record, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()[:16]
    return f"{event.origin or 'event'}:{digest}"


def event_values(event: Event) -> list[SqlValue]:
    """The event's :data:`~geomap.store.schema.DATA_COLUMNS` as SQL values (booleans as 0/1)."""
    out: list[SqlValue] = list(_DATA_VALUES(event))
    for i in _BOOL_POSITIONS:
        out[i] = 1 if out[i] else 0
    return out


_DATA_VALUES = attrgetter(*DATA_COLUMNS)
_BOOL_POSITIONS = [i for i, c in enumerate(DATA_COLUMNS) if c in BOOL_COLUMNS]


def event_from_row(
    row: Sequence[SqlValue], names: Sequence[str], keys: KeyLists | None = None
) -> Event:
    """An event from a row whose columns are ``names`` (``extra`` and provenance decoded;
    a keyed ``extra`` by the store's key lists ``keys``, :mod:`geomap.store.extra`)."""
    data = dict(zip(names, row, strict=False))
    kwargs: dict[str, Any] = {}
    for c in EVENT_COLUMNS:
        v = data.get(c)
        if c in BOOL_COLUMNS:
            v = bool(v)
        elif v is None and COLUMN_TYPES[c] == "TEXT" and c != "event_date":
            v = ""
        elif c == "fatalities" and v is None:
            v = 0
        kwargs[c] = v
    extra = decode(str(data["extra"]), keys or {}) if data.get("extra") else {}
    for c in ("n_sources", "source_ids"):
        if c in data and data[c] is not None:
            extra[c] = json.loads(str(data[c])) if c == "source_ids" else data[c]
    return Event(**kwargs, extra=extra)


def chunks(items: Sequence[_T], size: int = 800) -> Iterator[Sequence[_T]]:
    """Slices small enough for one ``IN (?, ...)`` list."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def marks(items: Sized) -> str:
    """``?,?,?`` for an ``IN`` list of ``items``."""
    return ",".join("?" * len(items))
