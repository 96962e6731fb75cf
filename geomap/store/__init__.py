"""The event store: documents, mentions, source rows and deduplicated events."""

from geomap.store.admin1 import assign_admin
from geomap.store.check import StoreCheck, check_store
from geomap.store.db import EventStore
from geomap.store.placements import Basis, Placement
from geomap.store.rows import SqlValue, stable_event_id
from geomap.store.schema import SCHEMA_VERSION
from geomap.store.writes import WriteResult

__all__ = [
    "SCHEMA_VERSION",
    "Basis",
    "EventStore",
    "Placement",
    "SqlValue",
    "StoreCheck",
    "WriteResult",
    "assign_admin",
    "check_store",
    "stable_event_id",
]
