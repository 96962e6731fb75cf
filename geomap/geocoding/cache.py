"""The persistent geocode cache: every answer, with its provenance, in SQLite.

One file (``config.cache_path()``), separate from the gazetteer so that it
outlives gazetteer rebuilds.  It runs in WAL mode with a busy timeout and every
write is one ``BEGIN IMMEDIATE`` transaction, so two processes can write at
once without losing either's rows.

Each entry records the query, its normalised key and hints, the result or "not
found", the provider, the confidence, when it was made and changed, and
whether a person pinned it.  Pins (``geomap cache pin``) win over everything:
a pin matches every query with the same name key whose country hint is absent
or equal to the pin's country, and ``refresh`` never touches them.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap import config, sqlite
from geomap.errors import CacheError, ConfigurationError, CoordinateError, InputError
from geomap.files import open_replacing
from geomap.gazetteer import normalize
from geomap.geo import check_coordinates
from geomap.geocoding.keys import cache_key, hints_for

SCHEMA_VERSION = "1"
EXPORT_FORMAT = "geomap-geocode-cache"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries(
    key TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    name_key TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}',
    latitude REAL,
    longitude REAL,
    geonameid INTEGER,
    found INTEGER NOT NULL,
    provider TEXT NOT NULL,
    confidence REAL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    raw TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS entries_name_key ON entries(name_key, pinned);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
"""

_COLUMNS = (
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
        return self.hints.get("country")

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def same_answer(self, other: CacheEntry) -> bool:
        """True when both give the same result (times ignored)."""
        mine, theirs = self.to_record(), other.to_record()
        for name in ("created", "updated"):
            mine.pop(name)
            theirs.pop(name)
        return mine == theirs

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> CacheEntry:
        values = dict(zip(_COLUMNS, row, strict=True))
        values["hints"] = json.loads(values["hints"] or "{}")
        values["raw"] = json.loads(values["raw"] or "{}")
        values["found"] = bool(values["found"])
        values["pinned"] = bool(values["pinned"])
        return cls(**values)

    def to_row(self) -> tuple:
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


@dataclass(slots=True)
class ImportReport:
    """What ``import_`` did."""

    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # local pins kept over incoming rows

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.conflicts)


@dataclass(slots=True)
class Change:
    """One entry that ``refresh`` moved."""

    key: str
    query: str
    before: CacheEntry
    after: CacheEntry

    def describe(self) -> str:
        def show(e: CacheEntry) -> str:
            if not e.found:
                return "not found"
            where = f"({e.latitude:.5f}, {e.longitude:.5f})"
            return f"{e.geonameid or '-'} {where} via {e.provider}"

        return f"{self.query!r} [{self.key}]: {show(self.before)} -> {show(self.after)}"


