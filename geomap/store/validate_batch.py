"""The store's checks (:func:`geomap.store.validate.clean_event`) for a batch, column by column.

A column whose values all pass a quick whole-column test (text already
clean, numbers of the stored type within range, dates already ISO) needs
no per-value call: :func:`clean_event` would leave every value as it is.
Only the rows some column test doubts go through :func:`clean_event` whole,
so the values stored and the first error named for a bad row are exactly
those of :func:`clean_event`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from geomap.model import Event
from geomap.store.validate import (
    CHECKS,
    COLUMN_KINDS,
    MAX_COUNT,
    MAX_EXTRA_CHARS,
    MAX_ID_CHARS,
    MAX_INTEGER,
    MAX_TEXT_CHARS,
    TEXT_CAPS,
    InvalidValue,
    check_date,
    clean_already,
    clean_event,
    clean_extra,
    values_json_size,
)

_NONE = type(None)
#: (type, lowest, highest, None allowed) of the number kinds whose check keeps such values.
_NUMBERS: dict[str, tuple[type, float, float, bool]] = {
    "latitude": (float, -math.inf, math.inf, True),
    "longitude": (float, -math.inf, math.inf, True),
    "precision": (int, 1, 3, True),
    "count": (int, 0, MAX_COUNT, True),
    "fatalities": (int, 0, MAX_COUNT, False),
    "integer": (int, 0, MAX_INTEGER, True),
    "fraction": (float, 0.0, 1.0, True),
}


def clean_events(events: Sequence[Event]) -> list[InvalidValue | None]:
    """Check and normalise every event in place, as :func:`clean_event` does each;
    returns, per event, None or the error :func:`clean_event` raises for it."""
    doubtful: set[int] = set()
    for column, check in CHECKS:
        values = list(map(attrgetter(column), events))
        doubtful.update(_doubtful(column, check, values))
    doubtful.update(_doubtful_points(events))
    doubtful.update(_doubtful_ranges(events))
    extras = _kept_extras([e.extra for e in events])
    out: list[InvalidValue | None] = []
    for i, (event, extra) in enumerate(zip(events, extras, strict=True)):
        try:
            if i in doubtful:
                clean_event(event)
            else:  # every column and range is as clean_event leaves it: only extra remains
                event.extra = clean_extra(event.extra) if extra is None else extra
        except InvalidValue as exc:
            out.append(exc)
            continue
        out.append(None)
    return out


def _doubtful(
    column: str, check: Callable[[object, str], object], values: list[object]
) -> list[int]:
    """Positions of ``values`` that ``check`` might change or refuse."""
    kind = COLUMN_KINDS.get(column, "text")
    if kind in ("text", "long text"):
        return _doubtful_texts(values, TEXT_CAPS[column], empty_ok=True)
    if kind == "id":
        return _doubtful_texts(values, MAX_ID_CHARS, empty_ok=False)
    if kind == "date":
        return _doubtful_dates(values)
    if kind == "flag":
        return [i for i, v in enumerate(values) if v.__class__ is not bool]
    if kind in _NUMBERS:
        return _doubtful_numbers(values, *_NUMBERS[kind])
    return [i for i, v in enumerate(values) if not _kept(check, v, column)]


def _kept(check: Callable[[object, str], object], value: object, column: str) -> bool:
    try:
        new = check(value, column)
    except InvalidValue:
        return False
    return new.__class__ is value.__class__ and new == value


def _doubtful_texts(values: list[object], cap: int, *, empty_ok: bool) -> list[int]:
    if set(map(type, values)) <= {str}:
        texts: list[str] = values  # type: ignore[assignment]
        lengths = list(map(len, texts))
        if (
            "".join(texts).isprintable()
            and max(lengths, default=0) <= cap
            and (empty_ok or min(lengths, default=1) > 0)
            # stripping never lengthens a text: equal sums mean nothing was stripped
            and sum(map(len, map(str.strip, texts))) == sum(lengths)
        ):
            return []
    return [i for i, v in enumerate(values) if not (
        v.__class__ is str and (v or empty_ok) and len(v) <= cap  # type: ignore[arg-type]
        and v.isprintable() and len(v.strip()) == len(v)  # type: ignore[attr-defined]
    )]  # fmt: skip


def _doubtful_dates(values: list[object]) -> list[int]:
    good: dict[object, bool] = {None: True}
    for v in set(values):
        if v.__class__ is str and v not in good:
            try:
                good[v] = check_date(v, "event_date") == v
            except InvalidValue:
                good[v] = False
    return [i for i, v in enumerate(values) if not good.get(v, False) or (
        v is not None and v.__class__ is not str)]  # fmt: skip


def _doubtful_numbers(
    values: list[object], cls: type, low: float, high: float, none_ok: bool
) -> list[int]:
    allowed = {cls, _NONE} if none_ok else {cls}
    if set(map(type, values)) <= allowed:
        numbers: list[float] = [v for v in values if v is not None]  # type: ignore[misc]
        if not numbers:
            return []
        if cls is not float or all(map(math.isfinite, numbers)):
            if low <= min(numbers) and max(numbers) <= high:
                return []
    return [i for i, v in enumerate(values) if not (
        (v is None and none_ok) or (v.__class__ is cls and (cls is not float or math.isfinite(
            v)) and low <= v <= high)  # type: ignore[arg-type, operator]
    )]  # fmt: skip


def _doubtful_points(events: Sequence[Event]) -> list[int]:
    """Rows whose point is not both-or-neither and within range."""
    out: list[int] = []
    for i, e in enumerate(events):
        lat, lon = e.latitude, e.longitude
        if lat is None and lon is None:
            continue
        if (
            lat.__class__ is not float
            or lon.__class__ is not float
            or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0)  # type: ignore[operator]
        ):
            out.append(i)
    return out


def _doubtful_ranges(events: Sequence[Event]) -> list[int]:
    """Rows whose low deaths or injured figure is above the high one (counts that are not
    whole numbers are doubtful already, as counts)."""
    out: list[int] = []
    for what in ("deaths", "injured"):
        lows = map(attrgetter(f"{what}_low"), events)
        highs = map(attrgetter(f"{what}_high"), events)
        pairs = enumerate(zip(lows, highs, strict=True))
        out += [i for i, (low, high) in pairs
                if low.__class__ is int and high.__class__ is int and low > high]  # fmt: skip
    return out


def _kept_extras(extras: list[object]) -> list[dict[str, Any] | None]:
    """Each ``extra`` as :func:`clean_extra` returns it where a quick test shows that it keeps
    every key as it is (an object of clean text keys whose JSON is surely short), else None.

    The keys are tested once per set of keys (a table gives the same keys row after row);
    the size is bounded as :func:`geomap.store.validate.clean_extra` bounds it, without
    writing the JSON.
    """
    key_sizes: dict[tuple[object, ...], int] = {}
    out: list[dict[str, Any] | None] = []
    for extra in extras:
        if extra.__class__ is not dict:
            out.append(None)
            continue
        keys = tuple(extra)  # type: ignore[arg-type]
        size = key_sizes.get(keys)
        if size is None:
            size = key_sizes[keys] = _key_size(keys)
        if size >= 0:
            size += values_json_size(extra.values())  # type: ignore[attr-defined]
        out.append(dict(extra) if 0 <= size <= MAX_EXTRA_CHARS - 2 else None)  # type: ignore[call-overload]
    return out


def _key_size(keys: tuple[object, ...]) -> int:
    """The most characters of JSON the keys take (with their quotes and separators), or -1
    unless every key is text that :func:`clean_extra` keeps as it is."""
    if all(k.__class__ is str and clean_already(k, MAX_TEXT_CHARS) for k in keys):  # type: ignore[arg-type]
        return 2 + 12 * sum(map(len, keys)) + 6 * len(keys)  # type: ignore[arg-type]
    return -1
