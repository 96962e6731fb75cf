"""Cache export files: every entry as CSV or JSON, written and read back exactly.

``geomap cache export`` writes one of these and ``geomap cache import`` reads
one (see :meth:`GeocodeCache.export` and :meth:`GeocodeCache.import_`).  A file
is read whole and checked row by row before anything is imported.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geomap.errors import CoordinateError, InputError
from geomap.files import open_replacing
from geomap.geo import check_coordinates
from geomap.geocoding.entry import COLUMNS, CacheEntry

EXPORT_FORMAT = "geomap-geocode-cache"


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
            f"Cannot read the cache file {str(path)!r} ({exc})."
            " Fix: check the path and that it is UTF-8."
        ) from exc
    records = _json_records(path, text) if fmt == "json" else _csv_records(path, text)
    entries = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        try:
            entry = _Record(record, from_csv=fmt == "csv").entry()
        except (ValueError, TypeError, KeyError, CoordinateError) as exc:
            raise InputError(
                f"Row {number} of {str(path)!r} is invalid: {exc}."
                " Nothing was imported. Fix: correct or remove that row."
            ) from None
        if entry.key in seen:
            raise InputError(
                f"Row {number} of {str(path)!r} repeats the key {entry.key!r}."
                " Nothing was imported. Fix: keep one row per key."
            )
        seen.add(entry.key)
        entries.append(entry)
    return entries


def _json_records(path: Path, text: str) -> list[object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The cache file {str(path)!r} is not valid JSON ({exc})."
            " Fix: export it again with `geomap cache export`."
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != EXPORT_FORMAT
        or not isinstance(data.get("entries"), list)
    ):
        raise InputError(
            f"The JSON file {str(path)!r} is not a geomap cache export"
            f" (expected {{'format': {EXPORT_FORMAT!r}, 'entries': [...]}})."
            " Fix: export it with `geomap cache export FILE.json`."
        )
    records: list[object] = data["entries"]
    return records


def _csv_records(path: Path, text: str) -> list[object]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise InputError(
            f"The CSV file {str(path)!r} lacks the columns {sorted(missing)}."
            " Fix: export it with `geomap cache export FILE.csv`."
        )
    return list(reader)


class _Record:
    """One exported row, read field by field (ValueError names the bad field)."""

    def __init__(self, record: object, *, from_csv: bool) -> None:
        if not isinstance(record, dict):
            raise ValueError(f"expected an object, got {record!r}")
        missing = [c for c in COLUMNS if c not in record]
        if missing:
            raise ValueError(f"missing fields {missing}")
        self.record: dict[str, Any] = record
        self.from_csv = from_csv

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.record[name]
        if not isinstance(value, str) or (required and not value):
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        return value

    def _number(self, name: str) -> str | float | None:
        value = self.record[name]
        if value is None or (self.from_csv and value == ""):
            return None
        if isinstance(value, bool):
            raise ValueError(f"{name} must be a number, got {value!r}")
        return value

    def optional_float(self, name: str) -> float | None:
        value = self._number(name)
        if value is None:
            return None
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return number

    def optional_int(self, name: str) -> int | None:
        value = self._number(name)
        return None if value is None else int(value)

    def flag(self, name: str) -> bool:
        value = self.record[name]
        if isinstance(value, bool):
            return value
        if value in ("1", "0", 1, 0, "true", "false", "True", "False"):
            return str(value).lower() in ("1", "true")
        raise ValueError(f"{name} must be true/false, got {value!r}")

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.record[name]
        if self.from_csv:
            value = json.loads(value or "{}")
        if not isinstance(value, dict):
            raise ValueError(f"{name} must be an object, got {value!r}")
        return value

    def entry(self) -> CacheEntry:
        entry = CacheEntry(
            key=self.text("key"),
            query=self.text("query"),
            name_key=self.text("name_key", required=False),
            hints=self.mapping("hints"),
            latitude=self.optional_float("latitude"),
            longitude=self.optional_float("longitude"),
            geonameid=self.optional_int("geonameid"),
            found=self.flag("found"),
            provider=self.text("provider"),
            confidence=self.optional_float("confidence"),
            created=self.text("created"),
            updated=self.text("updated"),
            pinned=self.flag("pinned"),
            raw=self.mapping("raw"),
        )
        if entry.found and (entry.latitude is None or entry.longitude is None):
            raise ValueError("a found entry needs latitude and longitude")
        if entry.latitude is not None or entry.longitude is not None:
            check_coordinates(entry.latitude, entry.longitude)
        return entry
