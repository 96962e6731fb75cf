"""Reading ``geomap extract`` output back: documents with their mentions and events.

Accepted: the JSON of ``geomap extract --format json`` (``{"documents": [...]}``),
JSON lines of results (``{"article": ..., "mentions": [...], "events": [...]}``),
bare event records, and a GeoJSON FeatureCollection of events.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.ingest.tables import decode
from geomap.model import EVENT_COLUMNS, Event, Mention, Place

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
#: A document's own fields, without what was extracted from it.
_NOT_DOCUMENT = ("mentions", "events", "errors")
_MENTION_FIELDS = {f.name for f in dataclasses.fields(Mention)}
_PLACE_FIELDS = [f.name for f in dataclasses.fields(Place)]

#: A JSON object as parsed: its values are whatever the file holds.
Record = Mapping[str, Any]


@dataclass(slots=True)
class ExtractedDocument:
    """One document as ``geomap extract`` wrote it: its fields (None for bare events,
    or a record without a ``doc_id``), its place mentions and its events."""

    document: dict[str, Any] | None
    mentions: list[Mention]
    events: list[Event]


def read_extract_json(path: Path) -> list[ExtractedDocument]:
    """The documents of an extract JSON or JSON-lines file (by suffix: .jsonl, .ndjson).

    Raises :class:`~geomap.errors.InputError` for a file that is unreadable,
    not JSON, or not extract output.
    """
    text = decode(path)
    try:
        if path.suffix.lower() in JSON_LINES_SUFFIXES:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as exc:
        raise InputError(
            f"The file {str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg}). "
            "Fix: pass the output of `geomap extract --format json`."
        ) from exc
    return documents_from_json(items, str(path))


def documents_from_json(items: list[object], source: str) -> list[ExtractedDocument]:
    """The documents of parsed extract JSON items; ``source`` (the file) names bad input.

    Events given bare (as records or GeoJSON features) are gathered into one
    last document without fields.
    """
    out: list[ExtractedDocument] = []
    bare: list[Event] = []
    for item in items:
        if not isinstance(item, dict):
            raise InputError(
                f"The file {source!r} does not look like geomap extract output "
                f"(found a {type(item).__name__}). Fix: pass --format csv/acled/ucdp for tables."
            )
        if isinstance(item.get("documents"), list):  # `geomap extract --format json`
            for d in item["documents"]:
                if isinstance(d, dict):  # read as a result whose article is the document
                    out.extend(documents_from_json([{**d, "article": _fields(d)}], source))
        elif "events" in item or "mentions" in item:
            out.append(_result(item, item.get("article") or item.get("document")))
        elif any(k in item for k in EVENT_COLUMNS):
            bare.append(event_from_record(item))
        elif "features" in item:  # a GeoJSON FeatureCollection of events
            bare.extend(event_from_record(f.get("properties") or {}) for f in item["features"])
        else:
            raise InputError(
                f"The file {source!r} does not look like geomap extract output (keys: "
                f"{', '.join(list(item)[:8])}). Fix: pass the JSON written by `geomap extract`."
            )
    if bare:
        out.append(ExtractedDocument(None, [], bare))
    return out


def _fields(document: Record) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in _NOT_DOCUMENT}


def _result(item: Record, document: object) -> ExtractedDocument:
    """A result: the document it names (kept only with a ``doc_id``), its mentions and events."""
    if not isinstance(document, dict) or not document.get("doc_id"):
        document = None
    mentions = [mention_from_record(m) for m in _records(item.get("mentions"))]
    events = [event_from_record(e) for e in _records(item.get("events"))]
    return ExtractedDocument(document, [m for m in mentions if m is not None], events)


def _records(value: object) -> list[Record]:
    return list(value) if isinstance(value, list) else []


def place_from_record(value: object) -> Place | None:
    """A Place from its record; None for anything else or a record that does not fit."""
    if isinstance(value, Place) or value is None:
        return value
    if isinstance(value, dict):
        try:
            return Place(**{k: value[k] for k in _PLACE_FIELDS if k in value})
        except TypeError:
            return None
    return None


def mention_from_record(record: Record) -> Mention | None:
    """A Mention from its record (unknown keys ignored); None when required fields are missing."""
    data = {k: v for k, v in record.items() if k in _MENTION_FIELDS}
    data["place"] = place_from_record(record.get("place"))
    try:
        return Mention(**data)
    except TypeError:
        return None


def event_from_record(record: Record) -> Event:
    """An Event from its record (``extra`` merged back; no fatalities read as 0)."""
    fields = dict(record)
    extra = fields.pop("extra", None) or {}
    event = Event.from_record(fields)
    event.extra.update(extra)
    if event.fatalities is None:
        event.fatalities = 0
    return event
