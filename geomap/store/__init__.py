"""The event store: documents, mentions, source rows and deduplicated events."""

from geomap.store.admin1 import assign_admin
from geomap.store.db import EventStore, stable_event_id

__all__ = ["EventStore", "assign_admin", "stable_event_id"]
