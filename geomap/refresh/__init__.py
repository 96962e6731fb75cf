"""Carry refreshed geocodes through to the stored events and mentions.

``geomap cache refresh`` (or a pin, or ``geomap cache import``) changes what a
cache entry answers; this package makes the event store follow.  Every stored
source row and mention names the cache entry that placed it, so
:func:`refresh_store` re-resolves each key the store uses
(:mod:`~geomap.refresh.answers`), moves the rows that depend on a changed
answer by exactly as far as it moved (:mod:`~geomap.refresh.relocate`), and
reports each move (:mod:`~geomap.refresh.report`).
"""

from geomap.refresh.answers import Answer
from geomap.refresh.report import EntryChange, Move, RefreshReport, format_report
from geomap.refresh.service import refresh_store

__all__ = [
    "Answer", "EntryChange", "Move", "RefreshReport", "format_report",
    "refresh_store",
]  # fmt: skip
