"""Writing extraction results: ``json``, ``geojson`` or ``csv`` (see :func:`write_results`).

* ``json``: ``{"documents": [{doc_id, path, title, date, date_basis, source,
  url, format, chars, mentions: [...], events: [...], errors: [...]}],
  "errors": [{message}], "summary": {...}}``; events use ``Event.to_record()``
  keys (:data:`~geomap.model.EVENT_COLUMNS`) plus ``extra``.
* ``geojson``: a FeatureCollection of every event (properties are the event
  record; events without coordinates get ``"geometry": null``).  Context
  figures are included with ``is_context: true`` so that nothing is hidden;
  a map or sum must filter on it.
* ``csv``: one row per event, :data:`~geomap.model.EVENT_COLUMNS` as header.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from geomap.errors import InputError
from geomap.model import EVENT_COLUMNS, Event, Mention
from geomap.text.articles import Article

FORMATS = ("json", "geojson", "csv")


@dataclass(slots=True)
class ExtractResult:
    """What one article gave."""

    article: Article
    mentions: list[Mention]
    events: list[Event]
    errors: list[str] = field(default_factory=list)


def mention_record(m: Mention) -> dict[str, Any]:
    """A mention as a JSON-ready dict (its place nested), with ``resolved``."""
    rec = dataclasses.asdict(m)
    rec["resolved"] = m.resolved
    return rec


def event_record(e: Event, *, extra: bool = True) -> dict[str, Any]:
    """An event's record (:data:`~geomap.model.EVENT_COLUMNS`), with ``extra`` unless told not."""
    rec = e.to_record()
    if extra:
        rec["extra"] = e.extra
    return rec


def results_to_json(results: list[ExtractResult], errors: list[InputError]) -> dict[str, Any]:
    """The ``json`` format as a dict: documents, failed files and a summary."""
    docs = []
    for r in results:
        a = r.article
        docs.append(
            {
                "doc_id": a.doc_id,
                "path": a.path,
                "title": a.title,
                "date": a.date,
                "date_basis": a.date_basis,
                "source": a.source,
                "url": a.url,
                "format": a.format,
                "chars": len(a.text),
                "mentions": [mention_record(m) for m in r.mentions],
                "events": [event_record(e) for e in r.events],
                "errors": r.errors,
            }
        )
    events = [e for r in results for e in r.events]
    return {
        "documents": docs,
        "errors": [{"message": str(e)} for e in errors],
        "summary": {
            "documents": len(results),
            "failed": len(errors),
            "events": sum(not e.is_context for e in events),
            "context_figures": sum(e.is_context for e in events),
            "mentions": sum(len(r.mentions) for r in results),
        },
    }


def events_to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``events`` (unlocated ones with a null geometry)."""
    features = []
    for e in events:
        geometry = None
        if e.latitude is not None and e.longitude is not None:
            geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
        features.append(
            {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": e.to_record()}
        )
    return {"type": "FeatureCollection", "features": features}


def write_events_csv(events: Iterable[Event], fh: IO[str]) -> None:
    """One CSV row per event under an :data:`~geomap.model.EVENT_COLUMNS` header."""
    writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for e in events:
        rec = e.to_record()
        writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})


def write_results(
    results: list[ExtractResult], errors: list[InputError], fmt: str, fh: IO[str]
) -> None:
    """Write ``results`` to ``fh`` as ``json``, ``geojson`` or ``csv``."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown output format, instead got: {fmt!r}. Fix: use one of {', '.join(FORMATS)}."
        )
    events = [e for r in results for e in r.events]
    if fmt == "json":
        json.dump(results_to_json(results, errors), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif fmt == "geojson":
        json.dump(events_to_geojson(events), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    else:
        write_events_csv(events, fh)
