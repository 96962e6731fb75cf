"""Checking one imported cache row as ingest checks a table row.

A row read from a cache export (:mod:`~geomap.geocoding.transfer`) must be
what geomap itself would have written: its key is the key of its query and
hints, its name key is the query's, its texts are short and printable, its
geonameid is a GeoNames id, its times are real and not in the future, and a
found point lies in the country its key names (with ingest's tolerance,
:func:`geomap.countries.check_in_country`).  Otherwise the row could move a
place silently: ``homs|cc=SY`` answered by Paris, dated 9999.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from geomap import countries
from geomap.errors import CoordinateError, quote
from geomap.gazetteer import normalize
from geomap.geo import check_coordinates
from geomap.geocoding.entry import CacheEntry
from geomap.geocoding.keys import hints_for, key_of

#: The longest text field (key, query, provider, times) an imported row may have.
MAX_TEXT_CHARS = 1000
#: The longest ``hints`` or ``raw`` an imported row may have, as JSON.
MAX_JSON_CHARS = 100_000
#: GeoNames ids are positive and (today) below 13 million; this leaves room.
MAX_GEONAMEID = 10**10
#: How far ahead of this machine's clock a row's time may be (another machine's clock).
CLOCK_SKEW = timedelta(hours=1)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HINTS = {"country", "admin1", "bias"}


class RowCheckError(ValueError):
    """One imported row is not what geomap would have written (the message says why)."""


def check_text(name: str, value: object, *, required: bool = True) -> str:
    """A short, printable string field."""
    if not isinstance(value, str) or (required and not value):
        raise RowCheckError(f"{name} must be a non-empty string, got {quote(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise RowCheckError(
            f"{name} is {len(value):,} characters long (at most {MAX_TEXT_CHARS:,}): {quote(value)}"
        )
    if _CONTROL.search(value):
        raise RowCheckError(f"{name} holds control characters: {quote(value)}")
    return value


def check_mapping(name: str, value: dict[str, Any], *, size: int | None = None) -> dict[str, Any]:
    """A ``hints`` or ``raw`` object of a sane size (``size``: of its JSON text, when known)."""
    if size is None:
        size = len(json.dumps(value, ensure_ascii=False, default=str))
    if size > MAX_JSON_CHARS:
        raise RowCheckError(f"{name} is {size:,} characters of JSON (at most {MAX_JSON_CHARS:,})")
    return value


def check_geonameid(value: int | None) -> int | None:
    if value is not None and not 0 < value <= MAX_GEONAMEID:
        raise RowCheckError(
            f"geonameid must be a GeoNames id (a whole number from 1 to {MAX_GEONAMEID:,}),"
            f" got {quote(value)}"
        )
    return value


def parse_time(name: str, value: str) -> datetime:
    """An ISO 8601 time as geomap writes it (``2024-01-02T00:00:00.000000Z``), as UTC."""
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowCheckError(
            f"{name} must be an ISO 8601 time like 2024-01-02T00:00:00Z, got {quote(value)}"
        ) from None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=timezone.utc)


def check_entry(entry: CacheEntry, *, now: datetime) -> CacheEntry:
    """Raise :class:`RowCheckError` (or ``CoordinateError``) when ``entry`` cannot be imported."""
    _check_key(entry)
    for name, value in (("created", entry.created), ("updated", entry.updated)):
        if parse_time(name, value) > now + CLOCK_SKEW:
            raise RowCheckError(
                f"{name} is in the future ({quote(value)}), which would let this row win over"
                " every later answer"
            )
    if entry.found and (entry.latitude is None or entry.longitude is None):
        raise RowCheckError("a found entry needs latitude and longitude")
    if entry.pinned and not entry.found:
        raise RowCheckError("a pin needs latitude and longitude")
    if entry.latitude is not None or entry.longitude is not None:
        lat, lon = check_coordinates(entry.latitude, entry.longitude)
        country = entry.country or str(entry.raw.get("country_code") or "")
        if entry.found and country:
            try:
                countries.check_in_country(lat, lon, country)
            except CoordinateError as exc:
                raise RowCheckError(f"{entry.key!r}: {_without_fix(str(exc))}") from None
    return entry


def _check_key(entry: CacheEntry) -> None:
    """The key, name key and hints are those geomap derives from the query."""
    hints = entry.hints
    unknown = sorted(set(hints) - _HINTS)
    if unknown:
        raise RowCheckError(f"hints has unknown fields {unknown}")
    try:
        canonical = hints_for(country=hints.get("country"), admin1=hints.get("admin1"),
                              bias=hints.get("bias"))  # fmt: skip
    except (TypeError, ValueError):
        raise RowCheckError(
            f"hints are not a country, an admin-1 and a bias: {quote(hints)}"
        ) from None
    country = str(canonical.get("country", ""))
    if hints != canonical or (country and not re.fullmatch(r"[A-Z]{2}", country)):
        raise RowCheckError(f"hints are not in geomap's form: {quote(hints)}")
    name_key = normalize(entry.query)
    expected = key_of(name_key, canonical)
    if entry.key != expected:
        raise RowCheckError(
            f"the key {quote(entry.key)} does not match its query {quote(entry.query)}"
            f" and hints (that would be {quote(expected)})"
        )
    if entry.name_key != name_key:
        raise RowCheckError(
            f"name_key {quote(entry.name_key)} does not match its query {quote(entry.query)}"
        )


def _without_fix(message: str) -> str:
    return message.partition(" Fix: ")[0].rstrip(".")