class GeocodeCache:
    """The geocode cache file.  Open with :meth:`open`."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self.path = path
        #: bumped on every write made through this object, so in-process memos
        #: (see geomap.geocoding.geocoder) know when to forget.
        self.generation = 0

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> GeocodeCache:
        """Open (creating if needed) the cache at ``path`` (default ``config.cache_path()``)."""
        path = Path(path) if path is not None else config.cache_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite.connect(path, timeout_s=30.0)
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name='entries'").fetchone():
                con.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        con.execute(statement)
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                con.execute("COMMIT")
            con.execute("SELECT count(*) FROM entries").fetchone()
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"The geocode cache {str(path)!r} is corrupt or unreadable ({exc})."
                " Fix: move it aside (the next run starts a new cache) or point GEOMAP_CACHE"
                " at another file."
            ) from exc
        except OSError as exc:
            raise CacheError(
                f"Cannot create the geocode cache {str(path)!r} ({exc})."
                " Fix: set GEOMAP_CACHE or GEOMAP_DATA_DIR to a writable place."
            ) from exc
        return cls(con, path)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> GeocodeCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------

    def _select(self, where: str, params: tuple = ()) -> list[CacheEntry]:
        try:
            rows = self._con.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM entries {where}", params
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"Cannot read the geocode cache {str(self.path)!r} ({exc})."
                " Fix: move the file aside and run again."
            ) from exc
        return [CacheEntry.from_row(r) for r in rows]

    def get(self, key: str) -> CacheEntry | None:
        found = self._select("WHERE key = ?", (key,))
        return found[0] if found else None

    def find_pin(self, name: str, *, country: str | None = None) -> CacheEntry | None:
        """The pin for ``name``.

        A pin made without a country applies to every query of the name, with
        or without a country hint (``geomap cache pin Rastan ...`` must move
        the Rastan that an article resolved inside Syria).  A pin with a
        country applies to queries hinting that country or no country.  The
        most specific pin wins: same country first, then country-less, then
        the most recently changed.
        """
        pins = self._select("WHERE name_key = ? AND pinned = 1", (normalize(name),))
        wanted = country.strip().upper() if country else None
        if wanted is not None:
            pins = [p for p in pins if p.country in (wanted, None)]
            pins.sort(key=lambda p: (p.country != wanted, _negate(p.updated)))
        else:
            pins.sort(key=lambda p: (p.country is not None, _negate(p.updated)))
        return pins[0] if pins else None

    def entries(self) -> Iterator[CacheEntry]:
        yield from self._select("ORDER BY key")

    def __len__(self) -> int:
        return self._con.execute("SELECT count(*) FROM entries").fetchone()[0]

    def stats(self) -> dict[str, Any]:
        """Counts by outcome and provider, plus the file's path and size."""
        con = self._con
        total, found, pinned = con.execute(
            "SELECT count(*), coalesce(sum(found), 0), coalesce(sum(pinned), 0) FROM entries"
        ).fetchone()
        providers = dict(
            con.execute(
                "SELECT provider, count(*) FROM entries GROUP BY provider ORDER BY provider"
            )
        )
        oldest, newest = con.execute("SELECT min(updated), max(updated) FROM entries").fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path),
            "entries": total,
            "found": found,
            "not_found": total - found,
            "pinned": pinned,
            "providers": providers,
            "oldest": oldest,
            "newest": newest,
            "size_bytes": size,
        }

    # -- writing -----------------------------------------------------------

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        """Run ``sql`` for every row in one write transaction (all or nothing)."""
        try:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                self._con.executemany(sql, rows)
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise CacheError(
                f"Cannot write the geocode cache {str(self.path)!r} ({exc})."
                " Fix: check the file is writable and not held by a stuck process."
            ) from exc
        self.generation += 1

    def _write(self, rows: list[tuple], *, replace_pins: bool) -> None:
        # never overwrite a pin with an automatic answer
        guard = "" if replace_pins else " WHERE entries.pinned = 0 OR excluded.pinned = 1"
        sql = (
            f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
            " ON CONFLICT(key) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("key", "created"))
            + guard
        )
        self._executemany(sql, rows)

    def put(self, entry: CacheEntry) -> None:
        """Store an answer.  A pinned entry is never replaced by an unpinned one."""
        stamp = now()
        entry.created = entry.created or stamp
        entry.updated = entry.updated or stamp
        self._write([entry.to_row()], replace_pins=False)

    def pin(
        self, name: str, latitude: Any, longitude: Any, *, country: str | None = None
    ) -> CacheEntry:
        """Pin ``name`` to a point (a manual override that wins everywhere)."""
        lat, lon = check_coordinates(latitude, longitude)
        key = normalize(name)
        if not key:
            raise InputError(
                f"A pin needs a place name, instead got: {name!r}. Fix: give the name to pin."
            )
        if country is not None and not (len(country.strip()) == 2 and country.strip().isalpha()):
            raise ConfigurationError(
                f"The country must be an ISO 3166-1 alpha-2 code, instead got: {country!r}."
                " Fix: use a two-letter code such as SY."
            )
        old = self.get(cache_key(name, country=country))
        stamp = now()
        entry = CacheEntry(
            key=cache_key(name, country=country),
            query=name,
            name_key=key,
            hints=hints_for(country=country),
            latitude=lat,
            longitude=lon,
            geonameid=None,
            found=True,
            provider="pin",
            confidence=1.0,
            created=old.created if old else stamp,
            updated=stamp,
            pinned=True,
            raw={"name": name},
        )
        self._write([entry.to_row()], replace_pins=True)
        return entry

    def unpin(self, name: str, *, country: str | None = None) -> bool:
        """Remove a pin; True when there was one."""
        key = cache_key(name, country=country)
        cur = self._con.execute("DELETE FROM entries WHERE key = ? AND pinned = 1", (key,))
        self.generation += 1
        return cur.rowcount > 0

    # -- sharing -----------------------------------------------------------

    def export(self, path: str | os.PathLike[str]) -> int:
        """Write every entry to ``path`` (``.csv`` or ``.json``); returns the count."""
        path = Path(path)
        fmt = _format_of(path)
        records = [e.to_record() for e in self.entries()]
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
                    writer = csv.DictWriter(fh, fieldnames=list(_COLUMNS))
                    writer.writeheader()
                    for rec in records:
                        writer.writerow(_csv_row(rec))
        except OSError as exc:
            raise InputError(
                f"Cannot write the cache export {str(path)!r} ({exc}). Fix: choose a writable path."
            ) from exc
        return len(records)

    def import_(self, path: str | os.PathLike[str]) -> ImportReport:
        """Merge an exported cache (``.csv`` or ``.json``) into this one.

        Every row is checked first; one bad row rejects the whole file and
        leaves the cache untouched.  Then, in one transaction: new keys are
        added; an unpinned local entry takes the incoming answer when that one
        is newer; a local pin is never replaced: a differing incoming row is
        reported as a conflict instead.
        """
        path = Path(path)
        incoming = _read_export(path)
        report = ImportReport(path=str(path))
        rows: list[tuple] = []
        for entry in incoming:
            local = self.get(entry.key)
            if local is None:
                report.added += 1
            elif local.to_record() == entry.to_record():
                report.unchanged += 1
                continue
            elif local.pinned and not (entry.pinned and entry.same_answer(local)):
                if local.same_answer(entry):
                    report.unchanged += 1
                else:
                    report.conflicts.append(
                        f"{entry.query!r} [{entry.key}]: kept the local pin"
                        f" ({local.latitude}, {local.longitude}) over the imported"
                        f" {'pin' if entry.pinned else entry.provider} answer"
                        f" ({entry.latitude}, {entry.longitude})"
                    )
                continue
            elif entry.updated > local.updated or (entry.pinned and not local.pinned):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            rows.append(entry.to_row())
        if rows:
            self._write_exact(rows)
        return report

    def _write_exact(self, rows: list[tuple]) -> None:
        """Insert or fully replace rows (created kept as given), in one transaction."""
        sql = (
            f"INSERT OR REPLACE INTO entries ({', '.join(_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(_COLUMNS))})"
        )
        self._executemany(sql, rows)

    # -- refreshing --------------------------------------------------------

    def refresh(
        self,
        *,
        gazetteer,
        offline: bool = True,
        online: str | None = None,
        user_agent: str | None = None,
    ) -> list[Change]:
        """Re-resolve every unpinned entry and report what changed.

        With ``offline=True`` (the default) only the given gazetteer is
        consulted, never the network (pins are left alone and keep winning); an
        answer that came from an online service and that the gazetteer cannot
        give is kept as it is.
        """
        from geomap.geocoding.geocoder import Geocoder  # geocode imports this module

        if offline and online:
            raise ConfigurationError(
                f"refresh was asked to be offline and to use the online service {online!r}."
                " Fix: drop one of the two."
            )
        geocoder = Geocoder(
            cache=self,
            gazetteer=gazetteer,
            online=None if offline else online,
            user_agent=user_agent,
        )
        changes: list[Change] = []
        updated_rows: list[tuple] = []
        for before in list(self.entries()):
            if before.pinned:
                continue
            hints = before.hints
            bias = tuple(hints["bias"]) if "bias" in hints else None
            # pins are applied when a name is resolved, so entries keep the
            # gazetteer/online answer underneath and removing a pin restores it
            after = geocoder.fresh_entry(
                before.query,
                country=hints.get("country"),
                admin1=hints.get("admin1"),
                bias=bias,
                pins=False,
            )
            if after is None:
                continue  # the online lookup failed: keep what we have
            if (
                not after.found
                and before.found
                and before.provider.startswith("online:")
                and offline
            ):
                continue
            if after.same_answer(before):
                continue
            after.created = before.created
            changes.append(Change(before.key, before.query, before, after))
            updated_rows.append(after.to_row())
        if updated_rows:
            self._write(updated_rows, replace_pins=False)
        return changes


