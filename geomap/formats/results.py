"""Writing extraction results as ``json``, ``geojson`` or ``csv`` (``geomap extract``).

* ``json``: the extract JSON (:func:`~geomap.formats.extract_json.results_to_json`):
  every document with its mentions, events and errors, the files that failed
  and a summary; ``geomap ingest`` reads it back.
* ``geojson``: a FeatureCollection of every event (properties are the event
  record; events without coordinates get ``"geometry": null``).  Context
  figures are included with ``is_context: true`` so that nothing is hidden;
  a map or sum must filter on it.
* ``csv``: one row per event, :data:`~geomap.model.EVENT_COLUMNS` as header.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import IO, Any

from geomap.errors import InputError, quote
from geomap.formats.events import events_to_geojson, write_events_csv
from geomap.formats.extract_json import results_to_json
from geomap.model import ExtractResult

RESULT_FORMATS = ("json", "geojson", "csv")


def write_results(
    results: Sequence[ExtractResult], errors: Sequence[InputError], fmt: str, fh: IO[str]
) -> None:
    """Write ``results`` (and the files that failed, ``errors``) to ``fh`` in ``fmt``."""
    if fmt not in RESULT_FORMATS:
        raise InputError(
            f"unknown output format, instead got: {quote(fmt)}. "
            f"Fix: use one of {', '.join(RESULT_FORMATS)}."
        )
    events = [e for r in results for e in r.events]
    if fmt == "json":
        fh.write(dumps_indented(results_to_json(results, errors)) + "\n")
    elif fmt == "geojson":
        fh.write(dumps_indented(events_to_geojson(events)) + "\n")
    else:
        write_events_csv(events, fh)


class _NotPlain(Exception):
    """A value :func:`dumps_indented` leaves to :func:`json.dumps`."""


_CONTAINERS = (dict, list, tuple)


def dumps_indented(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, character for character, in
    about half its time on plain JSON data (str-keyed dicts, lists, tuples, str, int,
    float, bool, None): the standard encoder with an indent runs its pure-Python
    generators, a chunk at a time.  Anything else is left to :func:`json.dumps`."""
    try:
        return _encode(obj, "\n")
    except (_NotPlain, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=2)


def _encode(o: Any, newline: str) -> str:
    """``o`` as JSON, its lines indented after ``newline``."""
    inner = newline + "  "
    if isinstance(o, dict):
        if not o:
            return "{}"
        items = []
        for key, value in o.items():
            if not isinstance(key, str):
                raise _NotPlain
            if type(value) is str:  # the most common value: no call
                items.append(f"{encode_basestring(key)}: {encode_basestring(value)}")
            elif isinstance(value, _CONTAINERS):
                items.append(f"{encode_basestring(key)}: {_encode(value, inner)}")
            else:
                items.append(f"{encode_basestring(key)}: {_scalar(value)}")
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        parts = [_encode(v, inner) if isinstance(v, _CONTAINERS) else _scalar(v) for v in o]
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    return _scalar(o)


def _scalar(o: Any) -> str:
    """A scalar as :func:`json.dumps` writes it."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        if math.isfinite(o):
            return float.__repr__(o)
        return "NaN" if o != o else ("Infinity" if o > 0 else "-Infinity")
    raise _NotPlain
