"""The event store: documents, mentions, source rows and deduplicated events."""

from geomap.store.db import EventStore, stable_event_id
from geomap.store.dedupe import assign_admin

__all__ = ["EventStore", "assign_admin", "stable_event_id"]
