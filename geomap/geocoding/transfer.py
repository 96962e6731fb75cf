"""Cache export files: every entry as CSV or JSON, written and read back exactly.

``geomap cache export`` writes one of these and ``geomap cache import`` reads
one (see :meth:`GeocodeCache.export` and :meth:`GeocodeCache.import_`).  A file
is read whole and checked row by row before anything is imported: each field
as it is read here, then each row as a whole (:mod:`~geomap.geocoding.checks`).
A file that cannot be parsed (JSON nested too deeply, a CSV field over the
csv module's field size limit) is one clear error, and so is every bad row.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from geomap.errors import CoordinateError, InputError, listing, quote, shorten
from geomap.files import open_replacing
from geomap.formats.limits import too_long
from geomap.geocoding.checks import (
    RowCheckError,
    check_entry,
    check_geonameid,
    check_mapping,
    check_text,
)
from geomap.geocoding.entry import COLUMNS, CacheEntry

EXPORT_FORMAT = "geomap-geocode-cache"
#: How many bad rows an error message names.
ROWS_NAMED = 3


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    raise InputError(
        f"A cache file must end in .csv or .json, instead got: {str(path)!r}."
        " Fix: rename it or choose a .csv/.json name."
    )


def write_export(path: str | os.PathLike[str], entries: Iterable[CacheEntry]) -> int:
    """Write ``entries`` to ``path`` (``.csv`` or ``.json``) atomically; returns the count."""
    path = Path(path)
    fmt = _format_of(path)
    records = [e.to_record() for e in entries]
    try:
        with open_replacing(path, newline="") as fh:
            if fmt == "json":
                json.dump(
                    {"format": EXPORT_FORMAT, "version": 1, "entries": records},
                    fh,
                    ensure_ascii=False,
                    indent=1,
                )
                fh.write("\n")
            else:
                writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
                writer.writeheader()
                for rec in records:
                    writer.writerow(_csv_row(rec))
    except OSError as exc:
        raise InputError(
            f"Cannot write the cache export {str(path)!r} ({exc}). Fix: choose a writable path."
        ) from exc
    return len(records)


def _csv_row(rec: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name in COLUMNS:
        value = rec[name]
        if name in ("hints", "raw"):
            out[name] = json.dumps(value, sort_keys=True, ensure_ascii=False)
        elif value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = "1" if value else "0"
        elif isinstance(value, float):
            out[name] = repr(value)
        else:
            out[name] = str(value)
    return out


def read_export(path: str | os.PathLike[str]) -> list[CacheEntry]:
    """Read and validate a whole export file; raise InputError on the first bad row."""
    path = Path(path)
    fmt = _format_of(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"Cannot read the cache file {quote(str(path), 200)} ({shorten(str(exc), 200)})."
            " Fix: check the path and that it is UTF-8."
        ) from exc
    records = _json_records(path, text) if fmt == "json" else _csv_records(path, text)
    now = datetime.now(timezone.utc)
    entries = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        try:
            entry = check_entry(_Record(record, from_csv=fmt == "csv").entry(), now=now)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError,
                CoordinateError) as exc:  # fmt: skip
            problems.append((number, str(exc).rstrip(".")))
            continue
        if entry.key in seen:
            problems.append((number, f"repeats the key {quote(entry.key)} of row"
                                     f" {seen[entry.key]}"))  # fmt: skip
            continue
        seen[entry.key] = number
        entries.append(entry)
    if problems:
        raise _bad_rows(path, problems)
    return entries


def _bad_rows(path: Path, problems: list[tuple[int, str]]) -> InputError:
    """One error naming the first bad rows (and how many more there are)."""
    where = quote(str(path), 200)
    if len(problems) == 1:
        number, problem = problems[0]
        head = f"Row {number} of {where} is invalid: {shorten(problem, 300)}."
    else:
        shown = "; ".join(f"row {n}: {shorten(p, 300)}" for n, p in problems[:ROWS_NAMED])
        more = len(problems) - ROWS_NAMED
        rest = f"; and {more:,} more" if more > 0 else ""
        head = f"{len(problems):,} rows of {where} are invalid: {shown}{rest}."
    return InputError(
        f"{head} Nothing was imported. Fix: correct or remove the bad rows, or ask for a"
        " fresh `geomap cache export`."
    )


def _json_records(path: Path, text: str) -> list[object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The cache file {quote(str(path), 200)} is not valid JSON ({exc})."
            " Fix: export it again with `geomap cache export`."
        ) from exc
    except ValueError as exc:  # a number of more digits than Python reads
        raise InputError(
            f"The cache file {quote(str(path), 200)} holds a number too long to read"
            f" ({too_long(exc)}). Fix: export it again with `geomap cache export`."
        ) from exc
    except RecursionError:
        raise InputError(
            f"The cache file {quote(str(path), 200)} is nested too deeply to be a cache export."
            " Fix: export it again with `geomap cache export FILE.json`."
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != EXPORT_FORMAT
        or not isinstance(data.get("entries"), list)
    ):
        raise InputError(
            f"The JSON file {quote(str(path), 200)} is not a geomap cache export"
            f" (expected {{'format': {EXPORT_FORMAT!r}, 'entries': [...]}})."
            " Fix: export it with `geomap cache export FILE.json`."
        )
    records: list[object] = data["entries"]
    return records


def _csv_records(path: Path, text: str) -> list[object]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    try:
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(
                f"The CSV file {quote(str(path), 200)} lacks the columns {listing(missing)}"
                f" (it has {listing(list(reader.fieldnames or ()))})."
                " Fix: export it with `geomap cache export FILE.csv`."
            )
        return list(reader)
    except csv.Error as exc:
        raise InputError(
            f"Line {reader.reader.line_num} of the CSV file {quote(str(path), 200)} cannot be read"
            f" ({exc}; a field may hold {csv.field_size_limit():,} characters)."
            " Nothing was imported. Fix: export it again with `geomap cache export FILE.csv`."
        ) from None


class _Record:
    """One exported row, read field by field (ValueError names the bad field)."""

    def __init__(self, record: object, *, from_csv: bool) -> None:
        if not isinstance(record, dict):
            raise RowCheckError(f"expected an object, got {quote(record)}")
        missing = [c for c in COLUMNS if c not in record]
        if missing:
            raise RowCheckError(f"missing fields {missing}")
        self.record: dict[str, Any] = record
        self.from_csv = from_csv

    def text(self, name: str, *, required: bool = True) -> str:
        return check_text(name, self.record[name], required=required)

    def _number(self, name: str) -> str | float | None:
        value = self.record[name]
        if value is None or (self.from_csv and value == ""):
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise RowCheckError(f"{name} must be a number, got {quote(value)}")
        if isinstance(value, str):
            check_text(name, value)
        return value

    def optional_float(self, name: str) -> float | None:
        value = self._number(name)
        if value is None:
            return None
        number = float(value)
        if not math.isfinite(number):
            raise RowCheckError(f"{name} must be finite, got {quote(value)}")
        return number

    def optional_int(self, name: str) -> int | None:
        value = self._number(name)
        if value is None:
            return None
        if isinstance(value, float) and not value.is_integer():
            raise RowCheckError(f"{name} must be a whole number, got {quote(value)}")
        try:
            return int(value)
        except (ValueError, OverflowError):
            raise RowCheckError(f"{name} must be a whole number, got {quote(value)}") from None

    def flag(self, name: str) -> bool:
        value = self.record[name]
        if isinstance(value, bool):
            return value
        if value in ("1", "0", 1, 0, "true", "false", "True", "False"):
            return str(value).lower() in ("1", "true")
        raise RowCheckError(f"{name} must be true/false, got {quote(value)}")

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.record[name]
        size = None
        if self.from_csv:
            size = len(value)
            check_mapping(name, {}, size=size)  # before parsing it
            try:
                value = json.loads(value or "{}")
            except json.JSONDecodeError as exc:
                raise RowCheckError(f"{name} is not JSON ({exc})") from None
            except ValueError as exc:  # a number of more digits than Python reads
                raise RowCheckError(f"{name} holds a number too long to read"
                                    f" ({too_long(exc)})") from None  # fmt: skip
            except RecursionError:
                raise RowCheckError(f"{name} is JSON nested too deeply") from None
        if not isinstance(value, dict):
            raise RowCheckError(f"{name} must be an object, got {quote(value)}")
        return check_mapping(name, value, size=size)

    def entry(self) -> CacheEntry:
        return CacheEntry(
            key=self.text("key"),
            query=self.text("query"),
            name_key=self.text("name_key", required=False),
            hints=self.mapping("hints"),
            latitude=self.optional_float("latitude"),
            longitude=self.optional_float("longitude"),
            geonameid=check_geonameid(self.optional_int("geonameid")),
            found=self.flag("found"),
            provider=self.text("provider"),
            confidence=self.optional_float("confidence"),
            created=self.text("created"),
            updated=self.text("updated"),
            pinned=self.flag("pinned"),
            raw=self.mapping("raw"),
        )
