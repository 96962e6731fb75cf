"""The columns of a result frame and of a dataset: names and kinds, and events as columns.

A result frame (``geomap near``, ``read_events``, exports) and a dataset's
Parquet files hold the same columns: the event schema
(:data:`~geomap.model.EVENT_COLUMNS`), the merge provenance (``n_sources``,
``source_ids`` as JSON text) and ``extra`` (JSON text or null).  The kinds
below come from the :class:`~geomap.model.Event` fields, so a new field needs
no change here.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from geomap.errors import InputError, quote
from geomap.model import EVENT_COLUMNS, Event

if TYPE_CHECKING:
    import pyarrow as pa

#: Columns of query and export frames: the event schema plus merge provenance.
RESULT_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "n_sources", "source_ids")
#: Every stored column of a result: :data:`RESULT_COLUMNS` and ``extra``.
ALL_COLUMNS: tuple[str, ...] = (*RESULT_COLUMNS, "extra")
#: What ``near`` gives unless asked for more: who, what, when, where, how many died.
LEAN_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "admin1", "location", "latitude", "longitude", "geo_precision", "deaths_low", "deaths_best",
    "deaths_high", "n_sources",
)  # fmt: skip

_TYPES = {f.name: str(f.type) for f in dataclasses.fields(Event)}
INT_COLUMNS = frozenset([c for c in EVENT_COLUMNS if _TYPES[c].startswith("int")] + ["n_sources"])
FLOAT_COLUMNS = frozenset([c for c in EVENT_COLUMNS if _TYPES[c].startswith("float")]
                          + ["distance_km"])  # fmt: skip
BOOL_COLUMNS = frozenset(c for c in EVENT_COLUMNS if _TYPES[c].startswith("bool"))


def choose_columns(columns: str | Sequence[str] | None) -> tuple[str, ...]:
    """The columns asked for: None is :data:`LEAN_COLUMNS`, "all" is :data:`ALL_COLUMNS`,
    else a list (or comma-separated text) of column names, in the order given."""
    if columns is None:
        return LEAN_COLUMNS
    names = columns.split(",") if isinstance(columns, str) else list(columns)
    names = [str(n).strip() for n in names if str(n).strip()]
    if names in (["all"], ["ALL"]):
        return ALL_COLUMNS
    unknown = [n for n in names if n not in ALL_COLUMNS and n != "distance_km"]
    if unknown or not names:
        raise InputError(
            f"Unknown column, instead got: {quote(', '.join(unknown) or columns)}. "
            f"Fix: pass all, or names among {', '.join(ALL_COLUMNS)}."
        )
    return tuple(dict.fromkeys(n for n in names if n != "distance_km"))


#: An event's values in :data:`~geomap.model.EVENT_COLUMNS` order.
_VALUES = operator.attrgetter(*EVENT_COLUMNS)


def event_row(event: Event) -> tuple[object, ...]:
    """One event as a row of :data:`ALL_COLUMNS` (provenance and ``extra`` as JSON text)."""
    rest = {k: v for k, v in event.extra.items() if k not in ("n_sources", "source_ids")}
    return (
        *_VALUES(event),
        int(event.extra.get("n_sources", 1) or 1),
        json.dumps(event.extra.get("source_ids", [event.event_id])),
        json.dumps(rest, default=str, ensure_ascii=False) if rest else None,
    )


def arrow_type(name: str) -> pa.DataType:
    """The Arrow type of a column of :data:`ALL_COLUMNS`."""
    import pyarrow as pa

    if name in INT_COLUMNS:
        return pa.int64()
    if name in FLOAT_COLUMNS:
        return pa.float64()
    if name in BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


def events_table(events: Iterable[Event]) -> pa.Table:
    """Events as an Arrow table of :data:`ALL_COLUMNS`."""
    import pyarrow as pa

    rows = [event_row(e) for e in events]
    values = list(zip(*rows, strict=True)) if rows else [()] * len(ALL_COLUMNS)
    return pa.table({c: pa.array(list(v), type=arrow_type(c))
                     for c, v in zip(ALL_COLUMNS, values, strict=True)})  # fmt: skip
