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
from collections.abc import Sequence
from typing import IO

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
        json.dump(results_to_json(results, errors), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif fmt == "geojson":
        json.dump(events_to_geojson(events), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    else:
        write_events_csv(events, fh)
