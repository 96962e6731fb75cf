"""Carry refreshed geocodes through to the stored events and mentions.

``geomap cache refresh`` (or a pin, or ``geomap cache import``) changes what a
cache entry answers; this package makes the event store follow.  Every stored
source row and mention names the cache entry that placed it, so
:func:`refresh_store` re-resolves each key the store uses
(:mod:`~geomap.relocation.answers`), moves the rows that depend on a changed
answer by exactly as far as it moved (:mod:`~geomap.relocation.relocate`), and
reports each move (:mod:`~geomap.relocation.report`).
"""

from geomap.relocation.answers import Answer
from geomap.relocation.report import EntryChange, Move, RefreshReport, format_report
from geomap.relocation.service import refresh_store

__all__ = [
    "Answer", "EntryChange", "Move", "RefreshReport", "format_report",
    "refresh_store",
]  # fmt: skip
