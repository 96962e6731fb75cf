"""The extract JSON, both ways: what ``geomap extract`` writes and ``geomap ingest`` reads.

Written (:func:`results_to_json`)::

    {"documents": [{doc_id, path, title, date, date_basis, source, url, format,
                    chars, mentions: [...], events: [...], errors: [...]}],
     "errors": [{message}], "summary": {...}}

Mentions are their dataclass fields (the place nested) plus ``resolved``;
events are ``Event.to_record()`` (:data:`~geomap.model.EVENT_COLUMNS`) plus
``extra``.

Read (:func:`read_extract_json`, :func:`results_from_json`): that JSON, JSON
lines of results (``{"article": ..., "mentions": [...], "events": [...]}``),
bare event records, and a GeoJSON FeatureCollection of events.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.model import EVENT_COLUMNS, Article, Event, ExtractResult, Mention, Place

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
#: A document's own fields, without what was extracted from it.
_NOT_DOCUMENT = ("mentions", "events", "errors")
_MENTION_FIELDS = {f.name for f in dataclasses.fields(Mention)}
_PLACE_FIELDS = [f.name for f in dataclasses.fields(Place)]
_ARTICLE_FIELDS = {f.name for f in dataclasses.fields(Article)} - {"text", "meta"}

#: A JSON object as parsed: its values are whatever the file holds.
Record = Mapping[str, Any]


# -- writing ------------------------------------------------------------------


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


def _document_record(r: ExtractResult) -> dict[str, Any]:
    a = r.article
    assert a is not None, "only results of an article are written"
    return {
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


def results_to_json(
    results: Sequence[ExtractResult], errors: Sequence[Exception]
) -> dict[str, Any]:
    """The extract JSON as a dict: documents, failed files and a summary."""
    events = [e for r in results for e in r.events]
    return {
        "documents": [_document_record(r) for r in results],
        "errors": [{"message": str(e)} for e in errors],
        "summary": {
            "documents": len(results),
            "failed": len(errors),
            "events": sum(not e.is_context for e in events),
            "context_figures": sum(e.is_context for e in events),
            "mentions": sum(len(r.mentions) for r in results),
        },
    }


# -- reading ------------------------------------------------------------------


def read_extract_json(path: Path, text: str) -> list[ExtractResult]:
    """The results in ``text``, the content of an extract JSON or JSON-lines file
    (by ``path``'s suffix: .jsonl, .ndjson).

    Raises :class:`~geomap.errors.InputError` naming ``path`` for text that is
    not JSON or not extract output.
    """
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
    return results_from_json(items, str(path))


def results_from_json(items: list[object], source: str) -> list[ExtractResult]:
    """The results in parsed extract JSON items; ``source`` (the file) names bad input.

    Events given bare (as records or GeoJSON features) are gathered into one
    last result without an article.
    """
    out: list[ExtractResult] = []
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
                    out.extend(results_from_json([{**d, "article": _fields(d)}], source))
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
        out.append(ExtractResult(None, [], bare))
    return out


def _fields(document: Record) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in _NOT_DOCUMENT}


def article_from_record(document: object) -> Article | None:
    """The document's Article (without its text, which the JSON does not carry), or None
    for anything that is not a record with a ``doc_id``."""
    if not isinstance(document, dict) or not document.get("doc_id"):
        return None
    fields = {k: v for k, v in document.items() if k in _ARTICLE_FIELDS}
    fields.setdefault("title", "")
    try:
        return Article(**fields, text="")
    except TypeError:
        return None


def _result(item: Record, document: object) -> ExtractResult:
    """A result: the document it names (kept only with a ``doc_id``), its mentions and events."""
    mentions = [mention_from_record(m) for m in _records(item.get("mentions"))]
    events = [event_from_record(e) for e in _records(item.get("events"))]
    return ExtractResult(
        article_from_record(document), [m for m in mentions if m is not None], events
    )


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
