"""File formats of events: extract output (JSON, GeoJSON, CSV) and GIS exports.

Both directions of the extract JSON live in :mod:`geomap.formats.extract_json`
(``geomap extract`` writes it, ``geomap ingest`` reads it back); event tables
and GIS files in :mod:`geomap.formats.events`.
"""

from geomap.formats.events import (
    EXPORT_FORMATS,
    events_to_geojson,
    export_format,
    neutralise_formula,
    neutralise_frame,
    write_events_csv,
    write_frame,
)
from geomap.formats.extract_json import (
    read_extract_json,
    results_from_json,
    results_to_json,
)
from geomap.formats.results import RESULT_FORMATS, write_results

__all__ = [
    "EXPORT_FORMATS",
    "RESULT_FORMATS",
    "events_to_geojson",
    "export_format",
    "neutralise_formula",
    "neutralise_frame",
    "read_extract_json",
    "results_from_json",
    "results_to_json",
    "write_events_csv",
    "write_frame",
    "write_results",
]
