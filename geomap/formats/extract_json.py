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
bare event records, and a GeoJSON FeatureCollection of events.  Reading is
bounded (JSON nested at most 64 levels, :mod:`geomap.formats.limits`); a
record of the wrong shape (an event that is not an object, ``events`` that
is not a list) goes to its result's ``errors`` and the rest is read.  The
values themselves are checked where they enter the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.formats.limits import clip, load_json
from geomap.model import EVENT_COLUMNS, Article, Event, ExtractResult, Mention, Place

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
#: A document's own fields, without what was extracted from it.
_NOT_DOCUMENT = ("mentions", "events", "errors")
#: A mention's fields in their order (as ``dataclasses.asdict`` gives them).
_MENTION_ORDER = [f.name for f in dataclasses.fields(Mention)]
_MENTION_FIELDS = set(_MENTION_ORDER)
_PLACE_FIELDS = [f.name for f in dataclasses.fields(Place)]
_ARTICLE_FIELDS = {f.name for f in dataclasses.fields(Article)} - {"text", "meta"}

#: A JSON object as parsed: its values are whatever the file holds.
Record = Mapping[str, Any]


# -- writing ------------------------------------------------------------------


def mention_record(m: Mention) -> dict[str, Any]:
    """A mention as a JSON-ready dict (its place nested), with ``resolved``: what
    ``dataclasses.asdict`` gives (every field holds a scalar, or the place's scalars),
    without its deep copy of each value."""
    rec = {name: getattr(m, name) for name in _MENTION_ORDER}
    place = m.place
    if place is not None:
        rec["place"] = {name: getattr(place, name) for name in _PLACE_FIELDS}
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
    not JSON (or nests too deeply) or not extract output.
    """
    source = str(path)
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        items = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                items.append(load_json(line, f"{source}, line {n}"))
    else:
        data = load_json(text, source)
        items = data if isinstance(data, list) else [data]
    return results_from_json(items, source)


def _shape(value: object) -> str:
    """What a JSON value is, for a message: "an object", "a list", "the text 'abc'"."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {clip(value, 40)}"
    return f"{type(value).__name__} {clip(value, 40)}"


def results_from_json(items: list[object], source: str) -> list[ExtractResult]:
    """The results in parsed extract JSON items; ``source`` (the file) names bad input.

    Events given bare (as records or GeoJSON features) are gathered into one
    last result without an article.  A part of the wrong shape is named in
    its result's ``errors`` and skipped.
    """
    out: list[ExtractResult] = []
    bare = ExtractResult(None, [], [])
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"The file {source!r} does not look like geomap extract output "
                f"(item {n} is {_shape(item)}). Fix: pass --format csv/acled/ucdp for tables."
            )
        documents = item.get("documents")
        if documents is not None:  # `geomap extract --format json`
            out.extend(_documents(documents, source))
        elif "events" in item or "mentions" in item:
            out.append(_result(item, item.get("article") or item.get("document")))
        elif any(k in item for k in EVENT_COLUMNS):
            _add_events(bare, [item], "event")
        elif "features" in item:  # a GeoJSON FeatureCollection of events
            features = item["features"]
            if not isinstance(features, list):
                bare.errors.append(f"'features' must be a list, instead got {_shape(features)}")
                continue
            props = [f.get("properties") or {} if isinstance(f, dict) else f for f in features]
            _add_events(bare, props, "feature")
        else:
            raise InputError(
                f"The file {source!r} does not look like geomap extract output (keys: "
                f"{', '.join(clip(k, 30) for k in list(item)[:8])}). "
                "Fix: pass the JSON written by `geomap extract`."
            )
    if bare.events or bare.errors:
        out.append(bare)
    return out


def _documents(documents: object, source: str) -> list[ExtractResult]:
    if not isinstance(documents, list):
        return [ExtractResult(None, [], [], [
            f"'documents' must be a list, instead got {_shape(documents)}"])]  # fmt: skip
    out: list[ExtractResult] = []
    for n, d in enumerate(documents, start=1):
        if isinstance(d, dict):  # read as a result whose article is the document
            out.extend(results_from_json([{**d, "article": _fields(d)}], source))
        else:
            out.append(ExtractResult(None, [], [], [
                f"document {n} must be an object, instead got {_shape(d)}"]))  # fmt: skip
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
    result = ExtractResult(article_from_record(document), [], [])
    mentions = item.get("mentions")
    if mentions is not None and not isinstance(mentions, list):
        result.errors.append(f"'mentions' must be a list, instead got {_shape(mentions)}")
    for n, m in enumerate(mentions if isinstance(mentions, list) else [], start=1):
        mention = mention_from_record(m) if isinstance(m, dict) else None
        if mention is None:
            result.errors.append(f"mention {n} is not a mention record ({_shape(m)})")
        else:
            result.mentions.append(mention)
    events = item.get("events")
    if events is not None and not isinstance(events, list):
        result.errors.append(f"'events' must be a list, instead got {_shape(events)}")
    _add_events(result, events if isinstance(events, list) else [], "event")
    return result


def _add_events(result: ExtractResult, records: list[object], label: str) -> None:
    """The event records into ``result.events``; a record of the wrong shape into its errors."""
    for n, record in enumerate(records, start=len(result.events) + 1):
        if not isinstance(record, dict):
            result.errors.append(f"{label} {n} must be an object, instead got {_shape(record)}")
            continue
        extra = record.get("extra")
        if extra is not None and not isinstance(extra, dict):
            result.errors.append(f"{label} {n}: 'extra' must be an object, not {_shape(extra)}")
            continue
        result.events.append(event_from_record(record))


def place_from_record(value: object) -> Place | None:
    """A Place from its record; None for anything else or a record that does not fit."""
    if isinstance(value, Place) or value is None:
        return value
    if isinstance(value, dict):
        try:
            return Place(**{str(k): value[k] for k in _PLACE_FIELDS if k in value})
        except TypeError:
            return None
    return None


def mention_from_record(record: Record) -> Mention | None:
    """A Mention from its record (unknown keys ignored); None when required fields are missing."""
    data = {str(k): v for k, v in record.items() if k in _MENTION_FIELDS}
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
