"""The map job behind ``geomap map``: ingest, read the store, draw, save.

:func:`make_map` ingests the given inputs into the store, reads its events
(filtered by an :class:`~geomap.model.EventFilter`) and their documents'
mentions, and hands them to :mod:`geomap.render`, which only draws.  With no
input and an empty store it maps the demo seed article instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.ingestion import IngestReport, ingest_paths
from geomap.model import Event, EventFilter, Mention
from geomap.render import build_map, save_map
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.store import EventStore

#: The demo input mapped when the store is empty and no input is given.
DEMO_SEED = Path(__file__).resolve().parent / "seeds" / "russian-airstrikes-syria-2015-09-30.txt"
DEMO_DATE = "2015-09-30"


@dataclass
class MapReport:
    """What :func:`make_map` did: where the file went and what is on it."""

    path: Path
    events: int
    mentions: int
    self_contained: bool
    demo: bool = False
    ingest: IngestReport | None = None  # when inputs were given
    notes: list[str] = field(default_factory=list)


def _demo_events(
    workspace: Workspace, flt: EventFilter | None
) -> tuple[list[Event], list[Mention], str]:
    """The demo seed article's events (filtered), mentions and title."""
    from geomap.text import extract_article, read_article  # only the demo reads text

    if not DEMO_SEED.is_file():
        raise InputError(
            f"The demo seed article is missing instead got: {str(DEMO_SEED)!r}. "
            "Fix: give an INPUT file, or run from a geomap checkout"
        )
    article = read_article(DEMO_SEED, date=DEMO_DATE)
    result = extract_article(article, gazetteer=workspace.gazetteer, geocoder=workspace.geocoder)
    events = flt.apply(result.events) if flt is not None else list(result.events)
    return events, list(result.mentions), article.title or article.doc_id


def _stored_events(
    store: EventStore, flt: EventFilter | None
) -> tuple[list[Event], list[Mention]]:
    """The store's events that pass ``flt``, and the mentions of their documents."""
    events = store.events(flt)
    doc_ids = {e.doc_id for e in events if e.doc_id}
    return events, [m for m in store.mentions() if m.doc_id in doc_ids]


def _default_title(events: Sequence[Event]) -> str:
    """"N conflict events, first date to last date"."""
    dates = sorted(e.event_date for e in events if e.event_date)
    span = f", {dates[0]} to {dates[-1]}" if dates and dates[0] != dates[-1] else (
        f", {dates[0]}" if dates else "")
    return f"{len(events)} conflict events{span}"


def make_map(
    inputs: Sequence[str | os.PathLike[str]] = (),
    *,
    output: str | os.PathLike[str] = "map.html",
    store: str | os.PathLike[str] | None = None,
    flt: EventFilter | None = None,
    self_contained: bool = False,
    title: str | None = None,
    workspace: Workspace | None = None,
) -> MapReport:
    """Ingest ``inputs`` (if any) into the store, map its events, save the page.

    With no inputs and an empty store, the demo seed article is extracted and
    mapped (the store is left untouched).  The store is ``workspace``'s; with
    no workspace, one is made for ``store`` (a path, or the default store)
    and closed at the end.
    """
    if workspace is None:
        with Workspace(store=store) as ws:
            return make_map(inputs, output=output, flt=flt, self_contained=self_contained,
                            title=title, workspace=ws)
    ingest_report = None
    demo = False
    st = workspace.store
    if inputs:
        ingest_report = ingest_paths([str(p) for p in inputs], workspace=workspace)
    if not inputs and st.count() == 0:
        events, mentions, demo_title = _demo_events(workspace, flt)
        demo = True
        title = title or f"{demo_title} (demo)"
    else:
        events, mentions = _stored_events(st, flt)
    if title is None:
        title = _default_title(events)
    m = build_map(events, mentions=mentions, title=title, self_contained=self_contained)
    path = save_map(m, output, self_contained=self_contained)
    data = m.event_layers.data
    return MapReport(path=path, events=data["n"],
                     mentions=len((data.get("mentions") or {}).get("lat", [])),
                     self_contained=self_contained, demo=demo, ingest=ingest_report,
                     notes=list(data["notes"]))