def _negate(text: str) -> str:
    # sort key helper: newest first for ISO timestamps
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    raise InputError(
        f"A cache file must end in .csv or .json, instead got: {str(path)!r}."
        " Fix: rename it or choose a .csv/.json name."
    )


def _csv_row(rec: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name in _COLUMNS:
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


def _read_export(path: Path) -> list[CacheEntry]:
    """Read and validate a whole export file; raise InputError on the first bad row."""
    fmt = _format_of(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"Cannot read the cache file {str(path)!r} ({exc})."
            " Fix: check the path and that it is UTF-8."
        ) from exc
    records: list[dict[str, Any]]
    if fmt == "json":
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
        records = data["entries"]
    else:
        reader = csv.DictReader(text.splitlines(keepends=True))
        missing = set(_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"The CSV file {str(path)!r} lacks the columns {sorted(missing)}."
                " Fix: export it with `geomap cache export FILE.csv`."
            )
        records = list(reader)
    entries = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        try:
            entry = _entry_from_record(record, from_csv=fmt == "csv")
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


def _entry_from_record(record: Any, *, from_csv: bool) -> CacheEntry:
    if not isinstance(record, dict):
        raise ValueError(f"expected an object, got {record!r}")
    missing = [c for c in _COLUMNS if c not in record]
    if missing:
        raise ValueError(f"missing fields {missing}")

    def text(name: str, *, required: bool = True) -> str:
        value = record[name]
        if not isinstance(value, str) or (required and not value):
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
        return value

    def optional_number(name: str, kind: type) -> Any:
        value = record[name]
        if value is None or (from_csv and value == ""):
            return None
        if isinstance(value, bool):
            raise ValueError(f"{name} must be a number, got {value!r}")
        number = kind(value)
        if kind is float and not math.isfinite(number):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return number

    def flag(name: str) -> bool:
        value = record[name]
        if isinstance(value, bool):
            return value
        if value in ("1", "0", 1, 0, "true", "false", "True", "False"):
            return str(value).lower() in ("1", "true")
        raise ValueError(f"{name} must be true/false, got {value!r}")

    def mapping(name: str) -> dict[str, Any]:
        value = record[name]
        if from_csv:
            value = json.loads(value or "{}")
        if not isinstance(value, dict):
            raise ValueError(f"{name} must be an object, got {value!r}")
        return value

    entry = CacheEntry(
        key=text("key"),
        query=text("query"),
        name_key=text("name_key", required=False),
        hints=mapping("hints"),
        latitude=optional_number("latitude", float),
        longitude=optional_number("longitude", float),
        geonameid=optional_number("geonameid", int),
        found=flag("found"),
        provider=text("provider"),
        confidence=optional_number("confidence", float),
        created=text("created"),
        updated=text("updated"),
        pinned=flag("pinned"),
        raw=mapping("raw"),
    )
    if entry.found and (entry.latitude is None or entry.longitude is None):
        raise ValueError("a found entry needs latitude and longitude")
    if entry.latitude is not None or entry.longitude is not None:
        check_coordinates(entry.latitude, entry.longitude)
    return entry
