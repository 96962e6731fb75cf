"""The cells of one table row: text, numbers, dates and a lat/lon pair, each checked.

A value that cannot be used raises :class:`RowError`, whose message names the
column and quotes the value; the row is then reported and skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Literal, overload

from geomap import countries, dates
from geomap.errors import CoordinateError
from geomap.formats.limits import clip
from geomap.geo import check_coordinates
from geomap.model import Event
from geomap.store import stable_event_id
from geomap.taxonomy import OTHER, acled_type

#: One table row as read: column name -> cell (text from CSV; text, numbers,
#: dates or None from XLSX).
Row = dict[str, object]

_EMPTY = {"na", "n/a", "nan", "null", "none", "-"}
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_INTEGER = re.compile(r"-?\d+")
#: A plain decimal that ``float`` reads exactly as the full rules would (no sign
#: before it but "-", no separators, no exponent, at most 15 digits a side).
_PLAIN = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")
#: Column names as rows match them (stripped, lower-case), by the header a table gives:
#: every row of a table has the same keys, so they are named once.
_KEYS: dict[tuple[object, ...], tuple[str, ...]] = {}
#: The columns :meth:`Cells.leftover` keeps, by the row's column names and the set used.
_LEFT: dict[tuple[tuple[str, ...], frozenset[str]], tuple[str, ...]] = {}


class RowError(ValueError):
    """A single row cannot be used (reported and skipped)."""


def parse_date(value: object, column: str) -> str | None:
    """ISO date from common table spellings; None when empty."""
    try:
        return _text_date(value) if value.__class__ is str else dates.parse_date(value)
    except ValueError:
        raise RowError(
            f"unparseable date in column {clip(column)}: {clip(str(value).strip())}"
            " (use YYYY-MM-DD or '30 September 2015')"
        ) from None


@lru_cache(maxsize=4096)
def _text_date(value: str) -> str | None:
    """:func:`geomap.dates.parse_date` of a text, remembered (a table repeats its dates)."""
    return dates.parse_date(value)


@overload
def parse_number(
    value: object, column: str, *, integer: Literal[True], minimum: float | None = None
) -> int | None: ...
@overload
def parse_number(
    value: object, column: str, *, integer: Literal[False] = False, minimum: float | None = None
) -> float | None: ...
def parse_number(
    value: object, column: str, *, integer: bool = False, minimum: float | None = None
) -> float | None:
    """A number (``"1,234"`` and ``"NA"`` allowed); None when empty.

    With ``integer`` it must be whole and is returned as an ``int``; with
    ``minimum`` it may not be lower.
    """
    if value is None:
        return None
    if value.__class__ is str:
        if not value:
            return None
        if integer and len(value) <= 15 and value.isdigit() and value.isascii():  # type: ignore[attr-defined]
            whole = int(value)  # type: ignore[call-overload]
            if minimum is None or whole >= minimum:
                return whole
    if value.__class__ is str and _PLAIN.fullmatch(value):  # type: ignore[arg-type]
        number = float(value)  # type: ignore[arg-type]
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        cell = str(value).strip()
        if _THOUSANDS.fullmatch(cell):
            cell = cell.replace(",", "")  # thousands separators
        if not cell or cell.lower() in _EMPTY:
            return None
        if integer and _INTEGER.fullmatch(cell.replace(".", "", 1)) is None:
            raise RowError(f"unparseable number in column {clip(column)}: {clip(str(value))}")
        try:
            number = float(cell)
        except ValueError as exc:
            raise RowError(
                f"unparseable number in column {clip(column)}: {clip(str(value))}"
            ) from exc
    if not math.isfinite(number):
        raise RowError(f"unparseable number in column {clip(column)}: {clip(str(value))}")
    if minimum is not None and number < minimum:
        raise RowError(f"negative value in column {clip(column)}: {clip(str(value))}")
    if integer:
        if number != int(number):
            raise RowError(f"expected a whole number in column {clip(column)}: {clip(str(value))}")
        return int(number)
    return number


class Cells:
    """One table row read cell by cell: column names match in any case, text is stripped.

    A column given as None (a column the table does not have) reads as empty.
    """

    __slots__ = ("names", "values")

    def __init__(self, row: Mapping[str, object]) -> None:
        keys = tuple(row)
        names = _KEYS.get(keys)
        if names is None:
            if len(_KEYS) > 1_000:  # the headers of many tables: start again
                _KEYS.clear()
            names = _KEYS[keys] = tuple(
                k.strip().lower() if type(k) is str else str(k).strip().lower() for k in keys
            )
        self.names = names
        cells = row.values()
        if set(map(type, cells)) <= {str}:  # a CSV row: every cell text
            self.values: Row = dict(zip(names, map(str.strip, cells), strict=True))  # type: ignore[arg-type]
        else:
            self.values = dict(zip(names, [v.strip() if v.__class__ is str else v
                                           for v in cells], strict=True))  # fmt: skip

    def get(self, column: str) -> object:
        """The raw cell (None when absent)."""
        return self.values.get(column)

    def text(self, *columns: str | None) -> str:
        """The first non-blank cell among ``columns``, as text ("" when none)."""
        values = self.values
        for column in columns:
            value = values.get(column) if column else None
            if value is None:
                continue
            if value.__class__ is str:  # stripped when read
                if value:
                    return value  # type: ignore[return-value]
            elif text := str(value).strip():
                return text
        return ""

    def texts(self, *columns: str) -> list[str]:
        """:meth:`text` of each of ``columns``."""
        values = self.values
        out = [values.get(column) for column in columns]
        if set(map(type, out)) <= {str}:  # stripped when read
            return out  # type: ignore[return-value]
        return [self.text(column) for column in columns]

    def date(self, column: str | None, label: str = "") -> str | None:
        """The ISO date in ``column`` (named ``label`` in messages); None when empty."""
        return parse_date(self.values.get(column), label or column) if column else None

    def integer(self, column: str, label: str = "") -> int | None:
        """A whole number; None when empty."""
        return parse_number(self.values.get(column), label or column, integer=True)

    def count(self, column: str | None) -> int | None:
        """A whole, non-negative number such as a death toll; None when empty."""
        if not column:
            return None
        return parse_number(self.values.get(column), column, integer=True, minimum=0)

    def coordinates(
        self, lat_column: str, lon_column: str, country: str, *, in_country: bool = True
    ) -> tuple[float, float]:
        """The latitude and longitude, in range and (unless ``in_country`` is False: the
        caller tests a whole batch) inside ``country`` when it is known."""
        lat = parse_number(self.values.get(lat_column), lat_column)
        lon = parse_number(self.values.get(lon_column), lon_column)
        if lat is None or lon is None:
            raise RowError(f"missing {lat_column}/{lon_column}")
        try:
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # parse_number: finite
                check_coordinates(lat, lon)
            if in_country:
                countries.check_in_country(lat, lon, country)
        except CoordinateError as exc:
            raise RowError(str(exc)) from exc
        return lat, lon

    def leftover(self, used: Iterable[str]) -> dict[str, object]:
        """The non-empty cells of the columns not in ``used`` (kept in ``Event.extra``)."""
        values = self.values
        if used.__class__ is frozenset:  # the same columns row after row: found once
            key = (self.names, used)
            left = _LEFT.get(key)  # type: ignore[arg-type]
            if left is None:
                if len(_LEFT) > 1_000:  # the headers of many tables: start again
                    _LEFT.clear()
                left = _LEFT[key] = tuple(k for k in values if k not in used)  # type: ignore[index]
            return {k: v for k in left if (v := values[k]) not in (None, "")}
        skip = used if isinstance(used, set) else set(used)
        return {k: v for k, v in values.items() if k not in skip and v not in (None, "")}


def with_source_id(event: Event, ident: str) -> Event:
    """Name the event by its source's own id (``"acled:X1"``), or by its content without one."""
    event.event_id = f"{event.origin}:{ident}" if ident else stable_event_id(event)
    return event


def normalise_type(event: Event) -> str | None:
    """Put a free-text type onto ACLED's taxonomy (:func:`geomap.taxonomy.acled_type`).

    The original text is kept in ``extra["original_type"]`` when it changes;
    returns it when no rule knew it (the event is then "Other"), else None.
    """
    original = event.event_type
    kind = acled_type(original, event.sub_event_type)
    if (kind.event_type, kind.sub_event_type) == (original, event.sub_event_type):
        return None
    event.extra["original_type"] = (
        f"{original} / {event.sub_event_type}" if event.sub_event_type else original
    )
    event.event_type, event.sub_event_type = kind.event_type, kind.sub_event_type
    return original if kind.event_type == OTHER and not kind.known else None
