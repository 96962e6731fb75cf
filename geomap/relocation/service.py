"""``geomap refresh``: re-resolve the cache keys the store uses and re-locate what depends on them.

:func:`refresh_store`:

1. finds the cache keys the store uses (optionally only those of ``names``);
2. re-resolves each one (:mod:`geomap.relocation.answers`);
3. re-locates the rows that depend on each key (:mod:`geomap.relocation.relocate`),
   all in ONE store transaction (source rows through
   :meth:`EventStore.upsert_events`, which rewrites the R*Trees and recomputes
   the dedup groups of everything touched; mentions through
   :meth:`EventStore.add_mentions`), recomputing ``geo_precision``, country
   and admin-1 (:func:`geomap.store.assign_admin`) and moving each text
   event's further places (``extra["locations"]``, what the map draws as
   "Also placed") with their mentions;
4. then writes the re-derived cache entries.

``admin2`` is not recomputed: no offline admin-2 boundaries exist (see
:mod:`geomap.store.admin1`); the value a source gave is kept.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, StoreError
from geomap.geocoding import CacheEntry, now, parse_key
from geomap.relocation.answers import KeyResolver
from geomap.relocation.relocate import Plan, Relocation, keys_to_visit, recorded_bases
from geomap.relocation.report import RefreshReport
from geomap.store import EventStore, assign_admin
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import GeocodeCache

PathLike = str | os.PathLike[str]


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


def _used_keys(store: EventStore, wanted: set[str] | None) -> list[str]:
    keys = store.geocode_keys()
    if wanted is not None:
        keys = [k for k in keys if parse_key(k)[0] in wanted]
    return keys


def _plan(ws: Workspace, report: RefreshReport, wanted: set[str] | None,
          *, offline: bool, online: str | None) -> tuple[Plan, list[CacheEntry]]:  # fmt: skip
    """Every move (into ``report``), and the cache entries to write once the store has committed."""
    st = ws.store
    report.events_before = report.events_after = st.count()
    keys = _used_keys(st, wanted)
    report.keys = len(keys)
    if not keys:
        return Plan(), []
    resolver = KeyResolver(ws, report=report)
    old, new, writes = resolver.answers(keys)
    bases = recorded_bases(st)
    event_keys, mention_keys = keys_to_visit(st, set(keys), new, bases, report)
    mentions = {key: st.mentions(cache_key=key) for key in sorted(event_keys | mention_keys)}
    by_span = {(m.doc_id, m.span_start, m.span_end): m for ms in mentions.values() for m in ms}
    relocation = Relocation(ws, report, old=old, new=new, bases=bases, stamp=now())
    if event_keys:
        relocation.move_sources(st.sources(geocode_keys=sorted(event_keys)), by_span)
    relocation.move_mentions(mentions, mention_keys)
    relocation.follow_locations(st)
    return relocation.plan, writes


def _write(ws: Workspace, plan: Plan) -> None:
    """Admin-1 from the new points, then every row and basis in one transaction."""
    st = ws.store
    if plan.events:
        assign_admin(plan.events, gazetteer=ws.gazetteer)
    with st.transaction():  # joins the caller's transaction
        st.record_bases(plan.bases)
        if plan.mentions:
            st.add_mentions(plan.mentions)
        if plan.events:
            st.upsert_events(plan.events)


def _refresh(ws: Workspace, *, offline: bool, online: str | None, dry_run: bool,
             wanted: set[str] | None, started: float) -> RefreshReport:  # fmt: skip
    if not ws.store_path.is_file():
        raise StoreError(
            f"There is no event store at {str(ws.store_path)!r}. "
            "Fix: ingest something first (`geomap ingest FILE`) or pass --store PATH."
        )
    st = ws.store
    report = RefreshReport(store=str(st.path), offline=offline, dry_run=dry_run)
    try:
        # the whole read-compute-write runs under the store's write lock, so no
        # other writer changes a row between reading and re-locating it
        with contextlib.nullcontext() if dry_run else st.transaction():
            plan, writes = _plan(ws, report, wanted, offline=offline, online=online)
            if not dry_run:
                _write(ws, plan)
        if dry_run:
            return report
        # the cache after the store: a kill in between leaves the store right and
        # the cache re-derivable by the next refresh
        for entry in writes:
            ws.cache.put(entry)
        report.events_after = st.count()
        return report
    finally:
        report.seconds = time.perf_counter() - started


def refresh_store(
    *,
    workspace: Workspace | None = None,
    store: EventStore | PathLike | None = None,
    cache: GeocodeCache | PathLike | None = None,
    gazetteer: Gazetteer | PathLike | None = None,
    offline: bool = True,
    dry_run: bool = False,
    names: Iterable[str] | None = None,
    online: str | None = None,
    user_agent: str | None = None,
) -> RefreshReport:
    """Re-resolve the cache keys the store uses and re-locate what depends on them.

    The gazetteer, cache, geocoder and store come from ``workspace``; without
    one, a :class:`~geomap.workspace.Workspace` is made from ``store`` (an
    :class:`~geomap.store.EventStore` or a path, default
    ``config.store_path()``), ``cache`` (default ``config.cache_path()``) and
    ``gazetteer`` (an open one or a path), and closed at the end.

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
    if workspace is not None:
        _check_workspace(workspace, offline=offline, online=online,
                         given=(store, cache, gazetteer, user_agent))  # fmt: skip
        return _refresh(workspace, offline=offline, online=workspace.online, dry_run=dry_run,
                        wanted=wanted, started=started)  # fmt: skip
    with Workspace(store=store, cache=cache, gazetteer=gazetteer, read_only=dry_run,
                   online=None if offline else online, user_agent=user_agent) as ws:  # fmt: skip
        return _refresh(ws, offline=offline, online=online, dry_run=dry_run, wanted=wanted,
                        started=started)  # fmt: skip


def _check_workspace(workspace: Workspace, *, offline: bool, online: str | None,
                     given: tuple[object, ...]) -> None:  # fmt: skip
    """A workspace brings its own parts and online service: refuse a second, different one."""
    if any(part is not None for part in given) or (online and online != workspace.online):
        raise ConfigurationError(
            "refresh_store() was given a workspace and also a store, cache, gazetteer, online "
            "service or user agent. Fix: put them in the Workspace, or pass them without one."
        )
    if offline and workspace.online:
        raise ConfigurationError(
            f"refresh was asked to be offline, but its workspace uses the online service "
            f"{workspace.online!r}. Fix: drop offline=True or use an offline Workspace."
        )
