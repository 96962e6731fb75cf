"""What each cache key the store uses answers now, and what it answered before.

The answer, in order of precedence: a person's pin (the geocoder's rule,
:meth:`~geomap.geocoding.Geocoder.pin_for`); otherwise what lies underneath
the pins after :func:`~geomap.geocoding.reresolve_key` (gazetteer answers
re-derived, online and imported answers kept).  Offline, nothing touches the
network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from geomap import countries
from geomap.geo import geodesic_km
from geomap.geocoding import CacheEntry, reresolve_key
from geomap.relocation.report import EntryChange, RefreshReport

if TYPE_CHECKING:
    from geomap.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Answer:
    """What a cache key resolves to now (or resolved to when a row was placed)."""

    key: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    provider: str = "gazetteer"
    pinned: bool = False
    feature: str = ""  # "city", "admin1", "country", "" when unknown (pins, online)
    country: str = ""  # the country's name: the gazetteer's, or the key's hint (a pin's --country)
    admin1: str = ""

    @classmethod
    def from_entry(cls, key: str, entry: CacheEntry) -> Answer | None:
        if not entry.found or entry.latitude is None or entry.longitude is None:
            return None
        raw = entry.raw or {}
        return cls(
            key=key, latitude=float(entry.latitude), longitude=float(entry.longitude),
            geonameid=entry.geonameid, provider="pin" if entry.pinned else entry.provider,
            pinned=entry.pinned, feature=str(raw.get("feature") or ""),
            country=str(raw.get("country") or countries.name(entry.country or "")),
            admin1=str(raw.get("admin1") or ""),
        )  # fmt: skip


#: What each cache key answers (None: nothing, the rows stay where they are).
AnswerMap = dict[str, Answer | None]


def _show(entry: CacheEntry | None) -> str:
    if entry is None:
        return "absent"
    if not entry.found:
        return f"not found via {entry.provider}"
    point = f"({entry.latitude:.5f}, {entry.longitude:.5f})"
    return f"{entry.geonameid or '-'} {point} via {entry.provider}"


class KeyResolver:
    """Re-resolves cache keys through the workspace's cache and geocoder."""

    def __init__(self, workspace: Workspace, *, report: RefreshReport) -> None:
        self.geocoder = workspace.geocoder
        self.cache = workspace.cache
        self.report = report

    def answers(self, keys: list[str]) -> tuple[AnswerMap, AnswerMap, list[CacheEntry]]:
        """(old answers, new answers, cache entries to write) per key."""
        old: AnswerMap = {}
        new: AnswerMap = {}
        writes: list[CacheEntry] = []
        for key in keys:
            found = reresolve_key(self.geocoder, key, self.cache.get(key))
            if found.error:
                self.report.skipped.append(f"{key}: could not be re-resolved ({found.error})")
            previous = found.previous
            old[key] = Answer.from_entry(key, previous) if previous is not None else None
            if found.rewrite and found.underneath is not None:
                writes.append(found.underneath)
                self.report.entry_changes.append(
                    EntryChange(key, found.query, _show(found.before), _show(found.underneath))
                )
            underneath = (
                Answer.from_entry(key, found.underneath) if found.underneath is not None else None
            )
            pin = self.geocoder.pin_for(found.query, found.hints.get("country"))
            answer = underneath if pin is None else Answer.from_entry(key, pin)
            if pin is not None:
                self._note_conflict(key, answer, underneath)
            if answer is None:
                self.report.not_found.append(
                    f"{key}: no answer (not in the cache, pins or gazetteer); rows left in place"
                )
            new[key] = answer
        return old, new, writes

    def _note_conflict(self, key: str, pin: Answer | None, underneath: Answer | None) -> None:
        # a pin over the gazetteer is what pins are for; over an answer a
        # colleague or an online service gave, it is a conflict worth listing
        if pin is None or underneath is None or underneath.provider == "gazetteer":
            return
        km = geodesic_km(pin.latitude, pin.longitude, underneath.latitude, underneath.longitude)
        if km > 1.0:
            self.report.conflicts.append(
                f"{key}: the pin ({pin.latitude:.5f}, {pin.longitude:.5f}) wins over "
                f"the cached {underneath.provider} answer ({underneath.latitude:.5f}, "
                f"{underneath.longitude:.5f}); unpin it to use the cached one"
            )
