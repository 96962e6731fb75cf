"""Carry refreshed geocodes through to the stored events and mentions.

``geomap cache refresh`` (or a pin, or ``geomap cache import``) changes what a
cache entry answers; this module makes the event store follow.  Every stored
source row (``event_sources.geocode_key``) and mention (``mentions.cache_key``)
names the cache entry that placed it, so :func:`refresh_store`:

1. finds the cache keys the store uses (optionally only those of ``names``);
2. re-resolves each one.  The answer, in order of precedence: a person's pin
   (:meth:`GeocodeCache.find_pin`, the same rule the geocoder applies); the
   cached entry re-derived from the current gazetteer when it came from the
   gazetteer; the cached entry as it is when it came from elsewhere (an online
   service, a colleague's import).  ``offline=True`` never touches the network;
3. re-locates the rows that depend on each key, all in ONE store transaction
   (source rows through :meth:`EventStore.upsert_events`, which rewrites the
   R*Trees and recomputes the dedup groups of everything touched; mentions
   through :meth:`EventStore.add_mentions`), recomputing ``geo_precision``,
   country and admin-1 (:func:`geomap.dedupe.assign_admin`);
4. then writes the re-derived cache entries.

Rows that carried their own coordinates (``coords_from_source``: ACLED, UCDP,
GDELT, tables with latitude/longitude) never move.

How far a row moves: a row sits at its cache answer plus a small offset
(a mention of "northern Homs countryside" is the Homs answer moved 25 km
north).  The offset is kept, so the row moves exactly as far as its answer
moved.  The answer a row was last placed with (its *basis*) is recorded in the
store table ``refresh_basis``; for rows that were never refreshed it is
reconstructed as the candidate nearest to the row among the pre-refresh cache
entry, the current pin and the gazetteer entry of the row's ``geonameid``.  A
row whose text resolution chose another gazetteer place than its cache entry
("Homs province" -> the governorate while the entry ``homs|cc=SY`` is the
city), or that sits more than :data:`MAX_OFFSET_KM` from every candidate, is
left alone and listed as skipped.

``admin2`` is not recomputed: no offline admin-2 boundaries exist (see
:mod:`geomap.store.dedupe`); the value a source gave is kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap import config
from geomap.errors import ConfigurationError, StoreError
from geomap.geo import geodesic_km, shift_degrees
from geomap.geocoding import CacheEntry, GeocodeCache, now
from geomap.model import Event, Mention, Place

#: A row further than this from every candidate answer was not placed by its
#: cache entry (the largest derived offset geomap makes is a 25 km direction shift).
MAX_OFFSET_KM = 60.0
#: Moves smaller than this (about 1 m) are rounding, not moves.
MIN_MOVE_KM = 0.001
#: Test hook: seconds to sleep inside the write transaction, half-way through.
PAUSE_ENV = "GEOMAP_REFRESH_PAUSE"

_BASIS_SCHEMA = """
CREATE TABLE IF NOT EXISTS refresh_basis (
    kind TEXT NOT NULL, ref TEXT NOT NULL, key TEXT NOT NULL,
    latitude REAL, longitude REAL, geonameid INTEGER, provider TEXT, updated TEXT,
    PRIMARY KEY (kind, ref)
)
"""


# ---------------------------------------------------------------------------
# values


@dataclass(frozen=True, slots=True)
class Answer:
    """What a cache key resolves to now (or resolved to when a row was placed)."""

    key: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    provider: str = "gazetteer"
    pinned: bool = False
    feature: str = ""  # "city", "admin1", "country", "" when unknown (pins, online)
    country: str = ""
    admin1: str = ""

    @classmethod
    def from_entry(cls, key: str, entry: CacheEntry) -> Answer | None:
        if not entry.found or entry.latitude is None or entry.longitude is None:
            return None
        raw = entry.raw or {}
        return cls(
            key=key, latitude=float(entry.latitude), longitude=float(entry.longitude),
            geonameid=entry.geonameid, provider="pin" if entry.pinned else entry.provider,
            pinned=entry.pinned, feature=str(raw.get("feature") or ""),
            country=str(raw.get("country") or ""), admin1=str(raw.get("admin1") or ""),
        )  # fmt: skip


@dataclass(slots=True)
class Move:
    """One stored row re-located (or that would be, on a dry run)."""

    kind: str  # "event" (a source row) or "mention"
    ref: str  # event_id, or "doc_id:start-end" for a mention
    name: str
    key: str
    old_latitude: float | None
    old_longitude: float | None
    new_latitude: float
    new_longitude: float
    km: float | None  # geodesic; None when the row had no coordinates before
    old_precision: int | None
    new_precision: int | None
    provider: str

    def describe(self) -> str:
        def pt(lat: float | None, lon: float | None) -> str:
            return "(unlocated)" if lat is None or lon is None else f"({lat:.5f}, {lon:.5f})"

        km = "newly located" if self.km is None else f"{self.km:.2f} km"
        prec = f"precision {self.old_precision or '-'} -> {self.new_precision or '-'}"
        return (
            f"{self.kind} {self.ref}  {self.name!r}  "
            f"{pt(self.old_latitude, self.old_longitude)} -> "
            f"{pt(self.new_latitude, self.new_longitude)}  {km}  {prec}  [{self.provider}; {self.key}]"
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class EntryChange:
    """A cache entry the refresh re-derived from the gazetteer."""

    key: str
    query: str
    before: str
    after: str


@dataclass(slots=True)
class RefreshReport:
    """What :func:`refresh_store` found and did."""

    store: str
    offline: bool
    dry_run: bool
    keys: int = 0  # cache keys the store uses (after the --names filter)
    rows: int = 0  # dependent rows looked at
    moves: list[Move] = field(default_factory=list)
    entry_changes: list[EntryChange] = field(default_factory=list)
    kept_own_coordinates: int = 0
    skipped: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    events_before: int = 0
    events_after: int = 0
    seconds: float = 0.0

    @property
    def event_moves(self) -> list[Move]:
        return [m for m in self.moves if m.kind == "event"]

    @property
    def mention_moves(self) -> list[Move]:
        return [m for m in self.moves if m.kind == "mention"]

    def summary(self) -> str:
        mode = "offline" if self.offline else "online allowed"
        head = "Dry run (nothing changed)" if self.dry_run else "Refreshed"
        verb = "would move" if self.dry_run else "moved"
        return (
            f"{head} ({mode}): {self.keys} cache keys, {len(self.entry_changes)} entries re-derived; "
            f"{len(self.event_moves)} events and {len(self.mention_moves)} mentions {verb}; "
            f"{self.kept_own_coordinates} rows kept their own coordinates; "
            f"{len(self.skipped)} skipped; {len(self.conflicts)} conflicts; "
            f"merged events {self.events_before} -> {self.events_after}; {self.seconds:.2f} s"
        )

    def lines(self) -> list[str]:
        """The human-readable diff, one line each, then the summary."""
        out = [f"cache entry {c.query!r} [{c.key}]: {c.before} -> {c.after}" for c in self.entry_changes]
        out += [m.describe() for m in self.moves]
        out += [f"conflict: {c}" for c in self.conflicts]
        out += [f"skipped: {s}" for s in self.skipped]
        out += [f"not found: {s}" for s in self.not_found]
        out.append(self.summary())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": self.store, "offline": self.offline, "dry_run": self.dry_run,
            "keys": self.keys, "rows": self.rows,
            "moves": [m.to_dict() for m in self.moves],
            "entry_changes": [dataclasses.asdict(c) for c in self.entry_changes],
            "kept_own_coordinates": self.kept_own_coordinates,
            "skipped": self.skipped, "not_found": self.not_found, "conflicts": self.conflicts,
            "events_before": self.events_before, "events_after": self.events_after,
            "seconds": round(self.seconds, 3),
        }  # fmt: skip


# ---------------------------------------------------------------------------
# helpers


def parse_key(key: str) -> tuple[str, dict[str, Any]]:
    """``"rastan|cc=SY|a1=11"`` -> ("rastan", {"country": "SY", "admin1": "11"})."""
    name, *parts = key.split("|")
    hints: dict[str, Any] = {}
    for part in parts:
        tag, _, value = part.partition("=")
        if tag == "cc":
            hints["country"] = value
        elif tag == "a1":
            hints["admin1"] = value
        elif tag == "near":
            try:
                lat, lon = (float(v) for v in value.split(","))
                hints["bias"] = (lat, lon)
            except ValueError:
                pass
    return name, hints


def _precision(old: int | None, answer: Answer) -> int | None:
    """ACLED precision for a row re-placed on ``answer``.

    A gazetteer answer sets the level (1 for a town, 3 for a region or
    country); a pin or online point keeps the row's level; a row that was
    "near"/part of a place (2) stays 2.
    """
    if answer.feature:
        base = 1 if answer.feature == "city" else 3
    else:
        base = old if old is not None else 1
    if old == 2:
        return 2
    return base


def _names_filter(names: Iterable[str] | None) -> set[str] | None:
    if names is None:
        return None
    from geomap.gazetteer import name_keys, normalize

    wanted: set[str] = set()
    for raw in names:
        for name in str(raw).split(","):
            if not normalize(name):
                continue
            wanted.add(normalize(name))
            wanted.update(name_keys(name))
    if not wanted:
        raise ConfigurationError(
            f"--names needs at least one place name, instead got: {list(names)!r}. "
            "Fix: pass e.g. --names Rastan, or leave --names out to refresh every name."
        )
    return wanted


def _mention_ref(m: Mention) -> str:
    return f"{m.doc_id}:{m.span_start}-{m.span_end}"


def _near(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) < 1e-6


def _keys_to_visit(
    st: Any, keys: set[str], new: dict[str, Answer | None],
    bases: dict[tuple[str, str], Answer], report: RefreshReport,
) -> tuple[set[str], set[str]]:
    """Keys whose source rows / mentions may move (cheap column scan first).

    A row placed exactly on its answer, at the precision that answer gives,
    stays; text rows (which may carry an offset) and rows with a recorded
    basis are always looked at.  Counts the rows seen and those kept for
    their own coordinates.
    """
    conn = st.connection
    event_keys: set[str] = set()
    for eid, key, own, lat, lon, origin, prec in conn.execute(
        "SELECT event_id, geocode_key, coords_from_source, latitude, longitude, origin, "
        "geo_precision FROM event_sources WHERE geocode_key <> ''"
    ):
        if key not in keys:
            continue
        report.rows += 1
        if own:
            report.kept_own_coordinates += 1
            continue
        answer = new.get(key)
        if answer is None or key in event_keys:
            continue
        if (origin == "text" or ("event", eid) in bases or not _near(lat, answer.latitude)
                or not _near(lon, answer.longitude) or _precision(prec, answer) != prec):
            event_keys.add(key)
    mention_keys: set[str] = set()
    for key, lat, lon, prec in conn.execute(
        "SELECT cache_key, latitude, longitude, geo_precision FROM mentions WHERE cache_key <> ''"
    ):
        if key not in keys:
            continue
        report.rows += 1
        answer = new.get(key)
        if answer is None or key in mention_keys:
            continue
        if (not _near(lat, answer.latitude) or not _near(lon, answer.longitude)
                or _precision(prec, answer) != prec):
            mention_keys.add(key)
    return event_keys, mention_keys


def _origin_mention(e: Event, by_span: dict[tuple[str, int, int], Mention]) -> Mention | None:
    """The stored mention a text event was placed from (its first location), if any."""
    if e.origin != "text" or not e.doc_id:
        return None
    locations = e.extra.get("locations") or []
    first = locations[0] if locations and isinstance(locations[0], dict) else {}
    span = (first.get("span_start"), first.get("span_end"))
    return by_span.get((e.doc_id, span[0], span[1])) if None not in span else None


def _pause_hook() -> None:
    value = os.environ.get(PAUSE_ENV)
    if not value:
        return
    sys.stderr.write("geomap refresh: paused inside the write transaction\n")
    sys.stderr.flush()
    time.sleep(float(value))


# ---------------------------------------------------------------------------
# the refresh


class _Refresh:
    def __init__(self, store: Any, cache: GeocodeCache, gazetteer: Any, *, offline: bool,
                 online: str | None, user_agent: str | None, report: RefreshReport) -> None:
        self.store = store
        self.cache = cache
        self._gazetteer = gazetteer
        self._own_gazetteer = False
        self.offline = offline
        self.online = online
        self.user_agent = user_agent
        self.report = report
        self._geocoder: Any = None

    # -- lazily opened -----------------------------------------------------
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from geomap.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open_or_build()
            self._own_gazetteer = True
        return self._gazetteer

    def geocoder(self) -> Any:
        if self._geocoder is None:
            from geomap.geocoding import Geocoder

            self._geocoder = Geocoder(
                cache=self.cache, gazetteer=self.gazetteer(),
                online=None if self.offline else self.online, user_agent=self.user_agent,
                memo=False,
            )  # fmt: skip
        return self._geocoder

    def close(self) -> None:
        if self._own_gazetteer and self._gazetteer is not None:
            self._gazetteer.close()

    # -- step 1 and 2: keys and their answers -------------------------------
    def used_keys(self, wanted: set[str] | None) -> list[str]:
        conn = self.store.connection
        keys = {k for (k,) in conn.execute(
            "SELECT DISTINCT geocode_key FROM event_sources WHERE geocode_key <> ''")}
        keys |= {k for (k,) in conn.execute(
            "SELECT DISTINCT cache_key FROM mentions WHERE cache_key <> ''")}  # fmt: skip
        if wanted is not None:
            keys = {k for k in keys if parse_key(k)[0] in wanted}
        return sorted(keys)

    def answers(self, keys: list[str]) -> tuple[dict[str, Answer | None], dict[str, Answer | None],
                                                list[CacheEntry]]:
        """(old answers, new answers, cache entries to write) per key."""
        old: dict[str, Answer | None] = {}
        new: dict[str, Answer | None] = {}
        writes: list[CacheEntry] = []
        for key in keys:
            name, hints = parse_key(key)
            entry = self.cache.get(key)
            query = entry.query if entry is not None else name
            pinned = entry is not None and entry.pinned
            gazetteer_entry = None  # what the gazetteer says for this key, pins aside
            if entry is None or pinned or self._rederive(entry):
                gazetteer_entry = self._fresh(key, query, hints)
            if entry is None or pinned:
                # nothing cached under this key, or a pin replaced it: the
                # gazetteer tells what lies underneath (written only when absent)
                fresh = gazetteer_entry
                old[key] = Answer.from_entry(key, fresh) if fresh is not None else None
                if entry is None and fresh is not None:
                    writes.append(fresh)
                    self.report.entry_changes.append(EntryChange(key, query, "absent", _show(fresh)))
            else:
                old[key] = Answer.from_entry(key, entry)
                fresh = entry
                if gazetteer_entry is not None and not gazetteer_entry.same_answer(entry) and not (
                    not gazetteer_entry.found and entry.found and entry.provider.startswith("online:")
                ):  # offline cannot check an online answer: it is kept
                    fresh = gazetteer_entry
                    fresh.created = entry.created
                    writes.append(fresh)
                    self.report.entry_changes.append(
                        EntryChange(key, query, _show(entry), _show(fresh)))  # fmt: skip
            underneath = Answer.from_entry(key, fresh) if fresh is not None else None
            pin = self.cache.find_pin(query, country=hints.get("country"))
            if pin is not None:
                answer = Answer.from_entry(key, pin)
                # a pin over the gazetteer is what pins are for; over an answer a
                # colleague or an online service gave, it is a conflict worth listing
                if underneath is not None and answer is not None and (
                    underneath.provider != "gazetteer"
                ) and geodesic_km(
                    answer.latitude, answer.longitude, underneath.latitude, underneath.longitude
                ) > 1.0:
                    self.report.conflicts.append(
                        f"{key}: the pin ({answer.latitude:.5f}, {answer.longitude:.5f}) wins over "
                        f"the cached {underneath.provider} answer ({underneath.latitude:.5f}, "
                        f"{underneath.longitude:.5f}); unpin it to use the cached one"
                    )
            else:
                answer = underneath
            if answer is None:
                self.report.not_found.append(
                    f"{key}: no answer (not in the cache, pins or gazetteer); rows left in place")
            new[key] = answer
        return old, new, writes

    def _fresh(self, key: str, query: str, hints: dict[str, Any]) -> CacheEntry | None:
        try:
            return self.geocoder().fresh_entry(
                query, country=hints.get("country"), admin1=hints.get("admin1"),
                bias=hints.get("bias"), pins=False,
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - one bad name must not stop the batch
            self.report.skipped.append(f"{key}: could not be re-resolved ({exc})")
            return None

    def _rederive(self, entry: CacheEntry) -> bool:
        # offline, only gazetteer answers can be re-derived; answers an online
        # service or a colleague's import gave are taken from the cache as they are
        if entry.provider == "gazetteer":
            return True
        return not self.offline and self.online is not None

    # -- step 3: dependent rows --------------------------------------------
    def bases(self) -> dict[tuple[str, str], Answer]:
        conn = self.store.connection
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='refresh_basis'"
        ).fetchone():
            return {}
        out = {}
        for kind, ref, key, lat, lon, gid, provider in conn.execute(
            "SELECT kind, ref, key, latitude, longitude, geonameid, provider FROM refresh_basis"
        ):
            if lat is not None and lon is not None:
                out[(kind, ref)] = Answer(key, lat, lon, gid, provider or "")
        return out

    def place_of(self, geonameid: int | None) -> Place | None:
        if not geonameid:
            return None
        try:
            return self.gazetteer().get(int(geonameid))
        except Exception:  # noqa: BLE001 - a missing place only loses one candidate
            return None

    def target(self, *, kind: str, ref: str, key: str, lat: float | None, lon: float | None,
               geonameid: int | None, old: Answer | None, new: Answer,
               recorded: Answer | None, origin: Mention | None) -> tuple[float, float] | None:
        """Where a row goes, or None when it does not follow its cache key.

        ``origin`` is the text mention the row was placed from (itself, for a
        mention); its place, as stored at ingest, is where the row was put
        before any offset ("northern X" is X moved 25 km north).
        """
        if lat is None or lon is None:
            return new.latitude, new.longitude  # newly located (e.g. a pinned unresolved name)
        if recorded is not None:
            basis = recorded
        else:
            # the entry as it was before this refresh (a pin replaces the entry
            # of its own key, so a pinned one says nothing of the past)
            before = old if old is not None and not old.pinned else None
            if geonameid and before is not None and before.geonameid and before.geonameid != geonameid:
                place = self.place_of(geonameid)
                self.report.skipped.append(
                    f"{kind} {ref}: placed on {place.name if place else geonameid} by its text, "
                    f"not on its cache entry {key} ({before.geonameid}); left alone"
                )
                return None
            basis = Answer(key, lat, lon)  # placed exactly on its answer: no offset
            if (origin is not None and origin.place is not None
                    and "pinned in the geocode cache" not in (origin.reason or "")):
                basis = Answer(key, origin.place.latitude, origin.place.longitude,
                               origin.place.geonameid)  # fmt: skip
        if geodesic_km(lat, lon, basis.latitude, basis.longitude) > MAX_OFFSET_KM:
            self.report.skipped.append(
                f"{kind} {ref}: sits more than {MAX_OFFSET_KM:g} km from the place it was "
                f"resolved to ({key}); left alone"
            )
            return None
        return shift_degrees(new.latitude, new.longitude, lat - basis.latitude, lon - basis.longitude)


def _show(entry: CacheEntry | None) -> str:
    if entry is None:
        return "absent"
    if not entry.found:
        return f"not found via {entry.provider}"
    return f"{entry.geonameid or '-'} ({entry.latitude:.5f}, {entry.longitude:.5f}) via {entry.provider}"


def _open_store(store: Any, dry_run: bool) -> tuple[Any, bool]:
    from geomap.store import EventStore

    if isinstance(store, EventStore):
        return store, False
    path = Path(store) if store is not None else config.store_path()
    if not path.is_file():
        raise StoreError(
            f"There is no event store at {str(path)!r}. "
            "Fix: ingest something first (`geomap ingest FILE`) or pass --store PATH."
        )
    if not dry_run:
        return EventStore.open(path), True
    # a dry run reads through a read-only connection: the file cannot change
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        conn.execute("SELECT count(*) FROM events").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"Cannot read the event store {str(path)!r}: {exc}. "
            "Fix: check it is a geomap store (run `geomap ingest` once to create it)."
        ) from exc
    return EventStore(conn, path), True


def _plan_and_write(job: _Refresh, st: Any, report: RefreshReport, wanted: set[str] | None,
                    dry_run: bool) -> list[CacheEntry]:
    """Compute every move (into ``report``) and, unless ``dry_run``, write them.

    Returns the cache entries to write once the store has committed.
    """
    report.events_before = report.events_after = st.count()
    keys = job.used_keys(wanted)
    report.keys = len(keys)
    if not keys:
        return []
    old, new, writes = job.answers(keys)
    bases = job.bases()
    stamp = now()
    event_keys, mention_keys = _keys_to_visit(st, set(keys), new, bases, report)
    mentions = {key: st.mentions(cache_key=key) for key in sorted(event_keys | mention_keys)}
    by_span = {(m.doc_id, m.span_start, m.span_end): m for ms in mentions.values() for m in ms}

    # -- source rows ---------------------------------------------------
    moved_events: list[Event] = []
    basis_rows: list[tuple[Any, ...]] = []
    for e in st.sources(geocode_keys=sorted(event_keys)) if event_keys else []:
        e.extra.pop("group_id", None)
        if e.coords_from_source:
            continue
        key = e.geocode_key
        answer = new.get(key)
        if answer is None:
            continue
        dest = job.target(kind="event", ref=e.event_id, key=key, lat=e.latitude,
                          lon=e.longitude, geonameid=e.geonameid, old=old.get(key), new=answer,
                          recorded=bases.get(("event", e.event_id)),
                          origin=_origin_mention(e, by_span))
        if dest is None:
            continue
        if e.origin == "text":  # rows placed exactly on their answer need no record
            basis_rows.append(("event", e.event_id, key, answer.latitude, answer.longitude,
                               answer.geonameid, answer.provider, stamp))
        km = None if e.latitude is None else geodesic_km(e.latitude, e.longitude, *dest)
        precision = _precision(e.geo_precision, answer)
        if km is not None and km < MIN_MOVE_KM and precision == e.geo_precision:
            continue
        report.moves.append(Move(
            "event", e.event_id, e.location or key, key, e.latitude, e.longitude, dest[0],
            dest[1], km, e.geo_precision, precision, answer.provider))  # fmt: skip
        e.extra["geocode_refresh"] = {
            "key": key, "provider": answer.provider, "at": stamp,
            "previous": [e.latitude, e.longitude, e.geo_precision],
        }  # fmt: skip
        e.latitude, e.longitude = dest
        e.geo_precision = precision
        e.geonameid = answer.geonameid
        if answer.country:
            e.country = answer.country
        if e.precision_source.split(":", 1)[0] in ("gazetteer", "pin") or \
                e.precision_source.startswith("online:"):
            e.precision_source = f"{answer.provider}:{answer.feature or 'point'}"
        e.admin1 = ""  # recomputed below from the new point
        for k in ("admin1_method",):
            e.extra.pop(k, None)
        moved_events.append(e)

    # -- mentions ------------------------------------------------------
    moved_mentions: list[Mention] = []
    for key in sorted(mention_keys):
        answer = new.get(key)
        for m in mentions[key]:
            if answer is None:
                continue
            ref = _mention_ref(m)
            dest = job.target(kind="mention", ref=ref, key=key, lat=m.latitude,
                              lon=m.longitude,
                              geonameid=m.place.geonameid if m.place is not None else None,
                              old=old.get(key), new=answer, recorded=bases.get(("mention", ref)),
                              origin=m)  # fmt: skip
            if dest is None:
                continue
            basis_rows.append(("mention", ref, key, answer.latitude, answer.longitude,
                               answer.geonameid, answer.provider, stamp))
            km = None if m.latitude is None else geodesic_km(m.latitude, m.longitude, *dest)
            precision = _precision(m.geo_precision, answer)
            if km is not None and km < MIN_MOVE_KM and precision == m.geo_precision:
                continue
            report.moves.append(Move(
                "mention", ref, m.text, key, m.latitude, m.longitude, dest[0], dest[1], km,
                m.geo_precision, precision, answer.provider))  # fmt: skip
            m.latitude, m.longitude = dest
            m.geo_precision = precision
            if answer.geonameid and (m.place is None or m.place.geonameid != answer.geonameid):
                m.place = job.place_of(answer.geonameid) or m.place
            m.reason = (m.reason + "; " if m.reason else "") + (
                f"refreshed {stamp[:19]}Z from {answer.provider}")
            moved_mentions.append(m)

    if dry_run:
        return []

    # -- recompute admin-1 for moved rows, then write everything at once --
    if moved_events:
        from geomap.store import assign_admin

        assign_admin(moved_events, gazetteer=job.gazetteer())
    with st.transaction() as conn:  # joins the caller's transaction
        conn.execute(_BASIS_SCHEMA)
        conn.executemany(
            "INSERT OR REPLACE INTO refresh_basis VALUES (?, ?, ?, ?, ?, ?, ?, ?)", basis_rows
        )
        if moved_mentions:
            st.add_mentions(moved_mentions)
        half = len(moved_events) // 2
        if half:
            st.upsert_events(moved_events[:half])
        _pause_hook()  # a test kills the process here: half of the rows are written
        if moved_events[half:]:
            st.upsert_events(moved_events[half:])
    return writes


def refresh_store(
    *,
    store: Any = None,
    cache: GeocodeCache | None = None,
    gazetteer: Any = None,
    offline: bool = True,
    dry_run: bool = False,
    names: Iterable[str] | None = None,
    online: str | None = None,
    user_agent: str | None = None,
) -> RefreshReport:
    """Re-resolve the cache keys the store uses and re-locate what depends on them.

    ``store`` is an :class:`~geomap.store.EventStore` or a path (default
    ``config.store_path()``); ``cache`` defaults to ``config.cache_path()``.
    ``names`` limits the refresh to those place names.  ``offline=True`` uses
    pins, the cache and the gazetteer only; otherwise ``online`` (a geopy
    service name) may answer what the gazetteer cannot.  ``dry_run=True``
    computes the same diff and writes nothing (the store is opened read-only).
    """
    if offline and online:
        raise ConfigurationError(
            f"refresh was asked to be offline and to use the online service {online!r}. "
            "Fix: drop --offline or drop --online."
        )
    started = time.perf_counter()
    wanted = _names_filter(names)
    st, own_store = _open_store(store, dry_run)
    own_cache = cache is None
    gc = cache if cache is not None else GeocodeCache.open()
    report = RefreshReport(store=str(st.path), offline=offline, dry_run=dry_run)
    job = _Refresh(st, gc, gazetteer, offline=offline, online=online, user_agent=user_agent,
                   report=report)
    try:
        # the whole read-compute-write runs under the store's write lock, so no
        # other writer changes a row between reading and re-locating it
        with contextlib.nullcontext() if dry_run else st.transaction():
            writes = _plan_and_write(job, st, report, wanted, dry_run)
        # the cache after the store: a kill in between leaves the store right and
        # the cache re-derivable by the next refresh
        for entry in writes:
            gc.put(entry)
        if not dry_run:
            report.events_after = st.count()
        return report
    finally:
        report.seconds = time.perf_counter() - started
        job.close()
        if own_cache:
            gc.close()
        if own_store:
            st.close()


def index_problems(store: Any) -> list[str]:
    """Inconsistencies between the store's tables and its R*Trees (empty when sound).

    Every located merged event has exactly one ``events_rtree`` entry at its
    point and every R*Tree entry belongs to a row; the same for source rows.
    """
    conn = store.connection
    problems: list[str] = []
    checks = (
        ("events", "events_rtree", "rowid", "events", "event_id"),
        ("event_sources", "sources_rtree", "sid", "source rows", "event_id"),
    )
    for table, rtree, idcol, label, name in checks:
        for (ident,) in conn.execute(
            f"SELECT t.{name} FROM {table} t LEFT JOIN {rtree} r ON r.id = t.{idcol} "
            "WHERE t.latitude IS NOT NULL AND t.longitude IS NOT NULL "
            + ("AND t.day_min IS NOT NULL " if table == "event_sources" else "")
            + "AND (r.id IS NULL OR abs(r.min_lat - t.latitude) > 1e-4 "
            "OR abs(r.min_lon - t.longitude) > 1e-4)"
        ):
            problems.append(f"{label}: {ident} has no R*Tree entry at its point")
        for (ident,) in conn.execute(
            f"SELECT r.id FROM {rtree} r LEFT JOIN {table} t ON t.{idcol} = r.id "
            f"WHERE t.{idcol} IS NULL OR t.latitude IS NULL"
        ):
            problems.append(f"{rtree}: entry {ident} has no located row")
    return problems


def _json(report: RefreshReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def format_report(report: RefreshReport, fmt: str = "table") -> str:
    """The diff as text lines (``table``) or JSON."""
    if fmt == "json":
        return _json(report)
    return "\n".join(report.lines())


__all__ = [
    "Answer", "EntryChange", "Move", "RefreshReport", "format_report", "geodesic_km",
    "index_problems", "parse_key", "refresh_store",
]  # fmt: skip
