"""Ingesting tables and files into the event store."""

from geomap.ingestion.pipeline import IngestReport, ingest_paths

__all__ = ["IngestReport", "ingest_paths"]
